"""PB330 priority-without-assets: a committed priority requires nothing from the audit."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Priority
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB330",
    "priority-without-assets",
    Severity.WARNING,
    "A committed priority requires no audited asset.",
)

DOC = RuleDoc(
    rationale=(
        "Every personalization is made of ingredients: data, people, tools. A committed priority "
        "that lists none has not been checked against the audit, and may depend on something the "
        "company does not have."
    ),
    fix="List under requires the audited assets the priority cannot ship without.",
    failing="""
        priorities:
          - id: offers
            requires: []
    """,
    passing="""
        priorities:
          - id: offers
            requires: [crm]
    """,
)


@EachCommittedPriority
def check(
    playbook: Playbook,
    loaded: LoadedWorkshop,
    priority: Priority,
    path: YamlPath,
    settings: Settings,
) -> Iterator[Finding]:
    if not priority.requires:
        yield loaded.finding(
            RULE.id,
            f"the committed priority '{priority.id}' requires no audited asset",
            (*path, "id"),
            hint="list under requires the assets it cannot ship without",
            record=priority.id,
        )
