"""Every page that holds a picture or a wide table, read on a 390 px phone and at 1280 px:
no picture, figure or table is wider than its column, the page never scrolls sideways, and
a picture's text renders at 9 px or more (11 px as drawn, never scaled on a phone). The
pages are recorded as screenshots at both widths, for review.

Widths are measured by the browser after Material has laid the page out and wrapped its
tables, which no test of the generated HTML could do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.harness import SCREENSHOTS, STATS, Served, Session

PAGES = {
    "home": "",
    "portfolio": "playbook/",
    "workshop": "playbook/workshops/northwind-retail/",
    "workshop-metrics": "playbook/workshops/harbor-bank/",
    "roadmap": "playbook/roadmap/",
    "quarter": "playbook/roadmap/2027-q1/",
    "catalogue": "playbook/persofails/",
    "register": "playbook/audit/",
    "team": "playbook/people/",
    "rules": "reference/rules/",
}
WIDTHS = (390, 1280)

# Each shown svg, figure and table whose box, or whose content, is wider than its parent's
# inside; then the smallest text of each shown picture as it renders (its font size times
# the picture's scale on screen).
MEASURE_JS = """() => {
  const wide = [];
  const shown = ".md-content svg, .md-content figure, .md-content table";
  for (const el of document.querySelectorAll(shown)) {
    if (!el.getClientRects().length) continue;
    const parent = el.parentElement;
    const width = el.getBoundingClientRect().width;
    const room = parent.getBoundingClientRect().width;
    if (el.scrollWidth > parent.clientWidth + 1 || width > room + 1)
      wide.push(`${el.tagName} ${el.id || ""} ${el.scrollWidth} in ${parent.clientWidth}`);
  }
  const text = [];
  for (const svg of document.querySelectorAll("svg.pb-svg")) {
    if (!svg.getClientRects().length) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = Array.from(svg.querySelectorAll("text")).map(
      t => parseFloat(getComputedStyle(t).fontSize) * scale);
    text.push([svg.id, Math.min(...sizes)]);
  }
  return {wide, text, page: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_overflows_its_column(
    browse: Callable[..., Session], example_site: Served, expect: Any, name: str, width: int
) -> None:
    session = browse()
    page = session.new_page()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(example_site.url + PAGES[name])
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search")
    page.evaluate("document.fonts.ready.then(() => true)")
    found = page.evaluate(MEASURE_JS)
    assert found["wide"] == [], found["wide"]
    assert found["page"] <= width, found["page"]
    for picture, smallest in found["text"]:
        assert smallest >= 9, (picture, smallest)
    if name in ("portfolio", "workshop", "roadmap", "catalogue"):
        assert found["text"], "no picture shown"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"fit-{name}-{width}.png"
    page.screenshot(path=target, full_page=True, animations="disabled", caret="hide", scale="css")
    STATS.screenshots.append(target.name)
    assert session.console_errors == []
    assert session.offsite == []
