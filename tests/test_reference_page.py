"""The format reference travels with every playbook: a site the plugin builds has it (or
links the playbook's own), the home page leads to it, the comments of a new workshop name
where it is, and what it says is what the code does (dates, empty keys, the score)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from prepbook.docs.reference import format_page
from prepbook.model import Phase, Roadmap, Step
from prepbook.model.kinds import KINDS
from prepbook.scaffold import STARTER
from tests.test_init import links_of, mkdocs, prepbook

REFERENCE = "playbook/reference/format/"


class Headings(HTMLParser):
    """The text of every h2 of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h2: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._in = True
            self.h2.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.h2[-1] += data


def headings(page: Path) -> list[str]:
    parser = Headings()
    parser.feed(page.read_text(encoding="utf-8"))
    return [h.strip().rstrip("¶").strip() for h in parser.h2]


def follow(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of a built page leads to, as a web server serves it."""
    base = page.parent
    target = (base / href.split("#")[0]).resolve()
    if target.is_dir():
        target = target / "index.html"
    assert target.is_file(), (href, target)
    assert site.resolve() in target.parents
    return target


@pytest.fixture(scope="module")
def init_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook made by ``prepbook init``, built with ``mkdocs build --strict``."""
    root = tmp_path_factory.mktemp("reference") / "my-playbook"
    done = prepbook("init", str(root), cwd=root.parent)
    assert done.returncode == 0, done.stderr
    built = mkdocs("build", "--strict", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def test_a_playbook_made_by_init_has_the_reference_linked_from_its_home(init_site: Path) -> None:
    site = init_site / "site"
    home = site / "index.html"
    hrefs = [h for h in links_of(home).hrefs if "reference/format" in h]
    assert hrefs == [REFERENCE]
    page = follow(site, home, hrefs[0])
    assert page == (site / REFERENCE / "index.html").resolve()
    shown = headings(page)
    for kind in KINDS.values():  # a section for each kind of record, by its model
        assert kind.model.__name__ in shown, kind.name
    text = page.read_text(encoding="utf-8")
    # the schema line a workshop of this playbook starts with, and a link to the schema
    assert "$schema=../docs/schema/workshop.schema.json" in text
    schema = [h for h in links_of(page).hrefs if h.endswith("workshop.schema.json")]
    assert schema and follow(site, page, schema[0]) == (site / "schema/workshop.schema.json")


def test_the_portfolio_links_the_reference_too(init_site: Path) -> None:
    site = init_site / "site"
    portfolio = site / "playbook/index.html"
    [href] = [h for h in links_of(portfolio).hrefs if "reference/format" in h]
    assert follow(site, portfolio, href) == (site / REFERENCE / "index.html").resolve()


def test_the_comments_of_a_new_workshop_name_where_the_reference_is(init_site: Path) -> None:
    starter = (init_site / STARTER).read_text(encoding="utf-8")
    assert f"on your site at\n# {REFERENCE} " in starter
    assert f"http://127.0.0.1:8000/{REFERENCE}" in starter
    done = prepbook("new", "acme", cwd=init_site)
    assert done.returncode == 0, done.stderr
    skeleton = (init_site / "workshops/acme.yaml").read_text(encoding="utf-8")
    assert f"on the site at {REFERENCE} " in skeleton
    assert (init_site / "site" / REFERENCE / "index.html").is_file()  # what they name exists


def test_a_playbook_with_its_own_reference_links_that_one(tmp_path: Path) -> None:
    root = tmp_path / "own"
    assert prepbook("init", str(root), cwd=tmp_path).returncode == 0
    own = root / "docs/reference/format.md"
    own.parent.mkdir(parents=True)
    own.write_text("# Our own format notes\n\nEvery key, as we write them.\n", encoding="utf-8")
    done = prepbook("new", "acme", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "on the site at reference/format/ " in (root / "workshops/acme.yaml").read_text()
    (root / "workshops/acme.yaml").unlink()
    built = mkdocs("build", "--strict", cwd=root)
    assert built.returncode == 0, built.stderr
    site = root / "site"
    assert not (site / REFERENCE).exists()  # no second copy
    home = site / "index.html"
    [href] = [h for h in links_of(home).hrefs if "reference/format" in h]
    page = follow(site, home, href)
    assert page == (site / "reference/format/index.html").resolve()
    assert "Our own format notes" in page.read_text(encoding="utf-8")


def test_generate_writes_the_reference(init_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    done = prepbook("generate", "--out", str(out), cwd=init_site)
    assert done.returncode == 0, done.stderr
    page = (out / "reference/format.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"\n## {kind.model.__name__}\n" in page
    # outside the docs, the site publishes no schema beside the page: no link that breaks
    assert "](../../schema/" not in page and "`prepbook schema` prints it" in page
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "reference/format.md" in index  # the portfolio's glance links it


# --- what the reference says is what the code does -----------------------------------------


def _section(page: str, name: str) -> str:
    return page.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def test_the_reference_says_how_a_step_takes_its_dates_and_the_code_agrees() -> None:
    step = _section(format_page(), "Step")
    start = next(line for line in step.splitlines() if line.startswith("| `start` |"))
    end = next(line for line in step.splitlines() if line.startswith("| `end` |"))
    assert "Left out, the step starts when its phase does." in start
    assert (
        "Left out, a step with a start lasts that one day; a step with neither date ends "
        "when its phase does." in end
    )
    window = Phase(id="p", title="P", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    roadmap = Roadmap(phases=[window])
    day = dt.date(2027, 2, 1)
    assert roadmap.dates_of(Step(id="a", title="A", phase="p")) == (window.start, window.end)
    assert roadmap.dates_of(Step(id="b", title="B", phase="p", start=day)) == (day, day)
    assert roadmap.dates_of(Step(id="c", title="C", phase="p", end=day)) == (window.start, day)


def test_the_reference_calls_null_empty() -> None:
    page = format_page()
    assert "`~` or `null` is **empty**" in page
    assert "a value is missing" not in page


def test_the_computed_result_is_called_the_score() -> None:
    page = format_page()
    for model in ("RiceScore", "IceScore"):
        computed = _section(page, model).split("Computed by prepbook", 1)[1]
        assert "- `value`: The score: " in computed
    priority = _section(page, "Priority")
    assert "the value is computed" not in priority
    assert "prepbook computes the score from them" in priority


def test_null_in_a_workshop_is_said_to_be_empty(playbook, cli) -> None:
    from tests.conftest import minimal

    root = playbook({"mini.yaml": minimal().replace("title: Minimal workshop", "title:", 1)})
    done = cli("validate", cwd=root)
    assert done.code == 1
    assert "error[PB103]: expected text, got an empty key" in done.out
    assert "null" not in done.out and "nothing" not in done.out


def test_the_matrix_calls_its_axis_benefit_never_value(tmp_path: Path) -> None:
    from prepbook.build import check
    from prepbook.config import Project, Settings
    from prepbook.render.figures import Figures
    from tests.conftest import EXAMPLES

    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    checked = check(Project(Settings(workshops="workshops"), tmp_path))
    model = checked.playbook.workshops["northwind-retail"].model
    svg = Figures.matrix(model)
    assert "benefit: reach a quarter" in svg and ">Benefit<" in svg
    assert not re.search(r"\b[Vv]alue\b", svg)
