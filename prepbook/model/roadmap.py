"""The roadmap the workshop ends with: phases or dated windows, and the steps in them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictBool

from prepbook.model.base import StrictModel, TitledRecord
from prepbook.model.fields import (
    DATE_FORM,
    AssetRef,
    Date,
    LongText,
    MemberRef,
    PhaseRef,
    PriorityRef,
    StepRef,
    many,
)
from prepbook.model.shown import Shown
from prepbook.model.tracks import TRACK_DESCRIPTION, TrackRef

StepStatus = Literal["planned", "in-progress", "done", "blocked"]


class Phase(TitledRecord):
    """A stage of the roadmap; listed in order. Dates make it a time window."""

    KIND = "phase"
    LABEL = "roadmap phase"

    description: Annotated[LongText | None, Shown.paragraph(search=True)] = Field(
        default=None, description="What the phase is for."
    )
    start: Annotated[Date | None, Shown.paragraph(render="span", search=True, rank=-1)] = Field(
        default=None, description=f"First day of the window ({DATE_FORM})."
    )
    end: Annotated[Date | None, Shown.beside("start")] = Field(
        default=None, description=f"Last day of the window ({DATE_FORM})."
    )


class Step(TitledRecord):
    """A piece of roadmap work."""

    KIND = "step"
    LABEL = "roadmap step"
    EMPTY_NOTE = "no roadmap steps yet"

    description: Annotated[LongText | None, Shown.paragraph()] = Field(
        default=None, description="What the step does."
    )
    phase: Annotated[
        PhaseRef | None,
        Shown.hidden("the steps are listed under their phase", backlink="Steps", listed=True),
    ] = Field(default=None, description="Id of the phase it belongs to.")
    start: Annotated[Date | None, Shown.column("Dates", render="span")] = Field(
        default=None,
        description=f"Planned start ({DATE_FORM}). Left out, the step starts when its phase does.",
    )
    end: Annotated[Date | None, Shown.beside("start")] = Field(
        default=None,
        description=f"Planned end ({DATE_FORM}). Left out, a step with a start lasts that one "
        "day; a step with neither date ends when its phase does.",
    )
    delivers: Annotated[
        list[PriorityRef], Shown.column("Delivers, closes", backlink="Delivered by")
    ] = many("Ids of the priorities this step ships.")
    depends_on: Annotated[list[StepRef], Shown.links("After", backlink="Needed by")] = many(
        "Ids of steps that must finish before this one starts."
    )
    closes_gap: Annotated[
        list[AssetRef],
        Shown.column(
            "Delivers, closes", "*Closes the gap of* {}", line=True, backlink="Gap closed by"
        ),
    ] = many("Ids of partial or missing assets this step makes ready.")
    owner: Annotated[MemberRef | None, Shown.column("Owner, status", rank=1, backlink="Owns")] = (
        Field(default=None, description="Id of the accountable member.")
    )
    milestone: Annotated[StrictBool, Shown.mark("\u25c6 ", search=True)] = Field(
        default=False, description="true for a step that marks a milestone. Only true or false."
    )
    status: Annotated[StepStatus, Shown.column("Owner, status")] = Field(
        default="planned", description="planned, in-progress, done or blocked."
    )
    tracks: list[TrackRef] = many(TRACK_DESCRIPTION)


class Roadmap(StrictModel):
    """Phases in order, and the steps."""

    phases: list[Phase] = many("Phases in order of time.")
    steps: list[Step] = many("Roadmap steps.")

    def phase_of(self, step: Step) -> Phase | None:
        return next((p for p in self.phases if p.id == step.phase), None) if step.phase else None

    def dates_of(self, step: Step) -> tuple[dt.date | None, dt.date | None]:
        """When a step takes place: its own dates, else its phase's window.

        A step with its own start but no end is a one-day step; it does not inherit the end
        of its phase. Every view and rule that places a step in time asks here. The
        descriptions of ``Step.start`` and ``Step.end`` say the same to a reader (the format
        reference and the editors show them); ``tests/test_reference_page.py`` holds them
        to this code.
        """
        phase = self.phase_of(step)
        start = step.start or (phase.start if phase else None)
        end = step.end or (phase.end if phase and not step.start else None) or start
        return start, end
