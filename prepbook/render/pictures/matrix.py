"""The priority matrix: value against effort, from each priority's RICE or ICE inputs.

RICE and ICE measure on different scales. ICE has fixed ones: value is impact x
confidence out of 100, effort is 11 - ease out of 10. RICE value (reach x impact x
confidence) has no upper bound, so it is drawn relative to the largest RICE value in the
workshop; RICE effort is person-months, out of a year (or the largest effort, if more).
"""

from __future__ import annotations

from collections.abc import Callable

from prepbook.model import IceScore, Priority, RiceScore
from prepbook.render.pictures.svg import Picture, esc, figure, fit, link, num, table

WIDTH = 640
HEIGHT = 420
LEFT, RIGHT, TOP, BOTTOM = 60, 30, 30, 70


def value_and_effort(score: RiceScore | IceScore) -> tuple[float, float]:
    if isinstance(score, RiceScore):
        return score.reach * score.impact * score.confidence / 100, float(score.effort)
    return float(score.impact * score.confidence), float(11 - score.ease)


def priority_matrix(
    pid: str, subject: str, priorities: list[Priority], anchor: Callable[[Priority], str]
) -> str:
    scored = [p for p in priorities if p.score is not None]
    peaks: dict[str, tuple[float, float]] = {"ice": (100.0, 10.0), "rice": (0.0, 12.0)}
    for p in scored:
        assert p.score is not None
        if p.score.method == "rice":
            value, effort = value_and_effort(p.score)
            top = peaks["rice"]
            peaks["rice"] = (max(top[0], value), max(top[1], effort))
    desc = (
        f"{len(scored)} scored priorities of {subject}: relative value (up) against "
        "relative effort (right). Filled circles or squares are committed, hollow ones "
        "candidates, dashed ones parked; circles use RICE, squares ICE."
    )
    unscored = [p.title for p in priorities if p.score is None]
    if unscored:
        desc += f" Not scored: {'; '.join(unscored)}."
    picture = Picture(pid, WIDTH, HEIGHT, f"Priority matrix: {subject}", desc)
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, TOP
    midx, midy = (x0 + x1) / 2, (y0 + y1) / 2
    picture.add(
        f'<line class="pb-grid" x1="{num(midx)}" y1="{y1}" x2="{num(midx)}" y2="{y0}"/>',
        f'<line class="pb-grid" x1="{x0}" y1="{num(midy)}" x2="{x1}" y2="{num(midy)}"/>',
        f'<line class="pb-axis" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}"/>',
        f'<line class="pb-axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>',
        picture.text((x0 + x1) / 2, y0 + 34, "effort →", anchor="middle", css="pb-muted"),
        f'<text x="18" y="{num(midy)}" text-anchor="middle" class="pb-muted" '
        f'transform="rotate(-90 18 {num(midy)})">value →</text>',
        picture.text(x0, y1 - 8, "quick wins", css="pb-muted", size=11),
        picture.text(x1, y1 - 8, "big bets", anchor="end", css="pb-muted", size=11),
        picture.text(x0 + 4, y0 + 16, "fill-ins", css="pb-muted", size=11),
        picture.text(x1, y0 + 16, "money pits", anchor="end", css="pb-muted", size=11),
    )
    rows = []
    placed: list[tuple[float, float, float]] = []  # label boxes: left, right, baseline
    for p in sorted(scored, key=lambda p: p.id):
        assert p.score is not None
        value, effort = value_and_effort(p.score)
        peak_value, peak_effort = peaks[p.score.method]
        rv = value / peak_value if peak_value else 0.0
        re = effort / peak_effort if peak_effort else 0.0
        x = x0 + 14 + re * (x1 - x0 - 28)
        y = y0 - 14 - rv * (y0 - y1 - 28)
        shape = (
            f'<circle class="pb-mark pb-{p.status}" cx="{num(x)}" cy="{num(y)}" r="7"/>'
            if p.score.method == "rice"
            else f'<rect class="pb-mark pb-{p.status}" x="{num(x - 7)}" y="{num(y - 7)}" '
            f'width="14" height="14"/>'
        )
        right = x < (x0 + x1) / 2
        text = fit(p.title, 190)
        width = len(text) * 6.8
        left_edge = x + 11 if right else x - 11 - width
        baseline = y + 4
        # move a label down until it clears the labels already placed
        while any(
            abs(baseline - b) < 13 and left_edge < r and left_edge + width > lft
            for lft, r, b in placed
        ):
            baseline += 13
        placed.append((left_edge, left_edge + width, baseline))
        label = picture.text(
            x + 11 if right else x - 11,
            baseline,
            text,
            anchor="start" if right else "end",
            full=p.title,
            size=11,
        )
        tip = (
            f"{p.title} ({p.status}): {p.score.method.upper()} {p.score.value:g}, "
            f"value {value:g}, effort {effort:g}"
        )
        picture.add(link(f"#{anchor(p)}", tip, shape, label))
        rows.append(
            [
                f'<a href="#{esc(anchor(p))}">{esc(p.title)}</a>',
                esc(p.status),
                esc(p.score.method.upper()),
                f"{p.score.value:g}",
                f"{value:g}",
                f"{effort:g}",
            ]
        )
    legend_y = HEIGHT - 14
    picture.add(
        f'<circle class="pb-committed" cx="{x0 + 6}" cy="{legend_y - 4}" r="6"/>',
        picture.text(x0 + 16, legend_y, "committed", size=11),
        f'<circle class="pb-candidate" cx="{x0 + 106}" cy="{legend_y - 4}" r="6"/>',
        picture.text(x0 + 116, legend_y, "candidate", size=11),
        f'<circle class="pb-parked" cx="{x0 + 206}" cy="{legend_y - 4}" r="6"/>',
        picture.text(x0 + 216, legend_y, "parked", size=11),
        picture.text(x0 + 300, legend_y, "● RICE   ■ ICE", size=11),
    )
    data = table(
        "Scored priorities", ["Priority", "Status", "Method", "Score", "Value", "Effort"], rows
    )
    return figure(picture, f"Value against effort of the priorities of {subject}.", data)
