"""The drift rules (PB390 to PB395): where the file and the tracker disagree.

A step's ``status`` is typed at the workshop; its items move in the tracker. These rules
set the written facts beside the observed ones (:mod:`prepbook.observed`) and point at the
line to update, or at the export that is too old, or unreadable, to be believed. The
delivery status already follows the tracker where it speaks; the findings say where the
file has not caught up, so that a reader of the file alone is not misled.

Each rule is a function that yields its findings; the rule's module in
:mod:`prepbook.checks.rules` (PB390 to PB395) declares it and asks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding, Span
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Step
from prepbook.observed import CLOSED, ObservedStep, observe
from prepbook.trackers.export import TrackerProblem
from prepbook.trackers.folder import Trackers

# The rules that set a step beside the exports: with no export read, they judge nothing,
# and a silence of one is not called unneeded (prepbook.checks.policy).
READ_EXPORTS = frozenset({"PB390", "PB391", "PB392", "PB394"})
# Every drift rule: the diff lists what they find apart, as the tracker's news.
DRIFT_RULES = READ_EXPORTS | {"PB393", "PB395"}


def _tracked_steps(
    playbook: Playbook, loaded: LoadedWorkshop
) -> Iterator[tuple[int, Step, ObservedStep]]:
    """Each step of the workshop that tracks items, with what the exports say of it; none
    when the trackers folder holds no export (nothing observed, nothing to compare)."""
    if not playbook.trackers.exports:
        return
    for i, step in enumerate(loaded.model.roadmap.steps):
        node = playbook.graph.nodes.get((loaded.id, step.id))
        if node is None or node.record is not step:
            continue  # an id an earlier step holds (PB201)
        observed = observe(step, playbook.trackers)
        if observed is not None:
            yield i, step, observed


def _status_path(loaded: LoadedWorkshop, i: int) -> tuple[str | int, ...]:
    return loaded.written_or_id(("roadmap", "steps", i), "status")


def _item_words(observed: ObservedStep, statuses: tuple[str, ...]) -> str:
    named = [f"{i.ref.text} is {i.status}" for i in observed.items if i.status in statuses]
    shown = ", ".join(named[:3])
    return shown + (f" and {len(named) - 3} more" if len(named) > 3 else "")


def done_but_open(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB390: a step written done whose items the tracker has not all done."""
    for i, step, observed in _tracked_steps(playbook, loaded):
        if step.status != "done" or observed.status in (None, "done"):
            continue
        if observed.status == "dropped":
            words = "every item it tracks was dropped"
        else:
            words = _item_words(observed, ("todo", "doing"))
        yield loaded.finding(
            "PB390",
            f"the step '{step.id}' is marked done, but the tracker disagrees: {words}",
            _status_path(loaded, i),
            expected="status: done only once every item it tracks is done in the tracker",
            hint=f"if the work is not finished, write what the tracker shows "
            f"({_written(observed)}); if it is, close the items in the tracker and take "
            "the export again (prepbook fetch)",
            record=step.id,
        )


def _written(observed: ObservedStep) -> str:
    return {
        "todo": "status: planned",
        "doing": "status: in-progress",
        "done": "status: done",
        "dropped": "take the step out of the roadmap, or track the work that replaced it",
    }[observed.status or "todo"]


