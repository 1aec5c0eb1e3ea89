"""The live preview rebuilds only what a workshop edit changes, and what it writes is what a
full build would have written.

Each test drives the plugin as ``mkdocs serve`` does, in this process: a full build into a
site folder, then the serve loop's builder after a file is saved. The reference is a full
build of the edited playbook by a fresh plugin into another folder; the two folders must be
identical, byte for byte, search index included.
"""

from __future__ import annotations

import filecmp
import html
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from prepbook.plugin import PrepbookPlugin
from tests.test_site import copy_repo

SERVE_URL = "http://127.0.0.1:8000/"
NORTHWIND = "workshops/northwind-retail.yaml"
TITLE = "title: Post-purchase personalization for online and store customers"
EXPORTS = "playbook/exports"


class FakeServer:
    """The part of MkDocs' live-reload server that plugins see."""

    def __init__(self, builder: Callable[[], None]) -> None:
        self.builder = builder
        self.watched: list[str] = []
        self.error_handler: Callable[[int], bytes | None] = lambda code: None
        self.app: Callable[..., list[bytes]] = lambda environ, start_response: []

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def get_app(self) -> Callable[..., list[bytes]]:
        return self.app

    def set_app(self, app: Callable[..., list[bytes]]) -> None:
        self.app = app

    def get(self, path: str) -> None:
        """A request, as the server's threads pass it to the application."""
        self.app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda *args: None)


def fresh_plugins() -> None:
    """MkDocs keeps plugins that define ``on_startup`` across loads of the configuration,
    as ``mkdocs serve`` needs; a test that wants a fresh plugin drops them."""
    MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]


def serve_build(root: Path, site: Path) -> MkDocsConfig:
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL)
    return config


class Serving:
    """A playbook built as ``mkdocs serve`` builds it, with the serve loop's builder."""

    def __init__(self, root: Path, site: Path) -> None:
        fresh_plugins()
        self.root, self.site = root, site
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        self.full_builds = 0

        def full() -> None:
            self.full_builds += 1
            serve_build(root, site)

        server = config.plugins.on_serve(FakeServer(full), config=config, builder=full)
        self.server = server
        plugin = config.plugins["prepbook"]
        assert isinstance(plugin, PrepbookPlugin)
        self.plugin = plugin

    def exports(self) -> list[Path]:
        return sorted((self.site / EXPORTS).iterdir())

    def asked(self) -> Path:
        """The served folder once a browser or a calendar has asked for every export (a
        rebuild makes them only then)."""
        for path in self.exports():
            self.server.get("/" + path.relative_to(self.site).as_posix())
        return self.site

    def save(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.server.builder()


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    yield Serving(copy_repo(tmp_path / "repo"), tmp_path / "served")
    fresh_plugins()


@pytest.fixture
def serving_split(tmp_path: Path) -> Iterator[Serving]:
    """The examples with section pages of five rows each: dozens of split pages, most of
    them to be reused by a rebuild, some not."""
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      output: playbook\n", "      output: playbook\n      page_rows: 5\n"),
        encoding="utf-8",
    )
    yield Serving(root, tmp_path / "served")
    fresh_plugins()


def reference(serving: Serving, tmp_path: Path) -> Path:
    """A full build of the playbook as it is now, by a fresh plugin."""
    fresh_plugins()
    copy = copy_repo(tmp_path / "reference")
    (copy / "mkdocs.yml").write_bytes((serving.root / "mkdocs.yml").read_bytes())
    for name in ("workshops", "content", "trackers"):
        for path in (serving.root / name).rglob("*"):
            if path.is_file():
                target = copy / path.relative_to(serving.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    site = tmp_path / "reference-site"
    config = load_config(config_file=str(copy / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL)
    return site


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, as paths relative to the folders."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


def test_an_edit_rebuilds_only_the_pages_it_changes(serving: Serving, tmp_path: Path) -> None:
    serving.save(NORTHWIND, TITLE, "title: Renamed while serving")
    assert serving.full_builds == 0
    rebuilt = serving.plugin.site.preview.rebuilt
    assert "playbook/workshops/northwind-retail.md" in rebuilt
    assert "playbook/index.md" in rebuilt  # the portfolio lists the workshop by title
    assert "reference/format.md" not in rebuilt
    assert len(rebuilt) < len(serving.plugin.site.pages) / 2
    page = serving.site / "playbook" / "workshops" / "northwind-retail" / "index.html"
    assert "Renamed while serving" in page.read_text(encoding="utf-8")
    assert differences(serving.asked(), reference(serving, tmp_path)) == []


def test_a_rebuild_makes_the_exports_only_when_they_are_asked_for(
    serving: Serving, tmp_path: Path
) -> None:
    """Making the exports takes longer than the rest of a rebuild at 1,000 workshops, and
    they are rarely looked at while editing: a save does not wait for them, and the first
    request for one brings them all up to date."""
    before = {path: path.read_bytes() for path in serving.exports()}
    serving.save(NORTHWIND, TITLE, "title: Renamed while serving")
    assert serving.full_builds == 0
    assert {path: path.read_bytes() for path in serving.exports()} == before
    serving.server.get("/playbook/index.html")  # a page: nothing is made
    assert {path: path.read_bytes() for path in serving.exports()} == before
    serving.server.get("/playbook/exports/roadmap.ics")
    catalogue = (serving.site / EXPORTS / "playbook.json").read_text(encoding="utf-8")
    assert "Renamed while serving" in catalogue
    assert differences(serving.site, reference(serving, tmp_path)) == []


def test_successive_edits_stay_equal_to_a_full_build(serving: Serving, tmp_path: Path) -> None:
    serving.save(NORTHWIND, TITLE, "title: First rename")
    serving.save(NORTHWIND, "title: First rename", "title: Second rename")
    serving.save(NORTHWIND, "status: held", "status: archived")
    assert serving.full_builds == 0
    assert differences(serving.asked(), reference(serving, tmp_path)) == []


def test_with_the_themes_index_an_edit_updates_its_entries_as_a_full_build_would(
    tmp_path: Path,
) -> None:
    """``theme_search_index: true`` builds the theme's index too: a rebuild replaces the
    edited pages' entries where they were."""
    root = copy_repo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "      output: playbook\n", "      output: playbook\n      theme_search_index: true\n"
        ),
        encoding="utf-8",
    )
    serving = Serving(root, tmp_path / "served")
    try:
        serving.save(NORTHWIND, TITLE, "title: Renamed while serving")
        assert serving.full_builds == 0
        index = json.loads((serving.site / "search/search_index.json").read_text("utf-8"))
        renamed = [d for d in index["docs"] if "Renamed while serving" in d["title"]]
        assert renamed, "the edited title is not in the theme's index"
        assert differences(serving.asked(), reference(serving, tmp_path)) == []
    finally:
        fresh_plugins()


