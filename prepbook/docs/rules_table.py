"""The method's rules as a Markdown table, read off the rules' modules, for README.md.

The README holds it between ``<!-- prepbook: rules table -->`` and
``<!-- /prepbook: rules table -->``; ``prepbook refresh`` rewrites it, so the list a reader
sees is the list of rules the validator runs, each linked to its page when the project
keeps the rule pages in its docs.
"""

from __future__ import annotations

from collections.abc import Callable

from prepbook.checks.rules import DEFINED
from prepbook.docs.markers import Region
from prepbook.rules import Rule

REGION = Region("rules table")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _covers(rule: Rule) -> str:
    """What a silence of the rule lists under ``covers``: the things the rule reports apart,
    nothing for a rule that finds one thing on a record."""
    if not rule.silenceable:
        return "cannot be silenced"
    return f"{rule.subject}s" if rule.subject is not None else ""


def rules_table(page_of: Callable[[str], str | None] = lambda rule_id: None) -> str:
    """Every method rule: its id, its name (a link to ``page_of(id)`` when there is one),
    its default severity, what it finds, and what a silence of it lists under ``covers``."""
    lines = [
        "| rule | name | default | what it finds | a silence's `covers` lists |",
        "| --- | --- | --- | --- | --- |",
    ]
    for method in DEFINED.values():
        rule = method.rule
        page = page_of(rule.id)
        name = f"[{rule.name}]({page})" if page is not None else rule.name
        lines.append(
            f"| `{rule.id}` | {name} | {rule.severity} | {_cell(rule.summary)} | "
            f"{_cell(_covers(rule))} |"
        )
    return "\n".join(lines) + "\n"
