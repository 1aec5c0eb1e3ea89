"""PB351 unscheduled-priority: no roadmap step delivers a committed priority."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Fact, Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Priority
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB351",
    "unscheduled-priority",
    Severity.WARNING,
    "No roadmap step delivers a committed priority.",
)

DOC = RuleDoc(
    rationale="A committed priority that no roadmap step delivers is a promise without a plan.",
    fix="Add a roadmap step whose delivers list names the priority.",
    failing="""
        roadmap:
          steps:
            - id: build
              delivers: []
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              delivers: [offers]
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
    if not playbook.graph.referrers((loaded.id, pid), "delivers"):
        yield loaded.finding(
            RULE.id,
            f"no roadmap step delivers the committed priority '{pid}'",
            (*path, "id"),
            hint=f"add a roadmap step with delivers: [{pid}]",
            facts=(Fact("lacks-link", ("delivers", loaded.id, pid)),),
            record=pid,
        )
