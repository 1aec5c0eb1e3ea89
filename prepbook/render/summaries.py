"""The summaries a stakeholder reads first, as page data: a workshop's decisions, each
workshop's line on the portfolio, and the whole playbook at a glance.

Built from :mod:`prepbook.render.decisions`; like every view, plain data with links
already made, so a template override cannot get the facts wrong, only lay them out.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from prepbook import export
from prepbook.delivery import STATUS_WORDS
from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Metric, Persofail, Step
from prepbook.model.kinds import KINDS
from prepbook.outcomes import exported_readings, progress
from prepbook.render import decisions, delivery_view, people, pictures
from prepbook.render.decisions import Decision, Glance
from prepbook.render.delivery_view import StatusCell
from prepbook.render.links import FORMAT_REFERENCE, Linker
from prepbook.render.markdown import Md, residual, risk

# Words for a band of the completeness score: "high" is what a risk is when it is bad, so
# the site never uses it for a score that is good; nor "ready", which reads as delivery.
COMPLETENESS_WORDS = {"high": "complete", "medium": "parts missing", "low": "incomplete"}


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A committed priority: whether it is happening, when it ships, what blocks it, what
    threatens it."""

    priority: Md
    delivery: StatusCell
    ships: str
    ship_state: str
    delivered_by: Md
    gaps: Md
    threat: Md
    owner: Md = people.NOBODY  # who answers for the priority, linked to their page


@dataclass(frozen=True, slots=True)
class OtherPriority:
    """A priority not committed, with the workshop's note on why (a parking reason)."""

    priority: Md
    status: str
    notes: str | None


@dataclass(frozen=True, slots=True)
class RiskRow:
    persofail: Md
    organisation: str
    residual: Md
    level: str
    threatens: Md
    mitigations: str
    owners: Md = people.NOBODY  # who owns its mitigations, linked to their pages


@dataclass(frozen=True, slots=True)
class GapRow:
    asset: Md
    readiness: str
    required_by: Md
    closed_by: Md  # the steps that close it, with their dates; empty: nothing does


@dataclass(frozen=True, slots=True)
class MetricProgress:
    """One metric of a priority: its progress in words, and its chart when it has readings."""

    words: str
    chart: Md | None  # None: no reading yet, or its chart is shown for an earlier priority
    shown_above: bool = False  # its chart is under an earlier priority of the page


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """A priority that shipped, or whose metrics have readings: whether it worked."""

    priority: Md
    badge: Md | None  # its delivery status, when it is committed
    metrics: tuple[MetricProgress, ...]


def outcome_rows(
    playbook: Playbook, linker: Linker, workshop_id: str, found: list[Decision]
) -> tuple[OutcomeRow, ...]:
    """Each priority of the workshop that shipped, or that a metric with readings
    measures, with the progress of every metric that measures it: the shipped ones first,
    each group in file order."""
    graph = playbook.graph
    status = {d.priority.key: d.delivery.status for d in found}
    rows = []
    model = playbook.workshops[workshop_id].model
    ordered = sorted(
        model.priorities,
        key=lambda p: status.get((workshop_id, p.id)) != "shipped",  # stable: file order
    )
    charted: set[tuple[str, str]] = set()  # each metric's chart once a page
    for priority in ordered:
        node = graph.nodes.get((workshop_id, priority.id))
        if node is None or node.record is not priority:
            continue  # a second record of the same id (PB201)
        metrics = [m for m in _unique(graph.targets(node.key, "measured_by"))]
        found_of = {
            m.key: progress(m.record, exported_readings(playbook, m.workshop, m.record.id))
            for m in metrics
            if isinstance(m.record, Metric)
        }
        read = any(p.readings for p in found_of.values())
        if status.get(node.key) != "shipped" and not read:
            continue
        shown = []
        for metric in metrics:
            assert isinstance(metric.record, Metric)
            found_progress = found_of[metric.key]
            chart_id = (
                f"pb-progress-{workshop_id}-{priority.id}-{metric.workshop}-{metric.record.id}"
            )
            first = bool(found_progress.readings) and metric.key not in charted
            charted.add(metric.key)
            shown.append(
                MetricProgress(
                    pictures.progress_words(found_progress),
                    Md(pictures.progress_chart(chart_id, found_progress)) if first else None,
                    shown_above=bool(found_progress.readings) and not first,
                )
            )
        state = status.get(node.key)
        rows.append(
            OutcomeRow(
                linker.record(node),
                delivery_view.badge(state) if state is not None else None,
                tuple(shown),
            )
        )
    return tuple(rows)


