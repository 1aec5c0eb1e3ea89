"""Playbook settings: the prepbook plugin's options in ``mkdocs.yml``, declared once.

``Settings`` is the only declaration of the options (types, bounds, defaults, what each one
means). The MkDocs plugin derives its options from it, and the command line reads
``mkdocs.yml`` with a safe loader that resolves MkDocs' own tags and ``INHERIT`` as MkDocs
does (and runs no other tag: see :mod:`prepbook.mkdocs_yaml`), and validates the plugin's
options with the plugin's own option classes, so a build and ``prepbook validate`` never
disagree about which files exist or what is allowed.

Every stage reads the settings, so nothing here imports MkDocs or a stage: reading
``mkdocs.yml`` is the adapters' work (:func:`prepbook.mkdocs_options.load_project`).
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator

from prepbook.change_kinds import CHANGE_KINDS, RETIRED_CHANGE_KINDS
from prepbook.errors import ConfigError
from prepbook.load.files import display_path
from prepbook.load.source import DEFAULT_MAX_BYTES
from prepbook.rules import METHOD_RULES, RULES, Severity
from prepbook.trackers.sources import MAX_SOURCES, parse_sources
from prepbook.trackers.states import MAX_STATE_NAMES, Status, check_state_names

# Looked for in this order; ProperDocs, the continuation of MkDocs 1.x, reads the same file.
DEFAULT_CONFIGS = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")

# A whole number, never true or 2.0: MkDocs reads mkdocs.yml as YAML 1.1, where a value that
# reads as a number by accident (yes, 1.0) would otherwise be taken for one.
Whole = Annotated[int, Strict()]
# The largest workshop file an option may allow: each is read whole into memory.
MAX_FILE_BYTES_LIMIT = 64 * 1024 * 1024
_REVISION = re.compile(r"[^\s\x00-\x1f\x7f-\x9f~^:?*\[\\]{1,200}")

# Options that name a folder, relative to the configuration file; one that is set
# explicitly must exist.
FOLDER_OPTIONS = ("workshops", "templates", "trackers")


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
    trackers: str = Field(
        default="trackers",
        description="Folder of tracker exports (gh's JSON, Jira, Linear or plain CSV), "
        "relative to mkdocs.yml; read offline. A missing default folder means no exports.",
    )
    output: str = Field(
        default="playbook",
        description="Folder, inside docs_dir, where the generated pages appear on the site.",
    )
    max_file_bytes: Whole = Field(
        default=DEFAULT_MAX_BYTES,
        gt=0,
        le=MAX_FILE_BYTES_LIMIT,
        description="Size cap for one workshop file, in bytes (at most 64 MiB).",
    )
    rules: dict[str, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="Severity of method rules (PB3xx), by id or name: error, warning, info or off.",
    )
    max_committed_priorities: Whole = Field(
        default=2,
        ge=1,
        le=100,
        description="How many committed priorities a workshop may have (PB350).",
    )
    high_risk_score: Whole = Field(
        default=15,
        ge=1,
        le=25,
        description="Inherent risk score from which a persofail needs an owned mitigation (PB342).",
    )
    stale_reading_days: Whole = Field(
        default=90,
        ge=1,
        le=3650,
        description="How many days old a metric's newest reading may be before it is "
        "reported as stale (PB383); at most 3,650 (ten years).",
    )
    tracker_stale_days: Whole = Field(
        default=14,
        ge=1,
        le=3650,
        description="How many days old a tracker export may be, counted from when it was "
        "taken to the build's date, before it is reported as stale (PB393); at most 3,650.",
    )
    page_rows: Whole = Field(
        default=150,
        ge=5,
        le=5000,
        description="The most rows one page of the portfolio, the audit register, the "
        "persofail catalogue or the roadmap holds; longer lists continue on further pages, "
        "so every page stays quick to load however many workshops the playbook has.",
    )
    history: Whole = Field(
        default=50,
        ge=0,
        le=10000,
        description="How many of the latest commits that changed the workshops the Changes "
        "page shows; 0 leaves the page out.",
    )
    history_since: dt.date | str | None = Field(
        default=None,
        description="Show only the changes since this date (YYYY-MM-DD) or git revision "
        "(a tag, such as the last release), within the limit of history.",
    )
    slip_days: Whole = Field(
        default=14,
        ge=0,
        le=3650,
        description="prepbook diff: a date that moves later by more than this many days is a "
        "minor change (date-slipped); a smaller slip is info.",
    )
    ship_major_days: Whole = Field(
        default=28,
        ge=0,
        le=3650,
        description="prepbook diff: a committed priority's ship date that moves later by "
        "more than this many days is a major change (ship-date-slipped); by more than "
        "slip_days, minor; by less, info.",
    )
    score_minor_share: Whole = Field(
        default=10,
        ge=0,
        le=1000,
        description="prepbook diff: a priority's score that moves by at least this share "
        "of its old value, in percent, is a minor change (score-changed); a smaller move is "
        "info.",
    )
    score_major_share: Whole = Field(
        default=25,
        ge=0,
        le=1000,
        description="prepbook diff: a priority's score that moves by at least this share "
        "of its old value, in percent, is a major change (score-changed).",
    )
    tracker_states: dict[str, Status] = Field(
        default_factory=dict,
        max_length=MAX_STATE_NAMES,
        description="What the states of the tracker exports mean, beyond the built-in "
        "table: a mapping from a state's name as the export writes it (such as QA) to "
        "todo, doing, done or dropped; asked first, names compared without case.",
    )
    tracker_sources: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_SOURCES,
        description="prepbook fetch: where each export of the trackers folder is taken "
        "from, by its file name: github:OWNER/REPO (gh issue list), "
        "github-project:OWNER/NUMBER (gh project item-list) or jira:https://… (a Jira CSV "
        "export, read with PREPBOOK_JIRA_USER and PREPBOOK_JIRA_TOKEN). The build never "
        "reads them.",
    )
    tracker_fetch_limit: Whole = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="prepbook fetch: the most items gh is asked for, for each source.",
    )
    theme_search_index: Annotated[bool, Strict()] = Field(
        default=False,
        description="Also build Material's own search index (search/search_index.json), for "
        "tools that read it. The search box answers from the Pagefind index either way; the "
        "theme's index costs about a tenth of a build. A site built with Material's offline "
        "plugin always has it, since its search box uses it.",
    )
    diff_levels: dict[str, Literal["major", "minor", "info"]] = Field(
        default_factory=dict,
        description="prepbook diff: the level of a kind of change, by its name in the diff "
        "reference (such as target-eased: major): major, minor or info.",
    )

    @field_validator("output")
    @classmethod
    def _inside_docs(cls, output: str) -> str:
        """The generated pages are written where this names: never outside the docs."""
        parts = PurePosixPath(output.replace("\\", "/")).parts
        if output.startswith(("/", "\\")) or ".." in parts or ":" in output:
            raise ValueError("a folder inside docs_dir, such as 'playbook', without '..'")
        return output

    @field_validator("history_since")
    @classmethod
    def _revision_or_date(cls, since: dt.date | str | None) -> dt.date | str | None:
        """A revision goes to git: one that reads as an option (--output=x) would be one."""
        if isinstance(since, str) and (
            since.startswith("-") or ".." in since or not _REVISION.fullmatch(since)
        ):
            raise ValueError(
                "a date (YYYY-MM-DD) or a git revision such as a tag (v1.2.0), not starting "
                "with '-', without spaces or '..'"
            )
        return since

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

    @field_validator("tracker_states")
    @classmethod
    def _usable_state_names(cls, states: dict[str, Status]) -> dict[str, Status]:
        check_state_names(states)
        return {name.strip(): status for name, status in states.items()}

    @field_validator("tracker_sources")
    @classmethod
    def _usable_sources(cls, sources: dict[str, str]) -> dict[str, str]:
        parse_sources(sources)
        return {file.strip(): spec.strip() for file, spec in sources.items()}

    @field_validator("diff_levels")
    @classmethod
    def _known_change_kinds(cls, levels: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(levels) - set(CHANGE_KINDS) - set(RETIRED_CHANGE_KINDS))
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not a kind of change; the kinds are listed in the "
                "diff reference (reference/diff.md)"
            )
        return {kind: level for kind, level in levels.items() if kind in CHANGE_KINDS}

    @classmethod
    def check_option(cls, name: str, value: object) -> Any:
        """``value`` as option ``name`` holds it, validated by that field's rules alone.

        Raises OptionError, which says what was given and what is allowed.
        """
        try:
            checked = cls.model_validate({name: value})
        except ValidationError as exc:
            reasons = []
            for error in exc.errors(include_url=False):
                message = str(error["msg"]).removeprefix("Value error, ")
                message = message[:1].lower() + message[1:] if message[:6] == "Input " else message
                inside = len(error["loc"]) > 1  # an entry of the value: say which
                where = ".".join(map(str, error["loc"]))
                reasons.append(f"{where}: {message}" if inside else message)
            raise OptionError(name, value, "; ".join(reasons)) from None
        return getattr(checked, name)

    @classmethod
    def expected(cls, name: str) -> str:
        """What option ``name`` accepts, in words, read off its declaration."""
        field = cls.model_fields[name]
        return _in_words(field.annotation, field.metadata)

    def severity_of(self, rule_id: str) -> Severity | None:
        """The severity a rule has in this playbook; None when it is turned off."""
        level = self.rules.get(rule_id)
        if level == "off":
            return None
        return Severity(level) if level else RULES[rule_id].severity


def _in_words(annotation: object, metadata: list[Any] | None = None) -> str:
    """A type annotation as a person would say what it allows."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        kinds = [_in_words(a) for a in args if a is not type(None)]
        empty = " or empty" if type(None) in args else ""  # null is "empty", never a value
        return " or ".join(kinds) + empty
    if origin is Literal:
        return "one of " + ", ".join(map(str, args))
    if origin is dict:
        return f"a mapping from {_in_words(args[0])} to {_in_words(args[1])}"
    if annotation is bool:
        return "true or false"
    if annotation is int:
        low = next((m.ge for m in metadata or () if isinstance(m, Ge)), None)
        above = next((m.gt for m in metadata or () if isinstance(m, Gt)), None)
        high = next((m.le for m in metadata or () if isinstance(m, Le)), None)
        below = next((m.lt for m in metadata or () if isinstance(m, Lt)), None)
        if above is not None and isinstance(above, int):
            low = above + 1 if low is None else low
        if low is not None and high is not None:
            return f"a whole number from {low:,} to {high:,}"
        bounds = [
            f"of at least {low:,}" if low is not None else "",
            f"of at most {high}" if high is not None else "",
            f"less than {below}" if below is not None else "",
        ]
        return " ".join(["a whole number", *filter(None, bounds)])
    if annotation is str:
        return "text"
    return getattr(annotation, "__name__", str(annotation))


