"""The priority matrix: benefit against effort, one panel per scoring method.

RICE and ICE measure on different scales, so they never share an axis: each method present
gets a panel of its own, with axes that say what benefit and effort are for it, in its
units. RICE benefit is reach (people or events a quarter) x impact x confidence, effort is
person-months; ICE benefit is impact x confidence (1 to 100), effort is 11 - ease (1, a
trivial change, to 10, a hard one). Priorities without a score are listed under the panels.

The axis is called benefit, never value: the computed result is the score everywhere a
reader sees it, and the inputs keep their own names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.model import IceScore, Priority, RiceScore
from prepbook.render.markdown import TIMES, number
from prepbook.render.pictures.svg import (
    LINE,
    NARROW,
    SMALL,
    Picture,
    esc,
    figure,
    link,
    num,
    table,
    text_width,
    wrap,
)

PANEL = 380  # the height of one panel, its heading and axis titles included
RIGHT, TOP, BOTTOM = 24, 40, 64
RADIUS = 7  # a point's


@dataclass(frozen=True)
class Layout:
    """The size of one layout of the matrix: its width, where its plot starts, and the
    width its points' labels wrap at."""

    width: float
    left: float
    label: float


WIDE = Layout(680, 76, 190)
NARROW_LAYOUT = Layout(NARROW, 60, 120)
STATUSES = ("committed", "candidate", "parked")
EN_DASH, MINUS = "\u2013", "\u2212"


@dataclass(frozen=True)
class Method:
    """How a scoring method is drawn: what its axes mean and their least extent."""

    name: str
    benefit: str
    effort: str
    least: tuple[float, float]  # the smallest benefit and effort extent an axis takes


METHODS = {
    "rice": Method(
        "RICE",
        f"benefit: reach a quarter {TIMES} impact {TIMES} confidence",
        "effort: person-months",
        (1.0, 6.0),
    ),
    "ice": Method(
        "ICE",
        f"benefit: impact {TIMES} confidence (1{EN_DASH}100)",
        f"effort: 11 {MINUS} ease (1 trivial, 10 hard)",
        (100.0, 10.0),
    ),
}


def benefit_and_effort(score: RiceScore | IceScore) -> tuple[float, float]:
    if isinstance(score, RiceScore):
        return score.reach * score.impact * score.confidence / 100, float(score.effort)
    return float(score.impact * score.confidence), float(11 - score.ease)


def _nice(peak: float) -> float:
    """The axis's end: 1, 2, 2.5 or 5 times a power of ten, at least ``peak``."""
    if peak <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(peak))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= peak)


def _tick(value: float) -> str:
    """A tick's number, short: 2.5, 40, 500k, 1.2M; up to the largest benefit a score can
    have (a reach of 10^15 people x 3 x 100% / 0.1 person-months is 3 x 10^16: 30P)."""
    for size, unit in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def priority_matrix(
    pid: str, subject: str, priorities: list[Priority], href: Callable[[Priority], str]
) -> str:
    """``href`` gives the link of a priority's record. Drawn twice: wide, and narrow for a
    phone, where labels wrap at a shorter width."""
    scored = sorted((p for p in priorities if p.score is not None), key=lambda p: p.id)
    methods = [m for m in METHODS if any(p.score and p.score.method == m for p in scored)]
    unscored = [p for p in priorities if p.score is None]
    desc = (
        f"{len(scored)} scored priorities of {subject}: benefit (up) against effort (right), "
        f"one panel per scoring method ({', '.join(METHODS[m].name for m in methods)}), as "
        "the methods' scales cannot be compared. Filled circles are committed, hollow ones "
        "candidates, dashed ones parked."
    )
    if unscored:
        desc += f" Not scored: {'; '.join(p.title for p in unscored)}."
    title = f"Priority matrix: {subject}"
    drawn: list[Picture] = []
    rows: list[list[str]] = []
    for picture_id, layout in ((pid, WIDE), (f"{pid}-narrow", NARROW_LAYOUT)):
        picture = Picture(picture_id, layout.width, 0, title, desc)
        rows = []
        for i, method in enumerate(methods):
            members = [p for p in scored if p.score is not None and p.score.method == method]
            rows += _panel(picture, layout, METHODS[method], i * PANEL, members, href)
        _unscored(picture, PANEL * len(methods), unscored, href, {p.status for p in scored})
        drawn.append(picture)
    data = table(
        "Scored priorities",
        ["Priority", "Status", "Method", "Score", "Benefit", "Effort"],
        rows
        + [
            [
                f'<a href="{esc(href(p))}">{esc(p.title)}</a>',
                esc(p.status),
                "not scored",
                "—",
                "—",
                "—",
            ]
            for p in unscored
        ],
    )
    return figure(
        drawn[0], f"Benefit against effort of the priorities of {subject}.", data, narrow=drawn[1]
    )


