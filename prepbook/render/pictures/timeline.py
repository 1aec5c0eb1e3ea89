"""Roadmap timelines: a workshop's steps as bars, and lanes across workshops.

With dates, bars sit on a time axis, over the roadmap's phases drawn as bands, with a line
at the build date; without, steps fall into columns, one per phase, in the order the
phases are listed. Arrows show dependencies, a diamond a milestone, a triangle a step that
closes an asset's gap, a glyph each step's status; every bar links to its step's record.
Labels wrap onto as many lines as they need: none is cut.

Across workshops, each organisation has a lane; past ``MAX_LANES`` lanes the picture
summarises instead (steps under way and milestones due, period by period), so its size is
bounded however large the playbook.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from prepbook.model import Phase, Step, Workshop
from prepbook.model.fields import MONTHS
from prepbook.render.pictures.svg import (
    LINE,
    NARROW,
    SMALL,
    Picture,
    esc,
    figure,
    fit,
    link,
    num,
    table,
    text_width,
    wrap,
)

CHART_WIDTH = 680  # a workshop's timeline: fits the content column of a page with sidebars
LANES_WIDTH = CHART_WIDTH  # across workshops: the same, so it fits beside both sidebars at 1280 px
LABEL_WIDTH = 250
RIGHT = 20
ROW = 24  # the height of a row with a one-line label; each further line adds LINE
TICKS = 18  # the baseline of the axis labels
PHASE_STRIP = 20  # the strip under the axis labels that names the phase bands
MAX_LANES = 25  # two layouts of labelled bars: past this, a page would outgrow its bound
MAX_PERIODS = 24  # columns of the summary across workshops
STATUSES = ("done", "in-progress", "planned", "blocked")
STATUS_GLYPH = {"done": "✓", "in-progress": "▶", "planned": "○", "blocked": "✕"}


@dataclass(frozen=True)
class BarExtent:
    """Where a step sits on the x axis: dates, or a phase column."""

    start: float
    end: float
    label: str  # its dates or phase, for the tooltip


def step_dates(step: Step, workshop: Workshop) -> tuple[dt.date, dt.date] | None:
    """A step's effective dates when it can be drawn on a time axis, else None (the
    roadmap decides what a step's dates are; a bar needs both ends)."""
    start, end = workshop.roadmap.dates_of(step)
    return (start, end) if start and end else None


# How many months a tick or a period of the summary spans, shortest first: months, quarters,
# half-years, then 1, 2 and 5 times a power of ten years, up to ten thousand years, so that
# any span the format allows (0001-01-01 to 9999-12-30) gets a bounded number of them.
SPANS = (1, 3, 6, *(12 * m * 10**p for p in range(4) for m in (1, 2, 5)), 120_000)
_CYCLE_DAYS = 146_097  # the Gregorian calendar repeats every 400 years, of this many days
_FIRST_MONTH = 12  # January of the year 1, the first month of the calendar (see month_of)


def month_of(day: dt.date) -> int:
    """A month as a number that counts on past 9999-12: the year times 12, plus the month
    from 0 (January) to 11."""
    return day.year * 12 + day.month - 1


