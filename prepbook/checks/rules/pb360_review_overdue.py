"""PB360 review-overdue: the workshop, or a record of it, is past its review date.

Judged against one date for the whole run, the build's (SOURCE_DATE_EPOCH when set), so a
rebuild of the same files gives the same findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import RuleDoc, WholePlaybook
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB360",
    "review-overdue",
    Severity.WARNING,
    "A record is past its review date.",
)

DOC = RuleDoc(
    rationale=(
        "Audits go stale, risks change, and a roadmap step that was right six months ago may not "
        "be now. A review date says when the record must be looked at again; the build's date "
        "(SOURCE_DATE_EPOCH when set) tells whether that day has passed."
    ),
    fix="Review the record, then move review_by to the next date.",
    failing="""
        review_by: 2001-01-01
    """,
    passing="""
        review_by: 2999-01-01
    """,
)


@WholePlaybook
def check(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    day = today()
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # a file with schema errors is judged once it is whole
        model = loaded.model
        dated = [((), model.id, model.review_by)] + [
            (located.path, located.record.id, getattr(located.record, "review_by", None))
            for located in loaded.located
        ]
        for path, record_id, review_by in dated:
            if review_by is not None and review_by < day:
                yield loaded.finding(
                    RULE.id,
                    f"'{record_id}' was due for review on {review_by}",
                    (*path, "review_by"),
                    expected=f"a review date after {day}",
                    hint="review the record, then move review_by to the next date",
                    record=None if not path else record_id,
                )
