"""``prepbook refresh``: one command brings every generated file of a project up to date,
and ``--check`` names each stale one. The files are the project's own: this repository's,
or a playbook's made by ``prepbook init``, never one's files in another's place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from prepbook.cli import build_parser
from prepbook.docs import reference, schema
from prepbook.docs.cli_table import options_table
from prepbook.docs.markers import Region
from prepbook.docs.rules_table import REGION, rules_table
from prepbook.rules import METHOD_RULES
from tests.conftest import REPO, minimal


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class TestThisRepository:
    def test_every_generated_file_is_up_to_date(self, cli) -> None:
        """The suite's one check of every generated file: schemas, reference pages, the
        package's copies, the declaration of the method rules, the README's tables."""
        checked = cli("refresh", "--check", cwd=REPO)
        assert (checked.code, checked.err) == (0, ""), checked.err


@pytest.fixture
def initialised(cli, tmp_path: Path) -> Path:
    assert cli("init", "pb", cwd=tmp_path).code == 0
    return tmp_path / "pb"


class TestAPlaybookMadeByInit:
    SCHEMA = "docs/schema/workshop.schema.json"

    def test_its_one_generated_file_is_the_schema_its_workshops_name(
        self, cli, initialised: Path
    ) -> None:
        before = files_of(initialised)
        checked = cli("refresh", "--check", "-v", cwd=initialised)
        assert checked.code == 0, checked.err
        current = [line for line in checked.err.splitlines() if "is up to date" in line]
        assert current == [
            f"prepbook refresh: {self.SCHEMA} is up to date (the workshop format's JSON Schema)"
        ]
        written = cli("refresh", cwd=initialised)
        assert (written.code, written.err) == (0, "every generated file is up to date (1 file)\n")
        assert files_of(initialised) == before  # no reference pages, the README as init wrote it

    def test_a_stale_schema_is_named_and_only_it_rewritten(self, cli, initialised: Path) -> None:
        path = initialised / self.SCHEMA
        path.write_text(path.read_text().replace("workshop", "workshop!", 1))
        before = files_of(initialised)
        checked = cli("refresh", "--check", cwd=initialised)
        assert (checked.code, checked.err) == (
            1,
            f"{self.SCHEMA} is out of date: run 'prepbook refresh' to regenerate it\n",
        )
        written = cli("refresh", cwd=initialised)
        assert (written.code, written.out) == (0, "")
        assert written.err == f"wrote {self.SCHEMA}\n"
        after = files_of(initialised)
        assert after.pop(self.SCHEMA) == schema.schema_text().encode()
        assert after == {k: v for k, v in before.items() if k != self.SCHEMA}
        path.unlink()
        missing = cli("refresh", "--check", cwd=initialised)
        assert missing.err == f"{self.SCHEMA} is missing: run 'prepbook refresh' to write it\n"


README = """\
# A playbook

Prose a person wrote, kept as written.

<!-- prepbook: cli table -->
<!-- /prepbook: cli table -->

More prose between the tables.

<!-- prepbook: rules table -->
| an | old | table |
<!-- /prepbook: rules table -->

