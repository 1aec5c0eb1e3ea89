"""prepbook's paragraphs, lists and quotes written again as the HTML Python-Markdown makes
of them, for the MkDocs adapter to lift out of a page before Python-Markdown reads it.

Once the tables and pictures were lifted out (:mod:`prepbook.render.islands`), what
Python-Markdown still parsed of a generated page was its prose: the lists of each priority
and persofail, the header lines, the people's duties. That was a third of a build's time
at 1,000 workshops, for text built of a handful of constructs that prepbook writes itself.

Like :mod:`prepbook.render.html_blocks`, the conversion is exact, not a Markdown parser:
it takes a block only when every line is one of those constructs (a paragraph of inline
text, a list of ``- `` items, loose or tight, a quote of ``> `` lines), and its inline text
only when it holds links, ``**strong**``, ``*emphasis*``, character references and a few
inline tags; anything else, or a link whose target MkDocs would not recognise (which it
warns about), leaves the block, and any list or quote it would join, to the engine. Blocks
that Python-Markdown would join (the blocks of one loose list, of one quote) are taken or
left together, and the lists come out as Python-Markdown writes them: an item in a
paragraph of its own where the list is loose. A test compares the pages with and without
this conversion, through Python-Markdown, for the example playbook and a synthetic one.

Only the MkDocs adapter calls this, and only for the Markdown extensions whose effect on
these constructs is known (:data:`KNOWN_EXTENSIONS`); ``prepbook generate`` keeps the
Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from prepbook.render.html_blocks import inline_html
from prepbook.render.islands import PROSE

# A link's target as the page's engine serves it, or None when the engine would not
# recognise it (the block is then left to the engine, which says so).
Resolve = Callable[[str], str | None]

# Python-Markdown's extensions that leave prepbook's paragraphs, lists and quotes as plain
# Markdown makes them (each acts on other constructs: headings, tables, fences, notes).
KNOWN_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "meta",
        "tables",
        "toc",
    }
)

_SEPARATOR = re.compile(r"(\n{2,})")
_DELIMITER = re.compile(r"\|(?: :?-+:? \|)+")
_CODE = re.compile(r"`[^`\n]+`")
_ALIGN = {
    (False, False): "",
    (True, False): ' style="text-align: left;"',
    (False, True): ' style="text-align: right;"',
    (True, True): ' style="text-align: center;"',
}
_LISTY = re.compile(r"[*+-][ \t]|\d+[.)][ \t]")
# A line that would start a block of its own, or end a paragraph, in Python-Markdown (or
# one of the known extensions): a heading, a quote, a list item, a rule or a setext line,
# a fence, an admonition, a definition, a table row, an indented line.
_BLOCK_LINE = re.compile(
    r"[#>|]|[*+-][ \t]|\d+[.)][ \t]|[-*_=][-*_= \t]*$|```|~~~|!!!|\?\?\?|:[ \t]|[ \t]"
)
# The inline tags prepbook writes in its prose.
_INLINE_TAG = re.compile(r"</?(?:span|a|strong|em|br|code)\b[^<>*]*>")
_TAG = re.compile(r"<[^>]*>")
_ENTITY_OR_AMP = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[a-zA-Z][a-zA-Z0-9]*;)")
# How a paragraph may start: text, a link, emphasis, or one of the inline tags.
_INLINE_START = ("<span", "<a ", "<strong>", "<em>", "<br>", "<code>")


def known(extensions: Sequence[object]) -> bool:
    """Whether every configured Markdown extension is one of :data:`KNOWN_EXTENSIONS`
    (given by its short name or by its module's, as MkDocs accepts both; an extension a
    plugin added as an object is not known)."""
    return all(
        isinstance(name, str) and name.removeprefix("markdown.extensions.") in KNOWN_EXTENSIONS
        for name in extensions
    )


def prose_to_html(markdown: str, resolve: Resolve) -> str:
    """``markdown`` with each of prepbook's paragraphs, lists and quotes as an HTML block,
    exactly as Python-Markdown would write it; every other block as it was."""
    parts = _SEPARATOR.split(markdown)
    blocks, separators = parts[0::2], parts[1::2]
    out: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        kind = _kind(block)
        end = index + 1
        html: str | None = None
        if kind in ("list", "quote"):
            # the blocks Python-Markdown makes one list (or quote) of, indented ones included
            while end < len(blocks) and (_kind(blocks[end]) in (kind, "indented")):
                end += 1
            after_indented = index > 0 and _kind(blocks[index - 1]) == "indented"
            if not after_indented:
                group = [*blocks[index : end - 1], blocks[end - 1].rstrip("\n")]
                html = _list(group, resolve) if kind == "list" else _quote(group, resolve)
        elif kind == "paragraph":
            html = _paragraph(block.rstrip("\n").split("\n"), resolve)
        elif kind == "table":
            html = _table(block.rstrip("\n").split("\n"), resolve)
        if html is None:
            for at in range(index, end):
                out.append(blocks[at])
                if at < len(separators):
                    out.append(separators[at])
        else:
            last = blocks[end - 1]
            # for islands.lift, which takes it out; the page's last line break stays
            out.append(PROSE + html + last[len(last.rstrip("\n")) :])
            if end - 1 < len(separators):
                out.append(separators[end - 1])
        index = end
    return "".join(out)


def _kind(block: str) -> str:
    if not block:
        return "empty"
    if block[0] in " \t":
        return "indented"
    if _LISTY.match(block):
        return "list"
    if block[0] == ">":
        return "quote"
    if block[0] == "|":
        return "table"
    if block[0] == "<":
        return "paragraph" if block.startswith(_INLINE_START) else "other"
    return "other" if _BLOCK_LINE.match(block) else "paragraph"


def _paragraph(lines: list[str], resolve: Resolve) -> str | None:
    html = _text(lines, resolve)
    return None if html is None else f"<p>{html}</p>"


def _list(group: list[str], resolve: Resolve) -> str | None:
    """A list of ``- `` items over one block or several (a loose list): an item is a
    paragraph of its own when it starts a block after the first, or ends a block that
    another follows, as Python-Markdown writes them."""
    blocks: list[list[str]] = []
    for block in group:
        items = []
        for line in block.split("\n"):
            if not line.startswith("- "):
                return None
            html = _text([line[2:]], resolve)
            if html is None:
                return None
            items.append(html)
        blocks.append(items)
    out = ["<ul>"]
    for number, items in enumerate(blocks):
        for position, html in enumerate(items):
            loose = (number > 0 and position == 0) or (
                position == len(items) - 1 and number < len(blocks) - 1
            )
            out.append(f"<li>\n<p>{html}</p>\n</li>" if loose else f"<li>{html}</li>")
    out.append("</ul>")
    return "\n".join(out)


def _quote(group: list[str], resolve: Resolve) -> str | None:
    """A quote over one block or several, each block a paragraph of it."""
    paragraphs = []
    for block in group:
        lines = block.split("\n")
        if not all(line.startswith("> ") for line in lines):
            return None
        paragraph = _paragraph([line[2:] for line in lines], resolve)
        if paragraph is None:
            return None
        paragraphs.append(paragraph)
    return "<blockquote>\n" + "\n".join(paragraphs) + "\n</blockquote>"


def _table(lines: list[str], resolve: Resolve) -> str | None:
    """A table that :mod:`prepbook.render.html_blocks` leaves to the engine (one with code
    spans), as Python-Markdown's tables extension writes it: each cell's text as it is."""
    if len(lines) < 2 or not _DELIMITER.fullmatch(lines[1]):
        return None
    aligns = [_ALIGN[(spec[:1] == ":", spec[-1:] == ":")] for spec in _cells(lines[1])]
    rows = []
    for line in (lines[0], *lines[2:]):
        if "\\" in line or not (line.startswith("| ") and line.endswith(" |")):
            return None
        if "`" in line and any("|" in code for code in _CODE.findall(line)):
            return None  # a pipe in a code span does not end a cell
        cells = _cells(line)
        if len(cells) != len(aligns):
            return None
        converted = [_text([cell], resolve) if cell else "" for cell in cells]
        if any(cell is None for cell in converted):
            return None
        rows.append(converted)
    out = ["<table>", "<thead>"]
    for number, row in enumerate(rows):
        tag = "th" if number == 0 else "td"
        if number == 1:
            out.append("<tbody>")
        out.append("<tr>")
        out.extend(f"<{tag}{align}>{cell}</{tag}>" for cell, align in zip(row, aligns, strict=True))
        out.append("</tr>")
        if number == 0:
            out.append("</thead>")
    if len(rows) > 1:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line[1:-1].split("|")]


def _text(lines: list[str], resolve: Resolve) -> str | None:
    """The inline HTML of a paragraph's lines, or None when one of them would be read as
    something else than a line of inline text, or the text holds what this module does not
    convert exactly."""
    for line in lines:
        if not line or line[-1] in " \t" or _BLOCK_LINE.match(line):
            return None
    text = "\n".join(lines)
    unresolved = False

    def target(href: str) -> str:
        nonlocal unresolved
        served = resolve(href)
        if served is None:
            unresolved = True
            return href
        return served

    html = inline_html(text, target)
    if html is None or unresolved:
        return None
    for tag in _TAG.findall(html):
        if not _INLINE_TAG.fullmatch(tag):
            return None
    words = _TAG.sub("", html)
    if "<" in words or ">" in words or "|" in words or _ENTITY_OR_AMP.search(words):
        return None
    return html
