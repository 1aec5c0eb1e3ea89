"""The measurements, each a function that returns numbers and never asserts a target."""

from __future__ import annotations

import math
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import write_playbook

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1790000000"}
MKDOCS_YML = """\
site_name: Benchmark playbook
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - prepbook
nav:
  - Home: index.md
  - Playbook:
      - playbook/index.md
      - playbook/audit/index.md
      - playbook/persofails/index.md
      - playbook/roadmap/index.md
validation:
  omitted_files: info
"""
# Runs a module in a fresh interpreter and reports the process's own peak memory (VmHWM).
_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
    "    return 0\n"
    "atexit.register(lambda: sys.stderr.write(f'\\nPEAK_KB={peak()}\\n'))\n"
    "module, sys.argv = sys.argv[1], sys.argv[1:]\n"
    "runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
)


def playbook(folder: Path, n: int, *, faults: bool = False) -> Path:
    """A project folder with ``n`` synthetic workshops and a Material site around them;
    with ``faults``, a mistake in every workshop (see :func:`write_playbook`)."""
    if folder.exists():
        shutil.rmtree(folder)
    write_playbook(folder, n, faults=faults)
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Benchmark playbook\n")
    (folder / "mkdocs.yml").write_text(MKDOCS_YML)
    return folder


def keep_theme_index(root: Path) -> None:
    """Have the playbook's build write Material's own search index as well (which prepbook
    leaves empty, since its search box asks Pagefind), for the search figures to serve the
    theme's search over the same pages."""
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("  - prepbook\n", "  - prepbook:\n      theme_search_index: true\n")
    )


