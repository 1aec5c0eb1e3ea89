"""validate --baseline: findings an earlier report holds are known and never fail the run;
only new findings fail --strict, so a pull request fails for what it introduces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prepbook.findings import Finding, Span
from prepbook.report.baseline import Baseline, BaselineError, load_baseline, without_positions
from tests.conftest import minimal

AFTER_REVIEWS = "1830297600"  # 2028-01-01: every example's review date has passed
# What the calendar alone finds in the examples on that day: the reviews due, the roadmap
# steps whose end has passed, the metrics whose newest reading is old.
CALENDAR_RULES = {"PB360", "PB380", "PB383"}


@pytest.fixture
def overdue(playbook, cli, monkeypatch) -> Path:
    """The examples a year after their review dates, with a baseline written on that day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER_REVIEWS)
    root = playbook(examples=True)
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
    done = cli("validate", "--format", "json", "--output", "base.json", cwd=root)
    assert done.code == 0 and done.out == ""
    report = json.loads((root / "base.json").read_text())
    assert {f["rule"] for f in report["findings"]} == CALENDAR_RULES
    return root


def known(root: Path) -> int:
    """How many findings the baseline written by ``overdue`` holds."""
    return len(json.loads((root / "base.json").read_text())["findings"])


def test_calendar_findings_in_the_baseline_do_not_fail_strict(overdue: Path, cli) -> None:
    assert cli("validate", "--strict", cwd=overdue).code == 1
    done = cli("validate", "--strict", "--baseline", "base.json", cwd=overdue)
    assert done.code == 0, done.out
    assert done.out.startswith(
        f"{known(overdue)} known findings, in the baseline base.json (not failing):"
    )
    assert "known warning[PB360]: 'northwind-retail' was due for review on 2027-03-31" in done.out
    assert done.out.endswith("checked 3 files: 0 errors, 0 warnings, 0 info\n")


def test_a_new_finding_fails_and_known_ones_stay_known_when_lines_move(overdue: Path, cli) -> None:
    retail = overdue / "workshops" / "northwind-retail.yaml"
    text = retail.read_text()
    # lines added above every known finding, and one new error
    text = text.replace("review_by:", "# reviewed by the board\n# twice\nreview_by:", 1)
    assert "      - order-history\n" in text
    retail.write_text(text.replace("      - order-history\n", "      - order-histroy\n", 1))
    done = cli("validate", "--baseline", "base.json", cwd=overdue)
    assert done.code == 1
    assert f"{known(overdue)} known findings" in done.out
    assert "error[PB204]: no audited asset has the id 'order-histroy'" in done.out
    assert "checked 3 files: 1 error, 0 warnings, 0 info" in done.out
    annotations = cli(
        "validate", "--baseline", "base.json", cwd=overdue, env={"GITHUB_ACTIONS": "true"}
    )
    lines = annotations.out.splitlines()
    assert [line for line in lines if line.startswith("::")] == [
        next(line for line in lines if line.startswith("::error") and "PB204" in line)
    ]


def test_machine_formats_mark_each_finding(overdue: Path, cli) -> None:
    retail = overdue / "workshops" / "northwind-retail.yaml"
    retail.write_text(retail.read_text().replace("- order-history\n", "- order-histroy\n", 1))
    done = cli("validate", "--format", "json", "--baseline", "base.json", cwd=overdue)
    assert done.code == 1
    report = json.loads(done.out)
    states = {(f["rule"], f["baseline_state"]) for f in report["findings"]}
    assert ("PB360", "known") in states and ("PB360", "new") not in states
    assert any(state == "new" for _, state in states)
    assert report["baseline"] == {
        "file": "base.json",
        "new": sum(1 for f in report["findings"] if f["baseline_state"] == "new"),
        "known": known(overdue),
    }
    sarif = json.loads(
        cli("validate", "--format", "sarif", "--baseline", "base.json", cwd=overdue).out
    )
    results = sarif["runs"][0]["results"]
    assert {r["baselineState"] for r in results if r["ruleId"] == "PB360"} == {"unchanged"}
    assert "new" in {r["baselineState"] for r in results}


def test_a_bad_baseline_is_a_usage_error(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal()})
    (root / "list.json").write_text("[]")
    (root / "broken.json").write_text("{")
    for name, says in (
        ("missing.json", "cannot read the baseline missing.json"),
        ("broken.json", "is not JSON"),
        ("list.json", "is not a report of 'prepbook validate --format json'"),
    ):
        done = cli("validate", "--baseline", name, cwd=root)
        assert done.code == 2 and says in done.err, done.err
        assert "Traceback" not in done.err


def finding(message: str = "'x' is unknown", **kwargs: object) -> Finding:
    fields: dict[str, object] = {
        "file": "workshops/a.yaml",
        "workshop": "a",
        "record": "x",
        "yaml_path": "priorities[0].requires[0]",
        "span": Span(3, 5, 3, 9),
    }
    fields.update(kwargs)
    return Finding.of("PB204", message, **fields)


def test_the_reader_reads_only_the_keys_it_needs(tmp_path: Path) -> None:
    entry = {
        "rule": "PB204",
        "file": "workshops/a.yaml",
        "workshop": "a",
        "record": "x",
        "yaml_path": "priorities[0].requires[0]",
        "message": "'x' is unknown",
        "span": {"line": 99, "column": 1},
        "a_field_from_a_later_version": {"nested": [1, 2]},
    }
    document = {"version": 7, "schema": "anything", "findings": [entry], "extra": None}
    path = tmp_path / "base.json"
    path.write_text(json.dumps(document))
    baseline = load_baseline(path)
    assert baseline.split([finding()]) == ((), (finding(),))
    # a missing key reads as empty, never as an error
    sparse = Baseline.from_entries([{"rule": "PB204", "message": "m"}], "sparse")
    bare = Finding.of("PB204", "m", "")
    assert sparse.split([bare]).known == (bare,)
    with pytest.raises(BaselineError):
        path.write_text(json.dumps({"findings": ["not an object"]}))
        load_baseline(path)


def test_matching_ignores_positions_but_not_what_a_finding_is_about() -> None:
    known = finding("duplicate key 'id' (first at line 12)", span=Span(40, 3, 40, 5))
    baseline = Baseline.from_entries([known.to_json()], "b")
    moved = finding("duplicate key 'id' (first at line 17)", span=Span(45, 3, 45, 5))
    assert baseline.split([moved]).known == (moved,)
    for other in (
        finding("duplicate key 'ids' (first at line 12)"),
        finding("duplicate key 'id' (first at line 12)", file="workshops/b.yaml"),
        finding("duplicate key 'id' (first at line 12)", record="y"),
        finding("duplicate key 'id' (first at line 12)", yaml_path="audit[0].id"),
    ):
        assert baseline.split([other]).new == (other,)
    # each baseline entry is used once: the same finding twice is one known, one new
    twice = baseline.split([moved, moved])
    assert len(twice.known) == 1 and len(twice.new) == 1
    assert without_positions("merge them (lines 3 and 9); see a.yaml:3:7") == (
        "merge them (lines N); see a.yaml:N"
    )
