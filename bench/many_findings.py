"""``prepbook validate`` on one file of many findings: the time must grow no faster than
the number of findings.

The file is a valid synthetic workshop followed by ``n`` keys no workshop has, one a line,
so it has exactly ``n`` findings (PB101), the shape of a file that is not a workshop at
all. Every stage between the parse and the printed report runs on it: the loader and its
positions, the schema's explanations, salvage, the checks, the cap on findings a file, the
sort, and the text and JSON reports. Before the positions got their index of long
mappings, a finding walked its mapping's keys from the first, and this grew with the
square of ``n``: over a minute at 70,000.
"""

from __future__ import annotations

import math
import shutil
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bench.synthetic import write_playbook

FINDINGS = (1_000, 10_000, 70_000)


def playbook_of_findings(folder: Path, n: int) -> Path:
    """A project of one workshop file with exactly ``n`` findings (unknown top-level keys)."""
    if folder.exists():
        shutil.rmtree(folder)
    (path,) = write_playbook(folder, 1)
    with path.open("a", encoding="utf-8") as text:
        text.writelines(f"k{i:05d}: 1\n" for i in range(n))  # 10 bytes a finding
    return folder


@dataclass(frozen=True)
class Figure:
    """The validation of one file of ``findings`` findings."""

    findings: int  # what the report counts, listed or not
    listed: int  # what it lists: the file's first ones, and the closing finding
    seconds: float  # CPU seconds of check and both reports, best of the repeats
    size: int  # bytes of the file

    @property
    def per_finding(self) -> float:
        return self.seconds / self.findings


def validate_findings(root: Path, repeats: int = 3) -> Figure:
    """Check the project and write its text and JSON reports, in this process's CPU time
    (one thread; on a shared machine the wall clock counts the other processes too)."""
    from prepbook.build import check
    from prepbook.config import Project, Settings
    from prepbook.report.formats import format_json, format_text
    from prepbook.rules import Severity

    best = math.inf
    findings = listed = 0
    for _ in range(repeats):
        started = time.process_time()
        report = check(Project(Settings(), root)).report
        format_text(report)
        format_json(report)
        best = min(best, time.process_time() - started)
        findings, listed = sum(report.count(s) for s in Severity), len(report.findings)
    size = sum(p.stat().st_size for p in (root / "workshops").glob("*.yaml"))
    return Figure(findings, listed, best, size)


def growth(figures: dict[int, Figure]) -> list[tuple[int, int, float]]:
    """Each size against the one before: (smaller, larger, time ratio)."""
    sizes = sorted(figures)
    return [
        (low, high, figures[high].seconds / figures[low].seconds) for low, high in pairwise(sizes)
    ]
