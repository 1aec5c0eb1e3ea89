"""A user's mistake is a usage error: exit code 2, one line that says what is wrong, no
traceback, no "internal error", and nothing written or deleted.

Each case is a command line as a user might type it by mistake (or as a script might build
it from a value it was given), in a playbook that is otherwise fine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig

from prepbook.mkdocs_yaml import read_config
from tests.conftest import dated, minimal
from tests.hostile.conftest import ENV, MKDOCS_YML, snapshot

MARKER = "MARKER"


def _playbook(root: Path) -> None:
    (root / "workshops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "workshops" / "good.yaml").write_text(minimal("good"))
    (root / "a-folder").mkdir()
    (root / "a-file.txt").write_text("mine\n")
    os.mkfifo(root / "a-pipe")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (root / "list.json").write_text("[1, 2, 3]")
    (root / "not.json").write_text("{nope")
    with open(root / "sparse.json", "wb") as sparse:  # 300 MB on paper, nothing on disk
        sparse.truncate(300 * 1024 * 1024)


# name: (arguments after 'prepbook', words the error must hold)
CASES: dict[str, tuple[tuple[str, ...], str]] = {
    # where a report goes
    "output-into-a-missing-folder": (
        ("validate", "--output", "nowhere/report.json"),
        "the folder nowhere does not exist",
    ),
    "output-onto-a-folder": (("validate", "--output", "a-folder"), "is a folder; name a file"),
    "output-onto-a-full-disk": (("validate", "--output", "/dev/full"), "No space left on device"),
    "diff-output-onto-a-full-disk": (
        ("diff", "workshops", "--output", "/dev/full"),
        "No space left on device",
    ),
    "schema-onto-a-full-disk": (("schema", "--out", "/dev/full"), "No space left on device"),
    "docs-into-a-file": (("docs", "--out", "a-file.txt"), "cannot write"),
    "new-into-a-device": (("new", "fresh", "--dir", "/dev/null/x"), "cannot write"),
    # a baseline of any size, depth or kind
    "baseline-missing": (("validate", "--baseline", "gone.json"), "cannot read the baseline"),
    "baseline-a-folder": (("validate", "--baseline", "a-folder"), "is a folder, not a file"),
    "baseline-a-pipe": (("validate", "--baseline", "a-pipe"), "a named pipe (FIFO)"),
    "baseline-endless-device": (
        ("validate", "--baseline", "/dev/zero"),
        "is a character device, not a file",
    ),
    "baseline-of-300-mb": (("validate", "--baseline", "sparse.json"), "over the cap"),
    "baseline-nested-100000-deep": (("validate", "--baseline", "deep.json"), "nested too deeply"),
    "baseline-not-a-report": (("validate", "--baseline", "list.json"), "no list of findings"),
    "baseline-not-json": (("validate", "--baseline", "not.json"), "is not JSON"),
    # files that are no files
    "show-an-endless-device": (("show", "/dev/zero"), "is a character device, not a file"),
    "show-a-pipe": (("show", "a-pipe"), "is a named pipe (FIFO), not a file"),
    "show-a-folder": (("show", "a-folder"), "is a folder, not a file"),
    "show-a-missing-file": (("show", "gone.yaml"), "No such file or directory"),
    "config-a-folder": (("--config", "a-folder", "validate"), "is a folder, not a file"),
    "config-an-endless-device": (("--config", "/dev/zero", "validate"), "a character device"),
    # folders generate must never replace, even when forced
    "generate-onto-the-root": (("generate", "--out", "/", "--force"), "the root of the file"),
    "generate-onto-the-home-folder": (("generate", "--out", "home", "--force"), "the home folder"),
    "generate-onto-the-working-folder": (("generate", "--out", ".", "--force"), "working folder"),
    "generate-onto-a-parent": (("generate", "--out", "..", "--force"), "holds the working"),
    "generate-onto-the-docs": (("generate", "--out", "docs", "--force"), "the docs folder"),
    "generate-onto-the-workshops": (
        ("generate", "--out", "workshops", "--force"),
        "the workshops folder",
    ),
    "generate-onto-a-folder-of-the-users": (
        ("generate", "--out", "a-folder-with-notes"),
        "holds files that prepbook did not write",
    ),
    "generate-onto-a-file": (("generate", "--out", "a-file.txt"), "is not a folder"),
    # values that would be read as options
    "diff-revision-as-git-option": (("diff", "--", f"--output={MARKER}"), "neither a folder"),
    "init-name-with-markup": (("init", "fresh", "--name", "<script>x</script>"), "< or >"),
    "init-name-on-two-lines": (("init", "fresh", "--name", "a\nhooks: [x.py]"), "one line"),
    "init-empty-name": (("init", "fresh", "--name", " "), "not empty"),
}


def _run(root: Path, *args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prepbook", *args],
        cwd=root,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env=dated({**ENV, "HOME": str(root / "home")}),
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    _playbook(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "home").mkdir()
    (root / "home" / "letter.txt").write_text("dear\n")
    (root / "a-folder-with-notes").mkdir()
    (root / "a-folder-with-notes" / "notes.md").write_text("mine\n")
    return root


def _assert_usage_error(done: subprocess.CompletedProcess[str], says: str, what: str) -> None:
    assert done.returncode == 2, (what, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1, (what, done.stderr)
    assert says in done.stderr, (what, done.stderr)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mistake_is_a_usage_error(tmp_path: Path, root: Path, case: str) -> None:
    args, says = CASES[case]
    before = {k: v for k, v in snapshot(tmp_path).items() if "sparse" not in k}
    done = _run(root, *args)
    _assert_usage_error(done, says, case)
    after = {k: v for k, v in snapshot(tmp_path).items() if "sparse" not in k}
    assert after == before, f"{case}: files changed"
    assert not list(tmp_path.rglob(MARKER))


@pytest.mark.parametrize(
    "command", [("validate",), ("diff", "workshops"), ("show", "workshops/good.yaml")]
)
def test_standard_output_on_a_full_disk(root: Path, command: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        done = _run(root, *command, stdout=full.fileno())
    _assert_usage_error(done, "No space left on device", " ".join(command))


def test_an_init_name_is_data(tmp_path: Path) -> None:
    """Placeholders and quotes in a name are kept as typed, in YAML and in Markdown."""
    name = 'Ops "__VERSION__" & __DATE+1__ \\ playbook'
    done = _run(tmp_path, "init", "book", "--name", name)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "book" / "mkdocs.yml"
    assert read_config(path, MkDocsConfig(config_file_path=str(path)))["site_name"] == name
    home = (tmp_path / "book" / "docs" / "index.md").read_text()
    assert home.startswith('# Ops "__VERSION__" &amp; __DATE+1__ \\ playbook\n')
