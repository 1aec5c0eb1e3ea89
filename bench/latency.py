"""Live preview as an author meets it: from saving a workshop file to the reloaded page.

A real ``mkdocs serve`` runs on the playbook, the machine's Chromium shows a page the server
injected its live-reload script into, and a real write changes the workshop's title. The
round ends when the browser shows the new title: nothing is simulated, so the figure holds
every delay on the way (the server's file watcher, its build, the long poll that tells the
page, the reload). The server's own log, read as it is written, splits the figure into
the build and the rest. Times are measured and reported, never asserted.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.measure import ENV
from bench.site import CHROMIUM, CHROMIUM_ARGS, HOST

ROUNDS = 5  # edits timed on the workshop's page
SECTION_ROUNDS = 3  # and on the section page that lists it
TIMEOUT = 600.0  # seconds for one build of the server, first or after an edit, on a busy machine
SETTLE = 1.5  # seconds without a detected change before an edit: over the watcher's 0.5 s
_TITLE = re.compile(r"^title: .*$", re.MULTILINE)  # the workshop's own: the only one at the margin
# What the server logs for one rebuild, one group each, in this order.
# A full build is MkDocs' ("Building documentation..."), a partial one prepbook's.
_EVENTS = re.compile(
    r"(Detected file changes)|(Building documentation\.\.\.|prepbook: rebuilding)"
    r"|(?:Documentation built in |prepbook rebuilt \d+ of \d+ pages in )([0-9.]+) s"
    r"|(Reloading browsers)"
)


@dataclass(frozen=True)
class Round:
    """One edit, in seconds from the write. ``watch + settle + build + reload + render``
    is ``total``: the server noticing the file, waiting for further changes, rebuilding
    (loading the configuration, then the build proper), from the end of the rebuild to the
    reloaded page's first bytes (the answer to the page's long poll, the page's request,
    the server's response), and from there to the new text on screen.

    ``reported`` is the build's time as the server logs it, which leaves out the loading of
    the configuration; None when the server did not log it (MkDocs drops a log message
    identical to an earlier one, so a build as long as the one before, to the hundredth of
    a second, goes unreported)."""

    total: float
    watch: float
    settle: float
    build: float
    reload: float
    render: float
    reported: float | None

    @property
    def rest(self) -> float:
        """Everything but the build: what a faster build alone would not remove."""
        return self.total - self.build


@dataclass
class Latency:
    workshops: int
    page: str  # the path of the page on the site
    rounds: list[Round] = field(default_factory=list)

    @property
    def median(self) -> float:
        return _median([r.total for r in self.rounds])

    @property
    def worst(self) -> float:
        return max(r.total for r in self.rounds)

    @property
    def build(self) -> float:
        return _median([r.build for r in self.rounds])

    @property
    def reported(self) -> float | None:
        """The median of the build times the server logged."""
        logged = [r.reported for r in self.rounds if r.reported is not None]
        return _median(logged) if logged else None

    def part(self, name: str) -> float:
        return _median([getattr(r, name) for r in self.rounds])


class _Log:
    """The server's stderr, line by line, each line with the moment it was read: the
    server writes its log unbuffered, so that moment is when it happened, to a few ms."""

    def __init__(self, stream: Any) -> None:
        self.lines: list[tuple[float, str]] = []
        self._done = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.lines)

    def wait(self, pattern: str, after: int, timeout: float, *, ending: bool = False) -> int:
        """The index of the first line from ``after`` on that contains ``pattern`` (that
        ends with it, if ``ending``)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for i in range(after, len(self.lines)):
                    line = self.lines[i][1]
                    if line.endswith(pattern) if ending else pattern in line:
                        return i
                left = deadline - time.monotonic()
                if self._done or left <= 0:
                    raise RuntimeError(
                        f"mkdocs serve: no {pattern!r} in {timeout:.0f} s"
                        + (" (the server exited)" if self._done else "")
                        + ":\n"
                        + self.tail()
                    )
                self._changed.wait(left)

    def quiet_since(self, pattern: str, after: int) -> bool:
        with self._changed:
            return not any(pattern in line for _, line in self.lines[after:])

    def tail(self, lines: int = 30) -> str:
        with self._changed:
            return "\n".join(line for _, line in self.lines[-lines:])

    def join(self) -> None:
        self._thread.join(timeout=10)


@dataclass
class Server:
    url: str  # the site's root, ending in /
    log: _Log
    process: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(root: Path, *extra: str, timeout: float = TIMEOUT) -> Iterator[Server]:
    """``mkdocs serve`` in ``root`` once its first build is served; stopped, with every
    process it started, when the block ends, however it ends. Its site goes to a temporary
    folder of its own, removed afterwards even if the server had to be killed."""
    with tempfile.TemporaryDirectory(prefix="prepbook-serve-") as scratch:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"{HOST}:{port}", *extra],
            cwd=root,
            env={**ENV, "TMPDIR": scratch},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a process group of its own, to stop it whole
        )
        log = _Log(process.stderr)
        try:
            log.wait("Serving on", 0, timeout)
            yield Server(f"http://{HOST}:{port}/", log, process)
        finally:
            _stop(process)
            log.join()


