"""The Pagefind index that answers Material's search box: built by ``mkdocs build`` into the
site, byte for byte the same from the same pages, holding what the theme's search held and
skipping what it skipped, and left as it was by a build that fails.

Pagefind's fragments (one a page: its URL, title and the text search reads) are gzip'd
JSON after a short signature; reading them tells what search can find without a browser.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepbook import site_swap
from prepbook.render import pagefind
from prepbook.render.pagefind import index_site
from tests.searchindex import fragments
from tests.test_live_preview import Serving, fresh_plugins
from tests.test_site import copy_repo, run

SCENARIO = "as if Northwind had not noticed the order at all"  # a persofail's scenario
NORTHWIND = "/playbook/workshops/northwind-retail/"
NORTHWIND_FILE = "workshops/northwind-retail.yaml"
# Failing after prepbook has indexed the staged site and before the site is swapped in.
FAILING_HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(-50)
def on_post_build(config):
    raise RuntimeError("the hook fails once the search index is written")
"""


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("repo"))
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    yield Serving(copy_repo(tmp_path / "repo"), tmp_path / "served")
    fresh_plugins()


class TestTheIndex:
    def test_the_build_writes_the_index_and_the_worker_that_reads_it(self, built: Path) -> None:
        site = built / "site"
        assert (site / "pagefind" / "pagefind.js").is_file()
        assert (site / "pagefind" / "pagefind-entry.json").is_file()
        assert (site / "assets" / "prepbook" / "search-worker.js").is_file()
        page = (site / NORTHWIND.strip("/") / "index.html").read_text(encoding="utf-8")
        # the search box asks prepbook's worker, and no page downloads the theme's index
        assert "assets/prepbook/search-worker.js" in page
        assert 'name="search"' not in page
        assert "data-pagefind-body" in page

    def test_two_builds_write_the_same_bytes(self, built: Path, tmp_path: Path) -> None:
        again = copy_repo(tmp_path / "again")
        done = run(again, "mkdocs", "build", "--strict")
        assert done.returncode == 0, done.stderr
        first, second = digest(built / "site"), digest(again / "site")
        assert any(name.startswith("pagefind/fragment/") for name in first)
        assert first == second

    def test_pages_left_out_of_search_stay_out(self, built: Path) -> None:
        urls = {page["url"] for page in fragments(built / "site")}
        assert NORTHWIND in urls
        # the facilitation kit and the decision record repeat the workshop page
        assert not any(url.startswith(("/playbook/kits/", "/playbook/records/")) for url in urls)
        # the site's other pages are indexed too, as the theme's search indexed them
        assert "/workshop/" in urls


