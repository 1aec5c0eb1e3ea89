"""PB391 closed-but-not-done: a roadmap step is still planned or in progress, but the
tracker closed every item it tracks.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import closed_but_open_in_file
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB391",
    "closed-but-not-done",
    Severity.WARNING,
    "A roadmap step is still planned or in progress, but the tracker closed every item it tracks.",
)

DOC = RuleDoc(
    rationale=(
        "The tracker moves on without the file: the items are closed, the step still reads "
        "planned or in progress. The delivery status already follows the tracker, so the "
        "site shows the step done; the file read alone, or a review of it, says otherwise. "
        "Reporting it keeps the written roadmap as true as the site. A step whose items "
        "were all dropped is reported too: the plan changed and the file does not say so."
    ),
    fix=(
        "Write status: done when the items were done. When they were dropped, take the step "
        "out of the roadmap or make it track the work that replaced it."
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
              status: done
              tracks: [github:acme/web#12]
    """,
    export="""
        # taken: 2026-12-28T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,done,2026-12-10
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from closed_but_open_in_file(playbook, loaded, settings, today())
