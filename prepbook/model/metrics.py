"""Success metrics beyond clicks (step 3)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from prepbook.model.base import TitledRecord
from prepbook.model.fields import LongText, MemberRef, Number, ShortText

MetricCategory = Literal[
    "retention", "trust", "satisfaction", "engagement", "conversion", "revenue", "efficiency"
]
Direction = Literal["increase", "decrease", "hold"]


class Metric(TitledRecord):
    """A measure of success, or a guardrail that must not get worse."""

    KIND = "metric"
    LABEL = "metric"
    EMPTY_NOTE = "no metrics yet (step 3: define success beyond clicks)"

    category: MetricCategory = Field(
        description="What the metric tells about: retention, trust and satisfaction look past "
        "clicks; engagement and conversion are click-like."
    )
    definition: LongText | None = Field(
        default=None, description="How the metric is computed, and from which source."
    )
    unit: ShortText | None = Field(
        default=None, description='Unit of baseline and target, such as "%" or "NPS points".'
    )
    baseline: Number | None = Field(
        default=None,
        description="Value measured today, in the unit: a number from -10^15 to 10^15.",
    )
    target: Number | None = Field(
        default=None,
        description="Value the team aims for, in the unit: a number from -10^15 to 10^15.",
    )
    direction: Direction = Field(
        description="Which way is better: increase, decrease, or hold (stay within bounds)."
    )
    guardrail: StrictBool = Field(
        default=False,
        description="true for a metric that must not get worse (complaints, opt-outs, "
        "unsubscribes) rather than one the feature tries to move. Only true or false.",
    )
    owner: MemberRef | None = Field(
        default=None, description="Id of the team member who reports this metric."
    )
