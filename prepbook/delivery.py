"""Whether each committed priority is happening: its delivery status as of a given day.

Nobody types a delivery status: it follows from the roadmap steps that deliver the
priority, their effective dates (``Roadmap.dates_of``) and statuses, the steps they depend
on and the gaps the priority needs closed. Deriving it here, once, from the build's date
(passed in, never read from a clock) keeps every page and export saying the same thing.

Terms, as of the day ``today``:

- A step is **done** when its status is ``done``, or, for a step that tracks items the
  tracker exports hold, when its observed status is (:mod:`prepbook.observed`): the
  tracker wins over the file, both ways, so a step written done whose items are open is
  not done, and one written in progress whose items are closed is. A step whose items were
  all **dropped** (closed as not planned, Won't Do) is not done: it delivered nothing, and
  the priorities it delivers are blocked until the plan changes, whatever its dates. It is
  **overdue** when it is not done, nor dropped, and its effective end is before ``today``:
  a step that ends today is not overdue yet, one that ended yesterday is. Its **start is
  missed** when its status is still ``planned`` (and the tracker shows no work on it) and
  its effective start is before ``today``.
- An asset is **in place** when its readiness is ``ready``, or when at least one step
  closes its gap (``closes_gap``) and every step that does is done: the written readiness
  lags behind the roadmap then, which PB381 reports. An **open gap** of a priority is an
  asset it ``requires`` that is not in place.
- The **delivering steps** of a priority are the steps whose ``delivers`` name it, in any
  workshop. The steps it **waits for** are the steps, not done, that a delivering step that
  is not done depends on (``depends_on``, followed through any number of steps), the steps
  not done that close one of its open gaps, and the steps those depend on in turn; a done
  step ends the chain, as what it needed is behind it. A delivering step is never among
  the steps waited for: it is judged as a delivering step.

The status is the first of these that holds, each with every reason found for it:

1. **shipped**: at least one step delivers it, and every one is done. When the tracker
   closed them all, the reason says when and names the item that closed last ("shipped:
   its items closed on 2026-11-20 (github:org/repo#12)").
2. **late**: a delivering step is overdue ("late: step 'Tag every SKU' ended 2026-11-27
   and is not done"). This covers the ship date having passed: the ship date is the last
   end of the delivering steps, so once it has passed, every one that is not done is
   overdue.
3. **blocked**: a delivering step is marked ``blocked``, or its items were all dropped; or
   a step it waits for is marked
   ``blocked`` or is overdue; or an open gap has no step at all that closes it. A gap whose
   closing step is late is such a step waited for; whether the plan closes a gap before the
   delivery starts is a question of the plan, which PB331 asks, not of the day.
4. **at-risk**: no step delivers it; or a delivering step not done has no dates; or a
   delivering step, or a step it waits for, has missed its start; or an open gap remains
   while a delivering step not done starts within ``lead_days`` (LEAD_DAYS, 14, unless
   given) or has started already.
5. **on-track**: none of these; its reason says when it ships.

Reasons are ordered by the day they turn on (the earliest first: the most overdue step, the
longest missed start), then in the order they were found, which follows the files, so the
same playbook gives the same words every time.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Step
from prepbook.model.audit import Readiness
from prepbook.observed import ObservedStep, observe

DeliveryStatus = Literal["shipped", "on-track", "at-risk", "late", "blocked"]
# How each status reads in a sentence, in the order of precedence.
STATUS_WORDS: dict[DeliveryStatus, str] = {
    "shipped": "shipped",
    "late": "late",
    "blocked": "blocked",
    "at-risk": "at risk",
    "on-track": "on track",
}
# An open gap puts a priority at risk once a step that delivers it starts within this many
# days: two weeks, about the least notice in which a team can still close a gap or move
# the step.
LEAD_DAYS = 14


@dataclass(frozen=True, slots=True)
class StepTiming:
    """A roadmap step as of a day: its effective dates, and whether it is behind."""

    node: Node
    start: dt.date | None
    end: dt.date | None
    overdue: bool  # not done, and its end is before the day
    start_missed: bool  # still planned, and its start is before the day
    observed: ObservedStep | None = None  # what the tracker says, for a tracked step

    @property
    def step(self) -> Step:
        assert isinstance(self.node.record, Step)
        return self.node.record

    @property
    def done(self) -> bool:
        return _is_done(self.step, self.observed)

    @property
    def dropped(self) -> bool:
        """Whether the tracker dropped every item of the step."""
        return self.observed is not None and self.observed.status == "dropped"


def _is_done(step: Step, observed: ObservedStep | None) -> bool:
    if observed is not None and observed.status is not None:
        return observed.status == "done"
    return step.status == "done"


def step_timing(playbook: Playbook, node: Node, today: dt.date) -> StepTiming:
    """Where step ``node`` stands on ``today``, from its own dates or its phase's."""
    step = node.record
    assert isinstance(step, Step)
    start, end = playbook.workshops[node.workshop].model.roadmap.dates_of(step)
    observed = observe(step, playbook.trackers) if playbook.trackers.exports else None
    done = _is_done(step, observed)
    idle = observed is None or observed.status in (None, "todo")
    dropped = observed is not None and observed.status == "dropped"
    return StepTiming(
        node,
        start,
        end,
        overdue=not done and not dropped and end is not None and end < today,
        start_missed=step.status == "planned" and idle and start is not None and start < today,
        observed=observed,
    )