The end.
"""


@pytest.fixture
def keeps_reference(tmp_path: Path) -> Path:
    """A project laid out as this repository is (docs_dir content, the reference pages
    kept in the docs, a README with both tables), but prepbook's package outside it."""
    project = tmp_path / "project"
    (project / "workshops").mkdir(parents=True)
    (project / "workshops" / "mini.yaml").write_text(minimal())
    (project / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nplugins:\n  - prepbook\n")
    (project / "README.md").write_text(README)
    (project / "content" / "reference").mkdir(parents=True)
    (project / "content" / "reference" / "format.md").write_text("an old page\n")
    return project


def expected_files() -> dict[str, str]:
    pages = {
        f"content/{page}": render()
        for page, render in reference.PAGES.items()
        if page != reference.FORMAT_PAGE
    }
    pages["content/reference/format.md"] = reference.format_page(
        "../schema/workshop.schema.json", "../content/schema/workshop.schema.json"
    )
    return {**pages, **{f"content/{p}": schema.schema_text(p) for p in schema.SCHEMAS}}


class TestAProjectThatKeepsTheReference:
    def test_refresh_writes_every_file_and_only_the_tables_of_the_readme(
        self, cli, keeps_reference: Path
    ) -> None:
        project = keeps_reference
        written = cli("refresh", cwd=project)
        assert written.code == 0, written.err
        for path, text in expected_files().items():
            assert (project / path).read_text() == text, path
            assert f"wrote {path}\n" in written.err
        readme = (project / "README.md").read_text()
        assert REGION.held(readme) == rules_table(
            lambda rule_id: f"content/reference/rules/{rule_id.lower()}.md"
        )
        assert Region("cli table").held(readme) == options_table(build_parser())
        prose = readme.replace(REGION.held(readme) or "", "").replace(
            Region("cli table").held(readme) or "", ""
        )
        assert prose == README.replace("| an | old | table |\n", "")
        assert "prepbook/" not in written.err  # the package is not this project's
        again = cli("refresh", cwd=project)
        files = len(expected_files()) + 1
        assert again.err == f"every generated file is up to date ({files} files)\n"
        assert cli("refresh", "--check", cwd=project).code == 0

    def test_the_check_names_every_stale_file_in_one_run(self, cli, keeps_reference: Path) -> None:
        project = keeps_reference
        assert cli("refresh", cwd=project).code == 0
        page = project / "content" / reference.rule_page_path(METHOD_RULES[0])
        page.write_text(page.read_text() + "edited by hand\n")
        (project / "content" / schema.REPORT_SCHEMA_FILE).unlink()
        readme = project / "README.md"
        readme.write_text(readme.read_text().replace("| `PB310` |", "| `PB310!` |"))
        checked = cli("refresh", "--check", cwd=project)
        assert checked.code == 1
        assert checked.err.splitlines() == [
            "content/reference/rules/pb301.md is out of date: run 'prepbook refresh' to "
            "regenerate it",
            "content/schema/report.schema.json is missing: run 'prepbook refresh' to write it",
            "README.md is out of date: run 'prepbook refresh' to regenerate it",
        ]

    def test_the_fix_names_the_configuration_it_was_given(self, cli, keeps_reference: Path) -> None:
        checked = cli(
            "refresh", "--check", "--config", "project/mkdocs.yml", cwd=keeps_reference.parent
        )
        assert checked.code == 1
        assert (
            "project/content/schema/workshop.schema.json is missing: run 'prepbook --config "
            "project/mkdocs.yml refresh' to write it"
        ) in checked.err

    @pytest.mark.parametrize(
        ("broken", "problem"),
        [
            (
                README.replace("<!-- /prepbook: rules table -->\n", ""),
                "'<!-- /prepbook: rules table -->' is missing; the rules table goes between "
                "'<!-- prepbook: rules table -->' and '<!-- /prepbook: rules table -->'",
            ),
            (
                README + "<!-- prepbook: rules table -->\n",
                "'<!-- prepbook: rules table -->' is there 2 times",
            ),
        ],
    )
    def test_a_readme_with_broken_markers_is_said_and_left_as_it_is(
        self, cli, keeps_reference: Path, broken: str, problem: str
    ) -> None:
        project = keeps_reference
        (project / "README.md").write_text(broken)
        for args in (("refresh", "--check"), ("refresh",)):
            done = cli(*args, cwd=project)
            assert done.code == 2
            assert f"prepbook refresh: README.md: {problem}" in done.err
        assert (project / "README.md").read_text() == broken
        # the other files were written all the same
        assert (project / "content" / schema.SCHEMA_FILE).read_text() == schema.schema_text()


def copy_package(into: Path) -> Path:
    shutil.copytree(
        REPO / "prepbook", into / "prepbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    return into / "prepbook"


class TestPrepbooksOwnPackage:
    def test_the_package_a_playbook_runs_is_never_written(self, cli, tmp_path: Path) -> None:
        """A playbook runs an installed prepbook, outside it: its shipped copy of the schema
        is that installation's, not the playbook's, however stale it is."""
        package = copy_package(tmp_path / "lib")
        shipped = package / "docs" / "workshop.schema.json"
        shipped.write_text(shipped.read_text().replace("workshop", "workshop!", 1))
        drifted = shipped.read_text()
        env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
        assert cli("init", "pb", cwd=tmp_path, env=env).code == 0
        playbook = tmp_path / "pb"
        (playbook / "docs" / schema.SCHEMA_FILE).write_text(schema.schema_text())
        assert cli("refresh", "--check", cwd=playbook, env=env).code == 0
        assert cli("refresh", cwd=playbook, env=env).code == 0
        assert shipped.read_text() == drifted

    def test_the_package_inside_the_project_is_refreshed_with_it(self, cli, tmp_path: Path) -> None:
        """prepbook's own repository: the package's files are the project's too."""
        project = tmp_path / "project"
        package = copy_package(project)
        (project / "mkdocs.yml").write_text("site_name: x\n")
        env = {**os.environ, "PYTHONPATH": str(project)}
        assert cli("refresh", cwd=project, env=env).code == 0
        shipped = package / "docs" / "workshop.schema.json"
        shipped.write_text(shipped.read_text().replace("workshop", "workshop!", 1))
        checked = cli("refresh", "--check", cwd=project, env=env)
        assert checked.err == (
            "prepbook/docs/workshop.schema.json is out of date: run 'prepbook refresh' to "
            "regenerate it\n"
        )
        assert cli("refresh", cwd=project, env=env).err == (
            "wrote prepbook/docs/workshop.schema.json\n"
        )
        assert shipped.read_text() == schema.schema_text()


class TestTheRulesTable:
    def test_a_row_for_each_method_rule_linked_to_its_page(self) -> None:
        table = rules_table(lambda rule_id: f"docs/rules/{rule_id}.md")
        rows = table.splitlines()[2:]
        assert [row.split(" | ")[0] for row in rows] == [f"| `{r}`" for r in METHOD_RULES]
        assert rows[METHOD_RULES.index("PB310")] == (
            "| `PB310` | [team-functions](docs/rules/PB310.md) | warning | The team does not "
            "cover product, engineering, data, marketing and customer support. | functions |"
        )
        assert "| `PB303` | silence-unused | info |" in rules_table()
        assert (
            rules_table()
            .splitlines()[METHOD_RULES.index("PB303") + 2]
            .endswith("| cannot be silenced |")
        )

    def test_the_markers_enclose_what_is_rewritten(self) -> None:
        region = Region("rules table")
        text = "intro\n<!-- prepbook: rules table -->\nold\n<!-- /prepbook: rules table -->\nend\n"
        assert region.held(text) == "old\n"
        replaced = region.replaced(text, "| new |\n")
        assert replaced == (
            "intro\n<!-- prepbook: rules table -->\n| new |\n<!-- /prepbook: rules table -->\nend\n"
        )
        assert region.problem(text) is None
        reversed_ = "<!-- /prepbook: rules table -->\n<!-- prepbook: rules table -->\n"
        assert region.problem(reversed_) == (
            "'<!-- /prepbook: rules table -->' comes before '<!-- prepbook: rules table -->'"
        )
        assert not region.present("no markers") and region.held("no markers") is None
