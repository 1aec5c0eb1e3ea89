"""The trackers folder: every export in it read, and each item found by its reference.

Which reader a file gets, by its name and then its first bytes:

* ``*.json`` is what ``gh`` wrote. An object with a ``totalCount`` is ``gh project
  item-list``'s; an array, or an object with ``items`` and no ``totalCount``, is ``gh issue
  list``'s (the object being gh's array wrapped to say when it was taken).
* ``*.csv`` is read by its header: one that names an ``Issue key`` column is a Jira
  export; one that begins ``ID,Team,Title,…`` with a ``Status`` column is Linear's; one
  that names an ``item`` column is a plain CSV (:mod:`prepbook.trackers.plain_csv`); one
  that names ``metric``, ``date`` and ``value`` is a CSV of metric readings
  (:mod:`prepbook.trackers.readings_csv`).
* ``NAME.taken`` beside an export ``NAME`` (``issues.json.taken``) holds, on one line, the
  time that export was taken: for an export whose format has no room for it, such as gh's
  array. An export that says its time itself (a ``taken`` key, a ``# taken:`` first line)
  needs none; one that says it both ways must say the same. An export with items that
  says no time at all is a problem (an empty one has nothing to date).
* Notes beside the exports (``README``, ``*.md``, ``*.txt``) and hidden files are left
  alone; any other file is reported, so that a misnamed export is not silently unread.

Folders below are searched too, in the order of their names, links to folders not
followed. Every file is read through :func:`prepbook.load.regular.read_regular`, under the
size cap, and a path that is no regular file is refused before it is opened. The missing
folder is no export at all, not a problem: a playbook need not track anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from prepbook.findings import Span
from prepbook.load.regular import NotReadable, not_a_file, read_regular, resolved
from prepbook.trackers import (
    github_issues,
    github_project,
    jira_csv,
    linear_csv,
    plain_csv,
    readings_csv,
)
from prepbook.trackers.csv_text import first_record, read_csv
from prepbook.trackers.dates import INSTANT_FORM, TAKEN_EXAMPLE, parse_instant
from prepbook.trackers.export import (
    ExportedReading,
    Reading,
    TrackerExport,
    TrackerItem,
    TrackerProblem,
)
from prepbook.trackers.json_text import read_json
from prepbook.trackers.refs import ItemRef, ref_of_url
from prepbook.trackers.states import States, Status

EXPORT_SUFFIXES = (".json", ".csv")
SIDECAR_SUFFIX = ".taken"
NOTE_SUFFIXES = (".md", ".txt", ".rst")
NOTE_NAMES = ("readme", "license", "licence")
MAX_SIDECAR_BYTES = 1024
CONVENTIONS = (
    "the trackers folder holds exports: gh's JSON (*.json), Jira, Linear or plain CSV "
    "exports (*.csv), and NAME.taken files that say when the export NAME was taken"
)


@dataclass(frozen=True)
class Trackers:
    """Every export of the trackers folder, in the order of their paths, and every
    problem met reading them (each export's own, and the folder's)."""

    exports: tuple[TrackerExport, ...] = ()
    problems: tuple[TrackerProblem, ...] = ()
    _index: dict[tuple[str, str], tuple[TrackerItem, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], list[TrackerItem]] = {}
        for export in self.exports:
            for item in export.items:
                for ident in _idents(item):
                    listed = index.setdefault(ident, [])
                    if item not in listed:
                        listed.append(item)
        object.__setattr__(self, "_index", {k: tuple(v) for k, v in index.items()})

    def items_of(self, ref: ItemRef) -> tuple[TrackerItem, ...]:
        """The items the exports hold for ``ref``, in the order of the exports: one an
        export that lists it (an issue list and a project may both)."""
        return self._index.get((ref.system, ref.ident), ())

    @property
    def items(self) -> Iterator[TrackerItem]:
        for export in self.exports:
            yield from export.items

    def readings_of(self, workshop: str, metric: str) -> tuple[ExportedReading, ...]:
        """The readings the CSVs of metric readings give ``workshop/metric``, in the order
        of the exports and their rows."""
        return tuple(
            r
            for export in self.exports
            for r in export.readings
            if r.workshop == workshop and r.metric == metric
        )


def tracker_files(trackers: Trackers) -> set[str]:
    """Every file of the trackers folder a finding can be about: each export, and each
    file a problem names (a sidecar, a file that is no export)."""
    files = {e.file for e in trackers.exports} | {p.file for p in trackers.problems}
    return files | {p.file for e in trackers.exports for p in e.problems}


def _idents(item: TrackerItem) -> Iterator[tuple[str, str]]:
    yield item.ref.system, item.ref.ident
    if item.url is not None and item.url != item.ref.url:
        other = ref_of_url(item.url)
        yield other.system, other.ident


# How a file of the folder is named in findings: as typed from the working folder, or,
# for the folder as it was at a revision (copied out of git), where it is in the tree.
Shown = Callable[[Path], str]


def read_trackers(
    folder: Path,
    max_bytes: int,
    *,
    states: Mapping[str, Status] | None = None,
    shown: Shown | None = None,
) -> Trackers:
    """Every export in ``folder`` (see the module's docstring), each file under
    ``max_bytes``, states read with the playbook's own names (``tracker_states``) first,
    each file named by ``shown`` (by its path from the working folder unless given).
    Offline and deterministic: the same files give the same result."""
    if not folder.is_dir():
        return Trackers()
    table = States(states)
    name_of = shown or _shown
    files, problems = _files(folder, name_of)
    present = set(files)
    exports: list[TrackerExport] = []
    for path in files:
        name = path.name
        lower = name.lower()
        if lower.endswith(SIDECAR_SUFFIX):
            if path.with_name(name[: -len(SIDECAR_SUFFIX)]) not in present:
                problems.append(
                    TrackerProblem(
                        name_of(path),
                        f"no export {name[: -len(SIDECAR_SUFFIX)]!r} beside it to say the time of",
                        hint="name it after its export, with .taken added: issues.json.taken",
                    )
                )
            continue
        if not lower.endswith(EXPORT_SUFFIXES):
            if not _is_note(lower):
                problems.append(
                    TrackerProblem(
                        name_of(path),
                        "not a tracker export prepbook reads",
                        expected=CONVENTIONS,
                        hint="rename it if it is one (issues.json, jira.csv), or move it out",
                    )
                )
            continue
        export = _read_export(path, max_bytes, table, problems, name_of)
        if export is None:
            continue
        sidecar = path.with_name(name + SIDECAR_SUFFIX)
        export = _with_sidecar(export, path, sidecar if sidecar in present else None, name_of)
        exports.append(export)
        problems.extend(export.problems)
    return Trackers(tuple(exports), tuple(problems))


def _is_note(lower: str) -> bool:
    return lower.endswith(NOTE_SUFFIXES) or lower.split(".", 1)[0] in NOTE_NAMES


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the working folder inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return str(resolved(path)) if relative.startswith("..") else relative


def _files(folder: Path, name_of: Shown) -> tuple[list[Path], list[TrackerProblem]]:
    """The files below ``folder``, in the order of their paths; what cannot be one (a
    link out of the folder, a pipe, a device, a loop of links) refused unopened."""
    base = resolved(folder)
    files: list[Path] = []
    problems: list[TrackerProblem] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            if path.is_symlink() and not resolved(path).is_relative_to(base):
                problems.append(
                    TrackerProblem(
                        name_of(path),
                        "the file is a link to a place outside the trackers folder",
                        hint="copy the export into the folder instead of linking",
                    )
                )
                continue
            refused = not_a_file(path)
            if refused is not None:
                problems.append(TrackerProblem(name_of(path), refused.message, hint=refused.hint))
                continue
            files.append(path)
    return files, problems


def _text(path: Path, max_bytes: int, problems: list[TrackerProblem], name_of: Shown) -> str | None:
    """The file's text, or None with a problem: unreadable, over the cap, not UTF-8."""
    shown = name_of(path)
    try:
        raw = read_regular(path, max_bytes)
    except NotReadable as exc:
        problems.append(
            TrackerProblem(
                shown,
                f"cannot read the export: {exc}",
                hint="raise max_file_bytes in the plugin's options if the export is this large"
                if "cap" in str(exc)
                else None,
            )
        )
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            TrackerProblem(
                shown,
                "the export is UTF-16 encoded",
                Span(1, 1, 1, 1),
                expected="UTF-8 text",
                hint="save it as UTF-8 (in Excel: CSV UTF-8)",
            )
        )
        return None
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # the byte order mark Excel and Jira write
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problems.append(
            TrackerProblem(
                shown,
                f"byte 0x{raw[exc.start]:02x} is not UTF-8",
                Span(line, column, line, column),
                expected="UTF-8 text",
                hint="save it as UTF-8 (it may be Latin-1 or Windows-1252)",
            )
        )
        return None
    if "\x00" in text:
        problems.append(TrackerProblem(shown, "the export holds a NUL byte", expected="UTF-8 text"))
        return None
    return text


