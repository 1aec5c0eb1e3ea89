"""The MkDocs plugin in real builds: it validates first and never costs the last good site."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from tests.conftest import dated, minimal

MKDOCS_YML = """\
site_name: Test playbook
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - prepbook:
      workshops: workshops
"""


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated({"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}),
    )


def project(playbook, files: dict[str, str] | None = None, *, examples: bool = False) -> Path:
    root = playbook(files, examples=examples)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "index.md").write_text("# Home\n")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_builds_with_the_examples(playbook) -> None:
    root = project(playbook, examples=True)
    done = build(root, "--strict")
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "index.html").is_file()


def test_a_broken_workshop_stops_the_build_and_keeps_the_site(playbook) -> None:
    root = project(playbook, {"mini.yaml": minimal()})
    assert build(root).returncode == 0
    before = snapshot(root / "site")
    assert before
    text = minimal().replace("requires: [crm]", "requires: [crn]")
    line = text.splitlines().index("    requires: [crn]") + 1
    (root / "workshops" / "mini.yaml").write_text(text)
    (root / "content" / "index.md").write_text("# Home, edited\n")
    done = build(root)
    assert done.returncode == 1
    assert f"workshops/mini.yaml:{line}:16" in done.stderr
    assert "error[PB204]: no audited asset has the id 'crn'" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(root / "site") == before


def test_warnings_go_through_the_logger_and_fail_strict(playbook) -> None:
    root = project(playbook, {"mini.yaml": minimal().replace("decider: dan\n", "")})
    relaxed = build(root)
    assert relaxed.returncode == 0
    assert "WARNING" in relaxed.stderr and "PB302" in relaxed.stderr
    assert build(root, "--strict").returncode == 1
