"""The pages a stakeholder reads name things as people do: an organisation, not the slug of
its workshop file; a persofail category in words, not its slug; a finding by what it says,
not by a rule's id and name (those stay on the findings reference and the rule pages); no
"…" for a part of a sentence nobody wrote; no column a reader cannot use.

Each test builds a real site in tmp_path (the repository's playbook, or a small one) and
reads the article of the pages it names. The pictures' own text (SVG) is left out: it is
drawn by the pictures, which have tests of their own.
"""

from __future__ import annotations

import html
import re
import typing
from pathlib import Path

import pytest
import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.model.persofails import CATEGORY_NAMES, PersofailCategory, category_name
from tests.conftest import EXAMPLE_IDS, minimal
from tests.test_site import copy_repo, run

SLUGS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in EXAMPLE_IDS) + r")\b")
CATEGORY_SLUGS = re.compile(r"\b(?:stale-data|wrong-context)\b")
RULE_IDS = re.compile(r"\bPB\d{3}\b")
# The pages a stakeholder reads: every workshop's, the home page, the portfolio, the
# roadmap and its quarters, the catalogue and its categories, the audit register and its
# kinds, the people
STAKEHOLDER_PAGES = (
    "index.html",
    "playbook/index.html",
    "playbook/roadmap/index.html",
    "playbook/persofails/index.html",
    "playbook/audit/index.html",
    "playbook/people/index.html",
    *(f"playbook/workshops/{w}/index.html" for w in EXAMPLE_IDS),
)
STAKEHOLDER_FOLDERS = (
    "playbook/roadmap",
    "playbook/persofails",
    "playbook/audit",
    "playbook/people",
)


def article(path: Path) -> str:
    """The text of a page's article, its pictures left out."""
    page = path.read_text(encoding="utf-8")
    start, end = page.index("<article"), page.index("</article>")
    body = re.sub(r"<svg\b.*?</svg>", " ", page[start:end], flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("names"))
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root / "site"


def stakeholder_pages(site: Path) -> list[Path]:
    pages = {site / p for p in STAKEHOLDER_PAGES}
    for folder in STAKEHOLDER_FOLDERS:
        pages.update((site / folder).rglob("index.html"))
    return sorted(pages)


class TestOrganisations:
    """A workshop is named by the organisation that ran it wherever a page lists records of
    several workshops, and after a record of another workshop."""

    def test_section_pages_name_the_organisation_not_the_file(self, site: Path) -> None:
        for page in (
            "playbook/persofails/index.html",
            "playbook/persofails/repetition/index.html",
            "playbook/roadmap/index.html",
            "playbook/roadmap/2026-q4/index.html",
            "playbook/audit/index.html",
            "playbook/audit/data/index.html",
        ):
            text = article(site / page)
            assert "Northwind Retail" in text, page
            assert SLUGS.findall(text) == [], (page, SLUGS.findall(text))

    def test_a_record_of_another_workshop_names_its_organisation(self, site: Path) -> None:
        bank = article(site / "playbook/workshops/harbor-bank/index.html")
        assert "Pilot review with customer support (Northwind Retail)" in bank
        retail = article(site / "playbook/workshops/northwind-retail/index.html")
        assert "(Harbor Bank)" in retail
        for text in (bank, retail):
            assert "(northwind-retail)" not in text and "(harbor-bank)" not in text

    def test_every_stakeholder_page_is_free_of_workshop_slugs(self, site: Path) -> None:
        """Up to a workshop's completeness section, whose findings quote the reference
        as the file wrote it, so that it can be found there."""
        found = {
            page.relative_to(site).as_posix(): SLUGS.findall(
                article(page).split("\nCompleteness\u00b6")[0]
            )
            for page in stakeholder_pages(site)
        }
        assert {page: slugs for page, slugs in found.items() if slugs} == {}

    def test_an_organisation_with_two_workshops_adds_the_title(self, playbook) -> None:
        second = minimal("later").replace("title: Minimal workshop", "title: Later workshop")
        root = playbook({"mini.yaml": minimal(), "later.yaml": second})
        checked = check(Project(Settings(), root))
        from prepbook.render.site import render_site

        pages = render_site(checked.playbook, checked.report).pages
        for name in ("persofails/index.md", "roadmap/undated.md", "audit/data.md"):
            # the links' text, not their URLs
            text = re.sub(r"\]\([^)]*\)", "]", pages[name])
            text = html.unescape(re.sub(r'(?:href|id)="[^"]*"', "", text))
            assert "[Example Ltd: Minimal workshop]" in text, name
            assert "[Example Ltd: Later workshop]" in text, name
            assert not re.search(r"\b(?:mini|later)\b", text.split("---", 2)[-1]), name


