"""The MkDocs plugin: a thin adapter from MkDocs' events to prepbook's core.

Validation and rendering both happen in ``on_config``, before MkDocs writes any file: a
broken workshop or template stops the build with the same findings as ``prepbook validate``.
``mkdocs build`` writes into a staging folder that takes the site folder's place only when
the build is complete, so no failure and no kill leaves a partial site (see
:mod:`prepbook.site_swap`). Under ``mkdocs serve`` the findings are shown in the browser
instead (see :mod:`prepbook.serve`).
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
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from prepbook.build import build, export_files
from prepbook.config import Project, Settings, SettingsError
from prepbook.export import EXPORTS_DIR
from prepbook.export.context import ExportContext
from prepbook.history import HistoryCache
from prepbook.load.playbook import LoadCache
from prepbook.mkdocs_options import PrepbookConfig, settings_from, unsafe_urls
from prepbook.render import islands
from prepbook.render.html_blocks import blocks_to_html
from prepbook.render.links import (
    AUDIT,
    CATALOGUE,
    CHANGES,
    PORTFOLIO,
    ROADMAP,
    served_href,
    workshop_page,
)
from prepbook.render.site import GLANCE_MARKER, Rendered, default_home
from prepbook.report import Report
from prepbook.report.formats import finding_text, format_text
from prepbook.rules import Severity
from prepbook.serve import LivePreview, PlaybookErrors, before_answering, watch_as_read
from prepbook.site_swap import FIRST, LAST, SiteSwap
from prepbook.terminal import printable

log = get_plugin_logger(__name__)
STYLESHEET = "assets/prepbook.css"
# Material's search box is a dialog without a name; screen readers announce it as "dialog".
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED_SEARCH_DIALOG = _SEARCH_DIALOG[:-1] + ' aria-label="Search">'

SECTION_PAGES = (PORTFOLIO, AUDIT, CATALOGUE, ROADMAP, CHANGES)


class PrepbookPlugin(BasePlugin[PrepbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.settings: Settings | None = None  # set by load_config, when the options are valid
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
        self.exports: dict[str, bytes] = {}  # the playbook as data, beside the pages
        self.spill_dir: tempfile.TemporaryDirectory[str] | None = None  # see _spill
        self.spilled: dict[str, Path] = {}  # export -> its copy on disk, until it is copied
        # under serve, what the exports are to be made from once asked for: the served ones
        # are older than the pages since a partial rebuild (see _make_stale_exports)
        self.stale_exports: ExportContext | None = None
        self.exports_lock = threading.Lock()  # requests are answered in threads of their own
        self.site_swap = SiteSwap()  # where mkdocs build writes until the site is complete

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """Validate the options as MkDocs does (the command line calls this too)."""
        given = set(options)
        errors, warnings = super().load_config(options, config_file_path)
        self.settings, errors, warnings = settings_from(self.config, given, errors, warnings)
        return errors, warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin across the rebuilds of ``serve``."""
        self.serving = command == "serve"
        self.site_swap.dirty = dirty

    @event_priority(FIRST)  # before every other plugin's, so that all of them write there
    def _stage_site(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.serving:  # serve builds into a temporary folder of its own
            self.site_swap.stage(config)
        return config

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
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
        return config

    on_config = CombinedEvent(_stage_site, _on_config)

    def regenerate(self, config: MkDocsConfig, *, partial: bool = False) -> None:
        """Check the workshops and render their pages (again, under ``mkdocs serve``: only
        what changed is parsed and rendered again). A ``partial`` rebuild of the live
        preview leaves the exports to be made when they are asked for (see ``on_serve``)."""
        self.project = project = self._project(config)
        settings = project.settings
        try:
            project.require_folders()
        except SettingsError as exc:
            raise PluginError(printable(str(exc))) from None
        docs_dir = Path(config.docs_dir)
        built = build(
            project,
            docs_dir / settings.output,
            cache=self.cache,
            previous=self.rendered,
            history=self.history,
            export_sink=None if self.serving else self._spill,
            make_exports=not partial,
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
        with self.exports_lock:
            if partial:
                self.stale_exports = built.export_context
            else:
                self.stale_exports = None
                self._refresh_exports(built.exports)
        self.glance = built.rendered.glance if built.rendered is not None else ""
        playbook = built.playbook
        if not self.serving:
            # A single build has no next rebuild: let the parsed playbook go now, so the
            # rest of the build does not carry (and garbage-collect around) it.
            self.cache, self.rendered = LoadCache(), None
        self.sources = {
            workshop_page(ws_id): loaded.path for ws_id, loaded in playbook.workshops.items()
        }

    def _refresh_exports(self, exports: dict[str, bytes]) -> None:
        """Keep the exports for ``on_files``. A partial rebuild of ``mkdocs serve`` (the
        preview holds the last build's files) writes the ones that changed where that build
        put them, so the served files never lag behind the pages."""
        before, self.exports = self.exports, exports
        last = self.preview.last if self.serving else None
        if last is None:
            return
        for path, data in exports.items():
            file = last.files.get_file_from_path(self.uri(path))
            if file is None or before.get(path) == data:
                continue
            file.content_bytes = data
            file.copy_file()

    def _is_export(self, path: str) -> bool:
        """Whether a request's path asks for an export, whatever the site's mount path."""
        return f"/{self.uri(EXPORTS_DIR)}/" in path

    def _make_stale_exports(self) -> None:
        """Make the exports a partial rebuild left stale, and write the ones that changed
        where the served site has them: at 1,000 workshops this takes 1.6 s, which a
        rebuild would otherwise add to every save, though the exports are rarely looked at
        while editing."""
        with self.exports_lock:
            context, self.stale_exports = self.stale_exports, None
            if context is not None:
                self._refresh_exports(export_files(context))

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
        return posixpath.join(self.config["output"], page)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.preview.held is not None:
            return Files([])  # the error page stands alone; it loads nothing
        docs_dir = Path(config.docs_dir).resolve()
        for page, text in self.pages.items():
            uri = self.uri(page)
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"{printable(uri)} exists in docs_dir, but prepbook generates that page; "
                    f"remove the file or set the plugin's 'output' elsewhere"
                )
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
        exports: dict[str, bytes | Path] = {**self.exports, **self.spilled}
        for path, data in sorted(exports.items()):
            uri = self.uri(path)
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"{printable(uri)} exists in docs_dir, but prepbook generates that file; "
                    f"remove the file or set the plugin's 'output' elsewhere"
                )
            if isinstance(data, Path):
                files.append(File.generated(config, uri, abs_src_path=str(data)))
            else:
                files.append(File.generated(config, uri, content=data))
        if not self.serving:  # the files hold them now; no rebuild will compare them
            self.exports = {}
        if not any(files.get_file_from_path(name) for name in ("index.md", "README.md")):
            home = default_home(config.site_name, self.config["output"])
            files.append(File.generated(config, "index.md", content=home))
        css = resources.files("prepbook.render").joinpath(STYLESHEET).read_text(encoding="utf-8")
        files.append(File.generated(config, STYLESHEET, content=css))
        return files

    def _spill(self, path: str, data: bytes) -> None:
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

    def _drop_spilled(self) -> None:
        if self.spill_dir is not None:
            self.spill_dir.cleanup()
            self.spill_dir, self.spilled = None, {}

    def on_build_error(self, *, error: Exception) -> None:
        self._drop_spilled()
        self.site_swap.discard()

    def on_shutdown(self) -> None:
        """A build stopped by Ctrl-C gets no ``on_build_error``; the command still ends here."""
        self.site_swap.discard()

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Show the playbook at a glance where the home page asks for it. Hand Python-Markdown
        the generated Markdown without its tables, pictures and the paragraphs search skips,
        which it would only pass through, at great cost (see :mod:`prepbook.render.islands`)."""
        uri = page.file.src_uri
        if uri == "index.md" and GLANCE_MARKER in markdown:
            glance = self._lift(uri, self.glance, config, page=markdown)
            return markdown.replace(GLANCE_MARKER, glance, 1)
        generated = self._generated(uri)
        if generated is None:
            return markdown
        if not self.serving:  # no rebuild will reuse the page's text: let it go
            self.pages[generated] = page.file.content_string = ""
        return self._lift(uri, markdown, config)

    def _generated(self, uri: str) -> str | None:
        """The generated page at ``uri`` (relative to the docs), as ``self.pages`` names
        it; None for any other page."""
        prefix = f"{self.config['output']}/"
        page = uri[len(prefix) :] if uri.startswith(prefix) else None
        return page if page in self.pages else None

    def _lift(self, uri: str, markdown: str, config: MkDocsConfig, page: str = "") -> str:
        """prepbook's blocks as HTML, whose links MkDocs would leave as written, so they are
        written as it serves the pages; then those blocks out of the Markdown."""
        href = partial(served_href, uri, directory_urls=config.use_directory_urls)
        lifted = islands.lift(blocks_to_html(markdown, href), page=page)
        if lifted.islands:
            self.lifted[uri] = lifted
        return lifted.markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put back the blocks search reads; and their anchors, for MkDocs' link checks."""
        lifted = self.lifted.get(page.file.src_uri)
        if lifted is None:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= lifted.ids
        return islands.restore(html, lifted, searched=True)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put back the blocks search skips, now that it has read the page, and let go of
        the generated page's text. Name the theme's search dialog for screen readers (an
        accessibility fix the theme lacks; harmless where it is already named or absent)."""
        output = output.replace(_SEARCH_DIALOG, _NAMED_SEARCH_DIALOG, 1)
        lifted = self.lifted.pop(page.file.src_uri, None)
        if self._generated(page.file.src_uri) is not None:
            # MkDocs keeps every page to the end of the build, for nothing but its anchors.
            page.markdown = page.content = None
        return output if lifted is None else islands.restore(output, lifted, searched=False)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the workshop pages out of an automatic navigation: it must not grow with the
        number of workshops. They are reached from the portfolio."""
        if config.nav:
            return nav
        hidden = {self.uri(page) for page in self.pages if page not in SECTION_PAGES}
        _prune(nav.items, hidden)
        nav.pages = [p for p in nav.pages if p.file.src_uri not in hidden]
        return nav

    @event_priority(-100)  # last, to keep the environment every other plugin has set up
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.serving:
            self.preview.built(config, files, env)
        return env

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Keep the navigation the pages are built with, for the live preview."""
        if self.preview.last is not None:
            self.preview.last.nav = nav
        return context

    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        """The exports' copies on disk are in the site now; serve's first build, stopped by
        findings, ends with the error page in the site."""
        self._drop_spilled()
        self.preview.release(Path(config.site_dir))

    @event_priority(LAST)  # once every other plugin has written its part
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        self.site_swap.publish()

    on_post_build = CombinedEvent(_on_post_build, _publish_site)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        if self.project is not None:
            folders = (self.project.workshops_dir, self.project.templates_dir)
            watch_as_read(server, [f for f in folders if f is not None and f.is_dir()])
        server.builder = self.preview.wrap(server.builder, Path(config.site_dir))
        server.error_handler = self.preview.not_found(server)
        before_answering(server, self._is_export, self._make_stale_exports)
        return server

    def _watched(self, config: MkDocsConfig) -> list[Path]:
        """What a full build reads besides the workshops: a change to any of it needs one."""
        paths = [Path(config.docs_dir)]
        if config.config_file_path:
            paths.append(Path(config.config_file_path))
        if self.project is not None and self.project.templates_dir is not None:
            paths.append(self.project.templates_dir)
        if config.theme.custom_dir:
            paths.append(Path(config.theme.custom_dir))
        paths.extend(Path(p) for p in config.watch)
        return [p for p in paths if p.exists()]


def _prune(items: list, hidden: set[str]) -> None:  # type: ignore[type-arg]
    for item in list(items):
        if isinstance(item, Page) and item.file.src_uri in hidden:
            items.remove(item)
        elif isinstance(item, Section):
            _prune(item.children, hidden)
            if not item.children:
                items.remove(item)
