"""PB321 audit-market: the audit says nothing of the permission customers give the brand."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.audit import AssetKind
from prepbook.rules import Rule, Severity

MARKET: AssetKind = "market"  # market position, which PB320 leaves to this rule

RULE = Rule(
    "PB321",
    "audit-market",
    Severity.INFO,
    "The audit does not cover market position.",
)

DOC = RuleDoc(
    rationale=(
        "Customers give some brands more permission to know them than others. The market position "
        "decides how much personalization feels helpful rather than intrusive."
    ),
    fix="Add an asset of kind market, such as the permission customers give the brand.",
    failing="""
        audit:
          - id: brand
            title: Brand permission
            kind: technology
            readiness: ready
    """,
    passing="""
        audit:
          - id: brand
            title: Brand permission
            kind: market
            readiness: ready
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    if not loaded.model.audit:
        return  # PB301 already says the audit is empty
    if MARKET not in {a.kind for a in loaded.model.audit}:
        yield loaded.finding(
            RULE.id,
            "the audit says nothing of market position",
            ("audit",),
            key=True,
            hint="add an asset of kind market: the permission customers give the brand",
        )
