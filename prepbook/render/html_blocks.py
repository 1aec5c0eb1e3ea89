"""prepbook's own Markdown blocks, its tables and the paragraphs search skips, written again
as HTML for an engine that would otherwise parse every piece of them.

The pages keep Markdown tables, because links in raw HTML mean different things to
different engines: Zensical reads them as relative to the page's Markdown file, MkDocs as
relative to the address it serves the page at, and from any page that is not a folder's
index the two cannot agree. Only the adapter of one engine knows which it is, so it turns
the tables into HTML itself (see :mod:`prepbook.plugin`), giving each link as ``href``
makes it.

The conversion is exact, not a Markdown parser: it knows the few constructs prepbook
writes in a cell (links, ``**strong**``, ``*emphasis*``, ``<br>``, spans, character
references) and nothing else, which is enough because every character of YAML text that
Markdown could read as markup is a numeric character reference by then
(:mod:`prepbook.render.markdown`). A table holding anything else (a template override's
own Markdown) is left as it is, for the engine to read.

The HTML is lighter than the Markdown it replaces: a cell's column name for phones
becomes a ``data-label`` attribute (the stylesheet shows it), and a cell, a header row, a
whole table or a paragraph that search would skip says so once, with
``data-search-exclude``, instead of a span around each piece of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The column name a cell carries for phones (markdown.cell_label writes it).
_LABEL = re.compile(r'<span class="pb-label" data-search-exclude>([^<]*?):</span> ')
_DELIMITER = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
_STRONG = re.compile(r"\*\*")
_EM = re.compile(r"\*")
_SPAN_TAG = re.compile(r"(<span\b[^>]*>|</span>)")
_TAG = re.compile(r"<[^>]*>")
_EXCLUDED_SPAN = "<span data-search-exclude>"
_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")  # a code span of single backticks
_SPAN_MARK = re.compile("\x00([0-9]+)\x00")
# Left over outside tags once prepbook's constructs are converted, these would be Markdown
# that this module does not know: the table is then left to the engine.
_UNKNOWN = re.compile(r"[*_\[\]`\\]")
_ALIGN = {"right": ' style="text-align: right;"', "center": ' style="text-align: center;"'}

Href = Callable[[str], str]


def blocks_to_html(markdown: str, href: Href) -> str:
    """``markdown`` with each of prepbook's tables, and each paragraph search skips as a
    whole (a line of spans marked ``data-search-exclude``), as an HTML block; ``href``
    gives the address a link's target (as written in Markdown) is reached at from this
    page."""
    blocks = markdown.split("\n\n")
    for index, block in enumerate(blocks):
        html = None
        if block.startswith("|") or block.startswith("\n|"):
            html = table_to_html(block.strip("\n"), href)
        elif block.startswith(_EXCLUDED_SPAN) and "\n" not in block.rstrip("\n"):
            html = paragraph_to_html(block.rstrip("\n"), href)
        if html is not None:
            blocks[index] = html + block[len(block.rstrip("\n")) :]
    return "\n\n".join(blocks)


def paragraph_to_html(line: str, href: Href) -> str | None:
    """A paragraph of one line that search skips as a whole, as HTML marked so once; None
    when search would read some of it, or it holds what this module does not convert."""
    converted = inline_html(line, href) if "`" not in line else None
    if converted is None:
        return None
    indexable, unwrapped = _searched(converted)
    return None if indexable else f"<p data-search-exclude>{unwrapped}</p>"


def table_to_html(block: str, href: Href) -> str | None:
    """One Markdown table as HTML, or None when it holds anything this module does not
    convert exactly."""
    lines = block.split("\n")
    if len(lines) < 2 or not _DELIMITER.fullmatch(lines[1].strip()):
        return None
    aligns = [_alignment(spec) for spec in _split(lines[1])]
    rows = []
    for line in (lines[0], *lines[2:]):
        if "`" in line or "\\" in line or not line.startswith("|"):
            return None
        cells = _split(line)
        if len(cells) != len(aligns):
            return None
        converted = [_cell(cell, href) for cell in cells]
        if any(cell is None for cell in converted):
            return None
        rows.append(converted)
    head, body = rows[0], rows[1:]
    whole = not any(cell.indexable for row in rows for cell in row if cell is not None)
    out = ["<table data-search-exclude>" if whole else "<table>"]
    head_hidden = not whole and not any(cell.indexable for cell in head if cell is not None)
    out.append("<thead data-search-exclude>" if head_hidden else "<thead>")
    out.append(_row("th", head, aligns, whole or head_hidden))
    out.append("</thead>\n<tbody>")
    out.extend(_row("td", row, aligns, whole) for row in body)
    out.append("</tbody>\n</table>")
    return "\n".join(out)


class _Cell:
    """A converted cell: its HTML, its column name for phones, and whether search would
    read any of its text."""

    __slots__ = ("html", "indexable", "label", "unwrapped")

    def __init__(self, html: str, label: str, indexable: bool, unwrapped: str) -> None:
        self.html = html
        self.label = label
        self.indexable = indexable
        self.unwrapped = unwrapped  # the HTML without its exclusion spans


def _split(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _alignment(spec: str) -> str:
    if spec.startswith(":") and spec.endswith(":"):
        return "center"
    return "right" if spec.endswith(":") else ""


def _cell(text: str, href: Href) -> _Cell | None:
    label = ""
    found = _LABEL.match(text)
    if found:
        label, text = found.group(1), text[found.end() :]
    html = inline_html(text, href)
    if html is None:
        return None
    indexable, unwrapped = _searched(html)
    return _Cell(html, label, indexable, unwrapped)


def inline_html(text: str, href: Href) -> str | None:
    """prepbook's inline Markdown as HTML, or None if any other Markdown is left."""
    spans: list[str] = []
    if "`" in text:  # code spans first, as Python-Markdown reads them: nothing inside counts
        if "\x00" in text:
            return None
        text = _CODE.sub(lambda m: _code(m, spans), text)
    if "[" in text:
        text = _LINK.sub(lambda m: f'<a href="{href(m.group(2))}">{m.group(1)}</a>', text)
    if "*" in text:
        strong = _emphasis(text, _STRONG, "strong")
        emphasised = _emphasis(strong, _EM, "em") if strong is not None else None
        if emphasised is None:
            return None
        text = emphasised
    if _UNKNOWN.search(_TAG.sub("", text)):
        return None
    if spans:
        text = _SPAN_MARK.sub(lambda m: spans[int(m.group(1))], text)
    return text


