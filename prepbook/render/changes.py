"""What the Changes page and each workshop's "Recent changes" show, as plain view data.

The history comes from git through the same diff engine as ``prepbook diff``; here it is
grouped by workshop and by decision (the priority a change is about) and linked to the
records that still exist, so a stakeholder reads what was committed, parked, slipped or
re-rated, and when, each change with the commit's subject under it but never its hash.
Silences are listed apart: silencing a rule is a choice about the checks, not a decision
of the workshop, and is not graded among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from prepbook.graph import Graph
from prepbook.history import ChangeLine, Entry, History
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


def _where(change: ChangeLine, graph: Graph, linker: Linker, workshops: AbstractSet[str]) -> Md:
    key = (change.workshop, change.record)
    if change.record and key in graph.nodes:
        return linker.record(key)
    if not change.record and change.workshop in workshops and change.workshop != linker.home:
        return linker.named_workshop(change.workshop)
    if not change.record and change.workshop in workshops:
        return escape(linker.workshop_name(change.workshop))  # the page's own workshop
    name = f"{change.workshop}/{change.record}" if change.record else change.workshop
    return escape(name)  # a record or workshop that no longer exists: named, not linked


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


@dataclass(frozen=True, slots=True)
class Item:
    """One change on the Changes page, with the commit that made it as a secondary line."""

    level: str
    where: Md | None  # the record it changed, when it is not the decision itself
    text: str  # in words: old and new values said, never diff markup
    causes: tuple[str, ...]  # what moved a decision, in words
    date: str
    subject: str
    author: str


@dataclass(frozen=True, slots=True)
class CommitGroup:
    """What one commit changed about one decision: the commit is said once above its
    changes, not repeated under each of them."""

    date: str
    subject: str
    author: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class DecisionGroup:
    """The changes about one decision (a priority), or a workshop's other changes."""

    key: str  # the priority's id; "" for the workshop's other changes
    title: Md
    anchor: str
    items: tuple[Item, ...]

    @property
    def commits(self) -> tuple[CommitGroup, ...]:
        """The items by the commit that made them, newest first, as the history runs."""
        groups: list[CommitGroup] = []
        for item in self.items:
            last = groups[-1] if groups else None
            if last and (last.date, last.subject, last.author) == (
                item.date,
                item.subject,
                item.author,
            ):
                groups[-1] = CommitGroup(last.date, last.subject, last.author, (*last.items, item))
            else:
                groups.append(CommitGroup(item.date, item.subject, item.author, (item,)))
        return tuple(groups)


@dataclass(frozen=True, slots=True)
class WorkshopGroup:
    id: str
    title: Md
    anchor: str
    decisions: tuple[DecisionGroup, ...]


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """The history by workshop and decision, the rules silenced and lifted apart."""

    workshops: tuple[WorkshopGroup, ...]
    silences: tuple[Item, ...]


OTHER_CHANGES = "Other changes to the workshop"


def workshop_anchor(workshop: str) -> str:
    return f"changes-{workshop}"


def decision_anchor(workshop: str, decision: str) -> str:
    return f"changes-{workshop}-{decision}" if decision else f"changes-{workshop}-other"


def _item(entry: Entry, change: ChangeLine, where: Md | None) -> Item:
    return Item(
        change.level,
        where,
        change.text,
        change.causes,
        entry.commit.date.isoformat(),
        entry.commit.subject,
        entry.commit.author,
    )


def changes_page(
    history: History, graph: Graph, linker: Linker, titles: Mapping[str, str]
) -> ChangesPage:
    """The history grouped by workshop (by title), then by decision (the one changed last
    first, the workshop's other changes last), newest change first in each; ``titles``
    names the workshops that still exist."""
    grouped: dict[str, dict[str, list[Item]]] = {}
    silences: list[Item] = []
    workshops = set(titles)
    for entry in history.entries:
        for change in entry.changes:
            itself = change.record == change.decision or not change.record
            where = None if itself else _where(change, graph, linker, workshops)
            if change.section == "silences":
                silences.append(_item(entry, change, _where(change, graph, linker, workshops)))
                continue
            decisions = grouped.setdefault(change.workshop, {})
            decisions.setdefault(change.decision, []).append(_item(entry, change, where))
    out = []
    for ws in sorted(grouped, key=lambda w: (titles.get(w, w).casefold(), w)):
        title = titles.get(ws)
        groups = []
        for key in sorted(grouped[ws], key=lambda k: k == ""):  # stable: newest first
            node = (ws, key)
            if not key:
                heading = Md(OTHER_CHANGES)
            elif node in graph.nodes:
                heading = linker.record(node)
            else:
                heading = escape(key)  # a decision that no longer exists: named, not linked
            items = tuple(grouped[ws][key])
            groups.append(DecisionGroup(key, heading, decision_anchor(ws, key), items))
        name = linker.workshop(ws, title) if title is not None else escape(ws)
        out.append(WorkshopGroup(ws, name, workshop_anchor(ws), tuple(groups)))
    return ChangesPage(tuple(out), tuple(silences))


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
