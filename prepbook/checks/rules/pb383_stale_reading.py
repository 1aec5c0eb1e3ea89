"""PB383 stale-reading: a metric's newest reading is older than the stale_reading_days option
allows.

The check itself lives with the other delivery rules in :mod:`prepbook.checks.delivery`,
which reads the same facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.delivery import stale_reading
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB383",
    "stale-reading",
    Severity.WARNING,
    ("A metric's newest reading is older than the stale_reading_days option allows."),
)

DOC = RuleDoc(
    rationale=(
        "A metric is named at the workshop to tell whether a priority worked, and its "
        "readings are how the playbook answers. When the newest reading is older than the "
        "limit, the progress the site shows is old news: the metric may have moved either "
        "way since. The limit is the plugin's option stale_reading_days (90 days unless "
        "set), counted from the build's date (SOURCE_DATE_EPOCH when set). A metric "
        "without readings is not judged."
    ),
    fix=(
        "Add the latest value as a reading, with its date and source. A metric that is no "
        "longer read can say so in its notes and silence the rule, with the reason."
    ),
    failing="""
        metrics:
          - id: churn
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2026-06-30
                value: 4.1
    """,
    passing="""
        metrics:
          - id: churn
            baseline: 4.2
            target: 3.8
            readings:
              - date: 2026-06-30
                value: 4.1
              - date: 2026-12-01
                value: 4.0
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from stale_reading(playbook, loaded, settings, today())
