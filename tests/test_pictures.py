"""The pictures: well-formed SVG, one mark per datum, links that land on their records, text
in full and never under 11 px, legends that hold what is drawn, escaped text, the same bytes
every time, and sizes that stay bounded with 1,000 workshops and 8,000 persofails."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from prepbook.checks import run_checks
from prepbook.config import Settings
from prepbook.load.playbook import load_files
from prepbook.model import Persofail, Priority, Workshop
from prepbook.render import links, pictures, stylesheet
from prepbook.render.figures import Figures
from prepbook.render.links import anchor_id
from prepbook.render.pictures.heatmap import HeatItem
from prepbook.render.pictures.timeline import STATUS_GLYPH
from tests.conftest import EXAMPLES, PINNED_DATE, minimal

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2027, 2, 1)


def parse(figure_html: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", figure_html, re.S)
    assert match, figure_html[:200]
    return ET.fromstring(match.group(0))  # raises on anything that is not well-formed XML


def marks(svg: ET.Element) -> list[ET.Element]:
    return [e for e in svg.iter() if "pb-mark" in e.get("class", "").split()]


def hrefs(svg: ET.Element) -> list[str]:
    return [e.get("href", "") for e in svg.iter(f"{SVG}a")]


def shown(element: ET.Element) -> str:
    """The text a reader sees in an element: its lines joined, tooltips left out."""
    parts = []
    for e in element.iter():
        if e.tag == f"{SVG}title":
            continue
        if e.tag in (f"{SVG}text", f"{SVG}tspan") and e.text:
            parts.append(e.text)
    return " ".join(parts)


def texts(svg: ET.Element) -> list[str]:
    return [shown(t) for t in svg.iter(f"{SVG}text")]


def of_class(svg: ET.Element, css: str) -> list[ET.Element]:
    return [e for e in svg.iter() if css in e.get("class", "").split()]


def legend(svg: ET.Element) -> list[str]:
    return [shown(g) for g in of_class(svg, "pb-key")]


@pytest.fixture(scope="module")
def examples():
    return load_files(sorted(EXAMPLES.glob("*.yaml")))


@pytest.fixture(scope="module")
def pages(examples) -> dict[str, str]:
    from prepbook.render.site import render_site

    return render_site(examples, run_checks(examples, Settings())).pages


def workshop_pictures(playbook: Any) -> Iterator[str]:
    """Each picture of each workshop page of ``playbook``, as its figure's HTML."""
    figures = Figures(playbook)
    for loaded in playbook.workshops.values():
        w = loaded.model
        yield figures.timeline(w)
        yield figures.matrix(w)
        yield figures.coverage(w)
        yield figures.workshop_heatmap(w)


def test_every_picture_has_title_desc_and_a_data_table(examples) -> None:
    for html in workshop_pictures(examples):
        svg = parse(html)
        assert svg.get("role") == "group"  # a labelled group: its links stay reachable
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        # its data as a table: its own, or the page's roadmap tables it points at
        assert "<table>" in html or 'href="#workshop-roadmap"' in html
        assert "<figcaption>" in html
        assert "\n\n" not in html  # one HTML block for every Markdown engine
        # left out of the search index, picture and table alike
        assert html.startswith('<div class="prepbook-figure" data-search-exclude>')


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
        residual = {(p.residual_now.likelihood, p.residual_now.severity) for p in w.persofails}
        assert len(heat) == len(inherent) + len(residual)
        assert sum(int(m.get("data-count", 0)) for m in heat) == 2 * len(w.persofails)


# Links ----------------------------------------------------------------------------------


def resolve(page: str, href: str, pages: dict[str, str]) -> tuple[str, str]:
    """The generated page and fragment a link on ``page`` leads to: a fragment of the page,
    or, from an index page only, another page's published address relative to it."""
    path, _, fragment = href.partition("#")
    if not path:
        return page, fragment
    assert posixpath.basename(page) == "index.md", (page, href)  # the same in every engine
    assert path.endswith("/"), href  # a published address: no engine rewrites it
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) + ".md"
    assert target in pages, (page, href, target)
    return target, fragment


