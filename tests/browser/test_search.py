"""Material's search, run in the browser as a reader runs it, finds a persofail by a word of
its scenario, and the result leads to that persofail.

"noticed" occurs in one place of the example playbook: the scenario of Northwind's
toilet-seat persofail, so it can only be found through the persofail's own text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.browser.harness import Served, Session

WORD = "noticed"
WORKSHOP = "/playbook/workshops/northwind-retail/"
PERSOFAIL = "persofail-toilet-seat-loop"
TITLE = "Recommending the toilet seat the customer just bought"

# The id of the nearest persofail anchor at or before the element the URL points at: the
# record whose section the reader landed in (no other heading in between).
LANDED_IN_JS = """() => {
  const target = document.querySelector(":target");
  if (!target) return null;
  if (target.id.startsWith("persofail-")) return target.id;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  let found = null;
  for (let node = walker.nextNode(); node && node !== target; node = walker.nextNode()) {
    if (node.id && node.id.startsWith("persofail-")) found = node.id;
    else if (/^H[1-6]$/.test(node.tagName)) found = null;
  }
  return found;
}"""


def test_search_finds_a_persofail_by_its_scenario(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    session = browse()
    page = session.new_page()
    page.goto(example_site.url + "playbook/")
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially(WORD, delay=50)

    # Material lists each matching page with its matching sections as links below it
    results = page.locator(".md-search-result__list > .md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_have_text("1 matching document")
    links = results.first.locator("a.md-search-result__link")
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    assert hrefs and all(urlsplit(href).path == WORKSHOP for href in hrefs), hrefs
    section = links.filter(has=page.get_by_role("heading", name=TITLE))
    expect(section).to_have_count(1)
    expect(section.locator("mark")).to_have_text(WORD)

    section.click()
    page.wait_for_url(f"**{WORKSHOP}**#*")
    assert urlsplit(page.url).path == WORKSHOP
    fragment = unquote(urlsplit(page.url).fragment)
    target = page.locator(":target")
    expect(target).to_have_count(1)
    assert target.get_attribute("id") == fragment
    expect(target).to_be_in_viewport()
    # the landing point is the persofail's anchor, or the heading of the section it opens
    assert page.evaluate(LANDED_IN_JS) == PERSOFAIL, (page.url, fragment)
    if fragment != PERSOFAIL:
        expect(target).to_contain_text(TITLE)
    assert session.console_errors == []
    assert session.offsite == []
