"""Playbook settings, read from the prepbook entry of ``mkdocs.yml``.

The MkDocs plugin and the command line read the same section of the same file, so a build
and ``prepbook validate`` never disagree about which files exist or what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from prepbook.load.source import DEFAULT_MAX_BYTES
from prepbook.rules import METHOD_RULES, RULES, Severity

# Looked for in this order; ProperDocs, the continuation of MkDocs 1.x, reads the same file.
DEFAULT_CONFIGS = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


class Settings(BaseModel):
    """The prepbook section of ``mkdocs.yml``."""

    model_config = ConfigDict(extra="forbid")

    workshops: str = Field(
        default="workshops",
        description="Folder of workshop YAML files, relative to mkdocs.yml.",
    )
    templates: str | None = Field(
        default=None,
        description="Folder of Jinja2 templates that override the default ones by name, "
        "relative to mkdocs.yml.",
    )
    output: str = Field(
        default="playbook",
        description="Folder, inside docs_dir, where the generated pages appear on the site.",
    )
    max_file_bytes: int = Field(
        default=DEFAULT_MAX_BYTES, gt=0, description="Size cap for one workshop file, in bytes."
    )
    rules: dict[str, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="Severity of method rules (PB3xx), by id or name: error, warning, info or off.",
    )
    max_committed_priorities: int = Field(
        default=2, ge=1, description="How many committed priorities a workshop may have (PB350)."
    )
    high_risk_score: int = Field(
        default=15,
        ge=1,
        le=25,
        description="Inherent risk score from which a persofail needs an owned mitigation (PB342).",
    )

    @field_validator("rules", mode="before")
    @classmethod
    def _unquoted_off(cls, rules: object) -> object:
        """mkdocs.yml is read as YAML 1.1, where an unquoted off is false."""
        if isinstance(rules, dict):
            return {k: "off" if v is False else v for k, v in rules.items()}
        return rules

    @field_validator("rules")
    @classmethod
    def _method_rules_only(cls, rules: dict[str, str]) -> dict[str, str]:
        by_name = {RULES[r].name: r for r in METHOD_RULES}
        normalised = {}
        for key, level in rules.items():
            rule_id = by_name.get(key, key.upper())
            if rule_id not in METHOD_RULES:
                known = "an integrity rule, always an error" if rule_id in RULES else "unknown"
                raise ValueError(
                    f"{key} is {known}; only the method rules "
                    f"({', '.join(METHOD_RULES)}) can be configured"
                )
            normalised[rule_id] = level
        return normalised

    def severity_of(self, rule_id: str) -> Severity | None:
        """The severity a rule has in this playbook; None when it is turned off."""
        level = self.rules.get(rule_id)
        if level == "off":
            return None
        return Severity(level) if level else RULES[rule_id].severity


class SettingsError(Exception):
    """The configuration file exists but cannot be used."""


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose tags (!ENV, !!python/name) prepbook has no use for."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def plugin_section(config: dict[str, Any]) -> dict[str, Any] | None:
    """The options given to the prepbook plugin in a parsed mkdocs.yml, if it is listed."""
    plugins = config.get("plugins") or []
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (
            next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)
            for p in plugins
        )
    )
    for name, options in entries:
        if name == "prepbook":
            return dict(options or {})
    return None


@dataclass(frozen=True)
class Project:
    """Settings, the folder paths are relative to, and the site's Markdown folder."""

    settings: Settings
    root: Path
    docs_dir: str = "docs"

    @property
    def workshops_dir(self) -> Path:
        return self.root / self.settings.workshops

    @property
    def templates_dir(self) -> Path | None:
        return self.root / self.settings.templates if self.settings.templates else None


def load_project(config_file: Path | None) -> Project:
    """The project described by ``config_file`` (default: the first of DEFAULT_CONFIGS).

    With no configuration file the defaults apply, relative to the working folder.
    """
    if config_file is None:
        config_file = next((Path(n) for n in DEFAULT_CONFIGS if Path(n).is_file()), None)
        if config_file is None:
            return Project(Settings(), Path.cwd())
    try:
        text = config_file.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_LenientLoader) or {}
    except OSError as exc:
        raise SettingsError(f"{config_file}: cannot read: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{config_file}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{config_file}: expected a mapping at the top level")
    section = plugin_section(raw) or {}
    try:
        settings = Settings.model_validate(section)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise SettingsError(f"{config_file}: prepbook plugin options: {problems}") from None
    docs_dir = raw.get("docs_dir", "docs")
    return Project(
        settings, config_file.resolve().parent, docs_dir if isinstance(docs_dir, str) else "docs"
    )
