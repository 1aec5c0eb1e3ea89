"""Where each kind of record lives in a workshop, and which fields refer to which kind.

This is the one map of the format's structure that the checks, the cross-reference graph
and the diff share; the reference fields are read off the models' annotations, so adding a
reference field to a model is all it takes for it to be checked and cross-linked.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from prepbook.model.base import Record
from prepbook.model.fields import RefTarget
from prepbook.model.workshop import Workshop

YamlPath = tuple[str | int, ...]

KIND_LABELS: dict[str, str] = {
    "member": "team member",
    "asset": "audited asset",
    "metric": "metric",
    "persofail": "persofail",
    "mitigation": "mitigation",
    "priority": "priority",
    "barrier": "barrier",
    "phase": "roadmap phase",
    "step": "roadmap step",
}


def with_article(label: str) -> str:
    """``"audited asset"`` as ``"an audited asset"``."""
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


KIND_HOMES: dict[str, str] = {
    "member": "team",
    "asset": "audit",
    "metric": "metrics",
    "persofail": "persofails",
    "mitigation": "persofails[].mitigations",
    "priority": "priorities",
    "barrier": "barriers",
    "phase": "roadmap.phases",
    "step": "roadmap.steps",
}


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


def iter_records(workshop: Workshop) -> Iterator[Located]:
    """Every record of the workshop, in file order."""
    sections: tuple[tuple[str, YamlPath, list[Any]], ...] = (
        ("member", ("team",), workshop.team),
        ("asset", ("audit",), workshop.audit),
        ("metric", ("metrics",), workshop.metrics),
        ("persofail", ("persofails",), workshop.persofails),
        ("priority", ("priorities",), workshop.priorities),
        ("barrier", ("barriers",), workshop.barriers),
        ("phase", ("roadmap", "phases"), workshop.roadmap.phases),
        ("step", ("roadmap", "steps"), workshop.roadmap.steps),
    )
    for kind, base, items in sections:
        for index, record in enumerate(items):
            yield Located(kind, (*base, index), record)
            if kind == "persofail":
                for m_index, mitigation in enumerate(record.mitigations):
                    yield Located("mitigation", (*base, index, "mitigations", m_index), mitigation)


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


def iter_references(node: BaseModel, path: YamlPath = ()) -> Iterator[Reference]:
    """Every reference below ``node``, in field order, with its YAML path."""
    targets = dict(reference_fields(type(node)))
    for name in type(node).model_fields:
        value = getattr(node, name)
        target = targets.get(name)
        if target is not None:
            if isinstance(value, str):
                yield Reference((*path, name), value, target)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield Reference((*path, name, index), item, target)
        elif isinstance(value, BaseModel):
            yield from iter_references(value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from iter_references(item, (*path, name, index))
