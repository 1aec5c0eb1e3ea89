"""What the tracker says about a roadmap step: its observed status and dates.

A step names the items that deliver it (``tracks:``); the exports in the trackers folder
say how far each item is (:mod:`prepbook.trackers`). This module puts the two together,
once, so the delivery status, the drift rules and the pages read the same facts. It is
pure: it reads the playbook's steps and the exports already read, never a file or a clock.

Which item stands for a reference: the first export, in the order of the trackers
folder's paths, that holds the item with a known status (an issue list and a project may
both list it), else the first that holds it at all. An item whose state nothing maps is
no evidence either way (PB395 reports its state): it is left out of the status.

A step's **observed status** combines its items' statuses, of the items the exports hold,
by the first of these that holds:

1. **dropped**: every item was dropped (closed as not planned, Won't Do, Canceled);
2. **done**: every item is done or dropped, and at least one is done;
3. **doing**: an item is doing, or some are done while others are still to do;
4. **todo**: every item is still to do.

It is None when the exports hold none of the step's items: the tracker says nothing then,
and the written status stands. An item named in ``tracks:`` that no export holds is
listed in ``missing`` (PB394), and the status is made of the others.

The **observed closed day** is the last day an item closed, once every item found is
closed (done or dropped); None while one is open, or when no export gives a day. The
exports give no start of work in a form every tracker shares, so no start is observed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from prepbook.graph import Node, RecordKey
from prepbook.load.playbook import Playbook
from prepbook.model import Step
from prepbook.trackers.export import TrackerItem
from prepbook.trackers.folder import Trackers
from prepbook.trackers.refs import ItemRef, parse_ref
from prepbook.trackers.states import Status

CLOSED: tuple[Status, ...] = ("done", "dropped")


@dataclass(frozen=True, slots=True)
class Tracked:
    """One entry of a step's ``tracks:``: where it stands in the list, the item it names,
    and the item an export holds for it (None: no export holds it)."""

    index: int
    ref: ItemRef
    item: TrackerItem | None


@dataclass(frozen=True, slots=True)
class ObservedStep:
    """A tracked step as the exports see it (see the module's docstring)."""

    step: Step
    tracked: tuple[Tracked, ...]
    status: Status | None
    closed: dt.date | None

    @property
    def items(self) -> tuple[TrackerItem, ...]:
        return tuple(t.item for t in self.tracked if t.item is not None)

    @property
    def missing(self) -> tuple[Tracked, ...]:
        return tuple(t for t in self.tracked if t.item is None)

    @property
    def last_closed(self) -> TrackerItem | None:
        """The item that closed last, which dates the step's close; None while one is
        open or no day is known."""
        if self.closed is None:
            return None
        return next(i for i in reversed(self.items) if i.closed == self.closed)

    @property
    def open_items(self) -> tuple[TrackerItem, ...]:
        return tuple(i for i in self.items if i.status in ("todo", "doing"))


def combined_status(statuses: list[Status]) -> Status | None:
    """The status of a step whose items have ``statuses`` (the module's rule)."""
    if not statuses:
        return None
    if all(s == "dropped" for s in statuses):
        return "dropped"
    if all(s in CLOSED for s in statuses):
        return "done"
    if any(s in ("doing", "done") for s in statuses):
        return "doing"
    return "todo"


def _item_for(ref: ItemRef, trackers: Trackers) -> TrackerItem | None:
    found = trackers.items_of(ref)
    return next((i for i in found if i.status is not None), found[0] if found else None)


def observe(step: Step, trackers: Trackers) -> ObservedStep | None:
    """What the exports say of ``step``; None for a step that tracks nothing."""
    if not step.tracks:
        return None
    tracked = []
    for index, text in enumerate(step.tracks):
        ref = parse_ref(text)
        if ref is None:  # the model checked the form; a reference it let through is kept
            continue
        tracked.append(Tracked(index, ref, _item_for(ref, trackers)))
    items = [t.item for t in tracked if t.item is not None]
    status = combined_status([i.status for i in items if i.status is not None])
    days = [i.closed for i in items if i.closed is not None]
    closed = max(days) if status in CLOSED and days else None
    return ObservedStep(step, tuple(tracked), status, closed)


def observed_steps(
    playbook: Playbook, trackers: Trackers | None = None
) -> dict[RecordKey, ObservedStep]:
    """Every tracked step of the playbook, by its node's key, in file order, as
    ``trackers`` (the playbook's own exports unless given) see it."""
    trackers = playbook.trackers if trackers is None else trackers
    found: dict[RecordKey, ObservedStep] = {}
    for node in _steps(playbook):
        assert isinstance(node.record, Step)
        observed = observe(node.record, trackers)
        if observed is not None:
            found[node.key] = observed
    return found


def _steps(playbook: Playbook) -> Iterator[Node]:
    for loaded in playbook.workshops.values():
        for step in loaded.model.roadmap.steps:
            node = playbook.graph.nodes.get((loaded.id, step.id))
            if node is not None and node.record is step:
                yield node


def tracker_words(observed: ObservedStep) -> str:
    """What the tracker says of a tracked step, to read beside its written status:
    "tracker: done, closed 2026-12-10", "tracker: doing, 1 of 2 items closed", with the
    items no export holds named after."""
    items = observed.items
    closed = sum(1 for i in items if i.status in CLOSED)
    if observed.status is None:
        said = "tracker: no export holds its items"
    elif observed.status in CLOSED and observed.closed is not None:
        said = f"tracker: {observed.status}, closed {observed.closed.isoformat()}"
    elif len(items) > 1 and closed:
        said = f"tracker: {observed.status}, {closed} of {len(items)} items closed"
    else:
        said = f"tracker: {observed.status}"
    missing = [t.ref.text for t in observed.missing]
    if missing and observed.status is not None:
        said += "; in no export: " + ", ".join(missing)
    return said