def _read_export(
    path: Path, max_bytes: int, states: States, problems: list[TrackerProblem], name_of: Shown
) -> TrackerExport | None:
    text = _text(path, max_bytes, problems, name_of)
    if text is None:
        return None
    reading = Reading(name_of(path), text, states)
    export = _read_json(reading) if path.name.lower().endswith(".json") else _read_csv(reading)
    if export is None:  # not an export: what it is not is a problem of the folder
        problems.extend(reading.problems)
    return export


def _read_json(reading: Reading) -> TrackerExport | None:
    doc = read_json(reading.text)
    if doc.error is not None:
        reading.problem(
            f"the JSON is not well-formed: {doc.error.message}",
            doc.error.offset,
            expected="the JSON gh wrote, whole",
            hint=doc.error.hint or "export it again; the items before this place are read",
        )
    value = doc.value
    if isinstance(value, dict) and "totalCount" in value:
        return github_project.read_project_items(reading, doc)
    if isinstance(value, list | dict):
        return github_issues.read_issue_list(reading, doc)
    if doc.error is None:
        reading.problem(
            "the JSON is not an export gh writes",
            doc.start(()),
            expected="the array of gh issue list, or the object of gh project item-list",
        )
    return None


def _read_csv(reading: Reading) -> TrackerExport | None:
    names = {name.casefold() for name in first_record(reading.text)}
    csv = read_csv(reading.text)
    if jira_csv.KEY_COLUMN.casefold() in names:
        return jira_csv.read_jira_csv(reading, csv)
    if {name.casefold() for name in linear_csv.SIGNATURE} <= names:
        return linear_csv.read_linear_csv(reading, csv)
    if "item" in names:
        return plain_csv.read_plain_csv(reading, csv)
    if set(readings_csv.NEEDED) <= names:
        return readings_csv.read_readings_csv(reading, csv)
    reading.problem(
        "the header names no column that tells which export this is"
        if names
        else "the export is empty",
        csv.header.record.offset if csv.header is not None else 0,
        "header",
        expected="a Jira export (an 'Issue key' column), a Linear export (ID,Team,Title,…), "
        f"a plain CSV ({plain_csv.HEADER}) or a CSV of metric readings "
        f"({readings_csv.HEADER})",
        hint="a plain CSV export starts with the header " + plain_csv.HEADER,
    )
    return None