def month_start(month: int) -> int:
    """The day number (``date.toordinal()``) of the first day of ``month`` (see
    :func:`month_of`), also for the months after 9999-12, where ``datetime.date`` ends: an
    axis ends on the first day after its last month, and a period may reach past the
    calendar too."""
    year, index = divmod(month, 12)
    cycles = max(0, -(-(year - dt.MAXYEAR) // 400))
    return dt.date(year - 400 * cycles, index + 1, 1).toordinal() + cycles * _CYCLE_DAYS


def month_label(month: int, *, year_only: bool = False) -> str:
    """A month as a tick or a period names it, "Jan 2027" (or "2027" by its year only):
    in English whatever the machine's locale, and for any year, where ``strftime`` writes
    the year 1 as "1" on one platform and "0001" on another."""
    year, index = divmod(month, 12)
    return str(year) if year_only else f"{MONTHS[index][:3]} {year}"


class _TimeAxis:
    """Days mapped onto the chart, from the first day of ``first_month`` to the first day
    of ``end_month``, with ticks a month to ten thousand years apart.

    It counts in day numbers and months (:func:`month_of`) rather than dates, so it reaches
    past 9999-12-31, the last date Python knows, where an axis ending in December 9999
    ends."""

    def __init__(self, first_month: int, end_month: int, x0: float, x1: float) -> None:
        self.first_month, self.end_month = first_month, end_month
        self.start = month_start(self.first_month)
        self.end = month_start(self.end_month)
        self.x0, self.x1 = x0, x1
        self.days = max(1, self.end - self.start)

    @classmethod
    def between(cls, first: dt.date, last: dt.date, x0: float, x1: float) -> _TimeAxis:
        return cls(month_of(first), month_of(last) + 1, x0, x1)

    def at(self, day: int) -> float:
        """The x of the day numbered ``day`` (``date.toordinal()``)."""
        return self.x0 + (day - self.start) / self.days * (self.x1 - self.x0)

    def x(self, day: dt.date) -> float:
        return self.at(day.toordinal())

    def span(self, start: dt.date, end: dt.date) -> tuple[float, float]:
        """The x extent of the days from ``start`` to ``end``, both included."""
        left = self.x(start)
        return left, max(left + 4, self.at(end.toordinal() + 1))

    def holds(self, day: dt.date) -> bool:
        return self.start <= day.toordinal() < self.end

    def ticks(self) -> list[tuple[float, str]]:
        """A tick at each multiple of the shortest span that keeps the labels apart: their
        number is bounded by the chart's width, however many years the axis spans."""
        months = self.end_month - self.first_month
        # a label needs about 60 px: as many months a tick as keep them apart
        room = max(1.0, (self.x1 - self.x0) / 64)
        step = next((s for s in SPANS if months / s <= room), SPANS[-1])
        out = []
        month = -(-self.first_month // step) * step  # the first multiple of the step
        while month <= self.end_month:
            x = self.at(month_start(month))
            if x < self.x1 - 50:
                out.append((x, month_label(month, year_only=step >= 12)))
            month += step
        return out


def _axis(picture: Picture, axis: _TimeAxis, top: float, bottom: float) -> None:
    for x, text in axis.ticks():
        picture.add(
            f'<line class="pb-grid" x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" '
            f'y2="{num(bottom)}"/>',
            picture.text(x + 3, TICKS, text, css="pb-muted", size=SMALL),
        )


def _today(picture: Picture, axis: _TimeAxis, today: dt.date | None, top: float, y: float) -> bool:
    """The build date as a line across the chart, labelled under it; only inside the axis.
    Returns whether it was drawn, for the legend."""
    if today is None or not axis.holds(today):
        return False
    x = axis.x(today)
    label = f"today {today.isoformat()}"
    half = text_width(label, SMALL) / 2
    centre = min(max(x, axis.x0 + half), picture.width - 2 - half)
    picture.add(
        f'<line class="pb-today" x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(y)}"/>',
        picture.text(centre, y + 14, label, anchor="middle", size=SMALL),
    )
    return True


def _phase_names(axis: _TimeAxis, phases: list[Phase]) -> list[list[str]]:
    """Each dated phase's name, wrapped to the width of its band."""
    names = []
    for phase in phases:
        assert phase.start is not None and phase.end is not None
        left, right = axis.span(phase.start, phase.end)
        names.append(wrap(phase.title, right - left - 6, SMALL))
    return names


def _phase_bands(
    picture: Picture,
    axis: _TimeAxis,
    phases: list[Phase],
    names: list[list[str]],
    top: float,
    bottom: float,
) -> bool:
    """Each dated phase as a band behind the bars, named in full in a strip under the
    axis labels; neighbours differ in colour and are split by a dotted line."""
    for i, (phase, name) in enumerate(zip(phases, names, strict=True)):
        assert phase.start is not None and phase.end is not None
        left, right = axis.span(phase.start, phase.end)
        css = "pb-phase" if i % 2 == 0 else "pb-phase-alt"
        picture.add(
            f'<rect class="{css}" x="{num(left)}" y="{num(top)}" width="{num(right - left)}" '
            f'height="{num(bottom - top)}"><title>{esc(_phase_tip(phase))}</title></rect>',
            f'<line class="pb-phase-edge" x1="{num(left)}" y1="{num(top)}" x2="{num(left)}" '
            f'y2="{num(bottom)}"/>',
            picture.lines(left + 3, top + 14, name, size=SMALL),
        )
    return bool(phases)


def _phase_tip(phase: Phase) -> str:
    return f"phase {phase.title}: {phase.start} to {phase.end}"


# The legend ---------------------------------------------------------------------------


def _status_key(status: str) -> Callable[[float, float], str]:
    def draw(x: float, y: float) -> str:
        return f'<rect class="pb-{status}" x="{num(x)}" y="{num(y - 9)}" width="14" height="10"/>'

    return draw


def _legend(
    picture: Picture, y: float, entries: list[tuple[Callable[[float, float], str], str]]
) -> float:
    """Legend entries in rows as wide as the picture; returns the y below the last row.

    Each entry is drawn by the caller only for something the picture holds."""
    x = 10.0
    for draw, text in entries:
        width = 22 + text_width(text, SMALL) + 18
        if x > 10 and x + width > picture.width:
            x, y = 10.0, y + 20
        picture.add(
            f'<g class="pb-key">{draw(x, y)}{picture.text(x + 20, y, text, size=SMALL)}</g>'
        )
        x += width
    return y + 12


def _timeline_legend(
    steps: Iterable[Step], *, arrows: bool, today: dt.date | None, phases: bool
) -> list[tuple[Callable[[float, float], str], str]]:
    steps = list(steps)
    present = {s.status for s in steps}
    entries: list[tuple[Callable[[float, float], str], str]] = [
        (_status_key(status), f"{STATUS_GLYPH[status]} {status}")
        for status in STATUSES
        if status in present
    ]
    if any(s.milestone for s in steps):
        entries.append((lambda x, y: _diamond(x + 7, y - 4, 6), "milestone"))
    if any(s.closes_gap for s in steps):
        entries.append((lambda x, y: _triangle(x + 7, y - 4, 6), "closes a gap"))
    if arrows:
        entries.append(
            (
                lambda x, y: f'<path class="pb-link" d="M{num(x)},{num(y - 4)}H{num(x + 14)}"/>',
                "depends on",
            )
        )
    if phases:
        entries.append(
            (
                lambda x, y: (
                    f'<rect class="pb-phase" x="{num(x)}" y="{num(y - 10)}" '
                    f'width="14" height="12"/>'
                ),
                "roadmap phase",
            )
        )
    if today is not None:
        entries.append(
            (
                lambda x, y: (
                    f'<line class="pb-today" x1="{num(x + 7)}" y1="{num(y - 11)}" '
                    f'x2="{num(x + 7)}" y2="{num(y + 2)}"/>'
                ),
                f"today ({today.isoformat()})",
            )
        )
    return entries


def _diamond(x: float, y: float, r: float) -> str:
    return (
        f'<polygon class="pb-milestone" points="{num(x)},{num(y - r)} {num(x + r)},{num(y)} '
        f'{num(x)},{num(y + r)} {num(x - r)},{num(y)}"/>'
    )


def _triangle(x: float, y: float, r: float) -> str:
    return (
        f'<polygon class="pb-gap" points="{num(x)},{num(y - r)} {num(x + r)},{num(y + r)} '
        f'{num(x - r)},{num(y + r)}"/>'
    )


# One workshop ---------------------------------------------------------------------------


def workshop_timeline(
    workshop: Workshop,
    href: Callable[[Step], str],
    *,
    today: dt.date | None = None,
    tables: str | None = None,
) -> str:
    """The roadmap of one workshop, one row per step, grouped by the priority it delivers.

    ``href`` gives the link of a step's record; ``today`` (the build date) is drawn when it
    falls on the axis. With ``tables`` (the href of tables on the page that already list
    every step), the picture points at them instead of repeating the data in a table.
    Drawn twice: wide, each step's title beside its bar, and narrow for a phone, each
    title above its bar across the whole width.
    """
    steps = workshop.roadmap.steps
    pid = f"pb-timeline-{workshop.id}"
    groups = _groups(workshop)
    wide, spans = _workshop_picture(workshop, href, today, pid, CHART_WIDTH, stacked=False)
    narrow, _ = _workshop_picture(workshop, href, today, f"{pid}-narrow", NARROW, stacked=True)
    caption = f"The roadmap of {workshop.title}."
    if tables is not None:
        data = (
            f"<p>Every step, with its dates, status and dependencies, is listed in the "
            f'<a href="{esc(tables)}">roadmap tables</a> below.</p>'
        )
        return figure(wide, caption, data, narrow=narrow)
    titles = {s.id: s.title for s in steps}
    gaps = gap_names(workshop)
    data = table(
        "Roadmap steps",
        ["Step", "Group", "When", "Status", "Depends on", "Milestone", "Closes gap"],
        (
            [
                f'<a href="{esc(href(s))}">{esc(s.title)}</a>',
                esc(g),
                esc(spans[s.id].label),
                esc(s.status),
                esc(", ".join(titles.get(d, d) for d in s.depends_on) or "—"),
                "yes" if s.milestone else "no",
                esc(", ".join(gaps.get(a, a) for a in s.closes_gap) or "—"),
            ]
            for g, members in groups
            for s in members
        ),
    )
    return figure(wide, caption, data, narrow=narrow)


def gap_names(workshop: Workshop) -> dict[str, str]:
    """The titles of the workshop's assets by id: a step names the gaps it closes by them."""
    return {asset.id: asset.title for asset in workshop.audit}


def _short(lines: list[str], most: int, width: float) -> list[str]:
    """At most ``most`` lines, the last shortened: for a name also given in full in its
    tooltip and in the roadmap tables."""
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], fit(" ".join(lines[most - 1 :]), width, SMALL)]


def _workshop_picture(
    workshop: Workshop,
    href: Callable[[Step], str],
    today: dt.date | None,
    pid: str,
    chart_width: float,
    *,
    stacked: bool,
) -> tuple[Picture, dict[str, BarExtent]]:
    """One layout of the timeline: with ``stacked``, each step's title above its bar and
    the axis across the whole width; else titles in a column left of the bars."""
    steps = workshop.roadmap.steps
    groups = _groups(workshop)
    dated = {s.id: d for s in steps if (d := step_dates(s, workshop))}
    mode = "dates" if steps and len(dated) == len(steps) else "phases"
    x0, x1 = (10, chart_width - 14) if stacked else (LABEL_WIDTH + 10, chart_width - RIGHT)
    most = 2 if stacked else 99  # lines of a phase's name
    phases = [p for p in workshop.roadmap.phases if p.start and p.end]
    axis = None
    if mode == "dates":
        firsts = [d[0] for d in dated.values()] + [p.start for p in phases if p.start]
        lasts = [d[1] for d in dated.values()] + [p.end for p in phases if p.end]
        axis = _TimeAxis.between(min(firsts), max(lasts), x0, x1)
        phase_names = [
            _short(n, most, max(20.0, r - left - 6))
            for n, (left, r) in zip(
                _phase_names(axis, phases),
                (axis.span(p.start, p.end) for p in phases if p.start and p.end),
                strict=True,
            )
        ]
        strip = PHASE_STRIP + LINE * (max(map(len, phase_names), default=1) - 1)
        top = TICKS + 8 + (strip if phases else 0)
        header = TICKS + 8
    else:
        columns = _phase_columns(workshop)
        width = (x1 - x0) / max(1, len(columns))
        names = [
            _short(wrap(name, width - 8, SMALL), 3 if stacked else 99, width - 8)
            for _, name in columns
        ]
        header = TICKS + 8 + LINE * (max((len(n) for n in names), default=1) - 1)
        top = header
    label_room = chart_width - 40 if stacked else LABEL_WIDTH - 30
    labels = {s.id: wrap(s.title, label_room) for s in steps}
    titles = [wrap(title, chart_width - 12) for title, _ in groups]

    def step_height(lines: int) -> float:
        return _stacked_height(lines) if stacked else _row_height(lines)

    rows = sum(_row_height(len(t)) for t in titles) + sum(
        step_height(len(labels[s.id])) for s in steps
    )
    bottom = top + rows
    desc = (
        f"{len(steps)} roadmap steps of the workshop {workshop.title}, "
        + ("on a time axis over its phases" if mode == "dates" else "in columns by phase")
        + ", grouped by the priority they deliver; each bar is labelled with its step's "
        "title. Arrows show dependencies."
    )
    picture = Picture(pid, chart_width, bottom + 100, f"Roadmap timeline: {workshop.title}", desc)
    picture.add(
        f'<defs><marker id="{pid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="pb-arrow" d="M0,0L10,5L0,10z"/></marker></defs>'
    )
    spans: dict[str, BarExtent] = {}
    banded = drew_today = False
    if axis is not None:
        banded = _phase_bands(picture, axis, phases, phase_names, header - 4, bottom)
        _axis(picture, axis, TICKS + 4, bottom)
        for step_id, (start, end) in dated.items():
            spans[step_id] = BarExtent(*axis.span(start, end), f"{start} to {end}")
    else:
        for i, ((column, name), lines) in enumerate(zip(columns, names, strict=True)):
            left = x0 + i * width
            picture.add(
                f'<line class="pb-grid" x1="{num(left)}" y1="{TICKS - 12}" '
                f'x2="{num(left)}" y2="{num(bottom)}"/>',
                picture.lines(left + 4, TICKS, lines, css="pb-muted", size=SMALL),
            )
            for step in steps:
                if step.phase == column:
                    spans[step.id] = BarExtent(left + 6, left + width - 6, f"phase {name}")
    y = float(top)
    positions: dict[str, float] = {}
    gaps = gap_names(workshop)
    for (_, members), title in zip(groups, titles, strict=True):
        height = _row_height(len(title))
        picture.add(
            f'<rect class="pb-band" x="0" y="{num(y)}" width="{num(chart_width)}" '
            f'height="{num(height)}"/>',
            picture.lines(6, y + 16, title, css="pb-strong"),
        )
        y += height
        for step in members:
            label = labels[step.id]
            bar_y = y + LINE * (len(label) - 1) + 19 if stacked else y + 5
            positions[step.id] = bar_y + (BAR_H if stacked else ROW - 10) / 2
            _step_row(picture, step, spans[step.id], y, bar_y, label, href(step), gaps, stacked)
            y += step_height(len(label))
    arrows = False
    for step in steps if not stacked else []:  # stacked, an arrow would cross the titles
        for dep in step.depends_on:
            if dep in spans and step.id in spans:  # same workshop; others are in the table
                _arrow(picture, pid, spans[dep], positions[dep], spans[step.id], positions[step.id])
                arrows = True
    if axis is not None:
        drew_today = _today(picture, axis, today, TICKS + 4, bottom)
    legend = _timeline_legend(
        steps, arrows=arrows, today=today if drew_today else None, phases=banded
    )
    picture.height = _legend(picture, bottom + (44 if drew_today else 26), legend)
    return picture, spans


BAR_H = 10  # a bar's height under its title, in the stacked layout


def _stacked_height(lines: int) -> float:
    """A step's row in the stacked layout: its title's lines, then its bar."""
    return LINE * (lines - 1) + 19 + BAR_H + 6


def _row_height(lines: int) -> float:
    return ROW + LINE * (lines - 1)


def _phase_columns(workshop: Workshop) -> list[tuple[str | None, str]]:
    """The phases that hold steps, in the order listed, and "no phase" last if needed."""
    steps = workshop.roadmap.steps
    columns: list[tuple[str | None, str]] = [(p.id, p.title) for p in workshop.roadmap.phases]
    columns.append((None, "no phase"))
    return [(c, name) for c, name in columns if any(s.phase == c for s in steps)]


def _groups(workshop: Workshop) -> list[tuple[str, list[Step]]]:
    """Steps under the first priority they deliver, in priority order; the rest last."""
    titles = {p.id: p.title for p in workshop.priorities}
    groups: dict[str, list[Step]] = {pid: [] for pid in titles}
    others: list[Step] = []
    for step in workshop.roadmap.steps:
        home = next((p for p in step.delivers if p in groups), None)
        (groups[home] if home else others).append(step)
    out = [(f"Delivers: {titles[pid]}", members) for pid, members in groups.items() if members]
    if others:
        out.append(("Enabling steps" if out else "Steps", others))
    return out


def step_tooltip(step: Step, when: str, gaps: dict[str, str]) -> str:
    """What a step's marks say on hover: its title, when, its status, and the gaps it
    closes by the assets' titles (never an id)."""
    tooltip = f"{step.title}: {when}, {step.status}"
    if step.milestone:
        tooltip += ", milestone"
    if step.closes_gap:
        tooltip += f", closes the gap of {', '.join(gaps.get(a, a) for a in step.closes_gap)}"
    return tooltip


def _step_row(
    picture: Picture,
    step: Step,
    span: BarExtent,
    y: float,
    bar_y: float,
    label: list[str],
    href: str,
    gaps: dict[str, str],
    stacked: bool,
) -> None:
    """A step's label (its status glyph, then its title in full) and its bar, one link to
    its record: beside the bar, or above it when ``stacked``."""
    tooltip = step_tooltip(step, span.label, gaps)
    height = BAR_H if stacked else ROW - 10
    marks = [
        f'<rect class="pb-mark pb-{step.status}" x="{num(span.start)}" y="{num(bar_y)}" '
        f'width="{num(span.end - span.start)}" height="{height}" rx="3"/>'
    ]
    if step.milestone:
        marks.append(_diamond(span.end, bar_y + height / 2, 7))
    if step.closes_gap:
        marks.append(_triangle(span.start, bar_y + height / 2, 6))
    picture.add(
        link(
            href,
            tooltip,
            picture.text(8, y + 16, STATUS_GLYPH[step.status], css="pb-glyph"),
            picture.lines(24, y + 16, label),
            *marks,
        )
    )


def _arrow(picture: Picture, pid: str, frm: BarExtent, y0: float, to: BarExtent, y1: float) -> None:
    x0, x1 = frm.end, to.start
    mid = max(x0 + 6, (x0 + x1) / 2) if x1 > x0 + 12 else x0 + 6
    path = (
        f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(max(x1, mid + 4))}"
        if x1 > x0 + 12
        else f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(x1)}"
    )
    picture.add(f'<path class="pb-link" d="{path}" marker-end="url(#{pid}-arrow)"/>')


