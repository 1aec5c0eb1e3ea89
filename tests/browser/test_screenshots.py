"""Full-page screenshots of the main pages in both palettes, written to
content/images/screenshots/<page>-<palette>.png for the README and for review.

Written on every run under fixed names, from a site built with a fixed date, at a fixed
viewport and scale, with animations and the caret off: a change in a committed picture is a
change in the site.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.harness import PALETTES, SCHEMES, SCREENSHOTS, STATS, Served, Session

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
