"""The fields of one item of a JSON export, each read with its place for a problem.

``gh`` writes every field it was asked for, with ``null`` for none; a field of the wrong
kind (text where a list belongs) is a problem at the field, and the item is read without
it, so one odd field never costs the rest of the item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from prepbook.findings import format_path
from prepbook.trackers.dates import INSTANT_FORM, TAKEN_EXAMPLE, day_of, parse_instant
from prepbook.trackers.export import Place, Reading
from prepbook.trackers.json_text import JsonPath, JsonText


def kind_of(value: Any) -> str:
    """A JSON value's kind, as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


@dataclass
class JsonItem:
    """One object of a JSON export, at ``path``."""

    reading: Reading
    doc: JsonText
    path: JsonPath
    data: dict[str, Any]

    def where(self, *keys: str | int) -> str:
        return format_path((*self.path, *keys))

    def offset(self, *keys: str | int) -> int | None:
        """Where the value at ``keys`` starts, or the item itself where it is not there."""
        found = self.doc.start((*self.path, *keys))
        return found if found is not None else self.doc.start(self.path)

    def place(self, *keys: str | int) -> Place:
        """Where a problem with the value at ``keys`` stands."""
        return lambda: (self.offset(*keys), self.where(*keys))

    def get(self, key: str, kind: type | tuple[type, ...], what: str) -> Any:
        """The value of ``key`` if it is of ``kind``; None if it is missing or null, and
        also, with a problem, if it is of another kind."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
            return value
        self.reading.problem(
            f"{key} is {kind_of(value)}, not {what}",
            self.offset(key),
            self.where(key),
            expected=what,
        )
        return None

    def text(self, key: str) -> str | None:
        value = self.get(key, str, "text")
        if value is None:
            return None
        return self.reading.text_of(value, self.place(key))

    def inner(self, key: str) -> JsonItem | None:
        """The object at ``key``, as an item of its own."""
        value = self.get(key, dict, "an object")
        return JsonItem(self.reading, self.doc, (*self.path, key), value) if value else None

    def names(self, key: str, field: str | None) -> tuple[str, ...]:
        """The texts of a list at ``key``: its strings (``field`` None) or the ``field``
        of each of its objects (``login`` of an assignee, ``name`` of a label)."""
        values = self.get(key, list, "a list")
        out: list[str] = []
        for index, entry in enumerate(values or ()):
            value = entry.get(field) if field is not None and isinstance(entry, dict) else entry
            if isinstance(value, str) and value.strip():
                out.append(self.reading.text_of(value, self.place(key, index)))
                continue
            wanted = f"an object with its {field}" if field else "text"
            self.reading.problem(
                f"{key}[{index}] is {kind_of(entry)}, not {wanted}",
                self.offset(key, index),
                self.where(key, index),
                expected=wanted,
            )
        return tuple(out)

    def day(self, key: str) -> dt.date | None:
        """The day of the time at ``key`` (``closedAt``), None if none or unreadable."""
        value = self.get(key, str, "a time")
        if value is None or not value.strip():
            return None
        found = day_of(value)
        if found is None:
            self.reading.problem(
                f"{key} {value[:60]!r} is not a time",
                self.offset(key),
                self.where(key),
                expected=INSTANT_FORM,
            )
        return found


def taken_field(reading: Reading, doc: JsonText) -> dt.datetime | None:
    """The ``taken`` of an export's wrapping object: when the export was taken."""
    if not isinstance(doc.value, dict) or doc.value.get("taken") is None:
        return None
    item = JsonItem(reading, doc, (), doc.value)
    value = item.get("taken", str, "a time")
    found = parse_instant(value) if value is not None else None
    if value is not None and found is None:
        reading.problem(
            f"taken {value[:60]!r} is not a time with its time zone",
            item.offset("taken"),
            "taken",
            expected=INSTANT_FORM,
            hint=f"write the time as UTC, such as {TAKEN_EXAMPLE}",
        )
    return found


def repeated_keys(reading: Reading, doc: JsonText) -> None:
    """A problem for each key an object names twice (the first is read)."""
    for path, offset in doc.repeated:
        reading.problem(
            f"the key {path[-1]!r} is given twice in one object; the first is read",
            offset,
            format_path(path),
            hint="remove one of them",
        )
