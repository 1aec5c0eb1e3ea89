"""Accessibility as axe-core judges the rendered pages: no serious or critical violation on
the home page, a workshop, the persofail catalogue and the roadmap, in either palette.

axe-core comes from the npm registry (tests/browser/package.json) and is injected into the
page from node_modules, never from a CDN: the pages are checked as served, offline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.harness import IMPACTS, PALETTES, SCHEMES, STATS, Served, Session

PAGES = {
    "home": "",
    "workshop": "playbook/workshops/northwind-retail/",
    "catalogue": "playbook/persofails/",
    "roadmap": "playbook/roadmap/",
    "people": "playbook/people/",
    "person": "playbook/people/rajesh-iyer/",
}
BLOCKING = ("critical", "serious")

AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary).slice(0, 5),
  }));
}"""


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(
    browse: Callable[..., Session], example_site: Served, axe_script: Path, name: str, palette: str
) -> None:
    session = browse(palette)
    page = session.new_page()
    page.goto(example_site.url + PAGES[name])
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[palette]
    page.add_script_tag(path=axe_script)
    violations = page.evaluate(AXE_RUN_JS)

    counts = Counter({impact: 0 for impact in IMPACTS})
    for violation in violations:
        counts[violation["impact"]] += violation["count"]
    key = f"{name} ({palette})"
    STATS.axe[key] = counts
    STATS.axe_rules[key] = {f"{v['id']} ({v['impact']})" for v in violations}

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(
        f"{v['impact']} {v['id']} on {v['count']} elements: {v['help']}\n  "
        + "\n  ".join(v["nodes"])
        for v in blocking
    )
    assert session.offsite == []
    assert session.console_errors == []
