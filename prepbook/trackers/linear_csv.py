"""The reader of Linear's CSV export (Settings → Import / Export → Export CSV, or a view's
export).

Linear writes one row an issue under a header that begins ``ID,Team,Title,Description,
Status,…``; columns are found by name, as Linear has added some over the years. Read:
``ID`` (the issue's key, required), ``Title``, ``Status`` (required), ``Assignee``,
``Labels`` (one cell, names separated by commas), ``Cycle Name``, and the times Linear
sets when an issue enters a state of a type: ``Started``, ``Completed``, ``Canceled``.

The status is the state's name when the table of states knows it (Linear's default
workflow: Triage, Backlog, Todo, In Progress, In Review, Done, Canceled, Duplicate), else
its type, which the export shows only by those times: a custom state such as "QA" with a
Started time is started work. The closed day is the Completed or Canceled time's. The
export gives no issue's address (the workspace is the team's own), so an item has none.
"""

from __future__ import annotations

import datetime as dt
import re

from prepbook.model.tracks import LINEAR_KEY
from prepbook.trackers.csv_rows import CsvRow, csv_taken, rows
from prepbook.trackers.csv_text import CsvText
from prepbook.trackers.dates import LINEAR_DATE_FORM, linear_day
from prepbook.trackers.export import Reading, TrackerExport, TrackerItem, closed_day
from prepbook.trackers.refs import ItemRef

KIND = "linear-csv"
# The columns that tell Linear's export from others: no other exporter starts this way.
SIGNATURE = ("ID", "Team", "Title", "Status")
_KEY = re.compile(LINEAR_KEY)
# The times that show a state's type, the latest in a life first.
_TYPE_TIMES = (("Canceled", "canceled"), ("Completed", "completed"), ("Started", "started"))


def read_linear_csv(reading: Reading, csv: CsvText) -> TrackerExport:
    taken = csv_taken(reading, csv)
    items = [
        item
        for row in rows(reading, csv, ("ID", "Status"), "a Linear export")
        if (item := _issue(row)) is not None
    ]
    return reading.export(KIND, taken, items)


def _issue(row: CsvRow) -> TrackerItem | None:
    reading = row.reading
    key = row.value("ID")
    if _KEY.fullmatch(key) is None:
        reading.problem(
            f"{key[:40]!r} is not a Linear issue key" if key else "the row has no issue ID",
            row.offset("ID"),
            row.where("ID"),
            expected="a key such as ENG-42: the team key in capitals, a hyphen, a number",
        )
        return None
    days = {name: _day(row, name) for name, _ in _TYPE_TIMES}
    kind = next((kind for name, kind in _TYPE_TIMES if row.value(name)), None)
    state = row.value("Status")
    also = (("type", kind),) if kind else ()
    status = reading.status("linear", state, row.place("Status"), *also)
    assignee = row.value("Assignee")
    return TrackerItem(
        ref=ItemRef("linear", key),
        title=row.value("Title") or None,
        status=status,
        state=state,
        closed=closed_day(status, days["Completed"], days["Canceled"]),
        url=None,
        assignees=(assignee,) if assignee else (),
        file=reading.file,
        span=reading.span_at(row.record.offset),
        labels=row.values("Labels", ","),
        iterations=row.values("Cycle Name"),
    )


def _day(row: CsvRow, name: str) -> dt.date | None:
    text = row.value(name)
    if not text:
        return None
    found = linear_day(text)
    if found is None:
        row.reading.problem(
            f"{name} {text[:60]!r} is not a time",
            row.offset(name),
            row.where(name),
            expected=LINEAR_DATE_FORM,
        )
    return found
