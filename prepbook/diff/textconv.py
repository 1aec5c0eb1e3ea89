"""``prepbook show FILE``: one workshop as stable text, one line per field of each record.

It is the textconv of the git diff driver: git compares these lines instead of the YAML,
so ``git diff`` and ``git log -p`` show every change of meaning, each as the lines of the
fields it changed, and nothing for a change of indentation, order or comments.

The lines are read off the models (:func:`prepbook.model.facts.facts` for the fields,
:mod:`prepbook.model.kinds` for the records), never picked by hand, so a field added to a
model shows up here without touching this module. Each line reads
``<kind> <name> <field>: <value>``: the workshop's own fields first, then its records by
kind (in the order of the format) and by id, so moving a record within its list changes
nothing. A nested record is named after its parent (``mitigation toilet-seat-loop/staff-check``).
Text keeps its line breaks as ``\\n``, so a rewritten paragraph is one changed line.
"""

from __future__ import annotations

from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import Playbook
from prepbook.model.base import Record
from prepbook.model.facts import facts
from prepbook.model.kinds import KINDS, iter_records
from prepbook.model.workshop import Workshop
from prepbook.terminal import printable_lines

_KIND_ORDER = {name: index for index, name in enumerate(KINDS)}
# Rules whose findings depend on the name of the file, not on its content: git hands the
# driver a temporary file, so they would show as a change between any two revisions.
_FILE_NAME_RULES = frozenset({"PB203"})


def fact_lines(kind: str, name: str, record: Record, home: str) -> list[str]:
    """Every field of ``record`` (of workshop ``home``) as ``<kind> <name> <field>:
    <value>``, in field order.

    The id is left out: it is the name already.
    """
    return [f"{kind} {name} {f.name}: {f.text()}" for f in facts(record, home) if f.name != "id"]


def workshop_lines(workshop: Workshop) -> list[str]:
    """The workshop's own fields, then every record's, ordered by kind and name."""
    named: dict[YamlPath, str] = {}
    blocks: list[tuple[int, str, list[str]]] = []
    for located in iter_records(workshop):
        kind = KINDS[located.kind]
        name = located.record.id
        if kind.parent is not None:
            # a nested record stands at <parent's path>.<home>.<index>
            name = f"{named[located.path[: -len(kind.home) - 1]]}/{name}"
        named[located.path] = name
        lines = fact_lines(located.kind, name, located.record, workshop.id)
        blocks.append((_KIND_ORDER[located.kind], name, lines))
    blocks.sort()  # two records with the same id (a finding of its own) sort by their lines
    lines = fact_lines("workshop", workshop.id, workshop, workshop.id)
    for _, _, block in blocks:
        lines += block
    return lines


def _problem_line(label: str, finding: Finding) -> str:
    where = f" at line {finding.span.line}" if finding.span else ""
    return f"({label}) {finding.rule}: {finding.message}{where}".replace("\n", "\\n")


def textconv(playbook: Playbook) -> str:
    """The lines git compares instead of the YAML, shown in a terminal by ``git diff``:
    nothing in them can act on it.

    A file that does not load shows its problems instead, and one of which only a part could
    be read shows that part and its problems, so the diff still says something true.
    """
    lines: list[str] = []
    for loaded in playbook.workshops.values():
        lines += workshop_lines(loaded.model)
    label = "invalid" if playbook.workshops else "unreadable"
    lines += [
        _problem_line(label, finding)
        for finding in playbook.problems
        if finding.rule not in _FILE_NAME_RULES
    ]
    return printable_lines("\n".join(lines) + "\n")
