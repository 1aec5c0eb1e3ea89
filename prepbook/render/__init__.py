"""Rendering the playbook's pages as Markdown, for MkDocs or any other engine."""

from prepbook.render.site import RenderError, render_site

__all__ = ["RenderError", "render_site"]
