"""References that cross from one organisation's workshop into another's (PB370).

A playbook may hold the workshops of several companies, or of several business units of one
group. A reference to a record of another workshop of the same organisation is how a
playbook shares a platform or a roadmap; a reference into another organisation's workshop is
almost always a slip (a copied id, a wrong prefix), because a team cannot commit to what
another company owns, nor be threatened by its persofails or wait for its steps. The rule
names each such reference, so a group that does share a platform across its companies can
silence exactly that reference, with its reason.

"Another organisation" is read from the workshops' ``organisation`` field, compared after
normalisation: Unicode compatibility form, case and runs of white space do not count, so
"Northwind Retail" and "northwind  retail" are one organisation, and "Northwind Retail Ltd"
is another (a playbook that means them as one writes them alike).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.graph import Edge, Node
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import KINDS, with_article


def organisation_key(name: str) -> str:
    """The organisation's name as compared: the same company written the same way up to
    case, Unicode form and spacing."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_organisations(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    """Each reference from a record to a record of another organisation's workshop. Only
    records hold such references: the workshop's own (facilitator, decider) name its team."""
    graph, workshops = playbook.graph, playbook.workshops
    # None for a workshop with schema errors: its organisation may be a placeholder
    keys = {
        ws_id: None if w.partial else organisation_key(w.model.organisation)
        for ws_id, w in workshops.items()
    }
    for ws_id, loaded in workshops.items():
        home = keys[ws_id]
        if home is None:
            continue  # a file with schema errors is judged once it is whole
        for record_id in loaded.records:
            for edge in graph.outgoing.get((ws_id, record_id), ()):
                target = graph.node(edge.target)
                there = keys[target.workshop]
                if there is None or there == home:
                    continue
                other = workshops[target.workshop].model.organisation
                yield _finding(loaded, edge, target, other)


def _finding(loaded: LoadedWorkshop, edge: Edge, target: Node, other: str) -> Finding:
    own = loaded.model.organisation
    written = f"{target.workshop}/{target.record.id}"
    label = KINDS[target.kind].label
    return loaded.finding(
        "PB370",
        f"'{written}' is {with_article(label)} of {other}, not of {own}",
        edge.path,
        expected=f"{with_article(label)} of {own}",
        hint=f"refer to {with_article(label)} of {own}; if the two organisations share it on "
        "purpose (one group), write their organisation alike, or silence the rule on this "
        f"record with the reason and covers: [{written}]",
        record=edge.source[1] if edge.source is not None else None,
        subject=written,
    )