def _unique(nodes: list[Node]) -> list[Node]:
    return list({n.key: n for n in nodes}.values())


@dataclass(frozen=True, slots=True)
class WorkshopDecisions:
    """The opening of a workshop's page."""

    decisions: tuple[DecisionRow, ...]
    others: tuple[OtherPriority, ...]
    risks: tuple[RiskRow, ...]
    risks_cut: str  # "top 3 of 7 persofails, 4 tied at 6 (2 of them not shown)"
    gaps: tuple[GapRow, ...]
    completeness_words: str
    delivery: Md  # the delivery score: "1 late · 1 on track", each status its badge
    outcomes: tuple[OutcomeRow, ...]  # whether what shipped worked


def _step_links(playbook: Playbook, linker: Linker, steps: list[Node] | tuple[Node, ...]) -> Md:
    """Steps with their end dates: "Launch (2027-03-31)"."""
    parts = []
    for node in steps:
        assert isinstance(node.record, Step)
        _, end = playbook.workshops[node.workshop].model.roadmap.dates_of(node.record)
        when = f" ({end})" if end else " (no dates)"
        parts.append(f"{linker.record(node)}{when}")
    return Md(", ".join(parts))


def _gap_links(linker: Linker, gaps: tuple[Node, ...]) -> Md:
    parts = []
    for node in gaps:
        assert isinstance(node.record, Asset)
        parts.append(f"{linker.record(node)} ({node.record.readiness})")
    return Md(", ".join(parts))


def _threat(linker: Linker, threats: tuple[Node, ...]) -> Md:
    if not threats:
        return Md("")
    top = threats[0].record
    assert isinstance(top, Persofail)
    more = f" and {len(threats) - 1} more" if len(threats) > 1 else ""
    return Md(f"{linker.record(threats[0])}, residual now {risk(top.residual_now)}{more}")


def decision_row(playbook: Playbook, linker: Linker, decision: Decision) -> DecisionRow:
    return DecisionRow(
        priority=linker.record(decision.priority),
        delivery=delivery_view.status_cell(
            linker.graph, linker, decision.delivery, decisions.ship_text(decision.ship)
        ),
        ships=decisions.ship_text(decision.ship),
        ship_state=decision.ship.state,
        delivered_by=_step_links(playbook, linker, decision.ship.steps),
        gaps=_gap_links(linker, decision.gaps),
        threat=_threat(linker, decision.threats),
        owner=people.owner_links(linker.graph, linker, decision.priority),
    )


def _mitigations(persofail: Persofail) -> str:
    counts = decisions.mitigation_summary(persofail).counts
    return ", ".join(f"{n} {status}" for status, n in counts) or "no mitigation yet"


def risk_row(playbook: Playbook, linker: Linker, node: Node) -> RiskRow:
    persofail = node.record
    assert isinstance(persofail, Persofail)
    return RiskRow(
        persofail=linker.record(node),
        organisation=playbook.workshops[node.workshop].model.organisation,
        residual=residual(persofail),
        level=persofail.residual_now.level,
        threatens=linker.targets(node, "threatens"),
        mitigations=_mitigations(persofail),
        owners=people.owner_links(linker.graph, linker, node),
    )


def workshop_decisions(
    playbook: Playbook,
    graph: Graph,
    linker: Linker,
    workshop_id: str,
    found: list[Decision],
    band: str,
) -> WorkshopDecisions:
    model = playbook.workshops[workshop_id].model
    others = tuple(
        OtherPriority(linker.record((workshop_id, p.id)), p.status, p.notes)
        for p in model.priorities
        if p.status != "committed"
    )
    gaps = []
    for node in decisions.workshop_gaps(found):
        closing = graph.referrers(node.key, "closes_gap")
        assert isinstance(node.record, Asset)
        gaps.append(
            GapRow(
                asset=linker.record(node),
                readiness=node.record.readiness,
                required_by=linker.referrers(node, "requires"),
                closed_by=_step_links(playbook, linker, closing),
            )
        )
    ranked, cut = decisions.top_risks(playbook, graph, workshop_id)
    return WorkshopDecisions(
        decisions=tuple(decision_row(playbook, linker, d) for d in found),
        others=others,
        risks=tuple(risk_row(playbook, linker, n) for n in ranked),
        risks_cut=cut.words("persofails"),
        gaps=tuple(gaps),
        completeness_words=COMPLETENESS_WORDS.get(band, band),
        delivery=delivery_score(found),
        outcomes=outcome_rows(playbook, linker, workshop_id, found),
    )