def step_timings(playbook: Playbook, today: dt.date) -> list[StepTiming]:
    """Every step of the playbook on ``today``: workshop by workshop, in file order. A step
    whose id an earlier step of its workshop holds too is left out (PB201 reports it)."""
    out = []
    for loaded in playbook.workshops.values():
        for step in loaded.model.roadmap.steps:
            node = playbook.graph.nodes.get((loaded.id, step.id))
            if node is not None and node.record is step:
                out.append(step_timing(playbook, node, today))
    return out


@dataclass(frozen=True, slots=True)
class AssetState:
    """An audited asset as the roadmap leaves it: its written readiness, and the steps that
    close its gap, whose being done puts it in place whatever the file still says."""

    node: Node
    closers: tuple[Node, ...]  # the steps whose closes_gap name it, in any workshop

    @property
    def asset(self) -> Asset:
        assert isinstance(self.node.record, Asset)
        return self.node.record

    @property
    def closed(self) -> bool:
        """Whether steps close its gap and every one of them is done."""
        return bool(self.closers) and all(_done(c) for c in self.closers)

    @property
    def in_place(self) -> bool:
        return self.asset.readiness == "ready" or self.closed

    @property
    def readiness(self) -> Readiness:
        """The effective readiness: ready once in place, else as written."""
        return "ready" if self.in_place else self.asset.readiness

    @property
    def lagging(self) -> bool:
        """Whether the file still calls it partial or missing though its gap is closed."""
        return self.closed and self.asset.readiness != "ready"

    @property
    def open_closers(self) -> tuple[Node, ...]:
        return tuple(c for c in self.closers if not _done(c))


def asset_state(graph: Graph, node: Node) -> AssetState:
    return AssetState(node, tuple(_unique(graph.referrers(node.key, "closes_gap"))))


def _done(node: Node) -> bool:
    return isinstance(node.record, Step) and node.record.status == "done"


def _unique(nodes: Iterable[Node]) -> list[Node]:
    """Each node once, in the order first met: a list may name a record twice."""
    return list({n.key: n for n in nodes}.values())  # one key, one node: the graph's


