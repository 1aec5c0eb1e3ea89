"""The pictures: well-formed SVG, one mark per datum, links that land, escaped text, the
same bytes every time, and sizes that hold with 1 and with 200 items."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET

import pytest

from prepbook.checks import run_checks
from prepbook.config import Settings
from prepbook.load.playbook import load_files
from prepbook.model import Workshop
from prepbook.render import pictures, sections
from prepbook.render.figures import Figures
from prepbook.render.links import CATALOGUE, ROADMAP, Linker, served
from tests.conftest import EXAMPLES, minimal

SVG = "{http://www.w3.org/2000/svg}"


def parse(figure_html: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", figure_html, re.S)
    assert match, figure_html[:200]
    return ET.fromstring(match.group(0))  # raises on anything that is not well-formed XML


def marks(svg: ET.Element) -> list[ET.Element]:
    return [e for e in svg.iter() if "pb-mark" in e.get("class", "").split()]


def hrefs(svg: ET.Element) -> list[str]:
    return [e.get("href", "") for e in svg.iter(f"{SVG}a")]


@pytest.fixture(scope="module")
def examples():
    return load_files(sorted(EXAMPLES.glob("*.yaml")))


def test_every_picture_has_title_desc_and_a_data_table(examples) -> None:
    figures = Figures(examples)
    for loaded in examples.workshops.values():
        w = loaded.model
        for html in (
            figures.timeline(w),
            figures.matrix(w),
            figures.coverage(w),
            figures.workshop_heatmap(w),
        ):
            svg = parse(html)
            assert svg.get("role") == "group"  # a labelled group: its links stay reachable
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title is not None and title.text and desc is not None and desc.text
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            # its data as a table: its own, or the page's roadmap tables it points at
            assert "<table>" in html or 'href="#workshop-roadmap"' in html
            assert "<figcaption>" in html
            assert "\n\n" not in html  # one HTML block for every Markdown engine


def test_one_mark_per_datum(examples) -> None:
    figures = Figures(examples)
    for loaded in examples.workshops.values():
        w = loaded.model
        assert len(marks(parse(figures.timeline(w)))) == len(w.roadmap.steps)
        scored = [p for p in w.priorities if p.score]
        assert len(marks(parse(figures.matrix(w)))) == len(scored)
        functions = {
            "product",
            "engineering",
            "data",
            "marketing",
            "customer-support",
            *(m.function for m in w.team),
        }
        assert len(marks(parse(figures.coverage(w)))) == len(functions)
        heat = marks(parse(figures.workshop_heatmap(w)))
        inherent = {(p.inherent.likelihood, p.inherent.severity) for p in w.persofails}
        residual = {
            (p.effective_residual.likelihood, p.effective_residual.severity) for p in w.persofails
        }
        assert len(heat) == len(inherent) + len(residual)
        assert sum(int(m.get("data-count", 0)) for m in heat) == 2 * len(w.persofails)


def test_links_go_to_anchors_on_the_page_or_to_rows_of_the_section_pages(examples) -> None:
    """A picture's links are HTML, which no engine rewrites: each is a fragment of its page,
    or the address of a row on a section page, as the engine serves that page."""
    from prepbook.render.site import render_site

    pages = render_site(examples, run_checks(examples, Settings())).pages
    ids = {served(name): set(re.findall(r'id="([^"]+)"', text)) for name, text in pages.items()}
    checked = across = 0
    for name, text in pages.items():
        here = served(name)
        for svg_html in re.findall(r"<svg .*?</svg>", text, re.S):
            for href in hrefs(ET.fromstring(svg_html)):
                path, _, anchor = href.partition("#")
                there = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
                there = here if not path else ("" if there == "." else f"{there}/")
                assert anchor in ids.get(there, set()), (name, href)
                checked += 1
                across += bool(path)
    assert checked > 100 and across > 10
    assert sum(t.count("<svg ") for t in pages.values()) == 3 * 4 + 3  # 4 a workshop, 3 more


def test_pictures_are_on_every_page_that_needs_them(examples) -> None:
    from prepbook.render.site import render_site

    pages = render_site(examples, run_checks(examples, Settings())).pages
    for text in pages.values():
        if "<svg " in text:  # the style sheet once per page, before the first picture
            assert text.count("<style>") == 1 and text.index("<style>") < text.index("<svg ")
    roadmap_tables = pages["workshops/northwind-retail.md"].split('id="workshop-roadmap"')[1]
    assert "| Step | Dates | Delivers, closes |" in roadmap_tables
    assert 'id="pb-portfolio-timeline"' in pages["index.md"]
    assert 'id="pb-roadmap-timeline"' in pages[ROADMAP]
    assert 'id="pb-risk-all"' in pages[CATALOGUE]
    workshop = pages["workshops/northwind-retail.md"]
    for pid in ("pb-timeline-", "pb-risk-", "pb-matrix-", "pb-team-"):
        assert f'id="{pid}northwind-retail"' in workshop


def test_hostile_text_is_escaped_in_the_svg(playbook) -> None:
    payload = '</text><script>alert(1)</script><a href="javascript:x">&amp; "q" \'s'
    text = minimal().replace("title: Build it", "title: '" + payload.replace("'", "''") + "'")
    text = text.replace("title: Creepy", "title: '" + payload.replace("'", "''") + "'")
    root = playbook({"mini.yaml": text})
    loaded = load_files([root / "workshops" / "mini.yaml"])
    w = loaded.workshops["mini"].model
    for html in (Figures.timeline(w), Figures.workshop_heatmap(w)):
        svg = parse(html)
        assert not list(svg.iter(f"{SVG}script"))
        assert all(not h.startswith("javascript:") for h in hrefs(svg))
        texts = " ".join("".join(e.itertext()) for e in svg.iter(f"{SVG}title"))
        assert payload in texts  # shown as typed, in the tooltip
        assert "<script>" not in html and "&lt;script&gt;" in html


def _workshop(steps: int, dated: bool = True) -> Workshop:
    start = dt.date(2027, 1, 4)
    return Workshop.model_validate(
        {
            "id": "big",
            "title": "A workshop with a very long title " * 3,
            "organisation": "O",
            "status": "held",
            "priorities": [{"id": "p", "title": "P", "status": "committed"}],
            "roadmap": {
                "phases": [{"id": "one", "title": "One"}],
                "steps": [
                    {
                        "id": f"s{i}",
                        "title": f"Step number {i} with a title far too long to fit " * 2,
                        "phase": "one",
                        "delivers": ["p"] if i % 3 == 0 else [],
                        **(
                            {
                                "start": str(start + dt.timedelta(days=7 * i)),
                                "end": str(start + dt.timedelta(days=7 * i + 20)),
                            }
                            if dated
                            else {}
                        ),
                        "depends_on": [f"s{i - 1}"] if i else [],
                    }
                    for i in range(steps)
                ],
            },
        }
    )


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("dated", [True, False])
def test_timeline_stays_readable(count: int, dated: bool) -> None:
    w = _workshop(count, dated)
    svg = parse(Figures.timeline(w))
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert width == pictures.timeline.CHART_WIDTH  # never squeezed: the page scrolls instead
    groups = 2 if count > 1 else 1
    assert height == pictures.timeline.AXIS_TOP + (count + groups) * pictures.timeline.ROW + 40
    assert len(marks(svg)) == count
    for text in svg.iter(f"{SVG}text"):
        shown = "".join(t for t in [text.text] if t)
        if shown:
            assert len(shown) * pictures.svg.CHAR_WIDTH <= width
    long_labels = [t for t in svg.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None]
    assert long_labels and all(
        t.text is None or t.text.endswith("…")
        for t in long_labels
        if (t.find(f"{SVG}title").text or "") != (t.text or "")
    )


def test_lanes_cap_the_number_drawn() -> None:
    workshop = _workshop(3)
    lanes = [
        pictures.Lane(
            f"Workshop {i}",
            f"w{i}",
            [(s, pictures.step_dates(s, workshop), f"w{i}") for s in workshop.roadmap.steps],
        )
        for i in range(200)
    ]
    html = pictures.lanes_timeline("pb-x", "All", lanes, "caption")
    svg = parse(html)
    assert len(marks(svg)) == pictures.timeline.MAX_LANES * 3
    assert "The first 60 workshops are drawn" in svg.find(f"{SVG}desc").text
    # the table holds the lanes drawn: all 200 would make the page grow with the playbook
    assert html.count("<tr>") == 1 + pictures.timeline.MAX_LANES
    assert "the first 60 of 200" in html


def test_same_bytes_every_time(examples) -> None:
    from prepbook.render.site import render_site

    again = load_files(sorted(EXAMPLES.glob("*.yaml")))
    first = render_site(examples, run_checks(examples, Settings())).pages
    assert first == render_site(again, run_checks(again, Settings())).pages


def test_colours_follow_the_theme() -> None:
    style = pictures.svg.STYLE
    assert "var(--md-default-fg-color" in style and "var(--md-default-bg-color" in style
    assert "@media print" in style
    html = Figures.coverage(_workshop(1))
    assert 'fill="#' not in html  # colours come from classes, never hard-wired on marks


def test_lanes_never_hide_a_bar_under_another(examples) -> None:
    """Steps of one workshop that overlap in time stack on tracks, so each is seen and can
    be clicked."""
    from prepbook.render.views import summarise

    summaries = summarise(examples)
    layout = sections.plan(examples, summaries, 150).layout
    linker = Linker(examples.graph, ROADMAP)
    svg = parse(Figures(examples).roadmap_lanes(summaries, layout, linker, portfolio=False))
    rects = [
        (float(m.get("x")), float(m.get("x")) + float(m.get("width")), float(m.get("y")))
        for m in marks(svg)
    ]
    assert len(rects) == sum(len(w.model.roadmap.steps) for w in examples.workshops.values())
    for i, (a0, a1, ay) in enumerate(rects):
        for b0, b1, by in rects[i + 1 :]:
            assert not (ay == by and a0 < b1 and b0 < a1), ((a0, a1, ay), (b0, b1, by))