# Across workshops -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lane:
    """One workshop's row in a timeline across workshops."""

    organisation: str
    title: str  # the workshop's, shown when its organisation has other workshops too
    href: str  # where its label links: the workshop's page
    steps: list[tuple[Step, tuple[dt.date, dt.date] | None, str]]  # step, dates, its href
    gaps: dict[str, str] = field(default_factory=dict)  # its assets' titles by id


TRACK = 28  # height of one track inside a lane: a bar's title, then the bar
LANE_BAR = 9  # a bar's height in a lane
BAR_LABEL = 170  # the widest a bar's title is written in a lane; the whole in its tooltip


def _tracks(spans: list[tuple[float, float]]) -> list[int]:
    """A track for each bar so that bars in one track never overlap: each bar is seen, and
    each can be clicked. Greedy interval packing, in the order of the bars' starts."""
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    ends: list[float] = []  # the right edge of the last bar of each track
    track = [0] * len(spans)
    for k in order:
        start, end = spans[k]
        free = next((t for t, last in enumerate(ends) if last + 2 <= start), None)
        if free is None:
            free = len(ends)
            ends.append(end)
        ends[free] = end + 7  # room for a milestone's diamond
        track[k] = free
    return track


def lane_labels(lanes: list[Lane]) -> list[tuple[str, str | None]]:
    """Each lane's name: its organisation, and the workshop's title as well when the
    organisation has several workshops (else the lanes could not be told apart)."""
    count = Counter(lane.organisation for lane in lanes)
    return [
        (lane.organisation, lane.title if count[lane.organisation] > 1 else None) for lane in lanes
    ]


