"""Text from YAML as Markdown that shows exactly what the author typed.

Every character that Markdown or HTML could read as markup becomes a numeric character
reference, so no field can open a tag, a link, an emphasis, a table cell or an attribute
list. Numeric references are plain HTML and mean the same in every Markdown engine.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup


class Md(Markup):
    """Markdown that prepbook wrote itself: trusted, never escaped again.

    It is a :class:`markupsafe.Markup` so that Jinja's autoescaping, and the results of
    macros, which Jinja marks the same way, pass through untouched.
    """

    __slots__ = ()


# Everything Markdown, its common extensions (emoji, mark, math, mentions) or HTML could read
# as markup. "-", "+" and "." only matter at the start of a block, handled in paragraphs().
_SPECIAL = "\\`*_{}[]()<>#!|~^=:&\"'$@"
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
_SPACE = re.compile(r"\s+")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def escape(text: str) -> Md:
    """One line of text, safe anywhere inline: in a paragraph, a heading or a table cell."""
    return Md(_SPACE.sub(" ", str(text)).strip().translate(_TABLE))


def join(items: Iterable[Any], separator: str = "") -> Md:
    """Jinja's ``join``, escaping each item the Markdown way (Jinja's would only HTML-escape)."""
    return Md(str(separator).translate(_TABLE).join(show(item) for item in items))


def _neutralise_start(block: str) -> str:
    """Keep a block from starting a list: "- ", "+ " or "1. " become plain text."""
    if block[:1] in ("-", "+"):
        return f"&#{ord(block[0])};{block[1:]}"
    return _NUMBERED.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", block, count=1)


def paragraphs(text: str) -> Md:
    """Text that may hold several paragraphs (blank lines in the YAML), as Markdown blocks."""
    blocks = [escape(block) for block in _PARAGRAPH_BREAK.split(text.strip())]
    blocks = [_neutralise_start(block) for block in blocks if block]
    return Md("\n\n".join(blocks))


def show(value: Any) -> Md:
    """Any value as inline Markdown: the ``finalize`` of every template expression."""
    if value.__class__ is str:
        return escape(value)
    if hasattr(value, "__html__"):  # ours, or a macro's output built from escaped parts
        return value if value.__class__ is Md else Md(value)
    if value is None:
        return Md("")
    if isinstance(value, bool):
        return Md("yes" if value else "no")
    if isinstance(value, float) and value.is_integer():
        return Md(str(int(value)))
    if isinstance(value, int | float):
        return Md(f"{value:g}")
    if isinstance(value, dt.date):
        return Md(value.isoformat())
    return escape(str(value))


def front_matter(title: str) -> Md:
    """A YAML front matter block that sets the page title.

    Themes print the page title into ``<title>`` and the navigation without escaping it
    (Material even unescapes the heading's text first), so a title taken from the first
    heading could close ``</title>`` and open a script. Given here as HTML-escaped text, it
    shows as typed and cannot break out.
    """
    return Md(f"---\ntitle: {json.dumps(html.escape(' '.join(title.split())))}\n---\n\n")
