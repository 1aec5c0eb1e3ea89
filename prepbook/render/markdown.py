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


class Md(str):
    """Markdown that prepbook wrote itself: trusted, never escaped again.

    A plain ``str`` subclass (cheap to make, and pages make millions); ``__html__`` lets
    markupsafe-aware code treat it as already safe too.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return self


# Everything Markdown, its common extensions (emoji, mark, math, mentions) or HTML could read
# as markup. "-", "+" and "." only matter at the start of a block, handled in paragraphs().
_SPECIAL = "\\`*_{}[]()<>#!|~^=:&\"'$@"
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
TIMES, DIVIDED = "\u00d7", "\u00f7"
_SPACE = re.compile(r"\s+")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A code span, kept as it is, or a character past U+00FF.
_WIDE = re.compile(r"(`[^`\n]*`)|([^\x00-\xff])")


def escape(text: str) -> Md:
    """One line of text, safe anywhere inline: in a paragraph, a heading or a table cell."""
    text = str(text)
    if (
        "  " in text
        or "\n" in text
        or "\t" in text
        or "\r" in text
        or text[:1].isspace()
        or text[-1:].isspace()
    ):  # most text needs no folding
        text = _SPACE.sub(" ", text).strip()
    return Md(text.translate(_TABLE))


def join(items: Iterable[Any], separator: str = "") -> Md:
    """Jinja's ``join``, escaping each item the Markdown way (Jinja's would only HTML-escape)."""
    return Md(str(separator).translate(_TABLE).join(inline(item) for item in items))


def _neutralise_start(block: str) -> str:
    """Keep a block from starting a list: "- ", "+ " or "1. " become plain text."""
    if block[:1] in ("-", "+"):
        return f"&#{ord(block[0])};{block[1:]}"
    return _NUMBERED.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", block, count=1)


def paragraphs(text: str) -> Md:
    """Text that may hold several paragraphs (blank lines in the YAML), as Markdown blocks."""
    escaped = [escape(block) for block in _PARAGRAPH_BREAK.split(text.strip())]
    return Md("\n\n".join(_neutralise_start(block) for block in escaped if block))


def inline(value: Any) -> Md:
    """Any value as inline Markdown: the ``finalize`` of every template expression."""
    if value.__class__ is Md:
        return value
    if value.__class__ is str:
        return escape(value)
    if hasattr(value, "__html__"):  # markup built elsewhere from escaped parts
        return Md(value.__html__())
    if value is None:
        return Md("")
    if isinstance(value, bool):
        return Md("yes" if value else "no")
    if isinstance(value, int | float):
        return Md(number(value))
    if isinstance(value, dt.date):
        return Md(value.isoformat())
    return escape(str(value))


def number(value: float) -> str:
    """A number as the YAML gives it, every digit kept: a whole one without a decimal point,
    another as the shortest text that reads back as the same float (``0.1``, ``1e-07``).

    Not ``f"{value:g}"``, which keeps six digits (a reach of 1,234,567 read 1.23457e+06)
    and cannot format a whole number past a float's range.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def one_byte(page: str) -> str:
    """A page whose every character past U+00FF (the arrows, dashes, ellipses and glyphs
    prepbook writes, and any in the YAML) is a numeric character reference, which means
    the same to every engine.

    CPython stores a string at the width of its widest character, so one arrow makes a
    page take two bytes a character, and a build holds every page at once. Code spans are
    left as they are (a reference in one would show as typed), and so is a page with a
    fenced code block.
    """
    if page.isascii() or "```" in page or "~~~" in page:
        return page
    return _WIDE.sub(lambda m: m.group(1) or f"&#{ord(m.group(2))};", page)


# JSON's escape of a character past U+FFFF: a pair of surrogates
_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral(pair: re.Match[str]) -> str:
    high, low = int(pair.group(1), 16), int(pair.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted string that every YAML reader reads back as it is.

    JSON's double-quoted strings are YAML's, escapes and all, but one: JSON writes a
    character past U+FFFF (an emoji) as two ``\\u`` escapes of surrogates, which PyYAML
    reads as two lone surrogates, no character at all. It is written as YAML's own
    ``\\U`` escape instead.
    """
    return _SURROGATE_PAIR.sub(_astral, json.dumps(text))


def front_matter(title: str, search: bool = True, search_boost: float | None = None) -> Md:
    """A YAML front matter block that sets the page title.

    Themes print the page title into ``<title>`` and the navigation without escaping it
    (Material even unescapes the heading's text first), so a title taken from the first
    heading could close ``</title>`` and open a script. Given here as HTML-escaped text, it
    shows as typed and cannot break out.

    ``search=False`` keeps the page out of the search index (Material's and Zensical's
    ``search.exclude``): pages that only repeat what the workshop pages say would swell the
    index and outrank the pages a reader is looking for. Pages that are the best answer for
    their own title (a workshop's page, for its organisation and title) say so with
    ``search_boost``, which Material's search reads.
    """
    head = f"title: {yaml_string(html.escape(' '.join(title.split())))}\n"
    if not search:
        head += "search:\n  exclude: true\n"
    elif search_boost is not None:
        head += f"search:\n  boost: {search_boost}\n"
    return Md(f"---\n{head}---\n\n")


def unindexed(value: Any) -> Md:
    """Inline text that search leaves out: what a page repeats from elsewhere on it (its
    summary, what refers to a record), which would only swell the index and the results."""
    text = inline(value)
    return Md(f"<span data-search-exclude>{text}</span>") if text else text


def cell_label(column: str) -> Md:
    """A table cell's column name, hidden on wide screens and shown on a phone, where the
    stylesheet stacks each row's cells: a stacked cell still says what it is."""
    return Md(f'<span class="pb-label" data-search-exclude>{escape(column)}:</span> ')


def risk(rating: Any) -> Md:
    """A risk rating as "4 x 5 = **20** (high)", with a real multiplication sign."""
    return Md(
        f"{rating.likelihood} {TIMES} {rating.severity} = **{rating.score}** ({rating.level})"
    )


def residual(persofail: Any) -> Md:
    """A persofail's residual risk now, with the planned residual beside it when the
    mitigations not done yet are expected to lower it (``Persofail.residual_now``)."""
    now = risk(persofail.residual_now)
    if not persofail.residual_pending:
        return now
    return Md(f"{now}; planned {risk(persofail.planned_residual)} once every mitigation is done")


def score(value: Any) -> Md:
    """A priority's score with its inputs, or a dash."""
    if value is None:
        return Md("—")
    if value.method == "rice":
        inputs = f" {TIMES} ".join(
            [inline(value.reach), inline(value.impact), f"{value.confidence}%"]
        )
        return Md(f"RICE **{inline(value.value)}** ({inputs} {DIVIDED} {inline(value.effort)})")
    inputs = f" {TIMES} ".join(str(n) for n in (value.impact, value.confidence, value.ease))
    return Md(f"ICE **{inline(value.value)}** ({inputs})")


def dates(start: dt.date | None, end: dt.date | None) -> Md:
    """A date range in words: "2026-01-05 to 2026-03-27", "from …", "until …" or a dash."""
    if start and end:
        return Md(f"{start} to {end}")
    if start:
        return Md(f"from {start}")
    return Md(f"until {end}") if end else Md("—")
