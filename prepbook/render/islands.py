"""Large blocks of raw HTML taken out of a page before its engine reads the Markdown, and
put back into the HTML it makes.

A generated page is mostly raw HTML: its pictures, and its tables once written as HTML
(:mod:`prepbook.render.html_blocks`). An engine gains nothing from parsing them (Python-
Markdown passes them through as they are), yet parsing them was most of a build's time;
a search index gains nothing from the blocks marked ``data-search-exclude`` either. So an
adapter lifts the blocks out, leaving a short HTML comment in each one's place, and puts
each back when the engine has no more use for the page's text: a block search reads
before the index is made, the others after.

Plain string work, so it costs little next to what it saves, and knows no engine. A
placeholder cannot be forged by YAML text (which cannot write ``<``, see
:mod:`prepbook.render.markdown`), and the prefix is lengthened until it occurs nowhere in
the page, so not even a template can collide with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Blocks lifted: a picture (pictures.svg.figure), a table, a paragraph search skips.
# And a kit's persofail card, and the prose the MkDocs adapter converts to HTML, which it
# marks (see prose_html): the engine writes a raw block, and not the paragraph, list or
# quote it would have made of the Markdown, with a blank line after it, which goes.
PROSE = "<!--prepbook-prose-->"
_ENDS: dict[str, str | tuple[str, ...]] = {
    '<div class="prepbook-figure"': "</div>",
    "<table": "</table>",
    "<p data-search-exclude>": "</p>",
    '<div class="prepbook-card"': "</div>",
    PROSE: ("</p>", "</ul>", "</blockquote>", "</table>"),
}
_STARTS = tuple(_ENDS)
_ID = re.compile(r'id="([^"]*)"')  # an id attribute when a space comes before it (see _ids)
PREFIX = "prepbook-island-"


@dataclass(frozen=True, slots=True)
class Island:
    """A lifted block; ``searched``: search reads it (it is not marked
    ``data-search-exclude``)."""

    html: str
    searched: bool
    prose: bool = False  # written for the engine as HTML: put back without the blank line


@dataclass(frozen=True, slots=True)
class Lifted:
    """A page's Markdown with placeholders, and what they stand for."""

    markdown: str
    islands: tuple[Island, ...] = ()
    prefix: str = PREFIX
    ids: frozenset[str] = frozenset()  # the ids inside the islands: anchors links may name


def lift(markdown: str, *, page: str = "") -> Lifted:
    """Each block of ``markdown`` that is a picture, a table or a paragraph search skips
    replaced by a placeholder;
    ``page``: the whole page, when ``markdown`` is only a part of it."""
    if not markdown.startswith(_STARTS) and not any(f"\n{s}" in markdown for s in _STARTS):
        return Lifted(markdown)
    prefix = PREFIX
    while prefix in markdown or prefix in page:
        prefix += "x"
    islands: list[Island] = []
    blocks: list[str | None] = list(markdown.split("\n\n"))
    joins = False  # whether the block before is an island that the next one may join
    for index, block in enumerate(markdown.split("\n\n")):
        lead = block[: len(block) - len(block.lstrip("\n"))]  # after more than one blank line
        start = next((s for s in _STARTS if block.startswith(s, len(lead))), None)
        if start is None or not block.rstrip().endswith(_ENDS[start]):
            joins = False
            continue
        html = block[len(lead) :].rstrip()
        prose = start == PROSE
        if prose:
            html = html[len(PROSE) :]
        opening = html[: html.index(">") + 1]
        island = Island(html, "data-search-exclude" not in opening, prose)
        end = len(lead) + len(PROSE if prose else "") + len(html)
        if joins and not lead and island.searched == islands[-1].searched:
            # One placeholder for a run of blocks (Python-Markdown's cost is by the block),
            # with what the engine would have written between them.
            before = islands[-1]
            between = "\n" if before.prose else "\n\n"
            islands[-1] = Island(before.html + between + html, island.searched, prose)
            blocks[index] = None
        else:
            islands.append(island)
            blocks[index] = f"{lead}<!--{prefix}{len(islands) - 1}-->{block[end:]}"
        joins = not block[end:]
    if not islands:
        return Lifted(markdown)
    ids = frozenset(i for island in islands for i in _ids(island.html))
    kept = [block for block in blocks if block is not None]
    return Lifted("\n\n".join(kept), tuple(islands), prefix, ids)


def _ids(html: str) -> list[str]:
    """The values of the ``id`` attributes in ``html`` (not of ``data-id`` and the like):
    a plain pattern, checked after, is many times faster than one that looks behind."""
    return [m.group(1) for m in _ID.finditer(html) if html[m.start() - 1 : m.start()].isspace()]


def restore(html: str, lifted: Lifted, *, searched: bool) -> str:
    """``html`` with the placeholders of the islands search reads (``searched``) or of the
    others put back."""
    if not lifted.islands:
        return html
    placeholder = re.compile(f"<!--{re.escape(lifted.prefix)}([0-9]+)-->(\n?)")

    def back(match: re.Match[str]) -> str:
        island = lifted.islands[int(match.group(1))]
        if island.searched != searched:
            return match.group(0)
        return island.html if island.prose else island.html + match.group(2)

    return placeholder.sub(back, html)


def skipped(lifted: Lifted) -> Lifted:
    """``lifted`` with only the islands search skips, once the others are back in the
    page: the rest of a build need not hold them twice."""
    kept = tuple(i if not i.searched else Island("", True, i.prose) for i in lifted.islands)
    return Lifted("", kept, lifted.prefix)
