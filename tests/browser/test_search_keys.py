"""Material's search box, answered from the Pagefind index, keeps the theme's keyboard: ``/``,
``s`` and ``f`` focus it, the arrows move through the results, Enter opens the one in
focus, Esc closes the box. Only local files are fetched, the theme's whole lunr index among
none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.harness import Served, Session

WORKSHOP = "/playbook/workshops/northwind-retail/"


def answers_from_pagefind(session: Session, page: Any, expect: Any) -> None:
    """The organisation's name typed into the focused box: the workshop's page comes first,
    from the Pagefind index, the theme's own index never fetched."""
    page.keyboard.type("Northwind Retail", delay=30)
    first = page.locator(".md-search-result__list > .md-search-result__item").first
    expect(first).to_be_visible()
    href = first.locator("a").first.get_attribute("href") or ""
    assert urlsplit(href).path == WORKSHOP, href
    paths = [urlsplit(url).path for url in session.requests]
    assert any(path.startswith("/pagefind/") for path in paths), paths
    assert not any(path.endswith("search_index.json") for path in paths), paths
    assert session.console_errors == []


@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_a_shortcut_focuses_the_box_and_a_query_shows_a_result(
    browse: Callable[..., Session], example_site: Served, expect: Any, key: str
) -> None:
    session = browse()
    page = session.new_page()
    page.goto(example_site.url)
    field = page.locator("input.md-search__input")
    expect(field).not_to_be_focused()
    page.keyboard.press(key)
    expect(field).to_be_focused()
    answers_from_pagefind(session, page, expect)
    assert session.offsite == []


def test_the_arrows_move_enter_opens_and_escape_closes(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    session = browse()
    page = session.new_page()
    page.goto(example_site.url)
    page.keyboard.press("/")
    page.keyboard.type("noticed", delay=30)
    results = page.locator(".md-search-result__list > .md-search-result__item")
    expect(results.first).to_be_visible()
    links = results.first.locator("a.md-search-result__link")
    page.keyboard.press("ArrowDown")
    expect(links.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(links.first).to_be_focused()
    page.keyboard.press("Escape")
    toggle = page.locator("#__search")
    expect(toggle).not_to_be_checked()
    # back in the box, Enter opens the best result
    page.keyboard.press("/")
    expect(toggle).to_be_checked()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{WORKSHOP}**")
    assert urlsplit(page.url).path == WORKSHOP
    assert any(urlsplit(url).path.startswith("/pagefind/") for url in session.requests)
    assert session.console_errors == []


def test_a_page_loads_no_part_of_the_index_until_the_reader_searches(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    """Every page starts the search worker; under ``mkdocs serve`` a request for the index
    has the whole site indexed again after an edit, so the worker asks for none of it
    before the first query, nor for the empty query the box sends as it starts."""
    session = browse()
    page = session.new_page()
    page.goto(example_site.url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.wait_for_timeout(500)
    paths = [urlsplit(url).path for url in session.requests]
    assert any(path.endswith("/search-worker.js") for path in paths), paths
    assert not any(path.startswith("/pagefind/") for path in paths), paths
    page.keyboard.type("noticed", delay=30)
    expect(page.locator(".md-search-result__list > .md-search-result__item").first).to_be_visible()
    paths = [urlsplit(url).path for url in session.requests]
    assert any(path.startswith("/pagefind/") for path in paths), paths
    assert session.console_errors == []


def test_the_not_found_page_searches_the_same_index(
    browse: Callable[..., Session], example_site: Served, expect: Any
) -> None:
    """The 404 page is the theme's template, not a page of the site: its box asks Pagefind
    too, since the theme's own index is left empty."""
    session = browse()
    page = session.new_page()
    page.goto(example_site.url + "404.html")
    page.keyboard.press("/")
    answers_from_pagefind(session, page, expect)
