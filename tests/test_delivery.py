"""Delivery: each committed priority's status as of a day, each step's lateness, an asset's
state once the steps that close its gap are done, a metric's progress from its readings,
and the rules that keep those facts current (PB380 to PB384).

Every playbook here is a small workshop file in tmp_path, loaded through the normal loader
(the minimal workshop with an excerpt laid over it); the day is passed in, or for the rules
the pinned build date (2027-01-01), set explicitly where a test moves it.
"""

from __future__ import annotations

import ast
import calendar
import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from prepbook import delivery as delivery_module
from prepbook import observed as observed_module
from prepbook import outcomes as outcomes_module
from prepbook.build import check
from prepbook.config import OptionError, Project, Settings
from prepbook.delivery import (
    LEAD_DAYS,
    Delivery,
    asset_state,
    deliveries,
    step_timing,
    step_timings,
)
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook, load_files
from prepbook.model import Metric
from prepbook.model.units import unit_bounds
from prepbook.outcomes import latest_reading, progress, progress_of
from tests.conftest import EXAMPLES, PINNED_DATE, minimal
from tests.test_method_rules import merge

DAY = PINNED_DATE  # 2027-01-01: "today" in every test of this file
YESTERDAY = DAY - dt.timedelta(days=1)


def workshop(excerpt: str = "", workshop_id: str = "mini") -> str:
    """The minimal workshop with ``excerpt`` laid over it (see tests/test_method_rules)."""
    base = yaml.safe_load(minimal(workshop_id))
    data = merge(base, yaml.safe_load(excerpt)) if excerpt.strip() else base
    return yaml.safe_dump(data, sort_keys=False)


def load(playbook, excerpt: str = "", **others: str) -> Playbook:
    files = {"mini.yaml": workshop(excerpt), **{f"{k}.yaml": v for k, v in others.items()}}
    checked = check(Project(Settings(), playbook(files)))
    assert checked.report.ok, [f.message for f in checked.report.findings]
    return checked.playbook


def status(playbook, excerpt: str = "", day: dt.date = DAY, **others: str) -> Delivery:
    """The delivery of the one committed priority of ``mini``, ``offers``."""
    [found] = [
        d
        for d in deliveries(load(playbook, excerpt, **others), day)
        if d.priority.workshop == "mini"
    ]
    assert found.priority.record.id == "offers"
    return found


def texts(found: Delivery) -> list[str]:
    return [r.text() for r in found.reasons]


def build_step(**fields: object) -> str:
    """An excerpt that gives the minimal workshop's delivering step these fields."""
    lines = "".join(f"      {k}: {v}\n" for k, v in fields.items())
    return f"roadmap:\n  steps:\n    - id: build\n      title: Build it\n{lines}"


def findings(
    playbook, text: str, settings: Settings | None = None, rule: str = ""
) -> list[Finding]:
    root = playbook({"mini.yaml": text})
    report = check(Project(settings or Settings(), root)).report
    return [f for f in report.findings if not rule or f.rule == rule]


# --- each step as of a day --------------------------------------------------------------


class TestStepTiming:
    """Overdue is "the end has passed and it is not done": the end day itself is not."""

    def _timing(self, playbook, day: dt.date = DAY, **fields: object):
        loaded = load(playbook, build_step(**fields))
        return step_timing(loaded, loaded.graph.node(("mini", "build")), day)

    def test_a_step_that_ended_yesterday_is_overdue(self, playbook) -> None:
        timing = self._timing(
            playbook, start="2026-12-01", end=str(YESTERDAY), status="in-progress"
        )
        assert (timing.start, timing.end, timing.overdue) == (dt.date(2026, 12, 1), YESTERDAY, True)

    def test_a_step_that_ends_today_is_not(self, playbook) -> None:
        timing = self._timing(playbook, start="2026-12-01", end=str(DAY), status="in-progress")
        assert timing.overdue is False

    def test_a_done_or_undated_step_is_never_overdue(self, playbook) -> None:
        assert self._timing(playbook, end="2026-06-30", status="done").overdue is False
        undated = self._timing(playbook)  # neither it nor its phase has dates
        assert (undated.end, undated.overdue) == (None, False)

    def test_the_end_may_come_from_the_phase(self, playbook) -> None:
        excerpt = (
            "roadmap:\n  phases:\n    - id: now\n      title: Now\n      start: 2026-10-01\n"
            "      end: 2026-12-31\n"
        )
        loaded = load(playbook, excerpt)
        timing = step_timing(loaded, loaded.graph.node(("mini", "build")), DAY)
        assert (timing.end, timing.overdue) == (dt.date(2026, 12, 31), True)
        assert step_timing(loaded, timing.node, dt.date(2026, 12, 31)).overdue is False

    def test_a_missed_start_is_a_planned_step_whose_start_has_passed(self, playbook) -> None:
        planned = self._timing(playbook, start=str(YESTERDAY), end="2027-02-01")
        assert planned.start_missed is True
        assert self._timing(playbook, start=str(DAY), end="2027-02-01").start_missed is False
        started = self._timing(
            playbook, start=str(YESTERDAY), end="2027-02-01", status="in-progress"
        )
        assert started.start_missed is False

    def test_every_step_in_file_order(self, playbook) -> None:
        excerpt = build_step(end=str(YESTERDAY), status="in-progress") + (
            "    - id: later\n      title: Later\n      start: 2027-03-01\n"
        )
        timings = step_timings(load(playbook, excerpt), DAY)
        assert [(t.node.record.id, t.overdue) for t in timings] == [
            ("build", True),
            ("later", False),
        ]


