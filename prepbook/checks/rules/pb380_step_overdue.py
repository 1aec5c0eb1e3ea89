"""PB380 step-overdue: a roadmap step's end has passed and it is not done.

The check itself lives with the other delivery rules in :mod:`prepbook.checks.delivery`,
which reads the same facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.delivery import step_overdue
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB380",
    "step-overdue",
    Severity.WARNING,
    ("A roadmap step's end has passed and it is not done."),
)

DOC = RuleDoc(
    rationale=(
        "A roadmap is written at the workshop; the work then runs late or early, and the "
        "file has to follow. A step whose end has passed while it is still planned or in "
        "progress says one of two things, and the file says neither: the work is done and "
        "nobody wrote it down, or it slipped and nobody moved the date. The delivery "
        "status of every priority the step serves, delivered or waited for, is computed "
        "from these dates and statuses, so a stale step makes a late priority look on "
        "track, or the reverse. A step that ends on the build's date is not overdue yet; "
        "one that ended the day before is. Only the roadmaps of workshops that were held "
        "are judged: a draft or scheduled workshop's roadmap is a proposal no one has "
        "agreed to yet, and an archived one's has been superseded."
    ),
    fix=(
        "Write status: done if the work is done. If not, write the end it is now expected "
        "on; the priorities that wait for it then show as late or blocked until it is "
        "done."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build the renewal offers
              start: 2026-10-01
              end: 2026-11-27
              status: in-progress
              delivers: [offers]
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build the renewal offers
              start: 2026-10-01
              end: 2026-11-27
              status: done
              delivers: [offers]
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from step_overdue(playbook, loaded, settings, today())
