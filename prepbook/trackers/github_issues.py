"""The reader of ``gh issue list --json number,title,state,stateReason,closedAt,milestone,
labels,assignees,url``.

``gh`` writes a JSON array of issues. An array cannot say when it was taken, so the time
comes from a wrapping object, ``{"taken": "2026-12-01T09:00:00Z", "items": [...]}``, or,
for gh's array as it is, from a sidecar file beside it (:mod:`prepbook.trackers.folder`).

Each issue is keyed by its ``url``, not by the repository the list was asked of: an issue
moved to another repository is listed there under its new address and number, and that is
where it now is. A ``number`` that disagrees with the address is a problem.
"""

from __future__ import annotations

from typing import Any

from prepbook.findings import format_path
from prepbook.trackers.export import Reading, TrackerExport, TrackerItem, closed_day
from prepbook.trackers.json_items import JsonItem, kind_of, repeated_keys, taken_field
from prepbook.trackers.json_text import JsonPath, JsonText
from prepbook.trackers.refs import is_url, ref_of_url

KIND = "gh-issues"
FIELDS = "number,title,state,stateReason,closedAt,milestone,labels,assignees,url"
COMMAND = f"gh issue list --state all --limit 1000 --json {FIELDS}"


def read_issue_list(reading: Reading, doc: JsonText) -> TrackerExport:
    taken = taken_field(reading, doc)
    repeated_keys(reading, doc)
    items: list[TrackerItem] = []
    listed = issues_of(reading, doc)
    if listed is not None:
        path, issues = listed
        for index, data in enumerate(issues):
            item_path = (*path, index)
            if not doc.whole(item_path):
                continue  # cut short by the syntax error, which is reported
            item = _issue(reading, doc, item_path, data)
            if item is not None:
                items.append(item)
    return reading.export(KIND, taken, items)


def issues_of(reading: Reading, doc: JsonText) -> tuple[JsonPath, list[Any]] | None:
    """The list of items and its path: the array itself, or the wrapper's ``items``."""
    value = doc.value
    if isinstance(value, list):
        return (), value
    if isinstance(value, dict):
        items = value.get("items")
        if isinstance(items, list):
            return ("items",), items
        at = doc.start(("items",))
        reading.problem(
            "the object holds no list of items"
            if items is None
            else f"items is {kind_of(items)}, not the list of items",
            at if at is not None else doc.start(()),
            "items",
            expected='gh\'s JSON array, or {"taken": "…", "items": [the array]}',
        )
    return None


def _issue(reading: Reading, doc: JsonText, path: JsonPath, data: Any) -> TrackerItem | None:
    if not isinstance(data, dict):
        reading.problem(
            f"an issue is {kind_of(data)}, not an object",
            doc.start(path),
            format_path(path),
            expected=f"an object with the fields {FIELDS}",
        )
        return None
    item = JsonItem(reading, doc, path, data)
    url = item.text("url")
    ref = ref_of_url(url) if url is not None and is_url(url) else None
    if ref is None or ref.system != "github":
        reading.problem(
            "the issue has no url" if url is None else f"url {url[:80]!r} is no GitHub issue",
            item.offset("url"),
            item.where("url"),
            expected="the issue's address, https://github.com/owner/repository/issues/number",
            hint=f"export with the url field: {COMMAND}",
        )
        return None
    number = item.get("number", int, "a whole number")
    if number is not None and ref.key.rpartition("#")[2] != str(number):
        reading.problem(
            f"number {number} is not the number of the issue's url ({url})",
            item.offset("number"),
            item.where("number"),
            hint="export the list again: gh writes the two alike",
        )
    state = (item.text("state") or "").strip().upper()
    reason = (item.text("stateReason") or "").strip().upper()
    raw = f"{state}/{reason}" if state and reason else state
    status = None
    if not state:
        reading.problem(
            "the issue has no state",
            item.offset("state"),
            item.where("state"),
            expected="OPEN or CLOSED",
            hint=f"export with the state and stateReason fields: {COMMAND}",
        )
    else:
        status = reading.status("github", raw, item.place("state"))
    milestone = item.inner("milestone")
    title = milestone.text("title") if milestone is not None else None
    return TrackerItem(
        ref=ref,
        title=item.text("title"),
        status=status,
        state=raw,
        closed=closed_day(status, item.day("closedAt")),
        url=url,
        assignees=item.names("assignees", "login"),
        file=reading.file,
        span=reading.span_at(doc.start(path) or 0),
        labels=item.names("labels", "name"),
        iterations=(title,) if title else (),
    )
