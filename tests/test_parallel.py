"""The workshop pages rendered in worker processes: the same pages as in one process, a
worker's exception reported as the same work would report it here, a worker's death an
error and not a hang, no process left behind, and one process where none can be forked."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Sequence
from pathlib import Path

import pytest

from bench.synthetic import write_playbook
from prepbook.checks import run_checks
from prepbook.config import Settings
from prepbook.load.playbook import load_files
from prepbook.render import parallel
from prepbook.render.site import render_site
from tests.test_site import run

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
)


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def _fails_on_13(items: Sequence[int]) -> list[int]:
    if 13 in items:
        raise ValueError("item 13 is wrong")
    return list(items)


def _dies_on_13(items: Sequence[int]) -> list[int]:
    if 13 in items:
        os._exit(9)
    return list(items)


def test_the_parallel_render_makes_the_same_pages_as_one_process(tmp_path: Path) -> None:
    playbook = load_files(write_playbook(tmp_path, 24))
    report = run_checks(playbook, Settings())
    serial = render_site(playbook, report, workers=1).pages
    forked = render_site(playbook, report, workers=2).pages
    assert list(forked) == list(serial)  # the same pages, in the same order
    assert forked == serial
    assert sum(path.startswith("workshops/") for path in forked) == 24
    assert multiprocessing.active_children() == []


def test_the_work_runs_in_other_processes_its_results_in_order() -> None:
    done = parallel.in_order(_pids, list(range(40)), workers=2)
    items = [item for run in done for item, _ in run]
    assert items == list(range(40))
    assert os.getpid() not in {pid for run in done for _, pid in run}
    assert multiprocessing.active_children() == []


def test_a_workers_exception_reaches_the_caller_and_no_worker_is_left() -> None:
    with pytest.raises(ValueError, match="item 13 is wrong"):
        parallel.in_order(_fails_on_13, list(range(40)), workers=2)
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_an_error_and_not_a_hang() -> None:
    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the pool waited for a dead worker")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)  # generous: a hang, not a speed, is what fails here
    try:
        with pytest.raises(parallel.WorkerDied):
            parallel.in_order(_dies_on_13, list(range(40)), workers=2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert multiprocessing.active_children() == []


def test_without_fork_or_with_little_to_share_the_work_runs_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = os.getpid()
    assert parallel.in_order(_pids, [1, 2, 3], workers=2) == [[(1, here), (2, here), (3, here)]]
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert parallel.cores() == 1
    done = parallel.in_order(_pids, list(range(40)), workers=2)
    assert done == [[(item, here) for item in range(40)]]


def test_a_template_mistake_met_by_a_worker_stops_the_build_in_one_line(tmp_path: Path) -> None:
    """A mistake in a workshop page's template is met in the workers: the build stops with
    the same one-line message as a build in one process, names the template, shows no
    traceback, and leaves no site and no process behind."""
    write_playbook(tmp_path, 12)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Playbook\n")
    templates = tmp_path / "site_templates"
    templates.mkdir()
    (templates / "workshop.md.j2").write_text("# {{ w.title }}\n\n{{ w.no_such_field }}\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Playbook\nplugins:\n  - prepbook:\n      templates: site_templates\n"
    )
    done = run(tmp_path, "mkdocs", "build")
    assert done.returncode == 1, done.stderr
    assert "template workshop.md.j2" in done.stderr and "no_such_field" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()