def test_links_land_on_anchors_that_exist(pages) -> None:
    checked = 0
    for name, text in pages.items():
        for svg_html in re.findall(r"<svg .*?</svg>", text, re.S):
            for href in hrefs(ET.fromstring(svg_html)):
                target, fragment = resolve(name, href, pages)
                if fragment:
                    assert f'id="{fragment}"' in pages[target], (name, href)
                checked += 1
    assert checked > 100
    # 4 a workshop, 3 more, and a progress chart for each example metric with readings
    with_readings = sum(
        1 for t in pages.values() for _ in re.finditer(r'<svg [^>]*id="pb-progress-', t)
    )
    assert with_readings == 3
    # every picture but a metric's (drawn once, at a width a phone holds) in two layouts
    assert sum(t.count('class="pb-svg pb-wide"') for t in pages.values()) == 3 * 4 + 3
    assert sum(t.count('class="pb-svg pb-narrow"') for t in pages.values()) == 3 * 4 + 3
    assert sum(t.count("<svg ") for t in pages.values()) == 2 * (3 * 4 + 3) + with_readings


def test_portfolio_bars_link_to_steps_on_the_workshop_pages(examples, pages) -> None:
    svg = parse(pages["index.md"])
    bar_links = [a.get("href", "") for a in svg.iter(f"{SVG}a") if marks(a)]
    expected = {
        f"workshops/{ws_id}/#{anchor_id(step)}"
        for ws_id, loaded in examples.workshops.items()
        for step in loaded.model.roadmap.steps
    }
    assert set(bar_links) == expected
    # the lane's name leads to the workshop's page
    lanes = [a.get("href") for a in svg.iter(f"{SVG}a") if not marks(a)]
    assert sorted(lanes) == sorted(f"workshops/{ws_id}/" for ws_id in examples.workshops)


def test_links_to_other_pages_leave_index_pages_only() -> None:
    """Engines read links in raw HTML differently except from an index page: elsewhere a
    mark links to its record's row on the page."""
    assert Figures.href("index.md", "workshops/a.md", "step-s") == "workshops/a/#step-s"
    assert Figures.href("sub/index.md", "workshops/a.md") == "../workshops/a/"
    assert Figures.href("roadmap.md", "workshops/a.md", "step-s") is None
    assert Figures.href("roadmap.md", "roadmap.md", "x") == "#x"
    # as the engine publishes pages: directories, or .html files
    assert (
        Figures.href("persofails/index.md", "workshops/a.md", "p", directory_urls=False)
        == "../workshops/a.html#p"
    )
    assert Figures.href("index.md", "workshops/a.md", directory_urls=False) == "workshops/a.html"


# Legibility -----------------------------------------------------------------------------


def test_no_text_under_eleven_px_and_each_layout_fits_its_column(pages) -> None:
    """Each picture is drawn at a width its column holds, never scaled above it: the wide
    layout within the content column beside the sidebars, the narrow one within a 390 px
    phone's column (358 px), so on a phone its text keeps the size it was drawn at."""
    rules = stylesheet.text()
    assert ".pb-svg {\n  font-family: var(--md-text-font-family,sans-serif);\n" in rules
    assert "  font-size: 12px;" in rules
    layouts: dict[str, int] = {}
    for text in pages.values():
        for svg_html in re.findall(r"<svg .*?</svg>", text, re.S):
            svg = ET.fromstring(svg_html)
            assert "max-width:100%" in svg.get("style", "")  # scaled down to its column
            assert svg.get("width") == svg.get("viewBox", "").split()[2]  # and never up
            width = float(svg.get("width", "0"))
            layout = svg.get("class", "").removeprefix("pb-svg").strip().removeprefix("pb-")
            layout = layout or "single"
            layouts[layout] = layouts.get(layout, 0) + 1
            assert width <= (690 if layout == "wide" else 358), (svg.get("id"), width)
            sizes = [float(e.get("font-size")) for e in svg.iter() if e.get("font-size")]
            assert sizes and min(sizes) >= 11
    assert layouts["wide"] == layouts["narrow"] > 0 and layouts["single"] == 3
    css = (EXAMPLES.parent / "prepbook/render/assets/prepbook.css").read_text()
    assert "overflow-x: auto" in css and "max-width: 100%" in css
    # one layout on screen, by its width; paper takes the wide one
    assert re.search(
        r"@media screen and \(max-width: 44.984375em\) \{\s*\.prepbook-figure svg\.pb-wide "
        r"\{\s*display: none;",
        css,
    )
    assert re.search(r"\.prepbook-figure svg\.pb-narrow \{\s*display: none;", css)


# Timelines ------------------------------------------------------------------------------


