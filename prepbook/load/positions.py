"""Where each key and value of a file stands, kept after its node tree is gone.

A finding needs a position long after its file was parsed: the cross-file checks run once
every file is loaded. The node tree libyaml composes costs some 370 bytes a node (about
370 kB for a workshop of a thousand nodes), too much to keep for a thousand files; and
composing a file again for its first finding cost as much as parsing it did.

So the walk that turns a file's nodes into data also writes where each node starts and
ends into one flat array of ints, three a node (12 bytes, some 12 kB for a workshop), in
document order. A lookup walks a YAML path through the array the way it would walk the
node tree, stepping over whole subtrees by their size, and finds the node the path names.
A table of spans keyed by YAML path, filled in the same walk, was measured too: some
200 kB a workshop for its path tuples and spans, over half the node tree's cost.

Only character offsets are kept: reading each node's line and column as well took a third
more time, on every node of every file, and twice the memory, while a finding's offsets
become lines and columns through the line starts of its own file (:class:`Lines`).

Each node is one record of three cells: its start and end offsets, then a tail
``count << 2 | kind``. For a sequence or a mapping the count is the number of records of
its subtree, itself included; for a scalar it is 1. A mapping's entries follow it as
pairs: a record for the key, whose count is the key's number in the file's table of key
texts, then the value's subtree.

Stepping over entries costs a lookup as many steps as the entries before the one it wants:
nothing for the few keys of a workshop's mappings, but a file of 70,000 unknown keys has
70,000 findings, each looked up in a mapping of 70,000 entries, and that walk was
quadratic (over a minute). So a lookup that has stepped over :data:`SCAN` entries of a
collection without arriving makes that collection an index, once, in one pass over its
entries: key texts to records for a mapping, item records for a sequence (4 bytes an
item). Every later lookup there is one step. Normal files never reach it, and keep their
12 bytes a node.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import accumulate, repeat
from operator import add

from yaml.error import Mark
from yaml.nodes import Node

from prepbook.findings import Span, YamlPath

_CELLS = 3
_TAIL = _CELLS - 1
_LEAF, _SEQUENCE, _MAPPING, _KEY = 0, 1, 2, 3
_ONE_LEAF = 1 << 2 | _LEAF
# Entries a lookup steps over in a collection before it makes the collection an index.
SCAN = 16

# The characters libyaml (and PyYAML) count as line breaks, so that lines found here are
# the lines of its marks.
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_RARE_BREAKS = re.compile(r"[\r\x85\u2028\u2029]")


class Lines:
    """The line starts of one text: offsets become lines and columns, numbers lines.

    Found once, on the first question, in one pass over the text; kept as 4 bytes a line
    rather than the lines themselves, which would cost more than the text does.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        if _RARE_BREAKS.search(text) is None:  # "\n" alone: splitting is the fast way
            widths = map(add, map(len, text.split("\n")), repeat(1))  # each line and its break
            self._starts = array("I", accumulate(widths, initial=0))
            self._starts.pop()  # the end of the last line starts no line
        else:
            self._starts = array("I", [0, *(m.end() for m in LINE_BREAK.finditer(text))])

    def line(self, number: int) -> str | None:
        """Line ``number`` (from 1), without its line break."""
        if not 1 <= number <= len(self._starts):
            return None
        start = self._starts[number - 1]
        end = LINE_BREAK.search(self._text, start)
        return self._text[start : end.start() if end else len(self._text)]

    def locate(self, offset: int) -> tuple[int, int]:
        """Line and column (from 1, in characters) of a character offset; past the end of
        the text, the start of the line libyaml adds to close an open last line."""
        if offset > len(self._text):
            return len(self._starts) + 1, 1
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        return Span(*self.locate(start), *self.locate(end))


