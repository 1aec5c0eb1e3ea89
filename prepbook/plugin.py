"""The MkDocs plugin: a thin adapter from MkDocs' events to prepbook's core.

Each event is forwarded to one object, :class:`prepbook.site_build.SiteBuild`, which holds
what a build keeps from one event to the next (and, under ``mkdocs serve``, from one
rebuild to the next); the plugin holds nothing else. Validation and rendering both happen
in ``on_config``, before MkDocs writes any file: a broken workshop or template stops the
build with the same findings as ``prepbook validate``. ``mkdocs build`` writes into a
staging folder that takes the site folder's place only when the build is complete, so no
failure and no kill leaves a partial site (see :mod:`prepbook.site_swap`). Under ``mkdocs
serve`` the findings are shown in the browser instead (see :mod:`prepbook.serve`).

This is the plugin's edge: whatever prepbook refuses (a ``PrepbookError``, from any stage)
reaches MkDocs as a ``PluginError``, which it prints in one line and stops on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import jinja2
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from prepbook.errors import PrepbookError
from prepbook.mkdocs_options import PrepbookConfig
from prepbook.site_build import SiteBuild
from prepbook.site_swap import FIRST, LAST
from prepbook.terminal import printable

P = ParamSpec("P")
R = TypeVar("R")


def edge(event: Callable[P, R]) -> Callable[P, R]:
    """An event whose ``PrepbookError`` reaches MkDocs as a ``PluginError``, in the same
    words; MkDocs' own errors (the findings' ``PlaybookErrors`` among them) pass as they are."""

    @functools.wraps(event)
    def forwarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except PrepbookError as exc:
            raise PluginError(printable(str(exc))) from None

    return forwarded


class PrepbookPlugin(BasePlugin[PrepbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.site = SiteBuild()

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """Validate the options as MkDocs does, and keep the settings they make."""
        given = set(options)
        errors, warnings = super().load_config(options, config_file_path)
        return self.site.configured(self.config, given, errors, warnings)

    @edge
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin across the rebuilds of ``serve``."""
        self.site.start(command, dirty)

    @event_priority(FIRST)  # before every other plugin's, so that all of them write there
    @edge
    def _stage_site(self, config: MkDocsConfig) -> MkDocsConfig:
        return self.site.stage(config)

    @edge
    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        return self.site.configure(config)

    on_config = CombinedEvent(_stage_site, _on_config)

    @edge
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        return self.site.add_files(files, config)

    @edge
    def on_build_error(self, *, error: Exception) -> None:
        self.site.failed()

    @edge
    def on_shutdown(self) -> None:
        self.site.shutdown()

    @edge
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return self.site.page_markdown(markdown, page, config, files)

    @edge
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.site.page_content(html, page)

    @edge
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.site.post_page(output, page)

    @edge
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return self.site.post_template(output_content, template_name)

    @edge
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        return self.site.navigation(nav, config)

    @event_priority(-100)  # last, to keep the environment every other plugin has set up
    @edge
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        self.site.environment(config, files, env)
        return env

    @edge
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self.site.page_context(nav)
        return context

    @edge
    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        self.site.built(config)

    @event_priority(LAST)  # once every other plugin has written its part
    @edge
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        self.site.publish()

    on_post_build = CombinedEvent(_on_post_build, _publish_site)

    @edge
    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        return self.site.serve(server, config)
