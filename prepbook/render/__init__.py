"""Rendering the playbook's pages as Markdown, for MkDocs or any other engine.

The entry point is :func:`prepbook.render.site.render_site`. This package imports nothing
itself, so a command that only needs the Markdown escaping (the diff's output) does not
load the templates and pictures.
"""
