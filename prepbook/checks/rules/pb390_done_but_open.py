"""PB390 done-but-open: a roadmap step is marked done, but the tracker has its items still open.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import done_but_open
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB390",
    "done-but-open",
    Severity.WARNING,
    "A roadmap step is marked done, but the tracker has its items still open.",
)

DOC = RuleDoc(
    rationale=(
        "A step is marked done at a review, or by hand when the work looks finished; the "
        "tracker is where the work is actually closed. When the file says done and the "
        "tracker still has an item to do or in progress, one of them is wrong, and the "
        "delivery status follows the tracker: a priority the file shows shipped is shown on "
        "track, or late. The tracker's export in the trackers folder is the evidence: the "
        "rule reads the items each step names in tracks:, and reports a step written done "
        "whose items are not all done (or were all dropped, which delivered nothing)."
    ),
    fix=(
        "If the work is not finished, write the status the tracker shows (in-progress). If "
        "it is, close the items in the tracker and take the export again (prepbook fetch); "
        "the finding goes once the export says done."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: done
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
        github:acme/web#12,Renewal offers,doing,
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from done_but_open(playbook, loaded, settings, today())
