"""Whether each committed priority is happening, as the site shows it: its delivery status,
reason, owner and ship date first on the home page, the portfolio and its workshop's page;
and every count of open gaps made by one definition, so the pages agree."""

from __future__ import annotations

import re
from pathlib import Path

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.render.site import render_site
from tests.conftest import minimal
from tests.test_decisions import _readable

# The tests run on 2027-01-01 (tests/conftest.py): this step ended before it, not done.
LATE_STEPS = """\
    - id: build
      title: Tag every SKU
      phase: now
      start: 2026-10-01
      end: 2026-11-27
      status: in-progress
      owner: dee
      delivers: [offers]
"""


def _workshop(steps: str, workshop_id: str = "mini", owner: str = "mo") -> str:
    head, _ = minimal(workshop_id).split("  steps:\n")
    text = head + "  steps:\n" + steps
    return text.replace(
        "    measured_by: [churn]\n", f"    measured_by: [churn]\n    owner: {owner}\n"
    )


def _render(root: Path) -> tuple[dict[str, str], str]:
    checked = check(Project(Settings(), root))
    rendered = render_site(checked.playbook, checked.report, home="playbook/")
    pages = {path: _readable(text) for path, text in rendered.pages.items()}
    return pages, _readable(rendered.glance)


def _flat(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("**", "").split())


class TestDeliveryShownFirst:
    """A late priority reads as late, with why, who owns it and when it was to ship, on
    every page that lists the committed priorities."""

    def test_home_portfolio_and_workshop_say_late_with_the_reason(self, playbook) -> None:
        root = playbook({"mini.yaml": _workshop(LATE_STEPS)})
        pages, home = _render(root)
        reason = "step Tag every SKU ended 2026-11-27 and is not done"
        for where, text in (
            ("home", home),
            ("portfolio", pages["index.md"]),
            ("workshop", pages["workshops/mini.md"]),
        ):
            flat = _flat(text)
            assert "\u25c6 late" in flat, where  # the word with its shape
            assert reason in re.sub(r"\]\([^)]*\)", "", flat).replace("[", ""), where
            assert "Mo" in flat, where  # the priority's owner
            assert "2026-11-27" in flat, where

    def test_the_status_comes_before_the_ship_date_in_the_decisions(self, playbook) -> None:
        root = playbook({"mini.yaml": _workshop(LATE_STEPS)})
        page = _render(root)[0]["workshops/mini.md"]
        decided = page.split("## What was decided", 1)[1]
        assert decided.index("Delivery") < decided.index("Ships")

    def test_home_counts_each_status(self, playbook) -> None:
        shipped = LATE_STEPS.replace("status: in-progress", "status: done")
        root = playbook(
            {"mini.yaml": _workshop(LATE_STEPS), "done.yaml": _workshop(shipped, "done")}
        )
        home = _flat(_render(root)[1])
        assert "Delivery as of 2027-01-01: 1 late · 1 shipped" in home
        assert "\u2713 shipped" in home

    def test_the_home_list_is_bounded_and_says_so(self, playbook) -> None:
        files = {f"w{i:02}.yaml": _workshop(LATE_STEPS, f"w{i:02}") for i in range(13)}
        pages, home = _render(playbook(files))
        flat = _flat(home)
        assert "13 late (the 12 that most need attention of 13, worst first" in flat
        assert flat.count("\u25c6 late") == 12
        # the portfolio lists every one in its rows, and gives the counts only
        portfolio = _flat(pages["index.md"])
        assert "13 late; each priority's status, reason and owner are in the rows below" in (
            portfolio
        )

    def test_a_priority_nobody_owns_says_so(self, playbook) -> None:
        text = _workshop(LATE_STEPS).replace("    owner: mo\n", "")
        home = _flat(_render(playbook({"mini.yaml": text}))[1])
        assert "nobody named" in home


# Three gaps that the old counts took differently: an asset no committed priority needs
# (counted by the portfolio before), one whose closing step is done (in place, though the
# file says partial), and an asset of another workshop that both workshops' priorities
# need (counted once on the home page before, once a row on the portfolio).
GAPS = {
    "mini.yaml": _workshop(
        LATE_STEPS
        + """\
    - id: fix
      title: Fix the CDP
      phase: now
      status: done
      closes_gap: [cdp]
"""
    )
    .replace("kind: technology\n    readiness: ready", "kind: technology\n    readiness: partial")
    .replace("kind: talent\n    readiness: ready", "kind: talent\n    readiness: missing")
    .replace("    requires: [crm]\n", "    requires: [crm, cdp, other/crm]\n"),
    "other.yaml": _workshop(LATE_STEPS, "other")
    .replace("kind: data\n    readiness: ready", "kind: data\n    readiness: partial")
    .replace("    requires: [crm]\n", "    requires: [crm, brand]\n")
    .replace("kind: market\n    readiness: ready", "kind: market\n    readiness: missing"),
}


