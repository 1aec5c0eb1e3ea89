"""Every tracker's states in four words: todo, doing, done and dropped.

One table, :data:`STATE_TABLE`, says what each state of each tracker means; the readers ask
it through :class:`States`, and :func:`states_markdown` writes it as the table of the docs,
so the mapping is declared once. Dropped is not done: an issue GitHub closed as "not
planned" or a Jira issue marked "Won't Do" delivered nothing, and a step whose items were
all dropped has not shipped.

A playbook adds its own names, or changes what a name means, with the plugin's
``tracker_states`` option: a mapping from a state's name, as the export writes it, to one
of the four. Names compare without regard to case. A state neither knows is a problem
whose hint names the option.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

Status = Literal["todo", "doing", "done", "dropped"]
STATUSES: tuple[Status, ...] = get_args(Status)
STATES_OPTION = "tracker_states"
# The option's bounds: a workflow has a dozen states; a few hundred covers any merger of
# several teams' workflows.
MAX_STATE_NAMES = 200
MAX_STATE_NAME = 100


@dataclass(frozen=True, slots=True)
class Tracker:
    """How one kind of export says an item's state: the fields its reader asks the table
    about, in the order it asks."""

    name: str
    label: str
    field: str  # the field of the table its state's name is looked up in
    read_from: str


TRACKERS = {
    tracker.name: tracker
    for tracker in (
        Tracker(
            "github",
            "GitHub issues (`gh issue list`)",
            "state",
            "`state` and `stateReason`, written `STATE/REASON` (`CLOSED/NOT_PLANNED`); "
            "`OPEN` or `CLOSED` alone when there is no reason",
        ),
        Tracker(
            "github-project",
            "GitHub project (`gh project item-list`)",
            "status",
            "the item's Status field (`No Status` when it has none)",
        ),
        Tracker(
            "jira",
            "Jira CSV export",
            "status",
            "the status name when the table knows it, else the Status Category column: "
            "Jira files abandoned work under Done, and only the name tells it apart",
        ),
        Tracker(
            "linear",
            "Linear CSV export",
            "status",
            "the status name when the table knows it, else the state's type, which the "
            "export shows by the date it sets: Canceled, Completed or Started",
        ),
        Tracker("csv", "Plain CSV", "status", "the `status` column"),
    )
}


@dataclass(frozen=True, slots=True)
class StateRow:
    """One state of one tracker and what it means."""

    tracker: str
    field: str  # what the value is: a state name, a Jira status category, a Linear type
    value: str
    status: Status
    note: str = ""


def _rows(tracker: str, field: str, status: Status, *values: str, note: str = "") -> list[StateRow]:
    return [StateRow(tracker, field, value, status, note) for value in values]


STATE_TABLE: tuple[StateRow, ...] = (
    *_rows("github", "state", "todo", "OPEN", note="open, never closed"),
    *_rows("github", "state", "doing", "OPEN/REOPENED", note="closed once and opened again"),
    *_rows("github", "state", "done", "CLOSED/COMPLETED"),
    *_rows("github", "state", "done", "CLOSED", note="closed before GitHub kept reasons (2022)"),
    *_rows("github", "state", "dropped", "CLOSED/NOT_PLANNED", note="closed as not planned"),
    *_rows("github", "state", "dropped", "CLOSED/DUPLICATE", note="the work is tracked elsewhere"),
    *_rows("github-project", "status", "todo", "No Status", "Backlog", "Todo", "Ready"),
    *_rows("github-project", "status", "doing", "In Progress", "In Review"),
    *_rows("github-project", "status", "done", "Done"),
    *_rows("jira", "status", "todo", "To Do", "Open", "Backlog", "Selected for Development"),
    *_rows("jira", "status", "doing", "In Progress", "In Review"),
    *_rows("jira", "status", "done", "Done", "Closed", "Resolved"),
    *_rows(
        "jira",
        "status",
        "dropped",
        "Won't Do",
        "Won't Fix",
        "Cancelled",
        "Canceled",
        "Declined",
        "Rejected",
        "Duplicate",
        note="in the Done category, but nothing was delivered",
    ),
    *_rows("jira", "status category", "todo", "To Do"),
    *_rows("jira", "status category", "doing", "In Progress"),
    *_rows("jira", "status category", "done", "Done"),
    *_rows("linear", "status", "todo", "Triage", "Backlog", "Todo"),
    *_rows("linear", "status", "doing", "In Progress", "In Review"),
    *_rows("linear", "status", "done", "Done"),
    *_rows("linear", "status", "dropped", "Canceled", "Duplicate"),
    *_rows("linear", "type", "todo", "triage", "backlog", "unstarted"),
    *_rows("linear", "type", "doing", "started"),
    *_rows("linear", "type", "done", "completed"),
    *_rows("linear", "type", "dropped", "canceled"),
    *_rows("csv", "status", "todo", "todo", "to do", "open"),
    *_rows("csv", "status", "doing", "doing", "in progress"),
    *_rows("csv", "status", "done", "done", "closed"),
    *_rows("csv", "status", "dropped", "dropped", "canceled", "cancelled"),
)

_TABLE: dict[tuple[str, str, str], Status] = {
    (row.tracker, row.field, row.value.casefold()): row.status for row in STATE_TABLE
}


class States:
    """The table, with a playbook's own names (the ``tracker_states`` option) first."""

    def __init__(self, own: Mapping[str, Status] | None = None) -> None:
        self._own = {name.strip().casefold(): status for name, status in (own or {}).items()}

    def status(self, tracker: str, state: str, *also: tuple[str, str]) -> Status | None:
        """What ``state`` (the name the export writes) means in ``tracker``: the
        playbook's own word for the name, else the table's, else the table's for each of
        ``also`` (a field and its value, such as a Jira status category) in turn. None
        when nothing knows it."""
        folded = state.strip().casefold()
        if folded in self._own:
            return self._own[folded]
        found = _TABLE.get((tracker, TRACKERS[tracker].field, folded))
        for other, value in also:
            if found is not None:
                break
            found = _TABLE.get((tracker, other, value.strip().casefold()))
        return found