def quoted(node: Node) -> str:
    """A record named in a plain sentence: its title, between quotes."""
    return f"'{node.record.display_name}'"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a priority has its status, as words with the records they name kept apart, so
    that a page can link each one and plain text can quote it."""

    status: DeliveryStatus
    parts: tuple[str | Node, ...]
    day: dt.date | None = None  # the day it turns on, which orders the reasons

    @property
    def records(self) -> tuple[Node, ...]:
        return tuple(p for p in self.parts if isinstance(p, Node))

    def text(self, name: Callable[[Node], str] = quoted) -> str:
        """The reason in words, each record named by ``name``: "late: step 'Tag every
        SKU' ended 2026-11-27 and is not done"."""
        words = "".join(name(p) if isinstance(p, Node) else p for p in self.parts)
        return f"{STATUS_WORDS[self.status]}: {words}"


@dataclass(frozen=True, slots=True)
class Delivery:
    """A committed priority's delivery status on a day, with every reason for it."""

    priority: Node
    status: DeliveryStatus
    reasons: tuple[Reason, ...]  # never empty; the first is the one to show
    steps: tuple[StepTiming, ...]  # the steps that deliver it
    waits_for: tuple[StepTiming, ...]  # the steps not done that those wait for
    gaps: tuple[AssetState, ...]  # the assets it requires that are not in place
    ship_date: dt.date | None  # the last known end of the steps that deliver it

    @property
    def reason(self) -> Reason:
        return self.reasons[0]

    def text(self, name: Callable[[Node], str] = quoted) -> str:
        return self.reason.text(name)


def _waits_for(
    playbook: Playbook, steps: tuple[StepTiming, ...], gaps: tuple[AssetState, ...], today: dt.date
) -> tuple[StepTiming, ...]:
    """The steps not done that the delivering steps not done, or the open gaps, wait for:
    breadth first from them, so the nearest come first; a cycle (PB205) ends the walk."""
    graph = playbook.graph
    seen = {s.node.key for s in steps}
    queue: deque[Node] = deque()
    for timing in steps:
        if not timing.done:
            queue.extend(graph.targets(timing.node.key, "depends_on"))
    for gap in gaps:
        queue.extend(gap.open_closers)
    found = []
    while queue:
        node = queue.popleft()
        if node.key in seen or _done(node):
            continue
        seen.add(node.key)
        found.append(step_timing(playbook, node, today))
        queue.extend(graph.targets(node.key, "depends_on"))
    return tuple(found)


