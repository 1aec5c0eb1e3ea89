"""The persofail risk heatmap: likelihood x severity, before mitigation above after it.

A cell names the persofails rated there, each a link to its record, so the effect of the
mitigations shows as names moving down and to the left. When a cell would hold more names
than it can show (the whole playbook), it shows their number, the first names and how many
more, and links to where all of them are listed: the picture's size stays bounded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.model import Persofail
from prepbook.model.persofails import RISK_BANDS, risk_level
from prepbook.render.pictures.svg import (
    LINE,
    SMALL,
    Picture,
    esc,
    figure,
    fit,
    link,
    num,
    table,
    wrap,
)

CELL_W = 124
MIN_ROW = 34  # a row of cells with no names
LEFT = 52
TITLE = 30  # the panel's heading
NAMED = 5  # past this many persofails in any cell, every cell summarises
FIRST = 2  # names a summarised cell shows
GAP = 4  # between two names in a cell
WIDTH = LEFT + 5 * CELL_W + 12
RATINGS = ("inherent", "residual")


@dataclass(frozen=True)
class HeatItem:
    """A persofail as the heatmap shows it: a short name and the link to its record."""

    persofail: Persofail
    label: str
    href: str
    context: str = ""  # where it comes from, for the tooltip and the table: its organisation

    @property
    def full(self) -> str:
        return f"{self.label} ({self.context})" if self.context else self.label


CellHref = Callable[[str, int, int], str]  # rating, likelihood, severity -> where it is listed


def _bands() -> str:
    """The risk bands as the description words them: "low (1-5), ... or high (15-25)"."""
    bands = [f"{level} ({first}-{last})" for level, first, last in RISK_BANDS]
    return f"{', '.join(bands[:-1])} or {bands[-1]}"


def cell_anchor(pid: str, which: str, likelihood: int, severity: int) -> str:
    return f"{pid}-{which}-{likelihood}-{severity}"


Cells = dict[tuple[str, int, int], list[HeatItem]]


def _cells(items: list[HeatItem]) -> Cells:
    cells: Cells = defaultdict(list)
    for item in items:
        p = item.persofail
        for which, rating in (("inherent", p.inherent), ("residual", p.residual_now)):
            cells[(which, rating.likelihood, rating.severity)].append(item)
    return cells


def risk_heatmap(
    pid: str, subject: str, items: list[HeatItem], *, cell_href: CellHref | None = None
) -> str:
    """``items`` in the order their names should come in a cell; ``cell_href`` gives the
    place that lists every persofail of a cell (by default, the row of the picture's own
    data table)."""
    cells = _cells(items)
    named = all(len(members) <= NAMED for members in cells.values())

    def where(which: str, likelihood: int, severity: int) -> str:
        if cell_href is not None:
            return cell_href(which, likelihood, severity)
        return f"#{cell_anchor(pid, which, likelihood, severity)}"

    contents = {key: _cell_lines(members, named) for key, members in cells.items()}
    heights: dict[tuple[str, int], float] = {
        (which, likelihood): max(
            [float(MIN_ROW)]
            + [
                12 + LINE * _lines(contents[(which, likelihood, s)])
                for s in range(1, 6)
                if (which, likelihood, s) in contents
            ]
        )
        for which in RATINGS
        for likelihood in range(1, 6)
    }
    height = sum(heights.values()) + 2 * (TITLE + 44) + 30
    desc = (
        f"{len(items)} persofails of {subject} on a five by five grid of likelihood "
        "(rows, 5 at the top) and severity (columns, 5 on the right), before mitigation "
        "above and after it below. "
        + (
            "Each cell names the persofails it holds"
            if named
            else f"Each cell shows how many persofails it holds and the first {FIRST} by name"
        )
        + f"; cells are {_bands()} risk."
    )
    picture = Picture(pid, WIDTH, height, f"Persofail risk heatmap: {subject}", desc)
    y = 0.0
    for which in RATINGS:
        y = _panel(picture, which, y, heights, cells, contents, where)
    _legend(picture, y + 8)
    picture.height = y + 30
    return figure(
        picture,
        f"Risk of the persofails of {subject}, before and after mitigation.",
        _data(pid, cells, named, where),
    )


Entry = tuple[list[str], HeatItem | None]  # a name's lines and its persofail, or a note


def _cell_lines(members: list[HeatItem], named: bool) -> list[Entry]:
    """What a cell shows: every name in full, or a count, the first names and how many
    more."""
    if named:
        return [(wrap(m.label, CELL_W - 10, SMALL), m) for m in members]
    count = f"{len(members):,} persofail{'s' if len(members) > 1 else ''}"
    entries: list[Entry] = [([count], None)]
    entries += [(_two_lines(m.label), m) for m in members[:FIRST]]
    if len(members) > FIRST:
        entries.append(([f"+{len(members) - FIRST:,} more"], None))
    return entries


def _two_lines(label: str) -> list[str]:
    lines = wrap(label, CELL_W - 10, SMALL)
    if len(lines) <= 2:
        return lines
    return [lines[0], fit(" ".join(lines[1:]), CELL_W - 10, SMALL)]


def _lines(entries: list[Entry]) -> float:
    return sum(len(lines) for lines, _ in entries) + len(entries) * GAP / LINE


def _panel(
    picture: Picture,
    which: str,
    y: float,
    heights: dict[tuple[str, int], float],
    cells: Cells,
    contents: dict[tuple[str, int, int], list[Entry]],
    where: CellHref,
) -> float:
    """One grid (inherent or residual risk) from ``y`` down; returns the y below it."""
    picture.add(
        picture.text(
            LEFT + 5 * CELL_W / 2,
            y + 20,
            f"{which.capitalize()} risk",
            anchor="middle",
            css="pb-strong",
        )
    )
    top = y + TITLE
    for likelihood in range(5, 0, -1):
        row = heights[(which, likelihood)]
        picture.add(
            picture.text(
                LEFT - 24, top + row / 2 + 4, str(likelihood), anchor="end", css="pb-muted"
            )
        )
        for severity in range(1, 6):
            x = LEFT + (severity - 1) * CELL_W
            level = risk_level(likelihood * severity)
            picture.add(
                f'<rect class="pb-{level}" x="{num(x)}" y="{num(top)}" width="{CELL_W}" '
                f'height="{num(row)}" stroke="var(--md-default-bg-color,#fff)"/>'
            )
            members = cells.get((which, likelihood, severity))
            if members:
                _cell(
                    picture,
                    which,
                    likelihood,
                    severity,
                    x,
                    top,
                    row,
                    members,
                    contents[(which, likelihood, severity)],
                    where,
                )
        top += row
    for severity in range(1, 6):
        picture.add(
            picture.text(
                LEFT + (severity - 0.5) * CELL_W,
                top + 16,
                str(severity),
                anchor="middle",
                css="pb-muted",
            )
        )
    middle = y + TITLE + (top - y - TITLE) / 2
    picture.add(
        picture.text(
            LEFT + 5 * CELL_W / 2, top + 32, "severity →", anchor="middle", css="pb-muted"
        ),
        f'<text x="14" y="{num(middle)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {num(middle)})" class="pb-muted">likelihood →</text>',
    )
    return top + 44


def _cell(
    picture: Picture,
    which: str,
    likelihood: int,
    severity: int,
    x: float,
    y: float,
    height: float,
    members: list[HeatItem],
    entries: list[Entry],
    where: CellHref,
) -> None:
    level = risk_level(likelihood * severity)
    shown = "; ".join(m.full for m in members[:FIRST])
    rest = f" and {len(members) - FIRST:,} more" if len(members) > FIRST else ""
    tooltip = f"{which}: likelihood {likelihood}, severity {severity}, {level} risk: {shown}{rest}"
    mark = (
        f'<rect class="pb-mark pb-outline" x="{num(x + 3)}" y="{num(y + 3)}" '
        f'width="{CELL_W - 6}" height="{num(height - 6)}" rx="4" data-count="{len(members)}" '
        'pointer-events="all"/>'  # its inside takes a click, though unfilled
    )
    picture.add(link(where(which, likelihood, severity), tooltip, mark))
    baseline = y + 17
    for lines, item in entries:
        if item is None:
            picture.add(picture.lines(x + 7, baseline, lines, css="pb-strong", size=SMALL))
        else:
            text = picture.lines(x + 7, baseline, lines, size=SMALL)
            picture.add(link(item.href, item.full, text))
        baseline += LINE * len(lines) + GAP


def _legend(picture: Picture, y: float) -> None:
    x = LEFT
    for level in ("low", "medium", "high"):
        picture.add(
            f'<rect class="pb-{level}" x="{x}" y="{num(y)}" width="14" height="12"/>',
            picture.text(x + 18, y + 10, f"{level} risk", size=SMALL),
        )
        x += 100


def _data(pid: str, cells: Cells, named: bool, where: CellHref) -> str:
    """The cells as table rows; a summarised cell lists its first names and links to the
    rest, so the table stays as bounded as the picture."""
    rows = []
    for (which, likelihood, severity), members in sorted(
        cells.items(), key=lambda kv: (kv[0][0], -kv[0][1] * kv[0][2], -kv[0][1])
    ):
        anchor = cell_anchor(pid, which, likelihood, severity)
        listed = members if named else members[:FIRST]
        names = ", ".join(f'<a href="{esc(m.href)}">{esc(m.full)}</a>' for m in listed)
        if len(listed) < len(members):
            rest = len(members) - len(listed)
            href = esc(where(which, likelihood, severity))
            names += f', <a href="{href}">and {rest:,} more</a>'
        rows.append(
            [
                f'<span id="{esc(anchor)}"></span>{esc(which)}',
                str(likelihood),
                str(severity),
                esc(risk_level(likelihood * severity)),
                f"{len(members):,}",
                names,
            ]
        )
    return table(
        "Persofails by risk",
        ["Rating", "Likelihood", "Severity", "Risk", "Count", "Persofails"],
        rows,
    )
