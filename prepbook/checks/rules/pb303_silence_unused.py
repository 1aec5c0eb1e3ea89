"""PB303 silence-unused: a silence, or a subject it covers, that silences nothing.

A silence is an exception with a reason; once nothing needs it, it would only hide the next
real problem. Asked for each silence entry after the policy matched every finding to the
entries, so it knows what each one silenced.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachSilence, RuleDoc
from prepbook.checks.silences import SilenceOutcome
from prepbook.config import Settings
from prepbook.findings import Finding, closest
from prepbook.load.playbook import Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB303",
    "silence-unused",
    Severity.INFO,
    "A record silences a rule that finds nothing on it.",
    silenceable=False,
)

DOC = RuleDoc(
    rationale=(
        "A silence is an exception with a reason. Once the record no longer breaks the rule, the "
        "silence only hides the next real problem, so it should go. The same holds for each "
        "subject a silence lists under covers: once the rule no longer finds it, it goes."
    ),
    fix="Remove the silence entry, or the subject from its covers.",
    failing="""
        priorities:
          - id: offers
            silence:
              - rule: PB330
                reason: The offers reuse the existing CRM export only.
    """,
    passing="""
        priorities:
          - id: offers
            silence: []
    """,
)


@EachSilence
def check(playbook: Playbook, outcome: SilenceOutcome, settings: Settings) -> Iterator[Finding]:
    silence, rule, whose = outcome.silence, outcome.rule, outcome.whose
    if not outcome.used:
        yield _unneeded(outcome)
        return
    assert rule is not None  # a silence of a rule that does not exist silences nothing
    if rule.subject is not None and silence.covers is None:
        return  # it hides every subject: too broad (PB304), not unneeded
    for j, cover in enumerate(silence.covers or ()):
        if j in outcome.covers_used or j not in outcome.judged:
            continue
        if rule.subject is None:
            message = f"{whose} covers '{cover}', but {silence.rule} finds one thing on a record"
            hint = "remove covers"
        else:
            message = f"{whose} covers '{cover}', but the rule finds no such {rule.subject} here"
            near = closest(cover, [s for s in outcome.found if s not in (silence.covers or ())])
            hint = f"did you mean '{near}'?" if near else f"remove '{cover}' from covers"
        yield outcome.loaded.finding(RULE.id, message, (*silence.path, "covers", j), hint=hint)


def _unneeded(outcome: SilenceOutcome) -> Finding:
    """A silence that silences nothing: the rule finds nothing on the record, or nothing the
    silence covers (then with the subjects it does find, for a misspelt one)."""
    silence, rule, found = outcome.silence, outcome.rule, outcome.found
    hint = "remove the silence entry"
    if rule is None:
        why = "there is no such rule"
    elif not rule.silenceable:
        why = f"{silence.rule} is about silences, which no silence can hide"
        hint = f"remove the silence entry; set {silence.rule}'s severity in the settings instead"
    elif silence.covers and found:
        why = f"the rule finds no {rule.subject} it covers here"
        near = next((n for c in silence.covers if (n := closest(c, list(found)))), None)
        listed = ", ".join(dict.fromkeys(found))
        hint = f"did you mean '{near}'?" if near else f"the rule finds: {listed}"
    else:
        why = "the rule finds nothing here"
    return outcome.loaded.finding(
        RULE.id, f"{outcome.whose} is not needed: {why}", (*silence.path, "rule"), hint=hint
    )
