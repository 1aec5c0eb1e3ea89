"""The completeness score: how complete a workshop's write-up is, as the share of the
method's rules its file keeps, weighted by how much each matters (its severity in this
playbook).

It measures the write-up, never delivery: a workshop can score 100% with nothing shipped
(delivery is :mod:`prepbook.delivery`'s). It was called the readiness score until the
delivery status came, and read as one; ``readiness`` stays the word of an audited asset.
A rule that a silence covers does not lower the score, and is listed as silenced (with the
silence's reason) wherever the score is shown, never as kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.report import Report
from prepbook.rules import METHOD_RULES

Band = Literal["high", "medium", "low"]

# A silence that is not needed says nothing about how complete the workshop is.
SCORED_RULES = tuple(r for r in METHOD_RULES if r != "PB303")


@dataclass
class CompletenessScore:
    """One workshop's score, the rules it breaks, and its open and silenced findings."""

    score: int
    failed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    silenced: list[tuple[Finding, str]] = field(default_factory=list)  # with the reason

    @property
    def band(self) -> Band:
        return "high" if self.score >= 80 else "medium" if self.score >= 50 else "low"


def completeness(
    playbook: Playbook, report: Report, settings: Settings
) -> dict[str, CompletenessScore]:
    """Scores of the workshops of a checked playbook."""
    open_by: dict[str, list[Finding]] = {ws: [] for ws in playbook.workshops}
    # a rule found only under the finding it follows from is broken too, in the workshop
    # that finding is about
    found_by: dict[str, set[str]] = {ws: set() for ws in playbook.workshops}
    for finding in report.findings:
        if finding.workshop in open_by:
            open_by[finding.workshop].append(finding)
        for each in finding.every():
            if each.workshop in found_by:
                found_by[each.workshop].add(each.rule)
    silenced_by: dict[str, list[tuple[Finding, str]]] = {ws: [] for ws in playbook.workshops}
    for item in report.silenced:
        if item.finding.workshop in silenced_by:
            silenced_by[item.finding.workshop].append((item.finding, item.reason))
    weights = {r: s.weight for r in SCORED_RULES if (s := settings.severity_of(r)) is not None}
    total = sum(weights.values())
    scores = {}
    for ws_id, findings in open_by.items():
        broken = set(found_by[ws_id])
        for f in findings:  # a rule found only past the cap of the file is broken too
            broken.update(f.left_out.rules if f.left_out is not None else ())
        failed = sorted(broken & weights.keys())
        kept = total - sum(weights[r] for r in failed)
        score = round(100 * kept / total) if total else 100
        scores[ws_id] = CompletenessScore(score, failed, findings, silenced_by[ws_id])
    return scores