def _unscored(
    picture: Picture,
    y: float,
    unscored: list[Priority],
    href: Callable[[Priority], str],
    present: set[str],
) -> None:
    """The priorities without a score, named under the panels, then the legend."""
    if unscored:
        picture.add(
            picture.text(10, y + 16, "Not scored, so not drawn:", css="pb-strong", size=SMALL)
        )
        y += 16 + LINE
        for p in unscored:
            lines = wrap(p.title, picture.width - 40, SMALL)
            text = picture.lines(24, y, lines, size=SMALL)
            picture.add(link(href(p), f"{p.title} ({p.status}): no score", text))
            y += LINE * len(lines)
        y += 8
    _legend(picture, y + 10, present)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def place_label(
    x: float, y: float, width: float, height: float, bounds: Box, taken: list[Box]
) -> Box:
    """Where a point's label goes: the first of a fixed list of places beside the point
    (right, left, above, below, then a few lines up or down on either side) that stays inside
    ``bounds`` and clears every box in ``taken`` (the labels placed before, every point);
    when none does, the place inside the bounds that overlaps them least. The same data
    gives the same places, and a label stays within a few lines of its point."""
    gap = RADIUS + 4
    right, left = x + gap, x - gap - width
    middle = y - height / 2 if height > LINE else y - 7
    places = [
        (right, middle),
        (left, middle),
        (x - width / 2, y - gap - height),
        (x - width / 2, y + gap),
        (right, middle - LINE),
        (right, middle + LINE),
        (left, middle - LINE),
        (left, middle + LINE),
        (right, y + gap),
        (left, y + gap),
        (right, y - gap - height),
        (left, y - gap - height),
        *((side, middle + k * LINE) for k in (-2, 2, -3, 3) for side in (right, left)),
        # far, for a crowded plot: joined to the point by a leader line (see _panel)
        *((side, middle + k * LINE) for k in range(4, 16) for side in (right, left)),
        *((side, middle - k * LINE) for k in range(4, 16) for side in (right, left)),
    ]
    boxes = [(lx, ty, lx + width, ty + height) for lx, ty in places]
    inside = [
        b
        for b in boxes
        if b[0] >= bounds[0] and b[1] >= bounds[1] and b[2] <= bounds[2] and b[3] <= bounds[3]
    ]
    for box in inside:
        if not any(_overlap(box, other) for other in taken):
            return box
    candidates = inside or [
        (
            min(max(b[0], bounds[0]), bounds[2] - width),
            min(max(b[1], bounds[1]), bounds[3] - height),
            0.0,
            0.0,
        )
        for b in boxes[:2]
    ]
    best = min(
        candidates,
        key=lambda b: sum(_overlap((b[0], b[1], b[0] + width, b[1] + height), o) for o in taken),
    )
    return best[0], best[1], best[0] + width, best[1] + height