# --- an asset once the steps that close its gap are done ----------------------------------


class TestAssetState:
    GAP = "audit:\n  - id: crm\n    readiness: partial\n"

    def _state(self, playbook, steps: str):
        loaded = load(playbook, self.GAP + "roadmap:\n  steps:\n" + steps)
        return asset_state(loaded.graph, loaded.graph.node(("mini", "crm")))

    def test_the_step_that_closes_it_is_done(self, playbook) -> None:
        state = self._state(
            playbook,
            "    - id: fix\n      title: Fix\n      closes_gap: [crm]\n      status: done\n",
        )
        assert state.asset.readiness == "partial"  # as the file still says
        assert (state.closed, state.in_place, state.readiness, state.lagging) == (
            True,
            True,
            "ready",
            True,
        )

    def test_one_of_two_closing_steps_is_not_done(self, playbook) -> None:
        state = self._state(
            playbook,
            "    - id: fix\n      title: Fix\n      closes_gap: [crm]\n      status: done\n"
            "    - id: more\n      title: More\n      closes_gap: [crm]\n",
        )
        assert (state.closed, state.in_place, state.readiness, state.lagging) == (
            False,
            False,
            "partial",
            False,
        )
        assert [n.record.id for n in state.open_closers] == ["more"]

    def test_no_step_closes_it(self, playbook) -> None:
        state = self._state(playbook, "    - id: other\n      title: Other\n")
        assert (state.closers, state.in_place, state.readiness) == ((), False, "partial")

    def test_a_closed_gap_no_longer_counts_against_the_priority(self, playbook) -> None:
        excerpt = (
            self.GAP
            + build_step(start="2027-01-05", end="2027-02-01", depends_on="[fix]")
            + "    - id: fix\n      title: Fix\n      end: 2026-12-20\n      closes_gap: [crm]\n"
            "      status: done\n"
        )
        found = status(playbook, excerpt)
        assert found.gaps == () and found.status == "on-track"


# --- the status of a committed priority, each with its reason --------------------------


FIX = "    - id: fix\n      title: Fix the CRM\n      closes_gap: [crm]\n"
PREP = "    - id: prep\n      title: Prepare\n"


class TestShippedAndLate:
    def test_shipped_when_every_delivering_step_is_done(self, playbook) -> None:
        found = status(playbook, build_step(end="2026-11-30", status="done"))
        assert found.status == "shipped" and found.ship_date == dt.date(2026, 11, 30)
        assert texts(found) == ["shipped: every step that delivers it is done"]

    def test_not_shipped_while_one_of_two_is_not_done(self, playbook) -> None:
        excerpt = build_step(end="2026-11-30", status="done") + (
            "    - id: rollout\n      title: Roll it out\n      start: 2027-02-01\n"
            "      end: 2027-03-01\n      delivers: [offers]\n"
        )
        found = status(playbook, excerpt)
        assert found.status == "on-track" and found.ship_date == dt.date(2027, 3, 1)

    def test_late_when_a_delivering_step_ended_yesterday(self, playbook) -> None:
        found = status(
            playbook, build_step(start="2026-12-01", end=str(YESTERDAY), status="in-progress")
        )
        assert found.status == "late"
        assert texts(found) == ["late: step 'Build it' ended 2026-12-31 and is not done"]

    def test_not_late_on_its_last_day(self, playbook) -> None:
        found = status(playbook, build_step(start="2026-12-01", end=str(DAY), status="in-progress"))
        assert found.status == "on-track"
        assert texts(found) == ["on track: ships 2027-01-01, when step 'Build it' ends"]

    def test_late_outranks_blocked_and_the_most_overdue_comes_first(self, playbook) -> None:
        excerpt = build_step(end="2026-12-20", status="blocked") + (
            "    - id: second\n      title: Second part\n      end: 2026-11-30\n"
            "      delivers: [offers]\n"
        )
        found = status(playbook, excerpt)
        assert found.status == "late"
        assert texts(found) == [
            "late: step 'Second part' ended 2026-11-30 and is not done",
            "late: step 'Build it' ended 2026-12-20 and is not done",
        ]
        assert found.reason.records[0].record.id == "second"

    def test_a_page_names_the_records_its_own_way(self, playbook) -> None:
        found = status(playbook, build_step(end=str(YESTERDAY)))
        assert found.text(lambda n: f"*{n.record.display_name}*") == (
            "late: step *Build it* ended 2026-12-31 and is not done"
        )


