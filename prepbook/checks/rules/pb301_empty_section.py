"""PB301 empty-section: a section of the workshop is still empty.

A new workshop starts empty and must still validate, so this is a warning, not an error: the
to-do list of a workshop in progress. Which sections there are, and the note each gives when
empty, is read off the kinds of record.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import TOP_LEVEL, records_in
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB301",
    "empty-section",
    Severity.WARNING,
    "A section of the workshop is still empty.",
    subject="section",
)

DOC = RuleDoc(
    rationale=(
        "A workshop is five steps, and each step leaves something in the file: a team, an audit, "
        "metrics, persofails, priorities, a roadmap. An empty section is usually work still to do, "
        "which is fine in a draft, and worth a reminder."
    ),
    fix="Fill in the section, or leave the warning while the workshop is in progress.",
    covers="steps",
    failing="""
        roadmap:
          steps: []
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build the renewal offers
              delivers: [offers]
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    for kind in TOP_LEVEL:
        if kind.empty_note and not records_in(model, kind):
            yield loaded.finding(
                RULE.id,
                kind.empty_note,
                kind.home,
                key=True,
                hint=f"fill in '{kind.where}'",
                subject=str(kind.home[-1]),
            )
