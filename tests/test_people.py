"""A page per person: one identity across workshops, what they answer for, linked from
every name, split into pages like the other sections, and found by search.

Real sites built by ``mkdocs build`` in a subprocess; the pages and the search index are
read back from ``site/``.
"""

from __future__ import annotations

import html
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from prepbook.model.people import person_key, person_slug
from tests.conftest import MINIMAL
from tests.searchindex import sections
from tests.test_site import copy_repo, run

# Two workshops whose teams write one person's name in two ways, and a namesake spelt
# with a hyphen, who is someone else.
ANN_HERE = MINIMAL.format(id="alpha").replace("name: Fay", "name: Ann Lee")
ANN_THERE = (
    MINIMAL.format(id="beta")
    .replace("title: Minimal workshop", "title: Second workshop")
    .replace("name: Dan", "name: '  ann   LEE '")
    .replace("name: Fay", "name: Ann-Lee")
)


def build(root: Path, files: dict[str, str], extra: str = "", *, strict: bool = True) -> Path:
    (root / "workshops").mkdir()
    for name, text in files.items():
        (root / "workshops" / name).write_text(text, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: People\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - prepbook" + extra + "\n",
        encoding="utf-8",
    )
    done = run(root, "mkdocs", "build", *(["--strict"] if strict else []))
    assert done.returncode == 0, done.stderr
    return root / "site"


def text_of(page: Path) -> str:
    article = page.read_text("utf-8")
    article = article[article.index("<article") : article.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))


class TestIdentity:
    """A person is their name, normalised, case-folded, its spaces made one."""

    def test_names_that_differ_in_case_and_spacing_are_one_person(self) -> None:
        assert person_key("  ann   LEE ") == person_key("Ann Lee") == "ann lee"
        assert person_slug("  ann   LEE ") == person_slug("Ann Lee") == "ann-lee"

    def test_names_that_differ_otherwise_are_not(self) -> None:
        slugs = {person_slug(n) for n in ("Ann Lee", "Ann-Lee", "Ann Lée", "Index", "")}
        assert len(slugs) == 5
        assert person_slug("Index") != "index"  # the index of people keeps its page

    def test_one_page_for_one_person_across_workshops(self, tmp_path: Path) -> None:
        site = build(tmp_path, {"alpha.yaml": ANN_HERE, "beta.yaml": ANN_THERE})
        people = site / "playbook" / "people"
        ann = text_of(people / "ann-lee" / "index.html")
        assert "Minimal workshop" in ann and "Second workshop" in ann
        assert "On the team of 2 workshops" in ann
        assert "Facilitates" in ann and "Decides" in ann  # alpha's facilitator, beta's decider
        other = text_of(people / person_slug("Ann-Lee") / "index.html")
        assert "Second workshop" in other and "Minimal workshop" not in other
        index = text_of(people / "index.html")
        assert index.count("Ann Lee") == 1 and "Ann-Lee" in index


class TestLinks:
    """Every name links to the person's page, from the workshop page's records."""

    def test_the_team_row_and_every_reference_link_to_the_person(self, tmp_path: Path) -> None:
        site = build(tmp_path, {"alpha.yaml": ANN_HERE})
        page = (site / "playbook" / "workshops" / "alpha" / "index.html").read_text("utf-8")
        to_ann = page.count('href="../../people/ann-lee/"')
        # the header's "facilitated by", and the member's own row in the team table
        assert to_ann >= 2


class TestIndex:
    """The index of people is split into pages; only its first is in the navigation."""

    def test_split_into_pages_and_kept_out_of_the_navigation(self, tmp_path: Path) -> None:
        files = {"alpha.yaml": ANN_HERE, "beta.yaml": ANN_THERE}  # six people
        site = build(tmp_path, files, ":\n      page_rows: 5")
        people = site / "playbook" / "people"
        first = text_of(people / "index.html")
        assert "Page 1 of 2, rows 1\u20135 of 6" in first
        assert (people / "all" / "2" / "index.html").is_file()
        assert not (people / "all" / "3").exists()
        home = (site / "index.html").read_text("utf-8")
        nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
        nav = nav[: nav.index("</nav>")]
        assert "people/ann-lee/" not in nav and "people/all/" not in nav


