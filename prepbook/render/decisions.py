"""What a workshop decided and when it ships: the facts a stakeholder reads first.

A priority's ship date is not written anywhere: it follows from the roadmap steps that
deliver it, in whichever workshop they are. Deriving it here, once, keeps the workshop
page, the portfolio and the playbook's summary from each guessing differently.

Every count of open gaps on the site is made here, by :func:`workshop_gaps`, from the
one definition of :mod:`prepbook.delivery`: an **open gap** of a workshop is an asset that
one of its committed priorities requires and that is not in place (ready, or closed by
roadmap steps that are all done). Each asset counts once in a workshop however many of its
priorities need it; the playbook's count is the sum of the workshops' counts, so an asset
that priorities of two workshops need counts in each, and the home page's number is the
sum of the portfolio's rows.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from prepbook.delivery import LEAD_DAYS, Delivery, DeliveryStatus, delivery
from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Persofail, Step
from prepbook.render.delivery_view import STATUS_ORDER

ShipState = Literal["shipped", "scheduled", "undated", "unscheduled"]
MITIGATION_ORDER = ("done", "in-progress", "planned")
TOP_RISKS = 3  # residual risks a workshop's summary names
GLANCE_ITEMS = 5  # what ships next, and the highest risks, on the playbook's summary
# committed priorities the playbook's summary lists with their delivery status, the worst
# first: every one in a playbook of a few workshops, a bounded page in one of thousands
# (the portfolio's rows show every one, a page of workshops at a time)
DELIVERY_ITEMS = 12


@dataclass(frozen=True, slots=True)
class Shipping:
    """When a priority ships: the last day of the steps that deliver it.

    ``unscheduled``: no step delivers it; ``undated``: some delivering step has no dates,
    so ``date`` (when set) is only the last known day; ``shipped``: every delivering step
    is done.
    """

    state: ShipState
    date: dt.date | None
    steps: tuple[Node, ...]


def shipping(playbook: Playbook, graph: Graph, priority: Node) -> Shipping:
    steps = tuple(graph.referrers(priority.key, "delivers"))
    if not steps:
        return Shipping("unscheduled", None, ())
    ends: list[dt.date] = []
    undated = False
    for node in steps:
        assert isinstance(node.record, Step)
        _, end = playbook.workshops[node.workshop].model.roadmap.dates_of(node.record)
        if end is None:
            undated = True
        else:
            ends.append(end)
    last = max(ends) if ends else None
    if all(isinstance(n.record, Step) and n.record.status == "done" for n in steps):
        return Shipping("shipped", last, steps)
    return Shipping("undated" if undated else "scheduled", last, steps)


def ship_text(ship: Shipping) -> str:
    """The ship date in words, saying how sure it is."""
    if ship.state == "unscheduled":
        return "not scheduled: no roadmap step delivers it"
    if ship.state == "shipped":
        return f"shipped {ship.date}" if ship.date else "shipped"
    if ship.state == "undated":
        return f"after {ship.date} (a delivering step has no dates)" if ship.date else "no date yet"
    return str(ship.date)


def residual_order(node: Node) -> tuple[int, int, int, str, str]:
    """Riskiest first: residual risk now, then the planned residual, then inherent, then
    by workshop and id."""
    persofail = node.record
    assert isinstance(persofail, Persofail)
    return (
        -persofail.residual_now.score,
        -persofail.planned_residual.score,
        -persofail.inherent.score,
        node.workshop,
        persofail.id,
    )


@dataclass(frozen=True, slots=True)
class TopN:
    """What a top-N list leaves out: how many it ranks of how many, and the ties at its
    cut, so that a list of five of nine equal rows says it is one."""

    shown: int
    total: int
    cut: int | None  # the score of the last row shown
    tied: int  # rows at the cut's score, shown or not
    tied_out: int  # of those, the ones not shown

    def words(self, noun: str) -> str:
        """ "top 5 of 9 persofails, 9 tied at 6 (4 of them not shown)"; "all 3 persofails"."""
        if self.shown >= self.total:
            return f"all {self.total} {noun}"
        text = f"top {self.shown} of {self.total} {noun}"
        if self.tied_out:
            text += f", {self.tied} tied at {self.cut} ({self.tied_out} of them not shown)"
        return text


def top_n(ranked: list[Node], total: list[Node], score: Callable[[Node], int]) -> TopN:
    """The ties of a list ``ranked`` drawn from ``total`` by ``score``, highest first."""
    if not ranked:
        return TopN(0, len(total), None, 0, 0)
    cut = score(ranked[-1])
    tied = sum(1 for n in total if score(n) == cut)
    shown = sum(1 for n in ranked if score(n) == cut)
    return TopN(len(ranked), len(total), cut, tied, tied - shown)


def residual_now_score(node: Node) -> int:
    assert isinstance(node.record, Persofail)
    return node.record.residual_now.score


def top_risks(playbook: Playbook, graph: Graph, workshop_id: str) -> tuple[list[Node], TopN]:
    """A workshop's riskiest persofails now, for its summary, with what the cut leaves out."""
    model = playbook.workshops[workshop_id].model
    nodes = [graph.node((workshop_id, p.id)) for p in model.persofails]
    ranked = sorted(nodes, key=residual_order)[:TOP_RISKS]
    return ranked, top_n(ranked, nodes, residual_now_score)


