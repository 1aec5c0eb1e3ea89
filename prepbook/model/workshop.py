"""The workshop: one YAML file, the root of the format."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from prepbook.model.agenda import Agenda
from prepbook.model.audit import Asset
from prepbook.model.base import Record, StrictModel, TitledRecord
from prepbook.model.fields import DATE_FORM, Date, LongText, MemberRef, ShortText, many
from prepbook.model.metrics import Metric
from prepbook.model.persofails import Persofail
from prepbook.model.priorities import Priority
from prepbook.model.roadmap import Roadmap
from prepbook.model.shown import Shown
from prepbook.model.team import TeamMember

WorkshopStatus = Literal["draft", "scheduled", "held", "archived"]


class DateRange(StrictModel):
    """When the workshop took place; one day when end is left out."""

    start: Date = Field(description=f"First day ({DATE_FORM}).")
    end: Date | None = Field(default=None, description=f"Last day ({DATE_FORM}), if several.")


class Barrier(TitledRecord):
    """A detractor or barrier named at the workshop, with the step that overcomes it."""

    KIND = "barrier"
    LABEL = "barrier"

    overcome_by: Annotated[
        LongText | None, Shown.column("How it will be overcome", search=True)
    ] = Field(default=None, description="The concrete step that will overcome it.")
    owner: Annotated[MemberRef | None, Shown.column("Owner", backlink="Owns")] = Field(
        default=None, description="Id of the member who owns it."
    )


class Workshop(Record):
    """A prepersonalization workshop and everything it produced."""

    format: Annotated[
        Literal[1], Shown.hidden("the version of the file format, the same in every file")
    ] = Field(default=1, description="Version of this file format. 1 is the only version so far.")
    title: Annotated[ShortText, Shown.title()] = Field(description="Title of the workshop.")
    organisation: Annotated[ShortText, Shown.title(rank=-1)] = Field(
        description="Company or business unit that ran it."
    )
    summary: Annotated[LongText | None, Shown.paragraph(search=True)] = Field(
        default=None, description="What the workshop set out to do."
    )
    status: Annotated[WorkshopStatus, Shown.header(capital=True, search=True)] = Field(
        description="draft (being prepared), scheduled, held, or archived (superseded)."
    )
    dates: Annotated[
        DateRange | None, Shown.header(render="dates", empty="\u2014", search=True)
    ] = Field(default=None, description="When the workshop took place.")
    review_by: Annotated[Date | None, Shown.header("review by {}", rank=2, search=True)] = Field(
        default=None, description=f"Date ({DATE_FORM}) by which the playbook should be reviewed."
    )
    agenda: Annotated[
        Agenda | None, Shown.hidden("the facilitation kit's agenda shows it, with clock times")
    ] = Field(
        default=None,
        description="The workshop day: start time, minutes per step and breaks (the "
        "method's defaults when left out).",
    )
    facilitator: Annotated[
        MemberRef | None,
        Shown.header("facilitated by {}", rank=1, search=True, backlink="Facilitates"),
    ] = Field(default=None, description="Id of the team member who runs the workshop.")
    decider: Annotated[
        MemberRef | None, Shown.header("decided by {}", search=True, backlink="Decides")
    ] = Field(default=None, description="Id of the team member who makes the final call.")
    team: list[TeamMember] = many("The cross-functional team (step 1).")
    audit: list[Asset] = many("Audited assets: data, talent, technology, market (step 2).")
    metrics: list[Metric] = many("Success and guardrail metrics (step 3).")
    persofails: list[Persofail] = many("Persofail scenarios (step 4).")
    priorities: list[Priority] = many("Priorities considered and chosen (step 5).")
    barriers: list[Barrier] = many("Detractors and barriers, each with how to overcome it.")
    roadmap: Roadmap = Field(default_factory=Roadmap, description="The resulting roadmap.")


__all__ = ["Barrier", "DateRange", "TitledRecord", "Workshop"]