class _Cells(HTMLParser):
    """Each table row's cells, each as its text and the text of its line breaks' parts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = [""]
            self.rows[-1].append(self.cell)
        elif tag == "br" and self.cell is not None:
            self.cell.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[-1] += data


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("people-example"))
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root / "site"


def index_of(site: Path) -> list[dict[str, str]]:
    return sections(site)


class TestSearch:
    """Search finds a person by name, and every section's text; words never run together."""

    def test_a_name_finds_the_person_and_the_sections_where_they_own_items(
        self, example: Path
    ) -> None:
        docs = index_of(example)
        name = "Rajesh Iyer"  # owns priorities, steps and a metric of harbor-bank
        found = [d["location"] for d in docs if name in html.unescape(d["title"] + d["text"])]
        assert f"playbook/people/{person_slug(name)}/" in found
        workshop = [f for f in found if f.startswith("playbook/workshops/harbor-bank/#")]
        for section in ("#team", "#metrics"):
            assert any(f.endswith(section) for f in workshop), (section, workshop)
        assert any("#warning-before" in f for f in workshop)  # a priority they own

    def test_every_section_of_a_workshop_page_has_text_in_the_index(self, example: Path) -> None:
        docs = {d["location"]: d["text"] for d in index_of(example)}
        for section in ("team", "audit", "metrics", "barriers"):
            text = docs[f"playbook/workshops/harbor-bank/#{section}"]
            assert len(re.sub(r"<[^>]+>", "", text).strip()) > 100, section

    def test_no_two_cells_or_lines_of_a_table_run_together(self, example: Path) -> None:
        words = set()
        for doc in index_of(example):
            plain = html.unescape(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]))
            words.update(plain.split())
        joined = []
        for page in (example / "playbook").rglob("index.html"):
            parser = _Cells()
            parser.feed(page.read_text("utf-8"))
            for row in parser.rows:
                parts = [p.split() for cell in row for p in cell if p.split()]
                for before, after in itertools.pairwise(parts):
                    word = before[-1] + after[0]
                    if word in words and before[-1][-1].isalpha() and after[0][0].isalpha():
                        joined.append(f"{page.parent.name}: {before[-1]}|{after[0]}")
        assert joined == []


def test_a_reference_field_to_a_team_member_shows_on_the_person_page_by_itself(
    tmp_path: Path,
) -> None:
    """Every field of every model that names a team member, read off the models (the
    every-field workshop of tests/test_record_pages.py fills each with a member of its
    own): each member's page says how it is named there and links to the record."""
    import yaml

    from prepbook.graph import Node
    from prepbook.model.kinds import BACKLINKS
    from tests.test_record_pages import every_field_workshop

    data, _, _ = every_field_workshop()
    root = tmp_path
    (root / "workshops").mkdir()
    (root / "workshops" / "every-field.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    from prepbook.build import check
    from prepbook.config import Project, Settings

    graph = check(Project(Settings(), root)).playbook.graph
    shutil.rmtree(root / "workshops")
    site = build(
        root,
        {"every-field.yaml": yaml.safe_dump(data, sort_keys=False, allow_unicode=True)},
        strict=False,  # the workshop breaks method rules, which warn
    )
    seen, missing = set(), []
    for key, node in graph.nodes.items():
        if node.kind != "member":
            continue
        page = site / "playbook" / "people" / person_slug(node.record.display_name)
        text = (page / "index.html").read_text("utf-8")
        for edge in graph.incoming.get(key, ()):
            kind = graph.node(edge.source).kind if edge.source is not None else None
            seen.add((kind, edge.field))
            label = BACKLINKS[(kind, edge.field)].label
            if f"<strong>{label}:</strong>" not in text:
                missing.append(f"{kind}.{edge.field}: no {label!r}")
            source: Node | None = graph.node(edge.source) if edge.source is not None else None
            anchor = f"#{source.kind}-{source.record.id}" if source else "#workshop-decisions"
            if f'every-field/{anchor}"' not in text:
                missing.append(f"{kind}.{edge.field}: no link to {anchor}")
    named = {k for k, b in BACKLINKS.items() if _names_member(k)}
    assert named and seen >= named, named - seen
    assert missing == []


def _names_member(key: tuple[str | None, str]) -> bool:
    from prepbook.model import Workshop
    from prepbook.model.kinds import KINDS, reference_fields

    model = Workshop if key[0] is None else KINDS[key[0]].model
    return dict(reference_fields(model))[key[1]].kind == "member"
