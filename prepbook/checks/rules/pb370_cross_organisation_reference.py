"""PB370 cross-organisation-reference: a record refers to a record of a workshop of another
organisation.

A team cannot commit to what another company owns, nor be threatened by its persofails or
wait for its steps, so such a reference is almost always a slip (a copied id, a wrong
prefix). Each reference is a finding of its own, its subject the reference, so a group that
does share a platform across its companies silences exactly that reference, with its reason.
Only records hold such references: the workshop's own (facilitator, decider) name its team.
Which workshops are of one organisation is :func:`prepbook.checks.organisations.organisation_key`.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.organisations import organisation_key
from prepbook.checks.rules.definition import RuleDoc, WholePlaybook
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.graph import Edge, Node
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import KINDS, with_article
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB370",
    "cross-organisation-reference",
    Severity.WARNING,
    "A record refers to a record of a workshop of another organisation.",
    subject="record",
    subject_refers=True,
)

DOC = RuleDoc(
    rationale=(
        "A playbook may hold the workshops of several companies. A team can commit only to what "
        "its own organisation owns and decides: it cannot require another company's asset, be "
        "threatened by another company's persofail, or wait for another company's roadmap step, "
        "which that company may move or drop without telling anyone. A reference into another "
        "organisation's workshop is usually a copied id or a wrong prefix. Two workshops are of "
        "one organisation when their organisation fields are equal, ignoring case, spacing and "
        "Unicode form."
    ),
    fix=(
        "Refer to a record of your own organisation, or add one (an asset to audit, a step of your "
        "own). When the sharing is deliberate (a platform shared by the companies of one group, a "
        "partner who agreed to share a step), write the two organisations alike if they are one, "
        "or silence the rule on the referring record, with the reason and the record under covers."
    ),
    covers="partner/recommendations",
    elsewhere="""
        id: partner
        organisation: Partner Company
        audit:
          - id: recommendations
            title: Recommendation service
            kind: technology
            readiness: ready
    """,
    failing="""
        priorities:
          - id: offers
            requires: [crm, partner/recommendations]
    """,
    passing="""
        priorities:
          - id: offers
            requires: [crm]
    """,
)


@WholePlaybook
def check(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
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
        RULE.id,
        f"'{written}' is {with_article(label)} of {other}, not of {own}",
        edge.path,
        expected=f"{with_article(label)} of {own}",
        hint=f"refer to {with_article(label)} of {own}; if the two organisations share it on "
        "purpose (one group), write their organisation alike, or silence the rule on this "
        f"record with the reason and covers: [{written}]",
        record=edge.source[1] if edge.source is not None else None,
        subject=written,
    )
