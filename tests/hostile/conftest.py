"""The attack harness: write a hostile workshop, run ``prepbook validate`` and a full
``mkdocs build`` on it as separate processes, and keep what each cost.

Each run's wall time and peak memory are recorded; the session ends with a summary line
(the number of cases, the slowest and the hungriest) for the record, never asserted as a
speed target: resource attacks are bounded by a generous timeout and a memory ceiling.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest

from tests.conftest import dated

TIMEOUT = 120  # a hang, not a slowness: nothing legitimate comes near it
MEMORY_CEILING_MB = 1024
_RESULTS: list[dict[str, object]] = []

# Runs the command in this interpreter and reports its own peak memory when it exits:
# VmHWM, the high-water mark of this process's memory since exec (ru_maxrss would carry the
# test runner's peak across the fork).
_WRAPPER = (
    "import atexit, resource, runpy, sys\n"
    "def peak():\n"
    "    try:\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmHWM:'):\n"
    "                return int(line.split()[1])\n"
    "    except OSError:\n"
    "        pass\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "atexit.register(lambda: sys.stderr.write(f'\\nPEAK_KB={peak()}\\n'))\n"
    "module, sys.argv = sys.argv[1], sys.argv[1:]\n"
    "runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
)
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": "/tmp", "LANG": "C.UTF-8"}
MKDOCS_YML = (
    "site_name: Attacked\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
    "plugins:\n  - search\n  - prepbook\nvalidation:\n  omitted_files: info\n"
    "  anchors: warn\n  unrecognized_links: warn\n"
    # the extensions that would let a field's text turn into attributes or raw HTML
    "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - tables\n  - admonition\n"
)


class Special(Enum):
    """A hostile entry that is no regular file, made where a file would be written."""

    FIFO = "a named pipe"
    SOCKET = "a socket"

    def make(self, path: Path) -> None:
        if self is Special.FIFO:
            os.mkfifo(path)
            return
        with socket.socket(socket.AF_UNIX) as listening:  # the socket file stays behind
            listening.bind(str(path))


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float


def run_module(root: Path, case: str, module: str, *args: str) -> Run:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, module, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=dated(ENV),
        errors="replace",
    )
    seconds = time.perf_counter() - started
    err, found, tail = done.stderr.rpartition("PEAK_KB=")
    # a process killed by a signal has no exit handler to report its peak
    peak = int(tail.split()[0]) / 1024 if found and tail.strip() else 0.0
    _RESULTS.append(
        {"case": case, "command": module, "seconds": round(seconds, 2), "peak_mb": round(peak, 1)}
    )
    return Run(done.returncode, done.stdout, err or done.stderr, seconds, peak)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its bytes (links not followed)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class Attack:
    root: Path
    validate: Run
    build: Run
    site_before: dict[str, str]
    site_after: dict[str, str]
    outside_before: dict[str, str]
    outside_after: dict[str, str]


@pytest.fixture
def attack(tmp_path: Path) -> Callable[..., Attack]:
    """Build a good site first, then drop the hostile files in and run both commands."""

    def run(
        case: str,
        files: dict[str, bytes | str | Path | Special],
        *,
        build: bool = True,
        paths: tuple[str, ...] = (),
    ) -> Attack:
        """``files``: content by file name; a Path value makes the file a symbolic link,
        a Special one a named pipe or a socket. ``paths`` are named to ``prepbook
        validate``, as a hook names the files it checks."""
        root = tmp_path / "playbook"
        (root / "workshops").mkdir(parents=True)
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Home\n")
        (root / "mkdocs.yml").write_text(MKDOCS_YML)
        from tests.conftest import minimal

        (root / "workshops" / "good.yaml").write_text(minimal("good"))
        first = run_module(root, f"{case} (first build)", "mkdocs", "build")
        assert first.code == 0, first.err
        before = snapshot(root / "site")
        outside_before = {
            k: v for k, v in snapshot(tmp_path).items() if not k.startswith("playbook/site/")
        }
        for name, content in files.items():
            target = root / "workshops" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                target.symlink_to(content)
                continue
            if isinstance(content, Special):
                content.make(target)
                continue
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        outside_mid = {
            k: v for k, v in snapshot(tmp_path).items() if not k.startswith("playbook/site/")
        }
        checked = run_module(root, case, "prepbook", "validate", "--colour", "never", *paths)
        built = run_module(root, case, "mkdocs", "build") if build else checked
        outside_after = {
            k: v for k, v in snapshot(tmp_path).items() if not k.startswith("playbook/site/")
        }
        assert outside_after == outside_mid, "a command wrote outside the site folder"
        return Attack(
            root, checked, built, before, snapshot(root / "site"), outside_before, outside_after
        )

    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _RESULTS:
        return
    cases = {r["case"] for r in _RESULTS if "(first build)" not in str(r["case"])}
    attacks = [r for r in _RESULTS if "(first build)" not in str(r["case"])]
    slowest = max(attacks, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    hungriest = max(attacks, key=lambda r: float(r["peak_mb"]))  # type: ignore[arg-type]
    terminalreporter.write_line(
        f"hostile input: {len(cases)} cases, {len(attacks)} runs; slowest "
        f"{slowest['seconds']} s ({slowest['case']}, {slowest['command']}); highest peak "
        f"memory {hungriest['peak_mb']} MB ({hungriest['case']}, {hungriest['command']})"
    )
    report = os.environ.get("PREPBOOK_HOSTILE_REPORT")
    if report:
        Path(report).write_text(json.dumps(_RESULTS, indent=1))
