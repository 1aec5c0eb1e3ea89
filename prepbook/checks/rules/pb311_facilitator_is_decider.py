"""PB311 facilitator-is-decider: one person both runs the session and makes the call."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB311",
    "facilitator-is-decider",
    Severity.WARNING,
    "The facilitator and the decider are the same person.",
)

DOC = RuleDoc(
    rationale=(
        "The facilitator steers the discussion and protects quieter voices; the decider makes the "
        "call. One person doing both steers the room towards their own decision."
    ),
    fix="Name a different team member as decider.",
    failing="""
        facilitator: fay
        decider: fay
    """,
    passing="""
        facilitator: fay
        decider: dan
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    if not model.team:
        return  # PB301 already says the team is empty
    if model.facilitator and model.facilitator == model.decider:
        yield loaded.finding(
            RULE.id,
            f"'{model.facilitator}' is both the facilitator and the decider",
            ("decider",),
            hint="the facilitator keeps the session honest and should not "
            "also make the final call: name another decider",
        )
