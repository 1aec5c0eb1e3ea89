"""The reader of a plain CSV export: for any tracker prepbook has no reader of.

The header names the columns, in any order, without regard to case::

    # taken: 2026-12-01T09:00:00Z
    item,title,status,closed,url,assignees
    github:acme/web#12,Consent banner,done,2026-11-20,,rob-ellis
    https://tracker.example.com/T-7,Vendor contract,doing,,,maya-chen;tom-gallagher

``item`` (required) names the item as ``tracks:`` does (``github:org/repo#12``,
``jira:PROJ-123``, ``linear:ENG-42`` or its address); ``status`` (required) is todo, doing,
done or dropped, or a name the mapping of states or the ``tracker_states`` option knows;
``closed`` the day it closed (YYYY-MM-DD, or an ISO time); ``url`` its address, if
``item`` is not one; ``assignees`` and ``labels`` names separated by ``;`` (or the column
repeated). A column not listed here is left alone, but a name that is nearly one of them
(``stauts``) is reported: its values would be lost without a word.
"""

from __future__ import annotations

from prepbook.findings import closest
from prepbook.trackers.csv_rows import CsvRow, csv_taken, rows
from prepbook.trackers.csv_text import CsvText
from prepbook.trackers.dates import INSTANT_FORM, day_of
from prepbook.trackers.export import Reading, TrackerExport, TrackerItem, closed_day
from prepbook.trackers.refs import is_url, parse_ref
from prepbook.trackers.states import STATUSES

KIND = "csv"
COLUMNS = ("item", "title", "status", "closed", "url", "assignees", "labels")
HEADER = "item,title,status,closed,url,assignees"
_FORMS = "github:org/repo#12, jira:PROJ-123, linear:ENG-42 or the item's address"


def read_plain_csv(reading: Reading, csv: CsvText) -> TrackerExport:
    taken = csv_taken(reading, csv)
    if csv.header is not None:
        for column, name in enumerate(csv.header.names):
            near = closest(name.casefold(), list(COLUMNS))
            if name.casefold() not in COLUMNS and near is not None:
                reading.problem(
                    f"the column {name!r} is not one prepbook reads",
                    csv.header.record.offset_of(column),
                    "header",
                    expected="the columns " + ", ".join(COLUMNS),
                    hint=f"did you mean {near!r}?",
                )
    items = [
        item
        for row in rows(reading, csv, ("item", "status"), "a plain CSV export")
        if (item := _item(row)) is not None
    ]
    return reading.export(KIND, taken, items)


def _item(row: CsvRow) -> TrackerItem | None:
    reading = row.reading
    named = row.value("item")
    ref = parse_ref(named) if named else None
    if ref is None:
        reading.problem(
            f"{named[:60]!r} names no item" if named else "the row names no item",
            row.offset("item"),
            row.where("item"),
            expected=_FORMS,
        )
        return None
    state = row.value("status")
    status = None
    if state:
        status = reading.status("csv", state, row.place("status"))
    else:
        reading.problem(
            "the row has no status",
            row.offset("status"),
            row.where("status"),
            expected=", ".join(STATUSES),
        )
    url = row.value("url") or None
    if url is not None and not is_url(url):
        reading.problem(
            f"url {url[:60]!r} is not an address a page can link to",
            row.offset("url"),
            row.where("url"),
            expected="an http or https address, without spaces or quotes",
        )
        url = None
    closed_text = row.value("closed")
    closed = day_of(closed_text) if closed_text else None
    if closed_text and closed is None:
        reading.problem(
            f"closed {closed_text[:40]!r} is not a day",
            row.offset("closed"),
            row.where("closed"),
            expected=INSTANT_FORM,
        )
    return TrackerItem(
        ref=ref,
        title=row.value("title") or None,
        status=status,
        state=state,
        closed=closed_day(status, closed),
        url=url or ref.url,
        assignees=row.values("assignees", ";"),
        file=reading.file,
        span=reading.span_at(row.record.offset),
        labels=row.values("labels", ";"),
    )
