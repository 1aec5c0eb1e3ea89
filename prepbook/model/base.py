"""The base class every record of the format derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from prepbook.model.fields import Date, LongText, ShortText, Slug


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


class Record(StrictModel):
    """A record with a stable id: what references, anchors and diffs match on."""

    id: Slug = Field(
        description="Stable id, a lowercase slug (letters, digits, single hyphens). "
        "Unique within the workshop; other records refer to this record by it. "
        "Keep it when the title changes."
    )


class TitledRecord(Record):
    """A record people see listed by its title."""

    title: ShortText = Field(description="Short human-readable name, shown in lists and links.")
    notes: LongText | None = Field(
        default=None, description="Free-form notes from the workshop, shown as plain text."
    )
    review_by: Date | None = Field(
        default=None,
        description="Date (YYYY-MM-DD) by which this record should be reviewed again.",
    )