def closed_but_open_in_file(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB391: a step written planned, in progress or blocked whose items are all closed."""
    for i, step, observed in _tracked_steps(playbook, loaded):
        if step.status == "done" or observed.status not in CLOSED:
            continue
        last = observed.last_closed
        when = f", the last on {last.closed} ({last.ref.text})" if last is not None else ""
        how = "dropped" if observed.status == "dropped" else "closed"
        yield loaded.finding(
            "PB391",
            f"the step '{step.id}' is still {step.status}, but every item it tracks is {how}{when}",
            _status_path(loaded, i),
            expected=_written(observed),
            hint="the delivery status already follows the tracker; write it in the file "
            "too, so that the file read alone tells the truth",
            record=step.id,
        )


def closed_after_end(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB392: a step whose items were done after its planned end: the slip, in days."""
    roadmap = loaded.model.roadmap
    for i, step, observed in _tracked_steps(playbook, loaded):
        last = observed.last_closed
        if observed.status != "done" or last is None or last.closed is None:
            continue
        _, end = roadmap.dates_of(step)
        if end is None or last.closed <= end:
            continue
        slip = (last.closed - end).days
        path = ("roadmap", "steps", i)
        yield loaded.finding(
            "PB392",
            f"the step '{step.id}' was planned to end on {end}, but its items closed on "
            f"{last.closed} ({last.ref.text}): {slip:,} day{'s' if slip != 1 else ''} late",
            loaded.written_or_id(path, "end"),
            expected=f"items closed on or before {end}",
            hint="nothing to undo: the step shipped. Keep the planned end as it was agreed "
            "(the slip is the lesson), or silence the rule on the step with the reason",
            record=step.id,
        )


def missing_items(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB394: an item named in ``tracks:`` that no export of the trackers folder holds."""
    for i, step, observed in _tracked_steps(playbook, loaded):
        for tracked in observed.missing:
            text = tracked.ref.text
            yield loaded.finding(
                "PB394",
                f"the step '{step.id}' tracks {text}, which no export in the trackers folder holds",
                ("roadmap", "steps", i, "tracks", tracked.index),
                expected="an item that an export of the trackers folder lists, with a state "
                "it can read",
                hint=_missing_hint(playbook.trackers, tracked.ref.system),
                record=step.id,
                subject=text,
            )


def _missing_hint(trackers: Trackers, system: str) -> str:
    kinds = {"github": ("gh-issues", "gh-project"), "jira": ("jira-csv",)}
    kinds["linear"] = ("linear-csv",)
    wanted = kinds.get(system, ())
    if wanted and not any(e.kind in wanted for e in trackers.exports):
        return f"no export of {system} is in the trackers folder: add one (prepbook fetch)"
    return (
        "take the export again if the item is new (prepbook fetch), or correct the "
        "reference; an item moved to another repository or project is found by its new "
        "address only when the export lists it"
    )


def stale_exports(playbook: Playbook, settings: Settings, day: dt.date) -> Iterator[Finding]:
    """PB393: an export taken longer ago than tracker_stale_days before the build's date."""
    limit = settings.tracker_stale_days
    for export in playbook.trackers.exports:
        if export.taken is None:
            continue  # an export that does not say when it was taken is PB395's
        taken = export.taken.astimezone(dt.UTC).date()
        age = (day - taken).days
        if age <= limit:
            continue
        yield TrackerProblem(
            export.file,
            f"the export was taken on {taken}, {age:,} days before the build's date {day} "
            f"(the limit is {limit:,})",
            Span(1, 1, 1, 1),
            expected=f"an export taken on {day - dt.timedelta(days=limit)} or later",
            hint="take it again (prepbook fetch, or the scheduled workflow), or raise the "
            "plugin's tracker_stale_days option",
        ).finding("PB393")


def unreadable_exports(playbook: Playbook, settings: Settings, day: dt.date) -> Iterator[Finding]:
    """PB395: what in the trackers folder could not be read, each at its line."""
    for problem in playbook.trackers.problems:  # each export's, and the folder's
        yield problem.finding("PB395")
    for export in playbook.trackers.exports:
        for exported in export.readings:
            loaded = playbook.workshops.get(exported.workshop)
            if exported.workshop in playbook.broken_ids:
                continue  # the workshop did not load: its own findings say why
            if loaded is not None and any(m.id == exported.metric for m in loaded.model.metrics):
                continue
            where = "no workshop" if loaded is None else f"no metric of workshop '{loaded.id}'"
            yield Finding.of(
                "PB395",
                f"the reading of {exported.named} on {exported.reading.date} names {where}; "
                "it is not read",
                exported.file,
                span=exported.span,
                yaml_path="metric",
                expected="workshop/metric, naming a metric of the playbook",
                hint="correct the name in the analytics tool's export, or add the metric to "
                "the workshop",
            )
