"""PB320 audit-coverage: the audit skips one of the kinds of asset a priority depends on.

The kinds asked for are every kind the format knows but market position, which PB321 asks
for on its own, at a lower severity; each missing kind is a finding of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import get_args

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.checks.rules.pb321_audit_market import MARKET
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.audit import AssetKind
from prepbook.rules import Rule, Severity

# The kinds every audit must cover: all the format knows but market position.
CORE_ASSET_KINDS: tuple[AssetKind, ...] = tuple(k for k in get_args(AssetKind) if k != MARKET)

RULE = Rule(
    "PB320",
    "audit-coverage",
    Severity.WARNING,
    "The audit does not cover data, talent and technology.",
    subject="asset kind",
)

DOC = RuleDoc(
    rationale=(
        "Whether a personalization can ship depends on the data it needs, the people who build and "
        "run it, and the technology it runs on. An audit that skips one of them hides the gap that "
        "will stall the roadmap."
    ),
    fix="Add at least one asset of kind data, one of kind talent and one of kind technology.",
    covers="talent",
    failing="""
        audit:
          - id: analysts
            title: Analysts
            kind: data
            readiness: ready
    """,
    passing="""
        audit:
          - id: analysts
            title: Analysts
            kind: talent
            readiness: ready
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    if not loaded.model.audit:
        return  # PB301 already says the audit is empty
    kinds = {a.kind for a in loaded.model.audit}
    for kind in CORE_ASSET_KINDS:
        if kind in kinds:
            continue
        yield loaded.finding(
            RULE.id,
            f"the audit covers no {kind} asset",
            ("audit",),
            key=True,
            expected="assets of kind "
            + " and ".join((", ".join(CORE_ASSET_KINDS[:-1]), CORE_ASSET_KINDS[-1])),
            hint="audit what the company has of each, even if it is missing",
            subject=kind,
        )
