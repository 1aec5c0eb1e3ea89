"""The workshop day: each workshop's facilitation kit (agenda with clock times, audit
worksheet, persofail cards, prioritisation sheet) and its one-page decision record, made
from its file as pages of the site, built for real in tmp_path."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from prepbook.build import build
from prepbook.config import Project, Settings
from prepbook.model.agenda import Agenda
from prepbook.render.kit import BLANK_CARDS, agenda_rows
from tests.conftest import EXAMPLES, minimal
from tests.test_method_rules import merge


def project_of(root: Path, *workshops: str) -> Project:
    (root / "workshops").mkdir(parents=True, exist_ok=True)
    for text in workshops:
        name = yaml.safe_load(text)["id"]
        (root / "workshops" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return Project(Settings(), root)


def with_(patch: dict[str, object], workshop_id: str = "mini") -> str:
    return yaml.safe_dump(merge(yaml.safe_load(minimal(workshop_id)), patch), sort_keys=False)


def pages(root: Path, *workshops: str) -> dict[str, str]:
    built = build(project_of(root, *workshops), root / "out")
    assert built.report.ok, built.report.findings
    return {path: html.unescape(text) for path, text in built.pages.items()}


class TestAgenda:
    def test_the_methods_defaults_make_a_half_day_with_a_break(self) -> None:
        rows = agenda_rows(None)
        assert [(r.start, r.end, r.is_break) for r in rows] == [
            ("09:30", "09:50", False),
            ("09:50", "10:50", False),
            ("10:50", "11:05", True),
            ("11:05", "11:45", False),
            ("11:45", "12:30", False),
            ("12:30", "13:15", False),
        ]

    def test_the_files_start_minutes_and_breaks_give_the_clock_times(self) -> None:
        agenda = Agenda.model_validate(
            {
                "start": "13:00",
                "minutes": {"audit": 90, "persofails": 30},
                "breaks": [
                    {"after": "team", "minutes": 10, "title": "Coffee"},
                    {"after": "metrics", "minutes": 20},
                ],
            }
        )
        rows = agenda_rows(agenda)
        assert [(r.title, r.start, r.minutes) for r in rows if r.is_break] == [
            ("Coffee", "13:20", 10),
            ("Break", "15:40", 20),
        ]
        assert rows[-1].end == "17:15"  # 20 + 10 + 90 + 40 + 20 + 30 + 45 minutes after 13:00
        assert sum(r.minutes for r in rows) == 255

    def test_the_kit_page_shows_the_files_agenda(self, tmp_path: Path) -> None:
        text = with_({"status": "scheduled", "agenda": {"start": "08:45", "breaks": []}})
        page = pages(tmp_path, text)["kits/mini/index.md"]
        assert "08:45\u201309:05" in page
        assert "The day ends at 12:15." in page
        assert "Break" not in page.split("## Audit worksheet")[0]
        assert "The workshop is scheduled: this is the kit for the day." in page

    @pytest.mark.parametrize(
        ("agenda", "where"),
        [
            ({"start": "25:00"}, "agenda.start"),
            ({"minutes": {"audit": 2}}, "agenda.minutes.audit"),
            ({"breaks": [{"after": "lunch"}]}, "agenda.breaks[0].after"),
            ({"minutes": {"lunch": 30}}, "agenda.minutes.lunch"),
        ],
    )
    def test_a_wrong_agenda_is_a_finding_at_its_path(
        self, cli, tmp_path: Path, agenda: dict[str, object], where: str
    ) -> None:
        project_of(tmp_path, with_({"agenda": agenda}))
        (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - prepbook\n")
        done = cli("validate", "--format", "json", cwd=tmp_path)
        assert done.code == 1, done.err
        [finding] = json.loads(done.out)["findings"]
        assert finding["yaml_path"] == where
        assert finding["span"]["line"] > 1


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example playbook's pages, as the build makes them."""
    root = tmp_path_factory.mktemp("kit")
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
    return pages(root, *texts)


