"""The prepbook plugin's MkDocs options, derived from ``Settings``, and ``mkdocs.yml`` read
the way MkDocs reads it.

Each field of ``Settings`` becomes one MkDocs option that validates with that field's own
rules, so MkDocs knows every option by name and reports a bad value as a configuration
error, in one line, like its own options. The plugin validates its options with these
classes, and so does the command line (:func:`load_project`), without the plugin: the
plugin would bring the build service, the live preview and the rest of MkDocs with it.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.exceptions import ConfigurationError

from prepbook.config import OptionError, Project, Settings, SettingsError, find_config
from prepbook.load.files import display_path
from prepbook.mkdocs_yaml import ConfigFileError, Tagged, read_config, shown_tag
from prepbook.terminal import printable

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
        tagged = _tag_in(value)
        if tagged is not None:  # read by the command line's safe loader, which runs no tag
            raise base.ValidationError(
                f"the YAML tag {shown_tag(tagged.tag)} is not allowed in a prepbook option; "
                "write the value itself"
            )
        if isinstance(value, os.PathLike):  # !relative: a path resolved as MkDocs does
            try:
                value = os.fspath(value)
            except ConfigurationError as exc:
                raise base.ValidationError(str(exc)) from None
        try:
            return Settings.check_option(self.name, value)
        except OptionError as exc:
            raise base.ValidationError(exc.describe(self.where)) from None


def _tag_in(value: object, depth: int = 0) -> Tagged | None:
    """The first inert tagged value within ``value`` (options are shallow: a few levels)."""
    if isinstance(value, Tagged):
        return value
    if depth < 8 and isinstance(value, dict | list):
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        return next((t for t in (_tag_in(v, depth + 1) for v in items) if t is not None), None)
    return None


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


def plugin_settings(
    options: dict[str, Any], config_file_path: str | None = None
) -> tuple[Settings | None, base.ConfigErrors, base.ConfigWarnings]:
    """The plugin's options validated as MkDocs validates a plugin's (each by its own
    option, then :func:`settings_from`), and the settings they make: what the plugin's
    ``load_config`` does, for a reader of ``mkdocs.yml`` that is no build."""
    config = PrepbookConfig(config_file_path=config_file_path)
    config.load_dict(options)
    errors, warnings = config.validate()
    return settings_from(config, set(options), errors, warnings)


def load_project(config_file: Path | None, start: Path | None = None) -> Project:
    """The project described by ``config_file``, or by the configuration file found from
    ``start`` (the working folder) upwards (:func:`prepbook.config.find_config`).

    The file is read as data (:func:`read_project`). The settings' folders are relative to
    the file (``Project.root``), wherever the command runs. Raises SettingsError for a file
    or an option that cannot be used, and NoPlaybook (one) when there is no file.
    """
    return read_project(find_config(config_file, start))


def read_project(config_file: Path) -> Project:
    """The project that ``config_file`` describes, read as MkDocs reads it but as data.

    The safe reader (:mod:`prepbook.mkdocs_yaml`) resolves ``INHERIT``, ``!ENV`` and
    ``!relative`` with MkDocs' own rules and runs no other tag; the URL options are checked
    as the build checks them (:func:`unsafe_urls`); ``docs_dir`` is
    resolved by MkDocs' own option (it need not exist yet: ``prepbook docs`` writes it);
    and the plugin's options are validated as the plugin validates them
    (:func:`plugin_settings`), without the plugin, which would bring the whole build. The
    rest of the site's configuration (the theme, Markdown extensions) is left to the build,
    so the command line works where only prepbook is installed.
    """
    from mkdocs.config import config_options
    from mkdocs.config.defaults import MkDocsConfig

    where = display_path(config_file)
    path = os.path.abspath(config_file)
    config = MkDocsConfig(config_file_path=path)
    try:
        config.load_dict(read_config(Path(path), config))
    except ConfigFileError as exc:
        raise SettingsError(str(exc)) from None
    refused = unsafe_urls(config)
    if refused:
        raise SettingsError(f"{where}: " + "; ".join(refused))

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
    settings, errors, _ = plugin_settings(options, path)
    if errors or settings is None:
        raise SettingsError(
            "; ".join(f"{PLUGIN_NAME} option '{key}': {error}" for key, error in errors)
        )
    return Project(settings, root, config["docs_dir"], config_file, **site)


# The site's options that become links on every page (the header's repository link, the edit
# links) or in reports (a rule's help in SARIF). MkDocs' own check takes any scheme with a
# host, such as javascript://, and its theme writes them into attributes unescaped.
URL_OPTIONS = ("site_url", "repo_url", "edit_uri")
_WEB_SCHEMES = ("", "http", "https")
_NOT_IN_URL = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f-\x9f]")


# The theme writes the site's name into the HTML as it is: a tag in it would be a tag.
_MARKUP = re.compile(r"[<>]")


def site_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be the name ``prepbook init`` gives a new site, or None when it
    can (a name already in a playbook's mkdocs.yml is the playbook's own business)."""
    if not isinstance(name, str):
        return f"expected text, not {printable(repr(name))}"
    if not name.isprintable() or _MARKUP.search(name):
        return (
            f"{printable(name)!r} is refused; expected a name on one line without < or >, "
            "which the theme would write into every page's HTML as markup"
        )
    return None


def unsafe_urls(config: Mapping[str, object]) -> list[str]:
    """What is wrong with each URL option that is not an http(s) address or a relative path,
    in words; empty when all are fine."""
    problems = []
    for name in URL_OPTIONS:
        value = config.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(f"option '{name}': expected a URL, not {value!r}")
            continue
        decoded = html.unescape(value)  # what a browser reads in the attribute
        try:
            scheme = urlsplit(decoded).scheme.lower()
        except ValueError:
            scheme = "?"
        if scheme not in _WEB_SCHEMES or _NOT_IN_URL.search(decoded):
            problems.append(
                f"option '{name}': {printable(value)!r} is refused; expected an http:// or "
                "https:// address, or a relative path, without spaces, quotes or angle brackets"
            )
    return problems


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
