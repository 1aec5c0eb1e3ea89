"""CSV files for spreadsheets: one a kind of record (priorities, roadmap steps, persofails,
audited assets), one row a record across every workshop, the workshop's id first.

The columns are read off the record's model, flattened as :mod:`prepbook.model.facts`
flattens a record (``recipe.trigger``, ``inherent.score``), and the cells are its facts:
a field added to a model is a new column without touching this module.

Files are UTF-8 with a byte order mark (so a spreadsheet opened with a double click reads
accents right), quoted as RFC 4180 says by the ``csv`` module, with CRLF line ends. A text
cell that a spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading ``'``; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from prepbook.export import TABLE_KINDS, table_file
from prepbook.export.context import ExportContext
from prepbook.model.base import Record
from prepbook.model.facts import Fact, facts
from prepbook.model.kinds import KINDS, RecordKind, models_in, record_list_item, records_in

# Columns a kind's file has beyond its model's fields: values derived on the build date,
# like a priority's computed score, but from the whole playbook rather than the record.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "priority": ("delivery.status", "delivery.reason", "delivery.ship_date"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
BOM = "\ufeff"


def _columns(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """The dotted names of the facts a record of ``model`` can have, in field order: a
    field holding models (one of several, for a union) is the union of their columns."""
    for name in [*model.model_fields, *model.model_computed_fields]:
        field = model.model_fields.get(name)
        if field is not None and record_list_item(field.annotation) is not None:
            continue  # records of their own, with a file or rows of their own
        annotation = (
            field.annotation if field is not None else model.model_computed_fields[name].return_type
        )
        inner = [] if _is_list(annotation) else models_in(annotation)
        if not inner:
            yield f"{prefix}{name}"
            continue
        seen: dict[str, None] = {}
        for nested in inner:
            seen.update(dict.fromkeys(_columns(nested, f"{prefix}{name}.")))
        yield from seen


def _is_list(annotation: Any) -> bool:
    """Whether a field holds a list (of plain values or of small models): one cell."""
    if get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in get_args(annotation))


def columns(kind: RecordKind) -> list[str]:
    """The header of a kind's file: ``workshop``, then the record's fields."""
    return ["workshop", *dict.fromkeys(_columns(kind.model)), *DERIVED_COLUMNS.get(kind.name, ())]


def cell(fact: Fact | None) -> str | int | float:
    """A fact as a cell: lists joined, text made safe from formula injection; a fact the
    record does not have (a part of an optional value left out) is an empty cell."""
    value = fact.value if fact is not None else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
    return defused(text)


def defused(text: str) -> str:
    """Text a spreadsheet shows as written, never evaluates: a leading ``'`` before a
    character that would start a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def table(context: ExportContext, kind: RecordKind) -> str:
    """A kind's CSV file: every record of every workshop, by workshop id then file order."""
    header = columns(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for ws_id in context.workshop_ids():
        model = context.playbook.workshops[ws_id].model
        for record in records_in(model, kind):
            values = {fact.name: fact for fact in facts(record, home=ws_id)}
            values.update(_derived(context, kind, ws_id, record))
            writer.writerow([defused(ws_id), *(cell(values.get(name)) for name in header[1:])])
    return BOM + out.getvalue()


def _derived(
    context: ExportContext, kind: RecordKind, workshop_id: str, record: Record
) -> dict[str, Fact]:
    """The derived cells of a record's row (see DERIVED_COLUMNS); empty for a priority
    that is not committed, which has no delivery status."""
    if kind.name != "priority":
        return {}
    found = context.deliveries.get((workshop_id, record.id))
    if found is None or found.priority.record is not record:
        return {}
    cells = {
        "delivery.status": found.status,
        "delivery.reason": found.text(),
        "delivery.ship_date": found.ship_date,
    }
    return {name: Fact(name, value) for name, value in cells.items()}


def tables(context: ExportContext) -> dict[str, str]:
    """Every CSV file, by its path relative to the generated folder."""
    return {table_file(KINDS[name].where): table(context, KINDS[name]) for name in TABLE_KINDS}
