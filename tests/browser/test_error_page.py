"""The findings page of ``mkdocs serve`` in Chromium: a page left open on a workshop turns
into the findings when the file is saved with errors, and back into the site when it is
fixed, with no reload by hand; the hostile value in the file stays text; the page reads at
1280 px and on a 390 px phone, in both palettes, and passes axe.

Screenshots go to tests/browser/screenshots/ (git-ignored), as error-page-{width}-{palette}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import BUILD_ENV, LOCAL_HOST, SCREENSHOTS, STATS, Session
from tests.browser.test_accessibility import AXE_RUN_JS, BLOCKING
from tests.serving import free_port, mkdocs_serve, wait_until
from tests.test_error_page import ESCAPED, HEADING, HELD, WORKSHOP_URL
from tests.test_live_preview import NORTHWIND
from tests.test_site import copy_repo

HOSTILE = 'status: "<script>alert(1)</script><img src=x onerror=alert(2)>"'
VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """``mkdocs serve`` on a free local port, over a copy of the repository's playbook."""
    root = copy_repo(tmp_path / "repo")
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}{WORKSHOP_URL}"
    with mkdocs_serve(root, port, BUILD_ENV):
        status, _ = wait_until(url, "Post-purchase personalization", 120)
        assert status == 200, "mkdocs serve did not come up"
        yield root, url


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_an_open_page_shows_the_findings_and_comes_back(
    browse: Callable[..., Session],
    serving: tuple[Path, str],
    expect: Any,
    axe_script: Path,
    palette: str,
) -> None:
    root, url = serving
    browsing = browse(palette)
    page = browsing.new_page()
    page.goto(url)
    heading = page.locator("h1").first
    expect(heading).to_contain_text("Post-purchase personalization")

    source = root / NORTHWIND
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(HELD, HOSTILE, 1), encoding="utf-8")
    expect(heading).to_contain_text(HEADING)  # reloaded by the live-reload script alone
    assert page.url == url
    finding = page.locator("li").filter(has_text="is not allowed here").first
    expect(finding).to_contain_text("<script>alert(1)</script><img src=x onerror=alert(2)>")
    expect(finding).to_contain_text("workshops/northwind-retail.yaml:")
    expect(finding).to_contain_text("use one of the listed values")
    assert ESCAPED in page.content()
    assert page.locator("img").count() == 0 and browsing.dialogs == []

    page.add_script_tag(path=axe_script)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= viewport["width"], f"wider than the screen at {width} px"
        violations = page.evaluate(AXE_RUN_JS)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert blocking == [], (width, blocking)
        target = SCREENSHOTS / f"error-page-{width}-{palette}.png"
        page.screenshot(path=target, full_page=True, animations="disabled", caret="hide")
        STATS.screenshots.append(target.name)

    source.write_text(text, encoding="utf-8")
    expect(heading).to_contain_text("Post-purchase personalization")
    assert page.url == url
    assert browsing.offsite == [] and browsing.dialogs == []
    assert browsing.console_errors == []