def lanes_timeline(
    pid: str,
    title: str,
    lanes: list[Lane],
    caption: str,
    *,
    today: dt.date | None = None,
    steps_href: str | None = None,
) -> str:
    """Steps of many workshops, one lane a workshop named by its organisation; inside a
    lane, each bar carries its step's title above it, and bars whose title or extent would
    overlap stack on tracks of their own. Past ``MAX_LANES`` lanes, a summary by period
    instead; ``steps_href`` is where every step is listed. Drawn twice: wide, the lanes'
    names in a column left of the bars, and narrow for a phone, each name above its lane."""
    first = {lane.organisation: i for i, lane in reversed(list(enumerate(lanes)))}
    lanes = sorted(lanes, key=lambda lane: first[lane.organisation])  # an organisation's together
    if len(lanes) > MAX_LANES:
        return _summary(pid, title, lanes, caption, today=today, steps_href=steps_href)
    wide = _lanes_picture(pid, title, lanes, today, LANES_WIDTH, stacked=False)
    narrow = _lanes_picture(f"{pid}-narrow", title, lanes, today, NARROW, stacked=True)
    data = table(
        "Roadmaps by workshop",
        [
            "Organisation",
            "Workshop",
            "Steps",
            "First start",
            "Last end",
            "Milestones",
            "Steps without dates",
        ],
        (_lane_row(lane) for lane in lanes),
    )
    return figure(wide, caption, data, narrow=narrow)


