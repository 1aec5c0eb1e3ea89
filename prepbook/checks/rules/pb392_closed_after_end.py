"""PB392 closed-after-end: a roadmap step's items were closed after its planned end.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import closed_after_end
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB392",
    "closed-after-end",
    Severity.INFO,
    "A roadmap step's items were closed after its planned end.",
)

DOC = RuleDoc(
    rationale=(
        "A step is planned to end on a day; the tracker says when its items really closed. "
        "The slip, in days, is what a retrospective asks for and what the next workshop's "
        "estimates should learn from, and it is easy to lose once the step reads done. The "
        "rule reports each step whose items, all closed, closed after its effective end "
        "(its own, or its phase's), with the slip in days. It is information by default: "
        "the work shipped."
    ),
    fix=(
        "Nothing to undo: keep the planned end as it was agreed, so the slip stays visible, "
        "and silence the rule on the step with the reason once the slip has been talked "
        "through. Set the rule's severity to warning to make slips stand out."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: done
              start: 2026-10-01
              end: 2026-11-27
              tracks: [github:acme/web#12]
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: done
              start: 2026-10-01
              end: 2026-12-11
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
    yield from closed_after_end(playbook, loaded, settings, today())
