"""Known findings: a JSON report written earlier (``prepbook validate --format json --output
FILE``, on the main branch say) read back as a baseline. A finding the baseline holds is shown
as known and never fails the run; only new findings do, so a pull request fails for what it
introduces and not for what the calendar did (a review date that passed, PB360).

Findings are matched without positions: by rule, file, workshop, record, YAML path and the
message with its line and column numbers removed, so an edit that moves a known finding to
another line keeps it known. Each baseline entry is used once: a second identical finding is
new. The reader takes only those keys of ``findings[*]`` and ignores every other key, so a
report from an older or newer prepbook still reads.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from prepbook.findings import Finding
from prepbook.report import Report
from prepbook.report.formats import REPORT_FORMATS, printable

# (rule, file, workshop, record, yaml_path, message without positions)
Key = tuple[str, str, str, str, str, str]

# The formats people read: known findings are listed apart, the report shows the new ones.
# Every other format is a document for programs: all findings, each marked new or known.
_READ_BY_PEOPLE = frozenset({"text", "github"})
_POSITIONS = re.compile(
    r"\b(lines?|columns?|col)\s+\d+(?:(?:\s*,\s*|\s+and\s+|\s*-\s*|\s+to\s+)\d+)*",
    re.IGNORECASE,
)
_FILE_POSITIONS = re.compile(r"(\.ya?ml):\d+(?::\d+)?", re.IGNORECASE)


class BaselineError(ValueError):
    """The baseline file cannot be read or is not a prepbook JSON report."""


def without_positions(message: str) -> str:
    """The message with line and column numbers replaced, as a baseline compares it."""
    message = _POSITIONS.sub(lambda m: f"{m.group(1)} N", message)
    return _FILE_POSITIONS.sub(lambda m: f"{m.group(1)}:N", message)


def _file(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def finding_key(finding: Finding) -> Key:
    return (
        finding.rule,
        _file(finding.file),
        finding.workshop or "",
        finding.record or "",
        finding.yaml_path,
        without_positions(finding.message),
    )


def _entry_key(entry: Mapping[str, object]) -> Key:
    def text(name: str) -> str:
        value = entry.get(name)
        return "" if value is None else str(value)

    return (
        text("rule"),
        _file(text("file")),
        text("workshop"),
        text("record"),
        text("yaml_path"),
        without_positions(text("message")),
    )


class Split(NamedTuple):
    """A report's findings, in their order, parted into new and known ones."""

    new: tuple[Finding, ...]
    known: tuple[Finding, ...]


@dataclasses.dataclass(frozen=True)
class Baseline:
    """The findings of an earlier run, by key and count."""

    source: str
    keys: Counter[Key]

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, object]], source: str) -> Baseline:
        return cls(source, Counter(_entry_key(e) for e in entries))

    def split(self, findings: Sequence[Finding]) -> Split:
        left = Counter(self.keys)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            key = finding_key(finding)
            if left[key] > 0:
                left[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return Split(tuple(new), tuple(known))


def load_baseline(path: Path) -> Baseline:
    """Read a JSON report written by ``prepbook validate --format json``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"the baseline {path} is not JSON: {exc}") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or not all(isinstance(e, dict) for e in findings):
        raise BaselineError(
            f"the baseline {path} is not a report of 'prepbook validate --format json' "
            "(it has no list of findings)"
        )
    return Baseline.from_entries(findings, str(path))


def known_section(known: Sequence[Finding], source: str) -> str:
    """The known findings, one line each, for people; empty when there are none."""
    if not known:
        return ""
    noun = "finding" if len(known) == 1 else "findings"
    lines = [f"{len(known)} known {noun}, in the baseline {printable(source)} (not failing):"]
    for f in known:
        where = f.file + (f":{f.span.line}:{f.span.column}" if f.span else "")
        lines.append(
            f"  known {f.severity}[{f.rule}]: {printable(f.message)}  --> {printable(where)}"
        )
    return "\n".join(lines) + "\n\n"


def _mark(text: str, fmt: str, split: Split, findings: Sequence[Finding], source: str) -> str:
    """Mark each finding of a JSON or SARIF document new or known; a document of any other
    shape is returned as it was. JSON entries are matched by key, so their order does not
    matter; SARIF results carry no record, and are marked when they follow the report's
    order."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return text
    if not isinstance(document, dict):
        return text
    if fmt == "sarif":
        runs = document.get("runs")
        results = runs[0].get("results") if isinstance(runs, list) and runs else None
        if not isinstance(results, list) or len(results) != len(findings):
            return text
        known = {id(f) for f in split.known}
        for result, finding in zip(results, findings, strict=True):
            if isinstance(result, dict):
                result["baselineState"] = "unchanged" if id(finding) in known else "new"
    elif isinstance(document.get("findings"), list):
        left = Counter(finding_key(f) for f in split.known)
        for entry in document["findings"]:
            if not isinstance(entry, dict):
                continue
            key = _entry_key(entry)
            entry["baseline_state"] = "known" if left[key] > 0 else "new"
            left[key] -= 1
        document["baseline"] = {"file": source, "new": len(split.new), "known": len(split.known)}
    else:
        return text
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_with_baseline(
    fmt: str, report: Report, split: Split, source: str, *, colour: bool = False
) -> str:
    """The report in ``fmt``: for people, the known findings listed apart and then the
    report of the new ones; for programs, every finding marked new or known."""
    formatter = REPORT_FORMATS[fmt]
    if fmt in _READ_BY_PEOPLE:
        fresh = dataclasses.replace(report, findings=split.new)
        return known_section(split.known, source) + formatter(fresh, colour=colour)
    return _mark(formatter(report, colour=colour), fmt, split, report.findings, source)
