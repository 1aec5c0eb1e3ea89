"""Record ids and the references between records."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from prepbook.cap import closing_finding, first_by_place
from prepbook.checks.organisations import organisation_key
from prepbook.config import Settings
from prepbook.findings import Fact, Finding, LeftOut, YamlPath, closest
from prepbook.graph import split_ref
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.kinds import KINDS, Reference, with_article


def check_references(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    """Every reference names an existing record of the kind its field wants (PB204).

    A hint searches the ids of the record's kind for a close one, a cost a reference: a
    workshop's first references that name nothing, up to the cap, are explained (see
    :mod:`prepbook.cap`), the rest counted."""
    elsewhere = _Elsewhere(playbook)
    broken: dict[str, list[Reference]] = {}
    for ws_id, reference in playbook.graph.unresolved:
        if _names_nothing(playbook, playbook.workshops[ws_id], reference):
            broken.setdefault(ws_id, []).append(reference)
    listed: set[int] = set()
    closings: list[Finding] = []
    for ws_id, references in broken.items():
        loaded = playbook.workshops[ws_id]
        shown, left = first_by_place(references, partial(_offset, loaded))
        listed.update(id(r) for r in shown)
        if left:
            span = loaded.span_of(left[0].path)
            left_out = LeftOut(errors=len(left), rules=("PB204",))
            line = loaded.source.line_text(span.line) if span else None
            closings.append(closing_finding(loaded.source.display, left_out, span, line, ws_id))
    owners: dict[str, dict[YamlPath, str]] = {}
    for ws_id, reference in playbook.graph.unresolved:
        if id(reference) not in listed:
            continue
        loaded = playbook.workshops[ws_id]
        problem = _problem(playbook, loaded, reference, elsewhere)
        if problem is not None:
            message, hint, meant = problem
            kind = KINDS[reference.target.kind]
            if ws_id not in owners:
                owners[ws_id] = {located.path: located.record.id for located in loaded.located}
            yield loaded.finding(
                "PB204",
                message,
                reference.path,
                expected=f"the id of {with_article(kind.label)} (listed under {kind.where})",
                hint=hint,
                facts=_facts(loaded, reference, meant, owners[ws_id]),
            )
    yield from closings


def _facts(
    loaded: LoadedWorkshop,
    reference: Reference,
    meant: tuple[str, str] | None,
    owners: dict[YamlPath, str],
) -> tuple[Fact, ...]:
    """What a broken reference is about, for :mod:`prepbook.checks.causes`: the id it
    names, the link it meant to make, and the record and field it stands in."""
    workshop_id, record_id = split_ref(reference.value, loaded.id)
    field = next((str(part) for part in reversed(reference.path) if isinstance(part, str)), "")
    facts = [Fact("names-id", (workshop_id, record_id, reference.target.kind))]
    if meant is not None:
        facts.append(Fact("meant-link", (field, *meant)))
    path = reference.path
    owner = next(
        (owners[path[:n]] for n in range(len(path) - 1, 0, -1) if path[:n] in owners), None
    )
    if owner is not None:
        facts.append(Fact("own-link", (loaded.id, owner, field)))
    return tuple(facts)


def _offset(loaded: LoadedWorkshop, reference: Reference) -> int:
    return loaded.offset_of(reference.path)


def _names_nothing(playbook: Playbook, loaded: LoadedWorkshop, reference: Reference) -> bool:
    """Whether the reference is a finding: it names no record of its kind, in a workshop
    that loaded or none at all (the errors of a file that did not load, or of a record set
    aside, are reported already). :func:`_problem` then says why."""
    workshop_id, record_id = split_ref(reference.value, loaded.id)
    target = playbook.workshops.get(workshop_id)
    if target is None:
        return workshop_id not in playbook.broken_ids
    found = playbook.graph.nodes.get((workshop_id, record_id))
    return not (
        (found is not None and found.kind == reference.target.kind)
        or target.is_broken_record(record_id)
    )


def _problem(
    playbook: Playbook, loaded: LoadedWorkshop, reference: Reference, elsewhere: _Elsewhere
) -> tuple[str, str, tuple[str, str] | None] | None:
    """The message and hint of a broken reference, and the record it most likely meant
    (its key), if one."""
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
            (near, record_id) if near else None,
        )
    found = playbook.graph.nodes.get((workshop_id, record_id))
    if (found is not None and found.kind == kind) or target.is_broken_record(record_id):
        return None
    if found is not None:
        return (
            f"'{reference.value}' is {with_article(KINDS[found.kind].label)}, "
            f"not {with_article(label)}",
            f"refer to {with_article(label)} here",
            (workshop_id, record_id),  # a duplicate of the id may be what it meant
        )
    same_kind = [rid for rid, rec in target.records.items() if rec.kind == kind]
    near = closest(record_id, same_kind)
    prefix = f"{workshop_id}/" if workshop_id != loaded.id else ""
    where = f" in workshop '{workshop_id}'" if prefix else ""
    options = [f"'{prefix}{near}'"] if near else []
    if reference.target.qualified:  # the record may stand in another workshop
        found_elsewhere = elsewhere.find(kind, workshop_id, record_id, fuzzy=not near)
        # the team's own organisation first: a record of another one draws PB370
        own = organisation_key(loaded.model.organisation)
        for ws, rid in sorted(found_elsewhere, key=lambda m: _organisation(playbook, m[0]) != own):
            if ws == loaded.id:
                options.append(f"'{rid}'")
            elif _organisation(playbook, ws) == own:
                options.append(f"'{ws}/{rid}'")
            else:
                name = playbook.workshops[ws].model.organisation
                options.append(f"'{ws}/{rid}' (of {name}, another organisation)")
    hint = (
        "did you mean " + " or ".join(options) + "?"
        if options
        else f"add {with_article(label)} with id '{record_id}'{where}, or fix the id"
    )
    meant = (workshop_id, near) if near else None
    return f"no {label} has the id '{record_id}'{where}", hint, meant


def _organisation(playbook: Playbook, workshop_id: str) -> str:
    return organisation_key(playbook.workshops[workshop_id].model.organisation)


MAX_ELSEWHERE = 3
# A close id is looked for among at most this many ids of a kind (some 10 ms a reference);
# a larger playbook names only exact matches, so that each broken reference does not cost
# a comparison with every record of the playbook.
MAX_FUZZY_POOL = 2000


class _Elsewhere:
    """Records of the other workshops that an unresolved reference may have meant."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self._by_kind: dict[str, dict[str, list[str]]] = {}

    def _ids(self, kind: str) -> dict[str, list[str]]:
        """Every id of ``kind`` in the playbook, with its workshops: made once a check."""
        index = self._by_kind.get(kind)
        if index is None:
            index = {}
            for ws in sorted(self.playbook.workshops):
                for rid, located in self.playbook.workshops[ws].records.items():
                    if located.kind == kind:
                        index.setdefault(rid, []).append(ws)
            self._by_kind[kind] = index
        return index

    def find(
        self, kind: str, searched: str, record_id: str, *, fuzzy: bool
    ) -> list[tuple[str, str]]:
        """Records of ``kind`` in workshops other than ``searched`` that the id names
        exactly (asked of the graph), or else, with ``fuzzy``, the closest id; a few, by
        workshop id. A close id in the workshop searched is the likelier fix, and a close
        one elsewhere is not worth naming beside it: the caller asks for ``fuzzy`` without."""
        nodes = self.playbook.graph.nodes
        exact = [
            (ws, record_id)
            for ws in sorted(self.playbook.workshops)
            if ws != searched
            and (node := nodes.get((ws, record_id))) is not None
            and node.kind == kind
        ]
        if exact or not fuzzy:
            return exact[:MAX_ELSEWHERE]
        index = self._ids(kind)
        if len(index) > MAX_FUZZY_POOL:
            return []
        others = sorted(rid for rid, where in index.items() if where != [searched])
        near = closest(record_id, others)
        if near is None:
            return []
        return [(ws, near) for ws in index[near] if ws != searched][:MAX_ELSEWHERE]
