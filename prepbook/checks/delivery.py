"""The delivery rules (PB380 to PB384): whether the file still tells what is happening.

A roadmap and an audit are written at the workshop and go stale as the work goes on: a step
whose end has passed is still "in-progress", an asset stays "partial" after the step that
closes its gap is done, a metric's readings stop or hold a value its unit cannot take.
These rules read the playbook as of the build's date and point at the line to update; the
delivery status of each priority (:mod:`prepbook.delivery`) is computed from the same
facts, so fixing a finding here is what makes a status true.

Each rule is a function that yields its findings; the rule's module in
:mod:`prepbook.checks.rules` (PB380 to PB384) declares it and asks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from prepbook.config import Settings
from prepbook.delivery import asset_state, step_timing
from prepbook.findings import Finding
from prepbook.graph import Node
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Reading
from prepbook.model.units import unit_bounds
from prepbook.outcomes import exported_readings, latest_reading, merged_readings
from prepbook.trackers.export import ExportedReading

DeliveryCheck = Callable[[Playbook, LoadedWorkshop, Settings, dt.date], Iterator[Finding]]


def _own_node(
    playbook: Playbook, loaded: LoadedWorkshop, record_id: str, record: object
) -> Node | None:
    """The graph's node of a record in hand, unless an earlier record holds its id (PB201):
    a rule judges the record it reads, never the one that shares its id."""
    node = playbook.graph.nodes.get((loaded.id, record_id))
    return node if node is not None and node.record is record else None


def _named(node: Node, home: str) -> str:
    """A record's id as its workshop writes it: qualified when it lives in another."""
    return node.record.id if node.workshop == home else f"{node.workshop}/{node.record.id}"


# Where a reading stands: its index in the file's readings, or the reading of an export.
ReadingPlace = int | ExportedReading


def _all_readings(
    playbook: Playbook, loaded: LoadedWorkshop, i: int
) -> Iterator[tuple[ReadingPlace, Reading]]:
    """The readings of the workshop's metric ``i`` that count: the file's own, then the
    exports' on the days the file has none (:func:`prepbook.outcomes.merged_readings`),
    each with where it stands."""
    metric = loaded.model.metrics[i]
    exported = playbook.trackers.readings_of(loaded.id, metric.id)
    by_reading = {id(e.reading): e for e in exported}
    merged = merged_readings(metric, [e.reading for e in exported])
    for k, reading in enumerate(merged):
        yield (k if k < len(metric.readings) else by_reading[id(reading)]), reading


def _finding(
    loaded: LoadedWorkshop,
    rule_id: str,
    message: str,
    path: tuple[str | int | ReadingPlace, ...],
    **extra: object,
) -> Finding:
    """A finding about a reading: at its line of the workshop, or at its row of the
    export it came from (still about the workshop's metric, so its silences cover it)."""
    place = path[3]
    if not isinstance(place, ExportedReading):
        return loaded.finding(rule_id, message, path, **extra)  # type: ignore[arg-type]
    column = "value" if path[-1] == "value" else "date"
    return Finding.of(
        rule_id,
        message + f" (from {place.file})",
        place.file,
        span=place.span,
        yaml_path=column,
        workshop=loaded.id,
        **extra,
    )


