"""Tracker exports read offline: every exporter's real format, and every way one goes wrong.

The fixtures in ``tests/fixtures/trackers/`` are written in the exporters' own shapes: gh's
compact one-line JSON with its keys sorted and its nested objects in struct order, Jira's
CSV with a byte order mark, CRLF line ends, quoted line breaks and repeated columns,
Linear's CSV header. Each test copies the ones it reads into a trackers folder of its own,
reads it as the build will (:func:`read_trackers`), and checks what was read and where
each problem stands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.config import OptionError, Settings
from prepbook.load.schema_errors import validate_workshop
from prepbook.load.source import parse_source
from prepbook.model.tracks import TRACK_PATTERN
from prepbook.trackers.csv_text import read_csv, tokenize_csv
from prepbook.trackers.folder import Trackers, read_trackers
from prepbook.trackers.json_text import MAX_DEPTH, read_json, walk_json
from prepbook.trackers.refs import ItemRef, parse_ref
from prepbook.trackers.states import STATE_TABLE, TRACKERS, States, states_markdown
from tests.conftest import REPO, minimal

FIXTURES = Path(__file__).parent / "fixtures" / "trackers"
CAP = 1024 * 1024
TAKEN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def folder_of(tmp_path: Path, *names: str, sidecars: bool = True) -> Path:
    """A trackers folder holding the named fixtures (and their .taken files)."""
    folder = tmp_path / "trackers"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
        sidecar = FIXTURES / f"{name}.taken"
        if sidecars and sidecar.exists():
            shutil.copy(sidecar, folder / sidecar.name)
    return folder


def read(tmp_path: Path, *names: str, **states: str) -> Trackers:
    folder = folder_of(tmp_path, *names)
    os.chdir(tmp_path)  # problems name files as the user types them, from here
    return read_trackers(folder, CAP, states=states or None)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _keep_cwd():
    here = os.getcwd()
    yield
    os.chdir(here)


def only_export(trackers: Trackers):
    [export] = trackers.exports
    return export


def by_key(trackers: Trackers) -> dict[str, object]:
    return {item.ref.text: item for item in trackers.items}


def problems(trackers: Trackers) -> list[tuple[str, int | None, str, str]]:
    """Each problem as (file, line, where, message)."""
    return [
        (p.file, p.span.line if p.span else None, p.where, p.message) for p in trackers.problems
    ]


def text_at(path: Path, line: int, column: int) -> str:
    """The text of ``path`` from a line and column (from 1) on."""
    return path.read_text(encoding="utf-8-sig").splitlines()[line - 1][column - 1 :]


class TestGitHubIssueList:
    def test_gh_s_array_with_a_sidecar_time(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-issues.json")
        export = only_export(trackers)
        assert export.kind == "gh-issues" and export.taken == TAKEN
        assert trackers.problems == ()
        items = by_key(trackers)
        assert {key: (i.status, i.state) for key, i in items.items()} == {
            "github:acme/web#17": ("todo", "OPEN"),
            "github:acme/web#16": ("doing", "OPEN/REOPENED"),
            "github:acme/web#14": ("done", "CLOSED/COMPLETED"),
            "github:acme/web#12": ("dropped", "CLOSED/NOT_PLANNED"),
            "github:acme/web#11": ("dropped", "CLOSED/DUPLICATE"),
            "github:acme/web#3": ("done", "CLOSED"),
            "github:acme/platform#204": ("todo", "OPEN"),
        }
        banner = items["github:acme/web#14"]
        assert banner.title == "Consent banner"
        assert banner.closed == dt.date(2026, 11, 20)
        assert banner.assignees == ("linus",) and banner.labels == ("bug", "ux")
        assert banner.iterations == ("Q1 launch",)
        assert banner.url == "https://github.com/acme/web/issues/14"
        # 23:59:59 at UTC-2 is the next day in UTC
        assert items["github:acme/web#11"].closed == dt.date(2026, 10, 2)
        assert items["github:acme/web#17"].closed is None
        # gh writes one line: each item is placed by its column
        path = tmp_path / "trackers" / "gh-issues.json"
        for item in items.values():
            assert item.span.line == 1
            there, _ = json.JSONDecoder().raw_decode(text_at(path, 1, item.span.column))
            assert there["url"] == item.url

    def test_not_planned_is_dropped_and_never_done(self, tmp_path: Path) -> None:
        items = by_key(read(tmp_path, "gh-issues.json"))
        welsh = items["github:acme/web#12"]
        assert welsh.status == "dropped" and welsh.closed == dt.date(2026, 10, 2)

    def test_a_wrapped_array_says_its_own_time(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-issues-wrapped.json")
        export = only_export(trackers)
        assert export.taken == TAKEN  # 10:00 at +01:00
        assert [i.ref.text for i in export.items] == ["github:acme/web#17", "github:acme/web#16"]
        assert [i.span.line for i in export.items] == [4, 33]  # pretty-printed by jq
        assert trackers.problems == ()

    def test_an_item_moved_to_another_repository_is_keyed_where_it_is_now(
        self, tmp_path: Path
    ) -> None:
        trackers = read(tmp_path, "gh-issues.json")
        [moved] = trackers.items_of(ItemRef("github", "acme/platform#204"))
        assert moved.title == "Consent API" and moved.file == "trackers/gh-issues.json"
        assert trackers.items_of(ItemRef("github", "acme/web#204")) == ()
        # however the reference is written
        for written in (
            "github:ACME/Platform#204",
            "https://github.com/acme/platform/issues/204",
            "https://github.com/acme/platform/pull/204/",
        ):
            ref = parse_ref(written)
            assert ref is not None and trackers.items_of(ref) == (moved,), written

    def test_an_empty_export(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-issues-empty.json")
        export = only_export(trackers)
        assert export.items == () and export.taken == TAKEN and trackers.problems == ()

    def test_an_export_cut_short_keeps_the_issues_before_the_cut(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-issues-cut.json")
        export = only_export(trackers)
        assert [i.ref.text for i in export.items] == ["github:acme/web#17", "github:acme/web#16"]
        [problem] = trackers.problems
        assert problem.file == "trackers/gh-issues-cut.json"
        assert problem.message == "the JSON is not well-formed: the file ends inside this string"
        assert problem.span.line == 1
        path = tmp_path / "trackers" / "gh-issues-cut.json"
        assert text_at(path, 1, problem.span.column) == '"Consent'
        assert problem.source_line is not None and "hint" not in problem.message

    def test_odd_fields_are_problems_at_their_place_and_the_rest_is_read(
        self, tmp_path: Path
    ) -> None:
        trackers = read(tmp_path, "gh-issues-odd.json")
        items = by_key(trackers)
        assert list(items) == [
            "github:acme/web#21",
            "github:acme/web#22",
            "github:acme/web#24",
            "github:acme/web#26",
            "github:acme/web#27",
        ]
        odd = items["github:acme/web#24"]
        assert odd.status == "done" and odd.closed is None and odd.assignees == ()
        assert odd.labels == ("ok",)
        assert items["github:acme/web#22"].status is None
        assert items["github:acme/web#26"].status is None  # CLOSED/WONTFIX: no such reason
        path = tmp_path / "trackers" / "gh-issues-odd.json"
        found = {p.where: p for p in trackers.problems}
        assert set(found) == {
            "items[1].state",
            "items[2].url",
            "items[3].assignees",
            "items[3].closedAt",
            "items[3].labels[1]",
            "items[4]",
            "items[5].number",
            "items[5].state",
        }
        for where, starts in (
            ("items[1].state", "null"),
            ("items[2].url", '"https://gitlab.com'),
            ("items[3].closedAt", '"yesterday"'),
            ("items[3].labels[1]", "5"),
            ("items[4]", '"not an issue"'),
            ("items[5].number", "25"),
            ("items[5].state", '"CLOSED"'),
        ):
            span = found[where].span
            assert text_at(path, span.line, span.column).startswith(starts), where
        assert "tracker_states" in (found["items[5].state"].hint or "")

    def test_a_problem_becomes_a_finding_of_the_rule_it_is_given(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-project.json")
        [problem] = trackers.problems
        finding = problem.finding("PB009")
        assert (finding.rule, finding.file, finding.yaml_path) == (
            "PB009",
            "trackers/gh-project.json",
            "items[4].status",
        )
        assert finding.span == problem.span and finding.hint == problem.hint
        assert finding.source_line is not None and '"status":"Blocked"' in finding.source_line

    def test_an_array_without_a_time_is_a_problem_and_still_read(self, tmp_path: Path) -> None:
        folder = folder_of(tmp_path, "gh-issues.json", sidecars=False)
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        export = only_export(trackers)
        assert export.taken is None and len(export.items) == 7
        [problem] = trackers.problems
        assert problem.message == "the export does not say when it was taken"
        assert "gh-issues.json.taken" in (problem.expected or "")

    def test_two_times_for_one_export_must_agree(self, tmp_path: Path) -> None:
        folder = folder_of(tmp_path, "gh-issues-wrapped.json")
        (folder / "gh-issues-wrapped.json.taken").write_text("2026-12-02T09:00:00Z\n")
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        assert only_export(trackers).taken == TAKEN  # the export's own
        [problem] = trackers.problems
        assert problem.file == "trackers/gh-issues-wrapped.json.taken"
        assert (
            "2026-12-01T09:00:00Z" in problem.message and "2026-12-02T09:00:00Z" in problem.message
        )

    def test_a_time_that_is_no_time(self, tmp_path: Path) -> None:
        folder = folder_of(tmp_path, "gh-issues.json", sidecars=False)
        (folder / "gh-issues.json.taken").write_text("2026-12-01 09:00\n")  # no zone
        (folder / "orphan.json.taken").write_text("2026-12-01T09:00:00Z\n")
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        assert problems(trackers) == [
            (
                "trackers/gh-issues.json.taken",
                1,
                "",
                "'2026-12-01 09:00' is not a time with its time zone",
            ),
            (
                "trackers/orphan.json.taken",
                None,
                "",
                "no export 'orphan.json' beside it to say the time of",
            ),
        ]


class TestGitHubProject:
    def test_items_are_read_by_their_status_field(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-project.json")
        export = only_export(trackers)
        assert export.kind == "gh-project" and export.taken == TAKEN
        items = by_key(trackers)
        # the draft issue has no number: nothing can name it, so it is left out
        assert {key: (i.status, i.state) for key, i in items.items()} == {
            "github:acme/web#17": ("doing", "In Progress"),
            "github:acme/web#18": ("doing", "In Review"),
            "github:acme/web#14": ("done", "Done"),
            "github:acme/platform#204": ("todo", "No Status"),
            "github:acme/web#19": (None, "Blocked"),
        }
        opt_out = items["github:acme/web#17"]
        assert opt_out.assignees == ("ada",) and opt_out.labels == ("ux",)
        assert opt_out.iterations == ("Q1 launch", "Sprint 9")
        assert opt_out.closed is None  # a project does not say when its items closed
        assert items["github:acme/web#18"].url == "https://github.com/acme/web/pull/18"
        [unknown] = trackers.problems
        assert unknown.where == "items[4].status" and unknown.message.startswith(
            "unknown state 'Blocked'"
        )
        assert 'tracker_states: {"Blocked": doing}' in (unknown.hint or "")

    def test_the_option_says_what_a_custom_status_means(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-project.json", blocked="doing")
        assert by_key(trackers)["github:acme/web#19"].status == "doing"
        assert trackers.problems == ()

    def test_an_empty_project(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-project-empty.json")
        assert only_export(trackers).items == () and trackers.problems == ()

    def test_an_export_cut_at_gh_s_limit_is_a_problem(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-project-cut.json")
        assert len(only_export(trackers).items) == 2
        [problem] = trackers.problems
        assert problem.message == "the export holds 2 of the project's 41 items"
        assert "--limit" in (problem.hint or "")

    def test_an_item_in_two_exports_is_found_in_both(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "gh-issues.json", "gh-project.json")
        found = trackers.items_of(ItemRef("github", "acme/web#17"))
        assert [(i.file, i.status) for i in found] == [
            ("trackers/gh-issues.json", "todo"),
            ("trackers/gh-project.json", "doing"),
        ]


class TestJira:
    def test_repeated_columns_keep_every_value(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "jira.csv")
        export = only_export(trackers)
        assert export.kind == "jira-csv" and export.taken == TAKEN
        banner = by_key(trackers)["jira:PROJ-101"]
        assert banner.labels == ("consent", "ux", "web")
        assert banner.iterations == ("Sprint 8", "Sprint 9")
        assert banner.title == "Consent banner" and banner.assignees == ("Ada Lovelace",)
        assert banner.url is None  # Jira does not say its host
        # the description of PROJ-101 holds a line break: PROJ-102 starts on line 4
        assert [i.span.line for i in export.items] == [2, 4, 5, 6, 7]

    def test_the_category_decides_but_abandoned_work_is_dropped(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "jira.csv")
        assert {k: (i.status, i.state, i.closed) for k, i in by_key(trackers).items()} == {
            "jira:PROJ-101": ("done", "Done", dt.date(2026, 11, 20)),
            "jira:PROJ-102": ("doing", "In QA", None),
            "jira:PROJ-103": ("todo", "Selected for Development", None),
            "jira:PROJ-104": ("dropped", "Won't Do", dt.date(2026, 11, 10)),
            "jira:PROJ-105": ("done", "Shipped", dt.date(2026, 11, 28)),
        }
        assert trackers.problems == ()

    def test_without_a_category_the_name_decides(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "jira-old.csv")
        items = by_key(trackers)
        assert items["jira:OLD-1"].status == "done" and items["jira:OLD-1"].closed == dt.date(
            2026, 10, 1
        )
        assert items["jira:OLD-2"].status == "doing"
        assert items["jira:OLD-3"].status is None
        assert problems(trackers) == [
            (
                "trackers/jira-old.csv",
                5,
                "Status",
                "unknown state 'Parked': its status is not known",
            ),
            ("trackers/jira-old.csv", 6, "Resolved", "Resolved '31/Feb/26 10:00 AM' is not a date"),
        ]
        again = read(tmp_path, "jira-old.csv", PARKED="todo")
        assert by_key(again)["jira:OLD-3"].status == "todo"
        assert len(again.problems) == 1

    def test_malformed_rows_are_problems_and_the_rest_is_read(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "jira-malformed.csv")
        assert list(by_key(trackers)) == ["jira:BAD-1", "jira:BAD-5", "jira:BAD-6"]
        found = problems(trackers)
        assert [(line, where) for _, line, where, _ in found] == [
            (4, "Issue key"),
            (5, ""),
            (6, ""),
            (9, ""),
        ]
        messages = [message for *_, message in found]
        assert messages[0] == "'bad-2' is not a Jira issue key"
        assert messages[1] == "text after the quote that closes the cell"
        assert messages[2].startswith("the row has 5 cells, the header 4")
        assert messages[3] == "this quote is never closed: the rest of the file is one cell"
        quote = trackers.problems[3].span
        path = tmp_path / "trackers" / "jira-malformed.csv"
        assert text_at(path, quote.line, quote.column).startswith('"Never closed')

    def test_an_empty_export(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "jira-empty.csv")
        assert only_export(trackers).items == () and trackers.problems == ()


class TestLinear:
    def test_states_by_name_then_by_type(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "linear.csv")
        export = only_export(trackers)
        assert export.kind == "linear-csv" and export.taken == TAKEN
        assert {k: (i.status, i.state, i.closed) for k, i in by_key(trackers).items()} == {
            "linear:ENG-40": ("done", "Done", dt.date(2026, 11, 27)),
            "linear:ENG-41": ("doing", "In Review", None),
            "linear:ENG-42": ("doing", "QA", None),  # custom, but Started: started work
            "linear:ENG-43": (None, "Icebox", None),  # custom, no time: unknown
            "linear:ENG-44": ("dropped", "Won't ship", dt.date(2026, 11, 20)),  # Canceled
            "linear:ENG-45": ("todo", "Todo", None),  # a short row
        }
        [unknown] = trackers.problems
        assert (unknown.span.line, unknown.where) == (6, "Status")

    def test_labels_cycles_and_assignees(self, tmp_path: Path) -> None:
        service = by_key(read(tmp_path, "linear.csv"))["linear:ENG-40"]
        assert service.labels == ("Backend", "Privacy")
        assert service.iterations == ("Cycle 9",)
        assert service.assignees == ("ada@acme.example",)
        assert service.title == "Consent service" and service.url is None


class TestPlainCsv:
    def test_every_form_of_item(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "plain.csv")
        export = only_export(trackers)
        assert export.kind == "csv" and export.taken == TAKEN
        items = by_key(trackers)
        assert {k: (i.status, i.closed) for k, i in items.items()} == {
            "github:acme/web#14": ("done", dt.date(2026, 11, 20)),
            "jira:PROJ-101": ("done", dt.date(2026, 11, 20)),
            "linear:ENG-42": ("doing", None),
            "https://tracker.example.com/T-7": ("dropped", dt.date(2026, 10, 31)),
            "https://tracker.example.com/T-8": ("todo", None),
            "github:acme/web#15": ("todo", None),
            "github:acme/web#16": ("done", None),
            "github:acme/web#17": (None, None),
        }
        assert items["jira:PROJ-101"].assignees == ("Ada Lovelace", "Linus")
        assert items["github:acme/web#14"].labels == ("ux", "web")
        assert items["github:acme/web#15"].url == "https://github.com/acme/web/issues/15"
        # a Jira issue given with its address is found by the address as well
        ref = parse_ref("https://acme.atlassian.net/browse/PROJ-101")
        assert ref is not None and trackers.items_of(ref) == (items["jira:PROJ-101"],)
        assert problems(trackers) == [
            ("trackers/plain.csv", 8, "item", "'not-a-ref' names no item"),
            (
                "trackers/plain.csv",
                9,
                "url",
                "url 'javascript:alert(1)' is not an address a page can link to",
            ),
            ("trackers/plain.csv", 10, "closed", "closed '31/11/2026' is not a day"),
            ("trackers/plain.csv", 11, "status", "unknown state 'Parked': its status is not known"),
        ]

    def test_an_empty_export(self, tmp_path: Path) -> None:
        trackers = read(tmp_path, "plain-empty.csv")
        assert only_export(trackers).items == () and trackers.problems == ()

    def test_a_misspelt_column_is_reported(self, tmp_path: Path) -> None:
        folder = tmp_path / "trackers"
        folder.mkdir()
        (folder / "x.csv").write_text(
            "# taken: 2026-12-01T09:00:00Z\nitem,stauts,status\ngithub:a/b#1,done,todo\n"
        )
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        [problem] = trackers.problems
        assert problem.message == "the column 'stauts' is not one prepbook reads"
        assert problem.hint == "did you mean 'status'?" and problem.span.column == 6
        assert by_key(trackers)["github:a/b#1"].status == "todo"

    def test_a_header_that_names_no_known_column(self, tmp_path: Path) -> None:
        folder = tmp_path / "trackers"
        folder.mkdir()
        (folder / "x.csv").write_text("# taken: 2026-12-01T09:00:00Z\nkey,state\nA-1,done\n")
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        assert [(p.span.line, p.message) for p in trackers.problems] == [
            (2, "the header names no column that tells which export this is")
        ]
        assert trackers.exports == ()


class TestFolder:
    def test_a_missing_folder_is_no_export(self, tmp_path: Path) -> None:
        trackers = read_trackers(tmp_path / "trackers", CAP)
        assert trackers.exports == () and trackers.problems == ()

    def test_reading_is_deterministic_and_in_path_order(self, tmp_path: Path) -> None:
        folder = folder_of(tmp_path, "plain.csv", "gh-project.json", "jira.csv")
        (folder / "team-b").mkdir()
        shutil.copy(FIXTURES / "linear.csv", folder / "team-b" / "linear.csv")
        (folder / "README.md").write_text("How we export.\n")
        (folder / ".hidden.json").write_text("not read")
        os.chdir(tmp_path)
        first, second = read_trackers(folder, CAP), read_trackers(folder, CAP)
        assert (
            first == second
            and first.exports
            and [(e.file, len(e.items)) for e in first.exports]
            == [
                ("trackers/gh-project.json", 5),
                ("trackers/jira.csv", 5),
                ("trackers/plain.csv", 8),
                ("trackers/team-b/linear.csv", 6),
            ]
        )

    def test_a_file_that_is_no_export_is_reported(self, tmp_path: Path) -> None:
        folder = folder_of(tmp_path, "plain.csv")
        (folder / "issues.xlsx").write_bytes(b"PK\x03\x04")
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        assert problems(trackers) == [
            ("trackers/issues.xlsx", None, "", "not a tracker export prepbook reads")
        ] + [p for p in problems(trackers) if p[0] == "trackers/plain.csv"]

    def test_files_that_cannot_be_read_are_problems_and_the_rest_is_read(
        self, tmp_path: Path
    ) -> None:
        folder = folder_of(tmp_path, "gh-issues.json")
        (folder / "big.json").write_text("[" + ",".join(["1"] * 3000) + "]")
        (folder / "latin1.csv").write_bytes(
            b"# taken: 2026-12-01T09:00:00Z\nitem,status\ncaf\xe9,done\n"
        )
        (folder / "wide.csv").write_bytes("item,status\n".encode("utf-16"))
        (folder / "nul.json").write_bytes(b"[]\x00")
        outside = tmp_path / "elsewhere.json"
        outside.write_text("[]")
        (folder / "link.json").symlink_to(outside)
        os.mkfifo(folder / "pipe.json")
        os.chdir(tmp_path)
        trackers = read_trackers(folder, 4000)
        assert [e.file for e in trackers.exports] == ["trackers/gh-issues.json"]
        found = {p.file: p for p in trackers.problems}
        assert found["trackers/big.json"].message.startswith("cannot read the export: the file is")
        assert "max_file_bytes" in (found["trackers/big.json"].hint or "")
        latin = found["trackers/latin1.csv"]
        assert latin.message == "byte 0xe9 is not UTF-8" and (
            latin.span.line,
            latin.span.column,
        ) == (
            3,
            4,
        )
        assert found["trackers/wide.csv"].message == "the export is UTF-16 encoded"
        assert found["trackers/nul.json"].message == "the export holds a NUL byte"
        assert "outside the trackers folder" in found["trackers/link.json"].message
        assert "named pipe" in found["trackers/pipe.json"].message

    def test_hostile_json_is_bounded(self, tmp_path: Path) -> None:
        folder = tmp_path / "trackers"
        folder.mkdir()
        (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
        (folder / "number.json").write_text(
            '{"taken":"2026-12-01T09:00:00Z","items":[' + "9" * 5000 + "]}"
        )
        (folder / "twice.json").write_text(
            '{"taken":"2026-12-01T09:00:00Z","items":[{"url":"https://github.com/a/b/issues/1",'
            '"state":"OPEN","state":"CLOSED"}]}'
        )
        (folder / "surrogate.json").write_text(
            '{"taken":"2026-12-01T09:00:00Z","items":["\\ud800"]}'
        )
        (folder / "nan.json").write_text('{"taken":"2026-12-01T09:00:00Z","items":[NaN]}')
        os.chdir(tmp_path)
        trackers = read_trackers(folder, 10 * CAP)
        found = {p.file: p.message for p in trackers.problems}
        assert (
            found["trackers/deep.json"]
            == f"the JSON is not well-formed: nesting deeper than {MAX_DEPTH} levels"
        )
        assert found["trackers/number.json"].endswith("a number of more than 100 digits")
        assert found["trackers/surrogate.json"].endswith("an escaped lone surrogate, no character")
        assert found["trackers/nan.json"].endswith("unexpected 'N' where a value was expected")
        assert found["trackers/twice.json"] == (
            "the key 'state' is given twice in one object; the first is read"
        )
        assert by_key(trackers)["github:a/b#1"].state == "OPEN"

    @pytest.mark.parametrize(
        "name", sorted(p.name for p in FIXTURES.glob("*.json") if "cut" not in p.name)
    )
    def test_the_quick_reading_places_every_value_as_the_walk_does(self, name: str) -> None:
        """gh's lists are cut into items by json's decoder, and a value inside an item is
        placed only when asked, by walking that item: the places are the walk's."""
        text = (FIXTURES / name).read_text(encoding="utf-8")
        walked, quick = walk_json(text), read_json(text)
        assert walked.error is None and quick.value == walked.value
        assert quick.unwalked or "empty" in name  # the quick reading was the one taken
        for path, start in sorted(walked.starts.items(), key=lambda kv: kv[1]):
            assert quick.start(path) == start, path
            assert quick.whole(path) == walked.whole(path) or len(path) > 2, path

    @pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
    def test_the_quick_reading_places_every_cell_as_the_tokenizer_does(self, name: str) -> None:
        """Python's csv module reads a CSV export, and a cell is placed only when asked, by
        reading its record again: the places are those of this module's own reading, and
        a file the csv module refuses is read by that one."""
        text = (FIXTURES / name).read_bytes().decode("utf-8-sig")
        quick, tokenized = read_csv(text), tokenize_csv(text)
        assert quick.taken == tokenized.taken and quick.bad == tokenized.bad
        assert quick.header is not None and tokenized.header is not None
        assert quick.header.names == tokenized.header.names
        records = [(r.offset, r.texts, r.offsets) for r in quick.records]
        assert records == [(r.offset, r.texts, r.offsets) for r in tokenized.records]
        assert bool(quick.bad) == (name == "jira-malformed.csv")

    def test_text_no_page_may_show_is_replaced_and_reported(self, tmp_path: Path) -> None:
        folder = tmp_path / "trackers"
        folder.mkdir()
        (folder / "x.csv").write_text(
            "# taken: 2026-12-01T09:00:00Z\nitem,title,status\n"
            'github:a/b#1,"Safe\u202e txt.exe\x1b[2J",todo\n'
        )
        os.chdir(tmp_path)
        trackers = read_trackers(folder, CAP)
        assert by_key(trackers)["github:a/b#1"].title == "Safe\ufffd txt.exe\ufffd[2J"
        [problem] = trackers.problems
        assert problem.where == "title" and "bidirectional" in problem.message


