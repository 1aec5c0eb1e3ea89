"""PB350 too-many-priorities: the workshop commits to more priorities than the playbook's
limit; the finding stands at the first priority past it."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB350",
    "too-many-priorities",
    Severity.WARNING,
    "The workshop commits to more priorities than the limit (two by default).",
)

DOC = RuleDoc(
    rationale=(
        "The method commits to one or two high-impact features. More spreads the team thin, and "
        "none of them ships well. The limit can be raised in the settings."
    ),
    fix="Park the priorities that can wait.",
    failing="""
        priorities:
          - id: second
            title: Second
            status: committed
            requires: [crm]
            measured_by: [churn]
            recipe: {trigger: a, audience: b, context: c, content: d, measure: e}
          - id: third
            title: Third
            status: committed
            requires: [crm]
            measured_by: [churn]
            recipe: {trigger: a, audience: b, context: c, content: d, measure: e}
        persofails:
          - id: creepy
            threatens: [offers, second, third]
        roadmap:
          steps:
            - id: build
              delivers: [offers, second, third]
    """,
    passing="""
        priorities:
          - id: second
            title: Second
            status: parked
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    committed = [(i, p) for i, p in enumerate(loaded.model.priorities) if p.status == "committed"]
    limit = settings.max_committed_priorities
    if len(committed) > limit:
        index = committed[limit][0]
        yield loaded.finding(
            RULE.id,
            f"{len(committed)} priorities are committed; the limit is {limit}",
            ("priorities", index, "status"),
            expected=f"at most {limit} committed priorities",
            hint="resources spread thin fail: park the ones that can wait",
        )
