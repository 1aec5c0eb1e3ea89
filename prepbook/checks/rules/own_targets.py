"""The records a record names in one of its own fields, for the rules that judge them."""

from __future__ import annotations

from prepbook.graph import Node
from prepbook.load.playbook import LoadedWorkshop, Playbook


def own_targets(
    playbook: Playbook, loaded: LoadedWorkshop, values: list[str], kind: str
) -> list[tuple[int, Node]]:
    """The records a record names in one of its own fields (the index written, and the
    record), read from what it wrote: the graph's edges are keyed by the record's id, which
    name another record when the id is used twice (PB201), and a check must judge the
    record in hand, not the one that holds its id first."""
    found = []
    for index, value in enumerate(values):
        node = playbook.graph.resolve(loaded.id, value)
        if node is not None and node.kind == kind:
            found.append((index, node))
    return found
