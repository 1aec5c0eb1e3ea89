"""The checks: functions that read the loaded playbook and yield findings.

None of them reads a file or changes the playbook, so their order does not matter for what
they find; they run in a fixed order only so findings come out the same way each time.
The playbook's policy (severities, rules turned off, silences) is applied once, at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prepbook.checks.completeness import check_completeness
from prepbook.checks.delivery import check_delivery
from prepbook.checks.method import check_method
from prepbook.checks.organisations import check_organisations
from prepbook.checks.policy import apply_policy
from prepbook.checks.references import check_references
from prepbook.checks.risk import check_residual_risk
from prepbook.checks.schedule import check_schedule
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.report import Report

Check = Callable[[Playbook, Settings], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    check_references,
    check_schedule,
    check_residual_risk,
    check_completeness,
    check_method,
    check_organisations,
    check_delivery,
)


def run_checks(playbook: Playbook, settings: Settings) -> Report:
    """Every finding about the playbook: what loading found, then what each check finds,
    with the playbook's policy applied."""
    found = list(playbook.problems)
    for check in CHECKS:
        found.extend(check(playbook, settings))
    return apply_policy(playbook, settings, found)