class TestStates:
    def test_the_table_in_the_docs_holds_every_row(self) -> None:
        page = states_markdown()
        for row in STATE_TABLE:
            label = TRACKERS[row.tracker].label
            assert f"| {label} | {row.field} | `{row.value}` | {row.status} |" in page
        assert "`CLOSED/NOT_PLANNED` | dropped" in page
        assert "tracker_states" in page

    def test_the_playbook_s_own_names_come_first_without_case(self) -> None:
        states = States({"Done": "dropped", "In QA": "doing"})
        assert states.status("jira", "done") == "dropped"
        assert states.status("jira", "in qa") == "doing"
        assert States().status("jira", "Done") == "done"
        assert States().status("jira", "In QA", ("status category", "In Progress")) == "doing"
        assert States().status("jira", "In QA") is None
        assert States().status("github", "CLOSED/WONTFIX") is None  # never CLOSED's


class TestOption:
    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ({"QA": "maybe"}, "tracker_states.QA: input should be 'todo', 'doing', 'done' or"),
            ({"QA": "doing", "qa": "done"}, "'QA' and 'qa' are one name"),
            ({" ": "done"}, "a state name is empty"),
            ({"Q\x1bA": "done"}, "holds a control character"),
            ({"x" * 101: "done"}, "a state name of at most 100 characters"),
            ({str(n): "done" for n in range(201)}, "at most 200 items"),
            (["QA"], "input should be a valid dictionary"),
        ],
    )
    def test_tracker_states_is_validated(self, value: object, reason: str) -> None:
        with pytest.raises(OptionError) as raised:
            Settings.check_option("tracker_states", value)
        assert reason in raised.value.reason
        assert "expected a mapping from text to one of todo, doing, done, dropped" in str(
            raised.value
        )

    def test_tracker_states_takes_a_mapping_of_names(self) -> None:
        assert Settings.check_option("tracker_states", {" QA ": "doing"}) == {"QA": "doing"}
        assert Settings().tracker_states == {} and Settings().trackers == "trackers"

    def test_a_bad_option_stops_validate_and_the_build(self, tmp_path: Path) -> None:
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: x\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
            "plugins:\n  - prepbook:\n      tracker_states: {QA: later}\n"
        )
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "index.md").write_text("# x\n")
        for command, code in ((["prepbook", "validate"], 2), (["mkdocs", "build"], 1)):
            done = subprocess.run(
                [sys.executable, "-m", *command],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == code, done.stderr
            assert "Traceback" not in done.stderr
            assert "'tracker_states'" in done.stderr and "'later' given" not in done.stderr
            assert "{'QA': 'later'} given in mkdocs.yml" in done.stderr

    def test_a_trackers_folder_that_is_set_must_exist(self, tmp_path: Path) -> None:
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: x\nplugins:\n  - prepbook:\n      trackers: exports\n"
        )
        done = subprocess.run(
            [sys.executable, "-m", "prepbook", "validate"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 2
        assert "option 'trackers': 'exports' given in mkdocs.yml" in done.stderr
        assert "expected an existing folder" in done.stderr


def tracks_findings(*entries: str):
    text = minimal() + "      tracks:\n" + "".join(f"        - {json.dumps(e)}\n" for e in entries)
    source, found = parse_source(text.encode(), "w.yaml")
    assert found == [] and source is not None
    model, findings, _ = validate_workshop(source)
    return text, model, findings


class TestTracksField:
    def test_every_form_is_accepted_and_parsed(self) -> None:
        forms = {
            "github:acme/web#12": (
                "github",
                "acme/web#12",
                "https://github.com/acme/web/issues/12",
            ),
            "github:acme/.github#1": (
                "github",
                "acme/.github#1",
                "https://github.com/acme/.github/issues/1",
            ),
            "jira:PROJ-123": ("jira", "PROJ-123", None),
            "linear:ENG-42": ("linear", "ENG-42", None),
            "https://acme.atlassian.net/browse/PROJ-9": (
                "jira",
                "PROJ-9",
                "https://acme.atlassian.net/browse/PROJ-9",
            ),
            "https://linear.app/acme/issue/ENG-7/consent-flags": (
                "linear",
                "ENG-7",
                "https://linear.app/acme/issue/ENG-7/consent-flags",
            ),
            "https://tracker.example.com/T-7": (
                "url",
                "https://tracker.example.com/T-7",
                "https://tracker.example.com/T-7",
            ),
        }
        _, model, findings = tracks_findings(*forms)
        assert findings == [] and model is not None
        assert model.roadmap.steps[0].tracks == list(forms)
        for written, (system, key, url) in forms.items():
            ref = parse_ref(written)
            assert ref is not None and (ref.system, ref.key, ref.url) == (system, key, url)

    @pytest.mark.parametrize(
        ("entry", "message", "hint"),
        [
            ("jira:proj-1", "'jira:proj-1' is not a jira item reference", "jira:PROJ-1"),
            (
                "github:acme#3",
                "'github:acme#3' is not a github item reference",
                "github:acme/repo#3",
            ),
            (
                "github:acme/web",
                "'github:acme/web' is not a github item reference",
                "github:acme/web#12",
            ),
            ("linear:ENG42", "'linear:ENG42' is not a linear item reference", "linear:ENG-42"),
            ("#12", "'#12' names no tracker", "github:org/repo#12"),
            ("gitlab:a/b#1", "'gitlab:a/b#1' is not an item reference", "'gitlab'"),
            ("https://a b", "'https://a b' is not an address prepbook can link to", None),
            (
                "javascript:alert(1)",
                "'javascript:alert(1)' is not an item reference",
                "'javascript'",
            ),
            ('https://x.y/"onmouseover="a', "is not an address prepbook can link to", None),
        ],
    )
    def test_a_reference_off_its_form_is_explained(
        self, entry: str, message: str, hint: str | None
    ) -> None:
        text, _, findings = tracks_findings("jira:PROJ-1", entry)
        [finding] = findings
        assert finding.rule == "PB103" and message in finding.message
        assert finding.yaml_path == "roadmap.steps[0].tracks[1]"
        assert finding.span.line == len(text.splitlines())
        assert finding.expected and "pattern" not in finding.expected
        assert TRACK_PATTERN not in finding.message
        if hint is not None:
            assert hint in (finding.hint or ""), finding.hint


class TestExamples:
    def test_every_tracked_step_of_the_examples_is_in_an_export(self) -> None:
        import yaml

        os.chdir(REPO)
        trackers = read_trackers(REPO / "trackers", CAP)
        assert trackers.problems == ()
        assert {e.kind for e in trackers.exports} == {
            "gh-issues",
            "gh-project",
            "jira-csv",
            "linear-csv",
            "csv",
        }
        tracked = 0
        for path in sorted((REPO / "workshops").glob("*.yaml")):
            for step in yaml.safe_load(path.read_text())["roadmap"]["steps"]:
                for entry in step.get("tracks", []):
                    ref = parse_ref(entry)
                    assert ref is not None and trackers.items_of(ref), (path.name, entry)
                    tracked += 1
        assert tracked >= 15


def test_the_format_reference_holds_the_table_of_tracker_states() -> None:
    from prepbook.docs.reference import format_page

    page = format_page()
    section = page[page.index("## Tracker states") :]
    # GitHub's not-planned close is dropped, never done; every built-in row is listed
    assert "| `CLOSED/NOT_PLANNED` | dropped |" in section
    assert section.count("\n| ") >= 10
