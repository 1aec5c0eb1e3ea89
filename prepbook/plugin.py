"""The MkDocs plugin: a thin adapter from MkDocs' events to prepbook's core.

It validates the workshops before MkDocs writes anything, so a broken file stops the build
with the same findings as ``prepbook validate`` and leaves the previous site untouched.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from prepbook.config import PrepbookConfig
from prepbook.playbook import Playbook
from prepbook.report import format_report, format_text
from prepbook.rules import Severity
from prepbook.settings import Settings
from prepbook.validate import validate

log = get_plugin_logger(__name__)


class PrepbookPlugin(BasePlugin[PrepbookConfig]):
    def __init__(self) -> None:
        self.playbook: Playbook | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = Settings.model_validate(dict(self.config))
        root = Path(config.config_file_path).resolve().parent
        playbook = validate(settings, root)
        for finding in playbook.findings:
            if finding.severity == Severity.WARNING:
                log.warning(format_text(finding))
            elif finding.severity == Severity.INFO:
                log.info(format_text(finding))
        if not playbook.ok:
            errors = [f for f in playbook.findings if f.severity == Severity.ERROR]
            raise PluginError(
                "the workshops have errors; nothing was built\n\n"
                + format_report(errors, len(playbook.files))
            )
        self.playbook = playbook
        return config
