"""Small, deterministic building blocks for inline SVG pictures.

Pictures are strings built at build time: no JavaScript, nothing fetched, the same bytes
for the same data. Marks carry classes, styled by prepbook's stylesheet
(``prepbook/render/assets/prepbook.css``, which every page already loads, so no page
repeats the rules). Colours come from Material's CSS variables, with fallbacks for other
engines, so the light and dark palettes both work; the categorical colours are the
Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies, and
every colour is doubled by a shape or a text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

FONT_SIZE = 12
SMALL = 11  # the smallest text in any picture: legible on a phone, where none is scaled
CHAR_WIDTH = 0.62 * FONT_SIZE  # a generous average, so estimated text never overflows
LINE = 15  # the distance between two lines of a wrapped label
# The width of a picture's narrow layout: the content column of a 390 px phone is 358 px,
# so a narrow picture is never scaled there and its text keeps its size. Under Material's
# 45em breakpoint, the narrow picture is shown in place of the wide one (prepbook.css).
NARROW = 340


_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def esc(text: object) -> str:
    """Text or an attribute value, escaped for XML (quotes included)."""
    return str(text).translate(_XML)


def num(value: float) -> str:
    """A coordinate with at most one decimal, the same on every machine."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _units(char: str) -> int:
    """How many average characters ``char`` takes: two for a wide one (Chinese, Japanese,
    Korean, most emoji), none for a combining mark or an invisible format character (a
    zero-width joiner, a soft hyphen), one for any other."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def units(text: str) -> int:
    """The width of ``text`` in average characters (see _units); its length when ASCII."""
    return len(text) if text.isascii() else sum(map(_units, text))


def _cut(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` average characters: a mark stays
    with the character it is drawn on."""
    used = 0
    for index, char in enumerate(text):
        used += _units(char)
        if used > limit:
            return max(1, index)
    return len(text)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The width ``text`` is estimated to take, erring on the wide side."""
    return units(text) * CHAR_WIDTH * size / FONT_SIZE


def fit(text: str, width: float, size: int = FONT_SIZE) -> str:
    """Text shortened to fit ``width`` pixels, ending in an ellipsis when cut: only for
    text also shown in full nearby (a tooltip alone is not enough to read it)."""
    text = " ".join(text.split())
    limit = max(1, int(width // (CHAR_WIDTH * size / FONT_SIZE)))
    if units(text) <= limit:
        return text
    return text[: _cut(text, max(1, limit - 1))].rstrip() + "…"


def wrap(text: str, width: float, size: int = FONT_SIZE) -> list[str]:
    """Text broken into lines of at most ``width`` pixels, at spaces where it can be, so a
    label is read in full however long it is. Widths are counted as ``units`` counts
    them, so a line of Chinese or of emoji fits as a line of Latin letters does."""
    limit = max(4, int(width // (CHAR_WIDTH * size / FONT_SIZE)))
    lines: list[str] = []
    current = ""
    for word in text.split():
        while units(word) > limit:  # a word longer than a line is cut where it must be
            if current:
                lines.append(current)
                current = ""
            cut = _cut(word, limit - 1)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        if current and units(current) + 1 + units(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    return lines


def wrap_to(text: str, chars: int, *, max_lines: int | None = None) -> list[str]:
    """Text broken into lines of at most ``chars`` average characters (a character budget,
    counted as ``units`` counts them); with ``max_lines``, the last line kept ends in an
    ellipsis when there was more, for text also shown in full nearby."""
    lines = wrap(text, chars * CHAR_WIDTH)
    if max_lines is None or len(lines) <= max_lines:
        return lines
    last = " ".join([*lines[max_lines - 1 :]])
    return [*lines[: max_lines - 1], fit(last, chars * CHAR_WIDTH)]


@dataclass
class Picture:
    """An SVG being drawn: its elements in order, and the facts for title and desc."""

    id: str
    width: float
    height: float
    title: str
    description: str
    parts: list[str] = field(default_factory=list)
    layout: str = ""  # "wide" or "narrow" when the figure holds both layouts, else ""

    def add(self, *elements: str) -> None:
        self.parts.extend(elements)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        css: str = "",
        full: str | None = None,
        size: int | None = None,
    ) -> str:
        """A text element; with ``full``, the shortened text carries the whole as a tooltip."""
        attrs = f' class="{css}"' if css else ""
        attrs += f' font-size="{max(size, SMALL)}"' if size else ""
        tooltip = f"<title>{esc(full)}</title>" if full and full != content else ""
        return (
            f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{attrs}>'
            f"{tooltip}{esc(content)}</text>"
        )

    def lines(
        self,
        x: float,
        y: float,
        lines: list[str],
        *,
        anchor: str = "start",
        css: str = "",
        size: int | None = None,
    ) -> str:
        """Lines of one label, the first with its baseline at ``y``, as one text element:
        read as one by a screen reader, and found whole by a search of the page."""
        attrs = f' class="{css}"' if css else ""
        attrs += f' font-size="{max(size, SMALL)}"' if size else ""
        spans = "".join(
            f'<tspan x="{num(x)}" dy="{0 if i == 0 else LINE}">{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{attrs}>{spans}</text>'

    def wrapped(
        self,
        x: float,
        y: float,
        text: str,
        chars: int,
        *,
        max_lines: int | None = None,
        anchor: str = "start",
        css: str = "",
        size: int | None = None,
    ) -> str:
        """``text`` wrapped by a budget of ``chars`` characters a line, as ``<tspan>`` lines
        of one text element (see wrap_to and lines)."""
        lines = wrap_to(text, chars, max_lines=max_lines)
        return self.lines(x, y, lines, anchor=anchor, css=css, size=size)

    def svg(self) -> str:
        # Scaled to its column, never above its natural size: each picture is drawn at a
        # width its column holds (a wide layout and, beside it, a narrow one for phones),
        # so on screen its text stays at the size it was drawn at.
        css = f"pb-svg pb-{self.layout}" if self.layout else "pb-svg"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="group" '
            f'viewBox="0 0 {num(self.width)} {num(self.height)}" width="{num(self.width)}" '
            f'height="{num(self.height)}" style="max-width:100%;height:auto" '
            f'aria-labelledby="{self.id}-title {self.id}-desc" id="{self.id}">'
            f'<title id="{self.id}-title">{esc(self.title)}</title>'
            f'<desc id="{self.id}-desc">{esc(self.description)}</desc>'
        )
        return head + "".join(self.parts) + "</svg>"


def link(href: str, tooltip: str, *inner: str) -> str:
    """A link around marks, with a tooltip; ``href`` is a fragment of the page or a URL
    relative to it, made by the caller."""
    return f'<a href="{esc(href)}"><title>{esc(tooltip)}</title>{"".join(inner)}</a>'


def table(caption: str, header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """The picture's data as an HTML table; cells are HTML already escaped by the caller."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def figure(
    picture: Picture,
    caption: str,
    data_table: str,
    *,
    open_table: bool = False,
    narrow: Picture | None = None,
) -> str:
    """The picture, its caption, and its data as a table for screen readers and print.

    One block of HTML with no blank line, so every Markdown engine passes it through. With
    ``narrow``, the picture's layout for phones follows the wide one, and the stylesheet
    shows one of them by the width of the screen (print takes the wide one); its id is
    its own. The figure still scrolls sideways, in any engine, should a picture be wider
    than its column; the search index leaves the whole block out (``data-search-exclude``),
    as its text is labels and numbers that would only clutter the snippets of the page.
    """
    state = " open" if open_table else ""
    drawn = picture.svg()
    if narrow is not None:
        picture.layout, narrow.layout = "wide", "narrow"
        drawn = picture.svg() + narrow.svg()
    return (
        f'<div class="prepbook-figure" data-search-exclude>'
        f'<figure style="overflow-x:auto">{drawn}'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
        f"<details{state}><summary>The data of this picture as a table</summary>"
        f"{data_table}</details></div>"
    )
