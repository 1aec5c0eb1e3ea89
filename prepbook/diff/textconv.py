"""``prepbook show FILE``: one workshop as stable, one-line-per-record text.

It is the textconv of the git diff driver: git compares these lines instead of the YAML,
so ``git diff`` and ``git log -p`` show that a step moved phase or a risk rose, and
nothing for a change of indentation, order or comments.
"""

from __future__ import annotations

from prepbook.load.playbook import Playbook
from prepbook.model import Asset, Metric, Mitigation, Persofail, Phase, Priority, Step
from prepbook.model.base import Record
from prepbook.model.kinds import iter_records
from prepbook.model.team import TeamMember


def _refs(name: str, values: list[str]) -> str:
    return f" {name}=[{', '.join(values)}]" if values else ""


def record_line(kind: str, record: Record) -> str:
    """The facts of a record a reviewer cares about, on one line."""
    title = getattr(record, "title", None) or getattr(record, "name", None) or ""
    head = f"{kind} {record.id}: {title!r}" if title else f"{kind} {record.id}:"
    owner_id = getattr(record, "owner", None)
    owner = f" owner={owner_id}" if owner_id else ""
    if isinstance(record, TeamMember):
        return f"{head} function={record.function}"
    if isinstance(record, Asset):
        return f"{head} {record.kind}, {record.readiness}{owner}"
    if isinstance(record, Metric):
        guard = " guardrail" if record.guardrail else ""
        return (
            f"{head} {record.category}{guard}, {record.direction} "
            f"{record.baseline} -> {record.target}{owner}"
        )
    if isinstance(record, Persofail):
        r = record.effective_residual
        return (
            f"{head} {record.category}, inherent {record.inherent.likelihood}x"
            f"{record.inherent.severity}={record.inherent.score}, residual "
            f"{r.likelihood}x{r.severity}={r.score}{_refs('threatens', record.threatens)}"
        )
    if isinstance(record, Mitigation):
        return f"{head} {record.status}{owner} {record.action!r}"
    if isinstance(record, Priority):
        score = f", {record.score.method} {record.score.value:g}" if record.score else ""
        return (
            f"{head} {record.status}{score}{owner}{_refs('requires', record.requires)}"
            f"{_refs('measured_by', record.measured_by)}"
        )
    if isinstance(record, Phase):
        return f"{head} {record.start or ''}..{record.end or ''}"
    if isinstance(record, Step):
        return (
            f"{head} phase={record.phase} {record.start or ''}..{record.end or ''} "
            f"{record.status}{' milestone' if record.milestone else ''}{owner}"
            f"{_refs('delivers', record.delivers)}{_refs('depends_on', record.depends_on)}"
            f"{_refs('closes_gap', record.closes_gap)}"
        )
    return f"{head}{owner}"


def textconv(playbook: Playbook) -> str:
    """The lines git compares instead of the YAML; a file that does not load shows why."""
    lines: list[str] = []
    for loaded in playbook.workshops.values():
        m = loaded.model
        lines.append(
            f"workshop {m.id}: {m.title!r} {m.status}, facilitator={m.facilitator} "
            f"decider={m.decider}"
        )
        records = sorted(iter_records(m), key=lambda loc: (loc.kind, loc.record.id))
        lines += [record_line(loc.kind, loc.record) for loc in records]
    if not playbook.workshops:
        lines += [
            f"(unreadable) {f.rule}: {f.message}" + (f" at line {f.span.line}" if f.span else "")
            for f in playbook.problems
        ]
    return "\n".join(lines) + "\n"
