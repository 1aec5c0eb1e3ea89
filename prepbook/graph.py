"""The cross-reference graph: every reference between records, and its backlink.

Built once per build from the validated playbook, so that a page asking "what refers to
this asset?" is a dictionary look-up, not a scan of every workshop.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from prepbook.checks.references import split_ref
from prepbook.load.playbook import Playbook
from prepbook.model.base import Record
from prepbook.model.kinds import Located, iter_references

RecordKey = tuple[str, str]  # (workshop id, record id)

# How a backlink reads on the referenced record's side, by the referring field's name.
BACKLINK_LABELS: dict[str, str] = {
    "requires": "Required by",
    "measured_by": "Measures",
    "threatens": "Threatened by",
    "delivers": "Delivered by",
    "depends_on": "Needed by",
    "closes_gap": "Gap closed by",
    "owner": "Owns",
    "phase": "Steps",
    "facilitator": "Facilitates",
    "decider": "Decides",
}


@dataclass(frozen=True, slots=True)
class Node:
    """A record as the site sees it: which workshop, which kind, the record itself."""

    workshop: str
    kind: str
    record: Record

    @property
    def key(self) -> RecordKey:
        return (self.workshop, self.record.id)


@dataclass(frozen=True, slots=True)
class Edge:
    source: RecordKey | None  # None: the workshop itself (facilitator, decider)
    field: str
    target: RecordKey


@dataclass
class Graph:
    nodes: dict[RecordKey, Node] = field(default_factory=dict)
    outgoing: dict[RecordKey | None, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[RecordKey, list[Edge]] = field(default_factory=lambda: defaultdict(list))

    def node(self, key: RecordKey) -> Node:
        return self.nodes[key]

    def targets(self, source: RecordKey, field_name: str) -> list[Node]:
        """The records ``source`` names in ``field_name``, in the order written."""
        return [
            self.nodes[e.target] for e in self.outgoing.get(source, ()) if e.field == field_name
        ]

    def referrers(self, target: RecordKey, field_name: str | None = None) -> list[Node]:
        """The records that name ``target`` (through ``field_name`` only, if given)."""
        return [
            self.nodes[e.source]
            for e in self.incoming.get(target, ())
            if e.source is not None and (field_name is None or e.field == field_name)
        ]

    def backlinks(self, target: RecordKey) -> dict[str, list[Node]]:
        """Referrers grouped by how they refer, in a stable order of the labels."""
        grouped: dict[str, list[Node]] = {}
        for name in BACKLINK_LABELS:
            found = self.referrers(target, name)
            if found:
                grouped[BACKLINK_LABELS[name]] = found
        return grouped


def build_graph(playbook: Playbook) -> Graph:
    """The graph of a playbook without errors: every reference resolves."""
    graph = Graph()
    for ws_id, loaded in playbook.workshops.items():
        for located in loaded.records.values():
            graph.nodes[(ws_id, located.record.id)] = _node(ws_id, located)
    for ws_id, loaded in playbook.workshops.items():
        for located in loaded.records.values():
            _add_edges(graph, ws_id, (ws_id, located.record.id), located.record)
        for role in ("facilitator", "decider"):
            member = getattr(loaded.model, role)
            if member is not None:
                edge = Edge(None, role, (ws_id, member))
                graph.outgoing[None].append(edge)
                graph.incoming[edge.target].append(edge)
    return graph


def _node(ws_id: str, located: Located) -> Node:
    return Node(ws_id, located.kind, located.record)


def _add_edges(graph: Graph, ws_id: str, source: RecordKey, record: Record) -> None:
    for reference in iter_references(record):
        # References inside a record's own nested records (a persofail's mitigations) are
        # added when that nested record is visited, so they belong to it, not its parent.
        if any(isinstance(part, int) for part in reference.path[:-1]):
            continue
        target = split_ref(reference.value, ws_id)
        if target not in graph.nodes:
            continue  # unreachable for a valid playbook; a partial one is never rendered
        edge = Edge(source, str(reference.path[0]), target)
        graph.outgoing[source].append(edge)
        graph.incoming[target].append(edge)