def bar_label(step: Step, start: float, x1: float) -> tuple[str, float, float]:
    """A bar's title as written over it in a lane (shortened past ``BAR_LABEL``), where it
    starts (at the bar, or further left when the bar starts near the chart's right edge
    ``x1``) and its width."""
    text = fit(step.title, BAR_LABEL, SMALL)
    width = text_width(text, SMALL)
    return text, min(start, x1 - width), width


def _lanes_picture(
    pid: str,
    title: str,
    lanes: list[Lane],
    today: dt.date | None,
    chart_width: float,
    *,
    stacked: bool,
) -> Picture:
    dated = [d for lane in lanes for _, d, _ in lane.steps if d]
    total = sum(len(lane.steps) for lane in lanes)
    x0, x1 = (10, chart_width - 14) if stacked else (LABEL_WIDTH + 10, chart_width - RIGHT)
    axis = (
        _TimeAxis.between(min(d[0] for d in dated), max(d[1] for d in dated), x0, x1)
        if dated
        else None
    )
    room = chart_width - 12 if stacked else LABEL_WIDTH - 12
    names = [
        (wrap(org, room), wrap(f"— {sub}", room, SMALL) if sub else [])
        for org, sub in lane_labels(lanes)
    ]
    placed: list[list[tuple[Step, str, str, float, float, int]]] = []
    heights: list[float] = []
    heads: list[float] = []  # the height of a lane's name above its tracks, when stacked
    for lane, (org, sub) in zip(lanes, names, strict=True):
        bars = [
            (step, href, f"{d[0]} to {d[1]}", *axis.span(*d))
            for step, d, href in lane.steps
            if axis is not None and d is not None
        ]
        footprints = []
        for step, _, _, start, end in bars:
            _, left, width = bar_label(step, start, chart_width - 4)
            footprints.append((min(start, left), max(end, left + width + 6)))
        tracks = _tracks(footprints)
        placed.append([(*bar, t) for bar, t in zip(bars, tracks, strict=True)])
        label_height = 10 + LINE * (len(org) + len(sub))
        bars_height = (max(tracks, default=-1) + 1) * TRACK + 6
        if stacked:
            heads.append(label_height - 4)
            heights.append(label_height - 4 + bars_height)
        else:
            heads.append(0)
            heights.append(max(ROW, bars_height, label_height))
    top = TICKS + 8
    bottom = top + sum(heights)
    desc = (
        f"{total} roadmap steps of {len(lanes)} workshops, one lane a workshop named by its "
        "organisation, on a time axis; each bar is labelled with its step's title, and "
        "steps that overlap are stacked; steps without dates are in the table."
    )
    picture = Picture(pid, chart_width, bottom + 100, title, desc)
    drew_today = False
    if axis is not None:
        _axis(picture, axis, TICKS + 4, bottom)
    y = float(top)
    for i, (lane, lane_bars, height, head, (org, sub)) in enumerate(
        zip(lanes, placed, heights, heads, names, strict=True)
    ):
        if i % 2 == 0:
            picture.add(
                f'<rect class="pb-band" x="0" y="{num(y)}" width="{num(chart_width)}" '
                f'height="{num(height)}"/>'
            )
        label = picture.lines(6, y + 16, org, css="pb-strong")
        if sub:
            label += picture.lines(6, y + 16 + LINE * len(org), sub, css="pb-muted", size=SMALL)
        picture.add(link(lane.href, f"{lane.organisation}: {lane.title}", label))
        for step, href, when, start, end, track in lane_bars:
            picture.add(
                _lane_bar(
                    picture,
                    step,
                    href,
                    when,
                    start,
                    end,
                    y + head + 4 + track * TRACK,
                    chart_width - 4,
                    lane.gaps,
                )
            )
        y += height
    if axis is not None:
        drew_today = _today(picture, axis, today, TICKS + 4, bottom)
    steps = [s for lane in lanes for s, d, _ in lane.steps if d]
    legend = _timeline_legend(
        steps, arrows=False, today=today if drew_today else None, phases=False
    )
    picture.height = _legend(picture, bottom + (44 if drew_today else 26), legend)
    return picture


