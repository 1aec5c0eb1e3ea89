"""The reference graph: every reference between records, and its backlink.

Built once, when the playbook is loaded, so that the checks, the site and the diff all ask
the same question the same way: "what does this step deliver?", "what refers to this
asset?" is a dictionary look-up, never a comparison of id strings written in a file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from prepbook.findings import YamlPath
from prepbook.model import Workshop
from prepbook.model.base import Record
from prepbook.model.kinds import (
    BACKLINK_ORDER,
    BACKLINKS,
    Located,
    Reference,
    iter_references,
)

RecordKey = tuple[str, str]  # (workshop id, record id)


def split_ref(value: str, home: str) -> RecordKey:
    """``"other/id"`` as ``("other", "id")``; a plain id belongs to ``home``."""
    workshop, _, record = value.rpartition("/")
    return (workshop or home), record


@dataclass(frozen=True, slots=True)
class Node:
    """A record as the graph sees it: which workshop, which kind, the record itself."""

    workshop: str
    kind: str
    record: Record

    @property
    def key(self) -> RecordKey:
        return (self.workshop, self.record.id)


@dataclass(frozen=True, slots=True)
class Edge:
    """One resolved reference: who names whom, through which field, written where."""

    source: RecordKey | None  # None: the workshop itself (facilitator, decider)
    field: str
    target: RecordKey
    path: YamlPath  # where the reference stands in the source's workshop model
    home: str = ""  # the id of that workshop


@dataclass
class Graph:
    nodes: dict[RecordKey, Node] = field(default_factory=dict)
    outgoing: dict[RecordKey | None, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[RecordKey, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    # the same edges by source and field: "what does this step deliver?" in one look-up
    _by_field: dict[tuple[RecordKey, str], list[Edge]] = field(default_factory=dict)
    # references that name no record of the kind they want, with their workshop's id
    unresolved: list[tuple[str, Reference]] = field(default_factory=list)
    # each workshop by id: what the references of its own fields (facilitator, decider)
    # come from
    workshops: dict[str, Workshop] = field(default_factory=dict)

    def node(self, key: RecordKey) -> Node:
        return self.nodes[key]

    def resolve(self, home: str, value: str) -> Node | None:
        """The record a reference written in workshop ``home`` names, of whatever kind."""
        return self.nodes.get(split_ref(value, home))

    def edges_from(self, source: RecordKey, field_name: str) -> list[Edge]:
        return self._by_field.get((source, field_name), [])

    def targets(self, source: RecordKey, field_name: str) -> list[Node]:
        """The records ``source`` names in ``field_name``, in the order written."""
        return [self.nodes[e.target] for e in self.edges_from(source, field_name)]

    def referrers(self, target: RecordKey, field_name: str | None = None) -> list[Node]:
        """The records that name ``target`` (through ``field_name`` only, if given)."""
        return [
            self.nodes[e.source]
            for e in self.incoming.get(target, ())
            if e.source is not None and (field_name is None or e.field == field_name)
        ]

    def backlinks(self, target: RecordKey, *, listed: bool = True) -> dict[str, list[Edge]]:
        """The references to ``target``, grouped by how each reads from its side (the
        backlink its field declares: "Required by", "Owns"), the groups in the format's
        order and each in the order the references were made. Without ``listed``, those
        of records listed under the one they name (a phase's steps) are left out."""
        grouped: dict[str, list[Edge]] = {}
        for edge in self.incoming.get(target, ()):
            kind = self.nodes[edge.source].kind if edge.source is not None else None
            back = BACKLINKS[(kind, edge.field)]
            if listed or not back.listed:
                grouped.setdefault(back.label, []).append(edge)
        return dict(sorted(grouped.items(), key=lambda item: BACKLINK_ORDER[item[0]]))

    def add(self, edge: Edge) -> None:
        self.outgoing[edge.source].append(edge)
        self.incoming[edge.target].append(edge)
        if edge.source is not None:
            self._by_field.setdefault((edge.source, edge.field), []).append(edge)


@dataclass(frozen=True, slots=True)
class Fragment:
    """What one workshop brings to the graph, whatever the other workshops hold: its nodes,
    and each reference with the edge it makes if its target exists (None: a reference the
    graph keeps no edge for). Made once per loaded model and kept with it (``mkdocs
    serve``), a rebuild after one edit walks one workshop's references, not all of them."""

    nodes: tuple[tuple[RecordKey, Node], ...]
    references: tuple[tuple[Reference, RecordKey, str, Edge | None], ...]


Fragments = dict[int, tuple[Workshop, Fragment]]  # id(model) -> the model and its fragment


def fragment(model: Workshop, records: dict[str, Located]) -> Fragment:
    nodes = tuple(
        ((model.id, located.record.id), Node(model.id, located.kind, located.record))
        for located in records.values()
    )
    sources = {located.path: located.record.id for located in records.values()}
    references = []
    for reference in iter_references(model):
        target = split_ref(reference.value, model.id)
        # the record the reference stands in: the longest prefix of its path that is a
        # record; none for the workshop's own fields (facilitator, decider)
        path = reference.path
        depth = next((n for n in range(len(path) - 1, 0, -1) if path[:n] in sources), 0)
        rest = path[depth:]  # the field, and the entry's index in a list
        edge = None
        if not (len(rest) > 2 or (len(rest) == 2 and not isinstance(rest[1], int))):
            source = (model.id, sources[path[:depth]]) if depth else None
            edge = Edge(source, str(path[depth]), target, path, model.id)
        # else: inside a record that shares its id with an earlier one
        references.append((reference, target, reference.target.kind, edge))
    return Fragment(nodes, tuple(references))


def build_graph(
    workshops: Iterable[tuple[Workshop, dict[str, Located]]], cache: Fragments | None = None
) -> Graph:
    """The graph of loaded workshops (each with its record index by id), in one walk over
    each workshop's references.

    A reference becomes an edge only when it names an existing record of the kind its field
    wants; the others are kept in ``unresolved`` for the reference check to explain, so
    that no view or rule follows them and nothing walks the references a second time.
    With ``cache`` (kept across rebuilds), a workshop whose model is the one seen last time
    brings the fragment made then; the cache is left holding this build's models only.
    """
    graph = Graph()
    made: list[tuple[Workshop, Fragment]] = []
    for model, records in workshops:
        kept = cache.get(id(model)) if cache is not None else None
        part = kept[1] if kept is not None and kept[0] is model else fragment(model, records)
        made.append((model, part))
        graph.nodes.update(part.nodes)
        graph.workshops[model.id] = model
    if cache is not None:
        cache.clear()
        cache.update((id(model), (model, part)) for model, part in made)
    nodes, unresolved = graph.nodes, graph.unresolved
    for model, part in made:
        for reference, target, kind, edge in part.references:
            node = nodes.get(target)
            if node is None or node.kind != kind:
                unresolved.append((model.id, reference))
            elif edge is not None:
                graph.add(edge)
    return graph