def _with_sidecar(
    export: TrackerExport, path: Path, sidecar: Path | None, name_of: Shown
) -> TrackerExport:
    """``export`` with the time its sidecar gives, or a problem if it has no time."""
    problems = list(export.problems)
    taken = export.taken
    if sidecar is not None:
        given = _sidecar_time(sidecar, problems, name_of)
        if given is not None and taken is not None and given != taken:
            problems.append(
                TrackerProblem(
                    name_of(sidecar),
                    f"the export says it was taken at {taken:%Y-%m-%dT%H:%M:%SZ}, this file "
                    f"says {given:%Y-%m-%dT%H:%M:%SZ}",
                    Span(1, 1, 1, 1),
                    expected="one time, given once",
                    hint="remove this file, or the time written in the export",
                )
            )
        taken = taken or given
    elif taken is None and export.items and not any(p.where == "taken" for p in problems):
        problems.append(
            TrackerProblem(
                export.file,
                "the export does not say when it was taken",
                Span(1, 1, 1, 1),
                expected=f"a first line '# taken: {TAKEN_EXAMPLE}' in a CSV export, a "
                f"'taken' key beside the items in a JSON object, or a file {path.name}"
                f"{SIDECAR_SUFFIX} beside it holding the time",
                hint=f"date -u +%Y-%m-%dT%H:%M:%SZ > {path.name}{SIDECAR_SUFFIX}",
            )
        )
    return dataclasses.replace(export, taken=taken, problems=tuple(problems))


def _sidecar_time(
    sidecar: Path, problems: list[TrackerProblem], name_of: Shown
) -> dt.datetime | None:
    text = _text(sidecar, MAX_SIDECAR_BYTES, problems, name_of)
    if text is None:
        return None
    written = text.strip()
    found = parse_instant(written)
    if found is None:
        problems.append(
            TrackerProblem(
                name_of(sidecar),
                f"{written[:60]!r} is not a time with its time zone",
                Span(1, 1, 1, 1),
                expected=INSTANT_FORM,
                hint=f"write the time alone, such as {TAKEN_EXAMPLE}",
            )
        )
    return found
