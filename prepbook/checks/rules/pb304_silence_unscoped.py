"""PB304 silence-unscoped: a silence of a rule with subjects that names none it covers.

Such a silence hides every subject the rule finds on the record, the ones found later too,
so it still silences them all (nothing accepted fails at once) and this rule asks for its
scope, naming the subjects it hides today.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachSilence, RuleDoc
from prepbook.checks.silences import SilenceOutcome
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB304",
    "silence-unscoped",
    Severity.WARNING,
    (
        "A silence of a rule that finds several things on a record does not say which of them its "
        "reason covers."
    ),
    silenceable=False,
)

DOC = RuleDoc(
    rationale=(
        "Some rules find several distinct things on one record: each missing function of the team, "
        "each empty section, each reference into another organisation. A reason is about one of "
        'them ("support is outsourced"), so a silence that does not say which would also hide the '
        "next one, for which nobody wrote a reason: the team that later loses its data seat would "
        "never hear of it. Such a silence still covers everything, so that nothing already "
        "accepted fails at once, and this rule asks for the scope to be written down."
    ),
    fix=(
        "List under covers the subjects the reason is about (the finding names them). Give any "
        "other subject its own silence with its own reason, or fix it."
    ),
    failing="""
        team:
          - id: sue
            name: Sue
            function: design
        silence:
          - rule: PB310
            reason: Support is outsourced to a partner.
    """,
    passing="""
        team:
          - id: sue
            name: Sue
            function: design
        silence:
          - rule: PB310
            reason: Support is outsourced to a partner.
            covers: [customer-support]
    """,
)


@EachSilence
def check(playbook: Playbook, outcome: SilenceOutcome, settings: Settings) -> Iterator[Finding]:
    silence, rule = outcome.silence, outcome.rule
    if not outcome.used or rule is None or rule.subject is None or silence.covers is not None:
        return
    hidden = ", ".join(dict.fromkeys(outcome.hidden))
    yield outcome.loaded.finding(
        RULE.id,
        f"{outcome.whose} names no {rule.subject} it covers, so it hides every {rule.subject} "
        f"the rule finds, now and later; today: {hidden}",
        (*silence.path, "rule"),
        expected=f"covers: the {rule.subject}s the reason is about",
        hint=f"add covers: [{hidden}] and keep only those the reason is about; the "
        "others are open findings, or silences with reasons of their own",
    )
