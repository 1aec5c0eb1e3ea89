"""CSV read by column position, with the place of every cell.

Jira names several columns alike (a ``Sprint`` column for each sprint an issue was in, a
``Labels`` column for each label), so a row cannot be a mapping from the header's names:
this reader keeps the header as a list, and a name stands for every column it heads
(:meth:`Header.columns`). It reads RFC 4180 (fields in double quotes may hold commas, line
breaks and doubled quotes) and notes where each record and cell starts, so a problem in a
cell of a quoted, many-line record still says its line and column.

A malformed record is reported and skipped, and the reading goes on with the next: a
quote that ends before its cell does (``"a"b``). A quote that never closes swallows the
rest of the file, which is reported at the quote; the records before it are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The first line of a CSV export may say when it was taken: "# taken: 2026-12-01T09:00:00Z".
TAKEN_LINE = re.compile(r"#\s*taken\s*:\s*(.*?)\s*", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_PLAIN = re.compile(r"[^,\r\n]*")
_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    offset: int  # where the cell starts in the file's text


@dataclass(frozen=True, slots=True)
class Record:
    offset: int  # where the record starts
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class BadRecord:
    offset: int  # where the problem is
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Header:
    """The names of the columns, in order, as the first record gives them."""

    record: Record

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(cell.text.strip() for cell in self.record.cells)

    def columns(self, name: str) -> tuple[int, ...]:
        """The positions of every column headed ``name`` (without regard to case)."""
        wanted = name.casefold()
        return tuple(i for i, shown in enumerate(self.names) if shown.casefold() == wanted)

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
    at, taken, taken_offset = 0, None, 0
    first = _BREAK.search(text)
    first_line = text[: first.start()] if first else text
    found = TAKEN_LINE.fullmatch(first_line)
    if found is not None:
        taken, taken_offset = found.group(1), found.start(1)
        at = first.end() if first else len(text)
    records: list[Record] = []
    bad: list[BadRecord] = []
    length = len(text)
    while at < length and (limit is None or len(records) < limit):
        record, problem, at = _record(text, at)
        if problem is not None:
            bad.append(problem)
        elif record is not None:
            records.append(record)
    header = Header(records[0]) if records else None
    return CsvText(taken, taken_offset, header, tuple(records[1:]), tuple(bad))


def _record(text: str, at: int) -> tuple[Record | None, BadRecord | None, int]:
    """The record at ``at`` (None for an empty line), or why it is none, and where the
    next one starts."""
    start = at
    cells: list[Cell] = []
    length = len(text)
    while True:
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
            cells.append(Cell(quoted.group(1).replace('""', '"'), at))
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
            cells.append(Cell(text[at:end], at))
            at = end
        if at < length and text[at] == ",":
            at += 1
            continue
        break
    line_end = _BREAK.match(text, at)
    at = line_end.end() if line_end else at
    if len(cells) == 1 and not cells[0].text.strip():
        return None, None, at  # an empty line
    return Record(start, tuple(cells)), None, at
