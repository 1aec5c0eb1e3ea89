"""The tracker's word beside the file's: observed step facts, the delivery status that
follows them, and the drift rules PB390 to PB395, run as a user runs them (``prepbook
validate`` in a playbook written to tmp_path, its exports in trackers/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.delivery import deliveries
from prepbook.observed import combined_status, observed_steps
from prepbook.render.markdown import escape
from tests.conftest import PINNED_DATE, minimal
from tests.test_method_rules import merge

TAKEN = "# taken: 2026-12-28T09:00:00Z\n"
HEADER = "item,title,status,closed\n"


def workshop(**step: object) -> str:
    """The minimal workshop with its one step, ``build``, given these fields."""
    patch = {"roadmap": {"steps": [{"id": "build", **step}]}}
    return yaml.safe_dump(merge(yaml.safe_load(minimal()), patch), sort_keys=False)


def write(root: Path, text: str, *rows: str, taken: str = TAKEN, name: str = "work.csv") -> Path:
    (root / "workshops").mkdir(parents=True, exist_ok=True)
    (root / "workshops" / "mini.yaml").write_text(text, encoding="utf-8")
    if not (root / "mkdocs.yml").exists():
        (root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - prepbook\n")
    folder = root / "trackers"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(taken + HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return root


def findings(cli, root: Path, *args: str) -> list[dict]:
    done = cli("validate", "--format", "json", *args, cwd=root)
    assert done.code in (0, 1), done.err
    return json.loads(done.out)["findings"]


def of(found: list[dict], rule: str) -> list[dict]:
    return [f for f in found if f["rule"] == rule]


ITEM = "github:acme/web#12"


class TestCombinedStatus:
    @pytest.mark.parametrize(
        ("statuses", "expected"),
        [
            ([], None),
            (["dropped", "dropped"], "dropped"),
            (["done", "dropped"], "done"),
            (["done", "done"], "done"),
            (["done", "todo"], "doing"),
            (["todo", "doing"], "doing"),
            (["dropped", "todo"], "todo"),
            (["todo", "todo"], "todo"),
        ],
    )
    def test_the_documented_rule(self, statuses, expected) -> None:
        assert combined_status(statuses) == expected


class TestObservedFacts:
    def test_closed_is_the_last_items_day_once_all_are_closed(self, tmp_path: Path) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", tracks=[ITEM, "github:acme/web#13"]),
            f"{ITEM},A,done,2026-12-01",
            "github:acme/web#13,B,dropped,2026-12-09",
        )
        result = check(Project(Settings(), root))
        [observed] = observed_steps(result.playbook).values()
        assert (observed.status, observed.closed) == ("done", PINNED_DATE.replace(2026, 12, 9))
        assert observed.last_closed is not None
        assert observed.last_closed.ref.text == "github:acme/web#13"

    def test_an_open_item_leaves_no_closed_day_and_a_missing_one_is_listed(
        self, tmp_path: Path
    ) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", tracks=[ITEM, "github:acme/web#13", "jira:X-1"]),
            f"{ITEM},A,done,2026-12-01",
            "github:acme/web#13,B,todo,",
        )
        [observed] = observed_steps(check(Project(Settings(), root)).playbook).values()
        assert (observed.status, observed.closed) == ("doing", None)
        assert [t.ref.text for t in observed.missing] == ["jira:X-1"]

    def test_an_item_moved_to_another_repository_is_found_by_its_new_address(
        self, tmp_path: Path
    ) -> None:
        # gh lists a transferred issue under its new repository; tracks: names the new one
        root = write(
            tmp_path,
            workshop(status="in-progress", tracks=["https://github.com/acme/platform/issues/4"]),
            "github:acme/web#12,Moved,done,2026-12-02,https://github.com/acme/platform/issues/4",
        )
        (root / "trackers" / "work.csv").write_text(
            TAKEN
            + "item,title,status,closed,url\n"
            + "github:acme/web#12,Moved,done,2026-12-02,https://github.com/acme/platform/issues/4\n"
        )
        [observed] = observed_steps(check(Project(Settings(), root)).playbook).values()
        assert observed.status == "done" and not observed.missing


class TestDeliveryFollowsTheTracker:
    def test_a_step_the_tracker_closed_ships_its_priority_with_the_items_day(
        self, tmp_path: Path
    ) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", start="2026-10-01", end="2026-12-20", tracks=[ITEM]),
            f"{ITEM},A,done,2026-12-10",
        )
        [found] = deliveries(check(Project(Settings(), root)).playbook, PINNED_DATE)
        assert found.status == "shipped"
        assert found.text() == "shipped: its items closed on 2026-12-10 (github:acme/web#12)"

    def test_a_step_written_done_with_open_items_is_late_and_says_why(self, tmp_path: Path) -> None:
        root = write(
            tmp_path,
            workshop(status="done", start="2026-10-01", end="2026-12-20", tracks=[ITEM]),
            f"{ITEM},A,doing,",
        )
        [found] = deliveries(check(Project(Settings(), root)).playbook, PINNED_DATE)
        assert found.status == "late"
        assert found.text() == (
            "late: step 'Build it' ended 2026-12-20 and is not done (the file says done; "
            "the tracker has github:acme/web#12 doing)"
        )
        # without the export, the written status stands
        (root / "trackers" / "work.csv").unlink()
        [found] = deliveries(check(Project(Settings(), root)).playbook, PINNED_DATE)
        assert found.status == "shipped"

    def test_a_step_whose_items_were_all_dropped_blocks_its_priority(self, tmp_path: Path) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", start="2026-10-01", end="2026-12-20", tracks=[ITEM]),
            f"{ITEM},A,dropped,2026-11-02",
        )
        [found] = deliveries(check(Project(Settings(), root)).playbook, PINNED_DATE)
        assert found.status == "blocked"
        assert found.text() == "blocked: step 'Build it''s items were all dropped in the tracker"


class TestDriftRules:
    def test_done_in_the_file_open_in_the_tracker(self, cli, tmp_path: Path) -> None:
        root = write(tmp_path, workshop(status="done", tracks=[ITEM]), f"{ITEM},A,doing,")
        [finding] = of(findings(cli, root), "PB390")
        assert finding["file"] == "workshops/mini.yaml"
        assert finding["yaml_path"] == "roadmap.steps[0].status"
        assert finding["source_line"].strip() == "status: done"
        assert "github:acme/web#12 is doing" in finding["message"]
        assert "status: in-progress" in finding["hint"]

    def test_open_in_the_file_closed_in_the_tracker(self, cli, tmp_path: Path) -> None:
        root = write(
            tmp_path, workshop(status="planned", tracks=[ITEM]), f"{ITEM},A,done,2026-12-10"
        )
        [finding] = of(findings(cli, root), "PB391")
        assert finding["yaml_path"] == "roadmap.steps[0].status"
        assert "the last on 2026-12-10 (github:acme/web#12)" in finding["message"]
        assert finding["expected"] == "status: done"

    def test_closed_after_the_planned_end_gives_the_slip(self, cli, tmp_path: Path) -> None:
        step = workshop(status="done", start="2026-10-01", end="2026-11-27", tracks=[ITEM])
        root = write(tmp_path, step, f"{ITEM},A,done,2026-12-10")
        [finding] = of(findings(cli, root), "PB392")
        assert finding["severity"] == "info"
        assert finding["yaml_path"] == "roadmap.steps[0].end"
        assert finding["message"].endswith("(github:acme/web#12): 13 days late")

    def test_an_old_export_is_reported_at_its_first_line_and_the_limit_is_an_option(
        self, cli, tmp_path: Path
    ) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", tracks=[ITEM]),
            f"{ITEM},A,doing,",
            taken="# taken: 2026-12-01T09:00:00Z\n",
        )
        [finding] = of(findings(cli, root), "PB393")
        assert (finding["file"], finding["span"]["line"]) == ("trackers/work.csv", 1)
        assert "31 days before the build's date 2027-01-01 (the limit is 14)" in finding["message"]
        (root / "mkdocs.yml").write_text(
            "site_name: T\nplugins:\n  - prepbook:\n      tracker_stale_days: 31\n"
        )
        assert of(findings(cli, root), "PB393") == []

    def test_an_item_no_export_holds_is_a_finding_a_silence_can_cover(
        self, cli, tmp_path: Path
    ) -> None:
        tracks = [ITEM, "github:acme/web#13"]
        root = write(tmp_path, workshop(status="in-progress", tracks=tracks), f"{ITEM},A,doing,")
        [finding] = of(findings(cli, root), "PB394")
        assert finding["yaml_path"] == "roadmap.steps[0].tracks[1]"
        assert finding["subject"] == "github:acme/web#13"
        silence = [{"rule": "PB394", "reason": "Filed next week.", "covers": tracks[1:]}]
        write(
            tmp_path,
            workshop(status="in-progress", tracks=tracks, silence=silence),
            f"{ITEM},A,doing,",
        )
        assert of(findings(cli, root), "PB394") == []

    def test_an_unreadable_line_is_a_finding_at_the_export_line(self, cli, tmp_path: Path) -> None:
        root = write(
            tmp_path,
            workshop(status="in-progress", tracks=[ITEM, "github:acme/web#13"]),
            f"{ITEM},A,Parked,",
            "github:acme/web#13,B,doing,",
        )
        found = findings(cli, root)
        [finding] = of(found, "PB395")
        assert (finding["file"], finding["span"]["line"]) == ("trackers/work.csv", 3)
        assert "tracker_states" in finding["hint"]
        # the item is listed, only its state is unknown: not also "missing"
        assert of(found, "PB394") == []

    def test_each_rule_can_be_turned_off_in_mkdocs_yml(self, cli, tmp_path: Path) -> None:
        root = write(tmp_path, workshop(status="done", tracks=[ITEM]), f"{ITEM},A,doing,")
        (root / "mkdocs.yml").write_text(
            "site_name: T\nplugins:\n  - prepbook:\n      rules:\n        PB390: 'off'\n"
        )
        assert of(findings(cli, root), "PB390") == []

    def test_the_written_status_is_not_also_overdue_when_the_tracker_is_open(
        self, cli, tmp_path: Path
    ) -> None:
        step = workshop(status="done", start="2026-10-01", end="2026-11-27", tracks=[ITEM])
        found = findings(cli, write(tmp_path, step, f"{ITEM},A,doing,"))
        assert {f["rule"] for f in found} == {"PB390"}


SILENCE = ({"rule": "PB390", "reason": "Closed at the next planning."},)


class TestSilencesOfDriftRules:
    def test_with_no_export_read_a_silence_is_not_called_unneeded(
        self, cli, tmp_path: Path
    ) -> None:
        root = write(tmp_path, workshop(status="done", tracks=[ITEM], silence=list(SILENCE)))
        (root / "trackers" / "work.csv").unlink()
        assert findings(cli, root) == []

    def test_with_an_export_that_agrees_it_is(self, cli, tmp_path: Path) -> None:
        step = workshop(status="done", tracks=[ITEM], silence=list(SILENCE))
        root = write(tmp_path, step, f"{ITEM},A,done,2026-12-01")
        [finding] = of(findings(cli, root), "PB303")
        assert "the silence of PB390" in finding["message"]


class TestObservedBesidePlanned:
    """The pages say what the tracker says of a tracked step beside its written status."""

    def pages(self, tmp_path: Path, *rows: str) -> dict[str, str]:
        from prepbook.build import build

        second = "github:acme/web#13"
        root = write(
            tmp_path,
            workshop(
                status="in-progress", start="2026-10-01", end="2026-12-20", tracks=[ITEM, second]
            ),
            *rows,
        )
        rendered = build(Project(Settings(), root), root / "docs" / "playbook").rendered
        assert rendered is not None
        return rendered.pages

    def test_a_step_half_closed_reads_so_on_its_quarter_and_workshop_pages(
        self, tmp_path: Path
    ) -> None:
        pages = self.pages(tmp_path, f"{ITEM},A,done,2026-12-10", "github:acme/web#13,B,doing,")
        quarter = pages["roadmap/2026-q4.md"]
        row = next(line for line in quarter.splitlines() if "in-progress" in line)
        # beside the written status, after whether it is behind
        tracker = f"*{escape('tracker: doing, 1 of 2 items closed')}*"
        assert row.index("in-progress") < row.index("overdue") < row.index(tracker)
        page = pages["workshops/mini.md"]
        assert "**What the tracker says**" in page
        assert escape("tracker: doing, 1 of 2 items closed") in page

    def test_a_step_all_closed_gives_its_day_and_a_missing_item_is_named(
        self, tmp_path: Path
    ) -> None:
        pages = self.pages(tmp_path, f"{ITEM},A,done,2026-12-10")
        page = pages["workshops/mini.md"]
        said = "tracker: done, closed 2026-12-10; in no export: github:acme/web#13"
        assert escape(said) in page

    def test_a_step_that_tracks_nothing_says_nothing_of_a_tracker(self, tmp_path: Path) -> None:
        root = write(tmp_path, workshop(status="in-progress", start="2026-10-01", end="2026-12-20"))
        from prepbook.build import build

        rendered = build(Project(Settings(), root), root / "docs" / "playbook").rendered
        assert rendered is not None
        assert "tracker:" not in rendered.pages["workshops/mini.md"]
        assert "What the tracker says" not in rendered.pages["workshops/mini.md"]
