"""The table of record kinds: where each kind lives in a workshop, what it is called, and
which fields refer to which kind.

It is read off the models (each record class declares its KIND and LABEL; the lists and the
reference fields come from the annotations), and it is the one map of the format that the
loader, the checks, the graph, the site and the diff share: a record kind or a reference
field added to a model is iterated, salvaged, checked, cross-linked and shown without
touching any of them.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from prepbook.findings import YamlPath
from prepbook.model.base import Record
from prepbook.model.fields import RefTarget
from prepbook.model.shown import backlink
from prepbook.model.workshop import Workshop


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record: what it is called, its model, and where its list stands.

    ``home`` is the path of the list from the record that holds it: the workshop, or for a
    nested kind (a persofail's mitigations) the ``parent`` record.
    """

    name: str
    label: str
    model: type[Record]
    home: YamlPath
    parent: str | None = None

    @property
    def where(self) -> str:
        """Where a reader finds the list in a file: ``roadmap.steps``,
        ``persofails[].mitigations``."""
        own = ".".join(map(str, self.home))
        return f"{KINDS[self.parent].where}[].{own}" if self.parent else own

    @property
    def empty_note(self) -> str | None:
        return self.model.EMPTY_NOTE

    @property
    def searched(self) -> bool:
        """Whether search finds this kind's records on their workshop's page."""
        return self.model.SEARCHED


def record_list_item(annotation: Any) -> type[Record] | None:
    """The record class of a ``list[SomeRecord]`` field, if that is what it is."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, Record):
            return item
    return None


def _discover(model: type[BaseModel], path: YamlPath, parent: str | None) -> Iterator[RecordKind]:
    """Every list of records below ``model``, in field order, read off the annotations."""
    for name, field in model.model_fields.items():
        item = record_list_item(field.annotation)
        if item is not None:
            if not item.KIND:
                raise TypeError(f"{item.__name__} declares no KIND")
            yield RecordKind(item.KIND, item.LABEL, item, (*path, name), parent)
            yield from _discover(item, (), item.KIND)
        elif (
            isinstance(field.annotation, type)
            and issubclass(field.annotation, BaseModel)
            and not issubclass(field.annotation, Record)
        ):
            yield from _discover(field.annotation, (*path, name), parent)


# The table every view, check and loader reads: kinds in the order of the file.
KINDS: dict[str, RecordKind] = {kind.name: kind for kind in _discover(Workshop, (), None)}
TOP_LEVEL: tuple[RecordKind, ...] = tuple(k for k in KINDS.values() if k.parent is None)


def with_article(label: str) -> str:
    """``"audited asset"`` as ``"an audited asset"``."""
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def _follow(node: BaseModel, path: YamlPath) -> Any:
    for part in path:
        node = getattr(node, str(part))
    return node


def records_in(workshop: Workshop, kind: RecordKind) -> list[Any]:
    """The records of a top-level kind, as listed in the workshop."""
    return list(_follow(workshop, kind.home))


@dataclass(frozen=True, slots=True)
class Located:
    """A record together with its kind and where it stands in the file."""

    kind: str
    path: YamlPath
    record: Record


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference in a workshop: where it stands, what it names, what kind it wants."""

    path: YamlPath
    value: str
    target: RefTarget


def _located(record: Record, kind: RecordKind, path: YamlPath) -> Iterator[Located]:
    yield Located(kind.name, path, record)
    for child in KINDS.values():
        if child.parent == kind.name:
            for index, item in enumerate(_follow(record, child.home)):
                yield from _located(item, child, (*path, *child.home, index))


def iter_records(workshop: Workshop) -> Iterator[Located]:
    """Every record of the workshop, in file order (nested records after their parent)."""
    for kind in TOP_LEVEL:
        for index, record in enumerate(_follow(workshop, kind.home)):
            yield from _located(record, kind, (*kind.home, index))


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation can hold (``list[Asset]``, ``A | B | None``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in models_in(arg)]


def _find_target(annotation: Any) -> RefTarget | None:
    if get_origin(annotation) is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, RefTarget):
                return meta
    for arg in get_args(annotation):
        found = _find_target(arg)
        if found is not None:
            return found
    return None


@cache
def reference_fields(model: type[BaseModel]) -> tuple[tuple[str, RefTarget], ...]:
    """The fields of ``model`` that hold references, with their target."""
    hints = typing.get_type_hints(model, include_extras=True)
    found = []
    for name in model.model_fields:
        target = _find_target(hints[name])
        if target is not None:
            found.append((name, target))
    return tuple(found)


@cache
def _holds_references(model: type[BaseModel]) -> bool:
    """Whether a value of ``model`` can hold a reference, in itself or below."""
    if reference_fields(model):
        return True
    return any(
        _holds_references(inner)
        for field in model.model_fields.values()
        for inner in models_in(field.annotation)
        if inner is not model
    )


@cache
def _reference_plan(model: type[BaseModel]) -> tuple[tuple[str, RefTarget | None, bool], ...]:
    """The fields of ``model`` worth visiting for references, in field order: each with its
    target (None for a field that holds models with references) and whether those models
    are records. Read once per model class, so a playbook's references are found without
    looking at every field of every record."""
    targets = dict(reference_fields(model))
    plan: list[tuple[str, RefTarget | None, bool]] = []
    for name, field in model.model_fields.items():
        inner = [m for m in models_in(field.annotation) if _holds_references(m)]
        if name in targets:
            plan.append((name, targets[name], False))
        elif inner:
            plan.append((name, None, any(issubclass(m, Record) for m in inner)))
    return tuple(plan)


def iter_references(
    node: BaseModel, path: YamlPath = (), *, nested_records: bool = True
) -> Iterator[Reference]:
    """Every reference below ``node``, in field order, with its YAML path; without
    ``nested_records``, those of records held by ``node`` (a persofail's mitigations) are
    left to those records."""
    for name, target, records in _reference_plan(type(node)):
        value = getattr(node, name)
        if target is not None:
            if isinstance(value, str):
                yield Reference((*path, name), value, target)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield Reference((*path, name, index), item, target)
        elif records and not nested_records:
            continue
        elif isinstance(value, BaseModel):
            yield from iter_references(value, (*path, name), nested_records=nested_records)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_references(
                        item, (*path, name, index), nested_records=nested_records
                    )


@dataclass(frozen=True, slots=True)
class Backlink:
    """How a reference reads from the record it names: "Required by", "Owns". References
    of one label are listed together; ``listed`` ones are not, as the records that make
    them are listed under the record they name (a phase's steps)."""

    label: str
    listed: bool = False


def _backlinks() -> dict[tuple[str | None, str], Backlink]:
    table: dict[tuple[str | None, str], Backlink] = {}
    for kind in KINDS.values():
        for name, _ in reference_fields(kind.model):
            declared = backlink(kind.model, name)
            table[(kind.name, name)] = Backlink(str(declared.backlink), declared.listed)
    for name, _ in reference_fields(Workshop):
        declared = backlink(Workshop, name)
        table[(None, name)] = Backlink(str(declared.backlink), declared.listed)
    return table


# Each reference field's backlink, by the kind of record it stands in (None: the workshop's
# own fields, facilitator and decider) and its name, in the order of the format: the
# order in which a record lists what refers to it. Read off the fields (see shown.py).
BACKLINKS: dict[tuple[str | None, str], Backlink] = _backlinks()
BACKLINK_ORDER: dict[str, int] = {
    label: index for index, label in enumerate(dict.fromkeys(b.label for b in BACKLINKS.values()))
}
