"""Known findings: a JSON report written earlier (``prepbook validate --format json --output
FILE``, on the main branch say) read back as a baseline. A finding the baseline holds is shown
as known and never fails the run; only new findings do, so a pull request fails for what it
introduces and not for what the calendar did (a review date that passed, PB360).

Findings are matched without positions: by rule, file, workshop, record, subject (what on
the record a finding is about, for the rules that have one), YAML path and the message with
its line and column numbers removed, so an edit that moves a known finding to
another line keeps it known. Each baseline entry is used once: a second identical finding is
new. The reader takes only those keys of ``findings[*]`` and ignores every other key, so a
report from an older or newer prepbook still reads.

A finding that holds others that follow from it (``follows``, :mod:`prepbook.checks.causes`)
is known when it and each of them is: a baseline's entries are read with the ``follows``
under them, and a report that listed them one by one (an older prepbook's) matches too.

A file over the cap (:mod:`prepbook.cap`) is compared as far as it is listed: its first
findings one by one, and its closing finding by how many it left out, known while that is
no more than the baseline's closing finding of the file left out. So one more problem in
such a file fails the run; one fewer does not. A listed finding that is fixed lets the
next one into the list, where the baseline, which never listed it, calls it new.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from prepbook.cap import CLOSING_RULE
from prepbook.errors import ReportError
from prepbook.findings import Finding
from prepbook.load.regular import NotReadable, read_regular

# (rule, file, workshop, record, subject, yaml_path, message without positions)
FindingKey = tuple[str, str, str, str, str, str, str]

_POSITIONS = re.compile(
    r"\b(lines?|columns?|col)\s+\d+(?:(?:\s*,\s*|\s+and\s+|\s*-\s*|\s+to\s+)\d+)*",
    re.IGNORECASE,
)
_FILE_POSITIONS = re.compile(r"(\.ya?ml):\d+(?::\d+)?", re.IGNORECASE)


class BaselineError(ReportError, ValueError):
    """The baseline file cannot be read or is not a prepbook JSON report."""


# A report of a thousand workshops, every one with findings, is a few megabytes.
MAX_BASELINE_BYTES = 256 * 1024 * 1024


def without_positions(message: str) -> str:
    """The message with line and column numbers replaced, as a baseline compares it."""
    message = _POSITIONS.sub(lambda m: f"{m.group(1)} N", message)
    return _FILE_POSITIONS.sub(lambda m: f"{m.group(1)}:N", message)


def _file(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def finding_key(finding: Finding) -> FindingKey:
    return (
        finding.rule,
        _file(finding.file),
        finding.workshop or "",
        finding.record or "",
        finding.subject or "",
        finding.yaml_path,
        without_positions(finding.message),
    )


def _entry_key(entry: Mapping[str, object]) -> FindingKey:
    def text(name: str) -> str:
        value = entry.get(name)
        return "" if value is None else str(value)

    return (
        text("rule"),
        _file(text("file")),
        text("workshop"),
        text("record"),
        text("subject"),
        text("yaml_path"),
        without_positions(text("message")),
    )


class Split(NamedTuple):
    """A report's findings, in their order, parted into new and known ones."""

    new: tuple[Finding, ...]
    known: tuple[Finding, ...]


def _left_out(entry: Mapping[str, object]) -> int | None:
    """How many findings a closing finding's entry left out; None for any other entry."""
    left_out = entry.get("left_out")
    count = left_out.get("count") if isinstance(left_out, dict) else None
    if entry.get("rule") != CLOSING_RULE or not isinstance(count, int):
        return None
    return count


@dataclasses.dataclass(frozen=True)
class Baseline:
    """The findings of an earlier run, by key and count; and of each file over the cap, how
    many findings its closing finding left out."""

    source: str
    keys: Counter[FindingKey]
    left_out: Mapping[str, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, object]], source: str) -> Baseline:
        keys: Counter[FindingKey] = Counter()
        left_out: dict[str, int] = {}
        for entry in entries:
            count = _left_out(entry)
            if count is None:
                keys[_entry_key(entry)] += 1
                # the findings folded under it (one level: a report nests no deeper)
                follows = entry.get("follows")
                for held in follows if isinstance(follows, list) else []:
                    if isinstance(held, dict):
                        keys[_entry_key(held)] += 1
            else:
                file = _file(str(entry.get("file", "")))
                left_out[file] = max(count, left_out.get(file, 0))
        return cls(source, keys, left_out)

    def split(self, findings: Sequence[Finding]) -> Split:
        left = Counter(self.keys)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            if finding.left_out is not None:
                room = self.left_out.get(_file(finding.file), -1)
                (known if finding.left_out.count <= room else new).append(finding)
                continue
            # a cause is known with what follows from it: when every one of them is
            group = Counter(finding_key(f) for f in finding.every())
            if all(left[key] >= n for key, n in group.items()):
                left.subtract(group)
                known.append(finding)
            else:
                new.append(finding)
        return Split(tuple(new), tuple(known))


def load_baseline(path: Path) -> Baseline:
    """Read a JSON report written by ``prepbook validate --format json``."""
    try:
        document = json.loads(read_regular(path, MAX_BASELINE_BYTES).decode("utf-8"))
    except NotReadable as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"the baseline {path} is not JSON: {exc}") from None
    except RecursionError:
        raise BaselineError(
            f"the baseline {path} is nested too deeply to be a report of prepbook"
        ) from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or not all(isinstance(e, dict) for e in findings):
        raise BaselineError(
            f"the baseline {path} is not a report of 'prepbook validate --format json' "
            "(it has no list of findings)"
        )
    return Baseline.from_entries(findings, str(path))