class Positions:
    """The offsets of one file's keys and values, looked up by YAML path."""

    __slots__ = ("_cells", "_indexes", "_keys")

    def __init__(self, cells: array[int], keys: list[str]) -> None:
        self._cells = cells
        self._keys = keys
        # the collections a lookup found long, by their record: made on the way (see SCAN)
        self._indexes: dict[int, dict[str, int] | array[int]] = {}

    def walk(self, path: YamlPath) -> tuple[list[int], int | None]:
        """The records of the values along ``path`` as far as they exist, and the record of
        the last step's key if the whole path exists and ends in a mapping key.

        The first of duplicate keys is the one found: it is the one the data holds.
        """
        cells = self._cells
        if not cells:
            return [], None
        record = 0
        trail = [record]
        key: int | None = None
        for part in path:
            key = None
            tail = cells[record * _CELLS + _TAIL]
            kind, end = tail & 3, record + (tail >> 2)
            if kind == _MAPPING and isinstance(part, str):
                child = self._entry(record, end, part)
                if child >= end:
                    break
                key, record = child, child + 1
            elif kind == _SEQUENCE and isinstance(part, int) and part >= 0:
                record = self._item(record, end, part)
                if record >= end:
                    break
            else:
                break
            trail.append(record)
        else:
            return trail, key
        return trail, None

    def _entry(self, mapping: int, end: int, key: str) -> int:
        """The record of ``key`` in the mapping at record ``mapping``, or ``end``."""
        index = self._indexes.get(mapping)
        if isinstance(index, dict):
            return index.get(key, end)
        cells, keys = self._cells, self._keys
        child = mapping + 1
        for _ in range(SCAN):
            if child >= end or keys[cells[child * _CELLS + _TAIL] >> 2] == key:
                return child
            child += 1 + (cells[(child + 1) * _CELLS + _TAIL] >> 2)
        if child >= end:
            return end
        entries: dict[str, int] = {}
        child = mapping + 1
        while child < end:
            entries.setdefault(keys[cells[child * _CELLS + _TAIL] >> 2], child)
            child += 1 + (cells[(child + 1) * _CELLS + _TAIL] >> 2)
        self._indexes[mapping] = entries
        return entries.get(key, end)

    def _item(self, sequence: int, end: int, number: int) -> int:
        """The record of item ``number`` of the sequence at record ``sequence``, or ``end``."""
        cells = self._cells
        if number < SCAN:
            child = sequence + 1
            for _ in range(number):
                if child >= end:
                    return end
                child += cells[child * _CELLS + _TAIL] >> 2
            return min(child, end)
        index = self._indexes.get(sequence)
        if not isinstance(index, array):
            index = array("I")
            child = sequence + 1
            while child < end:
                index.append(child)
                child += cells[child * _CELLS + _TAIL] >> 2
            self._indexes[sequence] = index
        return index[number] if number < len(index) else end

    def offsets(self, record: int) -> tuple[int, int]:
        """Where ``record`` starts and ends, in characters from the start of the text."""
        at = record * _CELLS
        return self._cells[at], self._cells[at + 1]

    @property
    def nbytes(self) -> int:
        """The memory the offsets take, without the key texts shared with the data (nor
        the indexes of long collections, made only when a lookup needs one)."""
        return self._cells.itemsize * len(self._cells)

    @property
    def indexed(self) -> int:
        """How many collections have an index so far."""
        return len(self._indexes)


class PositionWriter:
    """Fills a :class:`Positions` while the nodes are walked, in document order.

    The walk calls :meth:`leaf` for a node it does not descend into, :meth:`open` and
    :meth:`close` around a collection's items, and :meth:`key` before each mapping value
    it keeps: so the records describe exactly the keys and values the data holds. The
    cells gather in a list, quicker to extend than an array, made compact once at the end.
    """

    __slots__ = ("_cells", "_key_ids", "_length", "_open_end")

    def __init__(self, text: str) -> None:
        self._cells: list[int] = []
        self._key_ids: dict[str, int] = {}
        self._length = len(text)
        self._open_end = bool(text) and LINE_BREAK.fullmatch(text[-1]) is None

    def _end(self, mark: Mark) -> int:
        """The offset of a mark at the end of the text (the one place an offset is not
        enough): past the end when libyaml put it on the line break it adds to close an
        open last line, where :meth:`Lines.locate` finds the start of the line after."""
        return self._length + 1 if self._open_end and mark.column == 0 else self._length

    def leaf(self, node: Node) -> None:
        start, end = node.start_mark.index, node.end_mark.index
        if end == self._length:
            start, end = self._offsets(node)
        self._cells.extend((start, end, _ONE_LEAF))

    def _offsets(self, node: Node) -> tuple[int, int]:
        start, end = node.start_mark, node.end_mark
        return (
            self._end(start) if start.index == self._length else start.index,
            self._end(end),
        )

    def open(self, node: Node) -> int:
        """Start a collection's record; its tail is written by :meth:`close`."""
        start, end = node.start_mark.index, node.end_mark.index
        if end == self._length:
            start, end = self._offsets(node)
        cells = self._cells
        cells.extend((start, end, 0))
        return len(cells) // _CELLS - 1

    def close(self, record: int, *, mapping: bool) -> None:
        count = len(self._cells) // _CELLS - record
        self._cells[record * _CELLS + _TAIL] = count << 2 | (_MAPPING if mapping else _SEQUENCE)

    def key(self, node: Node, text: str) -> None:
        ids = self._key_ids
        number = ids.get(text)
        if number is None:
            number = ids[text] = len(ids)
        start, end = node.start_mark.index, node.end_mark.index
        if end == self._length:
            start, end = self._offsets(node)
        self._cells.extend((start, end, number << 2 | _KEY))

    def done(self) -> Positions:
        # 'I' holds offsets of texts up to 4 GiB, far over any size cap
        return Positions(array("I", self._cells), [_shared(k) for k in self._key_ids])


# Key texts seen so far, so that the files of a playbook share one copy of each: a few
# dozen keys make every workshop, and a copy of each per file would cost a quarter as much
# as the offsets. Bounded, so that files of made-up keys cannot make it grow for ever.
_SHARED_KEYS: dict[str, str] = {}
_MAX_SHARED_KEYS = 4096


def _shared(text: str) -> str:
    shared = _SHARED_KEYS.get(text)
    if shared is not None:
        return shared
    if len(_SHARED_KEYS) < _MAX_SHARED_KEYS:
        _SHARED_KEYS[text] = text
    return text
