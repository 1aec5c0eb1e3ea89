"""Causes first: a finding that only follows from another is folded under it.

One mistake can set off several findings. A metric given the id of a priority is one
duplicate id (PB201), and then every reference to the priority names the metric (PB204),
and the method's rules find the priority threatened and delivered by nothing (PB341,
PB351). A misspelt required key is an unknown key (PB101) and a missing one (PB102). The
reader needs the cause, first, with what follows from it counted and listed under it.

The stages say what each finding is about, as :class:`~prepbook.findings.Fact` s; the
ties between facts are all here, in :data:`TIES`, and nowhere else:

=================  ====================  =====================================================
a finding stating  follows from one      because
=================  ====================  =====================================================
``misspelt-key``   ``unknown-key``       PB102 ``title`` missing where PB101 ``titel`` stands:
                                         one misspelling, said once as "'titel' is not a key;
                                         did you mean 'title'?"
``names-id``       ``shadowed-id``       PB204: the reference names an id whose record of the
                                         kind it wants is a duplicate (PB201) that the first
                                         record of that id hides
``lacks-link``     ``meant-link``        PB341/PB351 "nothing threatens (delivers) P": a
                                         reference in that field that meant P is broken (PB204)
``lacks-own``      ``own-link``          PB340 "P is measured by no metric that counts": a
                                         reference of P's own measured_by is broken (PB204)
=================  ====================  =====================================================

A record set aside for schema errors needs no tie: references to it are never reported
(see ``prepbook.checks.references``), and the method's rules skip a file with schema
errors.

What is folded still counts as it did: the cause takes the highest severity of what it
holds, so a run fails, with or without ``--strict``, exactly when it failed before, and
every count and the completeness score see the folded findings (``Finding.every``). Chains
fold to the first cause: PB341 follows from a PB204 that follows from a PB201, and is
listed under the PB201.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prepbook.findings import Fact, Finding
from prepbook.rules import Severity


@dataclass(frozen=True)
class Tie:
    """A finding stating ``follows`` (a fact kind) follows from one stating ``cause`` with
    the same key; ``reword`` gives the cause its message and hint once it holds one."""

    follows: str
    cause: str
    reason: str
    reword: Callable[[Finding, Fact, Fact], tuple[str, str | None]] | None = None


def _misspelling(cause: Finding, unknown: Fact, missing: Fact) -> tuple[str, str | None]:
    key, meant = unknown.key[-1], missing.detail
    return (
        f"'{key}' is not a key; did you mean '{meant}'?",
        f"rename '{key}' to '{meant}': '{meant}' is required here, and missing",
    )


TIES: tuple[Tie, ...] = (
    Tie("misspelt-key", "unknown-key", "a misspelling of a required key", _misspelling),
    Tie("names-id", "shadowed-id", "the id it names is used twice"),
    Tie("lacks-link", "meant-link", "the reference that would make it is broken"),
    Tie("lacks-own", "own-link", "a reference of the record's own is broken"),
)
_BY_FOLLOWS = {tie.follows: tie for tie in TIES}
_CAUSE_KINDS = frozenset(tie.cause for tie in TIES)
_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def fold(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings with each that follows from another folded under its first cause, in
    their order; the cause holds them in theirs, takes the highest severity among them, and
    the message its tie gives it."""
    causes: dict[tuple[str, tuple[str, ...]], int] = {}
    for index, finding in enumerate(findings):
        for fact in finding.facts:
            if fact.kind in _CAUSE_KINDS:
                causes.setdefault((fact.kind, fact.key), index)
    if not causes:
        return tuple(findings)
    parent: dict[int, tuple[int, Tie, Fact]] = {}
    for index, finding in enumerate(findings):
        for fact in finding.facts:
            tie = _BY_FOLLOWS.get(fact.kind)
            cause = causes.get((tie.cause, fact.key)) if tie is not None else None
            if tie is not None and cause is not None and cause != index:
                parent[index] = (cause, tie, fact)
                break
    if not parent:
        return tuple(findings)

    def root(index: int) -> int:
        seen = {index}
        while index in parent and parent[index][0] not in seen:
            index = parent[index][0]
            seen.add(index)
        return index

    under: dict[int, list[int]] = {}
    direct: dict[int, list[tuple[Tie, Fact]]] = {}
    for index, (cause, tie, fact) in parent.items():
        direct.setdefault(cause, []).append((tie, fact))
        top = root(index)
        if top != index:
            under.setdefault(top, []).append(index)
    out: list[Finding] = []
    for index, finding in enumerate(findings):
        if index in parent and root(index) != index:
            continue  # listed under its cause
        held = [findings[i] for i in sorted(under.get(index, []))]
        out.append(_holding(finding, held, direct.get(index, [])) if held else finding)
    return tuple(out)


def _holding(cause: Finding, held: list[Finding], ties: list[tuple[Tie, Fact]]) -> Finding:
    """The cause holding the findings that follow from it; ``ties``: how those directly
    under it are tied to it."""
    severity = min((cause.severity, *(f.severity for f in held)), key=_ORDER.index)
    message, hint = cause.message, cause.hint
    for tie, fact in ties:
        if tie.reword is None:
            continue
        mine = next((f for f in cause.facts if f.kind == tie.cause and f.key == fact.key), None)
        if mine is not None:
            message, hint = tie.reword(cause, mine, fact)
            break
    flat = tuple(dataclasses.replace(f, follows=()) for f in held)
    return dataclasses.replace(cause, severity=severity, message=message, hint=hint, follows=flat)


def every(findings: Sequence[Finding]) -> list[Finding]:
    """Each finding, and those folded under it, in order."""
    return [f for finding in findings for f in finding.every()]
