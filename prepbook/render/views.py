"""What each page shows, computed once from the graph; the templates only lay it out.

A page's view holds nothing but text, numbers, dates and frozen dataclasses of those: the
links are already rendered (as trusted :class:`Md`, relative to the page they are on) and
every value a template shows is here. So a template override cannot reach into the models
or the graph, and what a page shows can be read, and tested, in Python.

Text from YAML stays ``str`` here: the template's ``finalize`` (or its ``para`` filter)
escapes it, exactly once. Links and pictures are ``Md``: escaped when they were built.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, get_args

from prepbook.findings import Finding, follow_count
from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Persofail, Step, Workshop
from prepbook.model.audit import AssetKind
from prepbook.model.base import Record
from prepbook.model.persofails import category_name, risk_bands_text
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.render import links, people
from prepbook.render.changes import CommitView
from prepbook.render.decisions import mitigation_summary
from prepbook.render.delivery_view import StepNotes, StepWords
from prepbook.render.links import Linker
from prepbook.render.markdown import Md, dates, residual, risk
from prepbook.render.records import Layout, RecordView, record_view
from prepbook.render.summaries import ShipRow, WorkshopDecisions
from prepbook.rules import METHOD_RULES, RULES

READINESS_ORDER = {"missing": 0, "partial": 1, "ready": 2}
# The method rule that wants the five expected functions covered: when a silence covers
# it, the team section says so rather than leave the score to read as covered.
TEAM_RULE = "PB310"
ASSET_KINDS: tuple[str, ...] = get_args(AssetKind)
EN_DASH = "\u2013"  # the catalogue writes its ranges with an en dash
ABOUT_RULE = "why it matters"  # the words of a link from a finding to its rule's page


# ---------------------------------------------------------------------------------------
# The playbook as the cross-workshop pages order and group it


@dataclass
class WorkshopSummary:
    """One workshop's figures for the portfolio, and its place in the order of workshops."""

    id: str
    model: Workshop
    committed: int
    priorities: int
    persofails: int
    high_risks: int
    missing_functions: list[str]

    @property
    def date(self) -> dt.date | None:
        return self.model.dates.start if self.model.dates else None


@dataclass
class RoadmapGroup:
    """Steps that share a time window (a quarter) or, undated, a workshop's phase."""

    title: str
    anchor: str
    steps: list[Node] = field(default_factory=list)


def summarise(playbook: Playbook) -> list[WorkshopSummary]:
    rows = []
    for ws_id, loaded in playbook.workshops.items():
        model = loaded.model
        covered = {m.function for m in model.team}
        rows.append(
            WorkshopSummary(
                id=ws_id,
                model=model,
                committed=sum(1 for p in model.priorities if p.status == "committed"),
                priorities=len(model.priorities),
                persofails=len(model.persofails),
                high_risks=sum(1 for p in model.persofails if p.residual_now.level == "high"),
                missing_functions=[f for f in EXPECTED_FUNCTIONS if f not in covered],
            )
        )
    # Newest workshops first; undated ones (drafts) after them; ties by id.
    rows.sort(key=lambda r: (r.date is None, -(r.date.toordinal() if r.date else 0), r.id))
    return rows


def audit_register(graph: Graph) -> list[Node]:
    """Every asset, the gaps first."""
    assets = [n for n in graph.nodes.values() if n.kind == "asset"]

    def key(node: Node) -> tuple[int, str, str]:
        asset = node.record
        assert isinstance(asset, Asset)
        return (READINESS_ORDER[asset.readiness], node.workshop, asset.title.casefold())

    return sorted(assets, key=key)


def catalogue(graph: Graph) -> list[Node]:
    """Every persofail, the riskiest first (inherent, then residual risk)."""
    persofails = [n for n in graph.nodes.values() if n.kind == "persofail"]

    def key(node: Node) -> tuple[int, int, str, str]:
        p = node.record
        assert isinstance(p, Persofail)
        return (-p.inherent.score, -p.residual_now.score, node.workshop, p.id)

    return sorted(persofails, key=key)


