"""prepbook diff in decisions: a committed priority's ship date and delivery status stated
on the priority with the step changes that moved them as causes, scores graded by the share
they moved with the computed score beside its inputs, and a workshop's readiness score
never a change. Each test commits two versions of a workshop to a real repository and runs
``prepbook diff`` as a subprocess, on the pinned build date (2027-01-01)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from prepbook.docs.schema import DIFF_SCHEMA_FILE, schema_of
from prepbook.render.markdown import escape
from tests.conftest import minimal
from tests.test_diff import git, prepbook

STEPS = """\
    - id: build
      title: Build it
      phase: now
      start: 2026-11-02
      end: {build_end}
      status: {build_status}
      delivers: [offers]
    - id: try
      title: Try it
      phase: now
      start: 2026-11-02
      end: {try_end}
      status: in-progress
      delivers: [offers]
"""
SCORE = "    score: {{method: rice, reach: 1000, impact: 2, confidence: 100, effort: {effort}}}\n"


def workshop(
    build_end: str = "2027-05-14",
    try_end: str = "2027-03-01",
    build_status: str = "in-progress",
    effort: float = 2,
) -> str:
    text = minimal()
    steps = STEPS.format(build_end=build_end, try_end=try_end, build_status=build_status)
    text = text.replace("    - id: build\n      title: Build it\n      phase: now\n", "")
    text = text.replace("      delivers: [offers]\n", "", 1) + steps
    score = SCORE.format(effort=effort)
    return text.replace("    measured_by: [churn]\n", "    measured_by: [churn]\n" + score)


def history(tmp_path: Path, before: str, after: str, options: str = "") -> Path:
    """A repository whose last commit changes the workshop from ``before`` to ``after``."""
    root = tmp_path / "playbook"
    (root / "workshops").mkdir(parents=True)
    plugin = "  - prepbook" + (":\n" + options if options else "\n")
    (root / "mkdocs.yml").write_text(f"site_name: Playbook\nplugins:\n{plugin}")
    git(root, "init", "-q", "-b", "main")
    for text, message in ((before, "The plan"), (after, "The replan")):
        (root / "workshops" / "mini.yaml").write_text(text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", message)
    return root


def diff(root: Path) -> tuple[str, dict[str, Any]]:
    text = prepbook(root, "diff", "HEAD~1", "HEAD")
    data = prepbook(root, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert text.returncode == 0 and data.returncode == 0, text.stderr + data.stderr
    return text.stdout, json.loads(data.stdout)


def test_the_base_workshop_is_on_track_and_clean(tmp_path: Path) -> None:
    root = history(tmp_path, workshop(), workshop())
    checked = prepbook(root, "validate")
    assert checked.returncode == 0, checked.stdout
    assert diff(root)[1]["changes"] == []


class TestShipDate:
    """A step's end that moves the priority's ship date is one change, on the priority."""

    def test_a_moved_ship_date_is_stated_on_the_priority_with_days_and_now_late(
        self, tmp_path: Path
    ) -> None:
        root = history(tmp_path, workshop(), workshop(build_end="2027-07-16", try_end="2026-12-20"))
        text, data = diff(root)
        assert (
            "  major  priority mini/offers  'Offers'  ships 2027-05-14 → 2027-07-16, +63 days, "
            "now late (was on track): step 'Try it' ended 2026-12-20 and is not done\n"
            "         because: step mini/build end 2027-05-14 → 2027-07-16 (+63 days)\n"
            "         because: step mini/try end 2027-03-01 → 2026-12-20 (-71 days)\n"
        ) in text
        decision = [c for c in data["changes"] if c["record_kind"] != "finding"]
        assert len(decision) == 1, decision  # the steps' changes are not counted again
        (ship,) = decision
        assert (ship["kind"], ship["level"], ship["days"]) == ("ship-date-slipped", "major", 63)
        assert (ship["before"], ship["after"], ship["decision"]) == (
            "2027-05-14",
            "2027-07-16",
            "offers",
        )
        assert [(c["record"], c["field"]) for c in ship["causes"]] == [
            ("build", "end"),
            ("try", "end"),
        ]
        assert data["counts"]["roadmap"] == 0 and data["counts"]["priorities"] == 1
        # the machine-readable document stays valid by its published schema
        jsonschema.Draft7Validator(schema_of(DIFF_SCHEMA_FILE)).validate(data)
        # the pull-request comment keeps the causes in the decision's row
        md = prepbook(root, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
        row = next(line for line in md.splitlines() if "mini/offers" in line)
        assert row.startswith("| major | mini/offers | priority | Offers | ships 2027-05-14")
        cause = escape("because: step mini/build end 2027-05-14 → 2027-07-16 (+63 days)")
        assert f"<br>{cause}<br>" in row

    def test_a_step_retitled_with_the_move_is_no_cause_of_it(self, tmp_path: Path) -> None:
        # the same commit renames the step whose end moved: only the end moved the decision
        after = workshop(build_end="2027-07-16").replace("title: Build it", "title: Build all")
        _, data = diff(history(tmp_path, workshop(), after))
        (ship,) = [c for c in data["changes"] if c["kind"] == "ship-date-slipped"]
        assert [(c["record"], c["field"]) for c in ship["causes"]] == [("build", "end")]
        (renamed,) = [c for c in data["changes"] if c["field"] == "title"]
        assert renamed["record"] == "build" and renamed["causes"] == []

    def test_a_step_change_that_moves_no_decision_stays_a_change_of_its_own(
        self, tmp_path: Path
    ) -> None:
        root = history(tmp_path, workshop(), workshop(try_end="2027-04-01"))
        _, data = diff(root)
        (change,) = data["changes"]
        assert (change["kind"], change["record"], change["causes"]) == (
            "date-slipped",
            "try",
            [],
        )
        assert change["decision"] == "offers"  # grouped under the decision it serves

    def test_a_slip_is_graded_by_days_and_the_options(self, tmp_path: Path) -> None:
        for days_end, options, level in (
            ("2027-05-19", "", "info"),  # +5 days: within slip_days (14)
            ("2027-06-03", "", "minor"),  # +20 days
            ("2027-06-03", "      ship_major_days: 10\n", "major"),
            ("2027-07-16", "      ship_major_days: 90\n      slip_days: 70\n", "info"),
        ):
            place = tmp_path / f"{days_end}-{level}"
            root = history(place, workshop(), workshop(build_end=days_end), options)
            (ship,) = diff(root)[1]["changes"]
            assert (ship["kind"], ship["level"]) == ("ship-date-slipped", level), (
                days_end,
                options,
            )

    def test_a_delivery_status_that_changes_alone_is_stated_with_its_reason(
        self, tmp_path: Path
    ) -> None:
        root = history(tmp_path, workshop(), workshop(build_status="blocked"))
        text, data = diff(root)
        (change,) = data["changes"]
        assert (change["kind"], change["level"], change["field"]) == (
            "delivery-late",
            "major",
            "delivery",
        )
        assert (change["before"], change["after"]) == ("on-track", "blocked")
        assert "now blocked (was on track): step 'Build it' is marked blocked" in text
        assert [c["kind"] for c in change["causes"]] == ["step-blocked"]


class TestScore:
    """A score's input is the change; the computed score is shown beside it."""

    def test_an_effort_that_cuts_the_score_by_a_third_is_one_major_change(
        self, tmp_path: Path
    ) -> None:
        root = history(tmp_path, workshop(effort=2), workshop(effort=3))
        text, data = diff(root)
        (change,) = data["changes"]
        assert (change["kind"], change["level"], change["field"]) == (
            "score-changed",
            "major",
            "score.effort",
        )
        assert (change["before"], change["after"]) == (2, 3)
        assert change["computed"] == {
            "field": "score.value",
            "before": 1000.0,
            "after": 666.7,
            "share": 33,
        }
        assert "effort 2 → 3; score 1000 → 666.7 (-33%)" in text
        assert "score.value" not in text
        assert data["levels"] == {"major": 1, "minor": 0, "info": 0}

    def test_the_share_grades_the_change_by_the_options(self, tmp_path: Path) -> None:
        for effort, options, level in (
            (2.4, "", "minor"),  # -17%
            (2.1, "", "info"),  # -5%
            (2.4, "      score_minor_share: 20\n", "info"),
            (2.1, "      score_minor_share: 1\n      score_major_share: 4\n", "major"),
            (3, "      diff_levels: {score-changed: info}\n", "info"),
        ):
            root = history(
                tmp_path / f"{effort}-{level}", workshop(), workshop(effort=effort), options
            )
            (change,) = diff(root)[1]["changes"]
            assert change["level"] == level, (effort, options)


def test_the_workshop_score_is_never_a_change(tmp_path: Path) -> None:
    """The readiness (completeness) score judges the write-up: the edit that lowered it is
    the change, the score is context."""
    after = workshop().replace("decider: dan\n", "")
    root = history(tmp_path, workshop(), after)
    text, data = diff(root)
    (score,) = data["readiness"]
    assert score["before"] == 100 and score["after"] is not None and score["after"] < 100
    kinds = [c["kind"] for c in data["changes"]]
    assert "owner-removed" in kinds
    assert not any("readiness" in c["kind"] or c["field"] == "readiness" for c in data["changes"])
    assert "readiness 100% →" not in text.split("\n\n", 2)[2]  # only the context line says it
