"""The workshop day's agenda: a start time, how long each of the method's five steps takes,
and the breaks. Everything has a default, so a workshop file need not say any of it; the
facilitation kit turns it into clock times."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from prepbook.model.base import StrictModel
from prepbook.model.fields import ShortText

# The method's five steps, in their order (see the method notes): the agenda's exercises.
AgendaStep = Literal["team", "audit", "metrics", "persofails", "priorities"]
STEPS: tuple[AgendaStep, ...] = ("team", "audit", "metrics", "persofails", "priorities")
STEP_TITLES: dict[AgendaStep, str] = {
    "team": "Assemble the team: roles, the facilitator and the decider",
    "audit": "Audit data, talent and technology",
    "metrics": "Define success metrics beyond clicks",
    "persofails": "Brainstorm persofails",
    "priorities": "Prioritise one or two features",
}
ClockTime = Annotated[
    str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", strict=True)
]
Minutes = Annotated[int, Field(ge=5, le=240, strict=True)]
BreakMinutes = Annotated[int, Field(ge=5, le=120, strict=True)]


class StepMinutes(StrictModel):
    """How long each step of the method takes, in minutes. The defaults make a half day:
    the audit is the longest exercise (every asset rated), the team the shortest."""

    team: Minutes = Field(default=20, description="Step 1: assemble the team, in minutes.")
    audit: Minutes = Field(default=60, description="Step 2: audit the assets, in minutes.")
    metrics: Minutes = Field(default=40, description="Step 3: define the metrics, in minutes.")
    persofails: Minutes = Field(
        default=45, description="Step 4: brainstorm persofails, in minutes."
    )
    priorities: Minutes = Field(
        default=45, description="Step 5: prioritise one or two features, in minutes."
    )


class AgendaBreak(StrictModel):
    """A break after one of the steps."""

    after: AgendaStep = Field(description="The step the break follows.")
    minutes: BreakMinutes = Field(default=15, description="How long it lasts, in minutes.")
    title: ShortText = Field(default="Break", description="What the agenda calls it.")


def _default_breaks() -> list[AgendaBreak]:
    return [AgendaBreak(after="audit")]


class Agenda(StrictModel):
    """The workshop day: when it starts, how long each step takes, and the breaks."""

    start: ClockTime = Field(default="09:30", description="When the day starts, as HH:MM.")
    minutes: StepMinutes = Field(
        default_factory=StepMinutes, description="How long each of the five steps takes."
    )
    breaks: list[AgendaBreak] = Field(
        default_factory=_default_breaks,
        max_length=5,
        description="Breaks, each after a step (one of 15 minutes after the audit unless "
        "given; an empty list for none).",
    )
