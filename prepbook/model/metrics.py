"""Success metrics beyond clicks (step 3)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from prepbook.model.base import TitledRecord
from prepbook.model.fields import LongText, MemberRef, Number, ShortText
from prepbook.model.shown import Shown

MetricCategory = Literal[
    "retention", "trust", "satisfaction", "engagement", "conversion", "revenue", "efficiency"
]
Direction = Literal["increase", "decrease", "hold"]


class Metric(TitledRecord):
    """A measure of success, or a guardrail that must not get worse."""

    KIND = "metric"
    LABEL = "metric"
    EMPTY_NOTE = "no metrics yet (step 3: define success beyond clicks)"
    SEARCHED = False

    category: Annotated[MetricCategory, Shown.column("Kind")] = Field(
        description="What the metric tells about: retention, trust and satisfaction look past "
        "clicks; engagement and conversion are click-like."
    )
    definition: Annotated[LongText | None, Shown.paragraph()] = Field(
        default=None, description="How the metric is computed, and from which source."
    )
    unit: Annotated[ShortText | None, Shown.beside("baseline")] = Field(
        default=None, description='Unit of baseline and target, such as "%" or "NPS points".'
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
