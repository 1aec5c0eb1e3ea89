"""PB340 clicks-only: a committed priority is measured by nothing that shows customers are
better off: no metric of retention, trust or satisfaction, and no guardrail."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.checks.rules.own_targets import own_targets
from prepbook.config import Settings
from prepbook.findings import Fact, Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Metric, Priority
from prepbook.model.metrics import MetricCategory
from prepbook.rules import Rule, Severity

BEYOND_CLICKS: tuple[MetricCategory, ...] = ("retention", "trust", "satisfaction")

RULE = Rule(
    "PB340",
    "clicks-only",
    Severity.WARNING,
    (
        "A committed priority is measured by no metric beyond clicks: retention, trust, "
        "satisfaction or a guardrail."
    ),
)

DOC = RuleDoc(
    rationale=(
        "Clicks are easy to move and easy to fool: a feature can raise them while customers trust "
        "the company less. Each committed priority needs a measure of whether customers are better "
        "off (retention, trust, satisfaction) or a guardrail that must not get worse."
    ),
    fix="Add a retention, trust or satisfaction metric, or a guardrail, to measured_by.",
    failing="""
        metrics:
          - id: churn
            category: engagement
    """,
    passing="""
        metrics:
          - id: churn
            category: engagement
            guardrail: true
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
    metrics = [n.record for _, n in own_targets(playbook, loaded, priority.measured_by, "metric")]
    if not any(
        isinstance(m, Metric) and (m.category in BEYOND_CLICKS or m.guardrail) for m in metrics
    ):
        yield loaded.finding(
            RULE.id,
            f"'{priority.id}' is measured by no metric of retention, trust or satisfaction, "
            "and by no guardrail",
            (*path, "measured_by") if priority.measured_by else (*path, "id"),
            key=bool(priority.measured_by),
            hint="clicks are easy to move and to fool: add a metric that shows customers "
            "are better off, or a guardrail that must not get worse",
            facts=(Fact("lacks-own", (loaded.id, priority.id, "measured_by")),),
            record=priority.id,
        )