class TestTheThemesIndex:
    """The theme's own index is not built where the box asks Pagefind (reading every page
    again for it was a tenth of a build), unless ``theme_search_index`` asks for it."""

    def test_is_written_with_no_documents(self, built: Path) -> None:
        index = json.loads((built / "site/search/search_index.json").read_text("utf-8"))
        assert index["docs"] == []
        assert index["config"]["lang"] == ["en"]

    def test_is_built_as_before_when_asked_for(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        config = root / "mkdocs.yml"
        text = config.read_text("utf-8")
        assert "      output: playbook\n" in text
        config.write_text(
            text.replace(
                "      output: playbook\n",
                "      output: playbook\n      theme_search_index: true\n",
            )
        )
        done = run(root, "mkdocs", "build", "--strict")
        assert done.returncode == 0, done.stderr
        docs = json.loads((root / "site/search/search_index.json").read_text("utf-8"))["docs"]
        found = [d["location"] for d in docs if SCENARIO in d["text"]]
        assert found and all(f.startswith(NORTHWIND.lstrip("/")) for f in found), found
        # and the box still asks Pagefind
        assert {p["url"] for p in fragments(root / "site")} >= {NORTHWIND}


class TestWhatSearchReads:
    def test_a_persofails_scenario_is_found_once(self, built: Path) -> None:
        found = [p for p in fragments(built / "site") if SCENARIO in p["content"]]
        assert [p["url"] for p in found] == [NORTHWIND]
        assert found[0]["content"].count(SCENARIO) == 1

    def test_what_the_page_only_repeats_is_not_read(self, built: Path) -> None:
        """The summary's tables, what refers to a record, the labels of stacked cells and
        the headings' permalink signs stay out, as they stay out of the theme's index."""
        (workshop,) = [p for p in fragments(built / "site") if p["url"] == NORTHWIND]
        text = workshop["content"]
        assert "toilet seat" in text.lower()
        for repeated in ("Refers here", "Ships:", "delivered by", "Top risks", "today 20", "¶"):
            assert repeated not in text, repeated


class TestAFailedBuild:
    def test_keeps_the_previous_site_and_its_index(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        done = run(root, "mkdocs", "build")
        assert done.returncode == 0, done.stderr
        before = digest(root / "site")
        northwind = root / "workshops" / "northwind-retail.yaml"
        text = northwind.read_text(encoding="utf-8")
        assert "had not noticed" in text
        northwind.write_text(text.replace("had not noticed", "had quite forgotten"))
        (root / "hook.py").write_text(FAILING_HOOK)
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(config + "\nhooks:\n  - hook.py\n")
        failed = run(root, "mkdocs", "build")
        assert failed.returncode != 0
        assert "the hook fails once the search index is written" in failed.stderr
        assert digest(root / "site") == before
        assert any(SCENARIO in p["content"] for p in fragments(root / "site"))
        leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
        assert leftovers == []


class TestUnderServe:
    """``mkdocs serve`` makes the index when a browser first asks for it after a rebuild:
    the rebuild returns without it, and a search after an edit finds the edit."""

    def test_the_index_is_made_when_asked_and_again_after_an_edit(
        self, serving: Serving, tmp_path: Path
    ) -> None:
        index = serving.site / "pagefind"
        assert not index.exists()  # the build returned without it
        serving.server.get("/assets/prepbook/search-worker.js")  # every page starts the worker
        assert not index.exists()  # which loads the index only at the first query
        serving.server.get("/pagefind/pagefind.js")  # the reader searches
        assert any(SCENARIO in p["content"] for p in fragments(serving.site))
        serving.save(NORTHWIND_FILE, "had not noticed", "had quite forgotten")
        assert serving.full_builds == 0  # a partial rebuild
        assert any(SCENARIO in p["content"] for p in fragments(serving.site))  # not asked yet
        serving.server.get("/pagefind/pagefind-entry.json")
        texts = [p["content"] for p in fragments(serving.site)]
        assert not any(SCENARIO in text for text in texts)
        assert any("as if Northwind had quite forgotten the order" in text for text in texts)
        # the same index as a full build of the edited playbook, asked for once
        reference = tmp_path / "reference"
        shutil.copytree(serving.site, reference)
        shutil.rmtree(reference / "pagefind")
        index_site(reference)
        assert digest(index) == digest(reference / "pagefind")


class TestTheGeneratePath:
    def test_prepbook_index_reads_another_engines_build_of_the_generated_pages(
        self, tmp_path: Path
    ) -> None:
        """The pages ``prepbook generate`` writes, built by MkDocs without the plugin, get
        a search index from ``prepbook index`` that skips what the markers in the pages
        skip: the scenario found once on the workshop's page, what it repeats left out.
        (Which pages are left out of search whole, the kit and the record, their front
        matter tells the engine; Pagefind reads the HTML alone, so it finds them too.)"""
        root = copy_repo(tmp_path / "repo")
        done = run(root, "prepbook", "generate", "--out", "content/playbook")
        assert done.returncode == 0, done.stderr
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        plain = re.sub(r"  - prepbook:\n(?:      .*\n)+", "", config)
        assert "prepbook" not in plain.split("markdown_extensions")[0]
        (root / "mkdocs.yml").write_text(plain, encoding="utf-8")
        done = run(root, "mkdocs", "build")
        assert done.returncode == 0, done.stderr
        assert not (root / "site" / "pagefind").exists()
        done = run(root, "prepbook", "index", "site")
        assert done.returncode == 0, done.stderr
        assert "wrote the search index" in done.stderr
        found = {p["url"]: p["content"] for p in fragments(root / "site")}
        workshop = found[NORTHWIND]
        assert workshop.count(SCENARIO) == 1
        assert [
            url for url, text in found.items() if SCENARIO in text and "/workshops/" in url
        ] == [NORTHWIND]
        for repeated in ("Refers here", "Ships:", "delivered by", "Top risks"):
            assert repeated not in workshop, repeated

    def test_prepbook_index_refuses_a_folder_without_pages(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        (root / "empty").mkdir()
        done = run(root, "prepbook", "index", "empty")
        assert done.returncode == 2
        assert "is not a folder of HTML pages" in done.stderr
        assert "Traceback" not in done.stderr


class TestAKilledIndexing:
    """A build killed while Pagefind writes leaves its half-made index in the staging
    folder; the next build deletes that folder and gives the site none of it, where it
    gives back the site's own hidden entries."""

    @staticmethod
    def _dead_pid() -> int:
        done = subprocess.Popen(["true"])
        done.wait()
        return done.pid

    def test_its_half_made_index_stays_out_of_the_site(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text("<html><body><p>old</p></body></html>")
        outputs: list[str] = []

        def pagefind_killed(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
            outputs.append(command[command.index("--output-path") + 1])
            return subprocess.CompletedProcess(command, 1, "", "killed")

        monkeypatch.setattr(pagefind.subprocess, "run", pagefind_killed)
        staging = site_swap.beside(site, site_swap.BUILDING, self._dead_pid())
        staging.mkdir()
        with pytest.raises(pagefind.SearchIndexError):
            pagefind.index_site(staging)
        (working,) = outputs
        half = staging / Path(working).name / "fragment"
        half.mkdir(parents=True)  # what Pagefind had written when the build was killed
        (half / "en_0.pf_fragment").write_bytes(b"half")
        site_swap.clear_leftovers(site)
        assert not staging.exists()
        assert sorted(p.name for p in site.iterdir()) == ["index.html"]

    def test_one_a_killed_prepbook_index_left_goes_at_the_next(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text("<html><body><p>a page</p></body></html>")
        left = site / f"{pagefind.FOLDER}.new-{self._dead_pid()}"
        (left / "fragment").mkdir(parents=True)
        pagefind.index_site(site)
        assert not left.exists()
        assert (site / pagefind.FOLDER / "pagefind.js").is_file()
