"""The loaded playbook: every workshop file parsed, validated and indexed by id.

Loading is the single pass over the files; checks, the cross-reference graph and the
renderer all work from this object and never read a file again.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepbook.findings import Fact, Finding, Span, YamlPath
from prepbook.graph import Fragments, Graph, build_graph
from prepbook.load.files import display_path
from prepbook.load.salvage import Salvaged, salvage
from prepbook.load.schema_errors import validate_workshop
from prepbook.load.source import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    load_source,
    parse_source,
)
from prepbook.model import Workshop
from prepbook.model.kinds import KINDS, Located, iter_records
from prepbook.trackers.folder import Trackers


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
    # every record, duplicates of an id included, in file order: walked once per parse
    located: tuple[Located, ...] = ()

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

    def offset_of(self, path: YamlPath) -> int:
        """Where the span of ``path`` starts, in characters: a cheap order of findings."""
        return self.source.offset_of(self._in_file(path))

    def span_of(self, path: YamlPath) -> Span | None:
        """The span of ``path`` of this workshop's model, in the original file."""
        return self.source.span_of(self._in_file(path))

    def written_or_id(self, record: YamlPath, key: str) -> YamlPath:
        """``key`` of the record at ``record`` where the file writes it, else the record's
        id: a finding points at the field it is about, or at the record that leaves it out."""
        field = (*record, key)
        return field if self.source.has(self._in_file(field)) else (*record, "id")

    def finding(self, rule_id: str, message: str, path: YamlPath, **extra: Any) -> Finding:
        """A finding at ``path`` of this workshop's model, placed in the original file."""
        return self.source.finding(rule_id, message, self._in_file(path), workshop=self.id, **extra)


@dataclass(frozen=True)
class Playbook:
    """The workshops of a run as loaded: read-only input for the checks, the site and the diff.

    What the checks conclude lives in a separate :class:`prepbook.report.Report`; the only
    findings here are ``problems``, what loading itself found (a file that does not parse
    or validate, an id used twice), because they say what this object lacks.
    """

    workshops: Mapping[str, LoadedWorkshop]
    files: tuple[str, ...]
    graph: Graph
    problems: tuple[Finding, ...] = ()
    # Ids of files that could not be loaded, so references to them are not reported twice.
    broken_ids: frozenset[str] = frozenset()
    # The tracker exports the build read beside the workshops (none for a side of a diff,
    # or a playbook loaded from blobs): what the observed facts of the steps come from.
    trackers: Trackers = field(default_factory=Trackers)


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are loaded.

    Loading builds millions of small objects that form trees, never cycles, and that
    reference counting frees on its own; so do the graph and the checks that read them.
    Left running, the collector would walk every object loaded so far again and again as
    the heap grows: at a thousand workshops that tripled the time of a validation. It is
    restored, as it was, afterwards; nesting is harmless.

    What was allocated meanwhile is long-lived, so it goes straight to the oldest
    generation (frozen, then thawed there) instead of being left young: the first pass
    after the pause would otherwise walk all of it, half a second at a thousand workshops.
    Nothing is kept from the collector: a full pass still sees it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


@dataclass(frozen=True)
class FileResult:
    """What one file yields on its own, before it meets the other files."""

    source: SourceFile | None
    findings: list[Finding]
    model: Workshop | None = None
    salvaged: Salvaged | None = None
    located: tuple[Located, ...] = ()  # the model's records, walked once (see LoadedWorkshop)


