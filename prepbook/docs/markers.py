"""A part of a hand-written document that a generator owns: what stands between two marker
comments, ``<!-- prepbook: NAME -->`` and ``<!-- /prepbook: NAME -->``.

README.md holds the table of commands and options and the table of the method's rules this
way: the prose around them is written by hand, the tables are read off the parser and the
rules' modules, and ``prepbook refresh`` rewrites only what the markers enclose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    name: str  # "cli table": what the markers name

    @property
    def start(self) -> str:
        return f"<!-- prepbook: {self.name} -->"

    @property
    def end(self) -> str:
        return f"<!-- /prepbook: {self.name} -->"

    def present(self, text: str) -> bool:
        """Whether ``text`` has either marker: it means to hold the region."""
        return self.start in text or self.end in text

    def problem(self, text: str) -> str | None:
        """What keeps the region from being read or rewritten in ``text``, in words: a
        marker missing, given twice, or the end before the start."""
        starts, ends = text.count(self.start), text.count(self.end)
        if starts != 1 or ends != 1:
            which = self.start if starts != 1 else self.end
            count = starts if starts != 1 else ends
            state = "is missing" if count == 0 else f"is there {count} times"
            return (
                f"'{which}' {state}; the {self.name} goes between '{self.start}' and '{self.end}'"
            )
        if text.index(self.end) < text.index(self.start):
            return f"'{self.end}' comes before '{self.start}'"
        return None

    def held(self, text: str) -> str | None:
        """What the markers enclose, one newline after it; None without both, in order."""
        start, end = text.find(self.start), text.find(self.end)
        if start < 0 or end < start:
            return None
        return text[start + len(self.start) : end].strip("\n") + "\n"

    def replaced(self, text: str, body: str) -> str:
        """``text`` with the markers enclosing ``body`` (one table, ending in a newline)
        instead of what they held. The region must be readable (``problem`` is None)."""
        head, rest = text.split(self.start, 1)
        _, tail = rest.split(self.end, 1)
        table = body.rstrip("\n")
        return f"{head}{self.start}\n{table}\n{self.end}{tail}"
