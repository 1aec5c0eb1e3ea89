"""Live preview: under ``mkdocs serve``, an edit to workshop files rebuilds only the pages it
can change.

MkDocs rebuilds the whole site after any change, and ``--dirty`` does not help with pages
that plugins generate (they always count as modified). At a thousand workshops that is
over a minute between saving a file and seeing it. Here the serve loop's builder is
wrapped: when nothing but workshop files changed since the last full build, prepbook
checks and renders again (reusing what the edit cannot change), and the pages whose
Markdown differs, with the home page when the playbook at a glance changed, go through
MkDocs' own page pipeline (every plugin's page events, the theme's template) into the
served folder; the search index is updated for those pages alone. Anything else (a page
of ``docs_dir``, ``mkdocs.yml``, a template, a workshop added or removed, an error) falls
back to MkDocs' full build, so the preview is never staler than MkDocs would make it.

When the workshops have errors, the build stops before MkDocs touches the served folder,
and MkDocs' serve loop, seeing the exception, would neither move the browsers on nor answer
their page requests (it waits for a build that succeeds). So the wrapped builder catches a
build stopped by the playbook's findings (:class:`PlaybookErrors`, which carries them),
writes the error page the core renders from them (:mod:`prepbook.report.error_page`) in
place of every HTML file of the served folder (``404.html`` too, so an address that is not
there shows the findings as well), and returns as a build that succeeded: the serve loop
then tells the browsers to reload, and serves those files with its own live-reload script,
like any page. The page the browser was on thus turns into the findings; the next save
that fixes them runs a full build, which writes the site again, and the browsers reload to
it. The error page's files are removed before that build, so that ``--dirty`` writes those
pages again. Any other failure (``mkdocs.yml``, a template) is left to MkDocs, as before.

The first build runs before the plugin sees the serve loop, and an exception there would
stop ``mkdocs serve``. So when that build has the findings, the plugin holds them
(:meth:`LivePreview.hold`) and lets MkDocs finish a build of no page at all, into which the
error page is then written; the server answers any other address with it (see
:meth:`LivePreview.not_found`). ``mkdocs build`` and ``prepbook validate`` never come here.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from prepbook.errors import PrepbookError
from prepbook.report import Report
from prepbook.report.error_page import error_page

log = logging.getLogger("mkdocs.plugins.prepbook")

Snapshot = dict[str, tuple[int, int]]


class PlaybookErrors(PluginError, PrepbookError):
    """The build stopped on the workshops' findings; they travel with the exception, for the
    error page of ``mkdocs serve``. Its message is what ``mkdocs build`` prints."""

    def __init__(self, message: str, report: Report, site_name: str = "") -> None:
        super().__init__(message)
        self.report = report
        self.site_name = site_name


def playbook_errors(error: BaseException) -> PlaybookErrors | None:
    """The playbook's findings behind ``error``: MkDocs re-raises a plugin's error as its
    own ``Abort``, with the original as the context."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, PlaybookErrors):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def before_answering(
    server: LiveReloadServer, wanted: Callable[[str], bool], prepare: Callable[[], None]
) -> None:
    """Have ``server`` call ``prepare`` before it answers a request whose path ``wanted``
    picks: for the files a rebuild leaves to be made when they are asked for."""
    answer = server.get_app()
    if answer is None:  # MkDocs' server sets its application as it is made
        return

    def prepared(environ: dict[str, Any], start_response: Any) -> Any:
        if wanted(str(environ.get("PATH_INFO", ""))):
            prepare()
        return answer(environ, start_response)

    server.set_app(prepared)