class OptionError(ConfigError, ValueError):
    """A value a prepbook option does not accept."""

    def __init__(self, name: str, value: object, reason: str) -> None:
        self.name, self.value, self.reason = name, value, reason
        super().__init__(self.describe())

    def describe(self, where: str = "") -> str:
        """What was given (in ``where``, a file) and what is allowed, in one line."""
        given = f"{self.value!r} given" + (f" in {where}" if where else "")
        return f"{given}; expected {Settings.expected(self.name)} ({self.reason})"


class SettingsError(ConfigError):
    """The configuration file exists but cannot be used."""


@dataclass(frozen=True)
class Project:
    """Settings, the folder paths are relative to, and the site's Markdown folder."""

    settings: Settings
    root: Path
    docs_dir: str = "docs"
    config_file: Path | None = None  # None: no configuration file, the defaults apply
    site_url: str | None = None  # where the site is published, when the configuration says
    use_directory_urls: bool = True  # MkDocs' page addresses: a/b/ rather than a/b.html

    @property
    def workshops_dir(self) -> Path:
        return self.root / self.settings.workshops

    @property
    def trackers_dir(self) -> Path:
        return self.root / self.settings.trackers

    @property
    def templates_dir(self) -> Path | None:
        return self.root / self.settings.templates if self.settings.templates else None

    def require_folders(self) -> None:
        """Raise SettingsError if a folder option that was set explicitly names no folder.

        The default workshops folder may be missing: a new project has no workshop yet.
        """
        for name in FOLDER_OPTIONS:
            value = getattr(self.settings, name)
            if name not in self.settings.model_fields_set or value is None:
                continue
            folder = self.root / value
            if not folder.is_dir():
                where = display_path(self.config_file) if self.config_file else "the settings"
                state = "is not a folder" if folder.exists() else "does not exist"
                raise SettingsError(
                    f"prepbook option '{name}': {value!r} given in {where}; expected an "
                    f"existing folder, relative to {where}, but {folder} {state}"
                )


