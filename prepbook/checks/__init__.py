"""Checks that need more than one record: ids, references, the schedule, completeness.

Each check reads the loaded playbook and appends findings; none of them reads a file.
"""

from __future__ import annotations

from prepbook.checks.completeness import check_completeness
from prepbook.checks.references import check_references
from prepbook.checks.risk import check_residual_risk
from prepbook.checks.schedule import check_schedule
from prepbook.playbook import Playbook


def run_checks(playbook: Playbook) -> None:
    """Run every check in a fixed order, so findings come out the same way each time."""
    check_references(playbook)
    check_schedule(playbook)
    check_residual_risk(playbook)
    check_completeness(playbook)
