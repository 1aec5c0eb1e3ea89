"""The playbook's site as MkDocs builds it: what the plugin keeps between MkDocs' events.

MkDocs hands a plugin one event after another, and under ``mkdocs serve`` keeps the same
plugin across every rebuild. What must last from one event (or rebuild) to the next lives
here, in one object the plugin forwards each event to: the settings, the generated pages
and the workshop file behind each, what the load and the render keep for the next rebuild,
the exports (in memory, on disk until MkDocs copies them, or not made yet), the blocks
lifted out of a page until they are put back, the staging folder of the site, and the
live preview. The plugin itself holds nothing but this object.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import jinja2
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from prepbook.build import build, export_files
from prepbook.config import Project, Settings, SettingsError
from prepbook.export import EXPORTS_DIR
from prepbook.export.context import ExportContext
from prepbook.history import HistoryCache
from prepbook.load.playbook import LoadCache
from prepbook.mkdocs_options import settings_from, unsafe_urls
from prepbook.render import islands, pagefind, parallel
from prepbook.render.html_blocks import blocks_to_html
from prepbook.render.links import (
    AUDIT,
    CATALOGUE,
    CHANGES,
    PEOPLE,
    PORTFOLIO,
    ROADMAP,
    served_href,
    workshop_page,
)
from prepbook.render.prose_html import known, prose_to_html
from prepbook.render.site import GLANCE_MARKER, Rendered, default_home
from prepbook.report import Report
from prepbook.report.formats import finding_text, format_text
from prepbook.rules import Severity
from prepbook.serve import LastBuild, LivePreview, PlaybookErrors, before_answering, watch_as_read
from prepbook.site_swap import SiteSwap
from prepbook.terminal import printable

log = get_plugin_logger("prepbook.plugin")  # the logger the plugin has always used
STYLESHEET = "assets/prepbook.css"
# Material's search box is a dialog without a name; screen readers announce it as "dialog".
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED_SEARCH_DIALOG = _SEARCH_DIALOG[:-1] + ' aria-label="Search">'

SECTION_PAGES = (PORTFOLIO, AUDIT, CATALOGUE, ROADMAP, CHANGES, PEOPLE)


class SiteExports:
    """The playbook as data, beside the pages, from the build that made them to MkDocs'
    files: in memory under ``mkdocs serve`` (a partial rebuild compares and rewrites them),
    on disk for a single build (see :meth:`spill`), or not made yet after a partial
    rebuild, until they are asked for (see :meth:`make_stale`)."""

    def __init__(self) -> None:
        self.made: dict[str, bytes] = {}
        self.spill_dir: tempfile.TemporaryDirectory[str] | None = None
        self.spilled: dict[str, Path] = {}  # export -> its copy on disk, until it is copied
        # under serve, what the exports are to be made from once asked for: the served ones
        # are older than the pages since a partial rebuild
        self.stale: ExportContext | None = None
        self.lock = threading.Lock()  # requests are answered in threads of their own

    def spill(self, path: str, data: bytes) -> None:
        """Keep an export of a single build on disk until MkDocs copies it into the site:
        at 1,000 workshops the exports are some 60 MB, which would otherwise be held through
        the whole build, beside every page. ``mkdocs serve`` keeps them in memory, where a
        partial rebuild compares and rewrites them."""
        if self.spill_dir is None:
            self.spill_dir = tempfile.TemporaryDirectory(prefix="prepbook-exports-")
        copy = Path(self.spill_dir.name, path)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        self.spilled[path] = copy

    def drop_spilled(self) -> None:
        if self.spill_dir is not None:
            self.spill_dir.cleanup()
            self.spill_dir, self.spilled = None, {}

    def files(self) -> dict[str, bytes | Path]:
        """Every export by its path: its bytes, or its copy on disk."""
        return {**self.made, **self.spilled}

    def refresh(
        self, exports: dict[str, bytes], last: LastBuild | None, uri: Callable[[str], str]
    ) -> None:
        """Keep the exports for ``on_files``. A partial rebuild of ``mkdocs serve`` (the
        preview holds the last build's files) writes the ones that changed where that build
        put them, so the served files never lag behind the pages."""
        before, self.made = self.made, exports
        if last is None:
            return
        for path, data in exports.items():
            file = last.files.get_file_from_path(uri(path))
            if file is None or before.get(path) == data:
                continue
            file.content_bytes = data
            file.copy_file()

    def make_stale(self, last: LastBuild | None, uri: Callable[[str], str]) -> None:
        """Make the exports a partial rebuild left stale, and write the ones that changed
        where the served site has them: at 1,000 workshops this takes 1.6 s, which a
        rebuild would otherwise add to every save, though the exports are rarely looked at
        while editing."""
        with self.lock:
            context, self.stale = self.stale, None
            if context is not None:
                self.refresh(export_files(context), last, uri)


class SiteBuild:
    """One playbook's site through MkDocs' events, for one ``mkdocs build`` or every
    rebuild of ``mkdocs serve``. Validation and rendering both happen in :meth:`configure`
    (MkDocs' ``on_config``), before MkDocs writes any file."""

    def __init__(self) -> None:
        self.settings: Settings | None = None  # set by configured, when the options are valid
        self.output = Settings().output  # where the generated pages go, inside the docs
        self.project: Project | None = None
        self.pages: dict[str, str] = {}
        self.sources: dict[str, Path] = {}  # generated page -> the workshop file behind it
        self.cache = LoadCache()  # kept across the rebuilds of mkdocs serve
        self.history = HistoryCache()  # what each commit changed, kept likewise
        self.rendered: Rendered | None = None
        self.glance = ""
        self.serving = False
        self.preview = LivePreview(self, self._watched)
        self.lifted: dict[str, islands.Lifted] = {}  # page -> its blocks, until put back
        # page -> the anchors its lifted prose links to, for MkDocs' check of anchors
        self.linked: dict[str, dict[File, dict[str, str]]] = {}
        self.exports = SiteExports()
        self.site_swap = SiteSwap()  # where mkdocs build writes until the site is complete
        self.pagefind = False  # Material's search box answered from a Pagefind index
        self.indexing = pagefind.WhenAsked(lambda exc: log.warning(str(exc)))

    def configured(
        self,
        options: base.Config,
        given: set[str],
        errors: base.ConfigErrors,
        warnings: base.ConfigWarnings,
    ) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """Keep the settings the plugin's validated options make (see ``settings_from``)."""
        self.settings, errors, warnings = settings_from(options, given, errors, warnings)
        if self.settings is not None:
            self.output = self.settings.output
        return errors, warnings

    def start(self, command: str, dirty: bool) -> None:
        """Under ``mkdocs serve`` the plugin lives across rebuilds and serve builds into a
        folder of its own; ``--dirty`` builds start from a copy of the site."""
        self.serving = command == "serve"
        self.site_swap.dirty = dirty

    def stage(self, config: MkDocsConfig) -> MkDocsConfig:
        """Have the build write into a staging folder (serve builds into one of its own)."""
        if not self.serving:
            self.site_swap.stage(config)
        return config

    def configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check and render the playbook before MkDocs writes a file: a URL option that
        would be a link on every page, or a finding, stops the build here (serve's first
        build keeps the findings for its error page instead)."""
        refused = unsafe_urls(config)
        if refused:  # a link on every page: the build stops, as validate does
            raise PluginError("; ".join(refused))
        if self.serving:
            self.project = self._project(config)
            self.preview.starting(config)
        try:
            self.regenerate(config)
        except PlaybookErrors as stopped:
            if not (self.serving and self.preview.hold(stopped)):
                raise
            config.nav = None  # serve's first build: a site of no page, for the error page
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        self.pagefind = _material_search(config)
        return config

    def regenerate(self, config: MkDocsConfig, *, partial: bool = False) -> None:
        """Check the workshops and render their pages (again, under ``mkdocs serve``: only
        what changed is parsed and rendered again). A ``partial`` rebuild of the live
        preview leaves the exports to be made when they are asked for (see :meth:`serve`)."""
        self.project = project = self._project(config)
        try:
            project.require_folders()
        except SettingsError as exc:  # a PluginError here too: the live preview calls this
            raise PluginError(printable(str(exc))) from None
        built = build(
            project,
            Path(config.docs_dir) / project.settings.output,
            cache=self.cache,
            previous=self.rendered,
            history=self.history,
            export_sink=None if self.serving else self.exports.spill,
            make_exports=not partial,
            # a single build renders on every core; serve's threads are no time to fork
            workers=1 if self.serving else parallel.cores(),
        )
        for finding in built.report.of_severity(Severity.WARNING):
            log.warning(finding_text(finding))
        for finding in built.report.of_severity(Severity.INFO):
            log.info(finding_text(finding))
        if not built.report.ok:
            errors = Report(built.report.files, tuple(built.report.of_severity(Severity.ERROR)))
            raise PlaybookErrors(
                "the workshops have errors; nothing was built\n\n" + format_text(errors),
                errors,
                config.site_name,
            )
        if built.render_error is not None:
            raise PluginError(printable(built.render_error, keep="\n"))
        self.rendered = built.rendered
        self.pages = built.pages
        with self.exports.lock:
            if partial:
                self.exports.stale = built.export_context
            else:
                self.exports.stale = None
                self.exports.refresh(built.exports, self._last(), self.uri)
        self.glance = built.rendered.glance if built.rendered is not None else ""
        playbook = built.playbook
        if not self.serving:
            # A single build has no next rebuild: let the parsed playbook go now, so the
            # rest of the build does not carry (and garbage-collect around) it.
            self.cache, self.rendered = LoadCache(), None
        self.sources = {
            workshop_page(ws_id): loaded.path for ws_id, loaded in playbook.workshops.items()
        }

    def _last(self) -> LastBuild | None:
        return self.preview.last if self.serving else None

    def _project(self, config: MkDocsConfig) -> Project:
        if self.settings is None:  # MkDocs stops on invalid options before this event
            raise PluginError("the prepbook options were not validated")
        config_file = Path(config.config_file_path)
        return Project(
            self.settings,
            config_file.resolve().parent,
            config.docs_dir,
            config_file,
            site_url=config.site_url,
            use_directory_urls=config.use_directory_urls,
        )

    def uri(self, page: str) -> str:
        """Where a generated page sits among MkDocs' files."""
        return posixpath.join(self.output, page)

    def _is_export(self, path: str) -> bool:
        """Whether a request's path asks for an export, whatever the site's mount path."""
        return f"/{self.uri(EXPORTS_DIR)}/" in path

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The generated pages, the exports, the stylesheet (and a home page, when the docs
        have none) among MkDocs' files."""
        if self.preview.held is not None:
            return Files([])  # the error page stands alone; it loads nothing
        docs_dir = Path(config.docs_dir).resolve()
        for page, text in self.pages.items():
            uri = self._unclaimed(files, page, "page")
            source = self.sources.get(page)
            # Workshop and rule pages are reached by links, never listed in the navigation.
            listed = page in SECTION_PAGES
            inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, uri, content=text, inclusion=inclusion)
            # The edit link of a workshop page opens its YAML file, not the generated page.
            file.edit_uri = (
                Path(os.path.relpath(source.resolve(), docs_dir)).as_posix() if source else None
            )
            files.append(file)
        for path, data in sorted(self.exports.files().items()):
            uri = self._unclaimed(files, path, "file")
            if isinstance(data, Path):
                files.append(File.generated(config, uri, abs_src_path=str(data)))
            else:
                files.append(File.generated(config, uri, content=data))
        if not self.serving:  # the files hold them now; no rebuild will compare them
            self.exports.made = {}
        if not any(files.get_file_from_path(name) for name in ("index.md", "README.md")):
            home = default_home(config.site_name, self.output)
            files.append(File.generated(config, "index.md", content=home))
        css = resources.files("prepbook.render").joinpath(STYLESHEET).read_text(encoding="utf-8")
        files.append(File.generated(config, STYLESHEET, content=css))
        return files

    def _unclaimed(self, files: Files, path: str, what: str) -> str:
        """Where a generated page or file goes among MkDocs' files, which must not hold one
        of the docs' own there."""
        uri = self.uri(path)
        if files.get_file_from_path(uri) is not None:
            raise PluginError(
                f"{printable(uri)} exists in docs_dir, but prepbook generates that {what}; "
                f"remove the file or set the plugin's 'output' elsewhere"
            )
        return uri

    def failed(self) -> None:
        """A build that failed: its exports' copies and its staging folder go."""
        self.exports.drop_spilled()
        self.site_swap.discard()

    def shutdown(self) -> None:
        """A build stopped by Ctrl-C gets no ``on_build_error``; the command still ends here."""
        self.site_swap.discard()

    def page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Show the playbook at a glance where the home page asks for it. Hand Python-Markdown
        the generated Markdown without its tables, pictures, prose and the paragraphs search
        skips, which prepbook converts itself, at a fraction of the cost (see
        :mod:`prepbook.render.islands`)."""
        uri = page.file.src_uri
        if uri == "index.md" and GLANCE_MARKER in markdown:
            glance = self._lift(page, self.glance, config, files, whole=markdown)
            return markdown.replace(GLANCE_MARKER, glance, 1)
        generated = self._generated(uri)
        if generated is None:
            return markdown
        if not self.serving:  # no rebuild will reuse the page's text: let it go
            self.pages[generated] = page.file.content_string = ""
        return self._lift(page, markdown, config, files)

    def _generated(self, uri: str) -> str | None:
        """The generated page at ``uri`` (relative to the docs), as ``self.pages`` names
        it; None for any other page."""
        prefix = f"{self.output}/"
        page = uri[len(prefix) :] if uri.startswith(prefix) else None
        return page if page in self.pages else None

    def _lift(
        self, page: Page, markdown: str, config: MkDocsConfig, files: Files, whole: str = ""
    ) -> str:
        """prepbook's blocks as HTML, whose links MkDocs would leave as written, so they are
        written as it serves the pages; then those blocks out of the Markdown. Its prose
        too, where the Markdown extensions are ones it is known to read as plain Markdown
        does (see :mod:`prepbook.render.prose_html`)."""
        uri = page.file.src_uri
        href = partial(served_href, uri, directory_urls=config.use_directory_urls)
        html = blocks_to_html(markdown, href)
        if known(config.markdown_extensions):
            linked: dict[File, dict[str, str]] = {}
            html = prose_to_html(html, partial(_resolve, page.file, files, linked))
            if linked:
                self.linked[uri] = linked
        lifted = islands.lift(html, page=whole)
        if lifted.islands:
            self.lifted[uri] = lifted
        return lifted.markdown

    def page_content(self, html: str, page: Page) -> str:
        """Put back the blocks search reads; and their anchors, for MkDocs' link checks."""
        linked = self.linked.pop(page.file.src_uri, None)
        if linked is not None and page.links_to_anchors is not None:
            for target, anchors in linked.items():
                known_anchors = page.links_to_anchors.setdefault(target, {})
                for anchor, url in anchors.items():
                    known_anchors.setdefault(anchor, url)
        lifted = self.lifted.get(page.file.src_uri)
        if lifted is None:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= lifted.ids
        # MkDocs holds every page's HTML until it writes them: the blocks back in it go
        self.lifted[page.file.src_uri] = islands.skipped(lifted)
        return islands.restore(html, lifted, searched=True)

    def post_page(self, output: str, page: Page) -> str:
        """Put back the blocks search skips, now that it has read the page, and let go of
        the generated page's text. Name the theme's search dialog for screen readers (an
        accessibility fix the theme lacks; harmless where it is already named or absent)."""
        output = output.replace(_SEARCH_DIALOG, _NAMED_SEARCH_DIALOG, 1)
        if self.pagefind:
            search = page.meta.get("search")
            search = search if isinstance(search, dict) else {}
            boost = search.get("boost")
            output = pagefind.mark_page(
                output,
                searchable=not search.get("exclude"),
                boost=float(boost) if isinstance(boost, int | float) else None,
            )
        lifted = self.lifted.pop(page.file.src_uri, None)
        if self._generated(page.file.src_uri) is not None:
            # MkDocs keeps every page to the end of the build, for nothing but its anchors.
            page.markdown = page.content = None
        return output if lifted is None else islands.restore(output, lifted, searched=False)

    def navigation(self, nav: Navigation, config: MkDocsConfig) -> Navigation:
        """Keep the workshop pages out of an automatic navigation: it must not grow with the
        number of workshops. They are reached from the portfolio."""
        if config.nav:
            return nav
        hidden = {self.uri(page) for page in self.pages if page not in SECTION_PAGES}
        _prune(nav.items, hidden)
        nav.pages = [p for p in nav.pages if p.file.src_uri not in hidden]
        return nav

    def environment(self, config: MkDocsConfig, files: Files, env: jinja2.Environment) -> None:
        """Under serve, what the live preview rebuilds single pages with. The theme's own
        search index left unmade where the box asks Pagefind (every plugin has read its
        configuration by this event, and no page is built yet)."""
        if self.pagefind and not (self.settings and self.settings.theme_search_index):
            _quiet_theme_index(config)
        if self.serving:
            self.preview.built(config, files, env)

    def post_template(self, output: str, name: str) -> str:
        """A page of the theme's own (the 404 page), its search box asking Pagefind too."""
        if self.pagefind and name.endswith(".html"):
            return pagefind.mark_page(output, searchable=False)
        return output

    def page_context(self, nav: Navigation) -> None:
        """Keep the navigation the pages are built with, for the live preview."""
        if self.preview.last is not None:
            self.preview.last.nav = nav

    def built(self, config: MkDocsConfig) -> None:
        """The exports' copies on disk are in the site now; serve's first build, stopped by
        findings, ends with the error page in the site."""
        self.exports.drop_spilled()
        self.preview.release(Path(config.site_dir))
        if self.pagefind:  # serve indexes when a browser asks, a build before the swap
            if self.serving:
                self.indexing.stale(Path(config.site_dir))
            else:
                pagefind.index_site(Path(config.site_dir))

    def publish(self) -> None:
        """The staged site in the site folder's place, once every plugin has written it."""
        self.site_swap.publish()

    def serve(self, server: LiveReloadServer, config: MkDocsConfig) -> LiveReloadServer:
        """The serve loop, watching the workshops, the templates and the tracker exports
        as they are read, with the live preview as its builder and the exports made when a
        request asks for them."""
        if self.project is not None:
            project = self.project
            folders = (project.workshops_dir, project.templates_dir, project.trackers_dir)
            watch_as_read(server, [f for f in folders if f is not None and f.is_dir()])
        server.builder = self.preview.wrap(server.builder, Path(config.site_dir))
        server.error_handler = self.preview.not_found(server)
        before_answering(server, self._is_export, self._make_stale_exports)
        if self.pagefind:
            before_answering(server, self.indexing.wanted, self.indexing.prepare)
        return server

    def _make_stale_exports(self) -> None:
        self.exports.make_stale(self._last(), self.uri)

    def _watched(self, config: MkDocsConfig) -> list[Path]:
        """What a full build reads besides the workshops: a change to any of it needs one.
        New tracker exports are among it: they can move any tracked step of any workshop."""
        paths = [Path(config.docs_dir)]
        if config.config_file_path:
            paths.append(Path(config.config_file_path))
        if self.project is not None and self.project.templates_dir is not None:
            paths.append(self.project.templates_dir)
        if self.project is not None:
            paths.append(self.project.trackers_dir)
        if config.theme.custom_dir:
            paths.append(Path(config.theme.custom_dir))
        paths.extend(Path(p) for p in config.watch)
        return [p for p in paths if p.exists()]


def _resolve(
    source: File, files: Files, linked: dict[File, dict[str, str]], url: str
) -> str | None:
    """A link of prose lifted out of a page, as MkDocs would write it (see MkDocs'
    ``_RelativePathTreeprocessor.path_to_url``): its address from the page, the anchors it
    names kept in ``linked`` for MkDocs' check of anchors. None for a link MkDocs would
    warn about (absolute, or to no file of the site, or to one left out of it): the prose
    holding it is left to MkDocs, which says so."""
    scheme, netloc, path, query, anchor = urlsplit(url)
    if scheme or netloc:
        return url
    if url.startswith(("/", "\\")):
        return None
    if not path:
        if anchor:
            linked.setdefault(source, {}).setdefault(anchor, url)
        return url
    target_uri = posixpath.normpath(
        posixpath.join(posixpath.dirname(source.src_uri), unquote(path)).lstrip("/")
    )
    target = files.get_file_from_path(target_uri)
    if target is None or target.inclusion.is_excluded():  # type: ignore[no-untyped-call]
        return None
    if anchor:
        linked.setdefault(target, {}).setdefault(anchor, url)
    return urlunsplit(("", "", get_relative_url(target.url, source.url), query, anchor))


def _material_search(config: MkDocsConfig) -> bool:
    """Whether the site has Material's search box, which prepbook answers from Pagefind. A
    site built to be opened from disk (Material's offline plugin) keeps the theme's search,
    which works there: a browser runs no worker and fetches no index from a file URL."""
    plugins = {name.split("/")[-1] for name in config.plugins}
    return config.theme.name == "material" and "search" in plugins and "offline" not in plugins


def _quiet_theme_index(config: MkDocsConfig) -> None:
    """Stop Material's search plugin from indexing each page, when the search box asks
    Pagefind: the theme's index read every page's HTML again with Python's HTML parser
    (about a tenth of a build) and held the text of all of them to the end of the build.
    Its ``search/search_index.json`` is still written, with no documents. Where the plugin
    is not the one known (a later Material may keep its index otherwise), its index is
    built as before."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] != "search":
            continue
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if callable(getattr(index, "add_entry_from_context", None)) and isinstance(entries, list):
            entries.clear()
            index.add_entry_from_context = _no_entry  # type: ignore[union-attr]
            return


def _no_entry(page: Page) -> None:
    """What the theme's index adds for a page when Pagefind answers its search box."""


def _prune(items: list, hidden: set[str]) -> None:  # type: ignore[type-arg]
    for item in list(items):
        if isinstance(item, Page) and item.file.src_uri in hidden:
            items.remove(item)
        elif isinstance(item, Section):
            _prune(item.children, hidden)
            if not item.children:
                items.remove(item)
