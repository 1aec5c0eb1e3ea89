"""The benchmark works end to end at a small size. It asserts that every figure is
measured and reported, never a time: speed is judged by running the benchmark itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from bench import measure
from bench.floor import floor_build, floor_site, site_weights
from bench.synthetic import write_playbook
from prepbook.build import check
from prepbook.config import Project, Settings
from tests.conftest import REPO


def test_synthetic_playbooks_are_deterministic_and_valid(tmp_path: Path) -> None:
    first = write_playbook(tmp_path / "a", 12)
    second = write_playbook(tmp_path / "b", 12)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    playbook = check(Project(Settings(), tmp_path / "a"))
    assert playbook.report.ok and playbook.report.findings == ()
    assert len(playbook.playbook.workshops) == 12
    data = yaml.safe_load(first[1].read_text())
    assert any(
        "/" in dep for step in data["roadmap"]["steps"] for dep in step.get("depends_on", [])
    )  # a cross-workshop reference


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--sizes", "3,6", "--at", "6"),
            *("--commits", "4", "--work", str(tmp_path)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    figures = [line.split(" | ")[0].lstrip("| ") for line in table[2:]]
    assert [f.split(",")[0] for f in figures] == [
        "validate / libyaml parse",
        "mkdocs build with plugin / plain build of the generated pages",
        "full build / MkDocs floor",
        "peak memory",
        "build",
        "build",
        "build time 6 / 3",
        "peak memory 6 / 3",
        "serve rebuild after one edit: plugin's time / cold build",
        "build with a Changes page over 4 commits / without",
    ]
    assert "re-parsed 1 of 6 files" in done.stdout


def test_the_floor_is_the_same_site_without_the_plugin(tmp_path: Path) -> None:
    root = floor_site(tmp_path / "floor", 3)
    ours = yaml.safe_load(measure.MKDOCS_YML)
    theirs = yaml.safe_load((root / "mkdocs.yml").read_text())
    assert theirs["plugins"] == ["search"]
    assert {k: v for k, v in theirs.items() if k != "plugins"} == {
        k: v for k, v in ours.items() if k != "plugins"
    }
    pages = sorted(p.stem for p in (root / "docs/playbook/workshops").glob("*.md"))
    assert pages == [p.stem for p in sorted(write_playbook(tmp_path / "synthetic", 3))]
    floor_build(root, 3)
    html, search = site_weights(root)
    assert (root / "site/playbook/workshops/retail-00000/index.html").is_file()
    assert html > 0 and search > 0
