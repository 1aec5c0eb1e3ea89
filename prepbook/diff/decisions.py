"""Changes stated on the decisions: a committed priority's ship date and delivery status.

Neither is written in a workshop file: both follow from the roadmap steps that deliver the
priority (``prepbook.delivery``), computed on each side of the diff as of the same day, the
build's. So a step's end that moves the last end of a priority's steps is one change, said
on the priority ("ships 2027-05-14 → 2027-07-16, +63 days, now late"), with the step's own
change listed beside it as its cause and no longer counted apart. A step change that moves
no decision stays a change of its own, tagged with the priority its step delivers, so the
Changes page can still group it under that decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from prepbook.change_kinds import LEVELS, Level
from prepbook.config import Settings
from prepbook.delivery import STATUS_WORDS, Delivery, DeliveryStatus, StepTiming, deliveries
from prepbook.diff.document import Change
from prepbook.diff.drift import FIELD as TRACKER_FIELD
from prepbook.graph import Node
from prepbook.load.playbook import Playbook
from prepbook.model import Step

RecordKey = tuple[str, str]  # (workshop, record id), at the head side
# How far behind each status is; a move to a higher rank is a change for the worse.
_RANK: dict[DeliveryStatus, int] = {
    "shipped": 0,
    "on-track": 1,
    "at-risk": 2,
    "blocked": 3,
    "late": 3,
}
# The record kinds whose changes can move a priority's ship date or delivery status.
_CAUSE_KINDS = ("step", "phase")
# What of a step or phase sets a priority's dates or status: its text (title, description)
# and its owner move no decision, so their edits stay changes of their own, never causes.
# "" is the record itself, added or removed.
# What the tracker says of a step (prepbook.diff.drift) is a cause like its written status.
_CAUSE_FIELDS = frozenset(
    {
        "",
        "start",
        "end",
        "status",
        "phase",
        "delivers",
        "depends_on",
        "closes_gap",
        "tracks",
        TRACKER_FIELD,
    }
)

# Makes a change (not yet listed): kind, workshop, record kind, record, title, summary,
# then the keyword fields of Change, with ``level`` for a grade the kind's table leaves open.
Make = Callable[..., Change]


@dataclass(frozen=True, slots=True)
class Outlook:
    """A committed priority's delivery on one side, with the records that make it."""

    delivery: Delivery
    dates: frozenset[RecordKey]  # what sets its ship date: its steps and their phases
    status: frozenset[RecordKey]  # what its status follows too: the steps they wait for


def _keys(
    timings: Iterable[StepTiming], rename: Callable[[str, str], RecordKey]
) -> frozenset[RecordKey]:
    keys: set[RecordKey] = set()
    for timing in timings:
        keys.add(rename(timing.node.workshop, timing.node.record.id))
        if timing.step.phase:
            keys.add(rename(timing.node.workshop, timing.step.phase))
    return frozenset(keys)


def outlooks(
    playbook: Playbook, today: dt.date, rename: Callable[[str, str], RecordKey]
) -> dict[RecordKey, Outlook]:
    """Every committed priority's delivery on ``today``, keyed by its head-side name."""
    return {
        rename(d.priority.workshop, d.priority.record.id): Outlook(
            d, _keys(d.steps, rename), _keys((*d.steps, *d.waits_for), rename)
        )
        for d in deliveries(playbook, today)
    }


def ship_grade(days: int, settings: Settings) -> Level:
    """How much a later ship date matters, by how many days it moved."""
    if days > settings.ship_major_days:
        return "major"
    return "minor" if days > settings.slip_days else "info"


def _worst(*levels: Level) -> Level:
    return min(levels, key=LEVELS.index)


def _plural(days: int) -> str:
    return "day" if abs(days) == 1 else "days"


def _ship(was: dt.date | None, now: dt.date | None, settings: Settings) -> tuple[str, str, Level]:
    """The kind, the words and the level of a ship date's move."""
    if was is None:
        return "ship-date-set", f"ships {now} (had no date)", "info"
    if now is None:
        return "ship-date-cleared", f"no ship date any more (was {was})", "minor"
    days = (now - was).days
    words = f"ships {was} → {now}, {days:+d} {_plural(days)}"
    if days > 0:
        return "ship-date-slipped", words, ship_grade(days, settings)
    return "ship-date-pulled-in", words, "info"


