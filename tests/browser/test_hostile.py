"""The hostile suite's injection payloads, opened in a real browser: one workshop per
payload, every text field filled with it. Opening every page of that site must run nothing
(no dialog: each payload that would run calls alert), fetch nothing from elsewhere (the image
and link payloads point off the machine), and show each payload as the text it is.

The hostile suite (tests/hostile/test_injection.py) reads the built HTML; this reads the DOM
a browser made of it, after Material's own scripts ran, which is what a reader gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from prepbook.model.fields import MAX_SHORT_TEXT
from tests.browser.conftest import hostile_id
from tests.browser.crawl import Crawl, crawl
from tests.browser.harness import STATS, Served, Session, is_local, open_session
from tests.hostile.test_injection import PAYLOADS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# What a payload would leave in the DOM had it become markup instead of text.
MARKUP_JS = """() => {
  const found = [];
  const urls = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${el.tagName} ${name}=${attr.value}`);
      const value = attr.value.replace(/\\s/g, "").toLowerCase();
      if (urls.includes(name) && value.startsWith("javascript:")) {
        found.push(`${el.tagName} ${name}=${attr.value}`);
      }
      if (urls.includes(name) && value.includes("example.invalid")) {
        found.push(`${el.tagName} ${name}=${attr.value}`);
      }
    }
    if (el.id === "injected-id") found.push(`${el.tagName} id=injected-id`);
    if (el.classList.contains("injected-class")) found.push(`${el.tagName} .injected-class`);
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, textarea")) {
    found.push(el.tagName);
  }
  for (const script of document.scripts) {
    if (script.textContent.includes("alert")) found.push("script " + script.textContent);
  }
  const made = {b: "bold", strong: "strong", em: "em", code: "code", del: "gone",
                mark: "mark", h1: "Heading", h2: "Heading", blockquote: "quote"};
  for (const [tag, text] of Object.entries(made)) {
    for (const el of document.querySelectorAll(tag)) {
      if (el.textContent.trim() === text) found.push(`<${tag}>${text}</${tag}>`);
    }
  }
  return found;
}"""


def as_shown(payload: str) -> str:
    """The payload as a reader sees it: its printable characters, whitespace collapsed."""
    kept = "".join(c for c in payload if c.isprintable() or c.isspace())
    return " ".join(kept.split())


def test_the_detectors_see_an_injection(
    browse: Callable[..., Session], hostile_site: Served
) -> None:
    """The checks below pass only because nothing ran: here markup that did get through
    (written into a served page by hand) is caught by each of them."""
    session = browse(counted=False)  # its offsite request is no finding of the summary
    page = session.new_page()
    page.goto(hostile_site.url)
    page.evaluate("""() => { document.body.insertAdjacentHTML("beforeend",
        '<b>bold</b><a href="javascript:void(0)">x</a><img src="http://example.invalid/p.png">');
        const script = document.createElement("script");
        script.textContent = "alert('ran')";
        document.body.append(script); }""")
    page.wait_for_load_state("networkidle")
    assert session.dialogs == [f"{hostile_site.url}: alert 'ran'"]
    assert session.offsite == ["http://example.invalid/p.png"]
    found = page.evaluate(MARKUP_JS)
    assert "<b>bold</b>" in found and "A href=javascript:void(0)" in found, found
    assert any(item.startswith("IMG src=http://example.invalid") for item in found), found
    assert any(item.startswith("script alert") for item in found), found


@pytest.fixture(scope="module")
def crawled(browser: Browser, hostile_site: Served) -> Iterator[tuple[Crawl, Session, list[str]]]:
    """Every page of the hostile site, opened once; what each left in its DOM."""
    session = open_session(browser)
    markup: list[str] = []

    def inspect(page: Page, url: str) -> None:
        markup.extend(f"{url}: {found}" for found in page.evaluate(MARKUP_JS))

    result = crawl(session, hostile_site.url, inspect)
    internal = result.internal_links()
    STATS.crawled["hostile"] = len(result.pages)
    STATS.links_checked["hostile"] = len(internal)
    STATS.link_targets["hostile"] = len({href for _, href in internal})
    yield result, session, markup
    session.context.close()


def test_every_page_loads_and_links_resolve(
    crawled: tuple[Crawl, Session, list[str]], hostile_site: Served
) -> None:
    result, _, _ = crawled
    assert {url: status for url, status in result.status.items() if status != 200} == {}
    for name in PAYLOADS:
        assert f"{hostile_site.url}playbook/workshops/{hostile_id(name)}/" in result.pages
    assert result.broken_links() == []
    # no payload became a link off the site: the only one is the theme's footer credit
    # (this site does not turn it off, as mkdocs.yml's generator: false does)
    offsite = {href for _, href in result.links if not href.startswith(hostile_site.url)}
    assert offsite <= {"https://squidfunk.github.io/mkdocs-material/"}, offsite


def test_opening_every_page_runs_nothing(crawled: tuple[Crawl, Session, list[str]]) -> None:
    _, session, markup = crawled
    assert session.dialogs == []
    assert markup == []
    assert session.console_errors == []


def test_no_request_leaves_localhost(crawled: tuple[Crawl, Session, list[str]]) -> None:
    _, session, _ = crawled
    assert session.offsite == []
    assert [url for url in session.requests if not is_local(url)] == []


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_shown_as_text(
    browse: Callable[..., Session], hostile_site: Served, expect: Any, name: str
) -> None:
    session = browse()
    page = session.new_page()
    page.goto(f"{hostile_site.url}playbook/workshops/{hostile_id(name)}/")
    payload = PAYLOADS[name]
    title = " ".join(payload.split())[:MAX_SHORT_TEXT]  # short fields hold it on one line
    heading = page.locator("article h1")
    expect(heading).to_be_visible()
    expect(heading).to_contain_text(title)
    shown = " ".join(page.locator("article").inner_text().split())
    assert as_shown(payload) in shown, shown[:500]
    # handlers that wait for a reader: pointing at and focusing what holds the payload
    heading.hover()
    for _ in range(5):
        page.keyboard.press("Tab")
    assert session.dialogs == []
    assert page.evaluate(MARKUP_JS) == []
    assert session.offsite == []
    assert session.console_errors == []
