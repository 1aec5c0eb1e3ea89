"""PB381 gap-closed-asset-not-ready: every roadmap step that closes an asset's gap is done, yet
the asset is still written as partial or missing.

The check itself lives with the other delivery rules in :mod:`prepbook.checks.delivery`,
which reads the same facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.delivery import gap_closed_asset_not_ready
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB381",
    "gap-closed-asset-not-ready",
    Severity.WARNING,
    (
        "Every roadmap step that closes an asset's gap is done, yet the asset is still "
        "written as partial or missing."
    ),
)

DOC = RuleDoc(
    rationale=(
        "An open gap (an asset that is partial or missing) is what blocks a priority, and "
        "a roadmap step with closes_gap is the plan to close it. Once every step that "
        "closes the gap is done, the asset is in place, and the delivery status counts it "
        "so; but the audit still calls it partial or missing, and a reader of the audit "
        "register sees a gap that is no longer there. One of the two is wrong: the "
        "readiness, or the step's status."
    ),
    fix=(
        "Write readiness: ready on the asset, and say in its evidence what the steps "
        "changed. If the gap is not closed after all, set the step back to in-progress."
    ),
    failing="""
        audit:
          - id: crm
            readiness: partial
        roadmap:
          steps:
            - id: clean-crm
              title: Clean the CRM data
              closes_gap: [crm]
              status: done
            - id: build
              title: Build it
              depends_on: [clean-crm]
              delivers: [offers]
    """,
    passing="""
        audit:
          - id: crm
            readiness: ready
        roadmap:
          steps:
            - id: clean-crm
              title: Clean the CRM data
              closes_gap: [crm]
              status: done
            - id: build
              title: Build it
              depends_on: [clean-crm]
              delivers: [offers]
    """,
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    yield from gap_closed_asset_not_ready(playbook, loaded, settings, today())
