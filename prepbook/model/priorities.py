"""Priorities (step 5): the one or two high-impact features the team commits to."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, computed_field

from prepbook.model.base import StrictModel, TitledRecord
from prepbook.model.fields import (
    AssetRef,
    Count,
    Effort,
    LongText,
    MemberRef,
    MetricRef,
    many,
)
from prepbook.model.shown import Shown

PriorityStatus = Literal["candidate", "committed", "parked"]
Stage = Literal["experiment", "automation", "product"]
OneToTen = Annotated[int, Field(ge=1, le=10)]
# The computed result is the score, wherever a reader sees it; its key stays ``value``, the
# name the exports (playbook.json, the CSV column ``score.value``) and the diff publish.
RICE_SCORE = "The score: reach x impact x confidence% / effort, rounded to 0.1."
ICE_SCORE = "The score: impact x confidence x ease, 1 to 1000."


class Recipe(StrictModel):
    """The if-then recipe: if TRIGGER happens for AUDIENCE in CONTEXT, then show CONTENT,
    measured by MEASURE. Parts may stay empty while the idea is a candidate."""

    trigger: LongText | None = Field(default=None, description="The event that sets it off.")
    audience: LongText | None = Field(default=None, description="Who it is for.")
    context: LongText | None = Field(default=None, description="Where and when it applies.")
    content: LongText | None = Field(
        default=None, description="What is shown or changed: the content or design."
    )
    measure: LongText | None = Field(
        default=None, description="How success is read, in words; metrics go in measured_by."
    )


class RiceScore(StrictModel):
    """The inputs of a RICE score; the score is reach x impact x confidence / effort."""

    method: Literal["rice"] = Field(description="Scoring method: rice.")
    reach: Count = Field(
        description="People or events affected per quarter: a whole number from 0 to 10^15."
    )
    # A Literal of floats is what pydantic validates and publishes as an enum; typing's
    # Literal admits no float, hence the one ignore.
    impact: Literal[0.25, 0.5, 1, 2, 3] = Field(  # type: ignore[valid-type]
        description="Impact per person: 0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive."
    )
    confidence: Literal[50, 80, 100] = Field(
        description="Confidence in the estimates, in percent: 50, 80 or 100."
    )
    effort: Effort = Field(
        description="Effort in person-months, from 0.1 (about two working days: RICE "
        "estimates in whole months, halves for what is well under one) to 1,000."
    )

    @computed_field(description=RICE_SCORE)  # type: ignore[prop-decorator]
    @property
    def value(self) -> float:
        return round(float(self.reach * self.impact * self.confidence) / 100 / self.effort, 1)


class IceScore(StrictModel):
    """The inputs of an ICE score, each 1 to 10; the score is impact x confidence x ease."""

    method: Literal["ice"] = Field(description="Scoring method: ice.")
    impact: OneToTen = Field(description="Impact, 1 to 10.")
    confidence: OneToTen = Field(description="Confidence, 1 to 10.")
    ease: OneToTen = Field(description="Ease, 1 (hard) to 10 (trivial).")

    @computed_field(description=ICE_SCORE)  # type: ignore[prop-decorator]
    @property
    def value(self) -> float:
        return float(self.impact * self.confidence * self.ease)


Score = Annotated[RiceScore | IceScore, Field(discriminator="method")]


class Priority(TitledRecord):
    """A personalization feature considered at the workshop, and whether it was chosen."""

    KIND = "priority"
    LABEL = "priority"
    EMPTY_NOTE = "no priorities yet (step 5: choose one or two features)"

    summary: Annotated[LongText | None, Shown.paragraph(search=True)] = Field(
        default=None, description="One paragraph on the idea."
    )
    status: Annotated[PriorityStatus, Shown.header("**{}**", capital=True)] = Field(
        description="candidate: considered; committed: chosen (the method says one or two); "
        "parked: set aside."
    )
    stage: Annotated[Stage | None, Shown.header("stage: {}")] = Field(
        default=None,
        description="Maturity it aims at: experiment (A/B test), automation (always-on, "
        "rules-based or learned) or product (a mature feature).",
    )
    recipe: Annotated[Recipe, Shown.block(render="recipe", search=True)] = Field(
        default_factory=Recipe, description="The if-then recipe."
    )
    requires: Annotated[
        list[AssetRef], Shown.links("Requires", render="readiness", backlink="Required by")
    ] = many("Ids of the audited assets this priority needs.")
    measured_by: Annotated[list[MetricRef], Shown.links("Measured by", backlink="Measures")] = many(
        "Ids of the metrics that tell whether it works."
    )
    score: Annotated[Score | None, Shown.header(render="score", rank=1)] = Field(
        default=None,
        description="The inputs of a RICE or ICE score; prepbook computes the score from them.",
    )
    owner: Annotated[MemberRef | None, Shown.header("owner: {}", backlink="Owns")] = Field(
        default=None, description="Id of the accountable member."
    )
    votes: Annotated[Count | None, Shown.header("{} votes")] = Field(
        default=None,
        description="Stakeholder votes this outcome received at the workshop: a whole number "
        "from 0 to 10^15.",
    )
