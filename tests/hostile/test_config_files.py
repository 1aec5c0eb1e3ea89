"""mkdocs.yml as an attacker writes it, read by the commands that run on a reviewer's machine.

``prepbook validate``, ``diff`` and ``show`` (so ``git diff`` with the diff driver, and the
pre-commit hook) treat mkdocs.yml as data: a tag that would call a function under MkDocs'
own loader calls nothing, and a file that cannot be used is a usage error (exit 2) that says
why, in one line. Each case names what it attacks; each asserts the exit code, the words of
the error, that no marker file appeared, and that nothing was written.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import dated, minimal
from tests.hostile.conftest import ENV, snapshot

HEAD = "site_name: Attacked\ndocs_dir: docs\n"
PLUGINS = "plugins:\n  - search\n  - prepbook\n"
MARKER = "MARKER"


def run_code(tag_argument: str = f"touch {MARKER}") -> str:
    """A YAML value that, under PyYAML's full loader, runs a shell command."""
    return f'!!python/object/apply:os.system ["{tag_argument}"]'


# name: (mkdocs.yml, exit code of every command, words of the error or "" when it passes)
CASES: dict[str, tuple[str, int, str]] = {
    # code that MkDocs' own loader would run: nothing runs, wherever it stands
    "apply-tag-at-top-level": (HEAD + f"extra_x: {run_code()}\n" + PLUGINS, 0, ""),
    "apply-tag-in-extra": (HEAD + f"extra:\n  x: {run_code()}\n" + PLUGINS, 0, ""),
    "apply-tag-in-markdown-extensions": (
        HEAD + PLUGINS + f"markdown_extensions:\n  - toc:\n      slugify: {run_code()}\n",
        0,
        "",
    ),
    "name-tag-as-material-writes-it": (
        HEAD
        + PLUGINS
        + "markdown_extensions:\n  - pymdownx.emoji:\n"
        + "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        0,
        "",
    ),
    "apply-tag-as-a-prepbook-option": (
        HEAD + f"plugins:\n  - prepbook:\n      workshops: {run_code()}\n",
        2,
        "the YAML tag !!python/object/apply:os.system is not allowed in a prepbook option",
    ),
    "apply-tag-inside-a-prepbook-mapping": (
        HEAD + f"plugins:\n  - prepbook:\n      rules:\n        PB321: {run_code()}\n",
        2,
        "is not allowed in a prepbook option",
    ),
    "apply-tag-as-docs-dir": (HEAD.replace("docs_dir: docs", f"docs_dir: {run_code()}"), 2, ""),
    "apply-tag-as-plugins": (HEAD + f"plugins: {run_code()}\n", 0, ""),
    "new-tag": (HEAD + "extra_x: !!python/object/new:os.system [touch MARKER]\n" + PLUGINS, 0, ""),
    "module-tag": (HEAD + "extra_x: !!python/module:os\n" + PLUGINS, 0, ""),
    "custom-tag": (HEAD + "extra_x: !include /etc/passwd\n" + PLUGINS, 0, ""),
    "apply-tag-as-env-default": (
        HEAD + f"extra_x: !ENV [PREPBOOK_UNSET_VARIABLE, {run_code()}]\n" + PLUGINS,
        0,
        "",
    ),
    "apply-tag-as-a-key": (HEAD + f"? {run_code()}\n: 1\n" + PLUGINS, 0, ""),
    # INHERIT
    "inherit-loop-of-one": (HEAD + "INHERIT: mkdocs.yml\n" + PLUGINS, 2, "INHERIT makes a loop"),
    "inherit-missing": (HEAD + "INHERIT: nowhere.yml\n" + PLUGINS, 2, "does not exist"),
    "inherit-not-text": (HEAD + "INHERIT: [a, b]\n" + PLUGINS, 2, "INHERIT takes the path of a"),
    "inherit-a-device": (HEAD + "INHERIT: /dev/zero\n" + PLUGINS, 2, "a character device"),
    "inherit-a-folder": (HEAD + "INHERIT: docs\n" + PLUGINS, 2, "a folder, not a file"),
    # the file's shape
    "alias-bomb": (
        HEAD
        + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
            for i in range(8)
        )
        + PLUGINS,
        2,
        "aliases expand to more than 200,000 values",
    ),
    "alias-that-holds-itself": (HEAD + "loop: &loop [*loop]\n" + PLUGINS, 2, "contains itself"),
    "nesting-10000-levels": (HEAD + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, ""),
    "impossible-date": (HEAD + "extra_date: 2026-13-01\n" + PLUGINS, 2, "not valid YAML"),
    "not-utf8": (HEAD + "extra_x: caf\xe9\n" + PLUGINS, 2, "is not valid UTF-8"),
    "top-level-list": ("- site_name: Attacked\n", 2, "expected a mapping of options"),
    "top-level-number": ("42\n", 2, "expected a mapping of options"),
    "syntax-error": (HEAD + "plugins: [search\n", 2, "not valid YAML"),
    "two-megabytes": (HEAD + "# " + "x" * 2_000_000 + "\n" + PLUGINS, 2, "over the cap"),
    # links on every page
    "repo-url-javascript": (HEAD + "repo_url: javascript:alert(1)\n" + PLUGINS, 2, "repo_url"),
    "repo-url-javascript-with-host": (
        HEAD + "repo_url: javascript://x/%0aalert(1)\n" + PLUGINS,
        2,
        "repo_url",
    ),
    "repo-url-upper-case-scheme": (HEAD + "repo_url: JaVaScRiPt:alert(1)\n" + PLUGINS, 2, ""),
    "repo-url-entity-encoded-scheme": (
        HEAD + "repo_url: 'javascript&colon;alert(1)'\n" + PLUGINS,
        2,
        "repo_url",
    ),
    "repo-url-tab-in-scheme": (HEAD + 'repo_url: "java\\tscript:alert(1)"\n' + PLUGINS, 2, ""),
    "repo-url-attribute-breakout": (
        HEAD + "repo_url: 'https://example.org/\" onmouseover=\"alert(1)'\n" + PLUGINS,
        2,
        "without spaces, quotes or angle brackets",
    ),
    "site-url-data": (HEAD + "site_url: data:text/html,hi\n" + PLUGINS, 2, "site_url"),
    "edit-uri-vbscript": (HEAD + "edit_uri: vbscript:msgbox(1)\n" + PLUGINS, 2, "edit_uri"),
    "edit-uri-file": (HEAD + "edit_uri: file:///etc/passwd\n" + PLUGINS, 2, "edit_uri"),
    # the plugin's options
    "true-for-a-number": (HEAD + "plugins:\n  - prepbook:\n      history: true\n", 2, "history"),
    "float-for-a-number": (
        HEAD + "plugins:\n  - prepbook:\n      page_rows: 150.0\n",
        2,
        "a whole number",
    ),
    "file-cap-with-thirty-digits": (
        HEAD + "plugins:\n  - prepbook:\n      max_file_bytes: 1" + "0" * 30 + "\n",
        2,
        "from 1 to 67,108,864",
    ),
    "negative-slip": (HEAD + "plugins:\n  - prepbook:\n      slip_days: -1\n", 2, "slip_days"),
    "output-outside-docs": (
        HEAD + "plugins:\n  - prepbook:\n      output: ../../outside\n",
        2,
        "a folder inside docs_dir",
    ),
    "output-absolute": (HEAD + "plugins:\n  - prepbook:\n      output: /tmp/x\n", 2, "output"),
    "history-since-as-git-option": (
        HEAD + "plugins:\n  - prepbook:\n      history_since: --output=MARKER\n",
        2,
        "not starting with '-'",
    ),
    "history-since-with-a-space": (
        HEAD + "plugins:\n  - prepbook:\n      history_since: 'v1 --all'\n",
        2,
        "history_since",
    ),
    "options-not-a-mapping": (HEAD + "plugins:\n  - prepbook: [workshops]\n", 2, "a mapping"),
    "unknown-option": (HEAD + "plugins:\n  - prepbook:\n      workshop: x\n", 2, "workshop"),
}

