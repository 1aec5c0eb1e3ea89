"""Roadmap timelines: a workshop's steps as bars, and lanes across workshops.

With dates, bars sit on a time axis; without, steps fall into columns, one per phase, in
the order the phases are listed. Arrows show dependencies, a diamond a milestone, a
triangle a step that closes an asset's gap; every bar links to its step's anchor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.model import Step, Workshop
from prepbook.render.pictures.svg import Picture, esc, figure, fit, link, num, table

CHART_WIDTH = 720
LABEL_WIDTH = 220
RIGHT = 20
ROW = 24
AXIS_TOP = 44
MAX_LANES = 60
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


class _TimeAxis:
    """Days mapped onto the chart, with month or quarter ticks."""

    def __init__(self, first: dt.date, last: dt.date, x0: float, x1: float) -> None:
        self.first = first.replace(day=1)
        after = last + dt.timedelta(days=1)
        self.last = dt.date(after.year + after.month // 12, after.month % 12 + 1, 1)
        self.x0, self.x1 = x0, x1
        self.days = max(1, (self.last - self.first).days)

    def x(self, day: dt.date) -> float:
        return self.x0 + (day - self.first).days / self.days * (self.x1 - self.x0)

    def ticks(self) -> list[tuple[float, str]]:
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        step = 1 if months <= 8 else 3 if months <= 30 else 12
        out = []
        day = self.first
        while day <= self.last:
            # a label needs about 60 px; none may run past the right edge
            if ((day.month - 1) % step == 0 or step == 1) and self.x(day) < self.x1 - 50:
                text = day.strftime("%b %Y") if step < 12 else str(day.year)
                out.append((self.x(day), text))
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return out


def _axis(picture: Picture, axis: _TimeAxis, bottom: float) -> None:
    for x, text in axis.ticks():
        picture.add(
            f'<line class="pb-grid" x1="{num(x)}" y1="{AXIS_TOP - 6}" x2="{num(x)}" '
            f'y2="{num(bottom)}"/>',
            picture.text(x + 3, AXIS_TOP - 10, text, css="pb-muted", size=11),
        )


def _legend(picture: Picture, y: float) -> None:
    x = 10.0
    for status, glyph in STATUS_GLYPH.items():
        picture.add(
            f'<rect class="pb-{status}" x="{num(x)}" y="{num(y - 9)}" width="14" height="10"/>',
            picture.text(x + 18, y, f"{glyph} {status}", size=11),
        )
        x += 110
    picture.add(_diamond(x + 6, y - 4, 6), picture.text(x + 16, y, "milestone", size=11))
    picture.add(_triangle(x + 106, y - 4, 6), picture.text(x + 116, y, "closes a gap", size=11))


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


def workshop_timeline(
    workshop: Workshop, anchor: Callable[[Step], str], tables: str | None = None
) -> str:
    """The roadmap of one workshop, one row per step, grouped by the priority it delivers.

    With ``tables`` (the anchor of tables on the page that already list every step), the
    picture points at them instead of repeating the data in a table of its own.
    """
    steps = workshop.roadmap.steps
    pid = f"pb-timeline-{workshop.id}"
    groups = _groups(workshop)
    rows = sum(len(members) + 1 for _, members in groups)
    height = AXIS_TOP + rows * ROW + 40
    dated = {s.id: d for s in steps if (d := step_dates(s, workshop))}
    mode = "dates" if steps and len(dated) == len(steps) else "phases"
    desc = (
        f"{len(steps)} roadmap steps of the workshop {workshop.title}, "
        + ("on a time axis" if mode == "dates" else "in columns by phase")
        + ", grouped by the priority they deliver. Arrows show dependencies."
    )
    picture = Picture(pid, CHART_WIDTH, height, f"Roadmap timeline: {workshop.title}", desc)
    picture.add(
        f'<defs><marker id="{pid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="pb-arrow" d="M0,0L10,5L0,10z"/></marker></defs>'
    )
    x0, x1 = LABEL_WIDTH + 10, CHART_WIDTH - RIGHT
    bottom = AXIS_TOP + rows * ROW
    spans: dict[str, BarExtent] = {}
    if mode == "dates" and dated:
        axis = _TimeAxis(
            min(d[0] for d in dated.values()), max(d[1] for d in dated.values()), x0, x1
        )
        _axis(picture, axis, bottom)
        for step_id, (start, end) in dated.items():
            spans[step_id] = BarExtent(
                axis.x(start),
                max(axis.x(start) + 4, axis.x(end + dt.timedelta(days=1))),
                f"{start} to {end}",
            )
    else:
        columns = [p.id for p in workshop.roadmap.phases] + [None]
        used = [c for c in columns if any(s.phase == c for s in steps)]
        width = (x1 - x0) / max(1, len(used))
        titles = {p.id: p.title for p in workshop.roadmap.phases}
        for i, column in enumerate(used):
            left = x0 + i * width
            name = titles.get(column, "no phase") if column else "no phase"
            picture.add(
                f'<line class="pb-grid" x1="{num(left)}" y1="{AXIS_TOP - 6}" '
                f'x2="{num(left)}" y2="{num(bottom)}"/>',
                picture.text(
                    left + 4,
                    AXIS_TOP - 10,
                    fit(name, width - 8),
                    css="pb-muted",
                    full=name,
                    size=11,
                ),
            )
            for step in steps:
                if step.phase == column:
                    spans[step.id] = BarExtent(left + 6, left + width - 6, f"phase {name}")
    y = AXIS_TOP
    positions: dict[str, float] = {}
    for title, members in groups:
        picture.add(
            f'<rect class="pb-band" x="0" y="{num(y)}" width="{CHART_WIDTH}" height="{ROW}"/>',
            picture.text(6, y + 16, fit(title, CHART_WIDTH - 12), full=title),
        )
        y += ROW
        for step in members:
            positions[step.id] = y + ROW / 2
            _step_row(picture, step, spans[step.id], y, anchor(step))
            y += ROW
    for step in steps:
        for dep in step.depends_on:
            if dep in spans and step.id in spans:  # same workshop; others are in the table
                _arrow(picture, pid, spans[dep], positions[dep], spans[step.id], positions[step.id])
    _legend(picture, bottom + 26)
    if tables is not None:
        data = (
            f"<p>Every step, with its dates, status and dependencies, is listed in the "
            f'<a href="#{esc(tables)}">roadmap tables</a> below.</p>'
        )
        return figure(picture, f"The roadmap of {workshop.title}.", data)
    data = table(
        "Roadmap steps",
        ["Step", "Group", "When", "Status", "Depends on", "Milestone", "Closes gap"],
        (
            [
                f'<a href="#{esc(anchor(s))}">{esc(s.title)}</a>',
                esc(g),
                esc(spans[s.id].label),
                esc(s.status),
                esc(", ".join(s.depends_on) or "—"),
                "yes" if s.milestone else "no",
                esc(", ".join(s.closes_gap) or "—"),
            ]
            for g, members in groups
            for s in members
        ),
    )
    return figure(picture, f"The roadmap of {workshop.title}.", data)


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


def _step_row(picture: Picture, step: Step, span: BarExtent, y: float, anchor: str) -> None:
    label = fit(step.title, LABEL_WIDTH - 24)
    picture.add(picture.text(18, y + 16, label, full=step.title))
    glyph = STATUS_GLYPH[step.status]
    tooltip = f"{step.title}: {span.label}, {step.status}"
    if step.milestone:
        tooltip += ", milestone"
    if step.closes_gap:
        tooltip += f", closes the gap of {', '.join(step.closes_gap)}"
    marks = [
        f'<rect class="pb-mark pb-{step.status}" x="{num(span.start)}" y="{num(y + 5)}" '
        f'width="{num(span.end - span.start)}" height="{ROW - 10}" rx="3"/>'
    ]
    if span.end - span.start > 24:
        inset = 10 if step.closes_gap else 4  # clear of the gap triangle
        marks.append(
            f'<text x="{num(span.start + inset)}" y="{num(y + 16)}" font-size="10">{glyph}</text>'
        )
    if step.milestone:
        marks.append(_diamond(span.end, y + ROW / 2, 7))
    if step.closes_gap:
        marks.append(_triangle(span.start, y + ROW / 2, 6))
    picture.add(link(f"#{anchor}", tooltip, *marks))


def _arrow(picture: Picture, pid: str, frm: BarExtent, y0: float, to: BarExtent, y1: float) -> None:
    x0, x1 = frm.end, to.start
    mid = max(x0 + 6, (x0 + x1) / 2) if x1 > x0 + 12 else x0 + 6
    path = (
        f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(max(x1, mid + 4))}"
        if x1 > x0 + 12
        else f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(x1)}"
    )
    picture.add(f'<path class="pb-link" d="{path}" marker-end="url(#{pid}-arrow)"/>')


@dataclass(frozen=True)
class Lane:
    """One workshop's row in a timeline across workshops."""

    title: str
    anchor: str  # the URL its label links to: a fragment, or a row on another page
    steps: list[tuple[Step, tuple[dt.date, dt.date] | None, str]]  # step, dates, its URL


