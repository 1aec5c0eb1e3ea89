"""The published pre-commit hook, run by pre-commit itself (``pre-commit try-repo``) on the
staged changes of a playbook repository, as it runs before a commit.

The tests stay offline: the hook's ``language: python`` would make pre-commit build an
isolated environment and install prepbook and its dependencies into it from the package
index. The hook repository used here holds the published manifest with only ``language``
turned to ``system``, so pre-commit runs the ``prepbook`` of this environment; everything
that decides when the hook runs and on what (``entry``, ``pass_filenames``, ``always_run``,
the configured folder) is the published one, and pre-commit applies it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, dated, minimal
from tests.test_diff import GIT_ENV

# another workshop's roadmap step that depends on the minimal workshop's step 'build'
DEPENDENT = minimal("other").replace(
    "      delivers: [offers]\n", "      delivers: [offers]\n      depends_on: [mini/build]\n"
)


def published_hook() -> dict[str, object]:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def environment(tmp_path: Path) -> dict[str, str]:
    return dated(
        {
            **os.environ,
            **GIT_ENV,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "NO_MKDOCS_2_WARNING": "1",
        }
    )


def git(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def hooks(tmp_path: Path) -> Path:
    """A hook repository with the published manifest, run with this environment's prepbook."""
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert manifest.count("language: python\n") == 1
    root = tmp_path / "hooks"
    root.mkdir()
    (root / ".pre-commit-hooks.yaml").write_text(
        manifest.replace("language: python\n", "language: system\n"), encoding="utf-8"
    )
    env = environment(tmp_path)
    git(root, env, "init", "-q", "-b", "main")
    git(root, env, "add", ".")
    git(root, env, "commit", "-q", "-m", "The hook")
    return root


class Playbook:
    """A playbook repository: files written, staged and committed as a team would."""

    def __init__(self, root: Path, hooks: Path, env: dict[str, str]) -> None:
        self.root, self.hooks, self.env = root, hooks, env

    def write(self, name: str, text: str) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        git(self.root, self.env, "add", name)

    def git(self, *args: str) -> None:
        git(self.root, self.env, *args)

    def hook(self, *args: str) -> subprocess.CompletedProcess[str]:
        """pre-commit runs the hook on what is staged, as before a commit."""
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(self.hooks), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def prepbook(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "prepbook", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture
def repo(tmp_path: Path, hooks: Path) -> Playbook:
    """Two workshops on main, one depending on a step of the other; the hook passes."""
    root = tmp_path / "playbook"
    root.mkdir()
    book = Playbook(root, hooks, environment(tmp_path))
    book.git("init", "-q", "-b", "main")
    book.write("mkdocs.yml", "site_name: Playbook\nplugins:\n  - prepbook\n")
    book.write("workshops/mini.yaml", minimal())
    book.write("workshops/other.yaml", DEPENDENT)
    done = book.hook()
    assert done.returncode == 0, done.stdout + done.stderr
    book.git("commit", "-q", "-m", "Two workshops")
    return book


def test_the_published_hook_checks_the_whole_playbook_on_every_commit() -> None:
    hook = published_hook()
    assert hook["entry"] == "prepbook validate"  # warnings do not block: args: [--strict]
    assert hook["pass_filenames"] is False and hook["always_run"] is True
    assert "files" not in hook and "types" not in hook


def test_renaming_a_step_another_workshop_depends_on_fails(repo: Playbook) -> None:
    repo.write("workshops/mini.yaml", minimal().replace("- id: build\n", "- id: make\n"))
    done = repo.hook()
    assert done.returncode == 1, done.stdout
    assert "error[PB204]" in done.stdout and "mini/build" in done.stdout
    assert "--> workshops/other.yaml:" in done.stdout  # a file the commit does not touch


def test_deleting_a_referenced_workshop_fails(repo: Playbook) -> None:
    repo.git("rm", "-q", "workshops/mini.yaml")
    done = repo.hook()
    assert done.returncode == 1, done.stdout
    assert "error[PB204]" in done.stdout and "--> workshops/other.yaml:" in done.stdout


def test_a_commit_touching_no_workshop_still_checks_them(repo: Playbook) -> None:
    (repo.root / "workshops" / "other.yaml").write_text(DEPENDENT.replace("mini/build", "x/y"))
    repo.git("add", "workshops/other.yaml")
    repo.git("commit", "-q", "--no-verify", "-m", "A broken reference slipped in")
    repo.write("README.md", "# Our playbook\n")
    done = repo.hook()
    assert done.returncode == 1 and "error[PB204]" in done.stdout, done.stdout


def test_the_configured_workshops_folder_is_checked(repo: Playbook) -> None:
    repo.git("mv", "workshops", "plays")
    repo.write(
        "mkdocs.yml", "site_name: Playbook\nplugins:\n  - prepbook:\n      workshops: plays\n"
    )
    assert repo.hook().returncode == 0
    repo.write("plays/other.yaml", DEPENDENT.replace("mini/build", "mini/buidl"))
    done = repo.hook()
    assert done.returncode == 1, done.stdout
    assert "--> plays/other.yaml:" in done.stdout and "did you mean 'mini/build'" in done.stdout


def test_the_skeleton_of_prepbook_new_can_be_committed(repo: Playbook) -> None:
    created = repo.prepbook("new", "acme-insurance")
    assert created.returncode == 0, created.stderr
    repo.git("add", "workshops/acme-insurance.yaml")
    done = repo.hook("--verbose")  # pre-commit shows a passing hook's output when verbose
    assert done.returncode == 0, done.stdout
    assert "warning[" in done.stdout  # what is still empty is reported, and does not block
    repo.git("commit", "-q", "-m", "A new workshop")


def test_strict_is_opt_in(repo: Playbook) -> None:
    assert repo.prepbook("new", "acme-insurance").returncode == 0
    repo.git("add", "workshops/acme-insurance.yaml")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo.hooks, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {
        "repos": [
            {
                "repo": str(repo.hooks),
                "rev": revision,
                "hooks": [{"id": "prepbook-validate", "args": ["--strict"]}],
            }
        ]
    }
    (repo.root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    repo.git("add", ".pre-commit-config.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run"],
        cwd=repo.root,
        env=repo.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1 and "warning[" in done.stdout, done.stdout


def test_the_hook_runs_without_git_history_of_its_own(tmp_path: Path, hooks: Path) -> None:
    """A repository with nothing committed yet: the first commit is checked too."""
    root = tmp_path / "fresh"
    root.mkdir()
    book = Playbook(root, hooks, environment(tmp_path))
    book.git("init", "-q", "-b", "main")
    book.write("mkdocs.yml", "site_name: Playbook\nplugins:\n  - prepbook\n")
    book.write("workshops/mini.yaml", minimal().replace("requires: [crm]", "requires: [crn]"))
    done = book.hook()
    assert done.returncode == 1 and "error[PB204]" in done.stdout, done.stdout
