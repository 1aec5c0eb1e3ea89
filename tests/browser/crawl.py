"""Crawling a served site in the browser: every page reachable from the home page, the ids
each one holds after its scripts ran, and every link it makes.

The ids and links are read from the live DOM, not the HTML file, because that is what a
reader's click resolves against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

from tests.browser.harness import Session

if TYPE_CHECKING:
    from playwright.sync_api import Page

# href as the browser resolves it; SVG links too (their .href is not a string)
LINKS_JS = """() => Array.from(document.querySelectorAll("a[href]"), a => {
  const raw = a.getAttribute("href");
  try { return new URL(raw, document.baseURI).href; } catch (e) { return raw; }
})"""
# what a fragment can point at: an id, or the name of an <a>
IDS_JS = """() => [
  ...Array.from(document.querySelectorAll("[id]"), e => e.id),
  ...Array.from(document.querySelectorAll("a[name]"), e => e.getAttribute("name")),
]"""


@dataclass
class Crawl:
    start: str
    status: dict[str, int] = field(default_factory=dict)  # URL without fragment -> status
    ids: dict[str, set[str]] = field(default_factory=dict)  # HTML page -> ids it holds
    links: list[tuple[str, str]] = field(default_factory=list)  # (page, absolute href)

    @property
    def pages(self) -> list[str]:
        return sorted(self.ids)

    def internal_links(self) -> list[tuple[str, str]]:
        return [(page, href) for page, href in self.links if is_internal(href, self.start)]

    def broken_links(self) -> list[str]:
        """Internal links to a page that did not load with 200, or to an anchor the page
        does not hold."""
        problems = []
        for page, href in self.internal_links():
            target, fragment = urldefrag(href)
            status = self.status.get(target)
            if status != 200:
                problems.append(f"{page}: {href} (status {status})")
            elif fragment and target in self.ids and unquote(fragment) not in self.ids[target]:
                problems.append(f"{page}: {href} (no element with id {unquote(fragment)!r})")
        return problems


def is_internal(href: str, start: str) -> bool:
    parts, base = urlsplit(href), urlsplit(start)
    return parts.scheme in ("http", "https") and parts.netloc == base.netloc


def is_page(url: str) -> bool:
    """Whether the address is a page to open, not a file to download (the exports: JSON,
    a calendar, CSV), which a browser would save rather than show."""
    return PurePosixPath(urlsplit(url).path).suffix in ("", ".html", ".htm")


def crawl(
    session: Session, start: str, inspect: Callable[[Page, str], None] | None = None
) -> Crawl:
    """Load every page reachable from ``start`` by following internal links, breadth first,
    in one tab, and ask for every file they link to; ``inspect`` looks at each HTML page
    once it has loaded."""
    result = Crawl(start)
    page = session.new_page()
    queue, seen = [start], {start}
    while queue:
        url = queue.pop(0)
        if not is_page(url):  # a file: only whether it is there
            result.status[url] = page.request.get(url).status
            continue
        response = page.goto(url, wait_until="load")
        result.status[url] = response.status if response else 0
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        ids = set(page.evaluate(IDS_JS))
        result.ids[url] = ids
        final = urldefrag(page.url).url
        if final != url:  # a redirect, such as a folder without its slash
            result.ids[final] = ids
            result.status[final] = 200
        if inspect is not None:
            inspect(page, url)
        for href in page.evaluate(LINKS_JS):
            result.links.append((url, href))
            target = urldefrag(href).url
            if is_internal(href, start) and target not in seen:
                seen.add(target)
                queue.append(target)
    page.close()
    return result