def run(root: Path, module: str, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall time and peak memory (MB) of ``python -m module args`` in ``root``; an exit
    code outside ``ok`` is a failure."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, module, *args],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    peak = done.stderr.rpartition("PEAK_KB=")[2].split()
    return seconds, (int(peak[0]) / 1024 if peak else 0.0)


def best_of(repeats: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


@dataclass(frozen=True)
class Validation:
    """``prepbook validate`` on one playbook against the floor of parsing its files."""

    seconds: float  # CPU seconds of ``prepbook validate`` as a process, best of the repeats
    floor: float  # a process that parses the same files with libyaml's loader, the same way
    findings: int  # what the validation reported, so a run on a clean playbook shows 0
    files_with_findings: int
    files: int
    peak_mb: float  # peak memory of ``prepbook validate`` run as a process of its own

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor


# The floor: a fresh interpreter that imports PyYAML and parses every workshop file with
# libyaml's loader, as a user would parse them with nothing else to do.
_FLOOR = (
    "import pathlib, yaml\n"
    "for path in sorted(pathlib.Path('workshops').glob('*.yaml')):\n"
    "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def process_cpu(root: Path, *command: str, ok: tuple[int, ...] = (0,)) -> float:
    """CPU seconds (user and system) of ``command`` run as a process of its own in
    ``root``: what the wall clock would show on a quiet machine, without the other
    processes that share its cores on a busy one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(list(command), cwd=root, env=ENV, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        stderr = done.stderr.decode("utf-8", "replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def validate_against_floor(roots: dict[str, Path], repeats: int = 3) -> dict[str, Validation]:
    """Each playbook of ``roots`` validated by ``prepbook validate``, and parsed by a
    process that runs libyaml alone, each as a whole process: interpreter start, imports,
    the collector and the report all count, as they do for the user who waits.

    Both are timed in the processes' CPU time: they run in one thread, and on a shared
    machine the wall clock also counts the other processes that share its cores. The
    rounds alternate between the playbooks so that a burst of load does not land on one.
    """
    from prepbook.build import check
    from prepbook.config import Project, Settings

    validate = (sys.executable, "-m", "prepbook", "validate", "--output", os.devnull)
    best = {name: (math.inf, math.inf) for name in roots}
    for _ in range(repeats):
        for name, root in roots.items():
            ours = process_cpu(root, *validate, ok=(0, 1))
            floor = process_cpu(root, sys.executable, "-c", _FLOOR)
            best[name] = (min(best[name][0], ours), min(best[name][1], floor))
    figures = {}
    for name, root in roots.items():
        report = check(Project(Settings(), root)).report
        _, peak = run(root, "prepbook", "validate", "--output", os.devnull, ok=(0, 1))
        ours, floor = best[name]
        figures[name] = Validation(
            seconds=ours,
            floor=floor,
            findings=len(report.findings),
            files_with_findings=len({f.file for f in report.findings}),
            files=len(report.files),
            peak_mb=peak,
        )
    return figures


def site_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())


def build(root: Path) -> tuple[float, float]:
    """A full ``mkdocs build`` with the plugin: seconds and peak MB."""
    return run(root, "mkdocs", "build", "--quiet")


def plain_build(root: Path, folder: Path) -> tuple[float, float]:
    """The same pages written by ``prepbook generate`` and built by MkDocs alone."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(root, folder, ignore=shutil.ignore_patterns("site"))
    run(folder, "prepbook", "generate", "--out", "docs/playbook")
    config = (folder / "mkdocs.yml").read_text().replace("  - prepbook\n", "")
    (folder / "mkdocs.yml").write_text(config)
    return run(folder, "mkdocs", "build", "--quiet")


def rebuild(root: Path) -> dict[str, float]:
    """The plugin's own work in a cold build and in a rebuild of ``mkdocs serve`` after one
    workshop is edited: what on_config does (validate with the cache, then render)."""
    from prepbook.build import build
    from prepbook.config import Project, Settings
    from prepbook.load.playbook import LoadCache
    from prepbook.render.site import Rendered

    cache, project = LoadCache(), Project(Settings(), root)
    memo: list[Rendered] = []

    def plugin_work() -> None:  # what PrepbookPlugin.on_config does
        built = build(project, root / "docs", cache=cache, previous=memo[0] if memo else None)
        assert built.rendered is not None
        memo[:] = [built.rendered]

    cold = best_of(1, plugin_work)
    cold_parsed = len(cache.changed)
    target = sorted((root / "workshops").glob("*.yaml"))[len(cache._entries) // 2]
    text = target.read_text()
    target.write_text(text.replace("status: held", "status: archived", 1))
    try:
        warm = best_of(1, plugin_work)
    finally:
        target.write_text(text)
    return {"cold": cold, "warm": warm, "cold_parsed": cold_parsed, "parsed": len(cache.changed)}


def history_cost(root: Path, folder: Path, commits: int = 200) -> tuple[float, float]:
    """Full builds of a playbook whose workshops have ``commits`` commits of history, each
    editing one workshop: with the Changes page reading all of them, and with it off."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(root, folder, ignore=shutil.ignore_patterns("site"))
    stamp = {"GIT_AUTHOR_DATE": "2026-01-01T12:00:00+00:00"}
    env = {
        **ENV,
        **stamp,
        "GIT_COMMITTER_DATE": stamp["GIT_AUTHOR_DATE"],
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "The playbook")
    files = sorted((folder / "workshops").glob("*.yaml"))
    for i in range(commits):
        target = files[i % len(files)]
        text = target.read_text()
        held = "status: held" in text
        swap = (
            ("status: held", "status: archived") if held else ("status: archived", "status: held")
        )
        target.write_text(text.replace(*swap, 1))
        git("commit", "-q", "-am", f"{'Archive' if held else 'Reopen'} {target.stem}")
    config = folder / "mkdocs.yml"
    plain = config.read_text()
    config.write_text(plain.replace("  - prepbook\n", f"  - prepbook:\n      history: {commits}\n"))
    with_history, _ = build(folder)
    config.write_text(plain.replace("  - prepbook\n", "  - prepbook:\n      history: 0\n"))
    without, _ = build(folder)
    return with_history, without
