"""The playbook is found, never guessed: every command looks for mkdocs.yml from the
working folder upwards, as git looks for ``.git``, stops at the top of the repository, and
with none found says so and exits 2, instead of taking the working folder for a playbook
(which checked nothing and passed, or wrote a workshop into ``workshops/workshops/``).

Paths on the command line stay relative to where the user stands; the settings' folders
stay relative to the mkdocs.yml found.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.config import DEFAULT_CONFIGS
from tests.conftest import dated, minimal

# decider missing is a warning by default (PB302); this playbook makes it an error, so a
# command that read its mkdocs.yml says so, and one that guessed the defaults does not
STRICT_PLAYBOOK = (
    "site_name: Strict\nplugins:\n  - prepbook:\n      workshops: plays\n"
    "      rules: {PB302: error}\n"
)
NO_DECIDER = minimal("loose").replace("decider: dan\n", "")


def prepbook(cwd: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(home or cwd)}
    return subprocess.run(
        [sys.executable, "-m", "prepbook", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=dated(env),
    )


def strict_playbook(root: Path) -> Path:
    """A playbook whose workshops are in plays/, one good and one without a decider."""
    (root / "plays" / "nested").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "mkdocs.yml").write_text(STRICT_PLAYBOOK)
    (root / "plays" / "mini.yaml").write_text(minimal())
    (root / "plays" / "nested" / "loose.yaml").write_text(NO_DECIDER)
    return root


def no_playbook_above(folder: Path) -> None:
    """The tests of 'none found' need a folder with no mkdocs.yml above it, up to the top
    of a repository or the root; a machine with one there cannot run them."""
    for above in (folder, *folder.parents):
        if any((above / name).is_file() for name in DEFAULT_CONFIGS):
            pytest.skip(f"{above} holds a mkdocs.yml, above the test's folder")
        if (above / ".git").exists():
            return


class TestFoundFromASubfolder:
    """Run inside the playbook, a command reads the playbook's mkdocs.yml and its folders."""

    def test_validate_checks_the_configured_folder_with_the_configured_rules(
        self, tmp_path: Path
    ) -> None:
        root = strict_playbook(tmp_path)
        for inside in (root / "plays", root / "plays" / "nested", root / "content"):
            done = prepbook(inside, "validate", "--strict")
            assert done.returncode == 1, (inside, done.stdout, done.stderr)
            assert "checked 2 files: 1 error" in done.stdout, done.stdout
            assert "error[PB302]" in done.stdout
        # a path given on the command line is relative to where the user stands
        named = prepbook(root / "plays", "validate", "nested/loose.yaml")
        assert named.returncode == 1 and "checked 1 file: 1 error" in named.stdout
        assert "--> nested/loose.yaml" in named.stdout

    def test_show_reads_the_settings_of_the_playbook_above(self, tmp_path: Path) -> None:
        root = tmp_path
        (root / "workshops").mkdir()
        (root / "mkdocs.yml").write_text(
            "site_name: x\nplugins:\n  - prepbook:\n      max_file_bytes: 100\n"
        )
        (root / "workshops" / "mini.yaml").write_text(minimal())
        done = prepbook(root / "workshops", "show", "mini.yaml")
        assert done.returncode == 2, done.stdout
        assert "over the cap of 100" in done.stderr, done.stderr
        (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
        shown = prepbook(root / "workshops", "show", "mini.yaml")
        assert shown.returncode == 0 and "Minimal workshop" in shown.stdout

    def test_new_writes_into_the_configured_folder_not_below_the_working_one(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "workshops").mkdir()
        (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n")
        done = prepbook(tmp_path / "workshops", "new", "fresh")
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "workshops" / "fresh.yaml").is_file()
        assert not (tmp_path / "workshops" / "workshops").exists()
        assert "created fresh.yaml" in done.stderr
        # the modeline names the docs folder of the playbook, from where the file is
        first = (tmp_path / "workshops" / "fresh.yaml").read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../content/schema/workshop.schema.json"
        # --dir is relative to where the user stands
        elsewhere = prepbook(tmp_path / "workshops", "new", "side", "--dir", "drafts")
        assert elsewhere.returncode == 0, elsewhere.stderr
        assert (tmp_path / "workshops" / "drafts" / "side.yaml").is_file()

    def test_the_settings_folders_stay_relative_to_the_mkdocs_yml(self, tmp_path: Path) -> None:
        root = strict_playbook(tmp_path)
        generated = prepbook(root / "content", "generate", "--output", "pages")
        assert generated.returncode == 1  # loose.yaml has an error in this playbook
        assert "plays/nested/loose.yaml" in generated.stderr
        (root / "plays" / "nested" / "loose.yaml").unlink()
        written = prepbook(root / "content", "generate", "--output", "pages")
        assert written.returncode == 0, written.stderr
        assert (root / "content" / "pages" / "index.md").is_file()  # where the user stands
        assert not (root / "pages").exists()


class TestSearchStops:
    def test_at_the_top_of_the_git_repository(self, tmp_path: Path) -> None:
        """A mkdocs.yml above the repository is someone else's: git's boundary is ours."""
        (tmp_path / "mkdocs.yml").write_text("site_name: outer\n")
        inner = tmp_path / "clone"
        (inner / "sub").mkdir(parents=True)
        subprocess.run(["git", "init", "-q", str(inner)], check=True)
        done = prepbook(inner / "sub", "validate", "--strict")
        assert done.returncode == 2, done.stdout
        assert done.stderr.count("\n") == 1, done.stderr
        assert f"up to {inner.resolve()}, the top of its git repository" in done.stderr
        # the top of the repository itself is searched
        (inner / "mkdocs.yml").write_text("site_name: inner\n")
        found = prepbook(inner / "sub", "validate", "--strict", "-v")
        assert found.returncode == 0, found.stderr
        assert f"read the settings from {(inner / 'mkdocs.yml').resolve()}" in found.stderr

    def test_the_nearest_mkdocs_yml_wins(self, tmp_path: Path) -> None:
        """A playbook inside another: the one nearest the working folder is the one read."""
        strict_playbook(tmp_path)
        inner = tmp_path / "plays" / "nested"
        (inner / "mkdocs.yml").write_text(
            "site_name: inner\nplugins:\n  - prepbook:\n      workshops: drafts\n"
        )
        (inner / "drafts").mkdir()
        (inner / "drafts" / "draft.yaml").write_text(NO_DECIDER.replace("id: loose", "id: draft"))
        done = prepbook(inner / "drafts", "validate")
        # the inner playbook keeps the default rules: a missing decider is a warning
        assert done.returncode == 0, done.stdout + done.stderr
        assert "checked 1 file: 0 errors, 1 warning" in done.stdout, done.stdout
        assert "warning[PB302]" in done.stdout


# A command line for each command that reads a playbook, in a folder that has none.
EVERY_COMMAND = {
    "validate": ("validate", "--strict"),
    "diff": ("diff", "before", "after"),
    "show": ("show", "mini.yaml"),
    "new": ("new", "fresh"),
    "schema": ("schema",),
    "docs": ("docs",),
    "generate": ("generate", "--output", "out"),
}


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_no_playbook_found_is_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    home = tmp_path / "home"
    for side in ("before", "after"):
        (home / side).mkdir(parents=True)
    (home / "mini.yaml").write_text(minimal())
    no_playbook_above(home)
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    done = prepbook(home, *EVERY_COMMAND[command], home=home)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"prepbook {command}: no playbook here: no mkdocs.yml")
    assert f"in {home.resolve()} or any folder above it" in done.stderr
    assert "run 'prepbook init DIR' to make one, or name one with --config FILE" in done.stderr
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before  # nothing written


def test_init_needs_no_playbook_and_refuses_config(tmp_path: Path) -> None:
    no_playbook_above(tmp_path)
    made = prepbook(tmp_path, "init", "fresh", "-q")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "fresh" / "mkdocs.yml").is_file()
    refused = prepbook(tmp_path, "init", "other", "--config", "fresh/mkdocs.yml")
    assert refused.returncode == 2 and "init writes a new one into DIR" in refused.stderr
    assert not (tmp_path / "other").exists()
