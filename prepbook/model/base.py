"""The base class every record of the format derives from."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from prepbook.model.fields import DATE_FORM, TEXT_PATTERN, Date, LongText, ShortText, Slug
from prepbook.model.shown import Shown
from prepbook.rules import RULES


class StrictModel(BaseModel):
    """Rejects unknown keys and never coerces types.

    Strict mode means a quoted ``"3"`` is not a number and ``no`` is not ``false``: what a
    reviewer reads in the YAML is what the tool understood.
    """

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
    )


METHOD_RULE_PATTERN = r"^PB3\d\d$"
# What a silence may cover: a function, a section, a recipe part (slugs), or a record,
# written as a reference is (``crm``, ``other-workshop/crm``).
SUBJECT_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$"
Subject = Annotated[str, StringConstraints(pattern=SUBJECT_PATTERN, max_length=129)]


class Silence(StrictModel):
    """A method rule turned off for one record, with the reason the site shows."""

    rule: Annotated[str, StringConstraints(pattern=METHOD_RULE_PATTERN)] = Field(
        description="Id of the method rule (PB3xx) to silence for this record."
    )
    reason: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=10, max_length=1000, pattern=TEXT_PATTERN
        ),
    ] = Field(
        description="Why the rule does not apply here; at least 10 characters. "
        "Shown on the site next to the silenced finding."
    )
    covers: list[Subject] | None = Field(
        default=None,
        min_length=1,
        max_length=20,
        description="For a rule that can find several things on one record ("
        + ", ".join(f"{r.id}: {r.subject}s" for r in RULES.values() if r.subject)
        + "): the things the reason is about, such as `[customer-support]`. Only findings "
        "about them are silenced; anything else the rule finds stays open. Left out, the "
        "silence covers all of them and is reported as too broad (PB304).",
    )


class Record(StrictModel):
    """A record with a stable id: what references, anchors and diffs match on.

    Each concrete record class names its kind and how people call it; the table of record
    kinds (:mod:`prepbook.model.kinds`) reads them from here, so a new kind of record is
    declared once, on its model.
    """

    KIND: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    # What a workshop without any record of this kind still lacks (a completeness warning);
    # None for kinds a workshop may well have none of.
    EMPTY_NOTE: ClassVar[str | None] = None
    # Whether search finds this kind's records where the workshop page shows them (the
    # fields that say so): every section's text is searchable, so every kind is, unless
    # one declares that its records repeat what is searched elsewhere.
    SEARCHED: ClassVar[bool] = True

    id: Annotated[Slug, Shown.hidden("the record's anchor: every link to it ends in it")] = Field(
        description="Stable id, a lowercase slug (letters, digits, single hyphens). "
        "Unique within the workshop; other records refer to this record by it. "
        "Keep it when the title changes."
    )
    silence: Annotated[
        list[Silence], Shown.hidden("under Readiness, beside the findings it silences")
    ] = Field(
        default_factory=list,
        max_length=20,
        description="Method rules silenced for this record, each with a written reason.",
    )

    @property
    def display_name(self) -> str:
        """The words a link to this record shows: its title, name or action."""
        return self.id


class TitledRecord(Record):
    """A record people see listed by its title."""

    title: Annotated[ShortText, Shown.title()] = Field(
        description="Short human-readable name, shown in lists and links."
    )
    notes: Annotated[LongText | None, Shown.note("Notes", search=True)] = Field(
        default=None, description="Free-form notes from the workshop, shown as plain text."
    )
    review_by: Annotated[Date | None, Shown.header("review by {}", rank=2)] = Field(
        default=None,
        description=f"Date ({DATE_FORM}) by which this record should be reviewed again.",
    )

    @property
    def display_name(self) -> str:
        return self.title
