"""The facilitation kit and the decision record as PDF, on A4 or Letter.

The pages are the site's own (``kits/<id>/index.md``, ``records/<id>/index.md``), so a printed kit
says what the site says. Their Markdown is made HTML here, with a stylesheet for paper of
its own, and WeasyPrint lays it out: an optional extra (``pip install 'prepbook[pdf]'``),
imported only when a PDF is asked for. Links between pages of the site point at the
published site when ``site_url`` says where it is, and are plain text otherwise: a link
to a relative address means nothing on paper. Nothing is fetched: the HTML names no
stylesheet, font or picture outside itself, and WeasyPrint is refused any address.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import markdown

from prepbook.errors import UsageError
from prepbook.render import links

Paper = Literal["a4", "letter"]
PAPERS: dict[Paper, str] = {"a4": "A4", "letter": "letter"}
MISSING_EXTRA = (
    "prepbook print needs WeasyPrint, an optional extra: pip install 'prepbook[pdf]' "
    "(WeasyPrint also needs Pango, which most Linux systems have; see its installation "
    "notes for macOS and Windows)"
)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# A link as Python-Markdown writes it (links are never nested): its address, its words.
_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)


@dataclass(frozen=True, slots=True)
class Sheet:
    """One document to print: the site page it is made of, and what it is."""

    workshop: str
    kind: Literal["kit", "record"]
    page: str  # the page's path in the generated folder: kits/<id>/index.md

    def file_name(self, paper: Paper) -> str:
        return f"{self.workshop}-{self.kind}-{paper}.pdf"


def sheets(workshop_ids: list[str]) -> list[Sheet]:
    """The kit and the record of each workshop, in that order."""
    out = []
    for ws in workshop_ids:
        out.append(Sheet(ws, "kit", links.kit_page(ws)))
        out.append(Sheet(ws, "record", links.record_page(ws)))
    return out


def _link(page: str, site_url: str | None, directory_urls: bool) -> Callable[[re.Match[str]], str]:
    """Each link of ``page`` as paper can hold it: an address outside the site as it is,
    one of the site at its published address, or its words alone when the site's address
    is not known."""

    def rewrite(match: re.Match[str]) -> str:
        href, words = html.unescape(match.group(1)), match.group(2)
        if href.startswith(("http://", "https://", "mailto:")):
            return match.group(0)
        target, _, fragment = href.partition("#")
        if not target:
            return f"<span>{words}</span>"  # a place on the same page: no page to turn to
        if target.endswith(".md"):  # a Markdown link, relative to the page's file
            base, served = posixpath.dirname(page), True
        else:  # a link of raw HTML, written as the engine serves the page (links.address)
            base, served = posixpath.dirname(links.served(page, directory_urls)), False
        resolved = posixpath.normpath(posixpath.join(base, target))
        if site_url is None or resolved.startswith(".."):
            return f"<span>{words}</span>"
        if served:
            resolved = links.served(resolved, directory_urls)
        elif target.endswith("/"):
            resolved += "/"
        address = site_url.rstrip("/") + "/" + resolved.removeprefix("./")
        address += f"#{fragment}" if fragment else ""
        return f'<a href="{html.escape(address, quote=True)}">{words}</a>'

    return rewrite


_LONG_WORD = re.compile(r"[^\s<>&]{32,}")
_TAG = re.compile(r"(<[^>]*>)")


def _breakable(body: str) -> str:
    """Very long words with a place to break every 16 characters (``<wbr>``), in the text
    only, never inside a tag: paper has no scroll bar, and a table laid out to fit the
    longest word would run past the page's edge for a word longer than its width."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return "<wbr>".join(word[i : i + 16] for i in range(0, len(word), 16))

    parts = _TAG.split(body)
    return "".join(p if p.startswith("<") else _LONG_WORD.sub(split, p) for p in parts)


def html_document(
    text: str,
    sheet: Sheet,
    paper: Paper,
    *,
    output: str,
    site_url: str | None,
    directory_urls: bool,
) -> str:
    """The page's Markdown as one HTML document for paper. ``output`` is the generated
    folder's place on the site (``playbook``), for the published address of each link."""
    body = markdown.markdown(_FRONT_MATTER.sub("", text, count=1), extensions=["tables"])
    page = posixpath.join(output, sheet.page) if output else sheet.page
    body = _ANCHOR.sub(_link(page, site_url, directory_urls), body)
    body = _breakable(body)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    name = re.sub(r"<[^>]+>", "", title.group(1)) if title else html.escape(sheet.workshop)
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        f"<style>{stylesheet(paper)}</style></head>"
        f'<body class="prepbook-paper prepbook-paper--{sheet.kind}">{body}</body></html>\n'
    )


def stylesheet(paper: Paper) -> str:
    """Type and layout for paper: the page box, and each sheet of the kit on its own."""
    return f"""
@page {{ size: {PAPERS[paper]}; margin: 14mm 14mm 16mm; }}
@page {{ @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 8pt; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.35; }}
h1 {{ font-size: 15pt; margin: 0 0 0.4em; }}
h2 {{ font-size: 12pt; margin: 1em 0 0.4em; break-after: avoid; }}
h3 {{ font-size: 10pt; margin: 0.8em 0 0.3em; break-after: avoid; }}
p, li {{ orphans: 2; widows: 2; }}
a {{ color: inherit; }}
table {{ width: 100%; border-collapse: collapse; margin: 0.4em 0 0.8em; }}
th, td {{ border: 0.5pt solid #777; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: normal; hyphens: manual; }}
.pb-label {{ display: none; }}
tr {{ break-inside: avoid; }}
code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 0.95em; }}
.prepbook-badge {{ border: 0.5pt solid currentColor; border-radius: 2pt; padding: 0 2pt;
  font-weight: bold; white-space: nowrap; }}
.prepbook-paper--kit h2 {{ break-before: page; }}
.prepbook-paper--kit h2:first-of-type {{ break-before: auto; }}
.prepbook-card {{ border: 0.75pt dashed #333; padding: 4pt 8pt; margin: 0 0 8pt;
  break-inside: avoid; height: 118mm; box-sizing: border-box; }}
.prepbook-card p {{ margin: 3pt 0; }}
.prepbook-card__box {{ display: inline-block; width: 14pt; border: 0.75pt solid #000;
  text-align: center; margin-right: 2pt; }}
.prepbook-card__box--marked {{ font-weight: bold; outline: 1.5pt solid #000; }}
.prepbook-paper--record body, .prepbook-paper--record {{ font-size: 8pt; }}
.prepbook-paper--record h1 {{ font-size: 13pt; }}
.prepbook-paper--record h2 {{ font-size: 10.5pt; margin-top: 0.6em; }}
"""


def _refuse_fetching(url: str, **_: Any) -> dict[str, Any]:
    raise ValueError(f"prepbook print fetches nothing: {url}")


def pdf_writer() -> Callable[[str], bytes]:
    """What turns an HTML document into PDF bytes, laid out by WeasyPrint; a UsageError
    that says how to install it when it is not (asked first, before anything is built)."""
    try:
        import weasyprint  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None

    def write(document: str) -> bytes:
        pdf: bytes = weasyprint.HTML(string=document, url_fetcher=_refuse_fetching).write_pdf()
        return pdf

    return write