TRACK = 12  # height of one track of bars inside a lane


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


def lanes_timeline(pid: str, title: str, lanes: list[Lane], caption: str) -> str:
    """Steps of many workshops, one lane a workshop: usable with hundreds of steps. Inside
    a lane, steps that overlap in time stack on tracks of their own."""
    shown = lanes[:MAX_LANES]
    dated = [d for lane in shown for _, d, _ in lane.steps if d]
    total = sum(len(lane.steps) for lane in lanes)
    x0, x1 = LABEL_WIDTH + 10, CHART_WIDTH - RIGHT
    axis = _TimeAxis(min(d[0] for d in dated), max(d[1] for d in dated), x0, x1) if dated else None
    placed: list[list[tuple[Step, str, str, float, float, int]]] = []
    heights: list[float] = []
    for lane in shown:
        bars = [
            (
                step,
                anchor,
                f"{d[0]} to {d[1]}",
                axis.x(d[0]),
                max(axis.x(d[0]) + 4, axis.x(d[1] + dt.timedelta(days=1))),
            )
            for step, d, anchor in lane.steps
            if axis is not None and d is not None
        ]
        tracks = _tracks([(b[3], b[4]) for b in bars])
        placed.append([(*bar, t) for bar, t in zip(bars, tracks, strict=True)])
        heights.append(max(ROW, (max(tracks, default=0) + 1) * TRACK + 8))
    bottom = AXIS_TOP + sum(heights)
    desc = (
        f"{total} roadmap steps of {len(lanes)} workshops, one lane a workshop, on a time "
        f"axis; steps that overlap in time are stacked; steps without dates are in the "
        f"table."
    )
    if len(lanes) > len(shown):
        desc += f" The first {len(shown)} workshops are drawn; all are in the table."
    picture = Picture(pid, CHART_WIDTH, bottom + 40, title, desc)
    if axis is not None:
        _axis(picture, axis, bottom)
    y = float(AXIS_TOP)
    for i, (lane, lane_bars, height) in enumerate(zip(shown, placed, heights, strict=True)):
        if i % 2 == 0:
            picture.add(
                f'<rect class="pb-band" x="0" y="{num(y)}" width="{CHART_WIDTH}" '
                f'height="{num(height)}"/>'
            )
        picture.add(
            link(
                lane.anchor,
                lane.title,
                picture.text(6, y + 16, fit(lane.title, LABEL_WIDTH - 10)),
            )
        )
        for step, anchor, when, start, end, track in lane_bars:
            top = y + 4 + track * TRACK
            marks = [
                f'<rect class="pb-mark pb-{step.status}" x="{num(start)}" y="{num(top)}" '
                f'width="{num(end - start)}" height="{TRACK - 3}" rx="2"/>'
            ]
            if step.milestone:
                marks.append(_diamond(end, top + (TRACK - 3) / 2, 5))
            picture.add(link(anchor, f"{step.title}: {when}, {step.status}", *marks))
        y += height
    _legend(picture, bottom + 26)
    # The table holds the lanes drawn: listing every workshop would make the page grow
    # with the playbook (the section's pages list them all).
    data = table(
        "Roadmaps by workshop"
        + (f", the first {len(shown)} of {len(lanes)}" if len(lanes) > len(shown) else ""),
        ["Workshop", "Steps", "First start", "Last end", "Milestones", "Steps without dates"],
        (_lane_row(lane) for lane in shown),
    )
    return figure(picture, caption, data)


def _lane_row(lane: Lane) -> list[str]:
    dates = [d for _, d, _ in lane.steps if d]
    return [
        f'<a href="{esc(lane.anchor)}">{esc(lane.title)}</a>',
        str(len(lane.steps)),
        esc(min(d[0] for d in dates)) if dates else "—",
        esc(max(d[1] for d in dates)) if dates else "—",
        str(sum(1 for s, _, _ in lane.steps if s.milestone)),
        str(sum(1 for _, d, _ in lane.steps if d is None)),
    ]
