"""The registry of finding rules: stable ids, default severities, one-line summaries.

Ids never change meaning once published: CI configurations, suppressions and the rules
reference page all name them. Ranges: PB0xx the file and its YAML, PB1xx the schema,
PB2xx references and the graph, PB3xx the method: how well the workshop was done.

Only the method rules (PB3xx) can be configured: their severity set, turned off, or
silenced by a record with a written reason. The others guard the integrity of the files
and the site and are always errors.

Each method rule is a module of its own, in prepbook/checks/rules/, with its check and its
documentation. The layers below the checks (the model, the findings, the settings) know it
from its declaration in :mod:`prepbook.method_rules`, which ``prepbook refresh`` writes
from those modules, so that naming a rule never imports the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from prepbook.method_rules import DECLARED


class Severity(StrEnum):
    """How much a finding matters: an error stops a build, a warning fails --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def weight(self) -> int:
        """How much a rule of this severity counts in the completeness score."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    # What one finding of the rule is about, when the rule can find several distinct things
    # on one record (a missing function, a missing asset kind): each is a finding of its
    # own with that subject, and a silence lists under ``covers`` the subjects its reason
    # is about. None: the rule finds at most one thing a record.
    subject: str | None = None
    # Whether the subjects are references to records, matched through the graph (so that
    # ``crm`` and ``home/crm`` written in workshop ``home`` are one subject).
    subject_refers: bool = False
    # False for the rules about silences themselves: a silence cannot hide what is wrong
    # with silences, so their findings are only configured, by severity or turned off.
    silenceable: bool = True

    @property
    def configurable(self) -> bool:
        """Whether a playbook may change the severity of, turn off or silence the rule."""
        return self.id.startswith("PB3")


_E, _W = Severity.ERROR, Severity.WARNING

# The integrity rules, found by the loader and the checks of references, schedule and risk.
INTEGRITY_RULES: tuple[Rule, ...] = (
    Rule("PB001", "yaml-syntax", _E, "The file is not well-formed YAML."),
    Rule("PB002", "encoding", _E, "The file is not UTF-8 text, or holds NUL bytes."),
    Rule("PB003", "file-size", _E, "The file is larger than the size cap."),
    Rule(
        "PB004",
        "document-shape",
        _E,
        "The file is empty, holds several documents, or its top level is not a mapping.",
    ),
    Rule("PB005", "duplicate-key", _E, "A mapping names the same key twice."),
    Rule("PB006", "alias", _E, "Anchors, aliases and merge keys are not allowed."),
    Rule("PB007", "unsafe-tag", _E, "A YAML tag other than the core ones is used."),
    Rule("PB008", "nesting-depth", _E, "Nesting is deeper than any workshop needs."),
    Rule(
        "PB009",
        "unreadable-file",
        _E,
        "The file cannot be read, or lies outside the workshops folder.",
    ),
    Rule(
        "PB010",
        "too-many-findings",
        _E,
        "A file has more findings than a report lists; the rest are counted.",
    ),
    Rule("PB101", "unknown-key", _E, "A key that the format does not define."),
    Rule("PB102", "missing-key", _E, "A required key is missing."),
    Rule("PB103", "invalid-value", _E, "A value has the wrong type or is out of range."),
    Rule("PB201", "duplicate-id", _E, "Two records of one workshop share an id."),
    Rule("PB202", "duplicate-workshop", _E, "Two files declare the same workshop id."),
    Rule("PB203", "workshop-id-mismatch", _E, "The workshop id differs from its file name."),
    Rule("PB204", "unresolved-reference", _E, "A reference names no record of the expected kind."),
    Rule("PB205", "dependency-cycle", _E, "Roadmap steps depend on each other in a cycle."),
    Rule(
        "PB206",
        "date-order",
        _E,
        "Dates are out of order: an end before its start, or a step before a step it depends on.",
    ),
    Rule("PB207", "residual-risk", _E, "A residual risk rating exceeds the inherent one."),
    Rule("PB208", "phase-window", _W, "A step's dates fall outside its phase's window."),
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        *INTEGRITY_RULES,
        *(
            Rule(id, name, Severity(severity), summary, subject, refers, silenceable)
            for id, name, severity, summary, subject, refers, silenceable in DECLARED
        ),
    )
}


METHOD_RULES: tuple[str, ...] = tuple(r for r in RULES if RULES[r].configurable)