class TestKitPage:
    def test_every_example_has_a_kit_and_a_record_linked_from_its_page(
        self, examples: dict[str, str]
    ) -> None:
        for ws in ("northwind-retail", "harbor-bank", "cadenza-streaming"):
            assert f"kits/{ws}/index.md" in examples and f"records/{ws}/index.md" in examples
            page = examples[f"workshops/{ws}.md"]
            assert f"(../records/{ws}/index.md)" in page and f"(../kits/{ws}/index.md)" in page

    def test_a_card_for_each_persofail_and_blank_ones(self, examples: dict[str, str]) -> None:
        source = yaml.safe_load((EXAMPLES / "northwind-retail.yaml").read_text())
        kit = examples["kits/northwind-retail/index.md"]
        cards = kit.count('<div class="prepbook-card">')
        assert cards == len(source["persofails"]) + BLANK_CARDS
        for persofail in source["persofails"]:
            assert f"<code>{persofail['id']}</code>" in kit
            assert f"#persofail-{persofail['id']}" in kit  # the way back to its entry
        first = source["persofails"][0]["inherent"]
        marked = re.findall(r"prepbook-card__box--marked\">(\d)", kit)
        assert marked[:2] == [str(first["likelihood"]), str(first["severity"])]

    def test_the_audit_worksheet_is_prefilled_by_kind(self, examples: dict[str, str]) -> None:
        source = yaml.safe_load((EXAMPLES / "harbor-bank.yaml").read_text())
        kit = examples["kits/harbor-bank/index.md"]
        sheet = kit.split("## Audit worksheet")[1].split("## Persofail cards")[0]
        for heading in ("### Data", "### Talent", "### Technology", "### Market position"):
            assert heading in sheet
        data = sheet.split("### Data")[1].split("### Talent")[0]
        for asset in source["audit"]:
            if asset["kind"] == "data":
                assert asset["title"] in data
        assert "Did customers consent to this use" in data
        assert data.count("| ready · partial · missing |") == 3

    def test_the_prioritisation_sheet_has_each_candidates_inputs(
        self, examples: dict[str, str]
    ) -> None:
        kit = examples["kits/northwind-retail/index.md"]
        sheet = kit.split("## Prioritisation sheet")[1]
        source = yaml.safe_load((EXAMPLES / "northwind-retail.yaml").read_text())
        for priority in source["priorities"]:
            assert f"(`{priority['id']}`)" in sheet
            score = priority.get("score")
            if score and score["method"] == "rice":
                assert f"reach {score['reach']:,}" in sheet

    def test_the_record_says_what_was_decided_who_owns_it_and_what_could_go_wrong(
        self, examples: dict[str, str]
    ) -> None:
        record = examples["records/northwind-retail/index.md"]
        for heading in ("## What was decided", "## What could go wrong", "## Open gaps"):
            assert heading in record
        decided = record.split("## What was decided")[1].split("## What could go wrong")[0]
        assert "Replenishment reminders timed to each consumable" in decided
        assert "Sophie Lindqvist" in decided  # its owner
        assert "prepbook-status--" in decided  # its delivery status, as a badge
        assert "The workshop was held: this is its record for leadership." in record

    def test_text_from_the_file_is_escaped_on_the_cards(self, tmp_path: Path) -> None:
        hostile = "<script>alert(1)</script> {{ 7*7 }} [x](javascript:alert(1))"
        text = with_({"persofails": [{"id": "creepy", "title": hostile, "scenario": hostile}]})
        built = build(project_of(tmp_path, text), tmp_path / "out")
        kit = built.pages["kits/mini/index.md"]
        assert "<script>" not in kit
        assert "](javascript:" not in kit
        assert "{{ 7*7 }}" not in kit and "49" not in kit.split("## Persofail cards")[1][:2000]