def by_category(persofails: list[Node]) -> dict[str, list[Node]]:
    """Persofails under each category and each tag, for browsing; sorted by name."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in persofails:
        p = node.record
        assert isinstance(p, Persofail)
        groups[p.category].append(node)
        for tag in p.tags:
            if tag != p.category:
                groups[tag].append(node)
    return dict(sorted(groups.items()))


def _quarter(day: dt.date) -> tuple[str, str]:
    q = (day.month - 1) // 3 + 1
    return f"{day.year} Q{q}", links.window_anchor(day.year, q)


def roadmap_groups(playbook: Playbook, graph: Graph) -> list[RoadmapGroup]:
    """All steps: dated ones by the quarter they start in, the others by workshop phase."""
    dated: dict[str, RoadmapGroup] = {}
    undated: list[RoadmapGroup] = []
    starts: dict[tuple[str, str], dt.date] = {}
    for ws_id, loaded in playbook.workshops.items():
        roadmap = loaded.model.roadmap
        by_phase: dict[str | None, RoadmapGroup] = {}
        for step in roadmap.steps:
            node = graph.node((ws_id, step.id))
            start, _ = roadmap.dates_of(step)
            if start is not None:
                starts[node.key] = start
                title, anchor = _quarter(start)
                dated.setdefault(title, RoadmapGroup(title, anchor)).steps.append(node)
                continue
            group = by_phase.get(step.phase)
            if group is None:
                phase = roadmap.phase_of(step)
                name = phase.title if phase else "No phase"
                group = RoadmapGroup(
                    f"{loaded.model.title}: {name}", links.phase_group_anchor(ws_id, step.phase)
                )
                by_phase[step.phase] = group
            group.steps.append(node)
        order = [*(p.id for p in roadmap.phases), None]
        undated.extend(by_phase[p] for p in order if p in by_phase)

    for group in dated.values():
        group.steps.sort(key=lambda n: (starts[n.key], n.workshop, n.record.id))
    return [dated[k] for k in sorted(dated)] + undated


# ---------------------------------------------------------------------------------------
# What the templates receive


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The URLs of the cross-workshop pages, relative to the page being rendered."""

    portfolio: Md
    audit: Md
    catalogue: Md
    roadmap: Md
    changes: Md


def page_links(linker: Linker) -> PageLinks:
    return PageLinks(
        linker.url(links.PORTFOLIO),
        linker.url(links.AUDIT),
        linker.url(links.CATALOGUE),
        linker.url(links.ROADMAP),
        linker.url(links.CHANGES),
    )


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """A workshop's row on the portfolio."""

    anchor: Md
    link: Md
    organisation: str
    status: str
    date: dt.date | None
    committed: int
    priorities: int
    persofails: int
    high_risks: int
    open_gaps: int
    completeness: int
    decisions: tuple[ShipRow, ...]  # its committed priorities, with when each ships
    delivery: Md  # how many committed priorities have each delivery status


def portfolio_rows(
    summaries: list[WorkshopSummary],
    scores: dict[str, int],
    linker: Linker,
    decided: dict[str, tuple[ShipRow, ...]],
    open_gaps: dict[str, int],
    delivery: dict[str, Md],
) -> tuple[PortfolioRow, ...]:
    """``open_gaps``: each workshop's count (``decisions.workshop_gaps``)."""
    return tuple(
        PortfolioRow(
            anchor=links.span(links.portfolio_anchor(s.id)),
            link=linker.workshop(s.id, s.model.title),
            organisation=s.model.organisation,
            status=s.model.status,
            date=s.date,
            committed=s.committed,
            priorities=s.priorities,
            persofails=s.persofails,
            high_risks=s.high_risks,
            open_gaps=open_gaps[s.id],
            completeness=scores[s.id],
            decisions=decided[s.id],
            delivery=delivery[s.id],
        )
        for s in summaries
    )


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An asset's row in the audit register."""

    anchor: Md
    link: Md
    workshop: Md
    kind: str
    readiness: str
    owner: Md | None
    required_by: Md
    gap_closed_by: Md