class TestBlocked:
    def test_a_delivering_step_marked_blocked(self, playbook) -> None:
        found = status(playbook, build_step(start="2027-01-10", end="2027-02-01", status="blocked"))
        assert texts(found) == ["blocked: step 'Build it' is marked blocked"]

    def test_it_waits_for_an_overdue_step(self, playbook) -> None:
        excerpt = (
            build_step(start="2027-01-10", end="2027-02-01", depends_on="[prep]")
            + PREP
            + "      end: 2026-12-20\n      status: in-progress\n"
        )
        found = status(playbook, excerpt)
        assert found.status == "blocked"
        assert texts(found) == [
            "blocked: it waits for step 'Prepare', which ended 2026-12-20 and is not done"
        ]
        assert [w.node.record.id for w in found.waits_for] == ["prep"]

    def test_through_any_number_of_steps(self, playbook) -> None:
        excerpt = (
            build_step(start="2027-01-10", end="2027-02-01", depends_on="[prep]")
            + PREP
            + "      start: 2027-01-02\n      end: 2027-01-09\n      status: in-progress\n"
            "      depends_on: [first]\n"
            "    - id: first\n      title: First of all\n      end: 2026-12-01\n"
        )
        found = status(playbook, excerpt)
        assert texts(found) == [
            "blocked: it waits for step 'First of all', which ended 2026-12-01 and is not done"
        ]

    def test_a_done_step_ends_the_chain(self, playbook) -> None:
        excerpt = (
            build_step(start="2027-01-10", end="2027-02-01", depends_on="[prep]")
            + PREP
            + "      end: 2027-01-05\n      status: done\n      depends_on: [first]\n"
            "    - id: first\n      title: First of all\n      end: 2026-12-01\n"
        )
        found = status(playbook, excerpt)
        assert found.status == "on-track" and found.waits_for == ()

    def test_it_waits_for_a_step_marked_blocked(self, playbook) -> None:
        excerpt = (
            build_step(start="2027-01-10", end="2027-02-01", depends_on="[prep]")
            + PREP
            + "      start: 2027-01-02\n      end: 2027-01-09\n      status: blocked\n"
        )
        assert texts(status(playbook, excerpt)) == [
            "blocked: it waits for step 'Prepare', which is marked blocked"
        ]

    def test_a_gap_no_step_closes(self, playbook) -> None:
        excerpt = "audit:\n  - id: crm\n    readiness: missing\n" + build_step(
            start="2027-03-01", end="2027-04-01"
        )
        assert texts(status(playbook, excerpt)) == [
            "blocked: it needs 'CRM data', which is missing, and no roadmap step closes the gap"
        ]

    def test_a_gap_whose_closing_step_is_overdue(self, playbook) -> None:
        excerpt = (
            "audit:\n  - id: crm\n    readiness: partial\n"
            + build_step(start="2027-03-01", end="2027-04-01")
            + FIX
            + "      end: 2026-12-15\n      status: in-progress\n"
        )
        found = status(playbook, excerpt)
        assert texts(found) == [
            "blocked: it waits for step 'Fix the CRM', which ended 2026-12-15 and is not done"
        ]
        assert [g.node.record.id for g in found.gaps] == ["crm"]

    def test_a_step_of_another_workshop(self, playbook) -> None:
        other = workshop(
            "roadmap:\n  steps:\n    - id: build\n      title: Their platform\n"
            "      end: 2026-12-10\n      status: in-progress\n",
            "data",
        )
        excerpt = build_step(start="2027-01-10", end="2027-02-01", depends_on="[data/build]")
        assert texts(status(playbook, excerpt, data=other)) == [
            "blocked: it waits for step 'Their platform', which ended 2026-12-10 and is not done"
        ]

    def test_a_dependency_cycle_is_walked_once(self, playbook) -> None:
        excerpt = build_step(start="2027-01-10", end="2027-02-01", depends_on="[prep]") + (
            PREP + "      end: 2026-12-01\n      depends_on: [build]\n"
        )
        root = playbook({"mini.yaml": workshop(excerpt)})
        checked = check(Project(Settings(), root))  # PB205: an error, yet a status
        [found] = deliveries(checked.playbook, DAY)
        assert found.status == "blocked" and [w.node.record.id for w in found.waits_for] == ["prep"]


