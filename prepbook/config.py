"""The typed options of the MkDocs plugin: the ``prepbook`` entry under ``plugins:``.

They mirror :class:`prepbook.settings.Settings` field for field (a test holds them
together), so ``prepbook validate`` reads the very same section of ``mkdocs.yml``.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from prepbook.yamlsource import DEFAULT_MAX_BYTES


class PrepbookConfig(base.Config):
    workshops = c.Type(str, default="workshops")
    """Folder of workshop YAML files, relative to mkdocs.yml."""

    templates = c.Optional(c.Type(str))
    """Folder of Jinja2 templates that override the default ones by name, relative to
    mkdocs.yml."""

    output = c.Type(str, default="playbook")
    """Folder, inside docs_dir, where the generated pages appear on the site."""

    max_file_bytes = c.Type(int, default=DEFAULT_MAX_BYTES)
    """Size cap for one workshop file, in bytes."""

    rules = c.Type(dict, default={})
    """Severity of method rules (PB3xx), by id or name: error, warning, info or off."""

    max_committed_priorities = c.Type(int, default=2)
    """How many committed priorities a workshop may have (PB350)."""

    high_risk_score = c.Type(int, default=15)
    """Inherent risk score from which a persofail needs an owned mitigation (PB342)."""
