"""Shared fixtures: a playbook folder in tmp_path, and the CLI run as a user runs it."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "workshops"
EXAMPLE_IDS = ("northwind-retail", "cadenza-streaming", "harbor-bank")

# The day every test runs on, whatever the calendar says. The build's date is an input like
# any file: the examples' review dates lie after it, so the suite gives the same result in
# any year. A test about dates sets its own (SOURCE_DATE_EPOCH) explicitly.
PINNED_DATE = dt.date(2027, 1, 1)
PINNED_EPOCH = str(calendar.timegm(PINNED_DATE.timetuple()))

# The smallest workshop that validates with no finding at all: every section filled, and
# every method rule satisfied.
MINIMAL = """\
id: {id}
title: Minimal workshop
organisation: Example Ltd
status: held
facilitator: fay
decider: dan
team:
  - id: fay
    name: Fay
    function: product
  - id: dan
    name: Dan
    function: engineering
  - id: dee
    name: Dee
    function: data
  - id: mo
    name: Mo
    function: marketing
  - id: sue
    name: Sue
    function: customer-support
audit:
  - id: crm
    title: CRM data
    kind: data
    readiness: ready
  - id: analysts
    title: Analysts
    kind: talent
    readiness: ready
  - id: cdp
    title: CDP
    kind: technology
    readiness: ready
  - id: brand
    title: Brand permission
    kind: market
    readiness: ready
metrics:
  - id: churn
    title: Churn
    category: retention
    direction: decrease
persofails:
  - id: creepy
    title: Creepy
    scenario: Too much is known.
    category: creepiness
    inherent: {{likelihood: 2, severity: 3}}
    threatens: [offers]
priorities:
  - id: offers
    title: Offers
    status: committed
    recipe:
      trigger: a renewal is due
      audience: loyal customers
      context: the renewal e-mail
      content: an offer they asked for
      measure: renewals kept
    requires: [crm]
    measured_by: [churn]
roadmap:
  phases:
    - id: now
      title: Now
  steps:
    - id: build
      title: Build it
      phase: now
      delivers: [offers]
"""


# What the quick check for a change leaves to CI (README, "Checking a change"): the tests
# that drive Chromium, and those that run prepbook as many separate processes (the red-team
# suite, the benchmarks, scale, the editor's language server).
SLOW_PLACES = (
    "tests/browser/",
    "tests/hostile/",
    "tests/test_bench.py",
    "tests/test_scale.py",
    "tests/test_editor.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests by place, so ``-m "not slow"`` is the quick check."""
    for item in items:
        place = Path(str(item.path)).resolve().relative_to(REPO).as_posix()
        if place.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
        if place.startswith(SLOW_PLACES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def pinned_date() -> Iterator[str]:
    """Every test runs on PINNED_DATE, whatever SOURCE_DATE_EPOCH was outside: in process,
    in module-scoped fixtures, and in the subprocesses started with the inherited
    environment; a test that builds its own environment for a subprocess passes the date on
    with ``dated``. A test that sets its own date (monkeypatch.setenv) gets this one back
    when it ends."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
        yield PINNED_EPOCH


@pytest.fixture(autouse=True, scope="session")
def no_colour_preference() -> Iterator[None]:
    """The suite runs as if no colour was asked for outside it: FORCE_COLOR (or NO_COLOR)
    in a developer's shell would colour, or not, what the tests read from a pipe. A test of
    colour sets the variables it means."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("FORCE_COLOR", raising=False)
        patch.delenv("NO_COLOR", raising=False)
        yield


def dated(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a subprocess, on the date the test runs at (the pinned one unless the
    test set its own)."""
    return {**env, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", PINNED_EPOCH)}


@dataclass
class Result:
    code: int
    out: str
    err: str


# The configuration of a playbook that keeps every default: the command line finds a
# playbook by its mkdocs.yml, and never takes a folder without one for a playbook.
PLAYBOOK_YML = "site_name: Test playbook\nplugins:\n  - prepbook\n"


@pytest.fixture
def playbook(tmp_path: Path) -> Callable[..., Path]:
    """Write workshop files into tmp_path/workshops, and a mkdocs.yml with the default
    settings unless the test wrote its own; returns the project folder."""

    def write(files: dict[str, str | bytes] | None = None, *, examples: bool = False) -> Path:
        folder = tmp_path / "workshops"
        folder.mkdir(exist_ok=True)
        config = tmp_path / "mkdocs.yml"
        if not config.exists():
            config.write_text(PLAYBOOK_YML, encoding="utf-8")
        if examples:
            for name in EXAMPLE_IDS:
                shutil.copy(EXAMPLES / f"{name}.yaml", folder)
        for name, content in (files or {}).items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content), encoding="utf-8", newline="\n")
        return tmp_path

    return write


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the installed ``prepbook`` command in a folder, as a user would."""

    def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "prepbook", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            env=None if env is None else dated(env),
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


def minimal(workshop_id: str = "mini") -> str:
    return MINIMAL.format(id=workshop_id)
