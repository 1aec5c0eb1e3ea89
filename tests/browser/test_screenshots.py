"""Screenshots of the main pages, for review: full pages in both palettes at 1280 px, and
the first screen of a workshop page, of the portfolio and of the home page at 1280 px and on
a 390 px phone, as a stakeholder first sees them.

Written on every run to tests/browser/screenshots/ (git-ignored: running the tests leaves
the working tree clean), under fixed names, from a site built with a fixed date, at a fixed
viewport and scale, with animations and the caret off. The README shows copies of three of
them from content/images/; refreshing those is a deliberate commit.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.harness import PALETTES, SCHEMES, SCREENSHOTS, STATS, Served, Session

FIRST_SCREENS = {
    "home": "",
    "portfolio": "playbook/",
    "workshop": "playbook/workshops/northwind-retail/",
}
VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
PAGES = {
    "portfolio": "playbook/",
    "workshop": "playbook/workshops/northwind-retail/",
    "catalogue": "playbook/persofails/",
    "roadmap": "playbook/roadmap/",
}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(
    browse: Callable[..., Session], example_site: Served, expect: Any, name: str, palette: str
) -> None:
    session = browse(palette)
    page = session.new_page()
    page.goto(example_site.url + PAGES[name])
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[palette]
    # Material repaints the header once its search has loaded the index: wait for that, or
    # the picture depends on how fast the worker was
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search")
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{palette}.png"
    data = page.screenshot(
        path=target, full_page=True, animations="disabled", caret="hide", scale="css"
    )
    width, height = png_size(data)
    assert width == 1280 and height > 900, (width, height)
    assert target.read_bytes() == data
    STATS.screenshots.append(target.name)
    assert session.offsite == []
    assert session.console_errors == []


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(FIRST_SCREENS))
def test_first_screen(
    browse: Callable[..., Session], example_site: Served, expect: Any, name: str, width: str
) -> None:
    session = browse()
    page = session.new_page()
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(example_site.url + FIRST_SCREENS[name])
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search")
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-first-screen-{width}.png"
    data = page.screenshot(path=target, animations="disabled", caret="hide", scale="css")
    assert png_size(data) == (VIEWPORTS[width]["width"], VIEWPORTS[width]["height"])
    STATS.screenshots.append(target.name)
    assert session.console_errors == []
