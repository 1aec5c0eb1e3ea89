"""Checks that need more than one record: ids, references, the schedule, completeness.

Each check reads the loaded playbook and appends findings; none of them reads a file.
"""

from __future__ import annotations

from prepbook.checks.completeness import check_completeness
from prepbook.checks.method import check_method
from prepbook.checks.policy import apply_policy
from prepbook.checks.references import check_references
from prepbook.checks.risk import check_residual_risk
from prepbook.checks.schedule import check_schedule
from prepbook.config import Settings
from prepbook.load.playbook import Playbook


def run_checks(playbook: Playbook, settings: Settings) -> None:
    """Run every check in a fixed order, so findings come out the same way each time, then
    apply the playbook's severities and silences."""
    check_references(playbook)
    check_schedule(playbook)
    check_residual_risk(playbook)
    check_completeness(playbook)
    check_method(playbook, settings)
    apply_policy(playbook, settings)
