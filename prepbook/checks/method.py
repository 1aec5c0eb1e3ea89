"""The method's rules (PB3xx): what a well-run prepersonalization workshop has.

Each check says which record a finding is about, so that record can silence it; the
severities and thresholds come from the playbook's settings, applied in policy.py.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from prepbook.checks.references import resolve, split_ref
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Asset, Metric, Priority, Step, Workshop
from prepbook.model.kinds import iter_records
from prepbook.model.team import EXPECTED_FUNCTIONS

CORE_ASSET_KINDS = ("data", "talent", "technology")
BEYOND_CLICKS = ("retention", "trust", "satisfaction")
RECIPE_PARTS = ("trigger", "audience", "context", "content", "measure")


def today() -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH when set, so a rebuild gives the same site."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def check_method(playbook: Playbook, settings: Settings) -> None:
    day = today()
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # a file with schema errors is judged once it is whole
        for check in (_team, _audit, _priorities, _persofails, _focus):
            playbook.findings.extend(check(playbook, loaded, settings))
        playbook.findings.extend(_reviews(loaded, day))


def _team(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    model = loaded.model
    if not model.team:
        return  # PB301 already says the team is empty
    covered = {m.function for m in model.team}
    missing = [f for f in EXPECTED_FUNCTIONS if f not in covered]
    if missing:
        yield loaded.finding(
            "PB310",
            f"the team has no one from {', '.join(missing)}",
            ("team",),
            key=True,
            expected="someone from each of " + ", ".join(EXPECTED_FUNCTIONS),
            hint="invite them, or silence the rule on the workshop with the reason",
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
    missing = [k for k in CORE_ASSET_KINDS if k not in kinds]
    if missing:
        yield loaded.finding(
            "PB320",
            f"the audit covers no {' and no '.join(missing)} asset",
            ("audit",),
            key=True,
            expected="assets of kind data, talent and technology",
            hint="audit what the company has of each, even if it is missing",
        )
    if "market" not in kinds:
        yield loaded.finding(
            "PB321",
            "the audit says nothing of market position",
            ("audit",),
            key=True,
            hint="add an asset of kind market: the permission customers give the brand",
        )


def _asset(playbook: Playbook, home: str, ref: str) -> Asset | None:
    located = resolve(playbook, home, ref)
    return located.record if located and isinstance(located.record, Asset) else None


def _precedes(model: Workshop, first: Step, then: Step) -> bool:
    """Whether ``first`` comes before ``then``: by a chain of dependencies, by dates, or by
    the order of their phases."""
    steps = {s.id: s for s in model.roadmap.steps}
    seen, stack = set(), list(then.depends_on)
    while stack:
        current = stack.pop()
        if current == first.id:
            return True
        if current in seen or current not in steps:
            continue
        seen.add(current)
        stack.extend(steps[current].depends_on)
    finish, start = first.end or first.start, then.start
    if finish and start:
        return finish <= start
    order = {p.id: i for i, p in enumerate(model.roadmap.phases)}
    if first.phase in order and then.phase in order:
        return order[first.phase] < order[then.phase]
    return False


def _priorities(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings
) -> Iterator[Finding]:
    model = loaded.model
    threatened = {split_ref(t, loaded.id)[1] for p in model.persofails for t in p.threatens}
    for i, priority in enumerate(model.priorities):
        if priority.status != "committed":
            continue
        path = ("priorities", i)
        yield from _priority_findings(playbook, loaded, priority, path, threatened)


def _priority_findings(
    playbook: Playbook,
    loaded: LoadedWorkshop,
    priority: Priority,
    path: tuple[str | int, ...],
    threatened: set[str],
) -> Iterator[Finding]:
    model, pid = loaded.model, priority.id
    about = {"record": pid}
    if not priority.requires:
        yield loaded.finding(
            "PB330",
            f"the committed priority '{pid}' requires no audited asset",
            (*path, "id"),
            hint="list under requires the assets it cannot ship without",
            **about,
        )
    deliverers = [s for s in model.roadmap.steps if pid in s.delivers]
    for j, ref in enumerate(priority.requires):
        asset = _asset(playbook, loaded.id, ref)
        if asset is None or asset.readiness == "ready":
            continue
        closers = [s for s in model.roadmap.steps if ref in s.closes_gap]
        in_time = [c for c in closers if all(_precedes(model, c, d) for d in deliverers)]
        if not in_time:
            what = (
                "no roadmap step closes its gap"
                if not closers
                else "the steps that close its gap do not come before the steps that deliver it"
            )
            yield loaded.finding(
                "PB331",
                f"'{pid}' needs '{ref}', which is {asset.readiness}, and {what}",
                (*path, "requires", j),
                hint=f"add a step with closes_gap: [{ref}] that the delivering step "
                "depends on, or that ends before it starts",
                **about,
            )
    metrics = [
        located.record
        for ref in priority.measured_by
        if (located := resolve(playbook, loaded.id, ref)) is not None
        and isinstance(located.record, Metric)
    ]
    if not any(m.category in BEYOND_CLICKS or m.guardrail for m in metrics):
        yield loaded.finding(
            "PB340",
            f"'{pid}' is measured by no metric of retention, trust or satisfaction, "
            "and by no guardrail",
            (*path, "measured_by") if priority.measured_by else (*path, "id"),
            key=bool(priority.measured_by),
            hint="clicks are easy to move and to fool: add a metric that shows customers "
            "are better off, or a guardrail that must not get worse",
            **about,
        )
    if pid not in threatened:
        yield loaded.finding(
            "PB341",
            f"no persofail threatens the committed priority '{pid}'",
            (*path, "id"),
            hint="run the pre-mortem: how could this feature embarrass us? Add a persofail "
            f"with threatens: [{pid}]",
            **about,
        )
    if not deliverers:
        yield loaded.finding(
            "PB351",
            f"no roadmap step delivers the committed priority '{pid}'",
            (*path, "id"),
            hint=f"add a roadmap step with delivers: [{pid}]",
            **about,
        )
    missing = [part for part in RECIPE_PARTS if not getattr(priority.recipe, part)]
    if missing:
        yield loaded.finding(
            "PB352",
            f"the recipe of '{pid}' has no {', no '.join(missing)}",
            (*path, "recipe") if loaded.source.has((*path, "recipe")) else (*path, "id"),
            key=True,
            expected="if TRIGGER for AUDIENCE in CONTEXT, then CONTENT, measured by MEASURE",
            hint="write the missing parts of the recipe",
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
        for located in iter_records(model)
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
