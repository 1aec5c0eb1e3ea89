"""What the Changes page and each workshop's "Recent changes" show, as plain view data.

The history comes from git through the same diff engine as ``prepbook diff``; here it is
only grouped by period (the month of each commit) and linked to the records that still
exist, so a stakeholder reads what was committed, parked, slipped or re-rated, and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from prepbook.graph import Graph
from prepbook.history import ChangeLine, Entry, History
from prepbook.model.fields import MONTHS
from prepbook.render.links import Linker
from prepbook.render.markdown import Md, escape

RECENT_PER_WORKSHOP = 5  # commits a workshop page lists; the Changes page has the rest


@dataclass(frozen=True, slots=True)
class ChangeRow:
    level: str
    where: Md  # the record or workshop, linked while it exists
    text: str


@dataclass(frozen=True, slots=True)
class CommitView:
    date: str
    commit: str
    author: str
    subject: str
    changes: tuple[ChangeRow, ...]


@dataclass(frozen=True, slots=True)
class Period:
    title: str
    anchor: str
    commits: tuple[CommitView, ...]


def _where(change: ChangeLine, graph: Graph, linker: Linker, workshops: AbstractSet[str]) -> Md:
    key = (change.workshop, change.record)
    if change.record and key in graph.nodes:
        return linker.record(key)
    if not change.record and change.workshop in workshops and change.workshop != linker.home:
        return linker.workshop(change.workshop, change.workshop)
    name = f"{change.workshop}/{change.record}" if change.record else change.workshop
    return escape(name)  # a record that no longer exists: named, not linked


def _commit(
    entry: Entry,
    changes: Sequence[ChangeLine],
    graph: Graph,
    linker: Linker,
    workshops: AbstractSet[str],
) -> CommitView:
    return CommitView(
        date=entry.commit.date.isoformat(),
        commit=entry.commit.short,
        author=entry.commit.author,
        subject=entry.commit.subject,
        changes=tuple(
            ChangeRow(c.level, _where(c, graph, linker, workshops), c.text) for c in changes
        ),
    )


def periods(
    history: History, graph: Graph, linker: Linker, workshops: AbstractSet[str]
) -> tuple[Period, ...]:
    """The history by month, newest first, as the Changes page lists it."""
    grouped: dict[tuple[int, int], list[CommitView]] = {}
    for entry in history.entries:
        if entry.changes:
            month = (entry.commit.date.year, entry.commit.date.month)
            view = _commit(entry, entry.changes, graph, linker, workshops)
            grouped.setdefault(month, []).append(view)
    return tuple(
        Period(f"{MONTHS[month - 1]} {year}", f"changes-{year}-{month:02d}", tuple(commits))
        for (year, month), commits in grouped.items()
    )


Latest = dict[str, list[tuple[Entry, tuple[ChangeLine, ...]]]]


def latest_by_workshop(history: History) -> Latest:
    """Each workshop's latest commits with their changes to it, sorted out in one pass
    over the history, so that no workshop page walks the whole of it."""
    grouped: dict[str, dict[str, list[ChangeLine]]] = {}
    order: dict[str, list[Entry]] = {}
    for entry in history.entries:
        for change in entry.changes:
            mine = grouped.setdefault(change.workshop, {})
            if entry.commit.sha not in mine:
                if len(mine) == RECENT_PER_WORKSHOP:
                    continue
                mine[entry.commit.sha] = []
                order.setdefault(change.workshop, []).append(entry)
            mine[entry.commit.sha].append(change)
    return {
        ws: [(entry, tuple(grouped[ws][entry.commit.sha])) for entry in entries]
        for ws, entries in order.items()
    }


def recent(
    latest: Latest, workshop: str, graph: Graph, linker: Linker, workshops: AbstractSet[str]
) -> tuple[CommitView, ...]:
    """The latest commits that changed ``workshop``, with their changes to it."""
    return tuple(
        _commit(entry, mine, graph, linker, workshops) for entry, mine in latest.get(workshop, [])
    )
