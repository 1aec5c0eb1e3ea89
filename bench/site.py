"""The built site as a reader meets it: page sizes, load times and search in Chromium.

Timed tests would be flaky on a shared machine, so these figures are measured here and
reported, never asserted. The site is served from 127.0.0.1 by a plain HTTP server, the
way ``mkdocs serve`` or any static host would, and the machine's Chromium is driven by
Playwright (the browser is never downloaded).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.floor import search_bytes
from bench.measure import ENV, run

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOST = "127.0.0.1"
WORKSHOP_SAMPLE = 50  # workshop pages loaded, spread evenly over the playbook
ZENSICAL_YML = """\
site_name: Benchmark playbook
docs_dir: docs
nav:
  - Home: index.md
  - Playbook: playbook/index.md
"""


@dataclass
class SiteFigures:
    workshops: int
    largest_page: tuple[str, int]  # path in the site, bytes
    html_pages: int
    loads: dict[str, float]  # path -> seconds to the load event
    search_index: int  # bytes
    first_result_from_load: float  # seconds from the start of the page's navigation
    first_result_from_typing: float  # seconds from the first key pressed
    zensical: tuple[bool, float, str]  # built, seconds, the error's last line


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page left before it finished loading (the next URL, or the search index
        still downloading) resets its connection: not an error of the site."""


@contextmanager
def served(site: Path, handler_class: type[SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """The built site on 127.0.0.1, on a free port, for the duration of the block, each
    request answered by ``handler_class``."""
    handler = functools.partial(handler_class, directory=str(site))
    server = _Server((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def pages_to_load(site: Path, sample: int = WORKSHOP_SAMPLE) -> list[str]:
    """Every playbook page but the workshops', and a sample of workshop pages: the URLs
    (relative to the site's root) of their ``index.html``."""
    section, workshops = [], []
    for page in sorted((site / "playbook").rglob("index.html")):
        url = page.parent.relative_to(site).as_posix() + "/"
        (workshops if url.startswith("playbook/workshops/") else section).append(url)
    step = max(1, len(workshops) // sample) if sample else len(workshops) + 1
    return ["", *section, *workshops[::step][:sample]]


def _load_seconds(page: Any, url: str) -> float:
    page.goto(url, wait_until="load", timeout=120_000)
    timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventStart - n.startTime; }"
    )
    return float(timing) / 1000


def search_home(
    page: Any, root: str, query: str, *, keys: bool, timeout_ms: int
) -> tuple[float, float, float]:
    """Open the home page, open its search box and type ``query`` (key by key, as a reader
    types, or ``keys`` False: at once), then wait for the first result: when the navigation
    started, when typing started and when the first result showed (perf_counter seconds)."""
    started = time.perf_counter()
    page.goto(root, wait_until="domcontentloaded", timeout=120_000)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    typed = time.perf_counter()
    field = page.locator(".md-search__input")
    if keys:  # the box reads the query on each key released
        field.press_sequentially(query)
    else:
        field.fill(query)
    page.wait_for_selector(".md-search-result__item", timeout=timeout_ms)
    return started, typed, time.perf_counter()


def browse(
    site: Path, query: str, sample: int = WORKSHOP_SAMPLE
) -> tuple[dict[str, float], float, float]:
    """Seconds to each page's load event, and to the first search result for ``query``
    (from the start of the home page's navigation, and from the first key pressed)."""
    from playwright.sync_api import sync_playwright

    loads: dict[str, float] = {}
    with served(site) as root, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            for url in pages_to_load(site, sample):
                loads[url] = _load_seconds(page, root + url)
            context.close()
            # A fresh context: nothing cached, as for a reader who opens the site and searches.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            started, typed, found = search_home(page, root, query, keys=False, timeout_ms=300_000)
            context.close()
        finally:
            browser.close()
    return loads, found - started, found - typed


def zensical_build(root: Path, folder: Path) -> tuple[bool, float, str]:
    """The pages ``prepbook generate`` writes, built by Zensical with a minimal
    configuration (it runs no MkDocs plugin): built or not, seconds, the error."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(root, folder, ignore=shutil.ignore_patterns("site"))
    run(folder, "prepbook", "generate", "--out", "docs/playbook")
    (folder / "mkdocs.yml").write_text(ZENSICAL_YML)
    zensical = shutil.which("zensical") or str(Path(sys.executable).with_name("zensical"))
    started = time.perf_counter()
    done = subprocess.run(
        [zensical, "build"], cwd=folder, env=ENV, capture_output=True, text=True, timeout=3600
    )
    seconds = time.perf_counter() - started
    output = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode == 0, seconds, (output[-1] if output and done.returncode else "")


def site_figures(root: Path, workshops: int, query: str, work: Path) -> SiteFigures:
    """Everything above for the site ``mkdocs build`` wrote in ``root``/site."""
    site = root / "site"
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    loads, from_load, from_typing = browse(site, query)
    return SiteFigures(
        workshops=workshops,
        largest_page=(largest.relative_to(site).as_posix(), largest.stat().st_size),
        html_pages=len(pages),
        loads=loads,
        search_index=search_bytes(site),
        first_result_from_load=from_load,
        first_result_from_typing=from_typing,
        zensical=zensical_build(root, work),
    )


def synthetic_organisation(i: int) -> str:
    """The organisation of the ``i``-th synthetic workshop: what a reader would search."""
    from bench.synthetic import INDUSTRIES

    return f"{INDUSTRIES[i % len(INDUSTRIES)].capitalize()} company {i}"
