"""The section pages at any size: the portfolio, the audit register, the persofail
catalogue and the roadmap.

A section listed every row of the playbook on one page, which at a thousand workshops is
megabytes of HTML that a browser takes seconds to load. Here each section is split (the
catalogue by category, the roadmap by quarter, the register by kind of asset) and each split
cut into pages of at most ``Layout.per_page`` rows. A section's own page becomes a summary
that stays the same size however large the playbook: counts per split with links, and the
few rows a reader looks for first. Which page holds which row is decided once, in a
:class:`~prepbook.render.links.Layout`, so every link to a row finds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Persofail, Step
from prepbook.model.persofails import category_name
from prepbook.render import delivery_view, links, views
from prepbook.render.links import Layout, Linker, Split
from prepbook.render.markdown import Md

TOP_ROWS = 10  # rows a section's summary shows: the riskiest, the next to ship, the worst gaps
UNDATED = "undated"  # the roadmap's split of the steps without dates
NO_ANCHOR = Md("")  # a row repeated on a summary: its anchor stays on its own page


@dataclass
class Plan:
    """Every split of every section, and the layout that places their rows."""

    layout: Layout
    portfolio: Split
    audit: list[Split]
    catalogue: list[Split]
    tags: list[Split]
    roadmap: list[Split]
    # each step's group on the roadmap pages (its quarter, or its workshop's phase when it
    # has no dates): the title and anchor, and the steps that open a group
    groups: dict[links.RowKey, tuple[str, str]]
    openers: set[links.RowKey]

    def signature(self) -> tuple[object, ...]:
        """What decides which page holds each row, and under which heading: two renders
        with equal signatures link every row to the same place."""
        splits = (self.portfolio, *self.audit, *self.catalogue, *self.tags, *self.roadmap)
        return (splits, self.groups, frozenset(self.openers))


def plan(
    playbook: Playbook,
    summaries: list[views.WorkshopSummary],
    per_page: int,
) -> Plan:
    """The splits of the sections, in the order their pages show them, ``per_page`` rows
    a page at most."""
    graph = playbook.graph
    layout = Layout(per_page)
    portfolio = layout.split(
        links.portfolio_page,
        "portfolio",
        "Portfolio",
        [(s.id, "") for s in summaries],
        lambda key: links.portfolio_anchor(key[0]),
    )
    register = views.audit_register(graph)
    audit = []
    for kind in views.ASSET_KINDS:
        keys = [n.key for n in register if _asset(n).kind == kind]
        if keys:
            audit.append(
                layout.split(_pages(links.AUDIT_DIR, kind), kind, kind, keys, _audit_anchor)
            )
    persofails = views.catalogue(graph)
    catalogue = []
    tags = []
    for name, members in views.by_category(persofails).items():
        own = [n.key for n in members if _persofail(n).category == name]
        if own:
            catalogue.append(
                layout.split(
                    _pages(links.CATALOGUE_DIR, name),
                    name,
                    category_name(name),
                    own,
                    _catalogue_anchor,
                )
            )
        tagged = [n.key for n in members if name in _persofail(n).tags]
        if tagged:
            tags.append(layout.split(_pages(links.TAGS_DIR, name), name, name, tagged))
    roadmap = []
    undated = []
    groups: dict[links.RowKey, tuple[str, str]] = {}
    openers: set[links.RowKey] = set()
    for group in views.roadmap_groups(playbook, graph):
        keys = [n.key for n in group.steps]
        groups.update((key, (group.title, group.anchor)) for key in keys)
        openers.update(keys[:1])
        if group.anchor.startswith("window-"):
            slug = group.anchor.removeprefix("window-")
            roadmap.append(
                layout.split(_pages(links.ROADMAP_DIR, slug), slug, group.title, keys, _step_anchor)
            )
        else:
            undated.extend(keys)
    if undated:
        roadmap.append(
            layout.split(
                _pages(links.ROADMAP_DIR, UNDATED),
                UNDATED,
                "Without dates",
                undated,
                _step_anchor,
            )
        )
    return Plan(layout, portfolio, audit, catalogue, tags, roadmap, groups, openers)


def _pages(folder: str, slug: str) -> Callable[[int], str]:
    return lambda number: links.split_page(folder, slug, number)


def _audit_anchor(key: links.RowKey) -> str:
    return links.audit_anchor(*key)


def _catalogue_anchor(key: links.RowKey) -> str:
    return links.catalogue_anchor(*key)


def _step_anchor(key: links.RowKey) -> str:
    return links.roadmap_anchor(*key)


def _asset(node: Node) -> Asset:
    assert isinstance(node.record, Asset)
    return node.record


def _persofail(node: Node) -> Persofail:
    assert isinstance(node.record, Persofail)
    return node.record


def _step(node: Node) -> Step:
    assert isinstance(node.record, Step)
    return node.record


# ---------------------------------------------------------------------------------------
# What the templates receive


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page stands in its split: "page 2 of 5, rows 151 to 300 of 700", with links."""

    number: int
    count: int
    first: int  # the number of its first row, from 1
    last: int
    total: int
    previous: Md | None  # URLs; None on the first (last) page
    next: Md | None
    pages: tuple[Md, ...]  # a link to every page, the current one as plain text
    up: Md  # the section's summary page
    up_title: str