def _stop(process: subprocess.Popen[str]) -> None:
    """Ctrl-C first, so that the server removes its site, then a kill."""
    for sig, grace in ((signal.SIGINT, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    if process.stderr:
        process.stderr.close()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return str(response.read().decode("utf-8"))


def edited_workshop(root: Path) -> Path:
    """The workshop in the middle of the playbook, as :func:`bench.measure.rebuild` edits."""
    files = sorted((root / "workshops").glob("*.yaml"))
    return files[len(files) // 2]


def retitled(text: str, title: str) -> str:
    """The workshop's YAML with its title, and nothing else, changed to ``title``."""
    new, count = _TITLE.subn(lambda _: f"title: {json.dumps(title)}", text, count=1)
    if count != 1:
        raise ValueError("the workshop has no title line at the margin")
    return new


def section_page(server: Server, workshop: str, title: str) -> str | None:
    """The portfolio page that lists the workshop by its title (the portfolio is cut into
    pages of a few hundred rows), or None if none of them does. The pages escape more
    characters than they must (parentheses among them), hence the unescaping."""
    home = fetch(server.url + "playbook/")
    candidates: list[str] = ["playbook/"] + [
        "playbook/" + href
        for href in dict.fromkeys(re.findall(r'href="(portfolio/[0-9]+/)"', home))
    ]
    for path in candidates:
        text = html.unescape(home if path == "playbook/" else fetch(server.url + path))
        if f"workshops/{workshop}/" in text and title in text:
            return path
    return None


@dataclass
class _Edit:
    """The workshop file the rounds edit, and what they need to time an edit."""

    source: Path
    original: str
    title: str
    timeout: float
    count: int = 0  # edits so far: each gets a title of its own

    def next_title(self) -> str:
        self.count += 1
        return f"{self.title} edit {self.count}"


def preview(
    root: Path,
    rounds: int = ROUNDS,
    section_rounds: int = SECTION_ROUNDS,
    extra: tuple[str, ...] = (),
    timeout: float = TIMEOUT,
    progress: Callable[[str], object] = lambda _: None,
) -> list[Latency]:
    """Rounds of one edit each, on the workshop's page, then on the section page that
    lists it (if there is one and ``section_rounds``): one :class:`Latency` each. The
    workshop file is restored afterwards."""
    from playwright.sync_api import sync_playwright

    source = edited_workshop(root)
    original = source.read_text(encoding="utf-8")
    title = str(yaml.safe_load(original)["title"])
    edit = _Edit(source, original, title, timeout)
    n = len(list((root / "workshops").glob("*.yaml")))
    figures: list[Latency] = []
    try:
        with serving(root, *extra, timeout=timeout) as server:
            pages = [(f"playbook/workshops/{source.stem}/", rounds)]
            listing = section_page(server, source.stem, title) if section_rounds else None
            if listing:
                pages.append((listing, section_rounds))
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for path, count in pages:
                        figure = Latency(n, path)
                        for done in _rounds(browser, server, path, count, edit):
                            figure.rounds.append(done)
                            progress(f"N={n} {path} edit {edit.count}: {done.total:.2f} s")
                        figures.append(figure)
                finally:
                    browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
    return figures


def _rounds(browser: Any, server: Server, path: str, count: int, edit: _Edit) -> Iterator[Round]:
    """``count`` edits timed on the page at ``path``, in a browser context of its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        url = server.url + path
        mark = server.log.mark()
        page.goto(url, wait_until="load", timeout=edit.timeout * 1000)
        server.log.wait(f"Browser connected: {url}", mark, edit.timeout, ending=True)
        for _ in range(count):
            try:
                yield _round(server, page, url, edit)
            except Exception as error:
                raise RuntimeError(
                    f"edit {edit.count} on {path}: {error}\n"
                    f"the page's console: {console[-10:]}\n"
                    f"the server's log:\n{server.log.tail()}"
                ) from error
    finally:
        context.close()


def _round(server: Server, page: Any, url: str, edit: _Edit) -> Round:
    """One edit: the page is open and polling, and the server idle, before the write; the
    round ends when the reloaded page polls again, so no two rounds overlap."""
    log = server.log
    settled = log.mark()
    time.sleep(SETTLE)
    if not log.quiet_since("Detected file changes", settled):
        raise RuntimeError("mkdocs serve rebuilt with no edit")
    title = edit.next_title()
    text = retitled(edit.original, title)
    timeout = edit.timeout
    mark = log.mark()
    with page.expect_event("framenavigated", timeout=timeout * 1000):
        started = time.perf_counter()
        edit.source.write_text(text, encoding="utf-8")
    navigated = time.perf_counter()
    page.wait_for_function(
        "text => document.body !== null && document.body.innerText.includes(text)",
        arg=title,
        polling="raf",
        timeout=timeout * 1000,
    )
    shown = time.perf_counter()
    connected = log.wait(f"Browser connected: {url}", mark, timeout, ending=True)
    lines = log.lines[mark : connected + 1]
    found = [(t, m) for t, line in lines if (m := _EVENTS.search(line))]
    # The watcher polls: a write it catches half done is detected again after the rebuild
    # it started, and rebuilt for nothing; the round is the rebuild that showed the edit.
    ends = [i for i, (_, m) in enumerate(found) if m.lastindex == 4]
    found = found[: ends[0] + 1] if ends else found
    reports = [float(m[3]) for _, m in found if m.lastindex == 3]
    steps = [t for t, m in found if m.lastindex != 3]
    if [m.lastindex for _, m in found if m.lastindex != 3] != [1, 2, 4] or len(reports) > 1:
        raise RuntimeError("mkdocs serve: not one rebuild for one edit")
    detected, building, reloading = steps
    return Round(
        total=shown - started,
        watch=detected - started,
        settle=building - detected,
        build=reloading - building,
        reload=navigated - reloading,
        render=shown - navigated,
        reported=reports[0] if reports else None,
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0
