"""The method's rules (PB3xx): what a well-run prepersonalization workshop has.

Each check says which record a finding is about, so that record can silence it, and for a
rule that can find several things on one record (a rule with a ``subject`` in the registry)
one finding a thing, with that subject, so a silence covers only what its reason is about.
The severities and thresholds come from the playbook's settings, applied in policy.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import get_args

from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Fact, Finding, YamlPath
from prepbook.graph import Node, RecordKey
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Asset, Metric, Priority, Step
from prepbook.model.audit import AssetKind
from prepbook.model.metrics import MetricCategory
from prepbook.model.team import EXPECTED_FUNCTIONS

MARKET: AssetKind = "market"  # market position: asked for on its own (PB321)
# The kinds every audit must cover (PB320): all the format knows but market position.
CORE_ASSET_KINDS: tuple[AssetKind, ...] = tuple(k for k in get_args(AssetKind) if k != MARKET)
BEYOND_CLICKS: tuple[MetricCategory, ...] = ("retention", "trust", "satisfaction")
RECIPE_PARTS = ("trigger", "audience", "context", "content", "measure")


def check_method(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    day = today()
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # a file with schema errors is judged once it is whole
        for check in (_team, _audit, _priorities, _persofails, _focus):
            yield from check(playbook, loaded, settings)
        yield from _reviews(loaded, day)


def _team(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    if not model.team:
        return  # PB301 already says the team is empty
    covered = {m.function for m in model.team}
    for function in EXPECTED_FUNCTIONS:
        if function in covered:
            continue
        yield loaded.finding(
            "PB310",
            f"the team has no one from {function}",
            ("team",),
            key=True,
            expected="someone from each of " + ", ".join(EXPECTED_FUNCTIONS),
            hint="invite someone, or silence the rule on the workshop with the reason, "
            f"naming what it covers: covers: [{function}]",
            subject=function,
        )
    if model.facilitator and model.facilitator == model.decider:
        yield loaded.finding(
            "PB311",
            f"'{model.facilitator}' is both the facilitator and the decider",
            ("decider",),
            hint="the facilitator keeps the session honest and should not "
            "also make the final call: name another decider",
        )


def _audit(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    if not model.audit:
        return
    kinds = {a.kind for a in model.audit}
    for kind in CORE_ASSET_KINDS:
        if kind in kinds:
            continue
        yield loaded.finding(
            "PB320",
            f"the audit covers no {kind} asset",
            ("audit",),
            key=True,
            expected="assets of kind "
            + " and ".join((", ".join(CORE_ASSET_KINDS[:-1]), CORE_ASSET_KINDS[-1])),
            hint="audit what the company has of each, even if it is missing",
            subject=kind,
        )
    if MARKET not in kinds:
        yield loaded.finding(
            "PB321",
            "the audit says nothing of market position",
            ("audit",),
            key=True,
            hint="add an asset of kind market: the permission customers give the brand",
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


def _own_targets(
    playbook: Playbook, loaded: LoadedWorkshop, values: list[str], kind: str
) -> list[tuple[int, Node]]:
    """The records a record names in one of its own fields (the index written, and the
    record), read from what it wrote: the graph's edges are keyed by the record's id, which
    name another record when the id is used twice (PB201), and a check must judge the
    record in hand, not the one that holds its id first."""
    found = []
    for index, value in enumerate(values):
        node = playbook.graph.resolve(loaded.id, value)
        if node is not None and node.kind == kind:
            found.append((index, node))
    return found


def _priorities(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings
) -> Iterator[Finding]:
    for i, priority in enumerate(loaded.model.priorities):
        if priority.status != "committed":
            continue
        yield from _priority_findings(playbook, loaded, priority, ("priorities", i))


def _priority_findings(
    playbook: Playbook,
    loaded: LoadedWorkshop,
    priority: Priority,
    path: YamlPath,
) -> Iterator[Finding]:
    graph, pid = playbook.graph, priority.id
    key = (loaded.id, pid)
    about = {"record": pid}
    if not priority.requires:
        yield loaded.finding(
            "PB330",
            f"the committed priority '{pid}' requires no audited asset",
            (*path, "id"),
            hint="list under requires the assets it cannot ship without",
            **about,
        )
    deliverers = graph.referrers(key, "delivers")
    for index, node in _own_targets(playbook, loaded, priority.requires, "asset"):
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
                "PB331",
                f"'{pid}' needs '{ref}', which is {asset.readiness}, and {what}",
                (*path, "requires", index),
                hint=f"add a step with closes_gap: [{ref}] that the delivering step "
                "depends on, or that ends before it starts",
                subject=ref,
                **about,
            )
    metrics = [n.record for _, n in _own_targets(playbook, loaded, priority.measured_by, "metric")]
    if not any(
        isinstance(m, Metric) and (m.category in BEYOND_CLICKS or m.guardrail) for m in metrics
    ):
        yield loaded.finding(
            "PB340",
            f"'{pid}' is measured by no metric of retention, trust or satisfaction, "
            "and by no guardrail",
            (*path, "measured_by") if priority.measured_by else (*path, "id"),
            key=bool(priority.measured_by),
            hint="clicks are easy to move and to fool: add a metric that shows customers "
            "are better off, or a guardrail that must not get worse",
            facts=(Fact("lacks-own", (loaded.id, pid, "measured_by")),),
            **about,
        )
    if not graph.referrers(key, "threatens"):
        yield loaded.finding(
            "PB341",
            f"no persofail threatens the committed priority '{pid}'",
            (*path, "id"),
            hint="run the pre-mortem: how could this feature embarrass us? Add a persofail "
            f"with threatens: [{pid}]",
            facts=(Fact("lacks-link", ("threatens", loaded.id, pid)),),
            **about,
        )
    if not deliverers:
        yield loaded.finding(
            "PB351",
            f"no roadmap step delivers the committed priority '{pid}'",
            (*path, "id"),
            hint=f"add a roadmap step with delivers: [{pid}]",
            facts=(Fact("lacks-link", ("delivers", loaded.id, pid)),),
            **about,
        )
    for part in RECIPE_PARTS:
        if getattr(priority.recipe, part):
            continue
        yield loaded.finding(
            "PB352",
            f"the recipe of '{pid}' has no {part}",
            (*path, "recipe") if loaded.source.has((*path, "recipe")) else (*path, "id"),
            key=True,
            expected="if TRIGGER for AUDIENCE in CONTEXT, then CONTENT, measured by MEASURE",
            hint=f"write the recipe's {part}",
            subject=part,
            **about,
        )


def _persofails(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings
) -> Iterator[Finding]:
    for i, persofail in enumerate(loaded.model.persofails):
        score = persofail.inherent.score
        if score < settings.high_risk_score:
            continue
        if not any(m.owner for m in persofail.mitigations):
            what = "no mitigation" if not persofail.mitigations else "no mitigation with an owner"
            yield loaded.finding(
                "PB342",
                f"the persofail '{persofail.id}' has an inherent risk of {score} "
                f"(threshold {settings.high_risk_score}) and {what}",
                ("persofails", i, "inherent"),
                key=True,
                hint="add a mitigation and name its owner from the team",
                record=persofail.id,
            )


def _focus(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    committed = [(i, p) for i, p in enumerate(loaded.model.priorities) if p.status == "committed"]
    limit = settings.max_committed_priorities
    if len(committed) > limit:
        index = committed[limit][0]
        yield loaded.finding(
            "PB350",
            f"{len(committed)} priorities are committed; the limit is {limit}",
            ("priorities", index, "status"),
            expected=f"at most {limit} committed priorities",
            hint="resources spread thin fail: park the ones that can wait",
        )


def _reviews(loaded: LoadedWorkshop, day: dt.date) -> Iterator[Finding]:
    model = loaded.model
    dated = [((), model.id, model.review_by)] + [
        (located.path, located.record.id, getattr(located.record, "review_by", None))
        for located in loaded.located
    ]
    for path, record_id, review_by in dated:
        if review_by is not None and review_by < day:
            yield loaded.finding(
                "PB360",
                f"'{record_id}' was due for review on {review_by}",
                (*path, "review_by"),
                expected=f"a review date after {day}",
                hint="review the record, then move review_by to the next date",
                record=None if not path else record_id,
            )
