"""The loaded playbook: every workshop file parsed, validated and indexed by id.

Loading is the single pass over the files; checks, the cross-reference graph and the
renderer all work from this object and never read a file again.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepbook.findings import Finding, Span
from prepbook.load.salvage import Salvaged, salvage
from prepbook.load.schema_errors import validate_workshop
from prepbook.load.source import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    YamlPath,
    load_source,
    parse_source,
)
from prepbook.model import Workshop
from prepbook.model.kinds import KINDS, Located, iter_records
from prepbook.rules import Severity

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


@contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are loaded.

    Loading builds millions of small objects that form trees, never cycles, and that
    reference counting frees on its own. Left running, the collector would walk every
    object loaded so far again and again as the heap grows: at a thousand workshops that
    tripled the time of a validation. It is restored, as it was, afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class FileResult:
    """What one file yields on its own, before it meets the other files."""

    source: SourceFile | None
    findings: list[Finding]
    model: Workshop | None = None
    salvaged: Salvaged | None = None


class LoadCache:
    """File results kept between builds (``mkdocs serve``), keyed by the file's path, size
    and modification time: a rebuild after one edit parses that one file again."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int, int], FileResult]] = {}
        self.changed: set[str] = set()  # resolved paths parsed again by the last load

    def get(self, path: Path, display: str, max_bytes: int) -> FileResult:
        try:
            stat = path.stat()
            signature = (stat.st_mtime_ns, stat.st_size, max_bytes)
        except OSError:
            return _load_one(path, display, max_bytes)
        key = str(path.resolve())
        entry = self._entries.get(key)
        if entry is not None and entry[0] == signature:
            return entry[1]
        self.changed.add(key)
        result = _load_one(path, display, max_bytes)
        self._entries[key] = (signature, result)
        return result


def load_files(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, cache: LoadCache | None = None
) -> Playbook:
    """Parse and schema-validate each file; duplicates of a workshop id are reported."""
    playbook = Playbook()
    if cache is not None:
        cache.changed = set()
    with _bulk_allocation():
        for path in paths:
            display = display_path(path)
            result = (
                cache.get(path, display, max_bytes)
                if cache is not None
                else _load_one(path, display, max_bytes)
            )
            _admit(playbook, path, display, result)
    return playbook


def load_blobs(
    blobs: Iterable[tuple[Path, bytes]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Playbook:
    """The same, for files given as bytes (from a git revision): nothing is read from disk."""
    playbook = Playbook()
    with _bulk_allocation():
        for path, raw in blobs:
            display = path.as_posix()
            if len(raw) > max_bytes:
                message = f"the file is {len(raw):,} bytes, over the cap of {max_bytes:,}"
                result = FileResult(None, [Finding.of("PB003", message, display)])
            else:
                result = _validated(path, parse_source(raw, display))
            _admit(playbook, path, display, result)
    return playbook


def _load_one(path: Path, display: str, max_bytes: int) -> FileResult:
    return _validated(path, load_source(path, display, max_bytes=max_bytes))


def _validated(path: Path, parsed: tuple[SourceFile | None, list[Finding]]) -> FileResult:
    """A parsed file checked against the models, or salvaged for the cross-record checks."""
    source, findings = parsed
    if source is None:
        return FileResult(None, findings)
    model, schema_findings, errors = validate_workshop(source)
    source.forget_nodes()
    if model is not None:
        source.data = None  # the model holds it now; the raw data only explains errors
        return FileResult(source, findings + schema_findings, model)
    return FileResult(
        source, findings + schema_findings, None, salvage(source.data, errors, path.stem)
    )


def _admit(playbook: Playbook, path: Path, display: str, result: FileResult) -> None:
    playbook.files.append(display)
    playbook.findings.extend(result.findings)
    if result.source is None or (result.model is None and result.salvaged is None):
        playbook.broken_ids.add(path.stem)
    elif result.model is not None:
        _add(playbook, LoadedWorkshop(path, result.source, result.model))
    else:
        assert result.salvaged is not None
        _add(
            playbook,
            LoadedWorkshop(path, result.source, result.salvaged.model, salvaged=result.salvaged),
        )


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
                f"{KINDS[first.kind].label}{where}",
                (*located.path, "id"),
                expected="ids unique across all records of a workshop",
                hint="rename one of them; references use ids, so they must be unambiguous",
            )
        )