def watch_as_read(server: LiveReloadServer, folders: Sequence[Path]) -> None:
    """Have ``server`` build again when anything in ``folders`` changes, looking at each
    entry as it is, a link as a link (lstat), the way discovery reads the workshops folder.

    MkDocs' watcher looks at each entry through its link (stat): a link that leads to
    itself, or to nothing, cannot be looked at, so saving one into the workshops folder was
    never noticed, nor its removal, and the browser went on showing the last site instead
    of the finding; and a linked folder is followed, ``sub -> ..`` round and round up to
    the system's limit of links. Here the folders are polled as often as MkDocs polls its
    own, while the server serves, and a change asks its build loop for a build as MkDocs'
    watcher does; a server without that loop (another MkDocs) watches them itself.

    Where the system tells of changes (inotify, on Linux), the folders are not polled at
    all: a save is seen as it is made, where a poll every half second saw it a quarter of
    a second later on average, after walking every file (11 ms at a thousand workshops).
    MkDocs' own watcher, which the plugin cannot ask to poll more often (its interval is
    an argument of the server that ``mkdocs serve`` does not pass on), still watches the
    rest of the site.
    """
    rebuild_wanted = getattr(server, "_rebuild_cond", None)
    if not isinstance(rebuild_wanted, threading.Condition) or not hasattr(server, "_want_rebuild"):
        for folder in folders:
            server.watch(str(folder))
        return

    def changed(event: FileSystemEvent) -> None:
        if event.is_directory:  # a file added or removed is an event of its own
            return
        if not isinstance(event, _CHANGES):  # a file opened or read: the build reads them
            return
        with rebuild_wanted:
            server._want_rebuild = True
            rebuild_wanted.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    interval = getattr(server.observer, "timeout", 0.5)
    serve: Callable[..., None] = server.serve

    def serving(**options: Any) -> None:
        observer = _observer(folders, handler, interval)
        observer.start()
        shown = ", ".join(repr(os.path.relpath(folder)) for folder in folders)
        log.info("prepbook: watching %s for changes, each link as a link", shown)
        try:
            serve(**options)
        finally:
            observer.stop()

    server.serve = serving  # type: ignore[method-assign]


# What changes a file, of what a watcher may report; opening or reading one is no change.
_CHANGES = (FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent)


def _observer(
    folders: Sequence[Path], handler: FileSystemEventHandler, interval: float
) -> BaseObserver:
    """What watches ``folders`` for :func:`watch_as_read`: the system's notices of changes
    where it gives them (inotify; a link is an entry like any other, never followed), else
    a poll every ``interval`` seconds that looks at each entry as it is (lstat)."""
    try:
        from watchdog.observers.inotify import InotifyObserver

        told = InotifyObserver()
    except Exception:  # not Linux, or a C library without inotify: poll
        told = None
    if told is not None:
        try:
            for folder in folders:
                told.schedule(handler, str(folder), recursive=True, event_filter=[*_CHANGES])
            return told
        except OSError:  # no inotify instance left, or the limit of watches reached
            told.stop()
    polled = PollingObserverVFS(stat=os.lstat, listdir=os.scandir, polling_interval=interval)
    for folder in folders:
        polled.schedule(handler, str(folder), recursive=True)
    return polled


class Generator(Protocol):
    """What the preview needs of the plugin: its pages, and a way to make them again."""

    pages: dict[str, str]
    glance: str

    def regenerate(self, config: MkDocsConfig, *, partial: bool = False) -> None: ...

    def uri(self, page: str) -> str: ...


@dataclass
class LastBuild:
    """What MkDocs' last full build worked with, kept to rebuild single pages into it."""

    config: MkDocsConfig
    files: Files
    env: jinja2.Environment
    watched: Snapshot
    nav: Navigation | None = None


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Size and modification time of every file under ``paths``: what a full build read
    besides the workshops (hand-written pages, the configuration, templates)."""
    seen: Snapshot = {}
    for root in paths:
        if root.is_file():
            stat = root.stat()
            seen[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | bool | None:
    """The entries of the search plugin's index (Material's or MkDocs' own); None when no
    search plugin is configured, False when one is but its index cannot be updated here."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] != "search":
            continue
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", getattr(index, "_entries", None))
        return entries if isinstance(entries, list) else False
    return None


