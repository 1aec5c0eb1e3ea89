"""Every record on a workshop page, read off its model: one function for every kind.

Each field says where it stands and whether search finds it (:mod:`prepbook.model.shown`);
:func:`record_view` gathers a record's fields by place, in order, and makes each value
Markdown once: text escaped, references as links relative to the page, nested values as
their facts, and a value the method shows its own way (a risk rating, a score, the recipe
sentence) by the renderer its field names. The templates lay a view out as its section
wants (a section of its own, a table row, an item of a list) and name no field, so a
field added to a model is on its page without touching this module or a template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from prepbook.graph import Node
from prepbook.model import Workshop
from prepbook.model.base import Record
from prepbook.model.facts import facts
from prepbook.model.fields import RefTarget
from prepbook.model.kinds import KINDS, reference_fields
from prepbook.model.people import PERSON_KIND
from prepbook.model.shown import Shown, shown
from prepbook.render import links
from prepbook.render.links import Linker
from prepbook.render.markdown import Md, cell_label, escape, inline, join, paragraphs, unindexed
from prepbook.render.renderers import DASH, RENDERERS, Subject

NOTHING = Md("")
# How a record is laid out: the workshop's own page, a section of its own (a priority),
# a row of a table (an asset), an item of its parent's list (a mitigation).
Layout = Literal["page", "section", "row", "item"]


@dataclass(frozen=True, slots=True)
class Labelled:
    """A note or a list of links, and the words that lead it ("Notes", "Requires")."""

    label: str
    text: Md


@dataclass(frozen=True, slots=True)
class Cell:
    """A record's cell in a column of its table, its column's name for phones included."""

    heading: str
    text: Md


@dataclass(frozen=True, slots=True)
class RecordView:
    """A record as its page shows it, by place; a place it has nothing in is empty."""

    anchor: Md
    title: Md  # its name; the workshop's: organisation and title
    searched: bool  # search finds the record (its kind's ``SEARCHED``)
    mark: Md  # before the title: a milestone's sign
    header: Md  # the line under the title, its items joined
    paragraphs: tuple[Md, ...]
    notes: tuple[Labelled, ...]
    blocks: tuple[Md, ...]
    links: tuple[Labelled, ...]
    refers: Md  # what refers to the record, grouped by how
    cells: tuple[Cell, ...]  # a row's cells after the first, in order
    children: tuple[RecordView, ...]  # its own records (a persofail's mitigations)


def _fields(model: type[BaseModel], kind: str | None) -> list[tuple[str, Shown]]:
    """The fields of ``model`` a page shows, in the model's order: not those that hold
    records of their own (the workshop's lists, a persofail's mitigations), which are
    records with views of their own."""
    holders = {k.home[0] for k in KINDS.values() if k.parent == kind}
    names = [*model.model_fields, *model.model_computed_fields]
    return [(name, shown(model, name)) for name in names if name not in holders]


@dataclass(frozen=True, slots=True)
class _Field:
    """A field as every record of its kind shows it."""

    name: str
    shown: Shown
    target: RefTarget | None  # the kind of record it names, for a reference
    searched: bool  # search finds it: its kind is searched, and it says so
    plain: bool  # neither a reference nor rendered, nor anything shown when it is empty
    bare: bool  # shown as it is: no words around it


@dataclass(frozen=True, slots=True)
class _Plan:
    """How every record of a kind is shown, read once from its model: its name's fields,
    and the fields of each place, by rank (the model's order within one)."""

    titles: tuple[str, ...]
    places: dict[str, tuple[_Field, ...]]
    children: tuple[tuple[str | int, ...], ...]  # where the records it holds are listed
    referred: bool  # whether any reference can name a record of this kind


@cache
def _referred() -> frozenset[str]:
    """The kinds of record a reference can name: only theirs list what refers to them."""
    models: list[type[BaseModel]] = [Workshop, *(k.model for k in KINDS.values())]
    return frozenset(target.kind for m in models for _, target in reference_fields(m))


def _names_person(target: RefTarget | None) -> bool:
    return target is not None and target.kind == PERSON_KIND


@cache
def _plan(model: type[BaseModel], kind: str | None) -> _Plan:
    targets = dict(reference_fields(model))
    searched = bool(getattr(model, "SEARCHED", True))
    fields = [
        _Field(
            name,
            how,
            targets.get(name),
            # a person named is always searchable: their name finds what they answer for
            searched and (how.search or _names_person(targets.get(name))),
            how.render is None and name not in targets and how.empty is None,
            how.text == "{}",
        )
        for name, how in sorted(_fields(model, kind), key=lambda item: item[1].rank)
        if how.place not in ("hidden", "beside")
    ]
    places: dict[str, list[_Field]] = {}
    for f in fields:
        places.setdefault(f.shown.place, []).append(f)
    titles = tuple(f.name for f in places.pop("title", []))
    children = tuple(k.home for k in KINDS.values() if kind is not None and k.parent == kind)
    return _Plan(
        titles,
        {place: tuple(found) for place, found in places.items()},
        children,
        kind in _referred(),
    )


def _check_renderers() -> None:
    """Every renderer a field names exists, and so does every field one is beside: a
    mistake there shows at import, not as a page that lacks a field."""
    models: list[type[BaseModel]] = [Workshop, *(k.model for k in KINDS.values())]
    for model in models:
        declared = dict(_fields(model, None))
        for name, how in declared.items():
            if how.render is not None and how.render not in RENDERERS:
                raise TypeError(f"{model.__name__}.{name} names no renderer: {how.render}")
            if how.place == "beside" and declared.get(how.host, Shown("hidden")).render is None:
                raise TypeError(f"{model.__name__}.{name} is beside no rendered field")


_check_renderers()


@dataclass(slots=True)
class _Part:
    """A field's value as Markdown, where it stands, and whether search finds it."""

    shown: Shown
    text: Md
    searched: bool


def _facts_text(value: BaseModel) -> str:
    """A nested value no renderer shows, as its facts: "date: 2026-05-01, value: 3"."""
    return ", ".join(
        f"{fact.name}: {fact.text()}" for fact in facts(value) if fact.value is not None
    )


def _value(subject: Subject, f: _Field, value: Any, block: bool) -> Md | None:
    """A field's value as Markdown, or None when there is nothing to show."""
    how, name, target = f.shown, f.name, f.target
    if how.render is not None:
        return RENDERERS[how.render](subject, name, value)
    if target is not None:
        if subject.node is not None:
            return subject.linker.targets(subject.node, name) or None
        graph = subject.linker.graph  # the workshop's own references: resolved the same way
        written = value if isinstance(value, list) else [value] if value else []
        nodes = [n for v in written if (n := graph.resolve(subject.home, v)) is not None]
        return subject.linker.records([n for n in nodes if n.kind == target.kind]) or None
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return Md(how.text) if value else None
    if isinstance(value, BaseModel):
        return escape(_facts_text(value))
    if isinstance(value, list):
        if any(isinstance(item, BaseModel) for item in value):
            return escape("; ".join(_facts_text(item) for item in value))
        return join(value, ", ")
    if isinstance(value, str):
        text = value.capitalize() if how.capital else value
        return paragraphs(text) if block else escape(text)
    return inline(value)


def _formatted(f: _Field, text: Md | None, value: Any) -> Md | None:
    """The value in the words its field gives it ("stage: {}"), or what stands in for it;
    a true-or-false field's words are its value."""
    if text is None:
        if f.shown.empty is None:
            return None
        text = Md(f.shown.empty)
    if f.bare or value is True or value is False:
        return text
    return Md(f.shown.text.replace("{}", text))


def _wrapped(part: _Part, inner: bool) -> Md:
    """A part that search skips, marked so, unless what holds it is marked already."""
    if part.searched or not inner:
        return part.text
    if "\n\n" in part.text:  # paragraphs: each marked
        return Md("\n\n".join(unindexed(Md(p)) for p in part.text.split("\n\n")))
    return unindexed(part.text)


def _header(parts: list[_Part], separator: str, inner: bool) -> Md:
    """The header's items in one line; when search reads none of them, marked once."""
    if not parts:
        return Md("")
    whole = inner and not any(p.searched for p in parts)
    line = ""
    for index, part in enumerate(parts):
        if index:
            line += " " if part.shown.glued else separator
        line += _wrapped(part, inner and not whole)
    return unindexed(Md(line)) if whole else Md(line)


@cache
def _column_label(heading: str) -> Md:
    return cell_label(heading)


def _cells(parts: list[_Part]) -> tuple[Cell, ...]:
    """A row's cells: the parts of each column in order, a dash in an empty one."""
    columns: dict[str, list[_Part]] = {}
    for part in parts:
        columns.setdefault(part.shown.label, []).append(part)
    cells = []
    for heading, members in columns.items():
        whole = not any(p.searched for p in members)
        text = ""
        for part in members:
            if part.text:
                if text:
                    text += "<br>" if part.shown.line else ", "
                text += part.text if whole else _wrapped(part, True)
        content = Md(text or DASH)
        shown_text = unindexed(content) if whole else content
        cells.append(Cell(heading, Md(_column_label(heading) + shown_text)))
    return tuple(cells)


def _children(record: BaseModel, homes: tuple[tuple[str | int, ...], ...]) -> Iterator[Record]:
    """The records a record holds (a persofail's mitigations), kind by kind."""
    for home in homes:
        holder: Any = record
        for part in home:
            holder = getattr(holder, str(part))
        yield from holder


def record_view(
    record: Record, node: Node | None, home: str, linker: Linker, layout: Layout
) -> RecordView:
    """The view of one record (``node`` None: of the workshop ``home`` itself), laid out as
    ``layout`` says, links relative to ``linker``'s page."""
    model = type(record)
    kind = node.kind if node is not None else None
    searched = model.SEARCHED
    # in a row or an item of a kind search skips, the whole is marked once, not each part
    inner = searched or layout in ("page", "section")
    block = layout in ("page", "section")
    subject = Subject(record, node, home, linker)
    plan = _plan(model, kind)
    placed: dict[str, list[_Part]] = {}
    for place, fields in plan.places.items():
        parts = []
        for f in fields:
            value = getattr(record, f.name)
            if not f.plain:
                text = _formatted(f, _value(subject, f, value, block), value)
            elif value is None or value == "" or value == []:
                text = None
            elif f.bare and value.__class__ is str and not f.shown.capital:  # most text
                text = paragraphs(value) if block else escape(value)
            else:
                text = _formatted(f, _value(subject, f, value, block), value)
            if text is not None:
                parts.append(_Part(f.shown, text, f.searched))
            elif place == "column":  # a column stands in every row
                parts.append(_Part(f.shown, NOTHING, f.searched))
        if parts:
            placed[place] = parts
    header = placed.get("header", [])
    if layout != "row" and "column" in placed:  # no table: a column's value joins the header
        header = sorted(
            [*header, *(p for p in placed["column"] if p.text)], key=lambda p: p.shown.rank
        )
    names = [str(getattr(record, name)) for name in plan.titles] or [record.display_name]
    title = Md(": ".join([escape(name) for name in names]))
    if kind == PERSON_KIND:  # a person's name leads to what they do in every workshop
        title = linker.person(record.display_name)
    marks, texts, notes, blocks, listed, columns = (
        placed.get(place) for place in ("mark", "paragraph", "note", "block", "links", "column")
    )
    return RecordView(
        anchor=links.span(links.anchor_id(node)) if node is not None else NOTHING,
        title=title,
        searched=searched,
        mark=Md("".join([_wrapped(p, inner) for p in marks])) if marks else NOTHING,
        header=_header(header, ", " if layout == "item" else " \u00b7 ", inner),
        paragraphs=tuple([_wrapped(p, inner) for p in texts]) if texts else (),
        notes=tuple([Labelled(p.shown.label, _wrapped(p, inner)) for p in notes]) if notes else (),
        blocks=tuple([_wrapped(p, inner) for p in blocks]) if blocks else (),
        links=tuple([Labelled(p.shown.label, p.text) for p in listed]) if listed else (),
        refers=linker.backlinks(node) if node is not None and plan.referred else NOTHING,
        cells=_cells(columns) if columns and layout == "row" else (),
        children=tuple(
            record_view(child, linker.graph.node((home, child.id)), home, linker, "item")
            for child in _children(record, plan.children)
        )
        if plan.children
        else (),
    )