def audit_rows(nodes: list[Node], linker: Linker) -> tuple[AuditRow, ...]:
    rows = []
    for node in nodes:
        asset = node.record
        assert isinstance(asset, Asset)
        rows.append(
            AuditRow(
                anchor=links.span(links.audit_anchor(node.workshop, asset.id)),
                link=linker.record(node),
                workshop=linker.named_workshop(node.workshop),
                kind=asset.kind,
                readiness=asset.readiness,
                owner=linker.record((node.workshop, asset.owner)) if asset.owner else None,
                required_by=linker.referrers(node, "requires"),
                gap_closed_by=linker.referrers(node, "closes_gap"),
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """A persofail's row in the catalogue, and its entry under its categories and tags."""

    anchor: Md
    link: Md
    workshop_id: str
    workshop: Md
    category: str
    inherent: Md
    residual: Md
    inherent_score: int
    residual_score: int
    mitigation_counts: tuple[tuple[str, int], ...]
    mitigation_owners: tuple[Md, ...]
    threatens: Md


def risk_bands() -> str:
    """The bands of the risk scores, as the catalogue words them."""
    return risk_bands_text(EN_DASH)


def catalogue_rows(nodes: list[Node], linker: Linker) -> tuple[CatalogueRow, ...]:
    rows = []
    for node in nodes:
        p = node.record
        assert isinstance(p, Persofail)
        mit = mitigation_summary(p)
        rows.append(
            CatalogueRow(
                anchor=links.span(links.catalogue_anchor(node.workshop, p.id)),
                link=linker.record(node),
                workshop_id=node.workshop,
                workshop=linker.named_workshop(node.workshop),
                category=category_name(p.category),
                inherent=risk(p.inherent),
                residual=residual(p),
                inherent_score=p.inherent.score,
                residual_score=p.residual_now.score,
                mitigation_counts=tuple(mit.counts),
                mitigation_owners=tuple(linker.record((node.workshop, o)) for o in mit.owners),
                threatens=linker.targets(node, "threatens"),
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class RoadmapRow:
    """A step's row on the roadmap page."""

    anchor: Md
    milestone: bool
    link: Md
    workshop: Md
    dates: Md
    delivers: Md
    depends_on: Md
    closes_gap: Md
    status: str
    owner: Md = people.NOBODY  # who answers for the step, linked to their page
    behind: str = ""  # "overdue: ended 2026-11-27" when a step is late; empty otherwise
    tracker: str = ""  # what the tracker says, for a tracked step: observed beside planned


@dataclass(frozen=True, slots=True)
class RoadmapWindow:
    """A group of steps on the roadmap page: a quarter, or a workshop's phase."""

    title: str
    id: str  # its anchor's id
    steps: tuple[RoadmapRow, ...]


def roadmap_rows(
    nodes: list[Node], linker: Linker, behind: StepNotes | None = None
) -> tuple[RoadmapRow, ...]:
    """``behind`` words a step that is behind on the build's day (see
    :func:`prepbook.render.delivery_view.overdue_words`)."""
    rows = []
    for node in nodes:
        step = node.record
        assert isinstance(step, Step)
        words = behind(node) if behind is not None else StepWords()
        rows.append(
            RoadmapRow(
                anchor=links.span(links.roadmap_anchor(node.workshop, step.id)),
                milestone=step.milestone,
                link=linker.record(node),
                workshop=linker.named_workshop(node.workshop),
                dates=dates(step.start, step.end),
                delivers=linker.targets(node, "delivers"),
                depends_on=linker.targets(node, "depends_on"),
                closes_gap=linker.targets(node, "closes_gap"),
                status=step.status,
                owner=people.owner_links(linker.graph, linker, node),
                behind=words.behind,
                tracker=words.tracker,
            )
        )
    return tuple(rows)


def roadmap_windows(groups: list[RoadmapGroup], linker: Linker) -> tuple[RoadmapWindow, ...]:
    return tuple(
        RoadmapWindow(group.title, group.anchor, roadmap_rows(group.steps, linker))
        for group in groups
    )


# ---------------------------------------------------------------------------------------
# A workshop's page


@dataclass(frozen=True, slots=True)
class FindingRow:
    """An open or silenced finding of the workshop's completeness score."""

    severity: str
    rule: Md  # a link to the rule's page
    rule_name: str
    message: str
    record: Md | None  # the record it is about, when it has an anchor
    reason: str | None  # why it was silenced
    subject: str | None = None  # what on the record, for a rule that finds several things
    # the findings that only follow from this one, listed under it (checks/causes.py)
    follows: tuple[FindingRow, ...] = ()
    follows_label: str = ""  # "and 2 findings that follow from this"
    # a link to the rule's page in words, for the workshop page, which names no rule ids
    # (they stay on the findings pages); None for a finding whose rule has no page
    about: Md | None = None


@dataclass(frozen=True, slots=True)
class CompletenessView:
    score: int
    band: str
    findings: tuple[FindingRow, ...]
    silenced: tuple[FindingRow, ...]


@dataclass(frozen=True, slots=True)
class PhaseSection:
    """A phase and the steps listed under it; ``phase`` None: the steps without a phase."""

    phase: RecordView | None
    steps: tuple[RecordView, ...]
    # the steps behind on the build's day, each linked, with how: "overdue: ended 2026-11-27"
    behind: tuple[tuple[Md, str], ...] = ()
    # the tracked steps with what their tracker says: "tracker: done, closed 2026-12-10"
    tracked: tuple[tuple[Md, str], ...] = ()


@dataclass(frozen=True, slots=True)
class WorkshopPage:
    """Everything a workshop's page shows, section by section; each record as its model
    says (:mod:`prepbook.render.records`)."""

    id: str
    title: str  # as the browser's tab and search name the page: "Organisation: Title"
    workshop: RecordView  # its title, the line under it, its summary
    team_id: str
    roadmap_id: str
    completeness_id: str
    day: Md  # the workshop day's pages: "facilitation kit · decision record", the one its
    # status asks for first (the kit before the day, the record after it)
    coverage: Md
    team: tuple[RecordView, ...]
    missing_functions: tuple[str, ...]
    expected_functions: tuple[str, ...]
    audit: tuple[RecordView, ...]  # by kind of asset, in file order within each
    metrics: tuple[RecordView, ...]
    heatmap: Md | None
    persofails: tuple[RecordView, ...]
    matrix: Md | None
    priorities: tuple[RecordView, ...]
    barriers: tuple[RecordView, ...]
    completeness: CompletenessView
    # why the rule that wants the five functions covered is silenced here; None: it is not
    team_silence: str | None
    timeline: Md | None
    phases: tuple[PhaseSection, ...]
    decisions: WorkshopDecisions  # what it decided, when that ships, what blocks or risks it
    changes: tuple[CommitView, ...] = ()  # its latest commits, when the playbook has history


class Scored(Protocol):
    """A workshop's completeness score, as the report computes it."""

    score: int
    findings: list[Finding]
    silenced: list[tuple[Finding, str]]

    @property
    def band(self) -> str: ...


class PictureMaker(Protocol):
    """The pictures of a workshop page (see :class:`prepbook.render.figures.Figures`)."""

    def coverage(self, workshop: Workshop, silenced: bool = False) -> Md: ...
    def timeline(self, workshop: Workshop) -> Md: ...
    def workshop_heatmap(self, workshop: Workshop) -> Md: ...
    def matrix(self, workshop: Workshop) -> Md: ...


def _finding_row(
    finding: Finding, reason: str | None, ws_id: str, graph: Graph, linker: Linker
) -> FindingRow:
    key = (ws_id, finding.record) if finding.record else None
    return FindingRow(
        severity=str(finding.severity),
        # only the method rules have pages; the closing finding of a file over the cap
        # (PB010), the one other finding a rendered workshop can have, names its rule
        rule=linker.rule(finding.rule) if finding.rule in METHOD_RULES else Md(finding.rule),
        rule_name=RULES[finding.rule].name,
        message=finding.message,
        record=linker.record(key) if key is not None and key in graph.nodes else None,
        reason=reason,
        subject=finding.subject,
        follows=tuple(_finding_row(f, None, ws_id, graph, linker) for f in finding.follows),
        follows_label=follow_count(finding) if finding.follows else "",
        about=linker.to(links.rule_page(finding.rule, linker.rules_root), ABOUT_RULE)
        if finding.rule in METHOD_RULES
        else None,
    )


def _day_pages(ws_id: str, status: str, linker: Linker) -> Md:
    kit = linker.to(links.kit_page(ws_id), "facilitation kit")
    record = linker.to(links.record_page(ws_id), "one-page decision record")
    if status in ("draft", "scheduled"):
        return Md(
            f"For the workshop day: the {kit} (agenda, worksheets, cards); after it, the {record}."
        )
    return Md(f"For leadership: the {record}; the {kit} the day worked with.")


def workshop_view(
    summary: WorkshopSummary,
    graph: Graph,
    linker: Linker,
    scored: Scored,
    figures: PictureMaker,
    decided: WorkshopDecisions,
    changes: tuple[CommitView, ...] = (),
    behind: StepNotes | None = None,
) -> WorkshopPage:
    """The page of one workshop, links relative to it; ``behind`` words a step that is
    behind on the build's day (see :func:`prepbook.render.delivery_view.behind`)."""
    ws = summary.model
    ws_id = summary.id

    def show(records: Iterable[Record], layout: Layout) -> tuple[RecordView, ...]:
        return tuple(
            record_view(r, graph.node((ws_id, r.id)), ws_id, linker, layout) for r in records
        )

    completeness = CompletenessView(
        scored.score,
        scored.band,
        tuple(_finding_row(f, None, ws_id, graph, linker) for f in scored.findings),
        tuple(_finding_row(f, why, ws_id, graph, linker) for f, why in scored.silenced),
    )
    team_silence = next((why for f, why in scored.silenced if f.rule == TEAM_RULE), None)
    steps = ws.roadmap.steps

    def noted(listed: list[Step]) -> tuple[tuple[tuple[Md, str], ...], tuple[tuple[Md, str], ...]]:
        """The steps of ``listed`` that are behind, and the tracked ones with what their
        tracker says: each step's words worked out once."""
        late: list[tuple[Md, str]] = []
        tracked: list[tuple[Md, str]] = []
        for step in listed if behind is not None else []:
            node = graph.nodes.get((ws_id, step.id))
            if node is None or node.record is not step:
                continue
            assert behind is not None
            words = behind(node)
            if words.behind:
                late.append((linker.record(node), words.behind))
            if words.tracker:
                tracked.append((linker.record(node), words.tracker))
        return tuple(late), tuple(tracked)

    phases = []
    for phase in ws.roadmap.phases:
        listed = [s for s in steps if s.phase == phase.id]
        phases.append(
            PhaseSection(
                record_view(phase, graph.node((ws_id, phase.id)), ws_id, linker, "section"),
                show(listed, "row"),
                *noted(listed),
            )
        )
    unphased = [s for s in steps if s.phase is None]
    loose = show(unphased, "row")
    if loose:
        phases.append(PhaseSection(None, loose, *noted(unphased)))
    kind_order = {kind: index for index, kind in enumerate(ASSET_KINDS)}
    audit = sorted(ws.audit, key=lambda asset: kind_order[asset.kind])  # stable: file order
    return WorkshopPage(
        id=ws_id,
        title=f"{ws.organisation}: {ws.title}",
        workshop=record_view(ws, None, ws_id, linker, "page"),
        team_id=links.TEAM_ANCHOR,
        roadmap_id=links.ROADMAP_ANCHOR,
        completeness_id=links.COMPLETENESS_ANCHOR,
        day=_day_pages(ws_id, ws.status, linker),
        coverage=figures.coverage(ws, silenced=team_silence is not None),
        team=show(ws.team, "row"),
        missing_functions=tuple(summary.missing_functions),
        expected_functions=tuple(EXPECTED_FUNCTIONS),
        audit=show(audit, "row"),
        metrics=show(ws.metrics, "row"),
        heatmap=figures.workshop_heatmap(ws) if ws.persofails else None,
        persofails=show(ws.persofails, "section"),
        matrix=figures.matrix(ws) if any(p.score for p in ws.priorities) else None,
        priorities=show(ws.priorities, "section"),
        barriers=show(ws.barriers, "row"),
        completeness=completeness,
        team_silence=team_silence,
        timeline=figures.timeline(ws) if steps else None,
        phases=tuple(phases),
        decisions=decided,
        changes=changes,
    )
