"""The registry of finding rules: stable ids, default severities, one-line summaries.

Ids never change meaning once published: CI configurations, suppressions and the rules
reference page all name them. Ranges: PB0xx the file and its YAML, PB1xx the schema,
PB2xx references and the graph, PB3xx the method: how well the workshop was done.

Only the method rules (PB3xx) can be configured: their severity set, turned off, or
silenced by a record with a written reason. The others guard the integrity of the files
and the site and are always errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def weight(self) -> int:
        """How much a rule of this severity counts in the readiness score."""
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


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
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
        Rule(
            "PB204", "unresolved-reference", _E, "A reference names no record of the expected kind."
        ),
        Rule("PB205", "dependency-cycle", _E, "Roadmap steps depend on each other in a cycle."),
        Rule(
            "PB206",
            "date-order",
            _E,
            "Dates are out of order: an end before its start, or "
            "a step before a step it depends on.",
        ),
        Rule("PB207", "residual-risk", _E, "A residual risk rating exceeds the inherent one."),
        Rule("PB208", "phase-window", _W, "A step's dates fall outside its phase's window."),
        Rule("PB301", "empty-section", _W, "A section of the workshop is still empty.", "section"),
        Rule(
            "PB302",
            "missing-role",
            _W,
            "The workshop names no facilitator or no decider.",
            "role",
        ),
        Rule(
            "PB303",
            "silence-unused",
            _I,
            "A record silences a rule that finds nothing on it.",
            silenceable=False,
        ),
        Rule(
            "PB304",
            "silence-unscoped",
            _W,
            "A silence of a rule that finds several things on a record does not say which "
            "of them its reason covers.",
            silenceable=False,
        ),
        Rule(
            "PB310",
            "team-functions",
            _W,
            "The team does not cover product, engineering, data, marketing and customer support.",
            "function",
        ),
        Rule(
            "PB311",
            "facilitator-is-decider",
            _W,
            "The facilitator and the decider are the same person.",
        ),
        Rule(
            "PB320",
            "audit-coverage",
            _W,
            "The audit does not cover data, talent and technology.",
            "asset kind",
        ),
        Rule("PB321", "audit-market", _I, "The audit does not cover market position."),
        Rule(
            "PB330",
            "priority-without-assets",
            _W,
            "A committed priority requires no audited asset.",
        ),
        Rule(
            "PB331",
            "gap-not-closed",
            _W,
            "A committed priority needs a missing or partial "
            "asset, and no roadmap step closes that gap before the priority is delivered.",
            "asset",
            subject_refers=True,
        ),
        Rule(
            "PB340",
            "clicks-only",
            _W,
            "A committed priority is measured by no metric "
            "beyond clicks: retention, trust, satisfaction or a guardrail.",
        ),
        Rule(
            "PB341",
            "no-persofail",
            _W,
            "No persofail threatens a committed priority: its pre-mortem is missing.",
        ),
        Rule(
            "PB342",
            "unmitigated-risk",
            _W,
            "A persofail at or above the risk threshold has no mitigation with an owner.",
        ),
        Rule(
            "PB350",
            "too-many-priorities",
            _W,
            "The workshop commits to more priorities than the limit (two by default).",
        ),
        Rule("PB351", "unscheduled-priority", _W, "No roadmap step delivers a committed priority."),
        Rule(
            "PB352",
            "incomplete-recipe",
            _W,
            "A committed priority's if-then recipe lacks "
            "its trigger, audience, context, content or measure.",
            "recipe part",
        ),
        Rule("PB360", "review-overdue", _W, "A record is past its review date."),
        Rule(
            "PB370",
            "cross-organisation-reference",
            _W,
            "A record refers to a record of a workshop of another organisation.",
            "record",
            subject_refers=True,
        ),
        # Delivery (PB38x): whether what was decided is happening, as of the build's date.
        Rule("PB380", "step-overdue", _W, "A roadmap step's end has passed and it is not done."),
        Rule(
            "PB381",
            "gap-closed-asset-not-ready",
            _W,
            "Every roadmap step that closes an asset's gap is done, yet the asset is still "
            "written as partial or missing.",
        ),
        Rule(
            "PB382",
            "reading-out-of-bounds",
            _W,
            "A metric's reading lies outside the bounds of its unit, such as a percentage "
            "over 100.",
            "reading",
        ),
        Rule(
            "PB383",
            "stale-reading",
            _W,
            "A metric's newest reading is older than the stale_reading_days option allows.",
        ),
        Rule(
            "PB384",
            "future-reading",
            _W,
            "A metric's reading is dated after the build's date.",
            "reading",
        ),
    )
}


METHOD_RULES: tuple[str, ...] = tuple(r for r in RULES if RULES[r].configurable)
