"""The cap on findings per file: past :data:`MAX_FINDINGS_PER_FILE` findings of one file,
the rest are counted, not listed, and one closing finding (PB010) says how many there are.

A file that is not a workshop at all (a list of 70,000 settings, a log saved under the
wrong name) has a finding on every line. Listing them helps nobody: the first screen shows
the cause, and seventy thousand findings made every output format, the error page of
``mkdocs serve`` and the build log as large as the file, and as slow to write. Compilers
stop the same way after their first errors.

The findings listed are the first of the file by position, as the report sorts them; the
closing finding stands where the first one left out would have. So that the ones left out
cost nothing, the stages that can find one a line (the YAML walk, the schema, the
references) stop building findings for a file once they have :data:`MAX_FINDINGS_PER_FILE`
of it, and count the rest (:class:`Tally`, :func:`first_by_place`); their closing
findings and what the other stages found are folded into one per file, once, when the
report is put together (:func:`cap_per_file`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import TypeVar

from prepbook.findings import Finding, LeftOut, Span
from prepbook.rules import Severity

MAX_FINDINGS_PER_FILE = 100
CLOSING_RULE = "PB010"
_HINT = (
    "fix the problems listed first and run again: the rest are listed once there are fewer; "
    "so many problems in one file usually have one cause, such as a wrong indentation or a "
    "file that is not a workshop"
)

T = TypeVar("T")


def closing_finding(
    file: str,
    left_out: LeftOut,
    span: Span | None = None,
    source_line: str | None = None,
    workshop: str | None = None,
) -> Finding:
    """The finding that stands for ``left_out``, where the first of them stood."""
    count = left_out.count
    noun = "problem" if count == 1 else "problems"
    return Finding(
        CLOSING_RULE,
        f"and {count:,} more {noun} in this file",
        file,
        span=span,
        hint=_HINT,
        source_line=source_line,
        severity=left_out.severity,
        workshop=workshop,
        left_out=left_out,
    )


def counted(findings: Iterable[Finding], severity: Severity) -> int:
    """How many findings of ``severity`` there are, those a closing finding stands for and
    those folded under their cause (``Finding.follows``) included (the closing finding
    itself is none of them)."""
    return sum(
        f.left_out.of(severity) if f.left_out else sum(g.severity == severity for g in f.every())
        for f in findings
    )


@dataclass
class Tally:
    """One stage's findings of one file, as it finds them in the file's order: room for
    the first :data:`MAX_FINDINGS_PER_FILE`; the rest counted, and the place of the first
    of them kept for the closing finding. Such a stage finds errors only (rules no
    playbook can configure)."""

    limit: int = MAX_FINDINGS_PER_FILE
    kept: int = 0
    left: int = 0
    rules: set[str] = field(default_factory=set)
    first: tuple[Span | None, str | None] | None = None  # span and source line

    def admit(self) -> bool:
        """Whether the next finding is listed: then the caller builds it."""
        if self.kept < self.limit:
            self.kept += 1
            return True
        return False

    def leave_out(self, rule: str, place: Callable[[], tuple[Span | None, str | None]]) -> None:
        """Count a finding the caller does not build; ``place`` is asked for the first."""
        self.left += 1
        self.rules.add(rule)
        if self.first is None:
            self.first = place()

    def closing(self, file: str, workshop: str | None = None) -> list[Finding]:
        """The closing finding, when anything was left out."""
        if not self.left or self.first is None:
            return []
        left_out = LeftOut(errors=self.left, rules=tuple(sorted(self.rules)))
        return [closing_finding(file, left_out, *self.first, workshop=workshop)]


def first_by_place(
    items: Sequence[T], place: Callable[[T], int], limit: int = MAX_FINDINGS_PER_FILE
) -> tuple[list[T], list[T]]:
    """For a stage that finds a file's problems out of the file's order: the ``limit``
    first items by ``place`` (an offset in the file, cheap to find), in their own order,
    and the rest by place, so that only the first are made findings."""
    if len(items) <= limit:
        return list(items), []
    order = sorted(range(len(items)), key=lambda i: place(items[i]))
    chosen = set(order[:limit])
    return [item for i, item in enumerate(items) if i in chosen], [items[i] for i in order[limit:]]


def _position(finding: Finding) -> tuple[int, int]:
    return (finding.span.line, finding.span.column) if finding.span else (0, 0)


def _fold(
    file: str, listed: list[Finding], dropped: list[Finding], closings: list[Finding]
) -> Finding:
    """One closing finding for the findings past the cap and those earlier stages counted."""
    errors = warnings = infos = 0
    rules: set[str] = set()
    for finding in dropped:
        rules.add(finding.rule)
        errors += finding.severity == Severity.ERROR
        warnings += finding.severity == Severity.WARNING
        infos += finding.severity == Severity.INFO
    for closing in closings:
        assert closing.left_out is not None
        errors += closing.left_out.errors
        warnings += closing.left_out.warnings
        infos += closing.left_out.infos
        rules.update(closing.left_out.rules)
    first = min([*dropped[:1], *closings], key=_position)
    workshop = next((f.workshop for f in (*dropped, *closings, *listed) if f.workshop), None)
    left_out = LeftOut(errors, warnings, infos, tuple(sorted(rules)))
    return closing_finding(file, left_out, first.span, first.source_line, workshop)


def cap_per_file(
    findings: Iterable[Finding], limit: int = MAX_FINDINGS_PER_FILE
) -> Iterator[Finding]:
    """The findings of a report sorted by file and position, each file's first ``limit``
    listed and the rest folded into one closing finding after them."""
    for file, group in groupby(findings, key=lambda f: f.file):
        ordinary: list[Finding] = []
        closings: list[Finding] = []
        for finding in group:
            (closings if finding.left_out is not None else ordinary).append(finding)
        listed, dropped = ordinary[:limit], ordinary[limit:]
        yield from listed
        if dropped or closings:
            yield _fold(file, listed, dropped, closings)
