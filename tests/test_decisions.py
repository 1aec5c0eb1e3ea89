"""What a stakeholder reads first: each workshop's decisions with their ship dates, the
portfolio's priorities by name, the playbook at a glance on the home page, and every note
the format says is shown."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.model.kinds import iter_records
from prepbook.render import decisions
from prepbook.render.site import GLANCE_MARKER, render_site
from tests.conftest import REPO, minimal
from tests.searchindex import fragments
from tests.sitecheck import read_page
from tests.test_site import run


def _pages(root: Path) -> dict[str, str]:
    """The generated Markdown as a reader reads it: character references decoded, and the
    spans that only label a cell for phones or keep text out of search taken away."""
    checked = check(Project(Settings(), root))
    pages = render_site(checked.playbook, checked.report).pages
    return {path: _readable(text) for path, text in pages.items()}


def _readable(text: str) -> str:
    text = re.sub(r'<span class="pb-label"[^>]*>[^<]*</span> ', "", text)
    text = text.replace("<span data-search-exclude>", "")
    text = re.sub(r'(?<!">)</span>', "", text)  # anchors (<span id="…"></span>) stay
    return html.unescape(text)


def _with_steps(steps: str) -> str:
    """The minimal workshop with its roadmap steps replaced."""
    head, _ = minimal().split("  steps:\n")
    return head + "  steps:\n" + steps


def _ship(root: Path) -> decisions.Shipping:
    checked = check(Project(Settings(), root))
    graph = checked.playbook.graph
    return decisions.shipping(checked.playbook, graph, graph.node(("mini", "offers")))


def test_ship_date_is_the_last_day_of_the_delivering_steps(playbook) -> None:
    root = playbook(
        {
            "mini.yaml": _with_steps(
                "    - id: build\n      title: Build it\n      phase: now\n"
                "      start: 2027-01-04\n      end: 2027-02-26\n      delivers: [offers]\n"
                "    - id: launch\n      title: Launch it\n      phase: now\n"
                "      start: 2027-03-01\n      end: 2027-03-19\n      delivers: [offers]\n"
            )
        }
    )
    ship = _ship(root)
    assert (ship.state, ship.date) == ("scheduled", dt.date(2027, 3, 19))
    page = _pages(root)["workshops/mini.md"]
    decided = page[page.index("## What was decided") : page.index("## Priorities")]
    assert "[Offers](#priority-offers)" in decided and "**2027-03-19**" in decided
    assert "[Launch it](#step-launch) (2027-03-19)" in decided


def test_a_step_without_dates_makes_the_date_uncertain(playbook) -> None:
    root = playbook(
        {
            "mini.yaml": _with_steps(
                "    - id: build\n      title: Build it\n      phase: now\n"
                "      start: 2027-01-04\n      end: 2027-02-26\n      delivers: [offers]\n"
                "    - id: launch\n      title: Launch it\n      phase: now\n"
                "      delivers: [offers]\n"
            )
        }
    )
    ship = _ship(root)
    assert (ship.state, ship.date) == ("undated", dt.date(2027, 2, 26))
    assert "after 2027-02-26 (a delivering step has no dates)" in _pages(root)["workshops/mini.md"]


def test_shipped_when_every_delivering_step_is_done(playbook) -> None:
    root = playbook(
        {
            "mini.yaml": _with_steps(
                "    - id: build\n      title: Build it\n      phase: now\n      status: done\n"
                "      start: 2026-09-01\n      end: 2026-10-30\n      delivers: [offers]\n"
            )
        }
    )
    ship = _ship(root)
    assert (ship.state, ship.date) == ("shipped", dt.date(2026, 10, 30))


def test_a_priority_no_step_delivers_is_not_scheduled(playbook) -> None:
    root = playbook({"mini.yaml": minimal().replace("      delivers: [offers]\n", "")})
    assert _ship(root).state == "unscheduled"
    assert "not scheduled: no roadmap step delivers it" in _pages(root)["workshops/mini.md"]


def test_blocking_gaps_and_the_steps_that_close_them(playbook) -> None:
    text = minimal().replace(
        "  - id: crm\n    title: CRM data\n    kind: data\n    readiness: ready",
        "  - id: crm\n    title: CRM data\n    kind: data\n    readiness: partial",
    )
    assert "readiness: partial" in text
    text = text.replace(
        "      delivers: [offers]\n",
        "      delivers: [offers]\n"
        "    - id: fix\n      title: Fix the CRM\n      phase: now\n"
        "      end: 2027-01-29\n      closes_gap: [crm]\n",
    )
    page = _pages(playbook({"mini.yaml": text}))["workshops/mini.md"]
    decided = page[page.index("## What was decided") : page.index("## Priorities")]
    assert "[CRM data](#asset-crm) (partial)" in decided  # blocks the committed priority
    assert "[Fix the CRM](#step-fix) (2027-01-29)" in decided  # and what closes it


def test_parked_priorities_show_their_notes_and_no_empty_lines(playbook) -> None:
    text = minimal().replace(
        "roadmap:\n",
        "  - id: kiosk\n    title: Store kiosk\n    status: parked\n"
        "    notes: Parked until the consent work is done.\n"
        "roadmap:\n",
    )
    page = _pages(playbook({"mini.yaml": text}))["workshops/mini.md"]
    decided = page[page.index("## What was decided") : page.index("## Priorities")]
    assert "[Store kiosk](#priority-kiosk) (parked): Parked until the consent work is done." in (
        decided
    )
    kiosk = page[page.index("### Store kiosk") :]
    kiosk = kiosk[: kiosk.index("\n## ")]
    assert "—" not in kiosk  # nothing to say is not said four times with a dash


def test_the_decisions_open_the_page(playbook) -> None:
    page = _pages(playbook(examples=True))["workshops/northwind-retail.md"]
    assert page.index("## What was decided") < page.index("## Priorities")
    assert page.index("## What was decided") < min(
        page.index(f"## {section}") for section in ("Roadmap", "Persofails", "Audit", "Team")
    )
    decided = page[page.index("## What was decided") : page.index("## Priorities")]
    assert "Post-purchase recommendations that know what was bought" in decided
    assert "**2027-06-18**" in decided
    assert "Top risks now" in decided


def test_every_note_is_shown(playbook, tmp_path: Path) -> None:
    """Every record kind with notes, found through the table of kinds: a kind added later
    with notes is covered without touching this test."""
    folder = tmp_path / "examples"
    folder.mkdir()
    expected: list[str] = []
    examples = check(Project(Settings(), REPO)).playbook.workshops
    for source in sorted((REPO / "workshops").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for located in iter_records(examples[data["id"]].model):
            record = located.record
            if "notes" not in type(record).model_fields:
                continue
            marker = f"note-of-{record.KIND}-{record.id}"
            expected.append(marker)
            _set_notes(data, record.id, marker)
        (folder / source.name).write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    root = playbook()
    shutil.rmtree(root / "workshops")
    shutil.copytree(folder, root / "workshops")
    pages = _pages(root)
    text = "\n".join(p for path, p in pages.items() if path.startswith("workshops/"))
    kinds = {m.split("-")[2] for m in expected}
    assert {"member", "asset", "metric", "persofail", "priority", "step", "phase"} <= kinds
    missing = [m for m in expected if m not in text]
    assert missing == []


def _set_notes(node: object, record_id: str, marker: str) -> bool:
    """Set ``notes`` on the record with this id, wherever it is in the YAML data (ids are
    unique within a workshop)."""
    if isinstance(node, dict):
        if node.get("id") == record_id:
            node["notes"] = marker
            return True
        return any(_set_notes(v, record_id, marker) for v in node.values())
    if isinstance(node, list):
        return any(_set_notes(v, record_id, marker) for v in node)
    return False


def test_link_labels_drop_their_full_stop(playbook) -> None:
    text = minimal().replace(
        "    threatens: [offers]\n",
        "    threatens: [offers]\n    mitigations:\n"
        "      - id: cap\n        action: Cap how often it is shown.\n        owner: fay\n"
        "      - id: ask\n        action: Ask first.\n        owner: fay\n",
    )
    page = _pages(playbook({"mini.yaml": text}))["workshops/mini.md"]
    assert "[Cap how often it is shown](#mitigation-cap), [Ask first](#mitigation-ask)" in page
    assert ".," not in page


def test_home_page_shows_the_playbook_at_a_glance(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "site", "node_*"))
    assert GLANCE_MARKER in (root / "content/index.md").read_text(encoding="utf-8")
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    home = read_page(root / "site/index.html")
    assert "3 workshops" in " ".join(home.text.split())
    assert "Shipping next" in home.text and "Highest risks now" in home.text
    # links from the home page reach into the generated folder
    assert "playbook/workshops/northwind-retail/#priority-post-purchase-recommendations" in (
        " ".join(home.links)
    )
    portfolio = read_page(root / "site/playbook/index.html")
    assert "Shipping next" in portfolio.text
    # search holds what a page says once, not what it repeats: the summary's tables, what
    # refers to a record, the labels of stacked cells and the pictures stay out of the index
    workshop = " ".join(
        page["content"]
        for page in fragments(root / "site")
        if "workshops/northwind-retail/" in page["url"]
    )
    assert "toilet seat" in workshop.lower()  # a persofail's scenario is found
    for repeated in ("Refers here", "Ships:", "delivered by", "Top risks", "today 20"):
        assert repeated not in workshop, repeated


def test_glance_counts_one_of_a_kind_in_the_singular(playbook) -> None:
    """A new playbook starts with one workshop: its first page must not read '1 workshops'."""
    page = _pages(playbook({"mini.yaml": minimal()}))["index.md"]
    line = next(line for line in page.splitlines() if "shipped" in line)
    assert "**1** workshop ·" in line
    for plural in ("1** workshops", "1** committed priorities", "1** open gaps"):
        assert plural not in line


def test_glance_lists_only_what_ships_from_today(playbook) -> None:
    root = playbook(examples=True)
    checked = check(Project(Settings(), root))
    graph = checked.playbook.graph
    day = dt.date(2027, 1, 1)
    found = {
        ws: decisions.decisions(checked.playbook, graph, ws, day)
        for ws in checked.playbook.workshops
    }
    early = decisions.glance(graph, found, dt.date(2026, 1, 1))
    late = decisions.glance(graph, found, dt.date(2027, 6, 19))
    assert len(early.next_ships) == decisions.GLANCE_ITEMS
    dates = [d.ship.date for d in early.next_ships]
    assert dates == sorted(dates)
    assert all(d.ship.date and d.ship.date >= dt.date(2027, 6, 19) for d in late.next_ships)
    assert len(late.next_ships) < len(early.next_ships)
    assert len(early.top_risks) == decisions.GLANCE_ITEMS


def test_portfolio_names_priorities_with_ship_dates(playbook) -> None:
    page = _pages(playbook(examples=True))["index.md"]
    row = next(
        line
        for line in page.splitlines()
        if line.startswith('| <span id="workshop-northwind-retail"')
    )
    assert "Northwind Retail" in row
    assert "Post-purchase recommendations that know what was bought" in row
    assert "2027-06-18" in row
