"""The diff as data: the JSON ``prepbook diff --format json`` writes, and its JSON Schema."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from prepbook.change_kinds import LEVELS, SECTIONS, Level, at_least

DIFF_FORMAT_VERSION: Literal[1] = 1
JsonValue = str | int | float | bool | list[str] | None


class Computed(BaseModel):
    """A computed value on each side of a change to one of its inputs."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="Dotted name of the computed value (score.value).")
    before: float | None = Field(description="At the base side.")
    after: float | None = Field(description="At the head side.")
    share: int | None = Field(
        description="How far it moved, in percent of its value at the base side (rounded); "
        "None when it had none or was 0."
    )


class Change(BaseModel):
    """One change: which fact of which record moved, how much it matters, in words."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="The kind of change, as listed in the diff reference.")
    section: str = Field(description="Section of the report it is shown under.")
    level: Level = Field(description="major, minor or info.")
    workshop: str = Field(description="Id of the workshop (its id at the head side).")
    record_kind: str = Field(
        description="Kind of record (priority, step...), 'workshop' for the workshop itself, "
        "'file' for a file that could not be read, 'finding' for a finding."
    )
    record: str = Field(default="", description="Id of the record; empty for the workshop.")
    title: str = Field(default="", description="Title or name of the record.")
    field: str = Field(
        default="",
        description="Dotted name of the fact that changed (recipe.trigger, inherent.score); "
        "empty when the whole record was added, removed or renamed.",
    )
    before: JsonValue = Field(default=None, description="Value at the base side.")
    after: JsonValue = Field(default=None, description="Value at the head side.")
    days: int | None = Field(default=None, description="For a date: how many days it moved.")
    summary: str = Field(description="The change in words, one line.")
    decision: str = Field(
        default="",
        description="Id of the priority (the decision) the change is about: the priority "
        "itself, or one that a changed step delivers; empty for anything else.",
    )
    computed: Computed | None = Field(
        default=None,
        description="A value computed from the fact that changed (a priority's score from "
        "its inputs), before and after: shown beside the change, never a change of its own.",
    )
    causes: list[Change] = Field(
        default_factory=list,
        description="For a change of a decision (a ship date, a delivery status): the "
        "changes to the steps that caused it, listed here instead of being counted apart.",
    )

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        return (
            list(SECTIONS).index(self.section),
            self.workshop,
            self.record_kind,
            self.record,
            self.field,
            self.kind,
        )


class WorkshopReadiness(BaseModel):
    """A workshop's readiness score on each side (None where it does not exist or parse):
    context for the reader, never a change, as it judges the write-up and not a decision."""

    workshop: str
    before: int | None
    after: int | None


class Diff(BaseModel):
    """What changed between two versions of a playbook."""

    version: Literal[1] = Field(
        default=DIFF_FORMAT_VERSION, description="Version of this document's format."
    )
    base: str = Field(description="The base side: a revision, a folder.")
    head: str = Field(description="The head side: a revision, a folder, the working tree.")
    slip_days: int = Field(description="Slips up to this many days are info, not minor.")
    readiness: list[WorkshopReadiness] = Field(
        default_factory=list, description="Readiness score of each workshop with a change."
    )
    changes: list[Change] = Field(default_factory=list, description="Every change, in order.")

    def count(self, section: str) -> int:
        return sum(1 for c in self.changes if c.section == section)

    def kind_count(self, *kinds: str) -> int:
        return sum(1 for c in self.changes if c.kind in kinds)

    def at_or_above(self, threshold: Level) -> list[Change]:
        return [c for c in self.changes if at_least(c.level, threshold)]

    @computed_field(description="Number of changes of each level.")  # type: ignore[prop-decorator]
    @property
    def levels(self) -> dict[str, int]:
        return {level: sum(1 for c in self.changes if c.level == level) for level in LEVELS}

    @computed_field(description="Number of changes in each section.")  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {section: self.count(section) for section in SECTIONS}

    @computed_field(description="The largest slip, in days.")  # type: ignore[prop-decorator]
    @property
    def max_slip_days(self) -> int:
        return max((c.days for c in self.changes if c.days and c.days > 0), default=0)

    @computed_field(description="The diff in one line.")  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        if not self.changes:
            return "no changes"
        levels = ", ".join(f"{n} {level}" for level, n in self.levels.items() if n)
        parts = []
        added = self.kind_count("workshop-added", "record-added")
        removed = self.kind_count(
            "workshop-removed",
            "record-removed",
            "committed-priority-removed",
            "guardrail-metric-removed",
        )
        renamed = self.kind_count("workshop-renamed", "record-renamed")
        slipped = self.kind_count("date-slipped", "date-slipped-slightly", "ship-date-slipped")
        for n, words in (
            (added, "added"),
            (removed, "removed"),
            (renamed, "renamed"),
            (slipped, f"dates slipped (max +{self.max_slip_days} d)"),
            (self.count("findings_introduced"), "findings introduced"),
            (self.count("findings_fixed"), "findings fixed"),
            (self.count("problems"), "files unreadable"),
        ):
            if n:
                parts.append(f"{n} {words}")
        total = f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}"
        return f"{total} ({levels})" + (": " + ", ".join(parts) if parts else "")