@dataclass(frozen=True, slots=True)
class Decision:
    """A committed priority with when it ships, whether that still holds (its delivery
    status on the build's day), what blocks it and what threatens it."""

    priority: Node
    ship: Shipping
    delivery: Delivery
    threats: tuple[Node, ...]  # persofails that name it, riskiest first

    @property
    def gaps(self) -> tuple[Node, ...]:
        """Its open gaps: the assets it requires that are not in place."""
        return tuple(g.node for g in self.delivery.gaps)


def decisions(
    playbook: Playbook,
    graph: Graph,
    workshop_id: str,
    today: dt.date,
    lead_days: int = LEAD_DAYS,
) -> list[Decision]:
    """The committed priorities of one workshop, in file order, as of ``today``."""
    out = []
    for priority in playbook.workshops[workshop_id].model.priorities:
        if priority.status != "committed":
            continue
        node = graph.node((workshop_id, priority.id))
        threats = sorted(graph.referrers(node.key, "threatens"), key=residual_order)
        out.append(
            Decision(
                node,
                shipping(playbook, graph, node),
                delivery(playbook, node, today, lead_days),
                tuple(threats),
            )
        )
    return out


def workshop_gaps(found: list[Decision]) -> list[Node]:
    """A workshop's open gaps (see the module's docstring), each once, in the order first
    met: the one list every count of open gaps is the length of."""
    seen: dict[tuple[str, str], Node] = {}
    for decision in found:
        for gap in decision.gaps:
            seen.setdefault(gap.key, gap)
    return list(seen.values())


@dataclass(frozen=True, slots=True)
class Glance:
    """The whole playbook in a few numbers and two short lists, bounded however large."""

    workshops: int
    committed: int
    shipped: int
    high_risks: int  # persofails whose residual risk is still high
    blocking_gaps: int  # assets that block a committed priority
    next_ships: tuple[Decision, ...]  # the next committed priorities to ship
    statuses: tuple[tuple[DeliveryStatus, int], ...]  # committed priorities of each status
    delivery: tuple[Decision, ...]  # committed priorities by delivery status, the worst first
    top_risks: tuple[Node, ...]  # the riskiest persofails of the playbook now
    risks_cut: TopN  # how many persofails the top risks rank, and the ties at the cut


def status_counts(found: list[Decision]) -> tuple[tuple[DeliveryStatus, int], ...]:
    """How many of ``found`` have each delivery status, the worst first: the delivery
    score of a workshop (or of the playbook), beside the write-up's completeness."""
    counts: dict[DeliveryStatus, int] = {}
    for d in found:
        counts[d.delivery.status] = counts.get(d.delivery.status, 0) + 1
    return tuple((s, counts[s]) for s in STATUS_ORDER if s in counts)


def attention_order(decision: Decision) -> tuple[int, dt.date, str, str]:
    """Worst status first, then the earliest ship date, then by workshop and id."""
    found = decision.delivery
    return (
        STATUS_ORDER[found.status],
        found.ship_date or dt.date.max,
        decision.priority.workshop,
        decision.priority.record.id,
    )


def glance(
    graph: Graph,
    found: dict[str, list[Decision]],
    today: dt.date,
    limit: int = GLANCE_ITEMS,
    delivery_limit: int = DELIVERY_ITEMS,
) -> Glance:
    every = [d for ds in found.values() for d in ds]
    statuses = status_counts(every)
    upcoming = [
        d for d in every if d.ship.state != "shipped" and d.ship.date and d.ship.date >= today
    ]
    upcoming.sort(key=lambda d: (d.ship.date or today, d.priority.workshop, d.priority.record.id))
    persofails = [n for n in graph.nodes.values() if isinstance(n.record, Persofail)]
    high = sum(
        1
        for n in persofails
        if isinstance(n.record, Persofail) and n.record.residual_now.level == "high"
    )
    gaps = sum(len(workshop_gaps(ds)) for ds in found.values())
    ranked = heapq.nsmallest(limit, persofails, key=residual_order)
    return Glance(
        workshops=len(found),
        committed=len(every),
        shipped=dict(statuses).get("shipped", 0),
        high_risks=high,
        blocking_gaps=gaps,
        next_ships=tuple(upcoming[:limit]),
        statuses=statuses,
        delivery=tuple(heapq.nsmallest(delivery_limit, every, key=attention_order)),
        top_risks=tuple(ranked),
        risks_cut=top_n(ranked, persofails, residual_now_score),
    )


@dataclass
class MitigationSummary:
    """A persofail's mitigations at a glance: how many in each status, and who owns them."""

    counts: list[tuple[str, int]]
    owners: list[str]


def mitigation_summary(persofail: Persofail) -> MitigationSummary:
    counts: dict[str, int] = {}
    owners: list[str] = []
    for mitigation in persofail.mitigations:
        counts[mitigation.status] = counts.get(mitigation.status, 0) + 1
        if mitigation.owner and mitigation.owner not in owners:
            owners.append(mitigation.owner)
    return MitigationSummary([(s, counts[s]) for s in MITIGATION_ORDER if s in counts], owners)
