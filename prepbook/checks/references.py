"""Record ids and the references between records."""

from __future__ import annotations

from prepbook.findings import closest
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import (
    KINDS,
    Located,
    Reference,
    iter_references,
    with_article,
)


def split_ref(value: str, home: str) -> tuple[str, str]:
    """``"other/id"`` as ``("other", "id")``; a plain id belongs to ``home``."""
    workshop, _, record = value.rpartition("/")
    return (workshop or home), record


def resolve(playbook: Playbook, home: str, value: str) -> Located | None:
    """The record a reference names, if it exists (of whatever kind)."""
    workshop_id, record_id = split_ref(value, home)
    loaded = playbook.workshops.get(workshop_id)
    return loaded.records.get(record_id) if loaded else None


def check_references(playbook: Playbook) -> None:
    for loaded in playbook.workshops.values():
        for reference in iter_references(loaded.model):
            problem = _problem(playbook, loaded, reference)
            if problem is not None:
                message, hint = problem
                kind = reference.target.kind
                playbook.findings.append(
                    loaded.finding(
                        "PB204",
                        message,
                        reference.path,
                        expected=f"the id of {with_article(KINDS[kind].label)} "
                        f"(listed under {KINDS[kind].where})",
                        hint=hint,
                    )
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
    found = target.records.get(record_id)
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
    hint = (
        f"did you mean '{prefix}{near}'?"
        if near
        else f"add {with_article(label)} with id '{record_id}'{where}, or fix the id"
    )
    return f"no {label} has the id '{record_id}'{where}", hint
