"""How each field of the format is shown, declared on the field itself.

A field's place on its record's page (a line of the record's header, a column of its
table, a paragraph, a mark before its title, a list of links, or nowhere), whether search
finds it there, and, for a reference, how it reads from the record it names ("Required
by", "Owns"), are one :class:`Shown` in the field's annotation, beside its description::

    stage: Annotated[Stage | None, Shown.header("stage: {}")] = Field(description=...)

The workshop page (:mod:`prepbook.render.records`) and the graph's backlinks read them
from here, as the table of kinds reads ``KIND`` and ``LABEL``. A field that declares
nothing is still shown, as an item of its record's header named after it, so a field
added to a model is on the site without touching anything but the model. This module
knows no model: the models import it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel

Place = Literal[
    "title", "mark", "header", "paragraph", "note", "block", "links", "column", "beside"
]
Hidden = Literal["hidden"]


@dataclass(frozen=True, slots=True)
class Shown:
    """Where a field stands on its record's page, and how it reads there.

    ``text`` is how the value reads, ``{}`` standing for it ("stage: {}", "{} votes"); a
    true-or-false field shows ``text`` when true and nothing when false. It is Markdown
    that prepbook writes (``**{}**``), never text from a file. ``rank`` orders a field
    among the others of its place (the header's items, a table's columns): lower first,
    and fields of one rank in the model's order. ``render`` names a renderer of
    :mod:`prepbook.render.records`, for a value the method shows its own way (a risk
    rating, a score, the recipe sentence); a field it shows too is ``beside`` it.
    """

    place: Place | Hidden
    text: str = "{}"
    label: str = ""  # a column's heading; the words before a note or a list of links
    search: bool = False  # search finds the value, where its kind of record is searched
    rank: int = 0
    empty: str | None = None  # what stands in for an empty value; None: nothing is shown
    render: str | None = None
    capital: bool = False  # the value starts with a capital letter
    glued: bool = False  # in a header: joined to the item before it by a space, not " · "
    line: bool = False  # in a column: on a line of its own in its cell
    host: str = ""  # beside: the field whose renderer shows this one
    backlink: str | None = None  # a reference: how it reads on the record it names
    listed: bool = False  # a reference whose records are listed under the one they name
    why: str = ""  # hidden: where the value is shown instead, or why it is not

    @classmethod
    def title(cls, *, rank: int = 0) -> Shown:
        """The record's name: its section's heading, or the first cell of its row."""
        return cls("title", search=True, rank=rank)

    @classmethod
    def mark(cls, text: str, *, search: bool = False) -> Shown:
        """A sign before the record's name, for a field that is true."""
        return cls("mark", text, search=search)

    @classmethod
    def header(cls, text: str = "{}", **options: Any) -> Shown:
        """An item of the line under the record's name: "stage: experiment"."""
        return cls("header", text, **options)

    @classmethod
    def paragraph(cls, **options: Any) -> Shown:
        """The record's own words, in paragraphs (in a row: after its name)."""
        return cls("paragraph", **options)

    @classmethod
    def note(cls, label: str, **options: Any) -> Shown:
        """A paragraph after the record's text, led by ``label`` (none when empty)."""
        return cls("note", label=label, **options)

    @classmethod
    def block(cls, **options: Any) -> Shown:
        """A paragraph of its own, made by a renderer (the recipe sentence)."""
        return cls("block", **options)

    @classmethod
    def links(cls, label: str, **options: Any) -> Shown:
        """The records a reference names, listed under the record, led by ``label``."""
        return cls("links", label=label, **options)

    @classmethod
    def column(cls, heading: str, text: str = "{}", **options: Any) -> Shown:
        """A cell of the record's row in its table; fields that share a heading share a
        cell, in order, separated by commas."""
        return cls("column", text, label=heading, **options)

    @classmethod
    def beside(cls, host: str) -> Shown:
        """Shown by the renderer of the field ``host``, with it."""
        return cls("beside", host=host)

    @classmethod
    def hidden(cls, why: str, **options: Any) -> Shown:
        """Not shown on the record's page; ``why`` says where it is instead."""
        return cls("hidden", why=why, **options)


def words(name: str) -> str:
    """A field's name as words: ``closes_gap`` as "closes gap"."""
    return name.replace("_", " ")


def _declared(model: type[BaseModel], name: str) -> Shown | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    return next((meta for meta in info.metadata if isinstance(meta, Shown)), None)


def shown(model: type[BaseModel], name: str) -> Shown:
    """How the field ``name`` of ``model`` is shown: as it declares, else as an item of
    its record's header, "name: value" (a true-or-false field: its name, when true)."""
    declared = _declared(model, name)
    if declared is not None:
        return declared
    info = model.model_fields.get(name)
    flag = info is not None and info.annotation is bool
    return Shown.header(words(name) if flag else f"{words(name)}: {{}}")


def default_backlink(name: str) -> str:
    """How a reference reads from the record it names when its field says nothing: the
    field's name, "reviewer" as "Reviewer of"."""
    text = words(name)
    return f"{text[:1].upper()}{text[1:]} of"


def backlink(model: type[BaseModel], name: str) -> Shown:
    """The declaration of a reference field, its ``backlink`` label always set."""
    found = shown(model, name)
    if found.backlink:
        return found
    return replace(found, backlink=default_backlink(name))
