"""What the browser tests share: building and serving a site, launching contexts that guard
the network, and the record of everything the browser did (for the closing summary).

Kept out of conftest.py so that helper modules and tests import one copy of the record.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

from tests.conftest import PINNED_EPOCH, REPO
from tests.test_site import ENV

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Request, Route

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "tests" / "browser" / "screenshots"
TIMEOUT_MS = 30_000
# A fixed build date: the method's review-date and delivery rules read it, and builds stay
# reproducible. The examples are written as of the suite's pinned date: on it each of their
# committed priorities shows the delivery status it is there to show.
BUILD_ENV = {**ENV, "SOURCE_DATE_EPOCH": PINNED_EPOCH, "LANG": "C.UTF-8"}
# Debian's Chromium as root in a container: no sandbox, no GPU, and none of the background
# traffic (updates, sync, first-run pages) a desktop browser would start by itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # one raster thread, no partial raster: the same screenshot bytes from run to run
    "--disable-partial-raster",
    "--num-raster-threads=1",
]
LOCAL_HOST = "127.0.0.1"
PALETTES = ("light", "dark")
SCHEMES = {"light": "default", "dark": "slate"}  # Material's data-md-color-scheme
IMPACTS = ("critical", "serious", "moderate", "minor")


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine, fail in CI: a CI run without its browser tests must
    not pass as if it had run them."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass
class Stats:
    """Counts for the closing summary, added up over every browser test of the run."""

    pages_loaded: int = 0  # documents loaded in a tab, in every test
    crawled: dict[str, int] = field(default_factory=dict)  # distinct pages, by site
    links_checked: dict[str, int] = field(default_factory=dict)  # link occurrences, by site
    link_targets: dict[str, int] = field(default_factory=dict)  # distinct targets, by site
    svg_links: int = 0  # picture links clicked
    requests: int = 0
    offsite: list[str] = field(default_factory=list)
    axe: dict[str, Counter[str]] = field(default_factory=dict)  # page -> impact -> count
    axe_rules: dict[str, set[str]] = field(default_factory=dict)  # page -> "rule (impact)"
    screenshots: list[str] = field(default_factory=list)


STATS = Stats()


# --- building and serving a site -------------------------------------------------------------


def build(root: Path) -> Path:
    """Build the playbook in ``root`` with ``--strict``, as a separate process, as a user
    would."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=300, env=BUILD_ENV
    )
    assert done.returncode == 0, done.stderr
    return root / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Served:
    folder: Path
    url: str  # the home page; ends with "/"
    name: str


def serve(folder: Path, name: str) -> Iterator[Served]:
    """Serve ``folder`` on 127.0.0.1, on a port the system picks (no race for a free port),
    from a thread of the test process; shut down when the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{name}", daemon=True)
    thread.start()
    try:
        yield Served(folder, f"http://{LOCAL_HOST}:{server.server_address[1]}/", name)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- browser contexts ------------------------------------------------------------------------


def is_local(url: str) -> bool:
    """A request that stays on the loopback server, or never leaves the page at all."""
    parts = urlsplit(url)
    return parts.hostname == LOCAL_HOST or parts.scheme in ("data", "blob", "about")


@dataclass
class Session:
    """One browser context and everything it saw: requests, requests stopped because they
    would have left 127.0.0.1, console errors and uncaught exceptions, and dialogs."""

    context: BrowserContext
    requests: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    counted: bool = True  # in the closing summary; not a test's deliberate injection

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        page.on("console", lambda msg: self._console(page, msg.type, msg.text))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))
        page.on("load", lambda _: self._loaded())
        page.on("dialog", lambda dialog: self._dialog(page, dialog))
        return page

    def _console(self, page: Page, kind: str, text: str) -> None:
        if kind == "error":
            self.console_errors.append(f"{page.url}: {text}")

    def _loaded(self) -> None:  # a document loaded; following a #link loads none
        if self.counted:
            STATS.pages_loaded += 1

    def _dialog(self, page: Page, dialog: Dialog) -> None:
        # recorded, then dismissed: an open dialog would block the page
        self.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if self.counted:
            STATS.requests += 1

    def _route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
            return
        self.offsite.append(url)
        if self.counted:
            STATS.offsite.append(url)
        route.abort("blockedbyclient")


def open_session(browser: Browser, palette: str = "light", *, counted: bool = True) -> Session:
    """A new browser context in the light or the dark palette. The palettes of mkdocs.yml
    follow prefers-color-scheme, so the context emulates it; each context starts with empty
    storage, so no palette chosen earlier carries over."""
    context = browser.new_context(
        color_scheme="dark" if palette == "dark" else "light",
        viewport={"width": 1280, "height": 900},
        device_scale_factor=1,
        reduced_motion="reduce",
        locale="en-GB",
        timezone_id="UTC",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    session = Session(context, counted=counted)
    context.on("request", session._request)
    context.route("**/*", session._route)
    return session
