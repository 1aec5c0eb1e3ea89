"""Risk as it stands: the residual risk now comes from the mitigations that are done, the
planned residual beside it; and a top-N list of risks says what it ranks and its ties."""

from __future__ import annotations

import html
from typing import Any

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.model import Persofail
from prepbook.render.site import render_site
from tests.conftest import minimal

TIMES = "\u00d7"
NOW_HIGH = f"4 {TIMES} 5 = **20** (high)"
PLANNED = f"planned 2 {TIMES} 3 = **6** (medium) once every mitigation is done"


def _with_persofails(persofails: list[dict[str, Any]]) -> str:
    data = yaml.safe_load(minimal())
    data["persofails"] = persofails
    return yaml.safe_dump(data, sort_keys=False)


def _mitigated(*statuses: str) -> dict[str, Any]:
    return {
        "id": "creepy",
        "title": "Creepy",
        "scenario": "Too much is known.",
        "category": "creepiness",
        "inherent": {"likelihood": 4, "severity": 5},
        "residual": {"likelihood": 2, "severity": 3},
        "threatens": ["offers"],
        "mitigations": [
            {"id": f"m{i}", "action": f"Act {i}", "status": s} for i, s in enumerate(statuses)
        ],
    }


def _tied(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"p{i}",
            "title": f"Risk {i}",
            "scenario": "Something goes wrong.",
            "category": "tone",
            "inherent": {"likelihood": 2, "severity": 3},
        }
        for i in range(count)
    ]


def _render(playbook: Any, text: str) -> tuple[dict[str, str], str]:
    root = playbook({"mini.yaml": text})
    checked = check(Project(Settings(), root))
    rendered = render_site(checked.playbook, checked.report, home="playbook/")
    pages = {k: html.unescape(v) for k, v in rendered.pages.items()}
    return pages, html.unescape(rendered.glance)


class TestResidualNow:
    def test_the_model_rule(self) -> None:
        planned = Persofail.model_validate(_mitigated("done", "planned"))
        done = Persofail.model_validate(_mitigated("done", "done"))
        bare = Persofail.model_validate({**_mitigated(), "mitigations": []})
        assert planned.residual_now == planned.inherent and planned.residual_pending
        assert planned.planned_residual == planned.residual
        assert done.residual_now == done.residual and not done.residual_pending
        assert bare.residual_now == bare.inherent  # a residual with nothing to bring it

    def test_a_planned_mitigation_leaves_the_risk_where_it_was(self, playbook) -> None:
        pages, home = _render(playbook, _with_persofails([_mitigated("done", "planned")]))
        workshop = pages["workshops/mini.md"]
        top = workshop.split("**Top risks now**", 1)[1].split("\n\n", 2)[1]
        assert f"{NOW_HIGH}; {PLANNED}" in top
        assert f"Residual risk now {NOW_HIGH}** · {PLANNED}" in workshop  # the record itself
        assert f"residual now {NOW_HIGH}" in workshop  # the biggest risk to the priority
        assert "**1** persofail still high risk" in home
        assert f"{NOW_HIGH}; {PLANNED}" in home

    def test_once_every_mitigation_is_done_the_residual_holds(self, playbook) -> None:
        pages, home = _render(playbook, _with_persofails([_mitigated("done", "done")]))
        workshop = pages["workshops/mini.md"]
        assert f"Residual risk now 2 {TIMES} 3 = **6** (medium)**" in workshop
        assert "once every mitigation is done" not in workshop
        assert "**0** persofails still high risk" in home


class TestTopWithTies:
    def test_the_workshop_says_top_3_of_5_and_the_ties(self, playbook) -> None:
        pages, _ = _render(playbook, _with_persofails(_tied(5)))
        assert (
            "**Top risks now** (top 3 of 5 persofails, 5 tied at 6 (2 of them not shown))"
            in pages["workshops/mini.md"]
        )

    def test_the_home_page_says_top_5_of_7_and_the_ties(self, playbook) -> None:
        _, home = _render(playbook, _with_persofails(_tied(7)))
        assert (
            "**Highest risks now** (top 5 of 7 persofails, 7 tied at 6 (2 of them not shown))"
            in home
        )

    def test_a_short_list_says_it_is_all_of_them(self, playbook) -> None:
        pages, home = _render(playbook, _with_persofails(_tied(2)))
        assert "**Top risks now** (all 2 persofails)" in pages["workshops/mini.md"]
        assert "**Highest risks now** (all 2 persofails)" in home