def _workshop(steps: int, dated: bool = True, phases: bool = False) -> Workshop:
    start = dt.date(2027, 1, 4)
    return Workshop.model_validate(
        {
            "id": "big",
            "title": "A workshop with a very long title " * 3,
            "organisation": "O",
            "status": "held",
            "priorities": [{"id": "p", "title": "P", "status": "committed"}],
            "roadmap": {
                "phases": [
                    {
                        "id": "one",
                        "title": "The first phase, named at some length",
                        **({"start": "2027-01-04", "end": "2027-02-28"} if phases else {}),
                    },
                    {
                        "id": "two",
                        "title": "Two",
                        **({"start": "2027-03-01", "end": "2027-04-30"} if phases else {}),
                    },
                ],
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
def test_timeline_labels_are_shown_in_full(count: int, dated: bool) -> None:
    w = _workshop(count, dated)
    svg = parse(Figures(load_files([]), today=TODAY).timeline(w))
    width = float(svg.get("viewBox").split()[2])
    assert width == pictures.timeline.CHART_WIDTH  # never squeezed: the page scrolls instead
    assert len(marks(svg)) == count
    shown_texts = texts(svg)
    for step in w.roadmap.steps:
        title = " ".join(step.title.split())
        assert title in shown_texts, title  # wrapped onto lines, never cut
    assert not any("…" in t for t in shown_texts)
    for line in svg.iter(f"{SVG}tspan"):  # each line fits the picture
        assert float(line.get("x")) + pictures.svg.text_width(line.text or "") <= width


def _axis_x(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Where ``day`` sits on a timeline whose steps run from ``first`` to ``last``: the axis
    runs from the first of the first month to the first of the month after the last."""
    x0 = pictures.timeline.LABEL_WIDTH + 10
    x1 = pictures.timeline.CHART_WIDTH - pictures.timeline.RIGHT
    start = first.replace(day=1)
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return x0 + (day - start).days / (end - start).days * (x1 - x0)


def test_today_line_sits_at_the_build_date() -> None:
    w = _workshop(3)  # steps from 2027-01-04 to 2027-02-08
    svg = parse(Figures(load_files([]), today=TODAY).timeline(w))
    (line,) = of_class(svg, "pb-today")[:1]
    expected = _axis_x(TODAY, dt.date(2027, 1, 4), dt.date(2027, 2, 8))
    assert float(line.get("x1")) == pytest.approx(expected, abs=0.1)
    assert line.get("x1") == line.get("x2")
    assert "today 2027-02-01" in texts(svg)
    assert "today (2027-02-01)" in legend(svg)
    # outside the axis, neither the line nor its legend entry
    later = parse(Figures(load_files([]), today=dt.date(2030, 1, 1)).timeline(w))
    assert not of_class(later, "pb-today")
    assert not any(t.startswith("today") for t in texts(later) + legend(later))


def test_the_build_date_is_reproducible(monkeypatch) -> None:
    assert Figures(load_files([])).today == PINNED_DATE
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1802649600")
    assert Figures(load_files([])).today == dt.date(2027, 2, 15)


def test_phases_are_labelled_bands_behind_the_bars() -> None:
    w = _workshop(3, phases=True)
    svg = parse(Figures(load_files([]), today=TODAY).timeline(w))
    bands = [
        e
        for e in svg.iter(f"{SVG}rect")
        if {"pb-phase", "pb-phase-alt"} & set(e.get("class", "").split())
    ]
    bands = [b for b in bands if b not in [r for g in of_class(svg, "pb-key") for r in g.iter()]]
    assert len(bands) == 2
    first, last = dt.date(2027, 1, 4), dt.date(2027, 4, 30)
    one, two = sorted(bands, key=lambda b: float(b.get("x")))
    assert float(one.get("x")) == pytest.approx(_axis_x(first, first, last), abs=0.1)
    assert float(two.get("x")) == pytest.approx(_axis_x(dt.date(2027, 3, 1), first, last), abs=0.1)
    right = float(two.get("x")) + float(two.get("width"))
    assert right == pytest.approx(_axis_x(dt.date(2027, 5, 1), first, last), abs=0.2)
    assert "The first phase, named at some length" in texts(svg)  # wrapped, in full
    assert "Two" in texts(svg)
    assert "roadmap phase" in legend(svg)
    # without dated phases, no band and no legend entry for one
    plain = parse(Figures(load_files([]), today=TODAY).timeline(_workshop(3)))
    assert not of_class(plain, "pb-phase")[1:] and "roadmap phase" not in legend(plain)


def test_the_legend_holds_what_is_drawn_and_nothing_else(examples) -> None:
    figures = Figures(examples, today=TODAY)
    for loaded in examples.workshops.values():
        w = loaded.model
        svg = parse(figures.timeline(w))
        keys = legend(svg)
        statuses = {s.status for s in w.roadmap.steps}
        assert {k for k in keys if k[0] in STATUS_GLYPH.values()} == {
            f"{STATUS_GLYPH[s]} {s}" for s in statuses
        }
        key_parts = {id(e) for g in of_class(svg, "pb-key") for e in g.iter()}
        drawn = [e for e in svg.iter() if id(e) not in key_parts]

        def drawn_with(css: str, elements: list[ET.Element] = drawn) -> int:
            return sum(1 for e in elements if css in e.get("class", "").split())

        assert ("milestone" in keys) == any(s.milestone for s in w.roadmap.steps)
        assert drawn_with("pb-milestone") == sum(s.milestone for s in w.roadmap.steps)
        assert ("closes a gap" in keys) == any(s.closes_gap for s in w.roadmap.steps)
        assert drawn_with("pb-gap") == sum(bool(s.closes_gap) for s in w.roadmap.steps)
        assert ("depends on" in keys) == (drawn_with("pb-link") > 0)
        # each step's status glyph is drawn beside its label
        glyphs = [shown(e) for e in drawn if "pb-glyph" in e.get("class", "").split()]
        assert sorted(glyphs) == sorted(STATUS_GLYPH[s.status] for s in w.roadmap.steps)


def _lane(org: str, title: str, workshop: Workshop, href: str = "w/") -> pictures.Lane:
    return pictures.Lane(
        org,
        title,
        href,
        [
            (s, pictures.step_dates(s, workshop), f"{href}#{anchor_id(s)}")
            for s in workshop.roadmap.steps
        ],
    )


def test_lanes_are_organisations_told_apart_by_workshop_when_needed(examples, pages) -> None:
    svg = parse(pages["index.md"])
    labels = [shown(a) for a in svg.iter(f"{SVG}a") if not marks(a)]
    organisations = {w.model.organisation for w in examples.workshops.values()}
    assert set(labels) == organisations
    w = _workshop(2)
    html = pictures.lanes_timeline(
        "pb-x",
        "All",
        [_lane("Acme", "Loyalty", w), _lane("Other", "Search", w), _lane("Acme", "Pricing", w)],
        "caption",
        today=dt.date(2027, 1, 20),
    )
    svg = parse(html)
    labels = [shown(a) for a in svg.iter(f"{SVG}a") if not marks(a)]
    # an organisation's lanes side by side, each naming its workshop
    assert labels == ["Acme — Loyalty", "Acme — Pricing", "Other"]
    assert len(of_class(svg, "pb-today")) == 2  # the line, and its legend entry


def test_lanes_never_hide_a_bar_under_another(examples) -> None:
    """Steps of one workshop that overlap in time stack on tracks, so each is seen and can
    be clicked."""
    from prepbook.render.views import summarise

    svg = parse(Figures(examples).roadmap_lanes(summarise(examples), portfolio=False))
    rects = [
        (float(m.get("x")), float(m.get("x")) + float(m.get("width")), float(m.get("y")))
        for m in marks(svg)
    ]
    assert len(rects) == sum(len(w.model.roadmap.steps) for w in examples.workshops.values())
    for i, (a0, a1, ay) in enumerate(rects):
        for b0, b1, by in rects[i + 1 :]:
            assert not (ay == by and a0 < b1 and b0 < a1), ((a0, a1, ay), (b0, b1, by))


def _lanes(count: int) -> list[pictures.Lane]:
    workshop = _workshop(9)
    return [_lane(f"Organisation {i}", f"Workshop {i}", workshop, f"w{i}/") for i in range(count)]


def test_a_thousand_workshops_are_summarised_in_bounded_size() -> None:
    small = pictures.lanes_timeline("pb-x", "All", _lanes(pictures.timeline.MAX_LANES), "c")
    assert len(marks(parse(small))) == pictures.timeline.MAX_LANES * 9  # one bar a step
    sizes = []
    for count in (1_000, 2_000):
        html = pictures.lanes_timeline(
            "pb-x", "All", _lanes(count), "c", today=TODAY, steps_href="roadmap/"
        )
        svg = parse(html)
        sizes.append(len(html))
        desc = svg.find(f"{SVG}desc").text or ""
        assert f"{count * 9:,} roadmap steps of {count:,} workshops" in desc
        assert "Every step is listed on the roadmap pages." in desc
        assert '<a href="roadmap/">roadmap pages</a>' in html
        assert len(marks(svg)) <= pictures.timeline.MAX_PERIODS * 4  # a bar a period and status
        assert html.count("<tr>") <= pictures.timeline.MAX_PERIODS + 1
        # every step is counted: the steps under way in each period add up
        active = sum(
            int(m.find(f"{SVG}title").text.split(": ")[1].split()[0].replace(",", ""))
            for m in marks(svg)
        )
        assert active >= count * 9
    assert sizes[0] < 30_000 and sizes[1] == pytest.approx(sizes[0], rel=0.02)


# Heatmaps -------------------------------------------------------------------------------


def test_heatmap_cells_name_their_persofails(examples) -> None:
    for loaded in examples.workshops.values():
        w = loaded.model
        svg = parse(Figures.workshop_heatmap(w))
        # a name links to its record, its tooltip whole, its text whole or cut with an
        # ellipsis (the table beside names it in full)
        named = {
            a.findtext(f"{SVG}title"): (shown(a), a.get("href"))
            for a in svg.iter(f"{SVG}a")
            if not marks(a)
        }
        for p in w.persofails:
            text, href = named[p.title]
            assert href == f"#{anchor_id(p)}", p.title
            assert text == p.title or (
                text.endswith("…") and " ".join(p.title.split()).startswith(text[:-1])
            ), (text, p.title)


def _persofails(count: int) -> list[HeatItem]:
    return [
        HeatItem(
            Persofail.model_validate(
                {
                    "id": f"p{i}",
                    "title": f"Persofail number {i}",
                    "scenario": "s",
                    "category": "other",
                    "inherent": {"likelihood": i % 5 + 1, "severity": i // 5 % 5 + 1},
                }
            ),
            f"Persofail number {i}",
            f"workshops/w{i % 1000}/#persofail-p{i}",
            f"Organisation {i % 1000}",
        )
        for i in range(count)
    ]


def test_playbook_heatmap_stays_bounded_with_8000_persofails() -> None:
    def where(which: str, likelihood: int, severity: int) -> str:
        return f"persofails/{which}-{likelihood}-{severity}/"

    sizes = []
    for count in (8_000, 16_000):
        html = pictures.risk_heatmap("pb-all", "all", _persofails(count), cell_href=where)
        narrow = re.search(r'<svg [^>]*class="pb-svg pb-narrow".*?</svg>', html, re.S)
        assert narrow and len(narrow.group(0)) < 40_000  # the phone's layout: counts only
        sizes.append(len(html) - len(narrow.group(0)))
        svg = parse(html)
        cells = marks(svg)
        assert sum(int(c.get("data-count")) for c in cells) == 2 * count
        cell_links = {a.get("href") for a in svg.iter(f"{SVG}a") if marks(a)}
        assert all(h.startswith("persofails/") for h in cell_links)
        text = texts(svg)
        assert f"{count // 25:,} persofails" in text
        assert f"+{count // 25 - 1:,} more" in text
        assert "Persofail numbe…" in text  # the first name of a cell, shortened to it
    assert sizes[0] < 100_000 and sizes[1] == pytest.approx(sizes[0], rel=0.02)


# The priority matrix --------------------------------------------------------------------


def test_matrix_never_mixes_scoring_methods_on_one_axis(examples) -> None:
    w = examples.workshops["northwind-retail"].model
    svg = parse(Figures.matrix(w))
    assert "RICE scores" in texts(svg) and "ICE scores" in texts(svg)
    axis_titles = " | ".join(texts(svg))
    assert "benefit: reach a quarter \u00d7 impact \u00d7 confidence" in axis_titles
    assert "effort: person-months" in axis_titles
    assert "benefit: impact \u00d7 confidence (1\u2013100)" in axis_titles
    assert "effort: 11 \u2212 ease (1 trivial, 10 hard)" in axis_titles
    # each point sits in its method's panel: RICE above, ICE below
    panel = pictures.matrix.PANEL
    for a in svg.iter(f"{SVG}a"):
        circle = a.find(f"{SVG}circle")
        if circle is None:
            continue
        p = next(p for p in w.priorities if f"#{anchor_id(p)}" == a.get("href"))
        assert p.score is not None
        index = 0 if p.score.method == "rice" else 1
        assert index * panel < float(circle.get("cy")) < (index + 1) * panel


def test_matrix_lists_priorities_without_a_score() -> None:
    w = _workshop(1).model_copy(
        update={
            "priorities": [
                Priority.model_validate(
                    {
                        "id": "a",
                        "title": "Scored",
                        "status": "committed",
                        "score": {"method": "ice", "impact": 5, "confidence": 5, "ease": 5},
                    }
                ),
                Priority.model_validate(
                    {"id": "b", "title": "Not yet weighed", "status": "candidate"}
                ),
            ]
        }
    )
    svg = parse(Figures.matrix(w))
    assert "ICE scores" in texts(svg) and "RICE scores" not in texts(svg)
    assert "Not scored, so not drawn:" in texts(svg)
    links = {shown(a): a.get("href") for a in svg.iter(f"{SVG}a") if not marks(a)}
    assert links["Not yet weighed"] == "#priority-b"


# Team coverage --------------------------------------------------------------------------


def test_coverage_names_the_people_and_marks_what_is_missing(examples) -> None:
    for loaded in examples.workshops.values():
        w = loaded.model
        svg = parse(Figures.coverage(w))
        people = {shown(a): a.get("href") for a in svg.iter(f"{SVG}a")}
        for member in w.team:
            assert people[member.name] == f"#{anchor_id(member)}"
    team = [m for m in examples.workshops["northwind-retail"].model.team if m.function != "data"]
    w = examples.workshops["northwind-retail"].model.model_copy(update={"team": team})
    svg = parse(Figures.coverage(w))
    missing = [m for m in marks(svg) if "pb-missing" in m.get("class", "")]
    assert len(missing) == 1 and "data: not covered" in shown(missing[0]) + (
        missing[0].find(f"{SVG}title").text or ""
    )
    assert "✗ not covered" in texts(svg)


# Safety and stability -------------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_svg(playbook) -> None:
    payload = '</text><script>alert(1)</script><a href="javascript:x">&amp; "q" \'s'
    text = minimal().replace("title: Build it", "title: '" + payload.replace("'", "''") + "'")
    text = text.replace("title: Creepy", "title: '" + payload.replace("'", "''") + "'")
    root = playbook({"mini.yaml": text})
    loaded = load_files([root / "workshops" / "mini.yaml"])
    w = loaded.workshops["mini"].model
    for html in (Figures(loaded).timeline(w), Figures.workshop_heatmap(w)):
        svg = parse(html)
        assert not list(svg.iter(f"{SVG}script"))
        assert all(not h.startswith("javascript:") for h in hrefs(svg))
        tooltips = " ".join("".join(e.itertext()) for e in svg.iter(f"{SVG}title"))
        assert payload in tooltips  # shown as typed
        assert "<script>" not in html and "&lt;script&gt;" in html


def test_same_bytes_every_time(examples, pages) -> None:
    from prepbook.render.site import render_site

    again = load_files(sorted(EXAMPLES.glob("*.yaml")))
    assert pages == render_site(again, run_checks(again, Settings())).pages


def test_colours_follow_the_theme() -> None:
    style = stylesheet.text()
    assert "var(--md-default-fg-color" in style and "var(--md-default-bg-color" in style
    assert "@media print" in style
    html = Figures.coverage(_workshop(1))
    assert 'fill="#' not in html  # colours come from classes, never hard-wired on marks


def test_pictures_are_on_every_page_that_needs_them(pages) -> None:
    for text in pages.values():
        # the pictures' rules are in the stylesheet every page loads, repeated on none
        assert "<style" not in text
    roadmap_tables = pages["workshops/northwind-retail.md"].split('id="workshop-roadmap"')[1]
    assert "Delivers, closes</span> |" in roadmap_tables  # the steps table
    assert 'id="pb-portfolio-timeline"' in pages["index.md"]
    assert 'id="pb-roadmap-timeline"' in pages[links.ROADMAP]
    assert 'id="pb-risk-all"' in pages[links.CATALOGUE]
    workshop = pages["workshops/northwind-retail.md"]
    for pid in ("pb-timeline-", "pb-risk-", "pb-matrix-", "pb-team-"):
        assert f'id="{pid}northwind-retail"' in workshop