class TestCategories:
    """A persofail category is named in words on the catalogue, its own page and a
    workshop page."""

    def test_every_category_has_a_name(self) -> None:
        assert set(CATEGORY_NAMES) == set(typing.get_args(PersofailCategory))
        assert category_name("stale-data") == "Stale data"
        assert category_name("not-listed") == "Not listed"  # a humanised slug

    def test_catalogue_and_category_pages_name_the_category(self, site: Path) -> None:
        catalogue = article(site / "playbook/persofails/index.html")
        assert "Stale data" in catalogue and "Wrong context" in catalogue
        assert CATEGORY_SLUGS.findall(catalogue) == []
        page = site / "playbook/persofails/stale-data/index.html"
        assert "Persofails: Stale data" in article(page)
        assert "<title>Persofails: Stale data" in page.read_text(encoding="utf-8")
        tag = article(site / "playbook/persofails/tags/cross-channel/index.html")
        assert "(Northwind Retail, Repetition)" in tag

    def test_a_workshop_page_names_the_category(self, site: Path) -> None:
        text = article(site / "playbook/workshops/harbor-bank/index.html")
        assert "· Wrong context (tags: vulnerability) ·" in text
        assert CATEGORY_SLUGS.findall(text) == []


class TestFindingsInWords:
    """A workshop page states its findings in words and links the rule's page as "why it
    matters"; no rule id or rule name appears on a stakeholder page."""

    def test_no_rule_id_on_a_stakeholder_page(self, site: Path) -> None:
        found = {
            page.relative_to(site).as_posix(): RULE_IDS.findall(article(page))
            for page in stakeholder_pages(site)
        }
        assert {page: ids for page, ids in found.items() if ids} == {}
        bank = article(site / "playbook/workshops/harbor-bank/index.html")
        assert "done-but-open" not in bank and "cross-organisation-reference" not in bank
        assert "why it matters" in bank
        # they stay on the findings reference
        reference = article(site / "reference/rules/index.html")
        assert "PB370" in reference and "cross-organisation-reference" in reference


class TestEmptyFields:
    """A part of a priority's recipe that nobody wrote is left out with its word."""

    def test_a_recipe_without_a_measure_says_nothing_of_it(self, playbook) -> None:
        data = yaml.safe_load(minimal())
        del data["priorities"][0]["recipe"]["measure"]
        root = playbook({"mini.yaml": yaml.safe_dump(data, sort_keys=False)})
        checked = check(Project(Settings(), root))
        from prepbook.render.site import render_site

        page = render_site(checked.playbook, checked.report).pages["workshops/mini.md"]
        assert (
            "> **If** a renewal is due **for** loyal customers **in** the renewal e-mail, "
            "**then** an offer they asked for.\n"
        ) in page
        assert "measured by**" not in page and "\u2026" not in page.split("## Completeness")[0]

    def test_a_recipe_with_only_its_content_starts_with_it(self, playbook) -> None:
        data = yaml.safe_load(minimal())
        data["priorities"][0]["status"] = "candidate"
        data["priorities"][0]["recipe"] = {"content": "an offer they asked for"}
        root = playbook({"mini.yaml": yaml.safe_dump(data, sort_keys=False)})
        checked = check(Project(Settings(), root))
        from prepbook.render.site import render_site

        page = render_site(checked.playbook, checked.report).pages["workshops/mini.md"]
        assert "> **Then** an offer they asked for.\n" in page
        assert "**If** \u2026" not in page


class TestColumns:
    """The section summaries have no "Pages" column: how many pages a split takes says
    nothing to a reader, and each split's pages are linked from its first."""

    @pytest.mark.parametrize(
        ("page", "header"),
        [
            ("playbook/persofails/index.html", "Category"),
            ("playbook/audit/index.html", "Kind"),
            ("playbook/roadmap/index.html", "When"),
        ],
    )
    def test_no_pages_column(self, site: Path, page: str, header: str) -> None:
        source = (site / page).read_text(encoding="utf-8")
        heads = re.findall(r"<thead[^>]*>(.*?)</thead>", source, flags=re.S)
        [summary] = [h for h in heads if f"<th>{header}</th>" in h]
        columns = re.findall(r"<th[^>]*>(.*?)</th>", summary)
        assert "Pages" not in columns, columns
        assert len(columns) >= 4
        row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", source[source.index(summary) :], re.S)
        assert row is not None and row.group(1).count("<td") == len(columns)
