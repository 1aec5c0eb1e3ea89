"""The benchmark works end to end at a small size. It asserts that every figure is
measured and reported, never a time: speed is judged by running the benchmark itself."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench import latency, many_findings, measure
from bench.floor import floor_build, floor_site, site_weights
from bench.site import CHROMIUM
from bench.synthetic import FAULTS, write_playbook
from prepbook.build import check
from prepbook.cap import MAX_FINDINGS_PER_FILE
from prepbook.config import Project, Settings
from prepbook.load.source import DEFAULT_MAX_BYTES
from tests.browser.harness import unavailable
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


def test_a_playbook_with_faults_has_a_finding_in_every_file(tmp_path: Path) -> None:
    n = 2 * len(FAULTS)
    first = write_playbook(tmp_path / "a", n, faults=True)
    second = write_playbook(tmp_path / "b", n, faults=True)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    clean = write_playbook(tmp_path / "clean", n)
    assert all(f.read_bytes() != c.read_bytes() for f, c in zip(first, clean, strict=True))
    report = check(Project(Settings(), tmp_path / "a")).report
    files = {f.file for f in report.findings}
    assert len(files) == n == len(report.files)
    rules = {f.rule for f in report.findings}
    # the file's own schema errors, and findings of the cross-file checks
    assert {"PB101", "PB103"} <= rules
    assert {"PB204", "PB206", "PB207", "PB302", "PB310", "PB360"} <= rules
    assert all(f.span is not None for f in report.findings)


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--sizes", "3,6", "--at", "6"),
            *("--commits", "4", "--findings", "10,30", "--work", str(tmp_path)),
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
        "validate / libyaml parse",
        "validate one file of 10 findings",
        "validate one file of 30 findings",
        "validate time",
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
    assert figures[1].endswith("a finding in every file")
    assert "0 findings in 0 of 6 files" in table[2]
    assert " in 6 of 6 files" in table[3]


def test_a_file_of_findings_has_exactly_as_many_and_lists_the_first(tmp_path: Path) -> None:
    """The benchmark's largest file is under the size cap, so it measures validation and
    not the refusal of a file too large; every finding is counted, the first listed."""
    root = many_findings.playbook_of_findings(tmp_path / "many", max(many_findings.FINDINGS))
    (path,) = (root / "workshops").glob("*.yaml")
    assert path.stat().st_size < DEFAULT_MAX_BYTES
    figure = many_findings.validate_findings(root, repeats=1)
    assert (figure.findings, figure.listed) == (70_000, MAX_FINDINGS_PER_FILE + 1)
    small = many_findings.validate_findings(
        many_findings.playbook_of_findings(tmp_path / "few", 12), repeats=1
    )
    assert (small.findings, small.listed) == (12, 12)
    assert [low for low, _, _ in many_findings.growth({12: small, 70_000: figure})] == [12]


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


def test_an_edit_changes_the_workshop_title_alone(tmp_path: Path) -> None:
    source = write_playbook(tmp_path, 1)[0]
    data = yaml.safe_load(source.read_text())
    edited = yaml.safe_load(latency.retitled(source.read_text(), 'A "quoted": title #1'))
    assert edited == {**data, "title": 'A "quoted": title #1'}


def _browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")


def _gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_server_is_stopped_whole_even_when_a_round_fails(tmp_path: Path) -> None:
    root = measure.playbook(tmp_path / "n3", 3)
    with pytest.raises(RuntimeError, match="a failed round"), latency.serving(root) as server:
        assert "Benchmark playbook" in latency.fetch(server.url)
        pid = server.process.pid
        raise RuntimeError("a failed round")
    assert server.process.poll() is not None and _gone(pid)


def test_live_preview_rounds_run_in_a_browser(tmp_path: Path) -> None:
    _browser()
    root = measure.playbook(tmp_path / "n3", 3)
    source = latency.edited_workshop(root)
    before = source.read_bytes()
    # in a thread of its own: Playwright's synchronous API refuses to run where another
    # test's browser left an asyncio loop running
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        figures = pool.submit(latency.preview, root, rounds=2, section_rounds=1).result()
    assert [(f.workshops, f.page, len(f.rounds)) for f in figures] == [
        (3, f"playbook/workshops/{source.stem}/", 2),
        (3, "playbook/", 1),
    ]
    assert source.read_bytes() == before


def test_search_is_timed_three_ways_over_one_build(tmp_path: Path) -> None:
    """Each variant answers the organisation's name with its workshop's page first: the
    theme's box put back over the same pages, the cut index served in the theme's place."""
    _browser()
    from bench import search
    from bench.site import synthetic_organisation

    root = measure.playbook(tmp_path / "n12", 12)
    measure.keep_theme_index(root)
    measure.build(root)
    site = root / "site"
    smaller = json.loads(search.smaller_index(site))
    theirs = json.loads((site / "search/search_index.json").read_bytes())
    workshops = [d for d in smaller["docs"] if d["location"].startswith(search.WORKSHOPS)]
    assert len(workshops) == 12  # one entry a workshop page
    assert len(smaller["docs"]) < len(theirs["docs"])
    # in a thread of its own, as above: another test's browser may have left a loop running
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        figures, cost = pool.submit(search.search_figures, site, synthetic_organisation(6)).result()
    assert [f.variant for f in figures] == list(search.VARIANTS)
    for f in figures:
        assert f.first_href.startswith("/playbook/"), f
        assert f.from_typing > 0 and f.bytes_before > 0 and f.index_bytes > 0
    theme, pagefind, _ = figures  # the cut index may rank a person's page first
    for f in (theme, pagefind):
        assert f.first_href == "/playbook/workshops/grocery-00006/", f
    assert theme.index_bytes == (site / "search/search_index.json").stat().st_size
    # the theme's box downloads its whole index before the first answer; Pagefind's does not
    assert theme.bytes_before > theme.index_bytes
    assert any(name.startswith("pagefind") for name in os.listdir(site)), pagefind
    assert cost.seconds > 0 and cost.peak_mb > 0
