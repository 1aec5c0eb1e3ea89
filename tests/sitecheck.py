"""Reading a built site: the ids each page holds and the links it makes."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class PageInfo:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # src, or the code of an inline script
    text: str = ""
    handlers: list[str] = field(default_factory=list)  # on* attributes: inline event code
    images: list[str] = field(default_factory=list)  # src of each <img>


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.info = PageInfo()
        self._text: list[str] = []
        self._skip = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.info.handlers.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))
        if tag == "img":
            self.info.images.append(values.get("src") or "")
        if values.get("id"):
            self.info.ids.add(values["id"] or "")
        if tag == "a" and values.get("href") is not None:
            self.info.links.append(values["href"] or "")
        if tag == "script":
            self.info.scripts.append(values.get("src") or "")
            self._in_script = not values.get("src")
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.info.scripts[-1] += data
        if not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.info.text = "".join(self._text)


def read_page(path: Path) -> PageInfo:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.info


def read_site(site: Path) -> dict[str, PageInfo]:
    """Every HTML page of a built site, by its path relative to the site folder."""
    return {p.relative_to(site).as_posix(): read_page(p) for p in sorted(site.rglob("*.html"))}


def resolve(name: str, href: str) -> tuple[str, str] | None:
    """The page (relative to the site) and fragment an internal link leads to; None for
    links that leave the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        target = path.lstrip("/")
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    else:
        target = name
    if target in (".", ""):
        target = "index.html"
    elif not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.html")
    return target, unquote(parts.fragment)


def broken_links(site: Path, pages: dict[str, PageInfo]) -> list[str]:
    """Internal links whose page or anchor does not exist (404.html is served anywhere, so
    its links are left out)."""
    problems = []
    for name, info in pages.items():
        if name == "404.html":
            continue
        for href in info.links:
            resolved = resolve(name, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if target not in pages:
                if not (site / target).is_file():
                    problems.append(f"{name}: {href} (no such page)")
            elif fragment and fragment not in pages[target].ids:
                problems.append(f"{name}: {href} (no such anchor)")
    return problems