def _lane_bar(
    picture: Picture,
    step: Step,
    href: str,
    when: str,
    start: float,
    end: float,
    top: float,
    right: float,
    gaps: dict[str, str],
) -> str:
    """A step in a lane: its title, then its bar under it, one link to its record."""
    text, left, _ = bar_label(step, start, right)
    bar_top = top + 14
    marks = [
        f'<rect class="pb-mark pb-{step.status}" x="{num(start)}" y="{num(bar_top)}" '
        f'width="{num(end - start)}" height="{LANE_BAR}" rx="2"/>'
    ]
    if step.milestone:
        marks.append(_diamond(end, bar_top + LANE_BAR / 2, 5))
    if step.closes_gap:
        marks.append(_triangle(start, bar_top + LANE_BAR / 2, 4))
    tooltip = f"{STATUS_GLYPH[step.status]} {step_tooltip(step, when, gaps)}"
    label = picture.text(left, top + 10, text, size=SMALL)
    return link(href, tooltip, label, *marks)


def _lane_row(lane: Lane) -> list[str]:
    dates = [d for _, d, _ in lane.steps if d]
    return [
        esc(lane.organisation),
        f'<a href="{esc(lane.href)}">{esc(lane.title)}</a>',
        str(len(lane.steps)),
        esc(min(d[0] for d in dates)) if dates else "—",
        esc(max(d[1] for d in dates)) if dates else "—",
        str(sum(1 for s, _, _ in lane.steps if s.milestone)),
        str(sum(1 for _, d, _ in lane.steps if d is None)),
    ]