def pager(split: Split, number: int, linker: Linker, up: str, up_title: str) -> Pager:
    """The navigation of page ``number`` (from 1) of ``split``, seen from that page."""
    before = sum(len(rows) for rows in split.rows[: number - 1])
    count = len(split.pages)
    return Pager(
        number=number,
        count=count,
        first=before + 1 if split.rows[number - 1] else 0,
        last=before + len(split.rows[number - 1]),
        total=split.count,
        previous=linker.url(split.pages[number - 2]) if number > 1 else None,
        next=linker.url(split.pages[number]) if number < count else None,
        pages=tuple(
            Md(str(n)) if n == number else linker.to(path, str(n))
            for n, path in enumerate(split.pages, 1)
        ),
        up=linker.url(up),
        up_title=up_title,
    )


@dataclass(frozen=True, slots=True)
class SplitLink:
    """A split on its section's summary: how many rows it holds, and where they are."""

    title: str
    id: str  # its anchor's id on the summary
    link: Md  # the title, linking to its first page
    count: int
    pages: int
    detail: tuple[tuple[str, int], ...]  # counts a reader compares: by readiness, risk…


def split_link(
    split: Split, linker: Linker, anchor: str, detail: tuple[tuple[str, int], ...] = ()
) -> SplitLink:
    return SplitLink(
        title=split.title,
        id=anchor,
        link=linker.to(split.pages[0], split.title),
        count=split.count,
        pages=len(split.pages),
        detail=detail,
    )


def _nodes(graph: Graph, keys: tuple[links.RowKey, ...]) -> list[Node]:
    return [graph.node(key) for key in keys]


# The audit register


@dataclass(frozen=True, slots=True)
class AuditSummary:
    total: int
    kinds: tuple[SplitLink, ...]  # detail: assets by readiness
    gaps: tuple[views.AuditRow, ...]  # the missing assets the most priorities require


def audit_summary(plan: Plan, graph: Graph, linker: Linker) -> AuditSummary:
    kinds = []
    for split in plan.audit:
        nodes = [graph.node(k) for rows in split.rows for k in rows]
        readiness = tuple(
            (level, sum(1 for n in nodes if _asset(n).readiness == level))
            for level in views.READINESS_ORDER
        )
        kinds.append(split_link(split, linker, links.category_anchor(split.slug), readiness))
    missing = [n for n in views.audit_register(graph) if _asset(n).readiness == "missing"]
    missing.sort(key=lambda n: -len(graph.referrers(n.key, "requires")))  # stable: register order
    gaps = views.audit_rows(missing[:TOP_ROWS], linker)
    return AuditSummary(
        total=sum(s.count for s in plan.audit),
        kinds=tuple(kinds),
        gaps=tuple(dataclasses.replace(row, anchor=NO_ANCHOR) for row in gaps),
    )


# The persofail catalogue


@dataclass(frozen=True, slots=True)
class TagEntry:
    """A persofail under a tag: a link to its row in the catalogue."""

    link: Md
    workshop_id: str
    workshop: str  # as a reader knows it: its organisation (Linker.workshop_name)
    category: str  # in words: "Stale data"
    inherent_score: int
    residual_score: int


@dataclass(frozen=True, slots=True)
class CatalogueSummary:
    total: int
    risk_bands: str
    categories: tuple[SplitLink, ...]  # detail: persofails by inherent risk level
    tags: tuple[SplitLink, ...]
    riskiest: tuple[views.CatalogueRow, ...]