class NoPlaybook(SettingsError):
    """No configuration file was named, and none was found where the search looked."""

    def __init__(self, start: Path, top: Path | None) -> None:
        names = f"{', '.join(DEFAULT_CONFIGS[:-1])} or {DEFAULT_CONFIGS[-1]}"
        up_to = f"up to {top}, the top of its git repository" if top else "up to the root"
        super().__init__(
            f"no playbook here: no {names} in {start} or any folder above it ({up_to}); "
            "run 'prepbook init DIR' to make one, or name one with --config FILE"
        )


def _holds(folder: Path, name: str) -> bool:
    try:
        return (folder / name).is_file()
    except OSError:  # a folder above that cannot be searched holds nothing we can read
        return False


def _is_top(folder: Path) -> bool:
    try:
        return (folder / ".git").exists()  # a folder, or a file in a worktree or submodule
    except OSError:
        return False


def find_config(config_file: Path | None, start: Path | None = None) -> Path:
    """``config_file``, or else the first of DEFAULT_CONFIGS in ``start`` (the working
    folder) or the nearest folder above it that holds one.

    The search goes up as git looks for ``.git``, and stops at the top of the git working
    tree that holds ``start`` (the folder with ``.git``), or at the root outside one: a
    repository is one playbook's home, and a mkdocs.yml above it belongs to someone else.
    Found, never guessed: with none found it raises NoPlaybook rather than taking the
    working folder for a playbook, which made a command in a subfolder check nothing and
    succeed. Raises NoPlaybook.
    """
    if config_file is not None:
        return config_file
    here = start if start is not None else Path.cwd()
    for folder in (here, *here.parents):
        found = next((folder / n for n in DEFAULT_CONFIGS if _holds(folder, n)), None)
        if found is not None:
            return found
        if _is_top(folder):
            raise NoPlaybook(here, folder)
    raise NoPlaybook(here, None)