def test_an_edit_to_a_hand_written_page_builds_everything(serving: Serving) -> None:
    serving.save("content/workshop.md", "# ", "# Edited: ")
    assert serving.full_builds == 1


def test_new_tracker_exports_build_everything_with_what_they_say(
    serving: Serving, tmp_path: Path
) -> None:
    """An export can move a tracked step of any workshop: a full build, and the workshop
    page says what the tracker says now."""
    page = serving.site / "playbook" / "workshops" / "northwind-retail" / "index.html"
    said = "tracker: done, closed 2026-12-05"
    assert said not in html.unescape(page.read_text(encoding="utf-8"))
    export = serving.root / "trackers" / "northwind-data-platform-issues.json"
    issues = json.loads(export.read_text(encoding="utf-8"))
    [issue] = [i for i in issues if i["number"] == 133]
    issue.update(state="CLOSED", stateReason="COMPLETED", closedAt="2026-12-05T10:00:00Z")
    export.write_text(json.dumps(issues), encoding="utf-8")
    serving.server.builder()
    assert serving.full_builds == 1
    assert said in html.unescape(page.read_text(encoding="utf-8"))
    assert differences(serving.asked(), reference(serving, tmp_path)) == []


def test_a_new_workshop_builds_everything(serving: Serving) -> None:
    source = serving.root / NORTHWIND
    copy = serving.root / "workshops" / "northwind-copy.yaml"
    copy.write_text(
        source.read_text(encoding="utf-8").replace("id: northwind-retail", "id: northwind-copy", 1),
        encoding="utf-8",
    )
    serving.server.builder()
    assert serving.full_builds == 1
    assert (serving.site / "playbook" / "workshops" / "northwind-copy" / "index.html").exists()


def test_a_workshop_with_errors_falls_back_to_the_full_build(
    serving: Serving, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    serving.save(NORTHWIND, TITLE, "title: [unclosed")  # the error page, not an exception
    assert serving.full_builds == 1
    assert "nothing was built" in caplog.text
    served = serving.site / "playbook" / "workshops" / "northwind-retail" / "index.html"
    text = served.read_text(encoding="utf-8")
    assert "Post-purchase personalization" not in text
    assert "workshops/northwind-retail.yaml:" in text  # the findings stand in for the page
    serving.save(NORTHWIND, "title: [unclosed", "title: Fixed again")
    assert serving.full_builds == 2
    assert differences(serving.asked(), reference(serving, tmp_path)) == []


def test_split_pages_are_reused_only_where_nothing_changed(
    serving_split: Serving, tmp_path: Path
) -> None:
    serving = serving_split
    section_pages = [
        p for p in serving.plugin.site.pages if p.count("/") >= 1 and "workshops/" not in p
    ]
    assert len(section_pages) > 12
    # a record renamed: every row stays where it was
    serving.save(
        NORTHWIND,
        "title: New-home messages after an address change",
        "title: Messages about a new home after an address change",
    )
    assert serving.full_builds == 0
    assert differences(serving.asked(), reference(serving, tmp_path / "first")) == []
    # a persofail moved to another category: rows move between the catalogue's pages
    serving.save(NORTHWIND, "category: wrong-context", "category: repetition")
    assert serving.full_builds == 0
    assert len(serving.plugin.site.preview.rebuilt) < len(serving.plugin.site.pages)
    assert differences(serving.asked(), reference(serving, tmp_path / "second")) == []
