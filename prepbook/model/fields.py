"""Reusable field types for the workshop format.

Every constraint lives on a type here so that validation, the JSON Schema and the format
reference all read it from the same place. References carry a :class:`RefTarget` marker so
the reference checker and the site's cross-link graph can find them without a second list of
"which field points where".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QUALIFIED_REF_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$"
# Text may hold tabs and line breaks, but no other control character: they cannot be shown,
# are not allowed in XML (the SVG pictures), and can rewrite a terminal's screen.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
MAX_SLUG = 64
MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 5000
MAX_ITEMS = 500


@dataclass(frozen=True, slots=True)
class RefTarget:
    """Marks a string field as a reference to a record of ``kind``.

    ``qualified`` says whether the reference may name another workshop
    (``workshop-id/record-id``); owners and phases must live in the same workshop.
    """

    kind: str
    qualified: bool = True

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["x-prepbook-reference"] = self.kind
        return json_schema


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=MAX_SLUG),
    Field(examples=["customer-data-platform"]),
]
ShortText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_SHORT_TEXT, pattern=TEXT_PATTERN
    ),
]
LongText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT, pattern=TEXT_PATTERN
    ),
]
# Dates arrive from YAML as text (the loader never converts them); pydantic parses them here,
# so this is the one place where lax parsing is wanted.
Date = Annotated[dt.date, Field(strict=False)]

# Month names in English whatever the machine's locale, so every build and every message
# reads the same.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def ref(kind: str, *, qualified: bool = True) -> Any:
    """The annotated string type of a reference to a record of ``kind``."""
    pattern = QUALIFIED_REF_PATTERN if qualified else SLUG_PATTERN
    return Annotated[
        str,
        StringConstraints(pattern=pattern, max_length=2 * MAX_SLUG + 1),
        RefTarget(kind, qualified),
    ]


MemberRef = ref("member", qualified=False)
PhaseRef = ref("phase", qualified=False)
AssetRef = ref("asset")
MetricRef = ref("metric")
PriorityRef = ref("priority")
StepRef = ref("step")


def many(description: str) -> Any:
    """A list field that may be left out; bounded so no file can hold an unbounded list."""
    return Field(default_factory=list, max_length=MAX_ITEMS, description=description)


def slugify(text: str) -> str:
    """A valid id made from ``text``, for the hint of an invalid one."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_SLUG] or "my-id"
