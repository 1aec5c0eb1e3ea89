"""The cross-functional team (step 1 of the workshop)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from prepbook.model.base import Record
from prepbook.model.fields import LongText, ShortText
from prepbook.model.shown import Shown

Function = Literal[
    "product",
    "engineering",
    "data",
    "marketing",
    "customer-support",
    "design",
    "legal",
    "leadership",
    "other",
]
EXPECTED_FUNCTIONS: tuple[Function, ...] = (
    "product",
    "engineering",
    "data",
    "marketing",
    "customer-support",
)


class TeamMember(Record):
    """A person or a role at the workshop. A role ("Head of CRM") is fine where names are not."""

    KIND = "member"
    LABEL = "team member"
    EMPTY_NOTE = "no team members yet (step 1: assemble a cross-functional team)"

    name: Annotated[ShortText, Shown.title()] = Field(
        description="Name of the person, or of the role if unnamed."
    )
    role: Annotated[ShortText | None, Shown.column("Role", search=True)] = Field(
        default=None, description="Job title or role in the company."
    )
    function: Annotated[Function, Shown.column("Function", search=True)] = Field(
        description="Business function this member represents. The method expects product, "
        "engineering, data, marketing and customer-support to be covered."
    )
    notes: Annotated[LongText | None, Shown.note("", search=True)] = Field(
        default=None, description="Free-form notes, shown as text."
    )

    @property
    def display_name(self) -> str:
        return self.name