def catalogue_summary(plan: Plan, graph: Graph, linker: Linker) -> CatalogueSummary:
    categories = []
    for split in plan.catalogue:
        nodes = _nodes(graph, tuple(k for rows in split.rows for k in rows))
        levels = tuple(
            (level, sum(1 for n in nodes if _persofail(n).inherent.level == level))
            for level in ("high", "medium", "low")
        )
        categories.append(split_link(split, linker, links.category_anchor(split.slug), levels))
    tags = tuple(
        split_link(split, linker, links.category_anchor(f"tag-{split.slug}")) for split in plan.tags
    )
    riskiest = views.catalogue_rows(views.catalogue(graph)[:TOP_ROWS], linker)
    return CatalogueSummary(
        total=sum(s.count for s in plan.catalogue),
        risk_bands=views.risk_bands(),
        categories=tuple(categories),
        tags=tags,
        riskiest=tuple(dataclasses.replace(row, anchor=NO_ANCHOR) for row in riskiest),
    )


def tag_entries(
    graph: Graph, keys: tuple[links.RowKey, ...], layout: Layout, linker: Linker
) -> tuple[TagEntry, ...]:
    entries = []
    for node in _nodes(graph, keys):
        p = _persofail(node)
        place = layout.place(node.key)
        entries.append(
            TagEntry(
                link=linker.to(place.page, links.label(node), place.anchor),
                workshop_id=node.workshop,
                workshop=linker.workshop_name(node.workshop),
                category=category_name(p.category),
                inherent_score=p.inherent.score,
                residual_score=p.residual_now.score,
            )
        )
    return tuple(entries)


# The roadmap


@dataclass(frozen=True, slots=True)
class RoadmapSummary:
    total: int
    windows: tuple[SplitLink, ...]  # detail: steps by status, and milestones
    today: dt.date
    upcoming: tuple[views.RoadmapRow, ...]  # milestones and deliveries that end next


def roadmap_summary(
    plan: Plan, playbook: Playbook, linker: Linker, today: dt.date
) -> RoadmapSummary:
    graph = playbook.graph
    windows = []
    for split in plan.roadmap:
        nodes = _nodes(graph, tuple(k for rows in split.rows for k in rows))
        detail = (
            ("milestones", sum(1 for n in nodes if _step(n).milestone)),
            ("done", sum(1 for n in nodes if _step(n).status == "done")),
        )
        windows.append(split_link(split, linker, f"window-{split.slug}", detail))
    ends: list[tuple[dt.date, Node]] = []
    for split in plan.roadmap:
        for rows in split.rows:
            for node in _nodes(graph, rows):
                step = _step(node)
                _, end = playbook.workshops[node.workshop].model.roadmap.dates_of(step)
                if end is None or end < today or step.status == "done":
                    continue
                if step.milestone or graph.targets(node.key, "delivers"):
                    ends.append((end, node))
    ends.sort(key=lambda pair: (pair[0], pair[1].workshop, pair[1].record.id))
    upcoming = views.roadmap_rows(
        [n for _, n in ends[:TOP_ROWS]], linker, delivery_view.behind(playbook, today)
    )
    return RoadmapSummary(
        total=sum(s.count for s in plan.roadmap),
        windows=tuple(windows),
        today=today,
        upcoming=tuple(dataclasses.replace(row, anchor=NO_ANCHOR) for row in upcoming),
    )


def roadmap_page(
    plan: Plan,
    graph: Graph,
    rows: tuple[links.RowKey, ...],
    linker: Linker,
    behind: delivery_view.StepNotes | None = None,
) -> tuple[views.RoadmapWindow, ...]:
    """The steps of one roadmap page under their groups' headings; a group cut by a page
    break is continued under the same heading, its anchor on the page where it starts.
    ``behind`` words each step that is behind on the build's day."""
    runs: list[tuple[tuple[str, str], bool, list[Node]]] = []
    for key in rows:
        group = plan.groups[key]
        if not runs or runs[-1][0] != group:
            runs.append((group, key in plan.openers, []))
        runs[-1][2].append(graph.node(key))
    return tuple(
        views.RoadmapWindow(
            title, anchor if opens else "", views.roadmap_rows(nodes, linker, behind)
        )
        for (title, anchor), opens, nodes in runs
    )
