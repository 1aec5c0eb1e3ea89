"""Where each page and record lives on the site, the anchors on those pages, and links
between them.

Every anchor id the site uses (a record's on its workshop page, a row's on the portfolio,
the catalogue or the roadmap, a section's) is made here and nowhere else, so a picture
that links to a row and the row itself can never disagree.
"""

from __future__ import annotations

import posixpath
from functools import cache

from prepbook.graph import Graph, Node, RecordKey
from prepbook.model.base import Record
from prepbook.render.markdown import Md, escape

PORTFOLIO = "index.md"
AUDIT = "audit.md"
CATALOGUE = "persofails.md"
ROADMAP = "roadmap.md"
CHANGES = "changes.md"
MAX_LABEL = 80

# Sections of a workshop page that pictures and other sections link to.
TEAM_ANCHOR = "workshop-team"
ROADMAP_ANCHOR = "workshop-roadmap"
READINESS_ANCHOR = "workshop-readiness"


def workshop_page(workshop_id: str) -> str:
    return f"workshops/{workshop_id}.md"


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


def roadmap_anchor(workshop_id: str, step_id: str) -> str:
    """A step's row on the roadmap page."""
    return f"roadmap-{workshop_id}-{step_id}"


def window_anchor(year: int, quarter: int) -> str:
    """A quarter's group of steps on the roadmap page."""
    return f"window-{year}-q{quarter}"


def phase_group_anchor(workshop_id: str, phase_id: str | None) -> str:
    """A workshop phase's group of undated steps on the roadmap page."""
    return f"phase-{workshop_id}-{phase_id or 'none'}"


def span(identifier: str) -> Md:
    """An HTML anchor with the given id, valid in any Markdown engine (ids are made of
    slugs, so safe as they are)."""
    return Md(f'<span id="{identifier}"></span>')


def label(node: Node) -> str:
    """The text a link to this record shows: its display name, shortened for a link."""
    # Trailing stops go: a list of actions must not read "Do this., Do that."
    text = node.record.display_name.rstrip(" .;:") or node.record.display_name
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
        *,
        outside: str = "",
    ) -> None:
        self.graph = graph
        self.page = page
        self.home = home  # the workshop this page is about; links elsewhere name theirs
        self.rules_root = rules_root  # the rule pages, relative to the generated folder
        # For a hand-written page outside the generated folder (a home page showing the
        # playbook at a glance): the generated folder as seen from it, "playbook/"; links
        # are then made as from ``page`` in that folder, behind this prefix.
        self.outside = outside

    def url(self, target_page: str, fragment: str = "") -> Md:
        """A relative URL (made of page paths and slugs, so trusted as it is)."""
        if self.outside:
            path = self.outside + _relative(target_page, self.page)
        else:
            path = "" if target_page == self.page else _relative(target_page, self.page)
        return Md(f"{path}#{fragment}" if fragment else path)

    def to(self, target_page: str, text: str, fragment: str = "") -> Md:
        return Md(f"[{escape(text)}]({self.url(target_page, fragment)})")

    def record(self, node: Node | RecordKey) -> Md:
        """A link to a record's anchor on its workshop page, naming a foreign workshop."""
        if not isinstance(node, Node):
            node = self.graph.node(node)
        text = label(node)
        if node.workshop != self.home:
            text = f"{text} ({node.workshop})" if self.home else text
        return self.to(workshop_page(node.workshop), text, anchor_id(node))

    def records(self, nodes: list[Node]) -> Md:
        return Md(", ".join(self.record(n) for n in nodes))

    def targets(self, node: Node, field_name: str) -> Md:
        """Links to the records ``node`` names in ``field_name``, in the order written."""
        return self.records(self.graph.targets(node.key, field_name))

    def referrers(self, node: Node, field_name: str) -> Md:
        """Links to the records that name ``node`` in ``field_name``."""
        return self.records(self.graph.referrers(node.key, field_name))

    def backlinks(self, node: Node) -> Md:
        """What refers to a record, grouped by how: "Required by: A, B; Delivered by: C"."""
        return Md(
            "; ".join(
                f"{how}: {self.records(nodes)}"
                for how, nodes in self.graph.backlinks(node.key).items()
            )
        )

    def rule(self, rule_id: str) -> Md:
        """A link to the page that explains a rule."""
        return self.to(rule_page(rule_id, self.rules_root), rule_id)

    def workshop(self, workshop_id: str, title: str) -> Md:
        return self.to(workshop_page(workshop_id), title)