class TestAtRisk:
    def test_no_step_delivers_it(self, playbook) -> None:
        found = status(playbook, build_step(delivers="[]"))
        assert texts(found) == ["at risk: no roadmap step delivers it"]
        assert (found.steps, found.ship_date) == ((), None)

    def test_a_delivering_step_without_dates(self, playbook) -> None:
        assert texts(status(playbook)) == ["at risk: step 'Build it' has no dates"]

    def test_a_missed_start(self, playbook) -> None:
        found = status(playbook, build_step(start="2026-12-20", end="2027-02-01"))
        assert texts(found) == [
            "at risk: step 'Build it' was to start on 2026-12-20 and is still planned"
        ]
        started = status(
            playbook, build_step(start="2026-12-20", end="2027-02-01", status="in-progress")
        )
        assert started.status == "on-track"

    def test_a_step_it_waits_for_missed_its_start(self, playbook) -> None:
        excerpt = build_step(start="2027-02-01", end="2027-03-01", depends_on="[prep]") + (
            PREP + "      start: 2026-12-28\n      end: 2027-01-29\n"
        )
        assert texts(status(playbook, excerpt)) == [
            "at risk: step 'Prepare' was to start on 2026-12-28 and is still planned"
        ]

    @pytest.mark.parametrize(
        ("start", "words"),
        [
            ("2027-01-01", "today"),
            ("2027-01-02", "tomorrow"),
            ("2027-01-15", f"in {LEAD_DAYS} days"),
        ],
    )
    def test_an_open_gap_when_a_delivering_step_starts_soon(self, playbook, start, words) -> None:
        excerpt = (
            "audit:\n  - id: crm\n    readiness: partial\n"
            + build_step(start=start, end="2027-03-01")
            + FIX
            + "      end: 2027-01-20\n      status: in-progress\n"
        )
        assert texts(status(playbook, excerpt)) == [
            f"at risk: step 'Build it' starts on {start}, {words}, and 'CRM data' is still partial"
        ]

    def test_an_open_gap_a_day_past_the_lead_is_on_track(self, playbook) -> None:
        excerpt = (
            "audit:\n  - id: crm\n    readiness: partial\n"
            + build_step(start="2027-01-16", end="2027-03-01")
            + FIX
            + "      end: 2027-01-12\n      status: in-progress\n"
        )
        assert status(playbook, excerpt).status == "on-track"
        loaded = load(playbook, excerpt)
        [longer] = deliveries(loaded, DAY, lead_days=LEAD_DAYS + 1)
        assert longer.status == "at-risk"

    def test_an_open_gap_once_the_step_has_started(self, playbook) -> None:
        excerpt = (
            "audit:\n  - id: crm\n    readiness: partial\n  - id: cdp\n    readiness: missing\n"
            "priorities:\n  - id: offers\n    requires: [crm, cdp]\n"
            + build_step(start="2026-12-20", end="2027-03-01", status="in-progress")
            + "    - id: fix\n      title: Fix the CRM\n      closes_gap: [crm, cdp]\n"
            "      end: 2027-01-12\n      status: in-progress\n"
        )
        assert texts(status(playbook, excerpt)) == [
            "at risk: step 'Build it' started on 2026-12-20, and 'CRM data' (partial) and "
            "another gap is still open"
        ]


class TestOnTrack:
    def test_nothing_is_behind(self, playbook) -> None:
        found = status(playbook, build_step(start="2027-02-01", end="2027-03-05"))
        assert found.status == "on-track"
        assert texts(found) == ["on track: ships 2027-03-05, when step 'Build it' ends"]

    def test_the_same_playbook_gives_the_same_words(self, playbook) -> None:
        excerpt = (
            build_step(start="2026-12-20", end="2027-02-01") + PREP + "      end: 2026-11-01\n"
        )
        first = texts(status(playbook, excerpt))
        assert first == texts(status(playbook, excerpt))

    def test_only_committed_priorities_in_file_order(self, playbook) -> None:
        other = workshop("priorities:\n  - id: offers\n    status: parked\n", "aaa")
        loaded = load(playbook, "", aaa=other)
        assert [(d.priority.workshop, d.priority.record.id) for d in deliveries(loaded, DAY)] == [
            ("mini", "offers")
        ]


