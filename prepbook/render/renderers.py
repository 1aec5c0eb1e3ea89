"""The renderers a field may name (``Shown.render``): where the method shows a value its own
way, from the record it belongs to, rather than by the rules every other field follows.

A risk rating as its badges, a score with its inputs, the recipe as its if-then sentence,
a metric's baseline and target in its unit, a step's or a phase's dates, the assets a
priority needs with how ready each is. A field another renderer shows with its own (a
persofail's residual risk, a step's end) says so with ``Shown.beside``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from prepbook.graph import Node
from prepbook.model import Asset, Persofail
from prepbook.model.persofails import category_name
from prepbook.render.links import Linker
from prepbook.render.markdown import Md, dates, escape, inline, risk, score

DASH = "\u2014"  # a value not written


@dataclass(frozen=True, slots=True)
class Subject:
    """The record a field belongs to, as a renderer sees it."""

    record: BaseModel
    node: Node | None  # None: the workshop itself
    home: str  # the workshop's id
    linker: Linker


Renderer = Callable[[Subject, str, Any], Md | None]


def _span(subject: Subject, name: str, value: Any) -> Md | None:
    """The record's dates, its ``start`` and ``end``: "2026-01-05 to 2026-03-27"."""
    record: Any = subject.record
    return dates(record.start, record.end) if record.start or record.end else None


def _dates(subject: Subject, name: str, value: Any) -> Md | None:
    """A range of dates held by the field (the workshop's)."""
    return dates(value.start, value.end) if value is not None else None


def _risk(subject: Subject, name: str, value: Any) -> Md | None:
    """A persofail's risk now (see ``Persofail.residual_now``), the planned residual beside
    it while mitigations are not done, then the inherent risk: its badges."""
    persofail = subject.record
    assert isinstance(persofail, Persofail)
    text = f"**Residual risk now {risk(persofail.residual_now)}**"
    if persofail.residual is None:
        text += " (not rated: the inherent risk)"
    elif persofail.residual_pending:
        text += f" \u00b7 planned {risk(persofail.planned_residual)} once every mitigation is done"
    return Md(f"{text} \u00b7 inherent {risk(persofail.inherent)}")


def _score(subject: Subject, name: str, value: Any) -> Md | None:
    return score(value) if value is not None else None


def _recipe(subject: Subject, name: str, value: Any) -> Md | None:
    """The if-then sentence of a priority, of the parts written: a part left empty (a
    candidate's measure, say) is left out with its word, since "measured by …" tells a
    reader nothing but that a field is empty."""
    words = ("If", "for", "in", "then", "measured by")
    parts = (value.trigger, value.audience, value.context, value.content, value.measure)
    written = [(word, inline(part)) for word, part in zip(words, parts, strict=True) if part]
    if not written:
        return None
    clauses = []
    for number, (word, text) in enumerate(written):
        shown = word[0].upper() + word[1:] if number == 0 else word
        lead = ", " if number and word in ("then", "measured by") else " " if number else ""
        clauses.append(f"{lead}**{shown}** {text}")
    return Md("> " + "".join(clauses) + ".")


def _category(subject: Subject, name: str, value: Any) -> Md | None:
    """A persofail's category in words ("Stale data"), as the catalogue names it."""
    return Md(escape(category_name(value)))


def _measurement(subject: Subject, name: str, value: Any) -> Md | None:
    """A metric's baseline and target, in its unit, and which way is better."""
    metric: Any = subject.record
    baseline = inline(metric.baseline) if metric.baseline is not None else DASH
    target = inline(metric.target) if metric.target is not None else DASH
    unit = f" {escape(metric.unit)}" if metric.unit else ""
    return Md(f"{baseline} \u2192 {target}{unit} ({escape(metric.direction)})")


def _readiness(subject: Subject, name: str, value: Any) -> Md | None:
    """The assets a reference names, each with how ready it is."""
    assert subject.node is not None
    found = []
    for node in subject.linker.graph.targets(subject.node.key, name):
        assert isinstance(node.record, Asset)
        found.append(f"{subject.linker.record(node)} ({escape(node.record.readiness)})")
    return Md(", ".join(found)) if found else None


# By the name a field gives (``Shown.render``).
RENDERERS: dict[str, Renderer] = {
    "span": _span,
    "dates": _dates,
    "risk": _risk,
    "score": _score,
    "recipe": _recipe,
    "measurement": _measurement,
    "readiness": _readiness,
    "category": _category,
}
