"""Where each page and record lives on the site, and links between them."""

from __future__ import annotations

import posixpath
from functools import cache

from prepbook.graph import Graph, Node, RecordKey
from prepbook.render.markdown import Md, escape

PORTFOLIO = "index.md"
AUDIT = "audit.md"
CATALOGUE = "persofails.md"
ROADMAP = "roadmap.md"
MAX_LABEL = 80


def workshop_page(workshop_id: str) -> str:
    return f"workshops/{workshop_id}.md"


def anchor_id(node: Node) -> str:
    return f"{node.kind}-{node.record.id}"


def label(node: Node) -> str:
    """The text a link to this record shows."""
    record = node.record
    text = getattr(record, "title", None) or getattr(record, "name", None)
    if text is None:  # a mitigation: its action, shortened
        text = getattr(record, "action", record.id)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


@cache
def _relative(target_page: str, from_page: str) -> str:
    """The relative URL of one page from another; a build asks for the same few many times."""
    return posixpath.relpath(target_page, posixpath.dirname(from_page) or ".")


RULES_DIR = "rules"  # where the rule pages go when the playbook does not provide its own


def rule_page(rule_id: str, rules_root: str = RULES_DIR) -> str:
    return posixpath.normpath(posixpath.join(rules_root, f"{rule_id.lower()}.md"))


class Linker:
    """Links as seen from one page: every URL is relative, so the site can live anywhere."""

    def __init__(
        self, graph: Graph, page: str, home: str | None = None, rules_root: str = RULES_DIR
    ) -> None:
        self.graph = graph
        self.page = page
        self.home = home  # the workshop this page is about; links elsewhere name theirs
        self.rules_root = rules_root  # the rule pages, relative to the generated folder

    def url(self, target_page: str, fragment: str = "") -> str:
        path = "" if target_page == self.page else _relative(target_page, self.page)
        return f"{path}#{fragment}" if fragment else path

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

    @staticmethod
    def anchor(node: Node) -> Md:
        """An HTML anchor for the record, valid in any Markdown engine."""
        return Linker.anchor_id(anchor_id(node))

    @staticmethod
    def anchor_id(identifier: str) -> Md:
        """An HTML anchor with the given id (made of slugs, so safe as it is)."""
        return Md(f'<span id="{identifier}"></span>')