# --- progress from readings ------------------------------------------------------------------


def metric(**fields: object) -> Metric:
    data = {"id": "m", "title": "M", "category": "retention", "direction": "increase", **fields}
    return Metric.model_validate(data)


class TestProgress:
    def test_higher_is_better(self) -> None:
        found = progress(
            metric(baseline=18, target=22, readings=[{"date": "2026-12-01", "value": 20}])
        )
        assert found.fraction == 0.5 and not found.met

    def test_lower_is_better_baseline_above_target(self) -> None:
        down = {"baseline": 6.8, "target": 6, "direction": "decrease"}
        assert progress_of(6.4, 6.8, 6) == pytest.approx(0.5)
        halfway = progress(metric(**down, readings=[{"date": "2026-12-01", "value": 6.4}]))
        assert halfway.fraction == pytest.approx(0.5)
        worse = progress(metric(**down, readings=[{"date": "2026-12-01", "value": 7.2}]))
        assert worse.fraction == pytest.approx(-0.5)  # moved the wrong way: not hidden
        beaten = progress(metric(**down, readings=[{"date": "2026-12-01", "value": 5.6}]))
        assert beaten.fraction == pytest.approx(1.5) and beaten.met

    def test_the_newest_reading_counts_whatever_the_order(self) -> None:
        readings = [
            {"date": "2026-12-01", "value": 21},
            {"date": "2026-10-01", "value": 19},
            {"date": "2026-12-01", "value": 22, "source": "restated"},
        ]
        found = progress(metric(baseline=18, target=22, readings=readings))
        assert found.latest is not None and found.latest.source == "restated"
        assert found.fraction == 1.0 and found.met

    @pytest.mark.parametrize(
        "fields",
        [
            {"baseline": 18, "target": 22},  # no reading
            {"target": 22, "readings": [{"date": "2026-12-01", "value": 20}]},
            {"baseline": 18, "readings": [{"date": "2026-12-01", "value": 20}]},
            {
                "baseline": 1.5,
                "target": 1.5,
                "direction": "hold",
                "readings": [{"date": "2026-12-01", "value": 1.4}],
            },
            {
                "baseline": 0,
                "target": 5e-324,
                "readings": [{"date": "2026-12-01", "value": 10**15}],
            },
        ],
        ids=["no-reading", "no-baseline", "no-target", "hold", "overflow"],
    )
    def test_none_when_it_cannot_be_computed(self, fields: dict[str, object]) -> None:
        assert progress(metric(**fields)).fraction is None

    def test_readings_come_through_the_loader(self, playbook) -> None:
        excerpt = (
            "metrics:\n  - id: churn\n    unit: '%'\n    baseline: 4.2\n    target: 3.8\n"
            "    readings:\n      - date: 2026-11-01\n        value: 4.1\n"
            "      - date: 2026-12-01\n        value: 4.0\n        source: Churn dashboard\n"
        )
        [churn] = load(playbook, excerpt).workshops["mini"].model.metrics
        latest = latest_reading(churn)
        assert latest is not None and (latest.date, latest.value, latest.source) == (
            dt.date(2026, 12, 1),
            4.0,
            "Churn dashboard",
        )
        assert progress(churn).fraction == pytest.approx(0.5)

    def test_a_reading_takes_a_date_a_number_and_text_only(self, playbook) -> None:
        bad = "    readings:\n      - date: 2026-13-01\n        value: 4 %\n        colour: red\n"
        text = minimal().replace("    direction: decrease\n", "    direction: decrease\n" + bad, 1)
        root = playbook({"mini.yaml": text})
        report = check(Project(Settings(), root)).report
        found = {f.yaml_path: f for f in report.findings}
        for path in ("date", "value", "colour"):
            finding = found[f"metrics[0].readings[0].{path}"]
            assert finding.span is not None and finding.rule in {"PB101", "PB103"}
        assert "did you mean 2026-01-13?" in (found["metrics[0].readings[0].date"].hint or "")
        assert "value: 4" in (found["metrics[0].readings[0].value"].hint or "")


