"""What a run concluded, kept apart from what it loaded: the findings after the playbook's
policy, the findings records silenced with their reasons, and the files looked at."""

from __future__ import annotations

from dataclasses import dataclass

from prepbook.findings import Finding
from prepbook.rules import Severity


@dataclass(frozen=True, slots=True)
class Silenced:
    """A method finding a record silenced, and the reason it wrote."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class Report:
    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    silenced: tuple[Silenced, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def of_severity(self, *severities: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity in severities]
