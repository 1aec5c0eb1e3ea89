"""What a value that looks almost right was probably meant to be.

pydantic says a value is not a date, not a number or not an id. For the values people
write most often that is true but unhelpful: ``2027-02-30`` is written as a date should
be, ``14%`` holds a number and a unit, ``northwind-retail/aisha-khan`` names a real member
of a workshop. These functions read such a value (and, where it matters, the record it
stands in) and say what is wrong with it and what to write instead. Each returns
``(message, expected, hint)``, or None when the value is not one they recognise.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from typing import Any

from prepbook.findings import closest
from prepbook.model.fields import BIDI_CONTROLS, MAX_DATE, MIN_DATE, MONTHS, NOT_IN_TEXT

Problem = tuple[str, str | None, str | None]

_ISO_LIKE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")
_LONG_YEAR = re.compile(r"\s*\d{5,}-\d{1,2}-\d{1,2}\s*")
_DAY_FIRST = re.compile(r"\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*")
DATE_EXPECTED = "a date written YYYY-MM-DD"
DATE_RANGE = f"a date from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
_NOT_IN_TEXT = re.compile(f"[{NOT_IN_TEXT}]")

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A unit holds no digit and starts with no sign or separator: "%", "NPS points", "EUR".
_UNIT = r"[^\d\s.,+-][^\d]*?"
_NUMBER_AND_UNIT = re.compile(rf"\s*({_NUMBER})\s*((?:{_UNIT})?)\s*")
_UNIT_FIRST = re.compile(rf"\s*({_UNIT})\s*({_NUMBER})\s*")
_DECIMAL_COMMA = re.compile(r"\s*([-+]?\d+),(\d{1,2})\s*")


def _exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def date_problem(value: Any) -> Problem | None:
    """An impossible day, a month past 12, a date written day first or without zeros."""
    if not isinstance(value, str):
        return None
    written = value.strip()
    if _LONG_YEAR.fullmatch(value):
        return (
            f"the date '{written}' is after {MAX_DATE.isoformat()}, the last one a workshop "
            "can name",
            DATE_RANGE,
            "a year has four digits",
        )
    iso = _ISO_LIKE.fullmatch(value)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
        if year == 0:
            return date_range_problem(value, early=True)
        if not 1 <= month <= 12:
            swapped = _exists(year, day, month)
            return (
                f"the date '{written}' does not exist: there is no month {month}",
                DATE_EXPECTED,
                f"did you mean {year:04}-{day:02}-{month:02}? The month comes before the day"
                if swapped
                else "months run from 01 to 12: write the year, then the month, then the day",
            )
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return (
                f"the date '{written}' does not exist",
                DATE_EXPECTED,
                f"{MONTHS[month - 1]} {year:04} has {last} days; "
                f"did you mean {year:04}-{month:02}-{last:02}?"
                if day > last
                else f"days start at 01: did you mean {year:04}-{month:02}-01?",
            )
        return (
            f"the date '{written}' is not written YYYY-MM-DD",
            DATE_EXPECTED,
            f"write the month and the day with two digits: {year:04}-{month:02}-{day:02}",
        )
    other = _DAY_FIRST.fullmatch(value)
    if other is not None:
        first, second, year = (int(part) for part in other.groups())
        day_first, month_first = _exists(year, second, first), _exists(year, first, second)
        if day_first and month_first and first != second:
            # 06/07/2027 is 6 July in most of the world and June 7 in the United States:
            # no guess is safe, so both readings are named and the writer picks one
            return (
                f"the date '{written}' is {first} {MONTHS[second - 1]} or "
                f"{MONTHS[first - 1]} {second}, {year:04}? It is not written YYYY-MM-DD",
                DATE_EXPECTED,
                f"write {year:04}-{second:02}-{first:02} ({first} {MONTHS[second - 1]}) or "
                f"{year:04}-{first:02}-{second:02} ({MONTHS[first - 1]} {second})",
            )
        day, month = (first, second) if day_first else (second, first)
        if _exists(year, month, day):
            return (
                f"the date '{written}' is not written YYYY-MM-DD",
                DATE_EXPECTED,
                f"write the year first, then the month and the day: {year:04}-{month:02}-{day:02}",
            )
    return None


def date_range_problem(value: Any, *, early: bool) -> Problem:
    """A date that no workshop may name: one of the year 0 (``early``), which the calendar
    does not have, or 9999-12-31, after the last day every output can show."""
    written = str(value).strip()
    if early:
        return (
            f"the date '{written}' does not exist: there is no year 0",
            DATE_RANGE,
            f"the calendar starts at {MIN_DATE.isoformat()}, the year after 1 BC",
        )
    return (
        f"the date '{written}' is after {MAX_DATE.isoformat()}, the last one a workshop can name",
        DATE_RANGE,
        "the calendar export ends an event on the day after its last, and no date follows "
        "9999-12-31",
    )


def text_problem(value: Any) -> Problem | None:
    """The first character text may not hold, said by its code point, and why."""
    found = _NOT_IN_TEXT.search(value) if isinstance(value, str) else None
    if found is None:
        return None
    char, where = found.group(), f"at character {found.start() + 1:,}"
    code = f"U+{ord(char):04X}"
    if char in BIDI_CONTROLS:
        return (
            f"the text holds a bidirectional control character, {code} "
            f"{unicodedata.name(char)}, {where}",
            "text without bidirectional embeddings, overrides or isolates",
            "remove it: it shows the text in another order than it is written, so a review "
            "of the file reads it differently from the site; right-to-left text shows right "
            "without it",
        )
    if char in "\ufffe\uffff":
        return (
            f"the text holds {code}, which is not a character, {where}",
            "text of Unicode characters",
            "remove it: nothing can show it, and the site's pictures (XML) may not hold it",
        )
    return (
        f"the text holds a control character, {code}, {where}",
        "text without control characters",
        "remove the invisible character (tabs and line breaks are fine)",
    )


def _plain(number: str) -> str:
    return number.replace(",", "")


def number_problem(
    value: Any, field: str, unit_field: tuple[str, Any, int | None] | None
) -> Problem | None:
    """A number written with a unit, a thousands separator or a decimal comma.

    ``unit_field`` is the record's label, its ``unit`` value and that value's line, when
    the record has a unit field: the unit is moved there, or found there already.
    """
    if not isinstance(value, str):
        return None
    comma = _DECIMAL_COMMA.fullmatch(value)
    if comma is not None and len(comma.group(2)) != 3:
        number = f"{comma.group(1)}.{comma.group(2)}"
        return (
            f"the text '{value.strip()}' is not a number",
            "a number",
            f"write {field}: {number}; a number takes a decimal point, not a comma",
        )
    match = _NUMBER_AND_UNIT.fullmatch(value)
    if match is not None:
        number, unit = _plain(match.group(1)), match.group(2)
    else:
        first = _UNIT_FIRST.fullmatch(value)
        if first is None:
            return None
        unit, number = first.group(1), _plain(first.group(2))
    if not unit:
        if number == value.strip():
            return None  # a quoted number: the caller says so
        return (
            f"the text '{value.strip()}' is not a number",
            "a number",
            f"write {field}: {number}, without the thousands separators",
        )
    message = f"'{value.strip()}' is a number with a unit; {field} takes the number alone"
    if unit_field is None:
        return message, "a number", f"write {field}: {number}, without '{unit}'"
    label, current, line = unit_field
    at = f" (line {line})" if line is not None else ""
    if current is None:
        hint = f'write {field}: {number}, and the unit in the {label}\'s unit field: unit: "{unit}"'
    elif str(current).strip().casefold() == unit.casefold():
        hint = f'the {label}\'s unit is already "{current}"{at}: write {field}: {number}'
    else:
        hint = (
            f'write {field}: {number}; the {label}\'s unit is "{current}"{at}: '
            f"if the number is in {unit}, change the unit there"
        )
    return message, "a number", hint


def local_reference_problem(
    value: str,
    field: str,
    label: str,
    where: str,
    home: str | None,
    records: dict[str, tuple[int | None, str | None]],
) -> Problem | None:
    """A reference that may only name a record of its own workshop, written with one.

    ``field`` is the key it stands at; ``home`` this workshop's id; ``records`` the ids of
    such records in this workshop, each with its line and its name. The message says what
    the field names (a record of this workshop only, by its id alone), the hint which
    record of this workshop it probably means.
    """
    workshop, slash, local = value.rpartition("/")
    if not slash or not workshop or not local:
        return None
    expected = f"the id of a {label} of this workshop (listed under {where})"
    if workshop == home:
        message = (
            f"'{value}' names this workshop, '{workshop}', before the '/': {field} takes "
            f"the id of one of its {label}s alone"
        )
    else:
        message = (
            f"'{value}' names the workshop '{workshop}', but {field} names a {label} of this "
            "same workshop only"
        )

    def meant(record_id: str, how: str) -> str:
        line, name = records[record_id]
        called = f" {name}" if name and name != record_id else ""
        at = f" (line {line})" if line is not None else ""
        return (
            f"{how} '{record_id}', this workshop's {label}{called}{at}: write {field}: {record_id}"
        )

    if local in records:
        return message, expected, meant(local, "it means")
    near = closest(local, list(records))
    if near is not None:
        return message, expected, meant(near, "it probably means")
    return (
        message,
        expected,
        f"add '{local}' under {where} in this workshop, or name one of its {label}s: "
        f"a {label} of another workshop cannot be named here",
    )