class TestUnitBounds:
    @pytest.mark.parametrize(
        ("unit", "low", "high"),
        [
            ("%", 0, 100),
            (" Percent ", 0, 100),
            ("percentage points", -100, 100),
            ("NPS  points", -100, 100),
            ("points out of 5", 0, 5),
            ("out of 10", 0, 10),
            ("stars out of 2.5", 0, 2.5),
        ],
    )
    def test_known_units(self, unit: str, low: float, high: float) -> None:
        bounds = unit_bounds(unit)
        assert bounds is not None and (bounds.low, bounds.high) == (low, high)

    @pytest.mark.parametrize("unit", [None, "cases per month", "EUR", "points", "% of 5"])
    def test_other_units_bound_nothing(self, unit: str | None) -> None:
        assert unit_bounds(unit) is None


# --- the rules -------------------------------------------------------------------------


class TestStepOverdueRule:
    def test_fires_the_day_after_the_end(self, playbook) -> None:
        text = workshop(build_step(start="2026-12-01", end=str(YESTERDAY), status="in-progress"))
        [finding] = findings(playbook, text, rule="PB380")
        assert (
            finding.message == "the step 'build' was to end on 2026-12-31 and is still in-progress"
        )
        assert finding.yaml_path == "roadmap.steps[0].status" and finding.record == "build"
        assert finding.span is not None and "status: in-progress" in (finding.source_line or "")
        assert finding.expected == "status: done, or an end on or after 2027-01-01"

    def test_silent_on_the_last_day_and_once_done(self, playbook) -> None:
        on_the_day = workshop(build_step(start="2026-12-01", end=str(DAY), status="in-progress"))
        done = workshop(build_step(start="2026-12-01", end=str(YESTERDAY), status="done"))
        assert findings(playbook, on_the_day, rule="PB380") == []
        assert findings(playbook, done, rule="PB380") == []

    def test_the_end_of_the_phase(self, playbook) -> None:
        text = workshop(
            "roadmap:\n  phases:\n    - id: now\n      title: Now\n      end: 2026-12-18\n"
        )
        [finding] = findings(playbook, text, rule="PB380")
        assert finding.message == (
            "the step 'build' was to end on 2026-12-18 (its phase's) and is still planned"
        )
        assert finding.yaml_path == "roadmap.steps[0].id"  # no status written to point at

    def test_a_step_with_a_start_and_no_end_lasts_that_day(self, playbook) -> None:
        text = workshop(build_step(start="2026-12-01"))
        [finding] = findings(playbook, text, rule="PB380")
        assert finding.message == (
            "the step 'build' was to end on 2026-12-01 (its start: it has no end) and is still "
            "planned"
        )

    @pytest.mark.parametrize("state", ["draft", "scheduled", "archived"])
    def test_only_a_held_workshop_is_judged(self, playbook, state: str) -> None:
        text = workshop(f"status: {state}\n" + build_step(end=str(YESTERDAY)))
        assert findings(playbook, text, rule="PB380") == []

    def test_follows_the_build_date(self, playbook, monkeypatch) -> None:
        text = workshop(build_step(end="2027-03-31", status="in-progress"))
        assert findings(playbook, text, rule="PB380") == []
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm((2027, 4, 1, 0, 0, 0))))
        assert len(findings(playbook, text, rule="PB380")) == 1

    def test_a_silence_with_its_reason(self, playbook) -> None:
        silenced = build_step(end=str(YESTERDAY)) + (
            "      silence:\n        - rule: PB380\n"
            "          reason: The end date is agreed at the January review.\n"
        )
        root = playbook({"mini.yaml": workshop(silenced)})
        report = check(Project(Settings(), root)).report
        assert [f.rule for f in report.findings] == []
        assert [s.finding.rule for s in report.silenced] == ["PB380"]


