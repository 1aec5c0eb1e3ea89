"""The write-up's score is named for what it measures: completeness, on every page and in
every output (the asset's readiness keeps its name), and a silenced rule shows as
silenced in the score and in the team chart, never as covered."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.render.site import render_site
from tests.conftest import minimal

REASON = "Marketing joins from the agency at the next workshop."


def _without_marketing(silenced: bool) -> str:
    data = yaml.safe_load(minimal())
    data["team"] = [m for m in data["team"] if m["function"] != "marketing"]
    if silenced:
        data["silence"] = [{"rule": "PB310", "covers": ["marketing"], "reason": REASON}]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _pages(root: Any) -> dict[str, str]:
    checked = check(Project(Settings(), root))
    return render_site(checked.playbook, checked.report).pages


class TestNamedCompleteness:
    def test_pages_say_completeness_and_what_it_measures(self, playbook) -> None:
        partial = minimal().replace(
            "kind: data\n    readiness: ready", "kind: data\n    readiness: partial"
        )
        pages = _pages(playbook({"mini.yaml": partial}))
        workshop, portfolio = pages["workshops/mini.md"], pages["index.md"]
        assert "write-up completeness <span" in workshop
        assert "## Completeness" in workshop and "#workshop-completeness" in workshop
        assert "Completeness measures how complete this write-up is" in workshop
        assert "Write-up completeness" in portfolio
        for text in (workshop, portfolio):
            assert not re.search(r"readiness <span|## Readiness|workshop-readiness", text)
            assert "| Readiness |" not in text.replace('Readiness" | unindexed', "")
            assert "% · ready" not in text
        # the asset's readiness keeps its name: the open gaps' column, how ready it is
        assert '"Readiness"' not in workshop and "Readiness" in workshop
        assert "CRM data](#asset-crm) (partial)" in workshop

    def test_validate_summary_prints_the_completeness_table(self, playbook, cli) -> None:
        root = playbook({"mini.yaml": minimal()})
        out = cli("validate", "--summary", cwd=root).out
        assert "completeness  rules broken" in out and "readiness" not in out

    def test_json_reports_completeness_and_the_old_key_for_one_release(self, playbook, cli) -> None:
        root = playbook({"mini.yaml": minimal()})
        document = json.loads(cli("validate", "--format", "json", cwd=root).out)
        assert document["completeness"]["mini"]["score"] == 100
        assert document["readiness"] == document["completeness"]


class TestSilencedShownAsSilenced:
    def test_the_badge_counts_the_silenced_rule(self, playbook) -> None:
        page = _pages(playbook({"mini.yaml": _without_marketing(True)}))["workshops/mini.md"]
        header = next(line for line in page.splitlines() if "write-up completeness" in line)
        assert "100% · complete · 1 silenced" in header

    def test_the_team_section_says_the_rule_is_silenced_with_its_reason(self, playbook) -> None:
        page = _pages(playbook({"mini.yaml": _without_marketing(True)}))["workshops/mini.md"]
        team = page.split("## Team", 1)[1].split("\n## ", 1)[0]
        assert "Functions not covered: marketing." in team
        assert "silenced for this workshop" in team and REASON in team
        assert "not covered (rule silenced)" in team  # the chart's tile and its data

    def test_a_function_missing_without_a_silence_is_just_not_covered(self, playbook) -> None:
        page = _pages(playbook({"mini.yaml": _without_marketing(False)}))["workshops/mini.md"]
        team = page.split("## Team", 1)[1].split("\n## ", 1)[0]
        assert "not covered" in team and "silenced" not in team
        header = next(line for line in page.splitlines() if "write-up completeness" in line)
        assert "silenced" not in header
