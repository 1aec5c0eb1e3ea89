"""The code base stays as its gates say: ruff-clean, ruff-formatted, and type-checked
(strictly, on the package, whose ``py.typed`` promises its types to every user)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True
    )


def test_ruff_check_is_clean() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean() -> None:
    done = _run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_type_checks_strictly() -> None:
    done = _run("mypy")  # settings, strict mode and the files checked: pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
