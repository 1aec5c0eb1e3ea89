"""An Atom feed (RFC 4287) of what changed, so a stakeholder follows a playbook in a reader.

The feed is written with ElementTree, which escapes every value, and every text goes
through :func:`xml_text` first: git gives commit subjects and author names as they were
typed, and a character XML 1.0 cannot hold (a control character, an unpaired surrogate)
would make the whole feed unreadable. Nothing is random: an entry's id is a name-based
UUID of what it stands for, its time the commit's, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
# what XML 1.0 refuses (its Char production): C0 controls but tab and line ends,
# surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Ids are URNs made from a name: the same change has the same id in every build and feed
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:prepbook:feed")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def urn(*parts: str) -> str:
    """A stable id for the thing ``parts`` name: ``urn:uuid:`` of a name-based UUID."""
    return uuid.uuid5(_NAMESPACE, "\0".join(parts)).urn


def timestamp(moment: dt.datetime) -> str:
    """An RFC 3339 date-time in UTC, as Atom's date constructs require."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry: a commit's changes to one workshop, as the Changes page lists them."""

    id: str
    title: str
    updated: dt.datetime
    author: str
    lines: tuple[str, ...]  # the changes in words, one item each
    link: str | None = None  # where the page shows them
    note: str = ""  # a secondary line: the commit's subject


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    author: str
    updated: dt.datetime  # the latest entry's time, or the build's when there is none
    entries: Sequence[Entry]
    self_link: str | None = None  # where the feed itself is served
    page_link: str | None = None  # the page the feed follows


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = xml_text(text)
    return element


def _link(parent: ET.Element, href: str, rel: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": xml_text(href)})


def _person(parent: ET.Element, tag: str, name: str) -> None:
    _text(ET.SubElement(parent, f"{{{ATOM}}}{tag}"), "name", name or "unknown")


def _content(parent: ET.Element, entry: Entry) -> None:
    """The changes as an XHTML list (Atom's ``xhtml`` content: elements, never markup in a
    string, so no reader has to trust it), the commit's subject after it."""
    content = ET.SubElement(parent, f"{{{ATOM}}}content", {"type": "xhtml"})
    div = ET.SubElement(content, f"{{{XHTML}}}div")
    items = ET.SubElement(div, f"{{{XHTML}}}ul")
    for line in entry.lines:
        ET.SubElement(items, f"{{{XHTML}}}li").text = xml_text(line)
    if entry.note:
        ET.SubElement(div, f"{{{XHTML}}}p").text = xml_text(entry.note)


def atom_feed(feed: Feed) -> bytes:
    """The feed as UTF-8 XML; the entries in the order given (newest first)."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", timestamp(feed.updated))
    _person(root, "author", feed.author)
    if feed.self_link is not None:
        _link(root, feed.self_link, "self")
    if feed.page_link is not None:
        _link(root, feed.page_link, "alternate")
    for entry in feed.entries:
        element = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        _text(element, "updated", timestamp(entry.updated))
        _person(element, "author", entry.author)
        if entry.link is not None:
            _link(element, entry.link, "alternate")
        _text(element, "summary", "; ".join(entry.lines))
        _content(element, entry)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
