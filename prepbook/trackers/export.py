"""What one export holds once read: its items, when it was taken, and its problems.

The readers of each exporter's format (``github_issues``, ``github_project``, ``jira_csv``,
``linear_csv``, ``plain_csv``) all return a :class:`TrackerExport`, through a
:class:`Reading`, which knows the export's text and turns a place in it into a line and a
column. Nothing a reader meets raises: a malformed item is a problem at its line, and the
reader goes on with the next, so one bad row never hides the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from prepbook.findings import Finding, Span
from prepbook.load.positions import Lines
from prepbook.model import Reading as MetricReading
from prepbook.model.fields import BIDI_CONTROLS
from prepbook.trackers.refs import ItemRef
from prepbook.trackers.states import States, Status, unknown_state_hint

# What no page or terminal may show: control characters but the tab, C1 controls, lone
# surrogates (from an escape in JSON), U+FFFE and U+FFFF, and the bidirectional overrides.
_HIDDEN = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


# The longest line a problem carries to show: the reports cut a window around the column
# from it, but gh's one line may be megabytes long, and a copy of it for each problem
# would cost more than the export.
MAX_SOURCE_LINE = 10_000

# Where a problem would stand, found only if there is one: the offset (None: the file) and
# the place in the export's terms. Finding an offset inside gh's one-line JSON means
# walking the item again, which a reader does for the few fields with a problem only.
Place = Callable[[], tuple[int | None, str]]


@dataclass(frozen=True, slots=True)
class TrackerProblem:
    """Something in an export (or the trackers folder) that could not be read as it
    stands: where, in the export's own terms (``where``: ``items[3].state``, ``Status``),
    what was expected, and how to fix it. :meth:`finding` makes it a finding of a rule."""

    file: str
    message: str
    span: Span | None = None
    where: str = ""
    expected: str | None = None
    hint: str | None = None
    source_line: str | None = None

    def finding(self, rule_id: str, **extra: object) -> Finding:
        return Finding.of(
            rule_id,
            self.message,
            self.file,
            span=self.span,
            yaml_path=self.where,
            expected=self.expected,
            hint=self.hint,
            source_line=self.source_line,
            **extra,
        )


@dataclass(frozen=True, slots=True)
class TrackerItem:
    """One item as the tracker saw it when the export was taken.

    ``status`` is None when the state is one nothing maps (a problem says so); ``state``
    is the state as the export writes it. ``closed`` is the day it was closed, done or
    dropped, in the export's time (UTC for GitHub and Linear), None while open or where
    the export does not say. ``iterations`` are the sprints, cycles or milestone it is
    planned in, as the tracker names them; ``labels`` its labels, each repeated column's
    values kept.
    """

    ref: ItemRef
    title: str | None
    status: Status | None
    state: str
    closed: dt.date | None
    url: str | None
    assignees: tuple[str, ...]
    file: str
    span: Span | None
    labels: tuple[str, ...] = ()
    iterations: tuple[str, ...] = ()

    @property
    def system(self) -> str:
        return self.ref.system

    @property
    def key(self) -> str:
        return self.ref.key


@dataclass(frozen=True, slots=True)
class ExportedReading:
    """One reading of a CSV of metric readings (:mod:`prepbook.trackers.readings_csv`):
    the metric it is of, named ``workshop/metric``, the reading as a workshop file holds
    one, and where its row stands."""

    workshop: str
    metric: str
    reading: MetricReading
    file: str
    span: Span

    @property
    def named(self) -> str:
        return f"{self.workshop}/{self.metric}"


# The kinds of export, by the name of their reader: what a finding and the docs call them.
EXPORT_KINDS = {
    "gh-issues": "gh issue list --json",
    "gh-project": "gh project item-list --format json",
    "jira-csv": "a Jira CSV export",
    "linear-csv": "a Linear CSV export",
    "csv": "a plain CSV export",
    "readings-csv": "a CSV of metric readings",
}


@dataclass(frozen=True, slots=True)
class TrackerExport:
    """One export file read: its kind (a key of :data:`EXPORT_KINDS`), when it was
    taken (None where it does not say: a problem says so), its items in file order, or,
    for a CSV of metric readings, its readings."""

    file: str
    kind: str
    taken: dt.datetime | None
    items: tuple[TrackerItem, ...]
    problems: tuple[TrackerProblem, ...] = ()
    # a CSV of metric readings holds these instead of items
    readings: tuple[ExportedReading, ...] = ()


@dataclass
class Reading:
    """One export being read: its text, the states table, and the problems found so far."""

    file: str
    text: str
    states: States
    problems: list[TrackerProblem] = field(default_factory=list)
    _lines: Lines | None = None

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    def span_at(self, offset: int) -> Span:
        line, column = self.lines.locate(offset)
        return Span(line, column, line, column)

    def problem(
        self,
        message: str,
        offset: int | None,
        where: str = "",
        *,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        """A problem at character ``offset`` of the text (None: the file as a whole)."""
        span = self.span_at(offset) if offset is not None else None
        source = self.lines.line(span.line) if span is not None else None
        self.problems.append(
            TrackerProblem(
                self.file,
                message,
                span,
                where,
                expected,
                hint,
                source if source is not None and len(source) <= MAX_SOURCE_LINE else None,
            )
        )

    def status(
        self, tracker: str, state: str, place: Place, *also: tuple[str, str]
    ) -> Status | None:
        """The status of ``state``, or None with a problem (at ``place``) that names the
        option."""
        found = self.states.status(tracker, state, *also)
        if found is None:
            extra = "".join(f", {name} {value!r}" for name, value in also if value)
            self.problem(
                f"unknown state {state!r}{extra}: its status is not known",
                *place(),
                expected="a state the mapping of states knows, or one the option adds",
                hint=unknown_state_hint(state),
            )
        return found

    def text_of(self, value: str, place: Place) -> str:
        """``value`` with the characters no page or terminal may show (controls, the
        bidirectional overrides) made visible as U+FFFD, and a problem at ``place`` if
        there were any."""
        if _HIDDEN.search(value) is None:
            return value
        self.problem(
            "the text holds control or bidirectional formatting characters",
            *place(),
            expected="printable text",
            hint="they are shown as \ufffd; edit the item's text in the tracker",
        )
        return _HIDDEN.sub("\ufffd", value)

    def export(
        self, kind: str, taken: dt.datetime | None, items: list[TrackerItem]
    ) -> TrackerExport:
        ordered = sorted(self.problems, key=_place)
        return TrackerExport(self.file, kind, taken, tuple(items), tuple(ordered))


def _place(problem: TrackerProblem) -> tuple[int, int]:
    return (problem.span.line, problem.span.column) if problem.span else (0, 0)


def closed_day(
    status: Status | None, done: dt.date | None, dropped: dt.date | None = None
) -> dt.date | None:
    """The day an item closed, as far as its status agrees: an export may keep the day an
    item was done after it was opened again, and an open item has closed on no day. With
    the status unknown, whichever day there is."""
    if status == "done":
        return done
    if status == "dropped":
        return dropped or done
    return done or dropped if status is None else None
