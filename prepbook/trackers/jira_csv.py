"""The reader of a Jira CSV export (Filters → Export → CSV, all fields or the current ones).

Columns are found by their names in the header, by position, so a name Jira repeats (a
``Sprint`` column for each sprint an issue was in, a ``Labels`` column for each label)
keeps every value. Read: ``Issue key`` (required), ``Summary``, ``Status`` (required),
``Status Category`` where the export has it, ``Resolved``, ``Assignee``, ``Labels`` and
``Sprint``. Jira gives no issue's address (the host is the team's own), so an item has
none; a ``tracks:`` entry written as the issue's address still finds it by its key.
"""

from __future__ import annotations

import re

from prepbook.model.tracks import JIRA_KEY
from prepbook.trackers.csv_rows import CsvRow, csv_taken, rows
from prepbook.trackers.csv_text import CsvText
from prepbook.trackers.dates import JIRA_DATE_FORM, jira_day
from prepbook.trackers.export import Reading, TrackerExport, TrackerItem, closed_day
from prepbook.trackers.refs import ItemRef

KIND = "jira-csv"
KEY_COLUMN = "Issue key"
_KEY = re.compile(JIRA_KEY)


def read_jira_csv(reading: Reading, csv: CsvText) -> TrackerExport:
    taken = csv_taken(reading, csv)
    items = [
        item
        for row in rows(reading, csv, (KEY_COLUMN, "Status"), "a Jira export")
        if (item := _issue(row)) is not None
    ]
    return reading.export(KIND, taken, items)


def _issue(row: CsvRow) -> TrackerItem | None:
    reading = row.reading
    key = row.value(KEY_COLUMN)
    if _KEY.fullmatch(key) is None:
        reading.problem(
            f"{key[:40]!r} is not a Jira issue key" if key else "the row has no issue key",
            row.offset(KEY_COLUMN),
            row.where(KEY_COLUMN),
            expected="a key such as PROJ-123: the project key in capitals, a hyphen, a number",
        )
        return None
    state = row.value("Status")
    category = row.value("Status Category")
    status = None
    if state or category:
        also = (("status category", category),) if category else ()
        status = reading.status("jira", state, row.place("Status"), *also)
    else:
        reading.problem(
            "the row has no status",
            row.offset("Status"),
            row.where("Status"),
            expected="the issue's status, such as To Do, In Progress or Done",
        )
    resolved = row.value("Resolved")
    closed = jira_day(resolved) if resolved else None
    if resolved and closed is None:
        reading.problem(
            f"Resolved {resolved[:40]!r} is not a date",
            row.offset("Resolved"),
            row.where("Resolved"),
            expected=JIRA_DATE_FORM,
            hint="export with Jira's default date format, or with dates as YYYY-MM-DD",
        )
    assignee = row.value("Assignee")
    return TrackerItem(
        ref=ItemRef("jira", key),
        title=row.value("Summary") or None,
        status=status,
        state=state,
        closed=closed_day(status, closed),
        url=None,
        assignees=(assignee,) if assignee else (),
        file=reading.file,
        span=reading.span_at(row.record.offset),
        labels=row.values("Labels"),
        iterations=row.values("Sprint"),
    )
