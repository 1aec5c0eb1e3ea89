"""prepbook's stylesheet: where a site serves it, and its text.

The pages need it in any engine: it draws the pictures (their marks carry classes only, so
no page repeats the rules), stacks the data tables into cards on a phone, and underlines
links. The MkDocs plugin adds it to the site; ``prepbook generate`` writes it beside the
pages, for the engine's configuration to name.
"""

from __future__ import annotations

from importlib import resources

PATH = "assets/prepbook.css"  # relative to the site (the plugin) or the generated folder


def text() -> str:
    return resources.files("prepbook.render").joinpath(PATH).read_text(encoding="utf-8")
