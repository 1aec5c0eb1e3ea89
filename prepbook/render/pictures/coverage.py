"""Team coverage: which of the functions the method expects are at the table, and who.

A tile a function, naming the people who cover it (each a link to their record); a
function nobody covers is a dashed tile marked "not covered", so a gap is seen by shape
and text as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable

from prepbook.model import TeamMember, Workshop
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.render.pictures.svg import LINE, SMALL, Picture, esc, figure, link, num, table, wrap

TILE_W, GAP, TOP = 158, 8, 8
PER_ROW = 4  # tiles a row of the wide layout; the narrow one, for phones, has two


def _width(per_row: int) -> int:
    return per_row * (TILE_W + GAP) + GAP


NOT_COVERED = "not covered"
# What a function not covered says when its rule is silenced: still not covered, and the
# score does not count it
SILENCED = " (rule silenced)"


def team_coverage(
    workshop: Workshop, href: Callable[[TeamMember], str], *, silenced: bool = False
) -> str:
    """``href`` gives the link of a member's record; ``silenced``: the rule that wants
    every expected function covered is silenced, which a function not covered says, so
    that the picture never reads as covered what only the score lets pass."""
    missing = NOT_COVERED + (SILENCED if silenced else "")
    members: dict[str, list[TeamMember]] = {}
    for m in workshop.team:
        members.setdefault(m.function, []).append(m)
    extra = sorted(f for f in members if f not in EXPECTED_FUNCTIONS)
    functions = [*EXPECTED_FUNCTIONS, *extra]
    absent = [f for f in EXPECTED_FUNCTIONS if f not in members]
    desc = f"The team of {workshop.title}: {len(workshop.team)} members. " + (
        f"Not covered: {', '.join(absent)}{SILENCED if silenced else ''}."
        if absent
        else "All five expected functions are covered."
    )
    title = f"Team coverage: {workshop.title}"
    pictures = [
        _tiles(Picture(pid, 0, 0, title, desc), per_row, functions, members, missing, href)
        for pid, per_row in (
            (f"pb-team-{workshop.id}", PER_ROW),
            (f"pb-team-{workshop.id}-narrow", 2),
        )
    ]
    data = table(
        "Functions at the workshop",
        ["Function", "Expected", "Members"],
        (
            [
                esc(f),
                "yes" if f in EXPECTED_FUNCTIONS else "no",
                ", ".join(f'<a href="{esc(href(m))}">{esc(m.name)}</a>' for m in members.get(f, []))
                or missing,
            ]
            for f in functions
        ),
    )
    return figure(
        pictures[0],
        f"Which functions the team of {workshop.title} covers, and who.",
        data,
        narrow=pictures[1],
    )


def _tiles(
    picture: Picture,
    per_row: int,
    functions: list[str],
    members: dict[str, list[TeamMember]],
    missing: str,
    href: Callable[[TeamMember], str],
) -> Picture:
    """The tiles, ``per_row`` a row, each row as tall as its tallest tile."""
    lines = {f: _tile_lines(f, members.get(f, []), missing) for f in functions}
    heights = [
        max(_tile_height(lines[f]) for f in functions[i : i + per_row])
        for i in range(0, len(functions), per_row)
    ]
    picture.width = _width(per_row)
    picture.height = TOP + sum(h + GAP for h in heights) + 2
    y = float(TOP)
    for row, row_height in enumerate(heights):
        for column, function in enumerate(functions[row * per_row : (row + 1) * per_row]):
            x = GAP + column * (TILE_W + GAP)
            people = members.get(function, [])
            _tile(picture, function, people, lines[function], x, y, row_height, href)
        y += row_height + GAP
    return picture


def _tile_lines(function: str, people: list[TeamMember], missing: str) -> list[list[str]]:
    """The tile's text: the function, then each person's name, each wrapped to the tile."""
    heading = wrap(function + ("" if function in EXPECTED_FUNCTIONS else " (extra)"), TILE_W - 20)
    names = [wrap(m.name, TILE_W - 20, SMALL) for m in people] or [
        wrap(f"\u2717 {missing}", TILE_W - 20, SMALL)
    ]
    return [heading, *names]


def _tile_height(lines: list[list[str]]) -> float:
    return 22 + LINE * sum(len(block) for block in lines)


def _tile(
    picture: Picture,
    function: str,
    people: list[TeamMember],
    lines: list[list[str]],
    x: float,
    y: float,
    height: float,
    href: Callable[[TeamMember], str],
) -> None:
    state = "covered" if people else "missing"
    who = ", ".join(m.name for m in people) or "not covered"
    picture.add(
        f'<rect class="pb-mark pb-{state}" x="{num(x)}" y="{num(y)}" width="{TILE_W}" '
        f'height="{num(height)}" rx="6"><title>{esc(function)}: {esc(who)}</title></rect>',
        picture.lines(x + 10, y + 20, lines[0], css="pb-strong"),
    )
    baseline = y + 20 + LINE * len(lines[0])
    if not people:
        picture.add(picture.lines(x + 10, baseline, lines[1], size=SMALL))
        return
    for person, block in zip(people, lines[1:], strict=True):
        role = f", {person.role}" if person.role else ""
        picture.add(
            link(
                href(person),
                f"{person.name}{role}",
                picture.lines(x + 10, baseline, block, size=SMALL),
            )
        )
        baseline += LINE * len(block)