def _code(match: re.Match[str], spans: list[str]) -> str:
    """A code span as Python-Markdown writes it (its text stripped, ``&``, ``<`` and ``>``
    as references), kept aside until the rest of the text is converted."""
    code = match.group(1).strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    spans.append(f"<code>{code}</code>")
    return f"\x00{len(spans) - 1}\x00"


def _emphasis(text: str, marker: re.Pattern[str], tag: str) -> str | None:
    """Each pair of ``marker`` as the ``tag`` around what it encloses, as Python-Markdown
    pairs them: a marker after a non-space closes the last one still open, else one
    before a non-space opens, so ``**risk 6 = **6** (medium)**`` nests; None if a
    marker pairs with none."""
    found = list(marker.finditer(text))
    if not found:
        return text
    opened: list[int] = []
    tags: dict[int, str] = {}
    for index, match in enumerate(found):
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if opened and before and not before.isspace():
            tags[opened.pop()], tags[index] = f"<{tag}>", f"</{tag}>"
        elif after and not after.isspace():
            opened.append(index)
        else:
            return None
    if opened:
        return None
    out, last = [], 0
    for index, match in enumerate(found):
        out += [text[last : match.start()], tags[index]]
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _searched(html: str) -> tuple[bool, str]:
    """Whether search would read any text of ``html`` (text outside every span marked
    ``data-search-exclude``), and ``html`` without its plain exclusion spans, for a cell
    that says it is excluded as a whole."""
    if "<span" not in html:
        return bool(_TAG.sub("", html).strip()), html
    indexable = False
    kept: list[str] = []
    stack: list[tuple[bool, bool]] = []  # per open span: excluded, dropped from the output
    excluded = 0
    for piece in _SPAN_TAG.split(html):
        if piece.startswith("<span"):
            is_excluded = "data-search-exclude" in piece
            dropped = piece == _EXCLUDED_SPAN
            stack.append((is_excluded, dropped))
            excluded += is_excluded
            if not dropped:
                kept.append(piece)
        elif piece == "</span>":
            is_excluded, dropped = stack.pop() if stack else (False, False)
            excluded -= is_excluded
            if not dropped:
                kept.append(piece)
        else:
            if not excluded and not indexable and _TAG.sub("", piece).strip():
                indexable = True
            kept.append(piece)
    return indexable, "".join(kept)


def _row(tag: str, cells: list[_Cell | None], aligns: list[str], hidden: bool) -> str:
    """A row; in a table or header row that search skips as a whole, each cell's own
    exclusion spans go, and a cell search would not read says so itself. A cell a line, as
    Python-Markdown writes them: search reads the line breaks as spaces between words."""
    out = ["<tr>"]
    for cell, align in zip(cells, aligns, strict=True):
        assert cell is not None
        attrs = _ALIGN.get(align, "")
        if cell.label:
            attrs += f' data-label="{cell.label}"'
        if hidden:
            html = cell.unwrapped
        elif not cell.indexable and "<span" in cell.html:
            attrs += " data-search-exclude"
            html = cell.unwrapped
        else:
            html = cell.html
        out.append(f"<{tag}{attrs}>{html}</{tag}>")
    out.append("</tr>")
    return "\n".join(out)
