"""Whether it worked, as a small chart per metric: its baseline and target as two level
lines, its readings over time as dots joined in date order, the newest labelled.

Baseline and target are drawn as lines across the whole chart, not points in time: the
format gives them no date. The baseline's line is solid and the target's dashed, and each
is labelled in words, so neither is told apart by colour alone; each reading is a dot
with its value and date in a tooltip, and the data table beside the chart holds every
number. The words of :func:`progress_words` say the same in one sentence.
"""

from __future__ import annotations

import datetime as dt

from prepbook.model import Metric
from prepbook.outcomes import Progress, progress_of
from prepbook.render.pictures.svg import SMALL, Picture, esc, figure, fit, num, table

WIDTH = 340  # one layout, which a phone's column holds unscaled
HEIGHT = 150
LEFT = 12  # the plot's left edge
RIGHT = 124  # room on the right for the lines' labels
TOP = 16
BOTTOM = 30  # room below for the first and last dates
DOT = 4


def number(value: float | int) -> str:
    """A value as written: ``31``, ``1.2``, never ``31.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def measured(value: float | int, metric: Metric) -> str:
    """A value with the metric's unit: "31 %", "1.2 complaints per 100,000 customers"."""
    return f"{number(value)} {metric.unit}" if metric.unit else number(value)


def progress_words(found: Progress) -> str:
    """The metric's progress in one sentence: "Retention: 31 % → 34 % of a target of 38 %,
    43 % of the way, read 2026-11-30"."""
    metric, latest = found.metric, found.latest
    if latest is None:
        return f"{metric.title}: no reading yet"
    start = measured(metric.baseline, metric) if metric.baseline is not None else "no baseline"
    words = f"{metric.title}: {start} \u2192 {measured(latest.value, metric)}"
    if metric.target is not None:
        words += f" of a target of {measured(metric.target, metric)}"
    if found.fraction is not None:
        share = round(100 * found.fraction)
        words += f", {share} % of the way" + (" (target met)" if found.met else "")
    elif metric.target is not None and metric.target == metric.baseline:
        words += " (a level to hold, so no share of the way)"
    return f"{words}, read {latest.date}"


def progress_chart(picture_id: str, found: Progress) -> str:
    """The chart of one metric's readings against its baseline and target, with its data
    as a table. ``picture_id`` is unique on the page (a metric can measure two priorities
    of one page)."""
    metric = found.metric
    # the file's readings and the exports' (stable: file order on a day)
    readings = sorted(found.readings, key=lambda r: r.date)
    values = [float(r.value) for r in readings]
    levels = [float(v) for v in (metric.baseline, metric.target) if v is not None]
    low, high = min(values + levels), max(values + levels)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.12
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    first, last = readings[0].date, readings[-1].date
    span = (last - first).days

    def x(day: dt.date) -> float:
        if span == 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / span

    words = progress_words(found)
    picture = Picture(picture_id, WIDTH, HEIGHT, f"Progress of {metric.title}", f"{words}.")
    picture.add(
        f'<rect class="pb-frame" x="{LEFT}" y="{TOP}" width="{num(plot_w)}" '
        f'height="{num(plot_h)}" fill="none"/>'
    )
    levels_drawn: list[tuple[float | int | None, str, str]] = [
        (metric.baseline, "baseline", "pb-baseline"),
        (metric.target, "target", "pb-target"),
    ]
    if metric.baseline is not None and metric.baseline == metric.target:
        levels_drawn = [(metric.target, "level to hold", "pb-target")]  # one line, one label
    for level, name, css in levels_drawn:
        if level is None:
            continue
        at = y(float(level))
        label = fit(f"{name} {measured(level, metric)}", RIGHT - 10, SMALL)
        picture.add(
            f'<line class="{css}" x1="{LEFT}" y1="{num(at)}" x2="{num(LEFT + plot_w)}" '
            f'y2="{num(at)}"/>',
            picture.text(LEFT + plot_w + 6, at + 4, label, size=SMALL),
        )
    points = " ".join(f"{num(x(r.date))},{num(y(float(r.value)))}" for r in readings)
    if len(readings) > 1:
        picture.add(f'<polyline class="pb-readings" fill="none" points="{points}"/>')
    for reading in readings:
        tooltip = f"{measured(reading.value, metric)} on {reading.date}"
        picture.add(
            f'<circle class="pb-reading" cx="{num(x(reading.date))}" '
            f'cy="{num(y(float(reading.value)))}" r="{DOT}"><title>{esc(tooltip)}</title>'
            "</circle>"
        )
    newest = readings[-1]
    picture.add(
        picture.text(
            x(newest.date),
            y(float(newest.value)) - 8,
            number(newest.value),
            anchor="end" if span else "middle",
            css="pb-strong",
            size=SMALL,
        ),
        picture.text(LEFT, HEIGHT - 10, str(first), size=SMALL),
    )
    if span:
        picture.add(picture.text(LEFT + plot_w, HEIGHT - 10, str(last), anchor="end", size=SMALL))
    rows: list[list[str]] = []
    if metric.baseline is not None:
        rows.append(["baseline", "", esc(measured(metric.baseline, metric)), "", ""])
    for reading in readings:
        share = _share(metric, float(reading.value))
        rows.append(
            [
                "reading",
                esc(reading.date),
                esc(measured(reading.value, metric)),
                share,
                esc(reading.source or ""),
            ]
        )
    if metric.target is not None:
        rows.append(["target", "", esc(measured(metric.target, metric)), "100 %", ""])
    data = table(
        f"Readings of {metric.title} against its baseline and target",
        ("What", "Date", "Value", "Share of the way", "Source"),
        rows,
    )
    return figure(picture, words, data)


def _share(metric: Metric, value: float) -> str:
    share = progress_of(value, metric.baseline, metric.target)
    return "" if share is None else f"{round(100 * share)} %"
