"""A page per person, and the index of everyone, as page data.

What a person answers for is read off the reference graph: every reference that names a
team member (an owner, a decider, a facilitator, a mitigation's owner, and any field a
model gains that names one) is an edge into that member's record, grouped by the
backlink its field declares ("Owns", "Decides"). So the person page lists the fields of
no model and a new reference field shows on it by itself. A person is every team member
of one identity (:mod:`prepbook.model.people`), across workshops.

Everything here is one walk over the team members and their incoming references, so
the pages of people cost as much as the references to them: linear in the playbook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prepbook.graph import Edge, Graph, Node
from prepbook.model.kinds import KINDS
from prepbook.model.people import PERSON_KIND, person_key
from prepbook.model.team import TeamMember
from prepbook.render import links
from prepbook.render.links import Layout, Linker, Split
from prepbook.render.markdown import Md, escape

NOBODY = Md("")  # who answers for a record that names no team member
# On a row of the index: the workshops a person is on, at most this many named.
NAMED_WORKSHOPS = 3


@dataclass(frozen=True, slots=True)
class Person:
    """Every team member of one identity, in the order of their workshops' ids."""

    key: str
    name: str  # as the first of them writes it
    members: tuple[Node, ...]

    @property
    def page(self) -> str:
        return links.person_page(self.name)


def people(graph: Graph) -> list[Person]:
    """Everyone on a team, by identity, ordered by it (then by the name as written)."""
    found: dict[str, list[Node]] = {}
    for node in graph.nodes.values():
        if node.kind == PERSON_KIND:
            found.setdefault(person_key(node.record.display_name), []).append(node)
    out = []
    for key, nodes in found.items():
        nodes.sort(key=lambda n: (n.workshop, n.record.id))
        out.append(Person(key, nodes[0].record.display_name, tuple(nodes)))
    out.sort(key=lambda p: (p.key, p.name))
    return out


@dataclass(frozen=True, slots=True)
class Duty:
    """What a person does in one workshop by one field's reading ("Owns"), each linked."""

    label: str
    items: tuple[Md, ...]


@dataclass(frozen=True, slots=True)
class Membership:
    """A person on one workshop's team: the workshop, their role, what they answer for."""

    workshop: Md  # the workshop's title, linked to what it decided
    role: Md  # role and function, linked to their row on the team
    duties: tuple[Duty, ...]


@dataclass(frozen=True, slots=True)
class PersonView:
    name: str
    summary: str  # "On 2 teams; owns 7, decides 1."
    memberships: tuple[Membership, ...]
    everyone: Md  # the index of people, from this page


def _item(graph: Graph, linker: Linker, edge: Edge) -> Md:
    """A record that names the person, led by its kind ("roadmap step: ..."); the
    workshop itself for its own fields (its decider, its facilitator)."""
    kind = KINDS[graph.node(edge.source).kind].label if edge.source is not None else "workshop"
    return Md(f"{escape(kind.capitalize())}: {linker.referrer(edge)}")


def _duties(graph: Graph, linker: Linker, member: Node) -> tuple[Duty, ...]:
    return tuple(
        Duty(label, tuple(_item(graph, linker, edge) for edge in edges))
        for label, edges in graph.backlinks(member.key).items()
    )


def _role(linker: Linker, member: Node) -> Md:
    record = member.record
    assert isinstance(record, TeamMember)
    words = " · ".join(escape(w) for w in (record.role, record.function) if w)
    team = linker.to(links.workshop_page(member.workshop), "on the team", links.anchor_id(member))
    return Md(f"{words} ({team})" if words else team)


def _counted(duties: Iterable[Duty]) -> str:
    totals: dict[str, int] = {}
    for duty in duties:
        totals[duty.label] = totals.get(duty.label, 0) + len(duty.items)
    return ", ".join(f"{label.lower()} {n}" for label, n in totals.items())


def person_view(person: Person, graph: Graph, linker: Linker) -> PersonView:
    memberships = []
    for member in person.members:
        title = graph.workshops[member.workshop].title
        memberships.append(
            Membership(
                workshop=linker.to(
                    links.workshop_page(member.workshop), title, links.DECISIONS_ANCHOR
                ),
                role=_role(linker, member),
                duties=_duties(graph, linker, member),
            )
        )
    teams = len(memberships)
    counted = _counted(d for m in memberships for d in m.duties)
    summary = f"On the team of {teams} workshop{'s' if teams != 1 else ''}"
    summary += f"; {counted}." if counted else "; answers for nothing named yet."
    return PersonView(person.name, summary, tuple(memberships), linker.url(links.PEOPLE))


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person's row in the index: their name, their workshops, how much they answer for."""

    link: Md
    workshops: Md
    teams: int
    answers: int


def person_row(person: Person, graph: Graph, linker: Linker) -> PersonRow:
    named = [
        linker.workshop(m.workshop, graph.workshops[m.workshop].title)
        for m in person.members[:NAMED_WORKSHOPS]
    ]
    rest = len(person.members) - len(named)
    shown = ", ".join(named) + (f" and {rest:,} more" if rest > 0 else "")
    answers = sum(len(graph.incoming.get(m.key, ())) for m in person.members)
    return PersonRow(linker.person(person.name), Md(shown), len(person.members), answers)


def split(everyone: list[Person], per_page: int) -> Split:
    """The index of people cut into pages of at most ``per_page`` rows, by identity."""
    keys = [(p.key, "") for p in everyone]
    return Layout(per_page).split(links.people_page, "people", "People", keys)


def answerable(graph: Graph, node: Node) -> list[Node]:
    """The team members who answer for a record: those it names itself (its owner,
    whatever a field calls them), then those the records it holds name (a persofail's
    mitigations' owners), each person once, in the order written."""
    keys = [node.key]
    for kind in KINDS.values():
        if kind.parent == node.kind:
            holder: object = node.record
            for part in kind.home:
                holder = getattr(holder, str(part))
            keys += [(node.workshop, child.id) for child in holder]  # type: ignore[attr-defined]
    found: dict[str, Node] = {}
    for key in keys:
        for edge in graph.outgoing.get(key, ()):
            target = graph.nodes[edge.target]
            if target.kind == PERSON_KIND:
                found.setdefault(person_key(target.record.display_name), target)
    return list(found.values())


def owner_links(graph: Graph, linker: Linker, node: Node) -> Md:
    """Links to the people who answer for a record; empty when nobody is named."""
    return Md(", ".join(linker.record(member) for member in answerable(graph, node)))
