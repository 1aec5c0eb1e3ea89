"""The tracker's news in review: ``prepbook diff`` between two revisions reads each side's
own exports and says what the tracker now says of each tracked step, the delivery it moved
and the drift it made or mended; the Changes page shows a commit of new exports the same
way. Real git repositories in tmp_path, ``prepbook`` run as a subprocess."""

from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

from prepbook.build import build
from prepbook.change_kinds import CHANGE_KINDS, SECTIONS
from prepbook.config import Project, Settings
from tests.test_diff import GIT_ENV, git, prepbook
from tests.test_drift import ITEM, workshop, write

SECOND = "github:acme/web#13"


def commit(root: Path, message: str, day: str = "2026-12-20") -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)


def exports(root: Path, *rows: str) -> None:
    """New exports, as ``prepbook fetch`` rewrites them."""
    write(root, (root / "workshops" / "mini.yaml").read_text(encoding="utf-8"), *rows)


def repo(root: Path, *rows: str, **step: object) -> Path:
    """A playbook whose one step, delivering the committed priority, tracks two items,
    committed with exports holding ``rows``."""
    fields = {"start": "2026-10-01", "end": "2027-03-31", "tracks": [ITEM, SECOND], **step}
    write(root, workshop(**fields), *rows)
    git(root, "init", "-q", "-b", "main")
    commit(root, "The workshop and its exports", "2026-12-01")
    return root


def diff_json(root: Path, *args: str) -> dict:
    done = prepbook(root, "diff", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def drift(found: dict) -> list[dict]:
    return [c for c in found["changes"] if c["section"] == "drift"]


class TestTheDriftSection:
    def test_every_tracker_kind_is_in_the_drift_section(self) -> None:
        kinds = [k for k in CHANGE_KINDS.values() if k.name.startswith(("tracker-", "drift-"))]
        assert {k.section for k in kinds} == {"drift"}
        assert SECTIONS["drift"] == "What the tracker says"

    def test_the_trackers_news_moves_a_step_and_ships_its_priority(self, tmp_path: Path) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        exports(root, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,dropped,2026-12-12")
        found = diff_json(root, "HEAD")
        [shipped] = [c for c in found["changes"] if c["record_kind"] == "priority"]
        # moved by the tracker alone: the decision is the tracker's news, its step the cause
        assert shipped["section"] == "drift"
        assert shipped["kind"] == "delivery-improved"
        assert "now shipped (was on track): its items closed on 2026-12-12" in shipped["summary"]
        [cause] = shipped["causes"]
        assert (cause["kind"], cause["record"], cause["field"]) == (
            "tracker-done",
            "build",
            "tracker",
        )
        assert (cause["before"], cause["after"]) == ("doing", "done")
        assert cause["summary"] == "tracker: done, closed 2026-12-12 (was doing)"
        # the written step is now behind its tracker: a drift finding, in the same section
        [introduced] = [c for c in drift(found) if c["kind"] == "drift-introduced"]
        assert introduced["field"] == "PB391"
        assert not [c for c in found["changes"] if c["section"] == "findings_introduced"]

    def test_dropped_items_block_the_priority_as_a_major_change(self, tmp_path: Path) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        exports(root, f"{ITEM},A,dropped,2026-12-10", f"{SECOND},B,dropped,2026-12-11")
        found = diff_json(root, "HEAD")
        [blocked] = [c for c in found["changes"] if c["record_kind"] == "priority"]
        assert (blocked["kind"], blocked["level"], blocked["section"]) == (
            "delivery-late",
            "major",
            "drift",
        )
        assert [c["kind"] for c in blocked["causes"]] == ["tracker-dropped"]
        assert prepbook(root, "diff", "HEAD", "--fail-on", "major").returncode == 1

    def test_a_reopened_item_and_the_drift_it_mends_between_two_revisions(
        self, tmp_path: Path
    ) -> None:
        root = repo(tmp_path, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,done,2026-12-11")
        exports(root, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,doing,")
        commit(root, "Tracker exports of 2026-12-20")
        found = diff_json(root, "HEAD~1", "HEAD")  # both sides read from git, nothing on disk
        kinds = {c["kind"]: c for c in drift(found)}
        assert kinds["drift-fixed"]["field"] == "PB391"  # planned, all closed: mended
        unshipped = kinds["delivery-reopened"]
        assert (unshipped["level"], unshipped["before"], unshipped["after"]) == (
            "minor",
            "shipped",
            "on-track",
        )
        [reopened] = unshipped["causes"]
        assert (reopened["kind"], reopened["level"]) == ("tracker-reopened", "minor")
        assert reopened["summary"] == (
            "tracker: doing, 1 of 2 items closed (was done, closed 2026-12-11)"
        )

    def test_the_revision_side_reads_its_own_exports_not_the_disk(self, tmp_path: Path) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        exports(root, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,todo,")
        commit(root, "Tracker exports of 2026-12-20")
        assert drift(diff_json(root, "HEAD")) == []  # the working tree is the commit
        assert [c["kind"] for c in drift(diff_json(root, "HEAD~1", "HEAD"))] == ["tracker-moved"]

    def test_the_text_report_has_the_section_with_its_words(self, tmp_path: Path) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        exports(root, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,doing,")
        done = prepbook(root, "diff", "HEAD")
        assert done.returncode == 0, done.stderr
        section = done.stdout.split("What the tracker says\n", 1)[1]
        assert "tracker: doing, 1 of 2 items closed (was doing)" in section

    def test_a_step_that_begins_tracking_is_the_files_change_not_the_trackers(
        self, tmp_path: Path
    ) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", tracks=[ITEM])
        exports(root, f"{ITEM},A,doing,", f"{SECOND},B,todo,")
        path = root / "workshops" / "mini.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"- {ITEM}\n", f"- {ITEM}\n    - {SECOND}\n"))
        found = diff_json(root, "HEAD")
        assert drift(found) == []
        assert any(c["field"].startswith("tracks") for c in found["changes"])

    def test_an_unreadable_export_at_a_revision_is_a_finding_not_a_crash(
        self, tmp_path: Path
    ) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        (root / "trackers" / "work.csv").write_bytes(b"\xff\xfe not utf-8")
        commit(root, "A broken export")
        found = diff_json(root, "HEAD~1", "HEAD")
        assert [c["kind"] for c in found["changes"] if c["record_kind"] == "step"] == [
            "tracker-lost"
        ]


class TestTheChangesPage:
    def test_a_commit_of_new_exports_is_on_the_page_with_what_it_moved(
        self, tmp_path: Path
    ) -> None:
        root = repo(tmp_path, f"{ITEM},A,doing,", f"{SECOND},B,todo,", status="in-progress")
        exports(root, f"{ITEM},A,done,2026-12-10", f"{SECOND},B,done,2026-12-12")
        commit(root, "Tracker exports of 2026-12-20")
        built = build(Project(Settings(), root), root / "site")
        page = html.unescape(built.pages["changes.md"])
        assert "Tracker exports of 2026-12-20" in page
        assert "now shipped (was on track)" in page
        assert "because step 'Build it': tracker: done, closed 2026-12-12 (was doing)" in page
