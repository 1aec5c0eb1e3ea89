"""Team coverage: which of the functions the method expects are at the table."""

from __future__ import annotations

from collections import Counter

from prepbook.model import Workshop
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.render.pictures.svg import Picture, esc, figure, fit, link, num, table

TILE_W, TILE_H, GAP, TOP = 150, 56, 10, 10


def team_coverage(workshop: Workshop, member_anchor: str) -> str:
    counts = Counter(m.function for m in workshop.team)
    extra = sorted(f for f in counts if f not in EXPECTED_FUNCTIONS)
    functions = [*EXPECTED_FUNCTIONS, *extra]
    per_row = 5
    rows = (len(functions) + per_row - 1) // per_row
    width = per_row * (TILE_W + GAP) + GAP
    height = TOP + rows * (TILE_H + GAP) + 10
    missing = [f for f in EXPECTED_FUNCTIONS if not counts[f]]
    desc = f"The team of {workshop.title}: {len(workshop.team)} members. " + (
        f"Not covered: {', '.join(missing)}."
        if missing
        else "All five expected functions are covered."
    )
    picture = Picture(
        f"pb-team-{workshop.id}", width, height, f"Team coverage: {workshop.title}", desc
    )
    for i, function in enumerate(functions):
        x = GAP + (i % per_row) * (TILE_W + GAP)
        y = TOP + (i // per_row) * (TILE_H + GAP)
        n = counts[function]
        expected = function in EXPECTED_FUNCTIONS
        state = "covered" if n else "missing"
        status = f"✓ {n} member{'s' if n != 1 else ''}" if n else "✗ not covered"
        tile = (
            f'<rect class="pb-mark pb-{state}" x="{num(x)}" y="{num(y)}" width="{TILE_W}" '
            f'height="{TILE_H}" rx="6"/>'
            + picture.text(x + 10, y + 22, fit(function, TILE_W - 20), full=function)
            + picture.text(
                x + 10, y + 42, status + ("" if expected else " (extra)"), size=11, css="pb-muted"
            )
        )
        picture.add(link(f"#{member_anchor}", f"{function}: {status}", tile))
    data = table(
        "Functions at the workshop",
        ["Function", "Expected", "Members"],
        ([esc(f), "yes" if f in EXPECTED_FUNCTIONS else "no", str(counts[f])] for f in functions),
    )
    return figure(picture, f"Which functions the team of {workshop.title} covers.", data)
