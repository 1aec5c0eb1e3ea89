"""Every field of a record as a flat list of facts, read off the model.

The views that must miss nothing (the diff, the git view, the history on the site) compare
and print facts, never fields picked by hand: a field added to a model is a new fact, and
shows up in all of them without touching any. Nested models are flattened with dotted names
(``recipe.trigger``, ``inherent.likelihood``, ``score.reach``), computed fields are facts too
(``inherent.score``, ``inherent.level``), lists of plain values are sets (their order carries
no meaning in the format, so they are sorted), and lists of records are left out: each of
those records has facts of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from prepbook.model.kinds import record_list_item, reference_fields

Scalar = str | int | float | bool | dt.date | None
Value = Scalar | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One field of a record: its dotted name and its value, ready to compare and print."""

    name: str
    value: Value

    def text(self) -> str:
        """The value as one line: lists joined, text with its line breaks shown as ``\\n``
        (and a carriage return as ``\\r``)."""
        return value_text(self.value)


def value_text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    # a carriage return too: printed as it is, it sends a terminal back to the start of the
    # line, and what follows it hides what came before (git prints textconv lines raw)
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _item_text(item: Any) -> str:
    """An entry of a list of plain values or small models, as text that sorts stably. An
    optional key left out is left out here too: a silence without ``covers`` covers all,
    which "covers=—" would misstate."""
    if isinstance(item, BaseModel):
        return "; ".join(f"{f.name}={f.text()}" for f in facts(item) if f.value is not None)
    return value_text(item)


def _canonical(value: Any, home: str | None) -> Any:
    """A reference as its workshop's own records write it: ``home/id`` is ``id``."""
    if home is not None and isinstance(value, str):
        workshop, _, record = value.rpartition("/")
        return record if workshop == home else value
    return value


def _facts(node: BaseModel, prefix: str, home: str | None) -> Iterator[Fact]:
    model = type(node)
    records = {n for n, f in model.model_fields.items() if record_list_item(f.annotation)}
    references = {name for name, _ in reference_fields(model)}
    for name in [*model.model_fields, *model.model_computed_fields]:
        if name in records:
            continue  # records of their own (the team, a persofail's mitigations)
        value = getattr(node, name)
        dotted = f"{prefix}{name}"
        if name in references:
            value = (
                [_canonical(v, home) for v in value]
                if isinstance(value, list)
                else _canonical(value, home)
            )
        if isinstance(value, BaseModel):
            yield from _facts(value, f"{dotted}.", home)
        elif isinstance(value, list):
            yield Fact(dotted, tuple(sorted(_item_text(item) for item in value)))
        else:
            yield Fact(dotted, value)


def facts(node: BaseModel, home: str | None = None) -> list[Fact]:
    """Every fact of ``node`` (a record, or the workshop itself), in field order.

    For the workshop, the lists of records and the roadmap's lists are left out: they are
    records with facts of their own. With ``home``, the workshop the record belongs to, a
    reference written ``home/id`` reads ``id``, as it means the same record.
    """
    return list(_facts(node, "", home))