class LivePreview:
    """The serve loop's builder, rebuilding only what a workshop edit changes."""

    def __init__(self, plugin: Generator, watched: Callable[[MkDocsConfig], list[Path]]) -> None:
        self.plugin = plugin
        self.watched = watched  # the paths whose change needs a full build
        self.last: LastBuild | None = None
        self.rebuilt: list[str] = []  # the pages the last partial build rebuilt
        self._starting: Snapshot = {}
        self.failed: bytes | None = None  # the error page shown in place of the site
        self.shown: set[Path] = set()  # where it was written
        # every page it has stood in for: the next failed build, which starts from a clean
        # folder, writes it there too, so an address keeps its status (200) however many
        # saves in a row keep an error
        self.stood_in: set[Path] = set()
        self.held: PlaybookErrors | None = None  # the findings of serve's first build
        self.attached = False  # whether the serve loop's builder is wrapped yet

    def starting(self, config: MkDocsConfig) -> None:
        """Called as a full build starts, before it reads anything: an edit made while it
        runs then shows as a change, and the next rebuild is a full one."""
        self.last = None
        self._starting = self._watched_snapshot(config)

    def built(self, config: MkDocsConfig, files: Files, env: jinja2.Environment) -> None:
        """Called at the ``env`` event of a full build: remember what it works with (not a
        build that only makes the error page: the next one must be full)."""
        if self.held is None:
            self.last = LastBuild(config, files, env, self._starting)

    def hold(self, stopped: PlaybookErrors) -> bool:
        """Keep the findings of serve's first build, to be shown when it ends (:meth:`release`);
        False once the serve loop runs, whose builder shows them itself."""
        if self.attached:
            return False
        log.error(str(stopped))  # what MkDocs would have printed, had the build stopped
        self.held, self.last = stopped, None
        return True

    def release(self, site: Path) -> None:
        """At the end of a build: the findings held, as the error page in ``site``."""
        if self.held is not None:
            self._show(self.held, site)

    def _watched_snapshot(self, config: MkDocsConfig) -> Snapshot:
        return snapshot(self.watched(config))

    def wrap(self, full: Callable[..., None], site: Path) -> Callable[..., None]:
        """The serve loop's builder: a partial rebuild when it can tell what changed, else
        MkDocs' full build; when the workshops have errors, the error page in place of every
        page of the served folder ``site``.

        After a full build, what it made (every page, the search index, the playbook) is
        moved out of the cyclic garbage collector's sight (``gc.freeze``): it is kept until
        the next full build, and a collection during a partial rebuild would otherwise walk
        all of it, seconds at a thousand workshops. A full build first hands it back, so
        the previous build's cycles are freed.
        """

        self.attached = True

        def builder(config: MkDocsConfig | None = None) -> None:
            if config is None:
                paused = gc.isenabled()
                gc.disable()
                try:
                    if self.rebuild():
                        return
                finally:
                    if paused:
                        gc.enable()
            gc.unfreeze()
            self._withdraw()
            try:
                full(config) if config is not None else full()
            except Exception as error:
                stopped = playbook_errors(error)
                if stopped is None:
                    raise
                self._show(stopped, site)
            finally:
                gc.freeze()

        return builder

    def _show(self, stopped: PlaybookErrors, site: Path) -> None:
        """The error page in place of every page of the served folder, and of its 404 page."""
        report = stopped.report
        page = error_page(report.findings, len(report.files), site_name=stopped.site_name)
        self.failed = page.encode("utf-8")
        targets = {*site.rglob("*.html"), *self.stood_in, site / "index.html", site / "404.html"}
        for path in sorted(targets):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.failed)
        self.shown = self.stood_in = targets
        log.info(
            "prepbook: the browser shows the findings in place of the site; "
            "it reloads to the site once they are fixed"
        )

    def _withdraw(self) -> None:
        """Remove the error page before a full build, so none of it outlives the failure
        (``--dirty`` writes only the pages whose output is missing or older)."""
        for path in self.shown:
            path.unlink(missing_ok=True)
        self.shown, self.failed, self.held = set(), None, None

    def not_found(self, server: Any) -> Callable[[int], bytes | None]:
        """The serve loop's answer to an address it has no file for: while the workshops
        have errors, the error page with the live-reload script, so that it too turns back
        into the site. MkDocs serves its ``404.html`` without the script; the server's own
        way of adding it is private, so without it the page is served as it is."""
        previous: Callable[[int], bytes | None] = server.error_handler
        inject = getattr(server, "_inject_js_into_html", None)

        def handler(code: int) -> bytes | None:
            failed = self.failed
            if code != 404 or failed is None:
                return previous(code)
            epoch = getattr(server, "_visible_epoch", None)
            if callable(inject) and isinstance(epoch, int):
                return bytes(inject(failed, epoch))
            return failed

        return handler

    def rebuild(self) -> bool:
        """Rebuild what the workshop edits since the last build change; False when only a
        full build can tell (then nothing was written)."""
        last = self.last
        if last is None or last.nav is None:
            return False
        if self._watched_snapshot(last.config) != last.watched:
            return False
        started = time.perf_counter()
        log.info("prepbook: rebuilding what the workshop edits change...")
        before, glance = self.plugin.pages, self.plugin.glance
        try:
            self.plugin.regenerate(last.config, partial=True)
        except MkDocsException:
            return False  # the full build reports the errors, as a plain build would
        generated = time.perf_counter()
        after = self.plugin.pages
        if after.keys() != before.keys():
            return False  # a workshop came or went: the navigation and the files change
        changed = [p for p, text in after.items() if text is not before[p] and text != before[p]]
        files = [last.files.get_file_from_path(self.plugin.uri(p)) for p in changed]
        if self.plugin.glance != glance:
            files.append(last.files.get_file_from_path("index.md"))
        pages = [f.page for f in files if f is not None and f.page is not None]
        if len(pages) != len(files):
            return False
        for file, path in zip(files, changed, strict=False):  # the home page has no text here
            assert file is not None
            file.content_string = after[path]
        entries = _search_entries(last.config)
        if entries is False:
            return False
        self._build(last, pages, entries if isinstance(entries, list) else None)
        last.config.plugins.on_post_build(config=last.config)
        self.rebuilt = [p.file.src_uri for p in pages]
        done = time.perf_counter()
        log.info(
            "prepbook rebuilt %d of %d pages in %.2f s (checking and rendering %.2f s, "
            "MkDocs %.2f s)",
            len(pages),
            len(last.files.documentation_pages()),
            done - started,
            generated - started,
            done - generated,
        )
        return True

    def _build(
        self, last: LastBuild, pages: list[Page], entries: list[dict[str, Any]] | None
    ) -> None:
        """Each page through MkDocs' own pipeline; in the search index, each page's entries
        are replaced where they were, so the index reads as a full build would write it."""
        config, files, nav = last.config, last.files, last.nav
        assert nav is not None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            mkdocs_build._populate_page(page, config, files)
        urls = {page.url for page in pages}
        kept: list[dict[str, Any]] = []
        slot: dict[str, int] = {}  # where each rebuilt page's entries were
        for entry in entries or ():
            url = str(entry.get("location", "")).partition("#")[0]
            if url in urls:
                slot.setdefault(url, len(kept))
            else:
                kept.append(entry)
        fresh: dict[str, list[dict[str, Any]]] = {}
        if entries is not None:
            entries[:] = kept
        for page in pages:
            mkdocs_build._build_page(page, config, doc_files, nav, last.env)
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            if entries is not None:
                fresh[page.url] = entries[len(kept) :]
                del entries[len(kept) :]
        if entries is None:
            return
        merged: list[dict[str, Any]] = []
        inserts = sorted(((slot.get(url, len(kept)), url) for url in fresh), key=lambda i: i[0])
        done = 0
        for at, url in inserts:
            merged.extend(kept[done:at])
            merged.extend(fresh[url])
            done = at
        merged.extend(kept[done:])
        entries[:] = merged
