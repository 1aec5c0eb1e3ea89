"""Success metrics beyond clicks (step 3)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from prepbook.model.base import StrictModel, TitledRecord
from prepbook.model.fields import DATE_FORM, Date, LongText, MemberRef, Number, ShortText, many
from prepbook.model.shown import Shown
from prepbook.model.units import KNOWN_UNITS

MetricCategory = Literal[
    "retention", "trust", "satisfaction", "engagement", "conversion", "revenue", "efficiency"
]
Direction = Literal["increase", "decrease", "hold"]


class Reading(StrictModel):
    """One value of a metric as measured after the workshop: what moved, when, and where it
    was read. Baseline and target say what the team planned; readings say what happened."""

    date: Date = Field(
        description=f"Day the value was measured ({DATE_FORM}). A reading dated after the "
        "build's date is reported (PB384), and so is a metric whose newest reading is older "
        "than the stale_reading_days option allows (PB383). A silence of PB382 or PB384 names "
        "the reading by this date under covers."
    )
    value: Number = Field(
        description="The value measured, in the metric's unit: a number from -10^15 to "
        "10^15, within the unit's bounds where prepbook knows them (PB382)."
    )
    source: ShortText | None = Field(
        default=None,
        description="Where the value was read: a dashboard, a report, an export.",
    )


class Metric(TitledRecord):
    """A measure of success, or a guardrail that must not get worse."""

    KIND = "metric"
    LABEL = "metric"
    EMPTY_NOTE = "no metrics yet (step 3: define success beyond clicks)"

    category: Annotated[MetricCategory, Shown.column("Kind")] = Field(
        description="What the metric tells about: retention, trust and satisfaction look past "
        "clicks; engagement and conversion are click-like."
    )
    definition: Annotated[LongText | None, Shown.paragraph(search=True)] = Field(
        default=None, description="How the metric is computed, and from which source."
    )
    unit: Annotated[ShortText | None, Shown.beside("baseline")] = Field(
        default=None,
        description='Unit of baseline, target and readings, such as "%" or "NPS points". '
        f"prepbook knows the bounds of {KNOWN_UNITS}, and reports a reading outside them "
        "(PB382).",
    )
    baseline: Annotated[
        Number | None, Shown.column("Baseline \u2192 target", render="measurement", rank=-1)
    ] = Field(
        default=None,
        description="Value measured today, in the unit: a number from -10^15 to 10^15.",
    )
    target: Annotated[Number | None, Shown.beside("baseline")] = Field(
        default=None,
        description="Value the team aims for, in the unit: a number from -10^15 to 10^15.",
    )
    direction: Annotated[Direction, Shown.beside("baseline")] = Field(
        description="Which way is better: increase, decrease, or hold (stay within bounds)."
    )
    guardrail: Annotated[StrictBool, Shown.column("Kind", "guardrail")] = Field(
        default=False,
        description="true for a metric that must not get worse (complaints, opt-outs, "
        "unsubscribes) rather than one the feature tries to move. Only true or false.",
    )
    owner: Annotated[MemberRef | None, Shown.column("Owner", backlink="Owns")] = Field(
        default=None, description="Id of the team member who reports this metric."
    )
    readings: list[Reading] = many(
        "Values measured since the workshop, each with its date, in any order: the newest "
        "says how far the metric has come from baseline towards target."
    )
