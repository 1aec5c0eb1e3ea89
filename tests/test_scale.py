"""The section pages of a large playbook: split and paginated, so no page grows with the
number of workshops, while every row is still listed once, found where links say it is, and
reached from its section's summary.

Built for real (``mkdocs build --strict``) from synthetic workshops, with a small page size
so that every split runs over several pages at a size a test can afford.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import pytest

from bench.synthetic import write_playbook
from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.render import links, sections
from prepbook.render.site import render_site
from prepbook.render.views import summarise
from tests.searchindex import fragments
from tests.sitecheck import broken_links, read_page, read_site
from tests.test_site import run

WORKSHOPS = 60
PAGE_ROWS = 20
MKDOCS_YML = f"""\
site_name: Large playbook
theme:
  name: material
  font: false
plugins:
  - search
  - prepbook:
      page_rows: {PAGE_ROWS}
nav:
  - Home: index.md
  - Playbook:
      - playbook/index.md
      - playbook/audit/index.md
      - playbook/persofails/index.md
      - playbook/roadmap/index.md
validation:
  omitted_files: info
  anchors: warn
  unrecognized_links: warn
"""
ANCHOR = re.compile(r'<span id="((?:catalogue|roadmap|audit|workshop)-[^"]+)"></span>')


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    write_playbook(root, WORKSHOPS)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Large playbook\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def rendered(large: Path) -> tuple[dict[str, str], sections.Plan]:
    checked = check(Project(Settings(page_rows=PAGE_ROWS), large))
    pages = render_site(
        checked.playbook, checked.report, settings=Settings(page_rows=PAGE_ROWS)
    ).pages
    plan = sections.plan(checked.playbook, summarise(checked.playbook), PAGE_ROWS)
    return pages, plan


def _splits(plan: sections.Plan) -> list[links.Split]:
    return [plan.portfolio, *plan.audit, *plan.catalogue, *plan.tags, *plan.roadmap]


def test_no_page_holds_more_rows_than_the_bound(rendered) -> None:
    pages, plan = rendered
    for name, text in pages.items():
        # a workshop's own pages (its page, kit and record) grow with its one file only
        if not name.startswith(("workshops/", "kits/", "records/")):
            assert len(ANCHOR.findall(text)) <= PAGE_ROWS, name
            assert text.count("\n| ") <= PAGE_ROWS + 2 * 12, name  # rows, and small summaries
    assert any(len(split.pages) > 2 for split in plan.catalogue)
    assert len(plan.portfolio.pages) == WORKSHOPS // PAGE_ROWS


def test_every_row_is_listed_once_where_the_layout_places_it(rendered, large: Path) -> None:
    pages, plan = rendered
    graph = check(Project(Settings(), large)).playbook.graph
    where = Counter(
        anchor
        for name, text in pages.items()
        if not name.startswith("workshops/")
        for anchor in ANCHOR.findall(text)
    )
    expected = {
        prefix: {
            f"{prefix}-{ws}-{rid}" for (ws, rid), node in graph.nodes.items() if node.kind == kind
        }
        for prefix, kind in (("catalogue", "persofail"), ("roadmap", "step"), ("audit", "asset"))
    }
    expected["workshop"] = {links.portfolio_anchor(ws) for ws, _ in graph.nodes}
    for prefix, anchors in expected.items():
        found = {a for a in where if a.startswith(f"{prefix}-")}
        assert found == anchors, prefix
    assert set(where.values()) == {1}  # no row twice
    for (ws, rid), node in graph.nodes.items():
        if node.kind in ("persofail", "step", "asset"):
            place = plan.layout.place((ws, rid))
            assert f'<span id="{place.anchor}"></span>' in pages[place.page]
    for ws in {ws for ws, _ in graph.nodes}:
        place = plan.layout.place((ws, ""))
        assert f'<span id="{place.anchor}"></span>' in pages[place.page]


def test_pagination_connects_every_page_of_a_split(large: Path, rendered) -> None:
    _, plan = rendered
    site = large / "site" / "playbook"
    folders = {
        page: (site / links.served(page)).resolve() for s in _splits(plan) for page in s.pages
    }
    for split in _splits(plan):
        count = len(split.pages)
        for number, page in enumerate(split.pages, 1):
            html = (folders[page] / "index.html").read_text()
            if count > 1:
                assert f"Page {number} of {count}" in html, page
            if split not in plan.tags:  # the rows are a table's, not a paragraph's
                assert html.count("<tr>") >= len(split.rows[number - 1]) + 1, page
            for text, other in (("next →", number + 1), ("← previous", number - 1)):
                targets = {
                    (folders[page] / href).resolve()
                    for href, label in _anchors(html)
                    if label == text
                }
                if 1 <= other <= count:
                    assert targets == {folders[split.pages[other - 1]]}, (page, text)
                else:
                    assert not targets, (page, text)


def _anchors(html: str) -> list[tuple[str, str]]:
    return [
        (href, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(r'<a href="([^"#]*)"[^>]*>(.*?)</a>', html, re.S)
    ]


def test_summaries_link_to_every_split_and_stay_small(rendered) -> None:
    pages, plan = rendered
    for summary, splits in (
        (links.AUDIT, plan.audit),
        (links.CATALOGUE, plan.catalogue + plan.tags),
        (links.ROADMAP, plan.roadmap),
    ):
        linker = links.Linker(None, summary)  # type: ignore[arg-type]
        for split in splits:
            assert f"]({linker.url(split.pages[0])})" in pages[summary], split.slug
        assert ANCHOR.findall(pages[summary]) == []  # rows repeated there leave their anchor
        # bounded by the pictures: a dozen names a heatmap cell, 25 lanes a timeline
        assert len(pages[summary]) < 250_000, summary


def test_every_link_resolves_and_the_navigation_lists_only_summaries(large: Path) -> None:
    site = large / "site"
    pages = read_site(site)
    assert broken_links(site, pages) == []
    home = read_page(site / "index.html")
    listed = {link for link in home.links if "playbook/" in link}
    assert listed == {
        "playbook/",
        "playbook/audit/",
        "playbook/persofails/",
        "playbook/roadmap/",
    }


def test_split_pages_are_left_out_of_the_search_index(large: Path, rendered) -> None:
    _, plan = rendered
    locations = {page["url"].lstrip("/") for page in fragments(large / "site")}
    for summary in (links.PORTFOLIO, links.AUDIT, links.CATALOGUE, links.ROADMAP):
        assert f"playbook/{links.served(summary)}" in locations
    for split in _splits(plan):
        for page in split.pages:
            if page != links.PORTFOLIO:
                assert f"playbook/{links.served(page)}" not in locations, page
    assert any(loc.startswith("playbook/workshops/") for loc in locations)


def test_generate_writes_the_split_pages_too(large: Path, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(large, root, ignore=shutil.ignore_patterns("site"))
    done = run(root, "prepbook", "generate", "--out", "out")
    assert done.returncode == 0, done.stderr
    written = {p.relative_to(root / "out").as_posix() for p in (root / "out").rglob("*.md")}
    assert {"persofails/repetition.md", "persofails/repetition/2.md", "portfolio/2.md"} <= written
