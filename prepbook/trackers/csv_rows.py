"""The rows of a CSV export, each cell found by the position of its column.

What the CSV readers share: the time on the first line, the columns a reader needs
checked once against the header, the records that could not be read turned into problems,
and a row whose cells run past the header refused (its values would sit under the wrong
names). A row shorter than the header is read with its missing cells empty: Linear leaves
out the empty cells at the end of a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from prepbook.trackers.csv_text import Cell, CsvText, Header, Record
from prepbook.trackers.dates import INSTANT_FORM, TAKEN_EXAMPLE, parse_instant
from prepbook.trackers.export import Reading


@dataclass(frozen=True)
class CsvRow:
    """One record under its header."""

    reading: Reading
    header: Header
    record: Record

    def cell(self, name: str) -> Cell | None:
        """The cell of the first column headed ``name``: None if there is no such column,
        an empty cell at the row's end where the row is short."""
        column = self.header.column(name)
        return self._at(column) if column is not None else None

    def value(self, name: str) -> str:
        """The text of the first column headed ``name``, stripped ('' for none)."""
        found = self.cell(name)
        if found is None:
            return ""
        return self.reading.text_of(found.text.strip(), found.offset, self.where(name))

    def values(self, name: str, separator: str | None = None) -> tuple[str, ...]:
        """The non-empty texts of every column headed ``name`` (Jira's Sprint, Labels), in
        order, each split at ``separator`` if given."""
        out: list[str] = []
        for column in self.header.columns(name):
            found = self._at(column)
            parts = found.text.split(separator) if separator else [found.text]
            for part in parts:
                if part.strip():
                    out.append(self.reading.text_of(part.strip(), found.offset, self.where(name)))
        return tuple(out)

    def offset(self, name: str | None = None) -> int:
        """Where the cell of ``name`` starts, or the row itself."""
        found = self.cell(name) if name is not None else None
        return found.offset if found is not None else self.record.offset

    def where(self, name: str) -> str:
        """The column, as a problem names where it stands (its span gives the line)."""
        return name

    def _at(self, column: int) -> Cell:
        cells = self.record.cells
        if column < len(cells):
            return cells[column]
        return Cell("", cells[-1].offset + len(cells[-1].text))


def csv_taken(reading: Reading, csv: CsvText) -> dt.datetime | None:
    """When the export was taken, from its first line (``# taken: …``)."""
    if csv.taken is None:
        return None
    found = parse_instant(csv.taken)
    if found is None:
        reading.problem(
            f"the first line's time {csv.taken[:60]!r} is not a time with its time zone",
            csv.taken_offset,
            "taken",
            expected=INSTANT_FORM,
            hint=f"write it as # taken: {TAKEN_EXAMPLE}",
        )
    return found


def rows(reading: Reading, csv: CsvText, needed: tuple[str, ...], what: str) -> Iterator[CsvRow]:
    """The rows of ``csv`` that can be read, in order, once its header is known to name
    every column in ``needed`` (none if it does not: a problem says which is missing).
    ``what`` names the export in the problems."""
    for bad in csv.bad:
        reading.problem(bad.message, bad.offset, "", hint=bad.hint)
    header = csv.header
    if header is None:
        return
    missing = [name for name in needed if header.column(name) is None]
    if missing:
        reading.problem(
            f"{what} without the column{'s' if len(missing) > 1 else ''} "
            + ", ".join(repr(name) for name in missing),
            header.record.offset,
            "header",
            expected=f"a header that names {', '.join(needed)}",
            hint="export again with these columns (the header's names compare without case)",
        )
        return
    width = len(header.record.cells)
    for record in csv.records:
        extra = record.cells[width:]
        if any(cell.text.strip() for cell in extra):
            reading.problem(
                f"the row has {len(record.cells)} cells, the header {width}: its values "
                "would stand under the wrong columns; the row is not read",
                extra[0].offset,
                "",
                expected=f"at most {width} cells, one under each column of the header",
                hint="a cell holding a comma must be in double quotes",
            )
            continue
        yield CsvRow(reading, header, record)
