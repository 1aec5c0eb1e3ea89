"""Where each page and record lives on the site, the anchors on those pages, and links
between them.

Every anchor id the site uses (a record's on its workshop page, a row's on the portfolio,
the catalogue or the roadmap, a section's) is made here and nowhere else, so a picture
that links to a row and the row itself can never disagree.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from prepbook.graph import Edge, Graph, Node, RecordKey
from prepbook.model.base import Record
from prepbook.model.people import PERSON_KIND, person_slug
from prepbook.render.markdown import Md, escape

PORTFOLIO = "index.md"
# The sections' summaries are the index pages of the folders that hold their split pages:
# a page's folder and its address's are then the same, so a relative link in raw HTML (a
# picture's) means the same to an engine that rewrites it (Zensical) as to one that does
# not (MkDocs).
AUDIT = "audit/index.md"
CATALOGUE = "persofails/index.md"
ROADMAP = "roadmap/index.md"
CHANGES = "changes.md"
# Everyone on a team, and a page per person (see prepbook.model.people): the index's later
# pages are under `people/all/`, which no person's slug can name (`people/all.md` is a
# person called "All"; its folder holds index pages only, `people/all/2.md`).
PEOPLE = "people/index.md"
PEOPLE_DIR = "people"
# The format reference, when the playbook's docs hold none of their own (see
# prepbook.build.format_reference): the generated folder's copy of reference/format.md.
FORMAT_REFERENCE = "reference/format.md"
MAX_LABEL = 80
# Where each section keeps its split pages: `persofails/privacy.md`, `persofails/privacy/2.md`.
PORTFOLIO_DIR = "portfolio"
AUDIT_DIR = "audit"
CATALOGUE_DIR = "persofails"
ROADMAP_DIR = "roadmap"
TAGS_DIR = "persofails/tags"

# Sections of a workshop page that pictures and other sections link to.
TEAM_ANCHOR = "workshop-team"
ROADMAP_ANCHOR = "workshop-roadmap"
COMPLETENESS_ANCHOR = "workshop-completeness"
# What a workshop decided, first on its page: where a link to the workshop itself lands
# from one of its records (what its decider decides).
DECISIONS_ANCHOR = "workshop-decisions"


def workshop_page(workshop_id: str) -> str:
    return f"workshops/{workshop_id}.md"


def kit_page(workshop_id: str) -> str:
    """The facilitation kit of a workshop: its day's agenda, worksheets and cards. An index
    page, like every page whose raw HTML links (the cards') Zensical rebases: there the
    rebasing changes nothing."""
    return f"kits/{workshop_id}/index.md"


def record_page(workshop_id: str) -> str:
    """The one-page decision record of a workshop, for leadership."""
    return f"records/{workshop_id}/index.md"


def person_page(name: str) -> str:
    """The page of the person a team member's name names, the same from every workshop."""
    return f"{PEOPLE_DIR}/{person_slug(name)}.md"


def people_page(number: int) -> str:
    """Page ``number`` (from 1) of the index of people: the first is the index itself."""
    return PEOPLE if number == 1 else f"{PEOPLE_DIR}/all/{number}.md"


def anchor_id(target: Node | Record) -> str:
    """The id of a record's anchor on its workshop page: ``step-s1``, ``persofail-p2``."""
    if isinstance(target, Node):
        return f"{target.kind}-{target.record.id}"
    return f"{target.KIND}-{target.id}"


def portfolio_anchor(workshop_id: str) -> str:
    """A workshop's row on the portfolio."""
    return f"workshop-{workshop_id}"


def catalogue_anchor(workshop_id: str, persofail_id: str) -> str:
    """A persofail's row in the catalogue."""
    return f"catalogue-{workshop_id}-{persofail_id}"


def category_anchor(category: str) -> str:
    """A category's (or tag's) list in the catalogue."""
    return f"category-{category}"


def audit_anchor(workshop_id: str, asset_id: str) -> str:
    """An asset's row in the audit register."""
    return f"audit-{workshop_id}-{asset_id}"


def roadmap_anchor(workshop_id: str, step_id: str) -> str:
    """A step's row on the roadmap page."""
    return f"roadmap-{workshop_id}-{step_id}"


def window_anchor(year: int, quarter: int) -> str:
    """A quarter's group of steps on the roadmap page."""
    return f"window-{year}-q{quarter}"


def phase_group_anchor(workshop_id: str, phase_id: str | None) -> str:
    """A workshop phase's group of undated steps on the roadmap page."""
    return f"phase-{workshop_id}-{phase_id or 'none'}"


def split_page(folder: str, slug: str, number: int) -> str:
    """Page ``number`` (from 1) of one split of a section: ``persofails/privacy.md``, then
    ``persofails/privacy/2.md``; page numbers are folders of their own, so no slug (a
    category, a quarter, a tag) can collide with another's later pages."""
    return f"{folder}/{slug}.md" if number == 1 else f"{folder}/{slug}/{number}.md"


def portfolio_page(number: int) -> str:
    """Page ``number`` (from 1) of the portfolio's table: the first is the portfolio itself."""
    return PORTFOLIO if number == 1 else f"{PORTFOLIO_DIR}/{number}.md"


def served(page: str, directory_urls: bool = True) -> str:
    """The address a page is served at, relative to the generated folder: ``a/b.md`` is
    ``a/b/`` with directory URLs (MkDocs' and Zensical's default), else ``a/b.html``;
    ``a/index.md`` is ``a/``."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def address(from_page: str, to_page: str, fragment: str = "", directory_urls: bool = True) -> str:
    """The relative URL, as the engine serves both pages, of ``to_page`` (and a fragment of
    it) from ``from_page``: what a link in raw HTML must say where the engine leaves such
    links as written (MkDocs does)."""
    if to_page == from_page and fragment:
        return f"#{fragment}"
    here = served(from_page, directory_urls)
    there = served(to_page, directory_urls)
    path = posixpath.relpath(there or ".", posixpath.dirname(here) or ".")
    if there.endswith("/") or not there:
        path = "./" if path == "." else f"{path}/"
    return f"{path}#{fragment}" if fragment else path


def served_href(page: str, href: str, directory_urls: bool = True) -> str:
    """A Markdown link's target, written on ``page`` as relative to its file
    (``../workshops/a.md#x``), as the address it is served at from there; any other link
    (a fragment, an address, another site) as it is."""
    path, hash_sign, fragment = href.partition("#")
    if not path.endswith(".md") or "://" in path or path.startswith("/"):
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return address(page, target, fragment if hash_sign else "", directory_urls)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a row lives: the page (relative to the generated folder) and its anchor."""

    page: str
    anchor: str


RowKey = tuple[str, str]  # a record's key; a workshop's row on the portfolio: (id, "")


@dataclass(frozen=True)
class Split:
    """One part of a section (a category, a quarter, a kind of asset), cut into pages."""

    slug: str
    title: str
    pages: tuple[str, ...]  # their paths, first page first
    rows: tuple[tuple[RowKey, ...], ...]  # the rows each page holds, in order

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.rows)


class Layout:
    """Which page holds each row of the section pages, each page at most ``per_page``
    rows (the ``page_rows`` setting): a section's rows are split (the catalogue by category,
    the roadmap by quarter, the register by kind) and each split cut into pages, so no page
    grows with the playbook.

    The section pages are rendered from the splits made here, and every link to a row
    (from a picture, a summary, another section) asks :meth:`place`, so a link and the row
    it points at can never disagree, however the rows are split and paginated.
    """

    def __init__(self, per_page: int) -> None:
        self.per_page = max(1, per_page)
        self._places: dict[RowKey, Place] = {}

    def split(
        self,
        page: Callable[[int], str],
        slug: str,
        title: str,
        keys: Sequence[RowKey],
        anchor: Callable[[RowKey], str] | None = None,
    ) -> Split:
        """Cut ``keys`` (in the order shown) into pages named by ``page(number)``; with
        ``anchor``, each row is that split's own and is found there by :meth:`place`."""
        chunks = [
            tuple(keys[i : i + self.per_page]) for i in range(0, len(keys), self.per_page)
        ] or [()]
        paths = tuple(page(n) for n in range(1, len(chunks) + 1))
        if anchor is not None:
            for path, chunk in zip(paths, chunks, strict=True):
                for key in chunk:
                    self._places[key] = Place(path, anchor(key))
        return Split(slug, title, paths, tuple(chunks))

    def place(self, key: RowKey) -> Place:
        """The page and anchor of a record's row: a persofail's in the catalogue, a step's
        on the roadmap, an asset's in the audit register; ``(workshop id, "")``: a
        workshop's row on the portfolio."""
        return self._places[key]


def span(identifier: str) -> Md:
    """An HTML anchor with the given id, valid in any Markdown engine (ids are made of
    slugs, so safe as they are)."""
    return Md(f'<span id="{identifier}"></span>')


def label(node: Node) -> str:
    """The text a link to this record shows: its display name, shortened for a link."""
    return shortened(node.record.display_name)


def shortened(name: str) -> str:
    """A name as a link shows it: at most MAX_LABEL characters."""
    # Trailing stops go: a list of actions must not read "Do this., Do that."
    text = name.rstrip(" .;:") or name
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


@cache
def _relative(target_page: str, from_page: str) -> str:
    """The relative URL of one page from another; a build asks for the same few many times."""
    return posixpath.relpath(target_page, posixpath.dirname(from_page) or ".")


RULES_DIR = "rules"  # where the rule pages go when the playbook does not provide its own


def rule_page(rule_id: str, rules_root: str = RULES_DIR) -> str:
    return posixpath.normpath(posixpath.join(rules_root, f"{rule_id.lower()}.md"))


class Linker:
    """Links as seen from one page: every URL is relative, so the site can live anywhere.

    Used while a page's view is computed; templates receive the links it made, never it.
    """

    def __init__(
        self,
        graph: Graph,
        page: str,
        home: str | None = None,
        rules_root: str = RULES_DIR,
        directory_urls: bool = True,
        *,
        outside: str = "",
    ) -> None:
        self.graph = graph
        self.page = page
        self.home = home  # the workshop this page is about; links elsewhere name theirs
        self.rules_root = rules_root  # the rule pages, relative to the generated folder
        self.directory_urls = directory_urls  # the engine's addresses: a/b/ or a/b.html
        # For a hand-written page outside the generated folder (a home page showing the
        # playbook at a glance): the generated folder as seen from it, "playbook/"; links
        # are then made as from ``page`` in that folder, behind this prefix.
        self.outside = outside
        self._organisations: Counter[str] | None = None  # workshops by organisation, once

    def url(self, target_page: str, fragment: str = "") -> Md:
        """A relative URL (made of page paths and slugs, so trusted as it is)."""
        if self.outside:
            path = self.outside + _relative(target_page, self.page)
        else:
            path = "" if target_page == self.page else _relative(target_page, self.page)
        return Md(f"{path}#{fragment}" if fragment else path)

    def place(self, place: Place) -> Md:
        """The URL of a row on a section page (see :meth:`Layout.place`), for Markdown."""
        return self.url(place.page, place.anchor)

    def address(self, place: Place) -> Md:
        """The URL of a row for raw HTML (a picture's link), written as the engine serves
        the page: MkDocs leaves links in HTML as they are. Used from index pages only (see
        ``CATALOGUE``), where Zensical's rebasing of the link changes nothing."""
        return Md(address(self.page, place.page, place.anchor, self.directory_urls))

    def to(self, target_page: str, text: str, fragment: str = "") -> Md:
        return Md(f"[{escape(text)}]({self.url(target_page, fragment)})")

    def record(self, node: Node | RecordKey) -> Md:
        """A link to a record's anchor on its workshop page, naming a foreign workshop."""
        if not isinstance(node, Node):
            node = self.graph.node(node)
        if node.kind == PERSON_KIND:
            return self.person(node.record.display_name)
        text = label(node)
        if node.workshop != self.home:
            text = f"{text} ({self.workshop_name(node.workshop)})" if self.home else text
        return self.to(workshop_page(node.workshop), text, anchor_id(node))

    def person(self, name: str) -> Md:
        """A link to a person's page, which holds what they do in every workshop: a
        team member's name links there from wherever it is shown."""
        return self.to(person_page(name), shortened(name))

    def records(self, nodes: list[Node]) -> Md:
        return Md(", ".join(self.record(n) for n in nodes))

    def targets(self, node: Node, field_name: str) -> Md:
        """Links to the records ``node`` names in ``field_name``, in the order written."""
        return self.records(self.graph.targets(node.key, field_name))

    def referrers(self, node: Node, field_name: str) -> Md:
        """Links to the records that name ``node`` in ``field_name``."""
        return self.records(self.graph.referrers(node.key, field_name))

    def backlinks(self, node: Node) -> Md:
        """What refers to a record, grouped by how: "Required by: A, B; Delivered by: C";
        a reference of a workshop's own (its decider) links to that workshop. Records
        listed under the one they name (a phase's steps) are not repeated."""
        return Md(
            "; ".join(
                f"{how}: {', '.join(self.referrer(edge) for edge in edges)}"
                for how, edges in self.graph.backlinks(node.key, listed=False).items()
            )
        )

    def referrer(self, edge: Edge) -> Md:
        """A link to where a reference stands: its record, or its workshop."""
        if edge.source is not None:
            return self.record(edge.source)
        title = self.graph.workshops[edge.home].title
        return self.to(workshop_page(edge.home), shortened(title), DECISIONS_ANCHOR)

    def rule(self, rule_id: str) -> Md:
        """A link to the page that explains a rule."""
        return self.to(rule_page(rule_id, self.rules_root), rule_id)

    def workshop(self, workshop_id: str, title: str) -> Md:
        return self.to(workshop_page(workshop_id), title)

    def named_workshop(self, workshop_id: str) -> Md:
        """A link to a workshop, named as a reader knows it (see :meth:`workshop_name`)."""
        return self.workshop(workshop_id, self.workshop_name(workshop_id))

    def workshop_name(self, workshop_id: str) -> str:
        """A workshop as a reader knows it: the organisation that ran it, and its title too
        where that organisation ran several; never the file's id, which is a slug."""
        if self._organisations is None:
            self._organisations = Counter(w.organisation for w in self.graph.workshops.values())
        model = self.graph.workshops.get(workshop_id)
        if model is None:
            return workshop_id
        if self._organisations[model.organisation] > 1:
            return f"{model.organisation}: {shortened(model.title)}"
        return model.organisation
