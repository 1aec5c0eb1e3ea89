"""What a rule module defines: its rule, its documentation, and its check.

A method rule is one module of :mod:`prepbook.checks.rules`, and everything about it is
there: ``RULE`` (id, name, default severity, summary, subject), ``DOC`` (why it exists, how
to fix a finding, an example that breaks it and one that keeps it) and ``check``, a
generator of findings wrapped in what it judges. The wrapper says when the check is asked,
so that no rule repeats the walk over the playbook and the findings of one workshop, and of
one priority, come out together in the same order each time.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prepbook.checks.silences import SilenceOutcome
from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Priority
from prepbook.rules import Rule


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The explanation page of a rule, as its module writes it. The two excerpts are merged
    into a complete workshop by the tests, which check that the first is reported and the
    second is not, so the documentation cannot drift from the check.

    ``covers``: for a rule with a subject, the subject the failing example is reported
    with, which the page shows in a silence. ``elsewhere``: for a rule about references
    between workshops, an excerpt of a second workshop, ``partner``, of another
    organisation, that both excerpts may refer to. ``export``: for a rule about the
    tracker exports, the plain CSV export (``trackers/work.csv``) the failing example is
    read with; ``passing_export`` the passing one's, when it differs. Excerpts may be
    written indented inside the call; they are kept as a workshop file holds them:
    dedented, ending in one newline.
    """

    rationale: str
    fix: str
    failing: str
    passing: str
    covers: str | None = None
    elsewhere: str | None = None
    export: str | None = None
    passing_export: str | None = None

    def __post_init__(self) -> None:
        for name in ("failing", "passing", "elsewhere", "export", "passing_export"):
            text = getattr(self, name)
            if text is not None:
                object.__setattr__(self, name, textwrap.dedent(text).strip("\n") + "\n")

    def as_dict(self) -> dict[str, str]:
        """The entries it has, by name, as the rule pages and the SARIF report read them."""
        entries = {
            "rationale": self.rationale,
            "fix": self.fix,
            "covers": self.covers,
            "elsewhere": self.elsewhere,
            "export": self.export,
            "passing_export": self.passing_export,
            "failing": self.failing,
            "passing": self.passing,
        }
        return {name: text for name, text in entries.items() if text is not None}


WorkshopCheck = Callable[[Playbook, LoadedWorkshop, Settings], Iterator[Finding]]
PriorityCheck = Callable[
    [Playbook, LoadedWorkshop, Priority, YamlPath, Settings], Iterator[Finding]
]
PlaybookCheck = Callable[[Playbook, Settings], Iterator[Finding]]
SilenceCheck = Callable[[Playbook, SilenceOutcome, Settings], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class EachWorkshop:
    """A check asked once for each workshop that loaded whole (one with schema errors is
    judged once it is whole)."""

    run: WorkshopCheck


@dataclass(frozen=True, slots=True)
class EachCommittedPriority:
    """A check asked once for each committed priority of a workshop that loaded whole,
    with the priority's path in the workshop. The checks of this kind are asked together,
    priority by priority, so that the findings about one priority stand together."""

    run: PriorityCheck


@dataclass(frozen=True, slots=True)
class WholePlaybook:
    """A check asked once for the whole playbook, after the others: for what is judged
    across workshops, or against one value for the whole run (the build's date). It skips
    the workshops that did not load whole itself."""

    run: PlaybookCheck


@dataclass(frozen=True, slots=True)
class EachSilence:
    """A check asked once for each silence entry of a workshop that loaded whole, after
    every other finding went through the policy, with what the entry silenced. Its findings
    are about silences, so no silence can hide them; the policy sets their severity."""

    run: SilenceCheck


Check = EachWorkshop | EachCommittedPriority | WholePlaybook | EachSilence
CHECK_KINDS = (EachWorkshop, EachCommittedPriority, WholePlaybook, EachSilence)


@dataclass(frozen=True, slots=True)
class MethodRule:
    """A rule as its module defines it."""

    rule: Rule
    doc: RuleDoc
    check: Check
    module: str  # the module's name, for a message about it
