"""Whether it worked: for each shipped priority, and each priority a metric with readings
measures, a small chart per metric (baseline, target, readings) with its data as a table,
and the numbers in words, on the workshop's page."""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.model import Metric
from prepbook.outcomes import progress
from prepbook.render.pictures import progress_words
from prepbook.render.site import render_site
from tests.conftest import minimal

WORDS = "Churn: 4.2 % → 4 % of a target of 3.8 %, 50 % of the way, read 2026-12-01"


def _workshop(*, shipped: bool, readings: bool) -> str:
    data = yaml.safe_load(minimal())
    data["metrics"][0].update(unit="%", baseline=4.2, target=3.8)
    if readings:
        data["metrics"][0]["readings"] = [
            {"date": "2026-12-01", "value": 4.0, "source": "Billing export"},
            {"date": "2026-10-01", "value": 4.1},
        ]
    data["roadmap"]["steps"][0]["status"] = "done" if shipped else "in-progress"
    return yaml.safe_dump(data, sort_keys=False)


def _page(playbook: Any, text: str) -> str:
    root = playbook({"mini.yaml": text})
    checked = check(Project(Settings(), root))
    return html.unescape(render_site(checked.playbook, checked.report).pages["workshops/mini.md"])


class TestProgressWords:
    def test_the_sentence_of_the_issue(self) -> None:
        metric = Metric.model_validate(
            {
                "id": "retention",
                "title": "Retention",
                "category": "retention",
                "unit": "%",
                "baseline": 31,
                "target": 38,
                "direction": "increase",
                "readings": [{"date": "2026-11-30", "value": 34}],
            }
        )
        assert progress_words(progress(metric)) == (
            "Retention: 31 % → 34 % of a target of 38 %, 43 % of the way, read 2026-11-30"
        )

    def test_a_metric_without_readings_says_so(self) -> None:
        metric = Metric.model_validate(
            {"id": "nps", "title": "NPS", "category": "satisfaction", "direction": "increase"}
        )
        assert progress_words(progress(metric)) == "NPS: no reading yet"


class TestProgressOnThePage:
    def test_a_shipped_priority_shows_a_chart_and_its_numbers(self, playbook) -> None:
        page = _page(playbook, _workshop(shipped=True, readings=True))
        assert "**Did it work?**" in page
        svg = re.search(r'<svg [^>]*id="pb-progress-mini-offers-mini-churn".*?</svg>', page)
        assert svg is not None
        chart = svg.group(0)
        assert '<title id="pb-progress-mini-offers-mini-churn-title">Progress of Churn' in chart
        assert f"{WORDS}.</desc>" in chart
        assert chart.count('class="pb-reading"') == 2 and "pb-target" in chart
        assert "baseline 4.2 %" in chart and "target 3.8 %" in chart
        # the data as a table: baseline, each reading in date order, target
        table = page.split(chart, 1)[1].split("</table>", 1)[0]
        cells = re.findall(r"<td>([^<]*)</td>", table)
        assert cells == [
            *("baseline", "", "4.2 %", "", ""),
            *("reading", "2026-10-01", "4.1 %", "25 %", ""),
            *("reading", "2026-12-01", "4 %", "50 %", "Billing export"),
            *("target", "", "3.8 %", "100 %", ""),
        ]
        assert f"<figcaption>{WORDS}</figcaption>" in page

    def test_a_shipped_priority_without_readings_says_none_yet(self, playbook) -> None:
        page = _page(playbook, _workshop(shipped=True, readings=False))
        assert "**Did it work?**" in page and "Churn: no reading yet" in page
        assert "pb-progress-" not in page

    def test_a_priority_with_readings_shows_them_before_it_ships(self, playbook) -> None:
        page = _page(playbook, _workshop(shipped=False, readings=True))
        assert "pb-progress-mini-offers-mini-churn" in page

    def test_nothing_shipped_and_nothing_read_shows_nothing(self, playbook) -> None:
        page = _page(playbook, _workshop(shipped=False, readings=False))
        assert "Did it work?" not in page

    def test_the_example_shipped_priority_shows_its_progress(self, playbook) -> None:
        root = playbook(examples=True)
        checked = check(Project(Settings(), root))
        page = html.unescape(
            render_site(checked.playbook, checked.report).pages["workshops/harbor-bank.md"]
        )
        outcomes = page.split("**Did it work?**", 1)[1]
        shipped = outcomes.index("Subscription price-rise check")
        assert shipped < outcomes.index("Warning before the balance goes below zero")
        assert (
            "Nudges rated helpful: 62 % → 71 % of a target of 75 %, 69 % of the way, "
            "read 2026-12-04" in outcomes
        )
        assert "pb-progress-harbor-bank-subscription-check" in outcomes
