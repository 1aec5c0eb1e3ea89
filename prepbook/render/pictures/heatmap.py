"""The persofail risk heatmap: likelihood x severity, before mitigation above after it.

Every row and column has one fixed size, whatever its cells hold, so the inherent and the
residual grids are the same in size and place and the effect of the mitigations shows as
names moving down and to the left. A cell names up to three persofails, each a link to its
record (shortened to the lines the cell has, the whole name in its tooltip and in the
table); one that holds more says how many, names the first and links "+N more" to where
all of them are listed, so the picture's size is fixed however large the playbook. On a phone the
whole grid fits the width, each cell showing how many persofails it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.model import Persofail
from prepbook.model.persofails import RISK_BANDS, risk_level
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
    wrap,
)

LEFT = 52
TITLE = 30  # the panel's heading
NAMED = 5  # past this many persofails in any cell, the data table summarises every cell
SHOWN = 3  # names a cell of the wide layout shows; past them, FIRST names and how many more
FIRST = 2
RATINGS = ("inherent", "residual")


@dataclass(frozen=True)
class Grid:
    """The geometry of both panels of one layout: every row and column the same size,
    whatever the cells hold, so the inherent and the residual grids look alike."""

    left: float  # the x of the first column
    cell_w: float
    row_h: float
    names: bool  # whether a cell names its persofails (wide) or shows only their number

    @property
    def width(self) -> float:
        return self.left + 5 * self.cell_w + 12

    @property
    def panel(self) -> float:
        """The height of one panel: its heading, five rows and its axis labels."""
        return TITLE + 5 * self.row_h + 44


WIDE = Grid(LEFT, 124, 3 * LINE + 16, names=True)
NARROW_GRID = Grid(40, (NARROW - 40 - 12) / 5, 40, names=False)


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
    data table). Drawn twice: wide, each cell naming up to three persofails, and narrow,
    the whole grid within a phone's width, each cell showing its number."""
    cells = _cells(items)
    named = all(len(members) <= NAMED for members in cells.values())

    def where(which: str, likelihood: int, severity: int) -> str:
        if cell_href is not None:
            return cell_href(which, likelihood, severity)
        return f"#{cell_anchor(pid, which, likelihood, severity)}"

    desc = (
        f"{len(items)} persofails of {subject} on a five by five grid of likelihood "
        "(rows, 5 at the top) and severity (columns, 5 on the right), before mitigation "
        f"above and after it below; cells are {_bands()} risk."
    )
    title = f"Persofail risk heatmap: {subject}"
    wide = _draw(Picture(pid, 0, 0, title, desc + _holds(WIDE)), WIDE, cells, where)
    narrow = _draw(
        Picture(f"{pid}-narrow", 0, 0, title, desc + _holds(NARROW_GRID)), NARROW_GRID, cells, where
    )
    return figure(
        wide,
        f"Risk of the persofails of {subject}, before and after mitigation.",
        _data(pid, cells, named, where),
        narrow=narrow,
    )


def _holds(grid: Grid) -> str:
    if grid.names:
        return (
            f" Each cell names up to {SHOWN} persofails; one that holds more shows how many, "
            "names the first and says how many more. The table lists them."
        )
    return " Each cell shows how many persofails it holds; the table names them."


def _draw(picture: Picture, grid: Grid, cells: Cells, where: CellHref) -> Picture:
    picture.width = grid.width
    y = 0.0
    for which in RATINGS:
        _panel(picture, grid, which, y, cells, where)
        y += grid.panel
    _legend(picture, y + 8)
    picture.height = y + 30
    return picture


def _panel(
    picture: Picture, grid: Grid, which: str, y: float, cells: Cells, where: CellHref
) -> None:
    """One grid (inherent or residual risk) from ``y`` down, of the grid's fixed size."""
    left, cell_w, row = grid.left, grid.cell_w, grid.row_h
    picture.add(
        picture.text(
            left + 5 * cell_w / 2,
            y + 20,
            f"{which.capitalize()} risk",
            anchor="middle",
            css="pb-strong",
        )
    )
    top = y + TITLE
    for likelihood in range(5, 0, -1):
        picture.add(
            picture.text(
                left - 10, top + row / 2 + 4, str(likelihood), anchor="end", css="pb-muted"
            )
        )
        for severity in range(1, 6):
            x = left + (severity - 1) * cell_w
            level = risk_level(likelihood * severity)
            picture.add(
                f'<rect class="pb-{level}" x="{num(x)}" y="{num(top)}" width="{num(cell_w)}" '
                f'height="{num(row)}" stroke="var(--md-default-bg-color,#fff)"/>'
            )
            members = cells.get((which, likelihood, severity))
            if members:
                _cell(picture, grid, (which, likelihood, severity), x, top, members, where)
        top += row
    for severity in range(1, 6):
        picture.add(
            picture.text(
                left + (severity - 0.5) * cell_w,
                top + 16,
                str(severity),
                anchor="middle",
                css="pb-muted",
            )
        )
    middle = y + TITLE + 5 * row / 2
    picture.add(
        picture.text(
            left + 5 * cell_w / 2, top + 32, "severity →", anchor="middle", css="pb-muted"
        ),
        f'<text x="14" y="{num(middle)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {num(middle)})" class="pb-muted">likelihood →</text>',
    )


def _cell(
    picture: Picture,
    grid: Grid,
    key: tuple[str, int, int],
    x: float,
    y: float,
    members: list[HeatItem],
    where: CellHref,
) -> None:
    which, likelihood, severity = key
    level = risk_level(likelihood * severity)
    shown = "; ".join(m.full for m in members[:SHOWN])
    rest = f" and {len(members) - SHOWN:,} more" if len(members) > SHOWN else ""
    tooltip = f"{which}: likelihood {likelihood}, severity {severity}, {level} risk: {shown}{rest}"
    mark = (
        f'<rect class="pb-mark pb-outline" x="{num(x + 3)}" y="{num(y + 3)}" '
        f'width="{num(grid.cell_w - 6)}" height="{num(grid.row_h - 6)}" rx="4" '
        f'data-count="{len(members)}" pointer-events="all"/>'  # its inside takes a click
    )
    if not grid.names:
        count = picture.text(
            x + grid.cell_w / 2,
            y + grid.row_h / 2 + 5,
            f"{len(members):,}",
            anchor="middle",
            css="pb-strong",
            size=14,
        )
        picture.add(link(where(which, likelihood, severity), tooltip, mark, count))
        return
    picture.add(link(where(which, likelihood, severity), tooltip, mark))
    room = grid.cell_w - 14
    listed = members if len(members) <= SHOWN else members[:1]
    baseline = y + 19
    if len(listed) < len(members):
        count = f"{len(members):,} persofails"
        picture.add(picture.text(x + 7, baseline, count, css="pb-strong", size=SMALL))
        baseline += LINE
    each = max(1, SHOWN // len(members)) if len(members) <= SHOWN else 1  # lines a name
    for item in listed:
        lines = wrap(item.label, room, SMALL)
        if len(lines) > each:
            lines = [*lines[: each - 1], fit(" ".join(lines[each - 1 :]), room, SMALL)]
        picture.add(link(item.href, item.full, picture.lines(x + 7, baseline, lines, size=SMALL)))
        baseline += LINE * len(lines)
    if len(listed) < len(members):
        more = f"+{len(members) - len(listed):,} more"
        picture.add(
            link(
                where(which, likelihood, severity),
                tooltip,
                picture.text(x + 7, baseline, more, css="pb-strong", size=SMALL),
            )
        )


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