def _status(was: Delivery, now: Delivery) -> tuple[str, Level]:
    """The kind and level of a delivery status's change."""
    if _RANK[now.status] < _RANK[was.status]:
        return "delivery-improved", "info"
    if now.status in ("late", "blocked"):
        return "delivery-late", "major"
    if now.status == "at-risk":
        return "delivery-at-risk", "minor"
    if _RANK[now.status] > _RANK[was.status]:  # shipped, and now only on track
        return "delivery-reopened", "minor"
    return "delivery-improved", "info"


def _status_words(was: Delivery, now: Delivery) -> str:
    """ "now late (was on track): step 'Tag every SKU' ended 2026-11-27 and is not done"."""
    reason = now.text().split(": ", 1)[1]
    return f"now {STATUS_WORDS[now.status]} (was {STATUS_WORDS[was.status]}): {reason}"


def _delivering(playbook: Playbook, key: RecordKey) -> str:
    """The first priority of its own workshop that step ``key`` delivers, or ""."""
    node = playbook.graph.nodes.get(key)
    if node is None or not isinstance(node.record, Step):
        return ""
    for target in playbook.graph.targets(key, "delivers"):
        if target.workshop == key[0]:
            return target.record.id
    return ""


def _about(change: Change, new: Playbook) -> str:
    if change.record_kind == "priority":
        return change.record
    if change.record_kind == "step":
        return _delivering(new, (change.workshop, change.record))
    return ""


def decision_changes(
    changes: Iterable[Change],
    before: Mapping[RecordKey, Outlook],
    after: Mapping[RecordKey, Outlook],
    new: Playbook,
    settings: Settings,
    make: Make,
) -> list[Change]:
    """``changes`` with each committed priority's moved ship date or delivery status added
    on the priority, the step changes that moved it as its causes (and out of the list),
    and every change tagged with the decision it is about."""
    listed = [c.model_copy(update={"decision": _about(c, new)}) for c in changes]
    caused: set[int] = set()
    made: list[Change] = []
    for key in sorted(set(before) & set(after)):
        was, now = before[key].delivery, after[key].delivery
        moved = was.ship_date != now.ship_date
        turned = was.status != now.status
        if not (moved or turned):
            continue
        # a moved ship date is caused by its steps' dates; a status, by any step it follows
        sources: frozenset[RecordKey] = frozenset()
        if moved:
            sources |= before[key].dates | after[key].dates
        if turned:
            sources |= before[key].status | after[key].status
        causes = [
            i
            for i, c in enumerate(listed)
            if c.record_kind in _CAUSE_KINDS
            and c.field.split(".")[0].split("[")[0] in _CAUSE_FIELDS
            and (c.workshop, c.record) in sources
        ]
        caused.update(causes)
        status_kind, status_level = _status(was, now)
        if moved:
            kind, words, level = _ship(was.ship_date, now.ship_date, settings)
            if turned:
                words += ", " + _status_words(was, now)
                level = _worst(level, status_level)
            data: dict[str, object] = {
                "field": "ship_date",
                "before": was.ship_date,
                "after": now.ship_date,
            }
            if kind == "ship-date-slipped" and was.ship_date and now.ship_date:
                data["days"] = (now.ship_date - was.ship_date).days
        else:
            kind, level = status_kind, status_level
            words = _status_words(was, now)
            data = {"field": "delivery", "before": was.status, "after": now.status}
        # a decision's change weighs at least as much as what caused it
        level = _worst(level, *(listed[i].level for i in causes))
        node: Node = now.priority
        change = make(
            kind,
            key[0],
            "priority",
            key[1],
            node.record.display_name,
            words,
            level=level,
            decision=key[1],
            causes=sorted((listed[i] for i in causes), key=lambda c: c.sort_key()),
            **data,
        )
        if causes and all(listed[i].section == "drift" for i in causes):
            # moved by the tracker alone: the tracker's news, read in its section
            change = change.model_copy(update={"section": "drift"})
        made.append(change)
    kept = [c for i, c in enumerate(listed) if i not in caused]
    return [*kept, *made]
