"""PB352 incomplete-recipe: a committed priority's if-then recipe lacks a part; each
missing part is a finding of its own."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Priority
from prepbook.rules import Rule, Severity

RECIPE_PARTS = ("trigger", "audience", "context", "content", "measure")

RULE = Rule(
    "PB352",
    "incomplete-recipe",
    Severity.WARNING,
    (
        "A committed priority's if-then recipe lacks its trigger, audience, context, content or "
        "measure."
    ),
    subject="recipe part",
)

DOC = RuleDoc(
    rationale=(
        "The if-then recipe is what makes a priority buildable: if a trigger happens for an "
        "audience in a context, then show this content, measured so. A committed priority with a "
        "gap in its recipe will be interpreted differently by everyone who builds it."
    ),
    fix="Write the missing parts of the recipe.",
    covers="context",
    failing="""
        priorities:
          - id: offers
            recipe: {trigger: a renewal is due, audience: loyal customers}
    """,
    passing="""
        priorities:
          - id: offers
            recipe:
              trigger: a renewal is due
              audience: loyal customers
              context: the renewal e-mail
              content: an offer they asked for
              measure: renewals kept
    """,
)


@EachCommittedPriority
def check(
    playbook: Playbook,
    loaded: LoadedWorkshop,
    priority: Priority,
    path: YamlPath,
    settings: Settings,
) -> Iterator[Finding]:
    for part in RECIPE_PARTS:
        if getattr(priority.recipe, part):
            continue
        yield loaded.finding(
            RULE.id,
            f"the recipe of '{priority.id}' has no {part}",
            loaded.written_or_id(path, "recipe"),
            key=True,
            expected="if TRIGGER for AUDIENCE in CONTEXT, then CONTENT, measured by MEASURE",
            hint=f"write the recipe's {part}",
            subject=part,
            record=priority.id,
        )