class TestOneCountOfOpenGaps:
    """Home, portfolio and workshop pages count open gaps by one definition."""

    def test_every_page_gives_the_same_count(self, playbook) -> None:
        pages, home = _render(playbook(GAPS))
        # mini: other/crm (partial); cdp is closed by a done step, analysts needed by none
        # other: its crm (partial) and brand (missing)
        per_workshop = {}
        for ws in ("mini", "other"):
            page = pages[f"workshops/{ws}.md"]
            gaps = page.split("**Open gaps blocking the committed priorities** (", 1)[1]
            per_workshop[ws] = int(gaps.split(":", 1)[0])
        assert per_workshop == {"mini": 1, "other": 2}
        assert sorted(_portfolio_gap_column(pages["index.md"])) == [1, 2]
        for text in (pages["index.md"], home):
            assert _total_gaps(text) == 3 == sum(per_workshop.values())

    def test_the_definition_is_stated_where_the_count_is_first_shown(self, playbook) -> None:
        pages, home = _render(playbook(GAPS))
        for text in (home, pages["index.md"]):
            assert "An open gap is an audited asset that a committed priority requires" in text
            assert "not in place" in text


def _portfolio_gap_column(page: str) -> list[int]:
    """The portfolio's column of open gaps: the third cell of each workshop's row."""
    table = page.split("| Workshop |", 1)[1]
    out = []
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        out.append(int(re.sub(r"\D", "", _flat(cells[2]))))
    return out


def _total_gaps(page: str) -> int:
    found = re.search(r"(\d+) open gaps? blocking", _flat(page))
    assert found is not None
    return int(found.group(1))


class TestRoadmapPages:
    """The roadmap and its quarter pages lead with what their steps deliver, and a step
    whose end has passed reads as overdue."""

    def test_the_quarter_page_shows_delivery_and_the_overdue_step(self, playbook) -> None:
        pages, _ = _render(playbook({"mini.yaml": _workshop(LATE_STEPS)}))
        quarter = _flat(pages["roadmap/2026-q4.md"])
        assert "\u25c6 late" in quarter and "Mo" in quarter
        assert quarter.index("What these steps deliver") < quarter.index("Tag every SKU")
        assert "in-progress overdue: ended 2026-11-27" in quarter

    def test_a_done_step_is_never_overdue(self, playbook) -> None:
        done = LATE_STEPS.replace("status: in-progress", "status: done")
        pages, _ = _render(playbook({"mini.yaml": _workshop(done)}))
        quarter = _flat(pages["roadmap/2026-q4.md"])
        assert "overdue" not in quarter
        assert "\u2713 shipped" in quarter

    def test_the_roadmap_summary_shows_every_status(self, playbook) -> None:
        pages, _ = _render(playbook({"mini.yaml": _workshop(LATE_STEPS)}))
        roadmap = _flat(pages["roadmap/index.md"])
        assert "Is it happening?" in roadmap and "\u25c6 late" in roadmap

    def test_the_workshop_page_lists_the_overdue_step_under_its_phase(self, playbook) -> None:
        pages, _ = _render(playbook({"mini.yaml": _workshop(LATE_STEPS)}))
        roadmap = pages["workshops/mini.md"].split("## Roadmap", 1)[1].split("\n## ", 1)[0]
        flat = re.sub(r"\]\([^)]*\)", "", _flat(roadmap)).replace("[", "")
        assert "Behind as of the build's day: Tag every SKU (overdue: ended 2026-11-27)" in flat


class TestDeliveryScore:
    """Delivery is the second score of a workshop: how many of its committed priorities
    have each status, beside the write-up's completeness."""

    def test_workshop_header_and_portfolio_count_each_status(self, playbook) -> None:
        second = (
            LATE_STEPS.replace("id: build", "id: second")
            .replace("delivers: [offers]", "delivers: [more]")
            .replace("status: in-progress", "status: done")
        )
        more = "  - id: more\n    title: More\n    status: committed\n"
        text = _workshop(LATE_STEPS + second).replace("priorities:\n", "priorities:\n" + more)
        pages, _ = _render(playbook({"mini.yaml": text}))
        header = next(
            line
            for line in pages["workshops/mini.md"].splitlines()
            if "write-up completeness" in line
        )
        assert "delivery 1 \u25c6 late · 1 \u2713 shipped" in _flat(header)
        assert "Delivery: 1 \u25c6 late · 1 \u2713 shipped" in _flat(pages["index.md"])
