"""PB342 unmitigated-risk: a persofail at or above the playbook's risk threshold has no
mitigation with an owner."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB342",
    "unmitigated-risk",
    Severity.WARNING,
    "A persofail at or above the risk threshold has no mitigation with an owner.",
)

DOC = RuleDoc(
    rationale=(
        "A persofail likely and bad enough to reach the risk threshold needs someone who will make "
        "it less likely or less bad. A mitigation without an owner is a wish."
    ),
    fix="Add a mitigation with an owner from the team, or lower the rating if it was too high.",
    failing="""
        persofails:
          - id: creepy
            inherent: {likelihood: 4, severity: 4}
    """,
    passing="""
        persofails:
          - id: creepy
            inherent: {likelihood: 4, severity: 4}
            mitigations:
              - id: ask-first
                action: Ask before using purchase history in messages.
                owner: mo
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    for i, persofail in enumerate(loaded.model.persofails):
        score = persofail.inherent.score
        if score < settings.high_risk_score:
            continue
        if not any(m.owner for m in persofail.mitigations):
            what = "no mitigation" if not persofail.mitigations else "no mitigation with an owner"
            yield loaded.finding(
                RULE.id,
                f"the persofail '{persofail.id}' has an inherent risk of {score} "
                f"(threshold {settings.high_risk_score}) and {what}",
                ("persofails", i, "inherent"),
                key=True,
                hint="add a mitigation and name its owner from the team",
                record=persofail.id,
            )
