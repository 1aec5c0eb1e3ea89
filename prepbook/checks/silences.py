"""Silences as the policy reads them and the rules about silences (PB303, PB304) judge them.

The policy matches each finding of a method rule to the silence entries of its record; what
each entry silenced is known only once every finding went through, so the rules about
silences are asked last, one entry at a time, with the outcome of that run.
"""

from __future__ import annotations

from dataclasses import dataclass

from prepbook.findings import YamlPath
from prepbook.load.playbook import LoadedWorkshop
from prepbook.rules import RULES, Rule


@dataclass(frozen=True, slots=True)
class Silence:
    """One silence entry as written: whose, which rule, why, where, and what it covers
    (None: everything the rule finds on the record)."""

    workshop: str
    record: str
    rule: str
    reason: str
    path: YamlPath
    covers: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class SilenceOutcome:
    """What one silence entry did in a run: whether it silenced anything, which of its
    covers named a finding, the subjects an entry without covers hid, every subject its
    rule found on the record, and the covers that name something the rule could judge (not
    a record of a workshop that could not be checked)."""

    silence: Silence
    loaded: LoadedWorkshop
    used: bool
    covers_used: frozenset[int]
    hidden: tuple[str, ...]
    found: tuple[str, ...]
    judged: tuple[int, ...]

    @property
    def rule(self) -> Rule | None:
        """The rule it silences, None for an id no rule has."""
        return RULES.get(self.silence.rule)

    @property
    def whose(self) -> str:
        """How a finding about the entry names it."""
        silence = self.silence
        return f"the silence of {silence.rule} on '{silence.record or silence.workshop}'"
