"""A playbook as loaded, with what the checks concluded about it: what the build service
returns from a check, and what the diff compares, two of them at a time.

It sits in the report layer, below the diff and the build service, so the diff takes its
sides without importing the service that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from prepbook.config import Settings
from prepbook.load.playbook import Playbook
from prepbook.report import Report
from prepbook.report.completeness import CompletenessScore, completeness


@dataclass(frozen=True)
class Checked:
    """A playbook as loaded, and what the checks concluded about it."""

    playbook: Playbook
    report: Report

    def completeness(self, settings: Settings) -> dict[str, CompletenessScore]:
        return completeness(self.playbook, self.report, settings)
