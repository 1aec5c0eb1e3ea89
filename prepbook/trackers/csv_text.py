"""CSV read by column position, with the place of every cell.

Jira names several columns alike (a ``Sprint`` column for each sprint an issue was in, a
``Labels`` column for each label), so a row cannot be a mapping from the header's names:
this reader keeps the header as a list, and a name stands for every column it heads
(:meth:`Header.columns`). It reads RFC 4180: fields in double quotes may hold commas, line
breaks and doubled quotes.

An export is read in two ways, as JSON is (:mod:`prepbook.trackers.json_text`). First by
Python's ``csv`` module, strictly, which says on which line each record starts; where a
cell starts is found only when a problem asks (:attr:`Record.offsets`), by reading that
one record again. Where the ``csv`` module refuses the text, it is read by this module,
record by record: a malformed record is reported and skipped, and the reading goes on with
the next. A quote that ends before its cell does (``"a"b``) spoils its record; a quote that
never closes swallows the rest of the file, which is reported at the quote, and the
records before it are kept.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

# The first line of a CSV export may say when it was taken: "# taken: 2026-12-01T09:00:00Z".
TAKEN_LINE = re.compile(r"#\s*taken\s*:\s*(.*?)\s*", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_PLAIN = re.compile(r"[^,\r\n]*")
# the line breaks of the csv module's reading (a lone CR is one, as for io's lines)
_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Record:
    """One record: where it starts, and its cells' texts."""

    offset: int
    texts: tuple[str, ...]
    source: str = field(repr=False, compare=False)  # the file's text
    known: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """Where each cell starts in the file's text."""
        if self.known is not None:
            return self.known
        again, _, _ = _record(self.source, self.offset)
        return again.offsets if again is not None else (self.offset,) * len(self.texts)

    def offset_of(self, column: int) -> int:
        """Where the cell of ``column`` starts; the last cell's start for one past the end
        of a short row."""
        offsets = self.offsets
        return offsets[min(column, len(offsets) - 1)] if offsets else self.offset


@dataclass(frozen=True, slots=True)
class BadRecord:
    offset: int  # where the problem is
    message: str
    hint: str


@dataclass(frozen=True)
class Header:
    """The names of the columns, in order, as the first record gives them."""

    record: Record
    _by_name: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[int]] = {}
        for position, name in enumerate(self.names):
            by_name.setdefault(name.casefold(), []).append(position)
        object.__setattr__(self, "_by_name", {k: tuple(v) for k, v in by_name.items()})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(text.strip() for text in self.record.texts)

    def columns(self, name: str) -> tuple[int, ...]:
        """The positions of every column headed ``name`` (without regard to case)."""
        return self._by_name.get(name.casefold(), ())

    def column(self, name: str) -> int | None:
        """The position of the first column headed ``name``."""
        found = self.columns(name)
        return found[0] if found else None


@dataclass(frozen=True, slots=True)
class CsvText:
    """A CSV export: the time on its first line (as written, and where), its header and
    its records, and the records that could not be read."""

    taken: str | None
    taken_offset: int
    header: Header | None
    records: tuple[Record, ...]
    bad: tuple[BadRecord, ...]


def first_record(text: str) -> tuple[str, ...]:
    """The header's names, for telling one kind of CSV export from another."""
    read = read_csv(text, limit=1)
    return read.header.names if read.header is not None else ()


def read_csv(text: str, limit: int | None = None) -> CsvText:
    """The records of ``text`` (``limit``: stop after as many, header included)."""
    return _read(text, limit, quick=True)


def tokenize_csv(text: str) -> CsvText:
    """The records of ``text`` read by this module alone, every cell placed as it is read,
    every malformed record reported."""
    return _read(text, None, quick=False)


def _read(text: str, limit: int | None, *, quick: bool) -> CsvText:
    at, taken, taken_offset = 0, None, 0
    first = _BREAK.search(text)
    first_line = text[: first.start()] if first else text
    found = TAKEN_LINE.fullmatch(first_line)
    if found is not None:
        taken, taken_offset = found.group(1), found.start(1)
        at = first.end() if first else len(text)
    records = _read_quickly(text, at, limit) if quick else None
    bad: list[BadRecord] = []
    if records is None:
        records = []
        length = len(text)
        while at < length and (limit is None or len(records) < limit):
            record, problem, at = _record(text, at)
            if problem is not None:
                bad.append(problem)
            elif record is not None:
                records.append(record)
    header = Header(records[0]) if records else None
    return CsvText(taken, taken_offset, header, tuple(records[1:]), tuple(bad))


def _read_quickly(text: str, at: int, limit: int | None) -> list[Record] | None:
    """The records from ``at`` on, read by the csv module; None where it refuses them."""
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    line = bisect_right(starts, at) - 1  # the line the body starts on, from 0
    reader = csv.reader(io.StringIO(text[at:], newline=""), strict=True)
    records: list[Record] = []
    read = 0  # lines the reader has read
    try:
        for row in reader:
            start, read = line + read, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # an empty line
            records.append(Record(starts[start], tuple(row), text))
            if limit is not None and len(records) >= limit:
                break
    except csv.Error:  # a malformed record, or a cell over the module's size limit
        return None
    return records


def _record(text: str, at: int) -> tuple[Record | None, BadRecord | None, int]:
    """The record at ``at`` (None for an empty line), or why it is none, and where the
    next one starts."""
    start = at
    texts: list[str] = []
    offsets: list[int] = []
    length = len(text)
    while True:
        offsets.append(at)
        if text.startswith('"', at):
            quoted = _QUOTED.match(text, at)
            if quoted is None:
                return (
                    None,
                    BadRecord(
                        at,
                        "this quote is never closed: the rest of the file is one cell",
                        'close the quote; a quote inside a quoted cell is written twice ("")',
                    ),
                    length,
                )
            texts.append(quoted.group(1).replace('""', '"'))
            at = quoted.end()
            if at < length and text[at] not in ",\r\n":
                after = _BREAK.search(text, at)
                return (
                    None,
                    BadRecord(
                        at,
                        "text after the quote that closes the cell",
                        'put the whole cell in quotes, and write a quote inside it twice ("")',
                    ),
                    after.end() if after else length,
                )
        else:
            plain = _PLAIN.match(text, at)
            end = plain.end() if plain is not None else at
            texts.append(text[at:end])
            at = end
        if at < length and text[at] == ",":
            at += 1
            continue
        break
    line_end = _BREAK.match(text, at)
    at = line_end.end() if line_end else at
    if len(texts) == 1 and not texts[0].strip():
        return None, None, at  # an empty line
    return Record(start, tuple(texts), text, tuple(offsets)), None, at
