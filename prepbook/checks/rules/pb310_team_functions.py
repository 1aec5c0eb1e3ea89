"""PB310 team-functions: the team lacks one of the functions personalization crosses.

Each missing function is a finding of its own (its subject), so a silence with a reason
about one function ("support is outsourced") does not hide a function lost later.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB310",
    "team-functions",
    Severity.WARNING,
    "The team does not cover product, engineering, data, marketing and customer support.",
    subject="function",
)

DOC = RuleDoc(
    rationale=(
        "Personalization crosses every function. Product decides what to build, engineering and "
        "data know what can be built on what data, marketing knows what customers were promised, "
        "and customer support hears what goes wrong. A team without one of them makes decisions "
        "that another will have to undo."
    ),
    fix=(
        "Invite someone from each missing function. If the function truly has no stake, silence "
        "the rule on the workshop, say why, and list under covers the functions the reason is "
        "about, so that a function lost later is still reported."
    ),
    covers="customer-support",
    failing="""
        team:
          - id: sue
            name: Sue
            function: design
    """,
    passing="""
        team:
          - id: sue
            name: Sue
            function: customer-support
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    if not model.team:
        return  # PB301 already says the team is empty
    covered = {m.function for m in model.team}
    for function in EXPECTED_FUNCTIONS:
        if function in covered:
            continue
        yield loaded.finding(
            RULE.id,
            f"the team has no one from {function}",
            ("team",),
            key=True,
            expected="someone from each of " + ", ".join(EXPECTED_FUNCTIONS),
            hint="invite someone, or silence the rule on the workshop with the reason, "
            f"naming what it covers: covers: [{function}]",
            subject=function,
        )
