"""PB341 no-persofail: no persofail threatens a committed priority, so its pre-mortem was
skipped."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Fact, Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Priority
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB341",
    "no-persofail",
    Severity.WARNING,
    "No persofail threatens a committed priority: its pre-mortem is missing.",
)

DOC = RuleDoc(
    rationale=(
        "The persofail brainstorm is a pre-mortem: imagine the feature has embarrassed the "
        "company, then say how. A committed priority that no persofail threatens has skipped that "
        "step."
    ),
    fix="Add a persofail whose threatens list names the priority, with its mitigations.",
    failing="""
        persofails:
          - id: creepy
            threatens: []
    """,
    passing="""
        persofails:
          - id: creepy
            threatens: [offers]
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
    pid = priority.id
    if not playbook.graph.referrers((loaded.id, pid), "threatens"):
        yield loaded.finding(
            RULE.id,
            f"no persofail threatens the committed priority '{pid}'",
            (*path, "id"),
            hint="run the pre-mortem: how could this feature embarrass us? Add a persofail "
            f"with threatens: [{pid}]",
            facts=(Fact("lacks-link", ("threatens", loaded.id, pid)),),
            record=pid,
        )