class TestGapClosedRule:
    GAP = "audit:\n  - id: crm\n    readiness: partial\n"

    def test_every_closing_step_done_and_the_asset_still_partial(self, playbook) -> None:
        text = workshop(self.GAP + "roadmap:\n  steps:\n" + FIX + "      status: done\n")
        [finding] = findings(playbook, text, rule="PB381")
        assert finding.message == (
            "the asset 'crm' is still partial, but the step that closes its gap is done: 'fix'"
        )
        assert finding.yaml_path == "audit[0].readiness" and finding.record == "crm"

    def test_silent_once_the_asset_is_ready_or_while_a_step_is_open(self, playbook) -> None:
        ready = workshop(
            "audit:\n  - id: crm\n    readiness: ready\n"
            + "roadmap:\n  steps:\n"
            + FIX
            + "      status: done\n"
        )
        open_one = workshop(
            self.GAP
            + "roadmap:\n  steps:\n"
            + FIX
            + "      status: done\n    - id: more\n      title: More\n      closes_gap: [crm]\n"
        )
        assert findings(playbook, ready, rule="PB381") == []
        assert findings(playbook, open_one, rule="PB381") == []

    def test_a_step_of_another_workshop_closes_it(self, playbook) -> None:
        mini = workshop(self.GAP)
        other = workshop(
            "roadmap:\n  steps:\n    - id: fix\n      title: Fix\n      closes_gap: [mini/crm]\n"
            "      status: done\n",
            "data",
        )
        root = playbook({"mini.yaml": mini, "data.yaml": other})
        report = check(Project(Settings(), root)).report
        [finding] = [f for f in report.findings if f.rule == "PB381"]
        assert finding.message.endswith("is done: 'data/fix'") and finding.file.endswith(
            "mini.yaml"
        )


def readings_of(unit: str, *values: tuple[str, float]) -> str:
    lines = "".join(f"      - date: {d}\n        value: {v}\n" for d, v in values)
    return workshop(f"metrics:\n  - id: churn\n    unit: '{unit}'\n    readings:\n{lines}")


class TestReadingOutOfBoundsRule:
    def test_a_percentage_over_100_or_below_0(self, playbook) -> None:
        text = readings_of(
            "%", ("2026-11-01", 100), ("2026-11-15", 0), ("2026-12-01", 104), ("2026-12-15", -1)
        )
        found = findings(playbook, text, rule="PB382")
        assert [(f.subject, f.yaml_path) for f in found] == [
            ("2026-12-01", "metrics[0].readings[2].value"),
            ("2026-12-15", "metrics[0].readings[3].value"),
        ]
        assert found[0].message == (
            "the reading of 'churn' on 2026-12-01 is 104, outside 0 to 100, the bounds of a "
            "percentage (unit '%')"
        )
        assert found[0].expected == "a value from 0 to 100" and found[0].record == "churn"

    @pytest.mark.parametrize(
        ("unit", "inside", "outside"),
        [("points out of 5", 5, 5.5), ("percentage points", -100, -101), ("NPS", 100, 101)],
    )
    def test_other_known_units(self, playbook, unit: str, inside: float, outside: float) -> None:
        assert findings(playbook, readings_of(unit, ("2026-12-01", inside)), rule="PB382") == []
        assert (
            len(findings(playbook, readings_of(unit, ("2026-12-01", outside)), rule="PB382")) == 1
        )

    def test_a_unit_without_known_bounds(self, playbook) -> None:
        text = readings_of("cases per month", ("2026-12-01", -5), ("2026-12-02", 10**12))
        assert findings(playbook, text, rule="PB382") == []

    def test_a_silence_covers_the_reading_it_names(self, playbook) -> None:
        data = yaml.safe_load(readings_of("%", ("2026-12-01", 104), ("2026-12-15", 105)))
        data["metrics"][0]["silence"] = [
            {
                "rule": "PB382",
                "reason": "The vendor reports shares above 100.",
                "covers": ["2026-12-01"],
            }
        ]
        text = yaml.safe_dump(data, sort_keys=False)
        root = playbook({"mini.yaml": text})
        report = check(Project(Settings(), root)).report
        assert [(f.rule, f.subject) for f in report.findings] == [("PB382", "2026-12-15")]
        assert [s.finding.subject for s in report.silenced] == ["2026-12-01"]


class TestStaleReadingRule:
    def test_the_newest_reading_older_than_the_limit(self, playbook) -> None:
        limit = Settings().stale_reading_days
        assert limit == 90
        old = DAY - dt.timedelta(days=limit + 1)
        text = readings_of("%", (str(old - dt.timedelta(days=30)), 4), (str(old), 5))
        [finding] = findings(playbook, text, rule="PB383")
        assert finding.message == (
            "the newest reading of 'churn' is of 2026-10-02, 91 days before the build's date "
            "2027-01-01 (the limit is 90)"
        )
        assert finding.yaml_path == "metrics[0].readings[1].date" and finding.record == "churn"

    def test_silent_at_the_limit_and_with_a_fresh_reading(self, playbook) -> None:
        at_limit = DAY - dt.timedelta(days=90)
        assert findings(playbook, readings_of("%", (str(at_limit), 5)), rule="PB383") == []
        fresh = readings_of("%", ("2026-01-01", 4), ("2026-12-01", 5))
        assert findings(playbook, fresh, rule="PB383") == []

    def test_a_metric_without_readings_is_not_judged(self, playbook) -> None:
        assert findings(playbook, minimal(), rule="PB383") == []

    def test_the_limit_is_the_option(self, playbook) -> None:
        text = readings_of("%", ("2026-12-01", 5))  # 31 days old
        assert findings(playbook, text, Settings(stale_reading_days=31), rule="PB383") == []
        [finding] = findings(playbook, text, Settings(stale_reading_days=30), rule="PB383")
        assert "(the limit is 30)" in finding.message


