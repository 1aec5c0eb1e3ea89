"""Every page a reader can reach from the home page loads, every link and anchor on it
resolves in the browser, no page logs an error, and nothing is fetched from anywhere but the
site itself (the site must work offline: fonts, scripts and images are all local)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.crawl import Crawl, crawl
from tests.browser.harness import STATS, Served, Session, is_local, open_session
from tests.conftest import EXAMPLE_IDS

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def crawled(browser: Browser, example_site: Served) -> Iterator[tuple[Crawl, Session]]:
    """One crawl of the example site, shared by the tests below (it is the slow part)."""
    session = open_session(browser)
    result = crawl(session, example_site.url)
    internal = result.internal_links()
    STATS.crawled["example"] = len(result.pages)
    STATS.links_checked["example"] = len(internal)
    STATS.link_targets["example"] = len({href for _, href in internal})
    yield result, session
    session.context.close()


def test_every_reachable_page_loads(crawled: tuple[Crawl, Session], example_site: Served) -> None:
    result, _ = crawled
    assert {url: status for url, status in result.status.items() if status != 200} == {}
    paths = {urlsplit(url).path for url in result.pages}
    expected = {
        "/",
        "/playbook/",
        "/playbook/audit/",
        "/playbook/persofails/",
        "/playbook/roadmap/",
        "/reference/format/",
        "/reference/rules/",
    }
    expected |= {f"/playbook/workshops/{workshop}/" for workshop in EXAMPLE_IDS}
    assert expected <= paths, sorted(expected - paths)
    # every page the build wrote is reachable by links (the 404 page is served, not linked)
    built = {
        path.parent.relative_to(example_site.folder).as_posix()
        for path in example_site.folder.rglob("index.html")
    }
    built = {"/" if path == "." else f"/{path}/" for path in built}
    assert sorted(built - paths) == []


def test_every_internal_link_and_anchor_resolves(crawled: tuple[Crawl, Session]) -> None:
    result, _ = crawled
    internal = result.internal_links()
    assert len(internal) > 1000  # the pages are cross-linked record by record
    assert sum(1 for _, href in internal if urldefrag(href).fragment) > 500
    assert result.broken_links() == []


def test_no_link_runs_script(crawled: tuple[Crawl, Session]) -> None:
    """Only web and mail links: no javascript: or data: URL."""
    result, _ = crawled
    odd = [
        (page, href)
        for page, href in result.links
        if not href.startswith(("http:", "https:", "mailto:"))
    ]
    assert odd == []


def test_no_page_logs_a_console_error(crawled: tuple[Crawl, Session]) -> None:
    _, session = crawled
    assert session.console_errors == []
    assert session.dialogs == []


def test_no_request_leaves_localhost(crawled: tuple[Crawl, Session]) -> None:
    result, session = crawled
    assert session.offsite == []
    assert [url for url in session.requests if not is_local(url)] == []
    # the assertion covered real assets, not only the documents
    paths = [urlsplit(url).path for url in session.requests]
    assert any(path.endswith(".css") for path in paths)
    assert any(path.endswith(".js") for path in paths)
    # search: its worker; the index itself waits for a query
    assert any(path.endswith("/search-worker.js") for path in paths)
    assert len(session.requests) > len(result.pages)
