"""PB394 item-not-exported: a roadmap step tracks an item that no export in the trackers
folder holds.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import missing_items
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB394",
    "item-not-exported",
    Severity.WARNING,
    "A roadmap step tracks an item that no export in the trackers folder holds.",
    subject="item",
)

DOC = RuleDoc(
    rationale=(
        "A step's tracks: names the work that delivers it; the observed status is made of "
        "what the exports say of each item. An item no export holds says nothing: it may be "
        "mistyped, newer than the export, moved to another repository or project, or in a "
        "tracker nothing exports. Its step's observed status is then made of the other "
        "items alone, which can call a step done while part of its work is unknown. Each "
        "missing item is a finding of its own, so a silence covers the items it lists."
    ),
    fix=(
        "Correct the reference, or take the export again so that it holds the item "
        "(prepbook fetch). An item that moved is named by its new address."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12, github:acme/web#13]
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12]
    """,
    covers="github:acme/web#13",
    export="""
        # taken: 2026-12-28T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,doing,
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from missing_items(playbook, loaded, settings, today())
