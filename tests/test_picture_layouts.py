"""Pictures that read on a phone as on a wide screen: each drawn in a wide and a narrow
layout, every bar and point labelled with its record's title (never an id), both risk grids
of one geometry whatever they hold, and wrapped labels inside their picture."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from prepbook.load.playbook import load_files
from prepbook.model import Priority
from prepbook.render import pictures
from prepbook.render.figures import Figures
from prepbook.render.pictures.matrix import place_label
from prepbook.render.pictures.svg import NARROW, SMALL, Picture, text_width, units, wrap_to
from prepbook.render.views import summarise
from tests.conftest import EXAMPLES
from tests.test_pictures import SVG, _persofails, marks, shown, workshop_pictures

LAYOUTS = ("wide", "narrow")


def layouts(figure_html: str) -> dict[str, ET.Element]:
    """The figure's pictures by layout."""
    found = {}
    for svg_html in re.findall(r"<svg .*?</svg>", figure_html, re.S):
        svg = ET.fromstring(svg_html)
        found[svg.get("class", "").split()[-1].removeprefix("pb-")] = svg
    assert set(found) == set(LAYOUTS), found.keys()
    return found


def width_of(svg: ET.Element) -> float:
    return float(svg.get("viewBox", "").split()[2])


def bar_links(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(f"{SVG}a") if any("pb-mark" in m.get("class", "") for m in a)]


@pytest.fixture(scope="module")
def examples():
    return load_files(sorted(EXAMPLES.glob("*.yaml")))


def test_each_figure_holds_a_wide_and_a_narrow_picture_with_ids_of_their_own(examples) -> None:
    for html in workshop_pictures(examples):
        found = layouts(html)
        wide, narrow = found["wide"], found["narrow"]
        assert narrow.get("id") == f"{wide.get('id')}-narrow"
        assert width_of(narrow) == NARROW <= 358 < width_of(wide) <= 690
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), "an id twice on the page"
        # the narrow picture draws the same records as the wide one
        assert len(marks(narrow)) == len(marks(wide))


# Labels on every bar ----------------------------------------------------------------------


def test_timeline_bars_carry_their_steps_titles_in_both_layouts(examples) -> None:
    figures = Figures(examples)
    for loaded in examples.workshops.values():
        w = loaded.model
        for layout, svg in layouts(figures.timeline(w)).items():
            bars = bar_links(svg)
            assert len(bars) == len(w.roadmap.steps), layout
            for step, bar in zip(_in_drawn_order(w), bars, strict=True):
                text = shown(bar)
                _glyph, _, label = text.partition(" ")
                assert label == " ".join(step.title.split()), (layout, text)  # whole, beside it
                assert bar.findtext(f"{SVG}title", "").startswith(step.title)


def _in_drawn_order(workshop):  # type: ignore[no-untyped-def]
    from prepbook.render.pictures.timeline import _groups

    return [step for _, members in _groups(workshop) for step in members]


def test_lane_bars_carry_their_steps_titles_in_both_layouts(examples) -> None:
    svgs = layouts(Figures(examples).roadmap_lanes(summarise(examples), portfolio=True))
    steps = {
        s.title: s for loaded in examples.workshops.values() for s in loaded.model.roadmap.steps
    }
    for layout, svg in svgs.items():
        bars = bar_links(svg)
        assert len(bars) == len(steps), layout
        for bar in bars:
            tooltip = bar.findtext(f"{SVG}title", "")
            title = next(t for t in steps if tooltip.split(" ", 1)[1].startswith(f"{t}:"))
            text = shown(bar)
            assert text == title or (text.endswith("…") and title.startswith(text[:-1])), text
            # the title sits over its bar: starts where the bar does, unless the bar ends the
            # chart and the title is moved left to stay inside it
            label = next(bar.iter(f"{SVG}text"))
            rect = next(e for e in bar.iter(f"{SVG}rect"))
            x, start = float(label.get("x", "0")), float(rect.get("x", "0"))
            assert x <= start + 0.1
            assert x + text_width(text, SMALL) <= width_of(svg) + 0.1, (layout, text)
            assert 0 < float(rect.get("y", "0")) - float(label.get("y", "0")) < 12


def test_hover_titles_name_gaps_by_their_assets_titles_never_ids(examples) -> None:
    checked = 0
    figures = Figures(examples)
    portfolio = figures.roadmap_lanes(summarise(examples), portfolio=True)
    for loaded in examples.workshops.values():
        w = loaded.model
        assets = {a.id: a.title for a in w.audit}
        for html in (figures.timeline(w), portfolio):
            for svg in layouts(html).values():
                for bar in bar_links(svg):
                    tooltip = bar.findtext(f"{SVG}title", "")
                    step = next(
                        (s for s in w.roadmap.steps if f"{s.title}:" in tooltip and s.closes_gap),
                        None,
                    )
                    if step is None:
                        continue
                    gaps = tooltip.split("closes the gap of ", 1)[1]
                    assert gaps == ", ".join(assets[a] for a in step.closes_gap), tooltip
                    for asset_id in step.closes_gap:
                        assert asset_id not in gaps.split(", "), tooltip
                    checked += 1
    assert checked > 10


# Points labelled beside them --------------------------------------------------------------


