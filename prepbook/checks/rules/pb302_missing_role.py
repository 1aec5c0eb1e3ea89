"""PB302 missing-role: the workshop names no facilitator or no decider."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB302",
    "missing-role",
    Severity.WARNING,
    "The workshop names no facilitator or no decider.",
    subject="role",
)

DOC = RuleDoc(
    rationale=(
        "Someone has to run the session and keep it honest, and someone has to make the final call "
        "when the room disagrees. A workshop without a named facilitator and decider tends to end "
        "without a decision."
    ),
    fix="Name a team member as facilitator and another as decider.",
    covers="decider",
    failing="""
        facilitator: fay
        decider: null
    """,
    passing="""
        facilitator: fay
        decider: dan
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    for role in ("facilitator", "decider"):
        if getattr(loaded.model, role) is None:
            yield loaded.finding(
                RULE.id,
                f"the workshop names no {role}",
                (role,),
                key=True,
                hint=f"add '{role}:' with the id of a team member",
                subject=role,
            )
