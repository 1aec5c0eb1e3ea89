"""The browser tests' fixtures: the example and the hostile site, built fresh and served on
127.0.0.1, and Debian's Chromium driven by Playwright.

Stakeholders read the site in a browser, so these tests look at it through one: only a
browser runs Material's search, applies the palettes and would run a hostile string as
script. The browser is never downloaded (the machine's Chromium is launched by its path), and
every request that would leave 127.0.0.1 is recorded and aborted, so the tests never touch
the network and a page that tries to is caught.

Without Chromium, Playwright or axe-core the tests skip with the reason; under ``CI=true``
the same absence fails them, so CI cannot go green by testing nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.browser.harness import (
    AXE,
    CHROMIUM_ARGS,
    IMPACTS,
    LOCAL_HOST,
    SCREENSHOTS,
    STATS,
    TIMEOUT_MS,
    Served,
    Session,
    build,
    open_session,
    serve,
    unavailable,
)
from tests.conftest import REPO
from tests.hostile.conftest import MKDOCS_YML as HOSTILE_MKDOCS_YML
from tests.hostile.test_injection import PAYLOADS, loaded_with
from tests.test_site import copy_repo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright


def hostile_id(name: str) -> str:
    return f"injection-{name}"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The repository's playbook (content, templates, example workshops), built fresh with
    ``--strict``."""
    root = copy_repo(tmp_path_factory.mktemp("example"))
    yield from serve(build(root), "example")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One workshop per payload of the hostile suite, every text field filled with it, in
    the hostile suite's site, which enables the extensions (attr_list, md_in_html) a payload
    would need to turn into markup."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(HOSTILE_MKDOCS_YML, encoding="utf-8")
    (root / "workshops").mkdir()
    for name, payload in PAYLOADS.items():
        data = yaml.safe_load(loaded_with(payload))
        data["id"] = hostile_id(name)
        (root / "workshops" / f"{hostile_id(name)}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    yield from serve(build(root), "hostile")  # valid text: even --strict finds nothing


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def expect(playwright: Playwright) -> Any:
    """Playwright's assertions, which wait (up to 30 s here) for the page to get there."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, launched by its path: Playwright never downloads a browser here."""
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    launched = playwright.chromium.launch(
        executable_path=path, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
    )
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core as installed from the npm registry into tests/browser/node_modules."""
    if not AXE.is_file():
        unavailable("axe-core is not installed (cd tests/browser && npm ci)")
    return AXE


@pytest.fixture
def browse(browser: Browser) -> Iterator[Callable[..., Session]]:
    """New browser contexts for one test, in the light or the dark palette; closed after
    it."""
    sessions: list[Session] = []

    def start(palette: str = "light", *, counted: bool = True) -> Session:
        sessions.append(open_session(browser, palette, counted=counted))
        return sessions[-1]

    yield start
    for session in sessions:
        session.context.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The numbers for the record: what the browser loaded, checked and saw."""
    if not STATS.requests:
        return
    write = terminalreporter.write_line
    write("browser tests:")
    write(
        f"  page loads: {STATS.pages_loaded}; distinct pages crawled: "
        + ", ".join(f"{site} site {n}" for site, n in STATS.crawled.items())
    )
    write(
        "  internal links checked: "
        + ", ".join(
            f"{site} site {n} ({STATS.link_targets.get(site, 0)} distinct)"
            for site, n in STATS.links_checked.items()
        )
        + f"; picture links clicked: {STATS.svg_links}"
    )
    write(
        f"  requests: {STATS.requests}; to a host other than {LOCAL_HOST} "
        f"(blocked): {len(STATS.offsite)}"
    )
    for page, impacts in STATS.axe.items():
        counts = ", ".join(f"{impact} {impacts.get(impact, 0)}" for impact in IMPACTS)
        rules = ", ".join(sorted(STATS.axe_rules.get(page, set()))) or "none"
        write(f"  axe {page}, elements by impact: {counts}; rules: {rules}")
    if STATS.screenshots:
        write(
            f"  screenshots: {len(STATS.screenshots)} written to "
            f"{SCREENSHOTS.relative_to(REPO).as_posix()}/"
        )