def test_matrix_labels_sit_beside_their_points_inside_the_picture(examples) -> None:
    for loaded in examples.workshops.values():
        w = loaded.model
        for layout, svg in layouts(Figures.matrix(w)).items():
            boxes = []
            for a in (a for a in svg.iter(f"{SVG}a") if marks(a)):
                circle = next(a.iter(f"{SVG}circle"))
                cx, cy = float(circle.get("cx", "0")), float(circle.get("cy", "0"))
                text = next(a.iter(f"{SVG}text"))
                lines = [t.text or "" for t in text.iter(f"{SVG}tspan")]
                left, baseline = float(text.get("x", "0")), float(text.get("y", "0"))
                box = (
                    left,
                    baseline - 11,
                    left + max(text_width(line, SMALL) for line in lines),
                    baseline - 11 + 15 * len(lines),
                )
                assert text.get("text-anchor") == "start"
                assert box[0] >= 0 and box[2] <= width_of(svg), (layout, lines)  # inside
                # beside its point: the nearest edge of the label within a line of it
                dx = max(box[0] - cx, 0, cx - box[2])
                dy = max(box[1] - cy, 0, cy - box[3])
                leader = [e for e in a.iter(f"{SVG}line") if "pb-leader" in e.get("class", "")]
                # or, in a crowded plot, joined to it by a leader line
                assert max(dx, dy) <= 2 * 15 + 11 or leader, (layout, lines, dx, dy)
                boxes.append(box)
            for i, one in enumerate(boxes):
                for other in boxes[i + 1 :]:
                    assert not (
                        one[0] < other[2]
                        and other[0] < one[2]
                        and one[1] < other[3]
                        and other[1] < one[3]
                    ), (layout, one, other)


def test_crowded_points_get_distinct_places_deterministically() -> None:
    bounds = (0.0, 0.0, 340.0, 300.0)
    taken: list[tuple[float, float, float, float]] = [(163, 143, 177, 157)]  # the point
    places = []
    for _ in range(6):
        box = place_label(170, 150, 60, 15, bounds, taken)
        taken.append(box)
        places.append(box)
    assert len(set(places)) == 6  # six labels of one spot: six places, none on another
    assert places == [
        place_label(170, 150, 60, 15, bounds, [taken[0], *places[:i]]) for i in range(6)
    ]
    for box in places:
        assert bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] <= box[3] <= 300
    # at the plot's left edge, the label goes right of the point, not onto the axis
    assert place_label(5, 150, 60, 15, bounds, [])[0] > 5


def test_matrix_wraps_long_labels_inside_the_narrow_picture() -> None:
    priority = Priority.model_validate(
        {
            "id": "p",
            "title": "A priority whose title runs on for far longer than any label could hold",
            "status": "committed",
            "score": {"method": "ice", "impact": 10, "confidence": 10, "ease": 1},
        }
    )
    svg = layouts(pictures.priority_matrix("m", "s", [priority], lambda p: "#p"))["narrow"]
    text = next(next(a.iter(f"{SVG}text")) for a in svg.iter(f"{SVG}a") if marks(a))
    lines = [t.text or "" for t in text.iter(f"{SVG}tspan")]
    assert len(lines) > 2 and " ".join(lines) == priority.title
    left = float(text.get("x", "0"))
    assert left >= 0 and left + max(text_width(line, SMALL) for line in lines) <= NARROW


# One geometry for both heatmaps -----------------------------------------------------------


def _cells(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))  # type: ignore[misc]
        for r in svg.iter(f"{SVG}rect")
        if r.get("class") in ("pb-low", "pb-medium", "pb-high") and r.get("stroke")
    ]


def test_both_heatmaps_have_one_geometry_whatever_their_cells_hold(examples) -> None:
    drawn = [
        layouts(Figures.workshop_heatmap(loaded.model)) for loaded in examples.workshops.values()
    ]
    drawn.append(layouts(pictures.risk_heatmap("pb-all", "all", _persofails(8_000))))
    for layout in LAYOUTS:
        grids = [_cells(found[layout]) for found in drawn]
        first = grids[0]
        assert len(first) == 50
        inherent, residual = first[:25], first[25:]
        offset = residual[0][1] - inherent[0][1]
        # the residual grid is the inherent one moved down, cell for cell
        assert [(x, y + offset, w, h) for x, y, w, h in inherent] == residual
        assert len({(w, h) for _, _, w, h in first}) == 1  # every cell one size
        # and the same in every heatmap, whatever it holds (a few names, 8,000)
        assert all(grid == first for grid in grids), layout
        sizes = {(width_of(found[layout]), found[layout].get("height")) for found in drawn}
        assert len(sizes) == 1, sizes


def test_narrow_heatmap_shows_every_cell_s_count_within_a_phone_s_width(examples) -> None:
    w = examples.workshops["northwind-retail"].model
    svg = layouts(Figures.workshop_heatmap(w))["narrow"]
    assert max(x + width for x, _, width, _ in _cells(svg)) <= NARROW
    counts = [int(shown(a)) for a in svg.iter(f"{SVG}a") if marks(a)]
    assert sum(counts) == 2 * len(w.persofails)
    assert sorted(counts) == sorted(int(m.get("data-count", "0")) for m in marks(svg))


# The wrapping helper ----------------------------------------------------------------------


def test_wrap_to_keeps_a_character_budget() -> None:
    text = "Post-purchase recommendations that know what was bought in the store"
    lines = wrap_to(text, 20)
    assert len(lines) > 2 and " ".join(lines) == text
    assert all(units(line) <= 20 for line in lines)
    cut = wrap_to(text, 20, max_lines=2)
    assert cut[0] == lines[0] and cut[1].endswith("…") and units(cut[1]) <= 20
    wide = wrap_to("短い日本語のラベルがここにあります", 8)  # two units a character
    assert len(wide) > 1 and all(units(line) <= 8 for line in wide)
    svg = ET.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg">'
        + Picture("x", 100, 100, "t", "d").wrapped(0, 10, text + " <&>", 20)
        + "</svg>"
    )
    spans = [t.text or "" for t in svg.iter(f"{SVG}tspan")]
    assert len(spans) > 2 and " ".join(spans) == text + " <&>"  # escaped, read back whole
