"""What a run concluded, kept apart from what it loaded: the findings after the playbook's
policy, the findings records silenced with their reasons, and the files looked at."""

from __future__ import annotations

from dataclasses import dataclass

from prepbook.cap import counted
from prepbook.findings import Finding
from prepbook.rules import Severity


@dataclass(frozen=True, slots=True)
class Silenced:
    """A method finding a record silenced, and the reason it wrote."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class Report:
    """What a run concluded: its findings (after the playbook's policy), the findings
    records silenced, and the files it looked at."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    silenced: tuple[Silenced, ...] = ()

    def count(self, severity: Severity) -> int:
        """The findings of ``severity``, those past a file's cap included."""
        return counted(self.findings, severity)

    @property
    def left_out(self) -> int:
        """The findings past the cap of their file, counted but not listed."""
        return sum(f.left_out.count for f in self.findings if f.left_out is not None)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def of_severity(self, *severities: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity in severities]