def unknown_state_hint(state: str) -> str:
    """What to do about a state nothing knows: say what it means in the option."""
    shown = state.replace('"', '\\"')
    return (
        f"say what it means in the plugin's {STATES_OPTION} option in mkdocs.yml, such as "
        f'{STATES_OPTION}: {{"{shown}": doing}} (one of {", ".join(STATUSES)})'
    )


def check_state_names(names: Mapping[str, str]) -> None:
    """Raise ValueError, in words, for a ``tracker_states`` option that cannot be used: a
    name that is empty, too long, holds a control character, or repeats another but for
    case. (The values are checked by the option's type.)"""
    if len(names) > MAX_STATE_NAMES:
        raise ValueError(f"at most {MAX_STATE_NAMES} state names, {len(names)} given")
    seen: dict[str, str] = {}
    for name in names:
        stripped = name.strip()
        if not stripped:
            raise ValueError("a state name is empty")
        if len(stripped) > MAX_STATE_NAME:
            raise ValueError(
                f"{stripped[:40]!r}...: a state name of at most {MAX_STATE_NAME} characters"
            )
        if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in stripped):
            raise ValueError(f"{stripped!r}: a state name holds a control character")
        earlier = seen.setdefault(stripped.casefold(), name)
        if earlier != name:
            raise ValueError(
                f"{earlier!r} and {name!r} are one name (names compare without case): keep one"
            )


def states_markdown() -> str:
    """The mapping as the docs show it: how each export says a state, then the table."""
    lines = [
        "Every state an export gives is read as one of four: **todo**, **doing**, **done** "
        "or **dropped** (work that ended without being delivered: it never counts as done).",
        "",
        "| export | the state is read from |",
        "| --- | --- |",
        *(f"| {t.label} | {t.read_from} |" for t in TRACKERS.values()),
        "",
        "| export | field | value | status | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in STATE_TABLE:
        label = TRACKERS[row.tracker].label
        lines.append(f"| {label} | {row.field} | `{row.value}` | {row.status} | {row.note} |")
    lines += [
        "",
        "Names compare without regard to case. A playbook adds its own states, or changes "
        f"what a name means, with the `{STATES_OPTION}` option: a mapping from the state's "
        "name as the export writes it to todo, doing, done or dropped, which is asked "
        "before this table. A state that neither knows is reported, and the item's status "
        "stays unknown.",
        "",
        "```yaml",
        "plugins:",
        "  - prepbook:",
        f"      {STATES_OPTION}:",
        "        QA: doing",
        '        "Ready for release": done',
        "        Parked: dropped",
        "```",
    ]
    return "\n".join(lines) + "\n"