def step_overdue(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB380: a step whose end has passed and that is not done, in a workshop that was
    held: the roadmap of a draft or a scheduled workshop is a proposal nobody has agreed to
    yet, and that of an archived one has been superseded, so neither claims work is due."""
    if loaded.model.status != "held":
        return
    for i, step in enumerate(loaded.model.roadmap.steps):
        node = _own_node(playbook, loaded, step.id, step)
        if node is None:
            continue
        timing = step_timing(playbook, node, day)
        if not timing.overdue or step.status == "done":
            continue  # written done, with its items open in the tracker: PB390's
        path = ("roadmap", "steps", i)
        # where the end comes from, when the step does not write one
        whose = (
            "" if step.end else " (its start: it has no end)" if step.start else " (its phase's)"
        )
        yield loaded.finding(
            "PB380",
            f"the step '{step.id}' was to end on {timing.end}{whose} and is still {step.status}",
            loaded.written_or_id(path, "status"),
            expected=f"status: done, or an end on or after {day}",
            hint="if the work is done, write status: done; if not, write the end it is now "
            "expected on, so the priorities it serves show their true status",
            record=step.id,
        )


def gap_closed_asset_not_ready(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB381: every step that closes an asset's gap is done, and the asset still reads
    partial or missing."""
    for i, asset in enumerate(loaded.model.audit):
        node = _own_node(playbook, loaded, asset.id, asset)
        if node is None:
            continue
        state = asset_state(playbook.graph, node)
        if not state.lagging:
            continue
        steps = ", ".join(f"'{_named(c, loaded.id)}'" for c in state.closers)
        which = "the step" if len(state.closers) == 1 else "every step"
        yield loaded.finding(
            "PB381",
            f"the asset '{asset.id}' is still {asset.readiness}, but {which} that closes its "
            f"gap is done: {steps}",
            ("audit", i, "readiness"),
            expected="readiness: ready, once the steps that close the gap are done",
            hint="write readiness: ready and say in evidence what changed; if the gap is not "
            "closed after all, set the step back to in-progress",
            record=asset.id,
        )


def reading_out_of_bounds(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB382: a reading its metric's unit cannot take (a percentage of 104)."""
    for i, metric in enumerate(loaded.model.metrics):
        bounds = unit_bounds(metric.unit)
        if bounds is None:
            continue
        for k, reading in _all_readings(playbook, loaded, i):
            if bounds.holds(reading.value):
                continue
            yield _finding(
                loaded,
                "PB382",
                f"the reading of '{metric.id}' on {reading.date} is {reading.value}, outside "
                f"{bounds.text}, the bounds of {bounds.what} (unit '{metric.unit}')",
                ("metrics", i, "readings", k, "value"),
                expected=f"a value from {bounds.text}",
                hint="check the value against its source; if the metric is not in "
                f"'{metric.unit}', correct the metric's unit",
                record=metric.id,
                subject=reading.date.isoformat(),
            )


def stale_reading(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB383: a metric whose newest reading is older than stale_reading_days."""
    limit = settings.stale_reading_days
    for i, metric in enumerate(loaded.model.metrics):
        latest = latest_reading(metric, exported_readings(playbook, loaded.id, metric.id))
        if latest is None or (day - latest.date).days <= limit:
            continue
        k = [place for place, r in _all_readings(playbook, loaded, i) if r is latest][-1]
        age = (day - latest.date).days
        yield _finding(
            loaded,
            "PB383",
            f"the newest reading of '{metric.id}' is of {latest.date}, {age:,} days before "
            f"the build's date {day} (the limit is {limit:,})",
            ("metrics", i, "readings", k, "date"),
            expected=f"a reading dated {day - dt.timedelta(days=limit)} or later",
            hint="add the latest value as a reading, with its date and source; if the metric "
            "is no longer read, say so in its notes and silence the rule on it",
            record=metric.id,
        )


def future_reading(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, day: dt.date
) -> Iterator[Finding]:
    """PB384: a reading dated after the build's date, which no one can have measured."""
    for i, metric in enumerate(loaded.model.metrics):
        for k, reading in _all_readings(playbook, loaded, i):
            if reading.date <= day:
                continue
            yield _finding(
                loaded,
                "PB384",
                f"the reading of '{metric.id}' is dated {reading.date}, after the build's "
                f"date {day}",
                ("metrics", i, "readings", k, "date"),
                expected=f"a date on or before {day}",
                hint="write the day the value was measured; a target for a later day goes "
                "in the metric's target",
                record=metric.id,
                subject=reading.date.isoformat(),
            )
