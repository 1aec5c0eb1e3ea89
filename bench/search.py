"""Search at playbook scale, three ways over the same built site, as a reader meets each.

- ``theme``: Material's own search (lunr), as the theme ships it: every page opened
  downloads the whole index, and a web worker indexes all of it before the first answer.
- ``pagefind``: what prepbook builds: Material's search box answered by prepbook's worker
  from a Pagefind index, of which a query loads only the chunks of its words and the
  fragments of the pages it lists.
- ``smaller``: the theme's search over a smaller index: a workshop page one entry (its
  title, summary, decisions and records in one text, no entry per record), the other
  pages as they are.

One build serves all three, made with ``theme_search_index: true`` so that it writes the
theme's index too (prepbook leaves it empty otherwise): prepbook's pages are served as
built for ``pagefind``, and with the theme's search box put back (the form's name, the
theme's worker) for the other two, ``smaller`` with the cut index in place of the theme's.
So the figures compare the search alone, on the same pages, in the same run. For each:
seconds to the first result from the first key and from the start of the page's
navigation, the bytes the browser received before it, and the index's size on disk.
Measured and reported, never asserted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from bench.floor import search_bytes
from bench.site import CHROMIUM, CHROMIUM_ARGS, search_home
from bench.site import served as site_served

VARIANTS = ("theme", "pagefind", "smaller")
WORKSHOPS = "playbook/workshops/"
# the pages are served as prepbook's build wrote them, or with the theme's search box back
_PREPBOOK_FORM = b'name="search-pagefind"'
_THEME_FORM = b'name="search"'
_PREPBOOK_WORKER = b"assets/prepbook/search-worker.js"


@dataclass
class SearchFigures:
    variant: str
    from_typing: float  # seconds from the first key pressed to the first result
    from_load: float  # seconds from the start of the page's navigation
    bytes_before: int  # bytes of the responses received before the first result
    requests_before: int
    index_bytes: int  # the index on disk (the theme's JSON, or Pagefind's folder)
    first_href: str  # where the best answer leads (a check that it found the page)


@dataclass
class IndexCost:
    seconds: float
    peak_mb: float


def theme_worker(site: Path) -> bytes:
    """The theme's worker, relative to the site's root."""
    found = sorted((site / "assets/javascripts/workers").glob("search.*.min.js"))
    return found[0].relative_to(site).as_posix().encode()


def smaller_index(site: Path) -> bytes:
    """The theme's index with each workshop page one entry: its sections' text joined to
    the page's, and no entry of its own for each record."""
    index = json.loads((site / "search/search_index.json").read_bytes())
    docs: list[dict[str, Any]] = []
    pages: dict[str, dict[str, Any]] = {}
    for doc in index["docs"]:
        url = str(doc["location"]).partition("#")[0]
        if not url.startswith(WORKSHOPS):
            docs.append(doc)
        elif url not in pages:
            pages[url] = {"location": url, "title": doc["title"], "text": doc["text"]}
            docs.append(pages[url])
        else:
            pages[url]["text"] += " " + str(doc["title"]) + " " + str(doc["text"])
    index["docs"] = docs
    return json.dumps(index, separators=(",", ":")).encode()


def index_bytes(site: Path, variant: str, smaller: bytes) -> int:
    if variant == "pagefind":
        return search_bytes(site)
    if variant == "smaller":
        return len(smaller)
    return (site / "search/search_index.json").stat().st_size


def _handler(site: Path, variant: str, smaller: bytes) -> type[SimpleHTTPRequestHandler]:
    worker = theme_worker(site)

    class Variant(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if variant == "pagefind" or not (
                path.endswith((".html", "/")) or path.endswith("search_index.json")
            ):
                super().do_GET()
                return
            if path.endswith("search_index.json"):
                body = smaller if variant == "smaller" else None
            else:
                file = site / path.lstrip("/")
                file = file / "index.html" if file.is_dir() else file
                html = file.read_bytes() if file.is_file() else None
                body = (
                    None
                    if html is None
                    else html.replace(_PREPBOOK_FORM, _THEME_FORM, 1).replace(
                        _PREPBOOK_WORKER, worker, 1
                    )
                )
            if body is None:
                super().do_GET()
                return
            self.send_response(200)
            kind = "application/json" if path.endswith(".json") else "text/html"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Variant


def served(site: Path, variant: str, smaller: bytes) -> AbstractContextManager[str]:
    """The built site served as ``variant`` serves it (see :func:`bench.site.served`)."""
    return site_served(site, _handler(site, variant, smaller))


def first_result(site: Path, variant: str, query: str, smaller: bytes) -> SearchFigures:
    """Open the home page in a fresh browser, type ``query`` into the search box at once,
    and wait for the first result."""
    from playwright.sync_api import sync_playwright

    received: list[tuple[float, int]] = []
    with served(site, variant, smaller) as root, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()

            def finished(request: Any) -> None:
                sizes = request.sizes()
                received.append(
                    (time.perf_counter(), sizes["responseBodySize"] + sizes["responseHeadersSize"])
                )

            page.on("requestfinished", finished)
            started, typed, found = search_home(page, root, query, keys=True, timeout_ms=600_000)
            # where the answer to the whole query leads (the first result shown may answer
            # the query as it was a few keys earlier, on a loaded machine)
            page.wait_for_timeout(1500)
            href = page.locator(".md-search-result__item a").first.get_attribute("href") or ""
            context.close()
        finally:
            browser.close()
    before = [size for at, size in received if at <= found]
    return SearchFigures(
        variant=variant,
        from_typing=found - typed,
        from_load=found - started,
        bytes_before=sum(before),
        requests_before=len(before),
        index_bytes=index_bytes(site, variant, smaller),
        first_href=re.sub(r"^https?://[^/]+", "", href),
    )


def pagefind_cost(site: Path) -> IndexCost:
    """Seconds and peak memory of indexing the built site with Pagefind alone, as the build
    does after MkDocs has written the pages, in a fresh process."""
    script = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from prepbook.render.pagefind import index_site\n"
        "started = time.perf_counter()\n"
        "index_site(Path(sys.argv[1]))\n"
        "seconds = time.perf_counter() - started\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(seconds, peak)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(site)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    seconds, peak = done.stdout.split()
    return IndexCost(float(seconds), float(peak))


def search_figures(site: Path, query: str) -> tuple[list[SearchFigures], IndexCost]:
    """The three variants' first results for ``query``, and what Pagefind's indexing cost."""
    cost = pagefind_cost(site)
    smaller = smaller_index(site)
    return [first_result(site, v, query, smaller) for v in VARIANTS], cost
