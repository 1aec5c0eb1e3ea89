"""The generated site: its pages, cross-links and backlinks, escaping, and the two ways of
building it (the plugin, and ``prepbook generate`` with a plain build)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.build import check, format_reference, playbook_history, rule_pages
from prepbook.config import Project, Settings
from prepbook.render.links import DECISIONS_ANCHOR, anchor_id
from tests.conftest import EXAMPLE_IDS, PINNED_EPOCH, REPO, dated, minimal
from tests.searchindex import fragments
from tests.sitecheck import broken_links, read_page, read_site

ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": "/tmp"}


def run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )


def copy_repo(target: Path) -> Path:
    """The repository's playbook (config, content, templates, examples and their tracker
    exports) in a fresh folder."""
    for name in ("content", "workshops", "site_templates", "trackers"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("repo"))
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root


def test_every_page_exists(built: Path) -> None:
    site = built / "site" / "playbook"
    for page in ("index.html", "audit/index.html", "persofails/index.html", "roadmap/index.html"):
        assert (site / page).is_file(), page
    for workshop in EXAMPLE_IDS:
        assert (site / "workshops" / workshop / "index.html").is_file()
    for page in (
        "workshop/index.html",
        "contributing/index.html",
        "reference/format/index.html",
        "schema/workshop.schema.json",
    ):
        assert (built / "site" / page).is_file(), page


def test_every_internal_link_and_anchor_resolves(built: Path) -> None:
    site = built / "site"
    pages = read_site(site)
    assert len(pages) > 10
    assert broken_links(site, pages) == []


def test_every_reference_links_forward_and_back(built: Path) -> None:
    graph = check(Project(Settings(), built)).playbook.graph
    site = built / "site" / "playbook" / "workshops"
    pages = {ws: read_page(site / ws / "index.html") for ws in EXAMPLE_IDS}
    checked = 0
    for source_key, edges in graph.outgoing.items():
        for edge in edges:
            target = graph.node(edge.target)
            if source_key is None:  # facilitator, decider: linked from the page header
                assert any(
                    link.endswith(f"#{anchor_id(target)}") for link in pages[target.workshop].links
                )
                # and the member links back to the workshop ("Decides", "Facilitates")
                assert any(
                    link.endswith(f"#{DECISIONS_ANCHOR}") for link in pages[edge.home].links
                ), (edge.target, edge.field)
                continue
            source = graph.node(source_key)
            if edge.field != "phase":  # steps are listed under their phase's heading
                assert any(
                    link.endswith(f"#{anchor_id(target)}") for link in pages[source.workshop].links
                ), (source_key, edge)
            # the backlink: the target's page links back to the source record
            assert any(
                link.endswith(f"#{anchor_id(source)}") for link in pages[target.workshop].links
            ), (edge.target, source_key)
            assert anchor_id(target) in pages[target.workshop].ids
            checked += 1
    assert checked > 100


def test_cross_workshop_reference_is_linked(built: Path) -> None:
    bank = read_page(built / "site/playbook/workshops/harbor-bank/index.html")
    assert any("northwind-retail/#step-" in link for link in bank.links)
    retail = read_page(built / "site/playbook/workshops/northwind-retail/index.html")
    assert any("harbor-bank/#step-" in link for link in retail.links)  # its backlink


def test_portfolio_and_registers_hold_the_records(built: Path) -> None:
    site = built / "site" / "playbook"
    portfolio = read_page(site / "index.html")
    assert "Northwind Retail" in portfolio.text and "2 of 4 priorities committed" in portfolio.text
    assert "run by fictional companies" in portfolio.text  # the site_templates override
    audit = read_page(site / "audit/index.html")
    assert audit.text.index("missing") < audit.text.rindex("ready")
    catalogue = read_page(site / "persofails/index.html")
    assert "toilet seat" in catalogue.text
    assert "category-repetition" in catalogue.ids
    roadmap = read_page(site / "roadmap/index.html")
    assert "2026 Q4" in roadmap.text


def test_team_page_names_missing_functions(playbook) -> None:
    text = minimal().replace("    function: marketing\n", "    function: design\n")
    text = text.replace("    function: customer-support\n", "    function: legal\n")
    root = playbook({"mini.yaml": text})
    page = _render(root)["workshops/mini.md"]
    assert (
        "Functions not covered: marketing, customer&#45;support." in page
        or "Functions not covered: marketing, customer-support." in page
    )


def _render(root: Path) -> dict[str, str]:
    from prepbook.render.site import render_site

    checked = check(Project(Settings(), root))
    return render_site(checked.playbook, checked.report).pages


def test_generate_writes_the_same_pages_as_the_plugin(built: Path, tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    done = run(root, "prepbook", "generate", "--out", "generated")
    assert done.returncode == 0, done.stderr
    from prepbook.render.site import render_site

    project = Project(Settings(workshops="workshops"), root)
    checked = check(project)
    expected = render_site(
        checked.playbook,
        checked.report,
        templates=root / "site_templates",
        history=playbook_history(project),
    ).pages
    # outside docs_dir the playbook's own rule pages are out of reach: generated beside them
    expected |= rule_pages()
    assert "rules/pb331.md" in expected
    # and the format reference, generated for where the pages go
    reference = format_reference(
        Project(project.settings, root, "content"),
        root / "generated",  # as in mkdocs.yml
    )
    assert reference.page == "reference/format.md" and reference.text is not None
    expected[reference.page] = reference.text
    written = {
        p.relative_to(root / "generated").as_posix(): p.read_text(encoding="utf-8")
        for p in (root / "generated").rglob("*.md")
    }
    assert written == expected


def test_generate_then_plain_mkdocs_build(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    assert run(root, "prepbook", "generate", "--out", "content/playbook").returncode == 0
    config = (root / "mkdocs.yml").read_text()
    plain = config.replace(
        "  - prepbook:\n      workshops: workshops\n      templates: "
        "site_templates\n      output: playbook\n",
        "",
    )
    assert plain != config
    (root / "mkdocs.yml").write_text(plain)
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    site = root / "site"
    pages = read_site(site)
    assert "playbook/workshops/northwind-retail/index.html" in pages
    assert broken_links(site, pages) == []


def test_generate_refuses_foreign_files_and_errors(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal()})
    out = root / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    refused = cli("generate", "--out", "out", cwd=root)
    assert refused.code == 2 and "did not write" in refused.err
    assert (out / "notes.md").read_text() == "mine"
    forced = cli("generate", "--out", "out", "--force", cwd=root)
    assert forced.code == 0 and not (out / "notes.md").exists()
    before = sorted(p.name for p in out.rglob("*"))
    (root / "workshops" / "mini.yaml").write_text(
        minimal().replace("requires: [crm]", "requires: [crn]")
    )
    failed = cli("generate", "--out", "out", cwd=root)
    assert failed.code == 1 and "nothing was written" in failed.err
    assert sorted(p.name for p in out.rglob("*")) == before


def test_edit_link_points_at_the_yaml(playbook) -> None:
    root = playbook({"mini.yaml": minimal()})
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(
        "site_name: x\nrepo_url: https://git.example.invalid/team/playbook\n"
        "edit_uri: edit/main/docs/\ntheme:\n  name: material\n  font: false\n"
        "  features: [content.action.edit]\nplugins:\n  - prepbook\n"
    )
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    page = read_page(root / "site/playbook/workshops/mini/index.html")
    assert "https://git.example.invalid/team/playbook/edit/main/workshops/mini.yaml" in page.links
    portfolio = read_page(root / "site/playbook/index.html")
    assert not [link for link in portfolio.links if "/edit/" in link]


def test_automatic_navigation_leaves_out_workshop_pages(playbook) -> None:
    root = playbook({"one.yaml": minimal("one"), "two.yaml": minimal("two")})
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(
        "site_name: x\ntheme:\n  name: material\n  font: false\nplugins:\n  - prepbook\n"
    )
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    html = (root / "site/index.html").read_text()
    assert "playbook/roadmap/" in html  # the section pages are in the navigation
    assert "workshops/one/" not in html and "workshops/two/" not in html
    assert (root / "site/playbook/workshops/one/index.html").is_file()


def test_broken_override_template_stops_the_build(playbook) -> None:
    root = playbook({"mini.yaml": minimal()})
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "tpl").mkdir()
    (root / "tpl" / "portfolio_intro.md.j2").write_text("line one\n{{ oops(\n")
    (root / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - prepbook:\n      templates: tpl\n"
    )
    done = run(root, "mkdocs", "build")
    assert done.returncode == 1
    assert "portfolio_intro.md.j2:2" in done.stderr and "Traceback" not in done.stderr


def test_page_in_docs_dir_clashing_with_a_generated_one(playbook) -> None:
    root = playbook({"mini.yaml": minimal()})
    (root / "docs" / "playbook").mkdir(parents=True)
    (root / "docs" / "playbook" / "roadmap").mkdir()
    (root / "docs" / "playbook" / "roadmap" / "index.md").write_text("# Mine\n")
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
    done = run(root, "mkdocs", "build")
    assert done.returncode == 1 and "playbook/roadmap/index.md exists in docs_dir" in done.stderr


def test_two_builds_give_the_same_bytes(tmp_path: Path) -> None:
    """Same commit, two folders, two hash seeds, time zones and locales: diff -r is clean,
    sitemap included."""

    def build(folder: Path, seed: str, zone: str, locale: str) -> dict[str, bytes]:
        root = copy_repo(folder)
        env = {
            **ENV,
            "SOURCE_DATE_EPOCH": PINNED_EPOCH,
            "PYTHONHASHSEED": seed,
            "TZ": zone,
            "LANG": locale,
            "LC_ALL": locale,
        }
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        site = root / "site"
        return {
            p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    first = build(tmp_path / "one", "1", "UTC", "C.UTF-8")
    second = build(tmp_path / "elsewhere" / "two", "2", "Asia/Kolkata", "C")
    assert "sitemap.xml.gz" in first and "sitemap.xml" in first
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_rule_pages_are_titled_by_their_rule(built: Path) -> None:
    """The browser tab and search name a rule page by its id and name, not by its file."""
    html = (built / "site/reference/rules/pb331/index.html").read_text(encoding="utf-8")
    assert "<title>PB331 gap-not-closed - " in html
    titles = {page["url"]: page["meta"]["title"] for page in fragments(built / "site")}
    assert titles["/reference/rules/pb331/"] == "PB331 gap-not-closed"


@pytest.mark.parametrize("own", [None, "index.md", "README.md"])
def test_a_bare_mkdocs_yml_gets_a_home_page_showing_the_playbook(
    tmp_path: Path, own: str | None
) -> None:
    """The plugin added to a plain configuration: the site's address shows the playbook at a
    glance, unless the docs have a home page of their own."""
    root = tmp_path / "bare"
    (root / "docs").mkdir(parents=True)
    shutil.copytree(REPO / "workshops", root / "workshops")
    (root / "mkdocs.yml").write_text(
        "site_name: Bare <b>playbook</b>\ntheme: material\nplugins:\n  - search\n  - prepbook\n",
        encoding="utf-8",
    )
    if own is not None:
        (root / "docs" / own).write_text("# Our own home\n", encoding="utf-8")
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    home = read_page(root / "site" / "index.html")
    text = " ".join(home.text.split())
    if own is not None:
        assert "Our own home" in text and "Shipping next" not in text
        return
    assert "Bare <b>playbook</b>" in text  # the name as text, never as markup
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert "playbook" in heading and "<b>" not in heading
    assert "3 workshops" in text and "Shipping next" in text
    for section in ("playbook/", "playbook/roadmap/", "playbook/persofails/", "playbook/audit/"):
        assert section in home.links, section
    site = root / "site"
    assert broken_links(site, read_site(site)) == []
