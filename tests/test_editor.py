"""An editor on a new playbook: the YAML language server (what VS Code's YAML extension
runs) completes keys and reports mistakes in a workshop file from the schema its first line
names, with nothing fetched (the schema store is off).

The server comes from the npm registry, locked in tests/editor/package-lock.json
(``cd tests/editor && npm ci``, as .ci/run does); the client that drives it over stdio is
tests/editor/lsp_client.js."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.scaffold import STARTER
from tests.conftest import REPO

EDITOR = REPO / "tests" / "editor"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (EDITOR / "node_modules" / "yaml-language-server").is_dir(),
    reason="needs node and the YAML language server: cd tests/editor && npm ci",
)


def edit(file: Path, lines: list[int]) -> dict[str, object]:
    """What the language server offers at each of ``lines`` and what it reports."""
    done = subprocess.run(
        [str(NODE), str(EDITOR / "lsp_client.js"), str(file), *map(str, lines)],
        cwd=EDITOR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editor") / "book"
    done = subprocess.run(
        [sys.executable, "-m", "prepbook", "init", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return root


def test_the_starter_has_no_problem_in_the_editor(playbook: Path) -> None:
    assert edit(playbook / STARTER, [])["diagnostics"] == []


def test_keys_complete_and_mistakes_show_as_you_type(playbook: Path) -> None:
    starter = (playbook / STARTER).read_text(encoding="utf-8")
    # a top-level line being typed after the decider, and a misspelt key below it
    typed = starter.replace("decider: dan-decider\n", "decider: dan-decider\n\nreadyness: 3\n")
    typed = typed.replace("summary: >-\n", "description: >-\n", 1)
    file = playbook / "workshops" / "typing.yaml"
    file.write_text(typed, encoding="utf-8")
    blank = typed.splitlines().index("decider: dan-decider") + 1
    seen = edit(file, [blank])
    offered = seen["completions"][str(blank)]
    # the keys the file does not have yet, read from the schema; none of those it has
    assert "summary" in offered and "barriers" in offered
    assert "title" not in offered and "readyness" not in offered
    problems = {(d["line"], d["message"]) for d in seen["diagnostics"]}
    assert (blank + 1, "Property readyness is not allowed.") in problems
    assert any(m == "Property description is not allowed." for _, m in problems)
