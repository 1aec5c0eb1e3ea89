"""PB382 reading-out-of-bounds: a metric's reading lies outside the bounds of its unit, such as
a percentage over 100.

The check itself lives with the other delivery rules in :mod:`prepbook.checks.delivery`,
which reads the same facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.delivery import reading_out_of_bounds
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB382",
    "reading-out-of-bounds",
    Severity.WARNING,
    ("A metric's reading lies outside the bounds of its unit, such as a percentage over 100."),
    subject="reading",
)

DOC = RuleDoc(
    rationale=(
        "A reading is copied by hand from a dashboard or an export, and a value in the "
        "wrong scale (a share written as 40 where the report says 0.40, a missed decimal "
        "point) moves a metric's progress far past its target or below its baseline. Where "
        "the unit bounds its values, prepbook checks each reading against it: a percentage "
        "from 0 to 100, percentage points and a Net Promoter Score from -100 to 100, a "
        'rating "out of N" from 0 to N. Any other unit bounds nothing prepbook could know, '
        "and is not checked."
    ),
    fix=(
        "Check the value against its source and correct it; if the metric is measured in "
        "another unit than the one written, correct the metric's unit."
    ),
    covers="2026-12-01",
    failing="""
        metrics:
          - id: churn
            unit: "%"
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2026-12-01
                value: 402
                source: Monthly churn report
    """,
    passing="""
        metrics:
          - id: churn
            unit: "%"
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2026-12-01
                value: 4.02
                source: Monthly churn report
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from reading_out_of_bounds(playbook, loaded, settings, today())