def delivery_score(found: list[Decision]) -> Md:
    """How many committed priorities have each delivery status, each as its badge."""
    counts = decisions.status_counts(found)
    return Md(" · ".join(f"{n} {delivery_view.badge(s)}" for s, n in counts))


@dataclass(frozen=True, slots=True)
class ShipRow:
    """A committed priority on the portfolio or the playbook's summary."""

    priority: Md
    organisation: str
    workshop: Md
    ships: str
    owner: Md = people.NOBODY  # who answers for the priority, linked to their page
    delivery: StatusCell | None = None


@dataclass(frozen=True, slots=True)
class GlanceView:
    workshops: int
    committed: int
    shipped: int
    high_risks: int
    blocking_gaps: int
    today: dt.date
    next_ships: tuple[ShipRow, ...]
    statuses: tuple[tuple[str, int], ...]  # each delivery status in words, with its count
    delivery: tuple[ShipRow, ...]  # committed priorities, the worst status first
    top_risks: tuple[RiskRow, ...]
    risks_cut: str  # what the top risks rank, and the ties at the cut
    data: DataLinks
    reference: Md  # the format reference: how to write a workshop, every key
    # whether the page lists every committed priority's delivery already (the portfolio's
    # rows do), so the summary gives only the counts
    listed: bool = False


@dataclass(frozen=True, slots=True)
class DataLinks:
    """Links to the playbook as data (see :mod:`prepbook.export`): a block of fixed size,
    whatever the playbook holds."""

    json: Md
    schema: Md
    calendar: Md
    tables: tuple[tuple[str, Md], ...]  # each CSV file's name and link
    feed: Md | None = None  # the Changes page as an Atom feed, when there is one


def data_links(linker: Linker, feed: bool = False) -> DataLinks:
    return DataLinks(
        json=linker.url(export.PLAYBOOK_JSON),
        schema=linker.url(export.PLAYBOOK_SCHEMA),
        calendar=linker.url(export.ROADMAP_ICS),
        tables=tuple(
            (posixpath.basename(path), linker.url(path))
            for path in (export.table_file(KINDS[name].where) for name in export.TABLE_KINDS)
        ),
        feed=linker.url(export.CHANGES_FEED) if feed else None,
    )


def ship_rows(
    playbook: Playbook, linker: Linker, found: list[Decision] | tuple[Decision, ...]
) -> tuple[ShipRow, ...]:
    rows = []
    for d in found:
        ws = playbook.workshops[d.priority.workshop].model
        rows.append(
            ShipRow(
                priority=linker.record(d.priority),
                organisation=ws.organisation,
                workshop=linker.workshop(d.priority.workshop, ws.title),
                ships=decisions.ship_text(d.ship),
                owner=people.owner_links(linker.graph, linker, d.priority),
                delivery=delivery_view.status_cell(
                    linker.graph, linker, d.delivery, decisions.ship_text(d.ship)
                ),
            )
        )
    return tuple(rows)


def glance_view(
    playbook: Playbook,
    linker: Linker,
    glance: Glance,
    today: dt.date,
    reference: str = FORMAT_REFERENCE,
    feed: bool = False,
    listed: bool = False,
) -> GlanceView:
    """``reference``: the format reference's page, relative to the generated folder."""
    return GlanceView(
        workshops=glance.workshops,
        committed=glance.committed,
        shipped=glance.shipped,
        high_risks=glance.high_risks,
        blocking_gaps=glance.blocking_gaps,
        today=today,
        next_ships=ship_rows(playbook, linker, glance.next_ships),
        statuses=tuple((STATUS_WORDS[s], n) for s, n in glance.statuses),
        delivery=ship_rows(playbook, linker, glance.delivery),
        top_risks=tuple(risk_row(playbook, linker, n) for n in glance.top_risks),
        risks_cut=glance.risks_cut.words("persofails"),
        data=data_links(linker, feed),
        reference=linker.url(reference),
        listed=listed,
    )
