"""Record ids and the references between records."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding, closest
from prepbook.graph import split_ref
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import KINDS, Reference, with_article


def check_references(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    """Every reference names an existing record of the kind its field wants (PB204)."""
    for ws_id, reference in playbook.graph.unresolved:
        loaded = playbook.workshops[ws_id]
        problem = _problem(playbook, loaded, reference)
        if problem is not None:
            message, hint = problem
            kind = KINDS[reference.target.kind]
            yield loaded.finding(
                "PB204",
                message,
                reference.path,
                expected=f"the id of {with_article(kind.label)} (listed under {kind.where})",
                hint=hint,
            )


def _problem(
    playbook: Playbook, loaded: LoadedWorkshop, reference: Reference
) -> tuple[str, str] | None:
    kind = reference.target.kind
    label = KINDS[kind].label
    workshop_id, record_id = split_ref(reference.value, loaded.id)
    target = playbook.workshops.get(workshop_id)
    if target is None:
        if workshop_id in playbook.broken_ids:
            return None  # that file's own errors are reported already
        near = closest(workshop_id, list(playbook.workshops))
        return (
            f"'{reference.value}' names the workshop '{workshop_id}', which does not exist",
            f"did you mean '{near}/{record_id}'?"
            if near
            else "check the workshop id before the '/'",
        )
    found = playbook.graph.nodes.get((workshop_id, record_id))
    if (found is not None and found.kind == kind) or target.is_broken_record(record_id):
        return None
    if found is not None:
        return (
            f"'{reference.value}' is {with_article(KINDS[found.kind].label)}, "
            f"not {with_article(label)}",
            f"refer to {with_article(label)} here",
        )
    same_kind = [rid for rid, rec in target.records.items() if rec.kind == kind]
    near = closest(record_id, same_kind)
    prefix = f"{workshop_id}/" if workshop_id != loaded.id else ""
    where = f" in workshop '{workshop_id}'" if prefix else ""
    options = [f"{prefix}{near}"] if near else []
    if reference.target.qualified:  # the record may stand in another workshop
        options += [
            rid if ws == loaded.id else f"{ws}/{rid}"
            for ws, rid in _elsewhere(playbook, kind, workshop_id, record_id, fuzzy=not near)
        ]
    hint = (
        "did you mean " + " or ".join(f"'{option}'" for option in options) + "?"
        if options
        else f"add {with_article(label)} with id '{record_id}'{where}, or fix the id"
    )
    return f"no {label} has the id '{record_id}'{where}", hint


MAX_ELSEWHERE = 3


def _elsewhere(
    playbook: Playbook, kind: str, searched: str, record_id: str, *, fuzzy: bool
) -> list[tuple[str, str]]:
    """Records of ``kind`` in the workshops other than ``searched`` that the id names
    exactly (asked of the graph), or else, with ``fuzzy``, the closest one to it; a few, by
    workshop id. A close id in the workshop searched is the likelier fix, and a close one
    elsewhere is not worth naming beside it: so the caller asks for ``fuzzy`` without it."""
    exact = [
        (ws, record_id)
        for ws in sorted(playbook.workshops)
        if ws != searched
        and (node := playbook.graph.nodes.get((ws, record_id))) is not None
        and node.kind == kind
    ]
    if exact or not fuzzy:
        return exact[:MAX_ELSEWHERE]
    where: dict[str, list[str]] = {}
    for ws in sorted(playbook.workshops):
        if ws != searched:
            for rid, located in playbook.workshops[ws].records.items():
                if located.kind == kind:
                    where.setdefault(rid, []).append(ws)
    near = closest(record_id, sorted(where))
    return [(ws, near) for ws in where[near][:MAX_ELSEWHERE]] if near else []
