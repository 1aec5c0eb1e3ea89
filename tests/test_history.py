"""The history on the site: the Changes page and each workshop's recent changes, read from
real git repositories with the diff engine, reproducible, and harmless where git is not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from prepbook.build import build
from prepbook.config import Project, Settings
from prepbook.history import HistoryCache
from tests.conftest import EXAMPLES, minimal
from tests.test_diff import GIT_ENV, edit, git


def commit(root: Path, message: str, day: str) -> None:
    """A commit with a fixed date, so the page it makes is the same in every run."""
    stamp = f"{day}T12:00:00+00:00"
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)


def playbook_repo(root: Path) -> Path:
    """The examples committed, then three commits of a team's edits."""
    shutil.copytree(EXAMPLES, root / "workshops")
    (root / "mkdocs.yml").write_text("site_name: Playbook\nplugins:\n  - prepbook\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "The examples", "2026-09-01")
    retail = root / "workshops" / "northwind-retail.yaml"
    edit(retail, ("    end: 2027-06-18", "    end: 2027-07-09"))
    commit(root, "Rollout slips three weeks", "2026-10-05")
    (root / "workshops" / "mini.yaml").write_text(minimal())
    commit(root, "A <script> workshop", "2026-11-02")
    return root


def pages(root: Path, **options: object) -> dict[str, str]:
    built = build(Project(Settings(**options), root), root / "docs" / "playbook")
    assert built.report.ok, built.report.findings
    return built.pages


def test_changes_page_lists_each_change_by_workshop_and_decision(tmp_path: Path) -> None:
    root = playbook_repo(tmp_path / "repo")
    page = pages(root)["changes.md"]
    # workshops by title, each decision under its workshop, newest change first
    assert page.index("## [Minimal workshop]") < page.index("## [Post-purchase personal")
    retail = page[page.index("## [Post-purchase personal") :]
    decision = retail.index("### [Post-purchase recommendations that know what was bought]")
    slip = retail.index("*2026-10-05 · Rollout slips three weeks · Team*")
    added = retail.index("*2026-09-01 · The examples · Team*")
    assert decision < slip < retail.index("### Other changes to the workshop") < added
    assert "&#60;script&#62;" in page and "<script>" not in page  # a subject is text
    assert "northwind-retail" in page and "mini" in page
    # each workshop page shows its own latest changes, and only those
    mini = pages(root)["workshops/mini.md"]
    assert "## Recent changes" in mini and "Rollout slips" not in mini


def test_the_limit_and_since_options(tmp_path: Path) -> None:
    root = playbook_repo(tmp_path / "repo")
    examples, slip, mini = "The examples", "Rollout slips", "A &#60;script&#62; workshop"
    assert examples not in pages(root, history=2)["changes.md"]
    recent = pages(root, history_since="2026-10-01")["changes.md"]
    assert slip in recent and examples not in recent
    git(root, "tag", "v1", "HEAD~1")  # since a release: what came after it
    since_tag = pages(root, history_since="v1")["changes.md"]
    assert mini in since_tag and slip not in since_tag
    assert "changes.md" not in pages(root, history=0)


def test_same_history_same_page(tmp_path: Path) -> None:
    first = pages(playbook_repo(tmp_path / "a"))
    second = pages(playbook_repo(tmp_path / "b"))
    assert first["changes.md"] == second["changes.md"]


def test_without_git_the_page_says_so(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(EXAMPLES, root / "workshops")
    page = pages(root)["changes.md"]
    assert "not in a git repository" in page


def test_a_shallow_clone_says_so_and_adds_nothing_false(tmp_path: Path) -> None:
    origin = playbook_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)],
        env=GIT_ENV,
        check=True,
    )
    page = pages(clone)["changes.md"]
    assert "shallow clone" in page
    assert "A &#60;script&#62; workshop" not in page  # its parent is missing here


def test_commits_are_read_once_across_rebuilds(tmp_path: Path) -> None:
    root = playbook_repo(tmp_path / "repo")
    cache = HistoryCache()
    project = Project(Settings(), root)
    first = build(project, root / "out", history=cache)
    assert len(cache.changes) == 3
    cache.changes = {sha: () for sha in cache.changes}  # as if nothing had changed
    again = build(project, root / "out", history=cache)
    assert "Rollout slips" not in again.pages["changes.md"]  # taken from the cache
    assert "Rollout slips" in first.pages["changes.md"]


def test_the_site_builds_with_the_changes_page(tmp_path: Path) -> None:
    root = playbook_repo(tmp_path / "repo")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    html = (root / "site" / "playbook" / "changes" / "index.html").read_text()
    assert "Rollout slips three weeks" in html
