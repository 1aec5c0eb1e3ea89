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

from prepbook.trackers.csv_text import CsvText, Header, Record
from prepbook.trackers.dates import INSTANT_FORM, TAKEN_EXAMPLE, parse_instant
from prepbook.trackers.export import Place, Reading


@dataclass(frozen=True)
class CsvRow:
    """One record under its header."""

    reading: Reading
    header: Header
    record: Record

    def value(self, name: str) -> str:
        """The text of the first column headed ``name``, stripped ('' for none, or for a
        cell past the end of a short row)."""
        column = self.header.column(name)
        if column is None:
            return ""
        return self.reading.text_of(self._text(column).strip(), self._place(column, name))

    def values(self, name: str, separator: str | None = None) -> tuple[str, ...]:
        """The non-empty texts of every column headed ``name`` (Jira's Sprint, Labels), in
        order, each split at ``separator`` if given."""
        out: list[str] = []
        for column in self.header.columns(name):
            text = self._text(column)
            for part in text.split(separator) if separator else [text]:
                if part.strip():
                    out.append(self.reading.text_of(part.strip(), self._place(column, name)))
        return tuple(out)

    def offset(self, name: str | None = None) -> int:
        """Where the cell of ``name`` starts, or the row itself."""
        column = self.header.column(name) if name is not None else None
        return self.record.offset_of(column) if column is not None else self.record.offset

    def place(self, name: str) -> Place:
        """Where a problem with the cell of ``name`` stands."""
        return lambda: (self.offset(name), name)

    def where(self, name: str) -> str:
        """The column, as a problem names where it stands (its span gives the line)."""
        return name

    def _text(self, column: int) -> str:
        texts = self.record.texts
        return texts[column] if column < len(texts) else ""

    def _place(self, column: int, name: str) -> Place:
        return lambda: (self.record.offset_of(column), name)


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
    width = len(header.record.texts)
    for record in csv.records:
        if any(text.strip() for text in record.texts[width:]):
            reading.problem(
                f"the row has {len(record.texts)} cells, the header {width}: its values "
                "would stand under the wrong columns; the row is not read",
                record.offset_of(width),
                "",
                expected=f"at most {width} cells, one under each column of the header",
                hint="a cell holding a comma must be in double quotes",
            )
            continue
        yield CsvRow(reading, header, record)
