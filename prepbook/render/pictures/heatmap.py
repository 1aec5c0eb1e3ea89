"""The persofail risk heatmap: likelihood x severity, inherent beside residual.

Each cell holds the number of persofails rated there and links to the list of them, so
the effect of the mitigations shows as counts moving down and to the left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from prepbook.model import Persofail
from prepbook.model.persofails import RISK_BANDS, risk_level
from prepbook.render.pictures.svg import Picture, esc, figure, link, num, table

CELL = 44
GRID = 5 * CELL
LEFT = 46
TOP = 40
GAP = 70
# Persofails named in a cell's tooltip and its row of the data table: a cell of the whole
# playbook can hold thousands, and the page must not grow with them.
MAX_NAMED = 12


def _bands() -> str:
    """The risk bands as the description words them: "low (1-5), ... or high (15-25)"."""
    bands = [f"{level} ({first}-{last})" for level, first, last in RISK_BANDS]
    return f"{', '.join(bands[:-1])} or {bands[-1]}"


def _more(members: list[tuple[Persofail, str, str]]) -> str:
    extra = len(members) - MAX_NAMED
    return f" and {extra} more" if extra > 0 else ""


def cell_anchor(pid: str, which: str, likelihood: int, severity: int) -> str:
    return f"{pid}-{which}-{likelihood}-{severity}"


def risk_heatmap(
    pid: str,
    subject: str,
    persofails: list[tuple[Persofail, str, str]],
    anchor_text: Callable[[str, str], str],
) -> str:
    """``persofails``: each with its anchor and a label; ``anchor_text`` links one in the
    data table (it receives the anchor and the label and returns escaped HTML)."""
    cells: dict[tuple[str, int, int], list[tuple[Persofail, str, str]]] = defaultdict(list)
    for item in persofails:
        p = item[0]
        for which, rating in (("inherent", p.inherent), ("residual", p.effective_residual)):
            cells[(which, rating.likelihood, rating.severity)].append(item)
    width = LEFT + 2 * GRID + GAP + 20
    height = TOP + GRID + 70
    desc = (
        f"{len(persofails)} persofails of {subject} on a five by five grid of likelihood "
        "(rows, 5 at the top) and severity (columns, 5 on the right), before mitigation "
        "on the left and after it on the right. Each cell shows how many persofails it "
        f"holds; cells are {_bands()} risk."
    )
    picture = Picture(pid, width, height, f"Persofail risk heatmap: {subject}", desc)
    for panel, which in enumerate(("inherent", "residual")):
        x0 = LEFT + panel * (GRID + GAP)
        picture.add(
            picture.text(x0 + GRID / 2, TOP - 22, f"{which.capitalize()} risk", anchor="middle")
        )
        for likelihood in range(5, 0, -1):
            y = TOP + (5 - likelihood) * CELL
            picture.add(
                picture.text(
                    x0 - 8, y + CELL / 2 + 4, str(likelihood), anchor="end", css="pb-muted"
                )
            )
            for severity in range(1, 6):
                x = x0 + (severity - 1) * CELL
                level = risk_level(likelihood * severity)
                members = cells.get((which, likelihood, severity), [])
                rect = (
                    f'<rect class="pb-{level}" x="{num(x)}" y="{num(y)}" width="{CELL}" '
                    f'height="{CELL}" stroke="var(--md-default-bg-color,#fff)"/>'
                )
                picture.add(rect)
                if not members:
                    continue
                names = "; ".join(label for _, _, label in members[:MAX_NAMED]) + _more(members)
                mark = (
                    f'<rect class="pb-mark pb-outline" x="{num(x + 3)}" y="{num(y + 3)}" '
                    f'width="{CELL - 6}" height="{CELL - 6}" rx="4" '
                    f'data-count="{len(members)}"/>'
                    + picture.text(
                        x + CELL / 2, y + CELL / 2 + 5, str(len(members)), anchor="middle", size=14
                    )
                )
                tooltip = (
                    f"{which}: likelihood {likelihood}, severity {severity}, {level} risk: {names}"
                )
                picture.add(
                    link(f"#{cell_anchor(pid, which, likelihood, severity)}", tooltip, mark)
                )
        for severity in range(1, 6):
            picture.add(
                picture.text(
                    x0 + (severity - 0.5) * CELL,
                    TOP + GRID + 16,
                    str(severity),
                    anchor="middle",
                    css="pb-muted",
                )
            )
        picture.add(
            picture.text(
                x0 + GRID / 2, TOP + GRID + 34, "severity →", anchor="middle", css="pb-muted"
            )
        )
    picture.add(
        f'<text x="14" y="{num(TOP + GRID / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {num(TOP + GRID / 2)})" class="pb-muted">'
        "likelihood →</text>"
    )
    x = LEFT
    for level in ("low", "medium", "high"):
        picture.add(
            f'<rect class="pb-{level}" x="{x}" y="{TOP + GRID + 46}" width="14" height="12"/>',
            picture.text(x + 18, TOP + GRID + 56, f"{level} risk", size=11),
        )
        x += 100
    rows = []
    for (which, likelihood, severity), members in sorted(
        cells.items(), key=lambda kv: (kv[0][0], -kv[0][1] * kv[0][2], -kv[0][1])
    ):
        anchor = cell_anchor(pid, which, likelihood, severity)
        rows.append(
            [
                f'<span id="{esc(anchor)}"></span>{esc(which)}',
                str(likelihood),
                str(severity),
                esc(risk_level(likelihood * severity)),
                str(len(members)),
                ", ".join(anchor_text(a, lbl) for _, a, lbl in members[:MAX_NAMED])
                + esc(_more(members)),
            ]
        )
    data = table(
        "Persofails by risk",
        ["Rating", "Likelihood", "Severity", "Risk", "Count", "Persofails"],
        rows,
    )
    return figure(
        picture, f"Risk of the persofails of {subject}, before and after mitigation.", data
    )
