"""The prepbook plugin's MkDocs options, derived from ``Settings``, and ``mkdocs.yml`` read
the way MkDocs reads it.

Each field of ``Settings`` becomes one MkDocs option that validates with that field's own
rules, so MkDocs knows every option by name and reports a bad value as a configuration
error, in one line, like its own options.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.exceptions import ConfigurationError

from prepbook.config import OptionError, Project, Settings, SettingsError
from prepbook.load.files import display_path

PLUGIN_NAME = "prepbook"


class SettingOption(base.BaseConfigOption[Any]):
    """One field of ``Settings`` as a MkDocs option: its default, its validation."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.default = Settings.model_fields[name].get_default(call_default_factory=True)
        self.where = ""

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        path = config.config_file_path
        self.where = display_path(Path(path)) if path else ""

    def run_validation(self, value: object) -> Any:
        if isinstance(value, os.PathLike):  # !relative: a path resolved as MkDocs does
            try:
                value = os.fspath(value)
            except ConfigurationError as exc:
                raise base.ValidationError(str(exc)) from None
        try:
            return Settings.check_option(self.name, value)
        except OptionError as exc:
            raise base.ValidationError(exc.describe(self.where)) from None


class PrepbookConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options: one for each field of Settings, in its order."""

    # Read by Config.__init_subclass__ as the start of the schema.
    _schema = tuple((name, SettingOption(name)) for name in Settings.model_fields)


def settings_from(
    config: base.Config,
    given: set[str],
    errors: base.ConfigErrors,
    warnings: base.ConfigWarnings,
) -> tuple[Settings | None, base.ConfigErrors, base.ConfigWarnings]:
    """The settings of a validated plugin config (None when it has errors).

    An unknown option is an error, not MkDocs' warning: a misspelt ``workshops`` would
    otherwise build the default folder without a word. Options left out keep their
    defaults and do not count as set (``model_fields_set``).
    """
    errors = list(errors)
    kept: base.ConfigWarnings = []
    for key, warning in warnings:
        if key not in Settings.model_fields and key in given:
            where = display_path(Path(config.config_file_path)) if config.config_file_path else ""
            errors.append(
                (
                    key,
                    base.ValidationError(
                        f"not a prepbook option{f' (given in {where})' if where else ''}; "
                        f"the options are {', '.join(Settings.model_fields)}"
                    ),
                )
            )
        else:
            kept.append((key, warning))
    if errors:
        return None, errors, kept
    return Settings.model_validate({k: config[k] for k in given if k in config}), errors, kept


def plugin_options(plugins: object) -> dict[str, Any] | None:
    """The options given to the prepbook plugin in the ``plugins`` of a loaded mkdocs.yml,
    if it is listed (as MkDocs reads the list: names alone, or one-key mappings)."""
    entries: list[tuple[object, object]] = []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list | tuple):
        for item in plugins:
            if isinstance(item, dict) and len(item) == 1:
                entries.append(next(iter(item.items())))
            else:
                entries.append((item, None))
    for name, options in entries:
        if isinstance(name, str) and name.removeprefix("/") == PLUGIN_NAME:
            if options is not None and not isinstance(options, dict):
                raise ValueError(f"the {PLUGIN_NAME} plugin's options must be a mapping")
            options = dict(options or {})
            options.pop("enabled", None)  # MkDocs' switch for every plugin, not an option
            return options
    return None


def read_project(config_file: Path) -> Project:
    """The project that ``config_file`` describes, read as MkDocs reads it.

    MkDocs' YAML loader resolves ``INHERIT``, ``!ENV`` and ``!relative``; ``docs_dir`` is
    resolved by MkDocs' own option (it need not exist yet: ``prepbook docs`` writes it);
    and the plugin validates its own options. The rest of the site's configuration (the
    theme, Markdown extensions) is left to the build, so the command line works where
    only prepbook is installed.
    """
    from mkdocs.config import config_options
    from mkdocs.config.defaults import MkDocsConfig

    from prepbook.plugin import PrepbookPlugin

    where = display_path(config_file)
    path = os.path.abspath(config_file)
    config = MkDocsConfig(config_file_path=path)
    try:
        with open(path, "rb") as stream:
            config.load_file(stream)
    except OSError as exc:
        raise SettingsError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except ConfigurationError as exc:
        if isinstance(exc.__context__, yaml.YAMLError):
            raise SettingsError(f"{where}: not valid YAML: {exc.__context__}") from None
        raise SettingsError(f"{where}: {exc}") from None
    except TypeError:  # a top level that is a number, not a mapping
        raise SettingsError(f"{where}: expected a mapping at the top level") from None

    docs_dir = config_options.DocsDir(default="docs")
    try:
        docs_dir.pre_validation(config, "docs_dir")
        config["docs_dir"] = docs_dir.validate(config["docs_dir"])  # type: ignore[no-untyped-call]
    except base.ValidationError as exc:
        raise SettingsError(f"{where}: option 'docs_dir': {exc}") from None
    # MkDocs validates every option with a stand-in current page, set by its Markdown
    # extensions option, so that a bare !relative names docs_dir there; so here too.
    extensions = dict(MkDocsConfig._schema)["markdown_extensions"]
    extensions.pre_validation(config, "markdown_extensions")
    root = Path(path).resolve().parent

    try:
        options = plugin_options(config["plugins"])
    except ValueError as exc:
        raise SettingsError(f"{where}: {exc}") from None
    site = _site_options(config)
    if options is None:
        return Project(Settings(), root, config["docs_dir"], config_file, **site)
    plugin = PrepbookPlugin()
    errors, _ = plugin.load_config(options, path)
    if errors or plugin.settings is None:
        raise SettingsError(
            "; ".join(f"{PLUGIN_NAME} option '{key}': {error}" for key, error in errors)
        )
    return Project(plugin.settings, root, config["docs_dir"], config_file, **site)


def _site_options(config: Mapping[str, object]) -> dict[str, Any]:
    """Where the site is published and how its pages are addressed, for links to its pages
    from outside it (the help of a SARIF rule); values MkDocs would refuse are ignored."""
    url = config.get("site_url")
    directory_urls = config.get("use_directory_urls", True)
    web = isinstance(url, str) and url.startswith(("https://", "http://"))
    return {
        "site_url": url if web else None,
        "use_directory_urls": directory_urls if isinstance(directory_urls, bool) else True,
    }
