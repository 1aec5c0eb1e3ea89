"""Metric readings from a CSV export in the trackers folder (``metric,date,value,source``):
read offline, merged with the file's own readings, judged by PB382 to PB384 at the
export's line, and every malformed row a finding at its line with nothing else lost."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.model import Metric, Reading
from prepbook.outcomes import exported_readings, merged_readings, progress
from tests.conftest import minimal
from tests.test_method_rules import merge

HEAD = "metric,date,value,source\n"


def playbook(root: Path, *rows: str, readings: list[dict] | None = None) -> Path:
    metric = {"id": "churn", "unit": "%", "baseline": 4.2, "target": 3.8}
    if readings is not None:
        metric["readings"] = readings
    text = yaml.safe_dump(merge(yaml.safe_load(minimal()), {"metrics": [metric]}), sort_keys=False)
    (root / "workshops").mkdir(parents=True, exist_ok=True)
    (root / "workshops" / "mini.yaml").write_text(text)
    (root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - prepbook\n")
    (root / "trackers").mkdir(exist_ok=True)
    (root / "trackers" / "analytics.csv").write_text(HEAD + "".join(r + "\n" for r in rows))
    return root


def findings(cli, root: Path) -> list[dict]:
    done = cli("validate", "--format", "json", cwd=root)
    assert done.code in (0, 1), done.err
    return json.loads(done.out)["findings"]


def reading(day: str, value: float, source: str | None = None) -> Reading:
    return Reading(date=dt.date.fromisoformat(day), value=value, source=source)


class TestMerge:
    def test_the_files_reading_wins_its_day_and_the_export_adds_the_others(self) -> None:
        metric = Metric.model_validate(
            {
                "id": "churn",
                "title": "Churn",
                "category": "retention",
                "direction": "decrease",
                "readings": [{"date": "2026-11-01", "value": 4.1}],
            }
        )
        merged = merged_readings(
            metric,
            [
                reading("2026-11-01", 9.9),
                reading("2026-12-01", 4.0, "first"),
                reading("2026-12-01", 3.9, "read last"),
            ],
        )
        assert [(r.date.isoformat(), r.value) for r in merged] == [
            ("2026-11-01", 4.1),
            ("2026-12-01", 3.9),
        ]

    def test_progress_reads_the_exported_readings(self, tmp_path: Path) -> None:
        root = playbook(tmp_path, "mini/churn,2026-12-15,4.0,Looker")
        result = check(Project(Settings(), root))
        metric = result.playbook.workshops["mini"].model.metrics[0]
        exported = exported_readings(result.playbook, "mini", "churn")
        assert [(r.value, r.source) for r in exported] == [(4.0, "Looker")]
        assert progress(metric, exported).fraction == 0.5
        assert progress(metric).latest is None  # the file alone has none


class TestRulesAtTheExportsLine:
    def test_a_reading_outside_its_units_bounds(self, cli, tmp_path: Path) -> None:
        root = playbook(tmp_path, "mini/churn,2026-12-01,4.0,", "mini/churn,2026-12-15,104,")
        [finding] = [f for f in findings(cli, root) if f["rule"] == "PB382"]
        assert (finding["file"], finding["span"]["line"]) == ("trackers/analytics.csv", 3)
        assert finding["workshop"] == "mini" and finding["record"] == "churn"
        assert finding["subject"] == "2026-12-15"

    def test_a_silence_on_the_metric_covers_an_exported_reading(self, cli, tmp_path: Path) -> None:
        root = playbook(tmp_path, "mini/churn,2026-12-15,104,")
        text = (root / "workshops/mini.yaml").read_text()
        data = yaml.safe_load(text)
        data["metrics"][0]["silence"] = [
            {"rule": "PB382", "reason": "A known glitch.", "covers": ["2026-12-15"]}
        ]
        (root / "workshops/mini.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        assert [f for f in findings(cli, root) if f["rule"] == "PB382"] == []

    def test_a_reading_from_the_future(self, cli, tmp_path: Path) -> None:
        root = playbook(tmp_path, "mini/churn,2027-02-01,4.0,")
        [finding] = [f for f in findings(cli, root) if f["rule"] == "PB384"]
        assert (finding["file"], finding["span"]["line"], finding["yaml_path"]) == (
            "trackers/analytics.csv",
            2,
            "date",
        )

    def test_a_fresh_exported_reading_keeps_a_metric_from_going_stale(
        self, cli, tmp_path: Path
    ) -> None:
        old = [{"date": "2026-06-30", "value": 4.1}]
        stale = playbook(tmp_path / "a", readings=old)
        [finding] = [f for f in findings(cli, stale) if f["rule"] == "PB383"]
        assert finding["file"] == "workshops/mini.yaml"
        fresh = playbook(tmp_path / "b", "mini/churn,2026-12-20,4.0,", readings=old)
        assert [f for f in findings(cli, fresh) if f["rule"] == "PB383"] == []
        exported_old = playbook(tmp_path / "c", "mini/churn,2026-07-30,4.0,", readings=old)
        [finding] = [f for f in findings(cli, exported_old) if f["rule"] == "PB383"]
        assert (finding["file"], finding["span"]["line"]) == ("trackers/analytics.csv", 2)


class TestMalformedRows:
    def test_each_bad_row_is_a_finding_at_its_line_and_the_good_ones_are_read(
        self, cli, tmp_path: Path
    ) -> None:
        root = playbook(
            tmp_path,
            "churn,2026-12-01,4.0,",  # no workshop
            "mini/churn,01/12/2026,4.0,",  # not a day
            'mini/churn,2026-12-02,"4,0",',  # a decimal comma
            "mini/nps,2026-12-03,40,",  # no such metric
            "mini/churn,2026-12-20,4.0,kept",
        )
        found = [f for f in findings(cli, root) if f["rule"] == "PB395"]
        assert [(f["span"]["line"], f["yaml_path"]) for f in found] == [
            (2, "metric"),
            (3, "date"),
            (4, "value"),
            (5, "metric"),
        ]
        assert found[0]["hint"] == "name the workshop too: WORKSHOP/churn"
        assert "names no metric of workshop 'mini'" in found[3]["message"]
        result = check(Project(Settings(), root))
        kept = exported_readings(result.playbook, "mini", "churn")
        assert [r.source for r in kept] == ["kept"]

    def test_an_empty_export_of_readings_is_no_problem(self, cli, tmp_path: Path) -> None:
        root = playbook(tmp_path)
        assert findings(cli, root) == []


def test_an_exported_reading_shows_as_progress_on_the_workshop_page(tmp_path: Path) -> None:
    """The file has no reading; the export's is the metric's progress, chart and words."""
    from prepbook.build import build

    root = playbook(
        tmp_path, "# taken: 2026-12-28T09:00:00Z", "mini/churn,2026-12-01,4.0,Analytics"
    )
    rendered = build(Project(Settings(), root), root / "docs" / "playbook").rendered
    assert rendered is not None
    page = rendered.pages["workshops/mini.md"]
    # the chart's caption says it in words
    said = "Churn: 4.2 % &#8594; 4 % of a target of 3.8 %, 50 % of the way, read 2026-12-01"
    assert f"<figcaption>{said}</figcaption>" in page
    assert "<td>reading</td><td>2026-12-01</td><td>4 %</td><td>50 %</td><td>Analytics</td>" in page