class LoadCache:
    """File results kept between builds (``mkdocs serve``), keyed by the file's path, size
    and modification time: a rebuild after one edit parses that one file again."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int, int], FileResult]] = {}
        self.changed: set[str] = set()  # absolute paths parsed again by the last load
        self.fragments: Fragments = {}  # each kept model's part of the reference graph

    def get(self, path: Path, display: str, max_bytes: int) -> FileResult:
        try:
            stat = path.stat()
            signature = (stat.st_mtime_ns, stat.st_size, max_bytes)
        except OSError:
            return _load_one(path, display, max_bytes)
        key = os.path.abspath(path)  # the loader's paths are resolved already
        entry = self._entries.get(key)
        if entry is not None and entry[0] == signature:
            return entry[1]
        self.changed.add(key)
        result = _load_one(path, display, max_bytes)
        self._entries[key] = (signature, result)
        return result


class _Loading:
    """A playbook being assembled, file by file; :meth:`done` hands out the read-only one."""

    def __init__(self) -> None:
        self.workshops: dict[str, LoadedWorkshop] = {}
        self.files: list[str] = []
        self.problems: list[Finding] = []
        self.broken_ids: set[str] = set()

    def done(self, fragments: Fragments | None = None) -> Playbook:
        graph = build_graph(((w.model, w.records) for w in self.workshops.values()), fragments)
        return Playbook(
            self.workshops,
            tuple(self.files),
            graph,
            tuple(self.problems),
            frozenset(self.broken_ids),
        )


def load_files(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, cache: LoadCache | None = None
) -> Playbook:
    """Parse and schema-validate each file; duplicates of a workshop id are reported."""
    loading = _Loading()
    if cache is not None:
        cache.changed = set()
    with bulk_allocation():
        for path in paths:
            display = display_path(path)
            result = (
                cache.get(path, display, max_bytes)
                if cache is not None
                else _load_one(path, display, max_bytes)
            )
            _admit(loading, path, display, result)
        return loading.done(cache.fragments if cache is not None else None)


def load_blobs(
    blobs: Iterable[tuple[Path, bytes]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Playbook:
    """The same, for files given as bytes (from a git revision): nothing is read from disk."""
    loading = _Loading()
    with bulk_allocation():
        for path, raw in blobs:
            display = path.as_posix()
            if len(raw) > max_bytes:
                message = f"the file is {len(raw):,} bytes, over the cap of {max_bytes:,}"
                result = FileResult(None, [Finding.of("PB003", message, display)])
            else:
                result = _validated(path, parse_source(raw, display))
            _admit(loading, path, display, result)
        return loading.done()


def _load_one(path: Path, display: str, max_bytes: int) -> FileResult:
    return _validated(path, load_source(path, display, max_bytes=max_bytes))


def _validated(path: Path, parsed: tuple[SourceFile | None, list[Finding]]) -> FileResult:
    """A parsed file checked against the models, or salvaged for the cross-record checks."""
    source, findings = parsed
    if source is None:
        return FileResult(None, findings)
    model, schema_findings, errors = validate_workshop(source)
    if model is not None:
        source.data = None  # the model holds it now; the raw data only explains errors
        return FileResult(source, findings + schema_findings, model, None, _walked(model))
    salvaged = salvage(source.data, errors, path.stem)
    walked = _walked(salvaged.model) if salvaged is not None else ()
    return FileResult(source, findings + schema_findings, None, salvaged, walked)


def _walked(model: Workshop) -> tuple[Located, ...]:
    """The model's records, walked once when the file is parsed: the loader's index and
    the checks that read every record use this instead of walking the model each build
    (under ``mkdocs serve``, a rebuild walks only the file that changed)."""
    return tuple(iter_records(model))


def _admit(loading: _Loading, path: Path, display: str, result: FileResult) -> None:
    loading.files.append(display)
    loading.problems.extend(result.findings)
    if result.source is None or (result.model is None and result.salvaged is None):
        loading.broken_ids.add(path.stem)
    elif result.model is not None:
        _add(loading, LoadedWorkshop(path, result.source, result.model, located=result.located))
    else:
        assert result.salvaged is not None
        _add(
            loading,
            LoadedWorkshop(
                path,
                result.source,
                result.salvaged.model,
                salvaged=result.salvaged,
                located=result.located,
            ),
        )


def _add(loading: _Loading, loaded: LoadedWorkshop) -> None:
    model = loaded.model
    if model.id != loaded.path.stem:
        loading.problems.append(
            loaded.finding(
                "PB203",
                f"the workshop id '{model.id}' differs from the file name '{loaded.path.name}'",
                ("id",),
                expected=f"id: {loaded.path.stem}, or the file renamed to {model.id}.yaml",
                hint="keep the id and the file name equal so links and diffs stay stable",
            )
        )
    other = loading.workshops.get(model.id)
    if other is not None:
        loading.problems.append(
            loaded.finding(
                "PB202",
                f"the workshop id '{model.id}' is also used by {other.source.display}",
                ("id",),
                hint="give each workshop its own id",
            )
        )
        return
    loading.workshops[model.id] = loaded
    _index_records(loading, loaded)


def _index_records(loading: _Loading, loaded: LoadedWorkshop) -> None:
    """Fill the workshop's id index; a second record with a taken id is reported."""
    for located in loaded.located:
        first = loaded.records.get(located.record.id)
        if first is None:
            loaded.records[located.record.id] = located
            continue
        first_span = loaded.span_of((*first.path, "id"))
        where = f" at line {first_span.line}" if first_span else ""
        loading.problems.append(
            loaded.finding(
                "PB201",
                f"the id '{located.record.id}' is already used by the "
                f"{KINDS[first.kind].label}{where}",
                (*located.path, "id"),
                expected="ids unique across all records of a workshop",
                hint="rename one of them; references use ids, so they must be unambiguous",
                # references to this record's kind by that id name the first one instead
                facts=(Fact("shadowed-id", (loaded.id, located.record.id, located.kind)),),
            )
        )