# The summary across many workshops ------------------------------------------------------


@dataclass
class _Period:
    """What a period of the summary holds: steps under way by status, milestones due. Its
    months are counted as :func:`month_of` counts them, so a period may end past the
    calendar."""

    start: int  # its first month
    end: int  # the first month after it
    active: Counter[str]
    milestones: int = 0

    @property
    def first_day(self) -> int:
        return month_start(self.start)

    @property
    def after(self) -> int:
        """The day number of the first day after the period."""
        return month_start(self.end)


def _periods(first: dt.date, last: dt.date) -> list[_Period]:
    """Months, or quarters, half-years, years and more when the roadmaps span long: never
    more than ``MAX_PERIODS`` columns. Each starts at a multiple of its length: a quarter
    in January, April, July or October, a decade in a year ending in 0 (but none before
    the year 1)."""
    start, stop = month_of(first), month_of(last)
    size = next(s for s in SPANS if stop // s - start // s + 1 <= MAX_PERIODS)
    start = max(start - start % size, _FIRST_MONTH)  # a quarter starts in January...
    out = []
    while start <= stop:
        end = start - start % size + size
        out.append(_Period(start, end, Counter()))
        start = end
    return out


def _period_label(period: _Period) -> str:
    months = period.end - period.start
    first_year, first_month = divmod(period.start, 12)
    last_year, last_month = divmod(period.end - 1, 12)
    if months == 1:
        return month_label(period.start)
    if months == 3 and first_month % 3 == 0:
        return f"Q{first_month // 3 + 1} {first_year}"
    if first_month == 0 and last_month == 11:
        if first_year == last_year:
            return str(first_year)
        return f"{first_year}\u2013{last_year}"
    return f"{month_label(period.start)}\u2013{month_label(period.end - 1)}"


def _summary(
    pid: str,
    title: str,
    lanes: list[Lane],
    caption: str,
    *,
    today: dt.date | None,
    steps_href: str | None,
) -> str:
    """Too many workshops for a lane each: per period, the steps under way (stacked by
    status) and the milestones due. Its size depends on the number of periods only."""
    dated = [(s, d) for lane in lanes for s, d, _ in lane.steps if d]
    total = sum(len(lane.steps) for lane in lanes)
    undated = total - len(dated)
    periods = _periods(min(d[0] for _, d in dated), max(d[1] for _, d in dated)) if dated else []
    # each period's first day and the day after it, worked out once rather than for each
    # of the thousands of steps compared with it
    bounds = [(period, period.first_day, period.after) for period in periods]
    for step, (start, end) in dated:
        first, last = start.toordinal(), end.toordinal()
        for period, first_day, after in bounds:
            if first < after and last >= first_day:
                period.active[step.status] += 1
                if step.milestone and first_day <= last < after:
                    period.milestones += 1
    what = (
        f"{total:,} roadmap steps of {len(lanes):,} workshops, too many for a lane each: for each "
        "period, the steps under way stacked by status, and the milestones due"
    )
    desc = f"{what}. Every step is listed on the roadmap pages."
    if undated:
        desc += f" {undated:,} steps without dates are not counted here."
    left, x1, top, chart = 60, LANES_WIDTH - RIGHT, 58, 220
    bottom = top + chart
    picture = Picture(pid, LANES_WIDTH, bottom + 140, title, desc)
    picture.add(picture.lines(6, 18, wrap(what + ".", LANES_WIDTH - 12, SMALL), size=SMALL))
    peak = max((sum(p.active.values()) for p in periods), default=0) or 1
    width = (x1 - left) / max(1, len(periods))
    middle = top + chart / 2
    picture.add(
        f'<text x="14" y="{num(middle)}" text-anchor="middle" class="pb-muted" '
        f'font-size="{SMALL}" transform="rotate(-90 14 {num(middle)})">steps under way</text>'
    )
    for frac in (0.0, 0.5, 1.0):
        y = bottom - frac * chart
        picture.add(
            f'<line class="pb-grid" x1="{left}" y1="{num(y)}" x2="{x1}" y2="{num(y)}"/>',
            picture.text(
                left - 6, y + 4, f"{round(frac * peak):,}", anchor="end", css="pb-muted", size=SMALL
            ),
        )
    for i, period in enumerate(periods):
        x = left + i * width
        y = float(bottom)
        for status in STATUSES:
            count = period.active[status]
            if count:
                h = count / peak * chart
                y -= h
                tip = f"{_period_label(period)}: {count:,} steps {status}"
                picture.add(
                    f'<rect class="pb-mark pb-{status}" x="{num(x + 2)}" y="{num(y)}" '
                    f'width="{num(width - 4)}" height="{num(h)}"><title>{esc(tip)}</title></rect>'
                )
        if period.milestones:
            picture.add(
                _diamond(x + width / 2, bottom + 14, 5),
                picture.text(
                    x + width / 2,
                    bottom + 34,
                    f"{period.milestones:,}",
                    anchor="middle",
                    size=SMALL,
                ),
            )
        if i % max(1, round(len(periods) / 8)) == 0:
            picture.add(
                picture.text(x + 2, bottom + 52, _period_label(period), css="pb-muted", size=SMALL)
            )
    drew_today = False
    if periods and today is not None:
        axis = _TimeAxis(periods[0].start, periods[-1].end, left, x1)
        drew_today = _today(picture, axis, today, top, bottom + 56)
    present = {s.status for s, _ in dated}
    entries: list[tuple[Callable[[float, float], str], str]] = [
        (_status_key(status), f"{STATUS_GLYPH[status]} {status}: steps under way")
        for status in STATUSES
        if status in present
    ]
    if any(p.milestones for p in periods):
        entries.append((lambda x, y: _diamond(x + 7, y - 4, 6), "milestones due (count)"))
    if drew_today and today is not None:
        entries.append(
            (
                lambda x, y: (
                    f'<line class="pb-today" x1="{num(x + 7)}" y1="{num(y - 11)}" '
                    f'x2="{num(x + 7)}" y2="{num(y + 2)}"/>'
                ),
                f"today ({today.isoformat()})",
            )
        )
    picture.height = _legend(picture, bottom + (90 if drew_today else 76), entries)
    where = f'<a href="{esc(steps_href)}">roadmap pages</a>' if steps_href else "roadmap pages"
    data = (
        f"<p>{esc(desc.split('. Every')[0])}. Every step, with its workshop and dates, is "
        f"listed on the {where}.</p>"
        + table(
            "Steps under way by period",
            ["Period", *(f"{STATUS_GLYPH[s]} {s}" for s in STATUSES), "Milestones due"],
            (
                [
                    esc(_period_label(p)),
                    *(f"{p.active[s]:,}" for s in STATUSES),
                    f"{p.milestones:,}",
                ]
                for p in periods
            ),
        )
    )
    return figure(picture, f"{caption} {desc}", data)
