"""The site as a busy stakeholder reads it, on a laptop and on a phone: the decisions in the
first screen, no table hiding columns behind a sideways scroll, pictures legible on a phone,
notes shown, and search snippets free of the pictures' text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.harness import Served, Session

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 11
WORKSHOPS = ("northwind-retail", "harbor-bank", "cadenza-streaming")
DATA_PAGES = (
    "",
    "playbook/",
    "playbook/audit/",
    "playbook/persofails/",
    "playbook/roadmap/",
    "playbook/changes/",
    "playbook/people/",
    *(f"playbook/workshops/{ws}/" for ws in WORKSHOPS),
)

# Tables (Material wraps each in a scrolling box) whose content is wider than the box; the
# collapsed ones (a picture's data) are opened first, as a reader would.
CUT_TABLES_JS = """() => {
  document.querySelectorAll("article details").forEach(d => { d.open = true; });
  return [...document.querySelectorAll("article table")]
  .map(table => {
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    return {width: table.scrollWidth, box: box.clientWidth,
            head: table.rows[0] ? table.rows[0].innerText.slice(0, 60) : ""};
  })
  .filter(t => t.width > t.box + 1);
}"""

# Every text of every picture, with the size it is drawn at on screen: its font size times
# the scale the picture is shown at (its width on screen over its viewBox width).
SVG_TEXT_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll("article svg.pb-svg")) {
    const box = svg.viewBox.baseVal;
    const rect = svg.getBoundingClientRect();
    if (!box || !box.width || !rect.width) continue;
    const scale = rect.width / box.width;
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize);
      out.push({id: svg.id, text: text.textContent.slice(0, 40), px: size * scale});
    }
  }
  return out;
}"""


def _open(session: Session, site: Served, path: str, viewport: dict[str, int]) -> Any:
    page = session.new_page()
    page.set_viewport_size(viewport)
    page.goto(site.url + path)
    return page


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("path", DATA_PAGES)
def test_no_table_is_cut_off_on_a_wide_screen(
    browse: Callable[..., Session], example_site: Served, path: str, width: int
) -> None:
    page = _open(browse(), example_site, path, {"width": width, "height": 900})
    page.wait_for_load_state("load")
    assert page.locator("article table").count() > 0 or path == "playbook/changes/"
    assert page.evaluate(CUT_TABLES_JS) == []


@pytest.mark.parametrize("path", DATA_PAGES)
def test_tables_reflow_on_a_phone(
    browse: Callable[..., Session], example_site: Served, path: str
) -> None:
    """On a phone each row is a stack of labelled cells, so nothing scrolls sideways."""
    page = _open(browse(), example_site, path, PHONE)
    page.wait_for_load_state("load")
    assert page.evaluate(CUT_TABLES_JS) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    labelled = page.locator("article td[data-label]")
    if labelled.count():  # the stacked cell names its column, before its content
        assert labelled.first.is_visible()
        shown = labelled.first.evaluate("td => getComputedStyle(td, '::before').content")
        assert shown == '"' + (labelled.first.get_attribute("data-label") or "") + ': "', shown


@pytest.mark.parametrize("path", DATA_PAGES)
def test_picture_text_is_legible_on_a_phone(
    browse: Callable[..., Session], example_site: Served, path: str
) -> None:
    page = _open(browse(), example_site, path, PHONE)
    page.wait_for_load_state("load")
    texts = page.evaluate(SVG_TEXT_JS)
    small = [t for t in texts if t["px"] < MIN_TEXT_PX - 0.01]
    assert small == [], small[:5]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_decisions_and_ship_dates_are_in_the_first_screen(
    browse: Callable[..., Session], example_site: Served, expect: Any, viewport: dict[str, int]
) -> None:
    page = _open(browse(), example_site, "playbook/workshops/northwind-retail/", viewport)
    decided = page.locator("article table").first
    first = decided.locator("tbody tr").first
    expect(first).to_contain_text("Post-purchase recommendations that know what was bought")
    expect(first).to_contain_text("2027-06-18")
    priority = first.locator("td").nth(0).bounding_box()
    # who owns it, then the delivery status before the ship date, all in the first screen
    owner = first.locator("td").nth(1).locator("a").first
    expect(owner).to_have_attribute("href", re.compile(r"people/"))
    status = first.locator("td").nth(2).locator(".prepbook-status").first.bounding_box()
    ships = first.locator("td").nth(3).locator("strong").first.bounding_box()
    owned = owner.bounding_box()
    assert priority is not None and status is not None and ships is not None
    assert owned is not None
    for box in (priority, owned, status, ships):
        assert box["y"] + min(box["height"], 40) <= viewport["height"], (box, viewport)


def test_notes_are_rendered(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    page = _open(browse(), example_site, "playbook/workshops/northwind-retail/", WIDE)
    article = page.locator("article")
    # the reason a priority was parked, and a team member's and a step's notes
    expect(article).to_contain_text("too likely to feel like surveillance")
    expect(article).to_contain_text("Sponsor of the personalization budget")
    expect(article).to_contain_text("No production changes to site or e-mail between")


@pytest.mark.parametrize("word", ["likelihood", "playbook", "Northwind"])
def test_search_snippets_hold_no_picture_text(
    browse: Callable[..., Session], example_site: Served, expect: Any, word: str
) -> None:
    """Words drawn only in pictures ("Inherent risk" on a heatmap's axis, the legend's
    "closes a gap") never turn up in a search result."""
    page = _open(browse(), example_site, "playbook/", WIDE)
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially(word, delay=30)
    results = page.locator(".md-search-result__list > .md-search-result__item")
    expect(results.first).to_be_visible()
    text = " ".join(results.all_inner_texts())
    for drawn in ("Inherent risk", "closes a gap", "The data of this picture"):
        assert drawn not in text, (word, drawn)


def test_a_workshop_page_ranks_first_for_its_organisation(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    page = _open(browse(), example_site, "playbook/", WIDE)
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("Northwind Retail", delay=30)
    first = page.locator(".md-search-result__list > .md-search-result__item").first
    expect(first).to_be_visible()
    href = first.locator("a").first.get_attribute("href") or ""
    assert "workshops/northwind-retail/" in href, href


def test_data_pages_use_the_full_width(
    browse: Callable[..., Session], example_site: Served
) -> None:
    """At 1920 px a data page's column is wider than a hand-written page's, which keeps a
    readable measure."""
    session = browse()
    widths = {}
    for path in ("playbook/workshops/northwind-retail/", "workshop/"):
        page = _open(session, example_site, path, {"width": 1920, "height": 900})
        widths[path] = page.evaluate("document.querySelector('article').clientWidth")
    assert widths["playbook/workshops/northwind-retail/"] > 1.3 * widths["workshop/"], widths