class TestStaleReadingOption:
    @pytest.mark.parametrize("days", [1, 3650])
    def test_bounds_taken(self, days: int) -> None:
        assert Settings(stale_reading_days=days).stale_reading_days == days

    @pytest.mark.parametrize("value", [0, 3651, -1, True, 30.0, "30"])
    def test_refused(self, value: object) -> None:
        with pytest.raises(ValidationError):
            Settings(stale_reading_days=value)

    def test_said_in_words(self) -> None:
        with pytest.raises(OptionError) as refused:
            Settings.check_option("stale_reading_days", 0)
        assert "expected a whole number from 1 to 3,650" in str(refused.value)

    def test_a_bad_value_in_mkdocs_yml_is_a_usage_error(self, playbook, cli) -> None:
        root = playbook({"mini.yaml": minimal()})
        (root / "mkdocs.yml").write_text(
            "site_name: x\nplugins:\n  - prepbook:\n      stale_reading_days: 5000\n"
        )
        done = cli("validate", cwd=root)
        assert done.code == 2 and "Traceback" not in done.err
        assert "stale_reading_days" in done.err and "from 1 to 3,650" in done.err


class TestFutureReadingRule:
    def test_a_reading_dated_after_the_build_date(self, playbook) -> None:
        text = readings_of("%", (str(DAY), 5), (str(DAY + dt.timedelta(days=1)), 6))
        [finding] = findings(playbook, text, rule="PB384")
        assert finding.message == (
            "the reading of 'churn' is dated 2027-01-02, after the build's date 2027-01-01"
        )
        assert (finding.yaml_path, finding.subject) == ("metrics[0].readings[1].date", "2027-01-02")

    def test_a_future_reading_is_not_stale_and_today_is_fine(self, playbook) -> None:
        assert findings(playbook, readings_of("%", (str(DAY), 5)), rule="PB384") == []
        future = findings(playbook, readings_of("%", ("2027-06-01", 5)))
        assert [f.rule for f in future] == ["PB384"]


# --- the examples, and the module's place ------------------------------------------------


class TestExamples:
    """On the pinned date the examples show each status, so the pages can."""

    def test_every_status_on_the_pinned_date(self) -> None:
        found = {
            d.priority.record.id: d
            for d in deliveries(load_files(sorted(EXAMPLES.glob("*.yaml"))), DAY)
        }
        assert {k: d.status for k, d in found.items()} == {
            "post-purchase-recommendations": "at-risk",
            "replenishment-reminders": "at-risk",
            "cadenza-host": "on-track",
            "artist-liner-notes": "late",
            "low-balance-forecast": "blocked",
            "subscription-check": "shipped",
        }
        assert found["artist-liner-notes"].text() == (
            "late: step 'Liner notes test on the now-playing screen' ended 2026-12-04 and is "
            "not done"
        )

    def test_the_shipped_priority_shows_progress(self) -> None:
        loaded = load_files(sorted(EXAMPLES.glob("*.yaml")))
        [shipped] = [d for d in deliveries(loaded, DAY) if d.status == "shipped"]
        metrics = loaded.graph.targets(shipped.priority.key, "measured_by")
        moved = [progress(n.record) for n in metrics if isinstance(n.record, Metric)]
        fractions = [p.fraction for p in moved if p.fraction is not None]
        assert fractions and all(0 < f < 1 for f in fractions)


@pytest.mark.parametrize(
    "module", [delivery_module, outcomes_module, observed_module], ids=lambda m: m.__name__
)
def test_a_core_module_imports_no_view(module) -> None:
    """The delivery status, progress and the observed facts are core: the pages, the
    exports and the checks read them, and they read only the model, the graph, the loaded
    playbook, the tracker exports as read and the observed facts."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("prepbook")
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith(("prepbook", "mkdocs"))
    }
    allowed = (
        "prepbook.model",
        "prepbook.graph",
        "prepbook.load.playbook",
        "prepbook.observed",
        "prepbook.trackers",
    )
    assert imported and all(name.startswith(allowed) for name in imported), imported
