"""The loaded playbook: every workshop file parsed, validated and indexed by id.

Loading is the single pass over the files; checks, the cross-reference graph and the
renderer all work from this object and never read a file again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepbook.findings import Finding, Span
from prepbook.model import Workshop
from prepbook.model.records import KIND_LABELS, Located, iter_records
from prepbook.rules import Severity
from prepbook.salvage import Salvaged, salvage
from prepbook.schema_errors import validate_workshop
from prepbook.yamlsource import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    YamlPath,
    load_source,
    parse_source,
)

WORKSHOP_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedWorkshop:
    """One workshop with its source, for messages, and its record index.

    A *partial* workshop failed schema validation; it holds the records that passed, so
    the cross-record checks still run on them, and it is never rendered.
    """

    path: Path
    source: SourceFile
    model: Workshop
    records: dict[str, Located] = field(default_factory=dict)
    salvaged: Salvaged | None = None

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def partial(self) -> bool:
        return self.salvaged is not None

    def is_broken_record(self, record_id: str) -> bool:
        """Whether ``record_id`` names a record that was set aside for schema errors."""
        return self.salvaged is not None and record_id in self.salvaged.broken_ids

    def _in_file(self, path: YamlPath) -> YamlPath:
        return self.salvaged.original_path(path) if self.salvaged is not None else path

    def span_of(self, path: YamlPath) -> Span | None:
        """The span of ``path`` of this workshop's model, in the original file."""
        return self.source.span_of(self._in_file(path))

    def finding(self, rule_id: str, message: str, path: YamlPath, **extra: Any) -> Finding:
        """A finding at ``path`` of this workshop's model, placed in the original file."""
        return self.source.finding(rule_id, message, self._in_file(path), workshop=self.id, **extra)


@dataclass
class Playbook:
    """All workshops of a run, and every finding about them."""

    workshops: dict[str, LoadedWorkshop] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Ids of files that could not be loaded, so references to them are not reported twice.
    broken_ids: set[str] = field(default_factory=set)
    # Method findings that a record silenced, with the reason it gave.
    silenced: list[tuple[Finding, str]] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.resolve()) if relative.startswith("..") else relative


def discover(root: Path) -> tuple[list[Path], list[Finding]]:
    """The workshop files under ``root``, sorted; links that lead outside it are refused."""
    base = root.resolve()
    files: list[Path] = []
    findings: list[Finding] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if name.startswith(".") or not name.endswith(WORKSHOP_SUFFIXES):
                continue
            if not path.resolve().is_relative_to(base):
                findings.append(
                    Finding.of(
                        "PB009",
                        "the file is a link to a place outside the workshops folder",
                        display_path(path),
                        hint="copy the file into the folder instead of linking",
                    )
                )
                continue
            files.append(path)
    return files, findings


def load_files(paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Playbook:
    """Parse and schema-validate each file; duplicates of a workshop id are reported."""
    playbook = Playbook()
    for path in paths:
        display = display_path(path)
        _admit(playbook, path, display, load_source(path, display, max_bytes=max_bytes))
    return playbook


def load_blobs(
    blobs: Iterable[tuple[Path, bytes]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Playbook:
    """The same, for files given as bytes (from a git revision): nothing is read from disk."""
    playbook = Playbook()
    for path, raw in blobs:
        display = path.as_posix()
        if len(raw) > max_bytes:
            parsed: tuple[SourceFile | None, list[Finding]] = (
                None,
                [
                    Finding.of(
                        "PB003",
                        f"the file is {len(raw):,} bytes, over the cap of {max_bytes:,}",
                        display,
                    )
                ],
            )
        else:
            parsed = parse_source(raw, display)
        _admit(playbook, path, display, parsed)
    return playbook


def _admit(
    playbook: Playbook,
    path: Path,
    display: str,
    parsed: tuple[SourceFile | None, list[Finding]],
) -> None:
    playbook.files.append(display)
    source, findings = parsed
    playbook.findings.extend(findings)
    if source is None:
        playbook.broken_ids.add(path.stem)
        return
    model, schema_findings, errors = validate_workshop(source)
    playbook.findings.extend(schema_findings)
    if model is not None:
        _add(playbook, LoadedWorkshop(path, source, model))
        return
    salvaged = salvage(source.data, errors, path.stem)
    if salvaged is None:
        playbook.broken_ids.add(path.stem)
    else:
        _add(playbook, LoadedWorkshop(path, source, salvaged.model, salvaged=salvaged))


def _add(playbook: Playbook, loaded: LoadedWorkshop) -> None:
    model = loaded.model
    if model.id != loaded.path.stem:
        playbook.findings.append(
            loaded.finding(
                "PB203",
                f"the workshop id '{model.id}' differs from the file name '{loaded.path.name}'",
                ("id",),
                expected=f"id: {loaded.path.stem}, or the file renamed to {model.id}.yaml",
                hint="keep the id and the file name equal so links and diffs stay stable",
            )
        )
    other = playbook.workshops.get(model.id)
    if other is not None:
        playbook.findings.append(
            loaded.finding(
                "PB202",
                f"the workshop id '{model.id}' is also used by {other.source.display}",
                ("id",),
                hint="give each workshop its own id",
            )
        )
        return
    playbook.workshops[model.id] = loaded
    _index_records(playbook, loaded)


def _index_records(playbook: Playbook, loaded: LoadedWorkshop) -> None:
    """Fill the workshop's id index; a second record with a taken id is reported."""
    for located in iter_records(loaded.model):
        first = loaded.records.get(located.record.id)
        if first is None:
            loaded.records[located.record.id] = located
            continue
        first_span = loaded.span_of((*first.path, "id"))
        where = f" at line {first_span.line}" if first_span else ""
        playbook.findings.append(
            loaded.finding(
                "PB201",
                f"the id '{located.record.id}' is already used by the "
                f"{KIND_LABELS[first.kind]}{where}",
                (*located.path, "id"),
                expected="ids unique across all records of a workshop",
                hint="rename one of them; references use ids, so they must be unambiguous",
            )
        )
