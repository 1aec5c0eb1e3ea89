"""The reader of ``gh project item-list NUMBER --owner OWNER --format json``.

``gh`` writes ``{"items": [...], "totalCount": N}``. Each item has its ``content`` (``type``
Issue, PullRequest or DraftIssue; for the first two its ``number``, ``repository`` as
``owner/name`` and ``url``) and one key for each of the project's fields that has a value,
named after the field with its first letter in lower case: ``status`` for Status, ``title``,
``assignees`` (logins), ``labels`` (names), ``milestone`` and iterations as objects.

An item's state is its Status field (``No Status`` when it has none); the project does not
say when its items closed. A draft issue has no number, so no ``tracks:`` can name it: it
is left out. The time the export was taken is a ``taken`` key added to the object, or a
sidecar file. An export that holds fewer items than ``totalCount`` was cut at gh's limit
(30 unless ``--limit`` says more), which is a problem: the missing items would read as
items the tracker does not know.
"""

from __future__ import annotations

from typing import Any

from prepbook.trackers.export import Reading, TrackerExport, TrackerItem
from prepbook.trackers.json_items import JsonItem, kind_of, repeated_keys, taken_field
from prepbook.trackers.json_text import JsonPath, JsonText
from prepbook.trackers.refs import ItemRef, github_ref, is_url, ref_of_url

KIND = "gh-project"
NO_STATUS = "No Status"
COMMAND = "gh project item-list NUMBER --owner OWNER --limit 1000 --format json"
_REPOSITORY = "owner/name"


def read_project_items(reading: Reading, doc: JsonText) -> TrackerExport:
    taken = taken_field(reading, doc)
    repeated_keys(reading, doc)
    value = doc.value
    items: list[TrackerItem] = []
    listed = value.get("items") if isinstance(value, dict) else None
    if not isinstance(listed, list):
        reading.problem(
            "the export holds no list of items",
            doc.start(("items",)) or 0,
            "items",
            expected='gh\'s object, {"items": [...], "totalCount": N}',
        )
        return reading.export(KIND, taken, items)
    for index, data in enumerate(listed):
        path: JsonPath = ("items", index)
        if doc.whole(path):
            item = _item(reading, doc, path, data)
            if item is not None:
                items.append(item)
    total = value.get("totalCount") if isinstance(value, dict) else None
    if doc.error is None and isinstance(total, int) and total > len(listed):
        reading.problem(
            f"the export holds {len(listed)} of the project's {total} items",
            doc.start(("totalCount",)),
            "totalCount",
            expected="every item of the project",
            hint=f"gh lists 30 items unless told more: {COMMAND}",
        )
    return reading.export(KIND, taken, items)


def _item(reading: Reading, doc: JsonText, path: JsonPath, data: Any) -> TrackerItem | None:
    if not isinstance(data, dict):
        reading.problem(
            f"an item is {kind_of(data)}, not an object",
            doc.start(path),
            f"items[{path[-1]}]",
            expected="an object with its content and fields",
        )
        return None
    item = JsonItem(reading, doc, path, data)
    content = item.inner("content")
    kind = content.text("type") if content is not None else None
    if kind == "DraftIssue":
        return None  # no number: nothing can name it
    ref = _ref(reading, item, content)
    if ref is None:
        return None
    state = item.text("status")
    shown = state.strip() if state and state.strip() else NO_STATUS
    status = reading.status("github-project", shown, item.place("status"))
    title = item.text("title") or (content.text("title") if content is not None else None)
    return TrackerItem(
        ref=ref,
        title=title,
        status=status,
        state=shown,
        closed=None,
        url=ref.url,
        assignees=item.names("assignees", None),
        file=reading.file,
        span=reading.span_at(doc.start(path) or 0),
        labels=item.names("labels", None),
        iterations=_iterations(item),
    )


def _ref(reading: Reading, item: JsonItem, content: JsonItem | None) -> ItemRef | None:
    """The issue or pull request an item is: by its url, else its repository and number."""
    if content is not None:
        url = content.text("url")
        if url is not None and is_url(url):
            ref = ref_of_url(url)
            if ref.system == "github":
                return ref
        repository = content.text("repository")
        number = content.get("number", int, "a whole number")
        owner, _, name = (repository or "").partition("/")
        if owner and name and number is not None and number > 0:
            return github_ref(owner, name, number)
    reading.problem(
        "the item names no issue or pull request",
        item.offset("content"),
        item.where("content"),
        expected=f"content with the url, or the repository ({_REPOSITORY}) and number",
        hint=f"export the project again: {COMMAND}",
    )
    return None


def _iterations(item: JsonItem) -> tuple[str, ...]:
    """The milestone and the iterations an item is planned in, in the export's order: an
    iteration field's value is an object with a title, a startDate and a duration."""
    found: list[str] = []
    for key, value in item.data.items():
        if not isinstance(value, dict) or not isinstance(value.get("title"), str):
            continue
        if key == "milestone" or {"startDate", "duration"} <= value.keys():
            title = item.reading.text_of(value["title"], item.place(key))
            if title.strip():
                found.append(title)
    return tuple(found)
