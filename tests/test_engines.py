"""Other engines: Zensical builds the pages ``prepbook generate`` writes, and ProperDocs
(the continuation of MkDocs 1.x) runs the plugin itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import dated
from tests.sitecheck import broken_links, read_page, read_site
from tests.test_site import ENV, copy_repo

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is installed by the test extra"
    return found


def test_zensical_builds_the_generated_pages(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    generate = subprocess.run(
        [sys.executable, "-m", "prepbook", "generate", "--out", "content/playbook"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert generate.returncode == 0, generate.stderr
    # Zensical runs no MkDocs plugin: a configuration without ours, over the written pages.
    (root / "mkdocs.yml").write_text(
        "site_name: Prepersonalization playbook\ndocs_dir: content\n"
        "nav:\n  - Home: index.md\n  - Playbook: playbook/index.md\n"
        "extra_css:\n  - playbook/assets/prepbook.css\n"
    )
    done = subprocess.run(
        [tool("zensical"), "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    workshop = read_page(site / "playbook/workshops/northwind-retail/index.html")
    assert "toilet seat" in workshop.text
    assert "persofail-toilet-seat-loop" in workshop.ids
    assert (
        "Post-purchase personalization"
        in (site / "playbook/workshops/northwind-retail/index.html").read_text()
    )
    pages = {n: p for n, p in read_site(site).items() if n.startswith("playbook/")}
    # the sections, the people, the changes, three workshops, and the split pages (the
    # person pages among them)
    assert "playbook/people/rajesh-iyer/index.html" in pages
    assert len(pages) == 9 + sum(1 for n in pages if n.count("/") > 2 and "/workshops/" not in n)
    assert "playbook/persofails/repetition/index.html" in pages
    assert broken_links(site, pages) == []
    # the pictures' rules come in the stylesheet written beside the pages, which pages load
    assert ".pb-svg .pb-high" in (site / "playbook/assets/prepbook.css").read_text()
    assert "assets/prepbook.css" in (site / "playbook/index.html").read_text()


def test_properdocs_runs_the_plugin(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    done = subprocess.run(
        [tool("properdocs"), "build", "--strict", "-f", "mkdocs.yml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )
    assert done.returncode == 0, done.stderr
    site = root / "site"
    page = read_page(site / "playbook/workshops/cadenza-streaming/index.html")
    assert "priority-cadenza-host" in page.ids
    assert broken_links(site, read_site(site)) == []
    # and a broken workshop stops a ProperDocs build just the same
    (root / "workshops" / "cadenza-streaming.yaml").write_text("id: cadenza-streaming\n")
    failed = subprocess.run(
        [tool("properdocs"), "build", "-f", "mkdocs.yml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )
    assert failed.returncode == 1
    assert "missing required key 'title'" in failed.stderr
