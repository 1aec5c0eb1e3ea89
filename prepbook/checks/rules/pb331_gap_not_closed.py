"""PB331 gap-not-closed: a committed priority needs an asset that is not ready, and no step
closes the gap before the steps that deliver the priority.

"Before" is read from the roadmap as a planner reads it: a chain of dependencies, else the
dates, else the order of the phases of one workshop. Each asset is a finding of its own,
its subject a reference, so a silence covers `crm` and `home/crm` alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachCommittedPriority, RuleDoc
from prepbook.checks.rules.own_targets import own_targets
from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.graph import Node, RecordKey
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Asset, Priority, Step
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB331",
    "gap-not-closed",
    Severity.WARNING,
    (
        "A committed priority needs a missing or partial asset, and no roadmap step closes that "
        "gap before the priority is delivered."
    ),
    subject="asset",
    subject_refers=True,
)

DOC = RuleDoc(
    rationale=(
        "A priority that needs a missing or partial asset cannot ship until the gap is closed. The "
        "roadmap has to say so: a step that closes the gap, before the step that delivers the "
        "priority."
    ),
    fix=(
        "Add a step with closes_gap naming the asset, and make the delivering step depend on it "
        "(or date it to end before the delivering step starts)."
    ),
    covers="crm",
    failing="""
        audit:
          - id: crm
            readiness: partial
    """,
    passing="""
        audit:
          - id: crm
            readiness: partial
        roadmap:
          steps:
            - id: clean-crm
              title: Clean the CRM data
              phase: now
              closes_gap: [crm]
            - id: build
              depends_on: [clean-crm]
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
    graph, pid = playbook.graph, priority.id
    deliverers = graph.referrers((loaded.id, pid), "delivers")
    for index, node in own_targets(playbook, loaded, priority.requires, "asset"):
        asset = node.record
        assert isinstance(asset, Asset)
        if asset.readiness == "ready":
            continue
        ref = priority.requires[index]
        closers = graph.referrers(node.key, "closes_gap")
        in_time = [c for c in closers if all(_precedes(playbook, c, d) for d in deliverers)]
        if not in_time:
            what = (
                "no roadmap step closes its gap"
                if not closers
                else "the steps that close its gap do not come before the steps that deliver it"
            )
            yield loaded.finding(
                RULE.id,
                f"'{pid}' needs '{ref}', which is {asset.readiness}, and {what}",
                (*path, "requires", index),
                hint=f"add a step with closes_gap: [{ref}] that the delivering step "
                "depends on, or that ends before it starts",
                subject=ref,
                record=pid,
            )


def _precedes(playbook: Playbook, first: Node, then: Node) -> bool:
    """Whether step ``first`` comes before step ``then``: by a chain of dependencies, by
    dates, or by the order of their phases in one workshop."""
    graph = playbook.graph
    seen: set[RecordKey] = set()
    stack = [n.key for n in graph.targets(then.key, "depends_on")]
    while stack:
        current = stack.pop()
        if current == first.key:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(n.key for n in graph.targets(current, "depends_on"))
    a, b = first.record, then.record
    assert isinstance(a, Step) and isinstance(b, Step)
    finish, start = a.end or a.start, b.start
    if finish and start:
        return finish <= start
    if first.workshop != then.workshop:
        return False
    phases = playbook.workshops[first.workshop].model.roadmap.phases
    order = {p.id: i for i, p in enumerate(phases)}
    if a.phase in order and b.phase in order:
        return order[a.phase] < order[b.phase]
    return False