def _panel(
    picture: Picture,
    layout: Layout,
    method: Method,
    top: float,
    members: list[Priority],
    href: Callable[[Priority], str],
) -> list[list[str]]:
    """One method's matrix from ``top`` down; returns the data table's rows for it."""
    points = [(p, *benefit_and_effort(p.score)) for p in members if p.score is not None]
    peak_benefit = _nice(max([method.least[0]] + [v for _, v, _ in points]))
    peak_effort = _nice(max([method.least[1]] + [e for _, _, e in points]))
    x0, x1, y0, y1 = layout.left, layout.width - RIGHT, top + PANEL - BOTTOM, top + TOP
    midx, midy = (x0 + x1) / 2, (y0 + y1) / 2

    def px(fraction: float) -> float:  # inset, so points clear the axes and corner names
        return x0 + 16 + fraction * (x1 - x0 - 32)

    def py(fraction: float) -> float:
        return y0 - 22 - fraction * (y0 - y1 - 44)

    picture.add(
        picture.text(10, top + 18, f"{method.name} scores", css="pb-strong"),
        f'<line class="pb-grid" x1="{num(midx)}" y1="{num(y1)}" x2="{num(midx)}" y2="{num(y0)}"/>',
        f'<line class="pb-grid" x1="{x0}" y1="{num(midy)}" x2="{x1}" y2="{num(midy)}"/>',
        f'<line class="pb-axis" x1="{x0}" y1="{num(y0)}" x2="{x1}" y2="{num(y0)}"/>',
        f'<line class="pb-axis" x1="{x0}" y1="{num(y0)}" x2="{x0}" y2="{num(y1)}"/>',
        picture.text(x0 + 4, y1 + 14, "quick wins", css="pb-muted", size=SMALL),
        picture.text(x1 - 4, y1 + 14, "big bets", anchor="end", css="pb-muted", size=SMALL),
        picture.text(x0 + 4, y0 - 6, "fill-ins", css="pb-muted", size=SMALL),
        picture.text(x1 - 4, y0 - 6, "money pits", anchor="end", css="pb-muted", size=SMALL),
        picture.lines(
            midx,
            y0 + 36,
            wrap(f"{method.effort} →", x1 - x0, SMALL),
            anchor="middle",
            css="pb-muted",
            size=SMALL,
        ),
        f'<text x="14" y="{num(midy)}" text-anchor="middle" class="pb-muted" font-size="{SMALL}" '
        f'transform="rotate(-90 14 {num(midy)})">{esc(method.benefit)} →</text>',
    )
    for frac in (0.0, 0.5, 1.0):
        x, y = px(frac), py(frac)
        picture.add(
            picture.text(
                x, y0 + 16, _tick(frac * peak_effort), anchor="middle", css="pb-muted", size=SMALL
            ),
            picture.text(
                x0 - 6, y + 4, _tick(frac * peak_benefit), anchor="end", css="pb-muted", size=SMALL
            ),
        )
    at = [(px(e / peak_effort), py(v / peak_benefit)) for _, v, e in points]
    # the corner names and every point are kept clear, as are the labels placed before
    taken: list[Box] = [(x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS) for x, y in at] + [
        (x0, y1, x0 + 80, y1 + 18),
        (x1 - 80, y1, x1, y1 + 18),
        (x0, y0 - 18, x0 + 70, y0),
        (x1 - 80, y0 - 18, x1, y0),
    ]
    bounds = (x0 + 2, y1, x1 + RIGHT - 4, y0 - 2)
    rows = []
    for (p, benefit, effort), (x, y) in zip(points, at, strict=True):
        assert p.score is not None
        lines = wrap(p.title, layout.label, SMALL)
        width = max(text_width(line, SMALL) for line in lines)
        box = place_label(x, y, width, LINE * len(lines), bounds, taken)
        taken.append(box)
        shape = f'<circle class="pb-mark pb-{p.status}" cx="{num(x)}" cy="{num(y)}" r="{RADIUS}"/>'
        label = picture.lines(box[0], box[1] + 11, lines, size=SMALL)
        nearest_y = min(max(y, box[1]), box[3])
        if abs(nearest_y - y) > 2 * LINE:  # placed far in a crowded plot: a leader joins them
            edge = box[0] if box[0] > x else box[2]
            label += (
                f'<line class="pb-grid pb-leader" x1="{num(x)}" y1="{num(y)}" '
                f'x2="{num(edge)}" y2="{num(nearest_y)}"/>'
            )
        tip = (
            f"{p.title} ({p.status}): {method.name} score {number(p.score.value)}, "
            f"benefit {number(benefit)}, effort {number(effort)}"
        )
        picture.add(link(href(p), tip, shape, label))
        rows.append(
            [
                f'<a href="{esc(href(p))}">{esc(p.title)}</a>',
                esc(p.status),
                method.name,
                number(p.score.value),
                number(benefit),
                number(effort),
            ]
        )
    return rows


def _legend(picture: Picture, y: float, present: set[str]) -> None:
    x = 10.0
    for status in STATUSES:
        if status in present:
            picture.add(
                f'<circle class="pb-{status}" cx="{num(x + 6)}" cy="{num(y - 4)}" r="6"/>',
                picture.text(x + 16, y, status, size=SMALL),
            )
            x += 100
    picture.height = y + 12
