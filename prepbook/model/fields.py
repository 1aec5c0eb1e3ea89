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
from typing import Annotated, Any, get_args, get_origin

from pydantic import Field, GetJsonSchemaHandler, StrictFloat, StrictInt, StringConstraints
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QUALIFIED_REF_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$"
# Text may hold tabs and line breaks, but no other control character, C0 or C1 (U+0080 to
# U+009F): they cannot be shown, C0 ones are not allowed in XML (the SVG pictures), a page
# shows a C1 one as a Windows-1252 character (HTML reads &#150; as a dash), and both can
# rewrite a terminal's screen (U+009B starts an escape sequence as ESC [ does). Nor may it
# hold the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
# U+2069): they make text show in another order than it is stored, so a reviewer of the
# YAML reads one thing and the site shows another ("Trojan Source"); right-to-left text
# shows right without them, and the marks U+200E, U+200F and U+061C stay allowed. U+FFFE
# and U+FFFF are not characters, and XML 1.0 forbids them.
NOT_IN_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
TEXT_PATTERN = rf"^[^{NOT_IN_TEXT}]*$"
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
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


class _JsonBounds:
    """Publishes the bounds of a union of number types (a whole number or a number) as
    JSON Schema's ``minimum`` and ``maximum``: pydantic writes them under its own names
    (``ge``, ``le``), which no JSON Schema validator or editor knows."""

    _KEYWORDS = (
        ("ge", "minimum"),
        ("le", "maximum"),
        ("gt", "exclusiveMinimum"),
        ("lt", "exclusiveMaximum"),
    )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        for ours, theirs in self._KEYWORDS:
            if ours in json_schema:
                json_schema[theirs] = json_schema.pop(ours)
        return json_schema


# The bounds of every date and number, chosen so that every output can show any value the
# format takes (see the Limits section of the format reference, written from these).
#
# Dates: the whole calendar Python and ISO 8601's four-digit years know, but one day: an
# all-day event in the calendar export ends on the day after its last (RFC 5545), and
# 9999-12-31 has none.
MIN_DATE = dt.date(1, 1, 1)
MAX_DATE = dt.date(9999, 12, 30)
DATE_FORM = f"YYYY-MM-DD, from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
# Numbers: at most 10^15 either way. Every whole number up to 2^53 (about 9 x 10^15) is a
# float exactly, so a count survives the arithmetic of a score, JSON read by JavaScript
# and a spreadsheet's cell unchanged; 10^15 is more than any reach a quarter, vote count
# or metric a workshop writes down: the world has some 8 x 10^9 people.
MAX_NUMBER = 10**15
# RICE effort, in person-months: a tenth (about two working days) is finer than the method
# estimates (it rounds to whole months, with halves for what is well under one), and keeps
# a score at most 30 x its reach. Up to 1,000 person-months (80 people for a year).
MIN_EFFORT = 0.1
MAX_EFFORT = 1000

# Dates arrive from YAML as text (the loader never converts them); pydantic parses them here,
# so this is the one place where lax parsing is wanted.
Date = Annotated[
    dt.date,
    Field(
        strict=False,
        ge=MIN_DATE,
        le=MAX_DATE,
        json_schema_extra={
            "formatMinimum": MIN_DATE.isoformat(),
            "formatMaximum": MAX_DATE.isoformat(),
        },
    ),
]
# A count (votes, reach): a whole number from 0 to MAX_NUMBER.
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_NUMBER)]
# A measurement (a metric's baseline and target): a whole number or a number, either sign.
Number = Annotated[StrictInt | StrictFloat, Field(ge=-MAX_NUMBER, le=MAX_NUMBER), _JsonBounds()]
Effort = Annotated[StrictInt | StrictFloat, Field(ge=MIN_EFFORT, le=MAX_EFFORT), _JsonBounds()]

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


def number_bounds(annotation: Any) -> tuple[float | None, float | None, bool]:
    """The least and the greatest value a number field takes (None where it has no bound),
    and whether it takes whole numbers only, read off its annotation: the messages about a
    number out of range say the whole range, from the same constraints that refuse it."""
    low: float | None = None
    high: float | None = None
    kinds: set[type] = set()

    def visit(node: Any) -> None:
        nonlocal low, high
        if get_origin(node) is Annotated:
            for meta in node.__metadata__:
                # pydantic keeps each bound as an annotated-types constraint: Ge(ge=0)...
                for item in meta.metadata if isinstance(meta, FieldInfo) else [meta]:
                    bounds = {k: getattr(item, k, None) for k in ("ge", "gt", "le", "lt")}
                    low = next((v for k in ("ge", "gt") if (v := bounds[k]) is not None), low)
                    high = next((v for k in ("le", "lt") if (v := bounds[k]) is not None), high)
            visit(get_args(node)[0])
        elif node in (int, float):
            kinds.add(node)
        else:
            for arg in get_args(node):
                visit(arg)

    visit(annotation)
    return low, high, kinds == {int}


def bound_text(value: float) -> str:
    """A bound as a reader writes it: 1,000, 0.1, 1,000,000,000,000,000 (10^15)."""
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    whole = int(value)
    shown = f"{whole:,}"
    power = len(str(abs(whole))) - 1
    if abs(whole) >= 10**6 and abs(whole) == 10**power:
        shown += f" ({'-' if whole < 0 else ''}10^{power})"
    return shown


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
