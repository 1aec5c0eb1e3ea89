"""The reader of a CSV of metric readings: what an analytics tool exports, read offline.

The header names the columns, in any order, without regard to case::

    # taken: 2026-12-28T09:00:00Z
    metric,date,value,source
    northwind-retail/repeat-purchase-rate,2026-12-01,33.5,Looker: retention dashboard

``metric`` names the metric as ``workshop/metric`` (the trackers folder serves the whole
playbook, so the workshop is always named); ``date`` is the day it was measured
(YYYY-MM-DD, or an ISO time, whose day in UTC counts); ``value`` a number in the metric's
unit, written with a point and no thousands separator or unit; ``source`` (optional) where
it was read. Each row becomes a reading as a workshop file writes one (``readings:`` on a
metric), with its place in the export, and is judged by the same rules (PB382 to PB384);
a row that cannot be read is a problem at its line, and the others are still read.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from prepbook.model import Reading as MetricReading
from prepbook.trackers.csv_rows import CsvRow, csv_taken, rows
from prepbook.trackers.csv_text import CsvText
from prepbook.trackers.dates import day_of
from prepbook.trackers.export import ExportedReading, Reading, TrackerExport

KIND = "readings-csv"
COLUMNS = ("metric", "date", "value", "source")
NEEDED = ("metric", "date", "value")
HEADER = "metric,date,value,source"
_ID = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
_METRIC = re.compile(rf"({_ID})/({_ID})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_readings_csv(reading: Reading, csv: CsvText) -> TrackerExport:
    taken = csv_taken(reading, csv)
    found = [
        one
        for row in rows(reading, csv, NEEDED, "a CSV of metric readings")
        if (one := _reading(row)) is not None
    ]
    export = reading.export(KIND, taken, [])
    return TrackerExport(
        export.file, export.kind, export.taken, (), export.problems, readings=tuple(found)
    )


def _reading(row: CsvRow) -> ExportedReading | None:
    reading = row.reading
    named = row.value("metric")
    found = _METRIC.fullmatch(named)
    if found is None:
        bare = re.fullmatch(_ID, named) is not None
        reading.problem(
            f"{named[:60]!r} names no metric" if named else "the row names no metric",
            row.offset("metric"),
            "metric",
            expected="workshop/metric, such as northwind-retail/repeat-purchase-rate",
            hint=f"name the workshop too: WORKSHOP/{named}" if bare else None,
        )
        return None
    date_text, value_text = row.value("date"), row.value("value")
    day = day_of(date_text) if date_text else None
    if day is None:
        reading.problem(
            f"date {date_text[:40]!r} is not a day" if date_text else "the row has no date",
            row.offset("date"),
            "date",
            expected="the day it was measured, YYYY-MM-DD",
        )
        return None
    if not _NUMBER.fullmatch(value_text):
        reading.problem(
            f"value {value_text[:40]!r} is not a number" if value_text else "the row has no value",
            row.offset("value"),
            "value",
            expected="a number with a point for decimals, no unit or thousands separator",
            hint="write 12.5 for 12,5 or 12.5 %; the unit is the metric's",
        )
        return None
    source = row.value("source") or None
    try:
        measured = MetricReading.model_validate(
            {"date": day, "value": float(value_text), "source": source}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        place = str(first["loc"][0]) if first["loc"] else "value"
        reading.problem(
            f"{place}: {first['msg']}",
            row.offset(place if place in COLUMNS else "value"),
            place,
            expected="a reading as a workshop file writes one: a day, a number from -10^15 "
            "to 10^15, a short source",
        )
        return None
    return ExportedReading(
        found.group(1),
        found.group(2),
        measured,
        reading.file,
        reading.span_at(row.record.offset),
    )
