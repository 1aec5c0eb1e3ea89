"""Search that answers as fast at 5,000 workshops as at 50: a Pagefind index of the built
HTML, of which the browser loads only the fragments a query needs.

The theme's own search (lunr) downloads every page's text and indexes it in the browser
before it can answer, so the first result waits longer the larger the playbook. Pagefind
splits its index by word and its text by page: a query loads the index chunks of its words
and the fragments of the pages it shows, whatever the size of the site. This module knows
nothing of MkDocs: it runs Pagefind's binary (shipped by the ``pagefind-bin`` package, so no
network is needed) over any folder of HTML, the same for ``mkdocs build`` and for the pages
another engine built from ``prepbook generate``, and it says what search skips: the blocks
marked ``data-search-exclude`` (the summary tables, what refers to each record, owners and
statuses) and the headings' permalink signs.

Material's search box stays: its page script sends queries to a web worker and shows the
answers, so :func:`mark_page` points it at prepbook's worker (``search-worker.js``), which
answers from Pagefind in the theme's own messages. The box, its keyboard shortcuts and the
way results read are the theme's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from prepbook.errors import OutputError
from prepbook.folder_swap import alive, replace_folder, write_atomically

FOLDER = "pagefind"  # the index, inside the site
WORKER = "assets/prepbook/search-worker.js"  # inside the site; it finds ../../pagefind/
# What search skips: the same blocks the theme's search skips, and the headings' "¶".
EXCLUDE = ("[data-search-exclude]", ".headerlink")
# The element of a page that search reads (Pagefind then reads no page without it).
BODY = "data-pagefind-body"
_WORKING = ".new-"  # pagefind.new-<pid>: the index being written, by that process
TIMEOUT = 3600  # seconds: a hang is a bug, a slow machine is not

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
# The theme fetches its whole lunr index for the form named "search"; no other use of it.
_FORM = '<form class="md-search__form" name="search"'
_UNNAMED_FORM = '<form class="md-search__form" name="search-pagefind"'
_THEME_WORKER = re.compile(
    r'("search": ")([^"]*)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"'
)


class SearchIndexError(OutputError):
    """Pagefind could not index the site."""


def executable() -> Path:
    """Pagefind's binary, as the ``pagefind-bin`` package installed it."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise SearchIndexError(
            f"Pagefind's binary is missing ({exc}). Hint: install prepbook's requirements "
            "again (pip install pagefind-bin), or remove the search plugin from mkdocs.yml."
        ) from None


def worker_script() -> bytes:
    """The web worker that answers Material's search box from the Pagefind index."""
    return resources.files("prepbook.render").joinpath("assets/search-worker.js").read_bytes()


def mark_page(html: str, *, searchable: bool, boost: float | None = None) -> str:
    """A page of Material's as search reads it: its article marked as the part to index
    (unless the page is left out of search), weighted by the page's boost (a workshop's
    page ranks above the pages that mention it, as in the theme's search), and its search
    box asking prepbook's worker, without downloading the theme's lunr index."""
    if searchable:
        weight = "" if boost is None else f' data-pagefind-weight="{min(max(boost, 0.0), 10.0):g}"'
        html = _ARTICLE.sub(rf"\g<0> {BODY}{weight}", html, count=1)
    html = html.replace(_FORM, _UNNAMED_FORM, 1)
    return _THEME_WORKER.sub(rf'\g<1>\g<2>{WORKER}"', html, count=1)


def index_site(site: Path) -> None:
    """Index the HTML of ``site`` into ``site``/pagefind, with the search box's worker
    beside it. The index is written into a folder of the site named after this process
    first and takes the place of the previous one whole, so a reader never meets half an
    index (under ``mkdocs serve``, which indexes in the background); a failure leaves the
    previous one. That folder is not hidden: a killed build's staging folder gives its
    hidden entries back to the site (see :mod:`prepbook.site_swap`), and would give this
    half-made index too; as it is, it goes with the staging folder, and one a killed
    ``prepbook index`` left in a site goes at the next indexing."""
    site = Path(site)
    worker = site / WORKER
    _clear_leftovers(site)
    fresh = site / f"{FOLDER}{_WORKING}{os.getpid()}"
    command = [str(executable()), "--site", str(site), "--output-path", str(fresh), "--silent"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    try:
        worker.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(worker, worker_script())
        if fresh.exists():
            shutil.rmtree(fresh)
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise SearchIndexError(
                f"Pagefind could not index {site}: "
                f"{said[-1] if said else f'exit code {done.returncode}'}. Hint: the site "
                "folder must hold the built HTML pages."
            )
        replace_folder(fresh, site / FOLDER)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind did not finish indexing {site} in {TIMEOUT} s") from None
    except OSError as exc:
        raise SearchIndexError(f"could not write the search index into {site}: {exc}") from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _clear_leftovers(site: Path) -> None:
    """The working folders of indexings whose process is gone."""
    for entry in site.glob(f"{FOLDER}{_WORKING}*"):
        pid = entry.name.removeprefix(f"{FOLDER}{_WORKING}")
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


class WhenAsked:
    """The index under ``mkdocs serve``, made when a browser first asks for a file of it
    after a rebuild (the search box's worker loads it at the reader's first query), like
    the exports: a rebuild returns without it, so the live preview is as quick
    as it was, and a search made after an edit finds the edit. A failure is handed to
    ``failed``; the previous index stays."""

    def __init__(self, failed: Callable[[SearchIndexError], None]) -> None:
        self.failed = failed
        self._lock = threading.Lock()
        self._site: Path | None = None  # the served folder, once a rebuild has changed it

    def stale(self, site: Path) -> None:
        with self._lock:
            self._site = site

    @staticmethod
    def wanted(path: str) -> bool:
        """Whether a request's path is a file of the index. The worker itself is not: every
        page starts it, and it loads the index only when the reader first searches."""
        return f"/{FOLDER}/" in path

    def prepare(self) -> None:
        with self._lock:
            site, self._site = self._site, None
            if site is None:
                return
            try:
                index_site(site)
            except SearchIndexError as exc:
                self.failed(exc)
