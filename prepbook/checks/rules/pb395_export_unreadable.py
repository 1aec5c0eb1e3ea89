"""PB395 export-unreadable: a tracker export, or a line of one, cannot be read.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import unreadable_exports
from prepbook.checks.rules.definition import RuleDoc, WholePlaybook
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB395",
    "export-unreadable",
    Severity.WARNING,
    "A tracker export, or a line of one, cannot be read.",
)

DOC = RuleDoc(
    rationale=(
        "An export is read as its exporter writes it (gh's JSON, a Jira, Linear or plain "
        "CSV, a CSV of metric readings); a line that cannot be read (a state nothing maps, "
        "a date that is not one, a column missing, a file in the trackers folder that is no "
        "export) is reported at its line, and the reader goes on with the next, so one bad "
        "row hides nothing else. What the line said is left out of the observed facts until "
        "it is fixed."
    ),
    fix=(
        "Take the export again with the exporter (prepbook fetch), or fix the line the "
        "finding names. A state the table does not know is given its meaning in the "
        "plugin's tracker_states option."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12]
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12]
    """,
    export="""
        # taken: 2026-12-28T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,Parked,
    """,
    passing_export="""
        # taken: 2026-12-28T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,doing,
    """,
)


@WholePlaybook
def check(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    yield from unreadable_exports(playbook, settings, today())
