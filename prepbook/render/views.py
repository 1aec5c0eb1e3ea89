"""What each page shows, computed once from the graph; the templates only lay it out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Persofail, Workshop
from prepbook.model.team import EXPECTED_FUNCTIONS

READINESS_ORDER = {"missing": 0, "partial": 1, "ready": 2}
ASSET_KINDS = ("data", "talent", "technology", "market")


@dataclass
class WorkshopSummary:
    """One row of the portfolio."""

    id: str
    model: Workshop
    committed: int
    priorities: int
    persofails: int
    high_risks: int
    open_gaps: int
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


def nodes_of(graph: Graph, workshop: str, records: list) -> list[Node]:  # type: ignore[type-arg]
    return [graph.node((workshop, r.id)) for r in records]


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
                high_risks=sum(1 for p in model.persofails if p.effective_residual.level == "high"),
                open_gaps=sum(1 for a in model.audit if a.readiness != "ready"),
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
        return (-p.inherent.score, -p.effective_residual.score, node.workshop, p.id)

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
    return f"{day.year} Q{q}", f"window-{day.year}-q{q}"


def roadmap_groups(playbook: Playbook, graph: Graph) -> list[RoadmapGroup]:
    """All steps: dated ones by the quarter they start in, the others by workshop phase."""
    dated: dict[str, RoadmapGroup] = {}
    undated: list[RoadmapGroup] = []
    starts: dict[tuple[str, str], dt.date] = {}
    for ws_id, loaded in playbook.workshops.items():
        phases = {p.id: p for p in loaded.model.roadmap.phases}
        by_phase: dict[str | None, RoadmapGroup] = {}
        for step in loaded.model.roadmap.steps:
            node = graph.node((ws_id, step.id))
            phase = phases.get(step.phase) if step.phase else None
            start = step.start or (phase.start if phase else None)
            if start is not None:
                starts[node.key] = start
                title, anchor = _quarter(start)
                dated.setdefault(title, RoadmapGroup(title, anchor)).steps.append(node)
                continue
            group = by_phase.get(step.phase)
            if group is None:
                name = phase.title if phase else "No phase"
                group = RoadmapGroup(
                    f"{loaded.model.title}: {name}", f"phase-{ws_id}-{step.phase or 'none'}"
                )
                by_phase[step.phase] = group
            group.steps.append(node)
        order = [*phases, None]
        undated.extend(by_phase[p] for p in order if p in by_phase)

    for group in dated.values():
        group.steps.sort(key=lambda n: (starts[n.key], n.workshop, n.record.id))
    return [dated[k] for k in sorted(dated)] + undated


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
    order = ("done", "in-progress", "planned")
    return MitigationSummary([(s, counts[s]) for s in order if s in counts], owners)
