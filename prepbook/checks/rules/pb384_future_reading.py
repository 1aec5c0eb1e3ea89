"""PB384 future-reading: a metric's reading is dated after the build's date.

The check itself lives with the other delivery rules in :mod:`prepbook.checks.delivery`,
which reads the same facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.delivery import future_reading
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB384",
    "future-reading",
    Severity.WARNING,
    ("A metric's reading is dated after the build's date."),
    subject="reading",
)

DOC = RuleDoc(
    rationale=(
        "A reading is a value someone measured, so it cannot be dated after the build's "
        "date (SOURCE_DATE_EPOCH when set): the date is a typo, most often of the year, or "
        "a target for a later day written as a reading. Either way it would count as the "
        "newest reading and set the metric's progress."
    ),
    fix=(
        "Write the day the value was measured. What the team hopes to reach by a later day "
        "is the metric's target."
    ),
    covers="2027-12-01",
    failing="""
        metrics:
          - id: churn
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2027-12-01
                value: 4.0
    """,
    passing="""
        metrics:
          - id: churn
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2026-12-01
                value: 4.0
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from future_reading(playbook, loaded, settings, today())