def _in_days(start: dt.date, today: dt.date) -> str:
    days = (start - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def _gap_words(gaps: tuple[AssetState, ...]) -> tuple[str | Node, ...]:
    first, others = gaps[0], len(gaps) - 1
    if not others:
        return (first.node, f" is still {first.readiness}")
    more = "another gap is" if others == 1 else f"{others} other gaps are"
    return (first.node, f" ({first.readiness}) and {more} still open")


def _shipped(steps: tuple[StepTiming, ...]) -> list[Reason]:
    if not steps or not all(s.done for s in steps):
        return []
    closed = [s.observed for s in steps if s.observed is not None and s.observed.closed]
    if len(closed) == len(steps):
        last = max(closed, key=lambda o: o.closed or dt.date.min).last_closed
        if last is not None:
            words = f"its items closed on {last.closed} ({last.ref.text})"
            return [Reason("shipped", (words,), last.closed)]
    return [Reason("shipped", ("every step that delivers it is done",))]


def _late(steps: tuple[StepTiming, ...]) -> list[Reason]:
    return [
        Reason("late", ("step ", s.node, f" ended {s.end} and is not done", _open(s)), s.end)
        for s in steps
        if s.overdue
    ]


def _open(timing: StepTiming) -> str:
    """What the tracker adds to a step not done that the file calls done."""
    if timing.step.status != "done" or timing.observed is None:
        return ""
    items = timing.observed.open_items
    if not items:
        return ""
    return f" (the file says done; the tracker has {items[0].ref.text} {items[0].status})"


def _blocked(
    steps: tuple[StepTiming, ...], waits: tuple[StepTiming, ...], gaps: tuple[AssetState, ...]
) -> list[Reason]:
    found = [
        Reason("blocked", ("step ", s.node, " is marked blocked"), s.end)
        for s in steps
        if not s.done and s.step.status == "blocked"
    ]
    found += [
        Reason("blocked", ("step ", s.node, "'s items were all dropped in the tracker"), s.end)
        for s in steps
        if s.dropped and s.step.status != "blocked"
    ]
    for w in waits:
        if w.step.status == "blocked":
            words = ", which is marked blocked"
        elif w.overdue:
            words = f", which ended {w.end} and is not done"
        else:
            continue
        found.append(Reason("blocked", ("it waits for step ", w.node, words), w.end))
    for gap in gaps:
        if not gap.closers:
            words = f", which is {gap.readiness}, and no roadmap step closes the gap"
            found.append(Reason("blocked", ("it needs ", gap.node, words)))
    return found


def _at_risk(
    steps: tuple[StepTiming, ...],
    waits: tuple[StepTiming, ...],
    gaps: tuple[AssetState, ...],
    today: dt.date,
    lead_days: int,
) -> list[Reason]:
    if not steps:
        return [Reason("at-risk", ("no roadmap step delivers it",))]
    pending = tuple(s for s in steps if not s.done)
    found = [
        Reason("at-risk", ("step ", s.node, " has no dates")) for s in pending if s.end is None
    ]
    for s in (*pending, *waits):
        if s.start_missed:
            words = f" was to start on {s.start} and is still planned"
            found.append(Reason("at-risk", ("step ", s.node, words), s.start))
    if gaps:
        for s in pending:
            if s.start is None or (s.start - today).days > lead_days:
                continue
            if s.start >= today:
                when = f" starts on {s.start}, {_in_days(s.start, today)}, and "
            else:
                when = f" started on {s.start}, and "
            found.append(Reason("at-risk", ("step ", s.node, when, *_gap_words(gaps)), s.start))
    return found


def _on_track(steps: tuple[StepTiming, ...]) -> list[Reason]:
    last = max((s for s in steps if not s.done and s.end), key=lambda s: s.end or dt.date.min)
    return [Reason("on-track", (f"ships {last.end}, when step ", last.node, " ends"), last.end)]


def delivery(
    playbook: Playbook, priority: Node, today: dt.date, lead_days: int = LEAD_DAYS
) -> Delivery:
    """The delivery status of ``priority`` on ``today`` (see the module's docstring)."""
    graph = playbook.graph
    steps = tuple(
        step_timing(playbook, n, today) for n in _unique(graph.referrers(priority.key, "delivers"))
    )
    states = (asset_state(graph, n) for n in _unique(graph.targets(priority.key, "requires")))
    gaps = tuple(s for s in states if not s.in_place)
    waits = _waits_for(playbook, steps, gaps, today)
    ends = [s.end for s in steps if s.end is not None]
    reasons = (
        _shipped(steps)
        or _late(steps)
        or _blocked(steps, waits, gaps)
        or _at_risk(steps, waits, gaps, today, lead_days)
        or _on_track(steps)
    )
    ordered = tuple(sorted(reasons, key=lambda r: r.day or dt.date.max))
    return Delivery(
        priority,
        ordered[0].status,
        ordered,
        steps,
        waits,
        gaps,
        max(ends) if ends else None,
    )


def deliveries(playbook: Playbook, today: dt.date, lead_days: int = LEAD_DAYS) -> list[Delivery]:
    """The delivery status of every committed priority: workshop by workshop, in file
    order. A priority whose id an earlier record of its workshop holds too is left out
    (PB201 reports it)."""
    out = []
    for loaded in playbook.workshops.values():
        for priority in loaded.model.priorities:
            if priority.status != "committed":
                continue
            node = playbook.graph.nodes.get((loaded.id, priority.id))
            if node is not None and node.record is priority:
                out.append(delivery(playbook, node, today, lead_days))
    return out