COMMANDS = {
    "validate": ("validate",),
    "diff": ("diff", "baseline-workshops"),
    "show": ("show", "workshops/good.yaml"),
}


def _project(root: Path, config: str) -> None:
    (root / "workshops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "workshops" / "good.yaml").write_text(minimal("good"))
    (root / "baseline-workshops").mkdir()
    (root / "baseline-workshops" / "good.yaml").write_text(minimal("good"))
    (root / "mkdocs.yml").write_bytes(config.encode("latin-1" if "\xe9" in config else "utf-8"))


def _prepbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prepbook", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=dated(ENV),
        errors="replace",
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_mkdocs_yml(tmp_path: Path, case: str) -> None:
    config, code, says = CASES[case]
    root = tmp_path / "playbook"
    _project(root, config)
    before = snapshot(tmp_path)
    for name, args in COMMANDS.items():
        done = _prepbook(root, *args)
        assert done.returncode == code, (case, name, done.stdout[-1500:], done.stderr[-1500:])
        assert "Traceback" not in done.stdout + done.stderr, (case, name)
        if code == 2:
            assert len(done.stderr.splitlines()) == 1, (case, name, done.stderr)
            assert done.stderr.startswith(f"prepbook {name}: "), done.stderr
            assert says in done.stderr, (case, name, done.stderr)
        assert not list(tmp_path.rglob(MARKER)), f"{case}: a tag ran under prepbook {name}"
    assert snapshot(tmp_path) == before, f"{case}: a command wrote a file"


def test_a_named_pipe_for_mkdocs_yml_is_refused_without_waiting(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    _project(root, HEAD)
    (root / "mkdocs.yml").unlink()
    os.mkfifo(root / "mkdocs.yml")
    for name, args in COMMANDS.items():
        done = _prepbook(root, "--config", "mkdocs.yml", *args)
        assert done.returncode == 2, (name, done.stderr)
        assert "mkdocs.yml: cannot read: it is a named pipe (FIFO), not a file" in done.stderr


def test_a_socket_for_mkdocs_yml_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    _project(root, HEAD)
    (root / "mkdocs.yml").unlink()
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(root / "mkdocs.yml"))
        done = _prepbook(root, "--config", "mkdocs.yml", "validate")
    assert done.returncode == 2 and "it is a socket, not a file" in done.stderr


def test_an_inherit_loop_of_two_files_is_named(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    _project(root, HEAD + "INHERIT: base.yml\n")
    (root / "base.yml").write_text("INHERIT: mkdocs.yml\n")
    done = _prepbook(root, "validate")
    assert done.returncode == 2
    assert "INHERIT makes a loop: mkdocs.yml → base.yml → mkdocs.yml" in done.stderr


def test_a_tag_in_an_inherited_file_runs_nothing(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    _project(root, HEAD + "INHERIT: base.yml\n" + PLUGINS)
    (root / "base.yml").write_text(f"extra:\n  x: {run_code()}\n")
    for args in COMMANDS.values():
        assert _prepbook(root, *args).returncode == 0
    assert not list(tmp_path.rglob(MARKER))


def test_the_build_refuses_a_javascript_link_on_every_page(tmp_path: Path) -> None:
    """The build and the command line agree: what validate refuses, the build refuses."""
    root = tmp_path / "playbook"
    _project(
        root,
        HEAD + "theme:\n  name: material\n" + PLUGINS + "repo_url: javascript://x/%0aalert(1)\n",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=dated({**ENV, "NO_MKDOCS_2_WARNING": "1"}),
    )
    assert done.returncode == 1 and "option 'repo_url'" in done.stderr
    assert not (root / "site").exists()
