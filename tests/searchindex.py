"""Reading a built site's search index, as the search box reads it: Pagefind's fragments.

A fragment is one page: its URL, title, the text search reads and the headings with an id,
each at the number of the word it starts at. Gzip'd JSON after a short signature, so what
search can find is known without a browser. :func:`sections` cuts each page at its
headings, the way a result leads to a section of a page.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every page Pagefind indexed: its URL, title and text."""
    pages = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        pages.append(json.loads(raw[len(SIGNATURE) :]))
    assert pages, f"no search index in {site}"
    return pages


def sections(site: Path) -> list[dict[str, str]]:
    """Each page's text cut at its headings with an id: ``location`` (the page's address
    from the site's root, with ``#id`` but for the text before its first heading), the
    heading's ``title`` (the page's for that first part) and the ``text`` under it."""
    found: list[dict[str, str]] = []
    for page in fragments(site):
        url = str(page["url"]).lstrip("/")
        words = str(page["content"]).split()
        heads = sorted(
            (a for a in page["anchors"] if a["element"] in _HEADINGS and a["location"] > 0),
            key=lambda a: a["location"],
        )
        starts = [0, *(int(a["location"]) for a in heads), len(words)]
        titles = [str(page["meta"].get("title", "")), *(str(a["text"]) for a in heads)]
        locations = [url, *(f"{url}#{a['id']}" for a in heads)]
        for at, (start, end) in enumerate(itertools.pairwise(starts)):
            text = words[start:end]
            heading = titles[at].split()
            if at and [w.rstrip(".") for w in text[: len(heading)]] == heading:
                text = text[len(heading) :]  # the heading is the title, not text
            found.append({"location": locations[at], "title": titles[at], "text": " ".join(text)})
    return found
