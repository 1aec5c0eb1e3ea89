"""The published site is all or nothing: whatever fails and whenever ``mkdocs build`` is
killed, ``site/`` holds the previous build or the new one, byte for byte.

Deterministic kill and failure points come from a MkDocs hook the test writes into the
project: it reads the file ``act`` beside it (``kill <point>``, ``fail <point>``,
``interrupt <point>``) and sends itself SIGKILL, raises, or raises KeyboardInterrupt there.
Timed kills stop a build of 50 workshops at moments spread over its run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import dated, minimal
from tests.hostile.conftest import ENV, MKDOCS_YML, TIMEOUT, run_module, snapshot

HOOK = '''\
"""Kills, fails or interrupts the build at the point the file ``act`` names."""
import os
import signal
import time
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

HERE = Path(__file__).parent
pages = 0


def act(point):
    with open(HERE / "stamps", "a") as stamps:  # when each point is reached
        stamps.write(f"{point} {time.time()}\\n")
    wanted = (HERE / "act").read_text().strip() if (HERE / "act").exists() else ""
    if wanted == f"kill {point}":
        os.kill(os.getpid(), signal.SIGKILL)
    if wanted == f"fail {point}":
        raise RuntimeError(f"the hook fails at {point}")
    if wanted == f"interrupt {point}":
        raise KeyboardInterrupt


def on_config(config):
    act("config")


def on_files(files, config):
    act("files")


def on_post_page(output, page, config):  # as MkDocs writes the pages
    global pages
    pages += 1
    if pages == 3:
        act("page")


def before_swap(config):
    (HERE / "seen").write_text(config.site_dir)
    act("post-build")


@event_priority(float("-inf"))  # after prepbook's swap
def after_swap(config):
    act("after-swap")


on_post_build = CombinedEvent(before_swap, after_swap)
'''
YML = MKDOCS_YML + "hooks:\n  - hook.py\n"


def project(root: Path, names: list[str], *, yml: str = YML) -> Path:
    (root / "workshops").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(yml)
    (root / "hook.py").write_text(HOOK)
    for name in names:
        (root / "workshops" / f"{name}.yaml").write_text(minimal(name))
    return root


def change(root: Path) -> None:
    """What the new build has that the old one lacks: a page edited, a workshop added."""
    (root / "docs" / "index.md").write_text("# Home, edited\n")
    (root / "workshops" / "added.yaml").write_text(minimal("added"))


def leftovers(site: Path) -> list[str]:
    """The hidden folders a build put beside ``site``."""
    return sorted(p.name for p in site.parent.glob(f".{site.name}.*"))


def build(root: Path, case: str, *args: str, act: str = ""):
    (root / "act").write_text(act)
    return run_module(root, f"site swap: {case}", "mkdocs", "build", *args)


class Versions:
    """A project whose old site is kept aside, with the snapshot of the new build."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.root = project(root, names)
        self.site = root / "site"
        first = build(root, "old build")
        assert first.code == 0, first.err
        self.old = snapshot(self.site)
        self.kept = root.parent / f"{root.name}-old-site"
        shutil.copytree(self.site, self.kept, symlinks=True)
        change(root)
        second = build(root, "new build")
        assert second.code == 0, second.err
        self.seconds = second.seconds
        self.new = snapshot(self.site)
        assert self.new != self.old
        self.restore()

    def restore(self) -> None:
        """Put the old site back and clear what killed builds left."""
        for name in [self.site.name, *leftovers(self.site)]:
            shutil.rmtree(self.site.parent / name, ignore_errors=True)
        shutil.copytree(self.kept, self.site, symlinks=True)
        assert snapshot(self.site) == self.old


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    return Versions(tmp_path_factory.mktemp("swap") / "playbook", ["first", "second"])


class TestKilledBuilds:
    """SIGKILL at each stage of a build: the old site stays until the swap, the new one is
    whole after it."""

    @pytest.mark.parametrize(
        ("point", "flags"),
        [
            ("files", ()),  # after MkDocs' clean
            ("page", ()),  # among the pages written
            ("post-build", ()),  # everything written, before the swap
            ("page", ("--dirty",)),  # a dirty build, from a copy of the site
            ("post-build", ("--dirty",)),
        ],
    )
    def test_a_build_killed_before_the_swap_leaves_the_old_site(
        self, versions: Versions, point: str, flags: tuple[str, ...]
    ) -> None:
        versions.restore()
        killed = build(versions.root, f"kill at {point}", *flags, act=f"kill {point}")
        assert killed.code == -signal.SIGKILL, killed.err
        assert snapshot(versions.site) == versions.old

    def test_a_build_killed_after_the_swap_leaves_the_new_site(self, versions: Versions) -> None:
        versions.restore()
        killed = build(versions.root, "kill after the swap", act="kill after-swap")
        assert killed.code == -signal.SIGKILL, killed.err
        assert snapshot(versions.site) == versions.new
        # it was written beside the site, and nothing of that is left
        seen = Path((versions.root / "seen").read_text())
        assert seen.parent == versions.root.resolve() and seen.name.startswith(".site.building-")
        assert leftovers(versions.site) == []

    def test_the_next_build_removes_what_killed_builds_left(self, versions: Versions) -> None:
        versions.restore()
        killed = build(versions.root, "kill among the pages", act="kill page")
        assert killed.code == -signal.SIGKILL
        assert leftovers(versions.site) != []
        # a concurrent build's staging folder: its process (this one) is alive
        live = versions.site.parent / f".site.building-{os.getpid()}"
        live.mkdir()
        (live / "index.html").write_text("being built")
        done = build(versions.root, "after a kill")
        assert done.code == 0, done.err
        assert snapshot(versions.site) == versions.new
        assert leftovers(versions.site) == [live.name]
        assert (live / "index.html").read_text() == "being built"
        shutil.rmtree(live)

    def test_a_site_left_missing_between_two_renames_comes_back(self, versions: Versions) -> None:
        """Where the folders cannot be exchanged in one step, a kill between the two renames
        leaves no ``site/``: the next build puts the old site back before anything else."""
        versions.restore()
        gone = dead_pid()
        versions.site.rename(versions.site.parent / f".site.old-{gone}")
        (versions.site.parent / f".site.building-{gone}").mkdir()
        conflict = versions.root / "docs" / "playbook" / "index.md"
        conflict.parent.mkdir()
        conflict.write_text("# Mine\n")
        try:
            failed = build(versions.root, "after a kill between renames")
        finally:
            shutil.rmtree(conflict.parent)
        assert failed.code == 1
        assert snapshot(versions.site) == versions.old
        assert leftovers(versions.site) == []

    def test_hidden_entries_a_killed_swap_had_moved_go_back(self, versions: Versions) -> None:
        """MkDocs' clean keeps hidden entries of site/ (a ``.git`` of the deployed pages);
        the swap moves them into the new site just before, and a kill in that instant
        leaves them in the staging folder, from which the next build moves them back."""
        versions.restore()
        stranded = versions.site.parent / f".site.building-{dead_pid()}" / ".git"
        stranded.mkdir(parents=True)
        (stranded / "HEAD").write_text("ref: refs/heads/gh-pages\n")
        done = build(versions.root, "after a kill in the swap")
        assert done.code == 0, done.err
        assert (versions.site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
        assert leftovers(versions.site) == []


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    return child.pid


def start(root: Path) -> tuple[subprocess.Popen[bytes], float]:
    (root / "act").write_text("")
    (root / "stamps").unlink(missing_ok=True)
    started = time.time()
    command = [sys.executable, "-m", "mkdocs", "build"]
    child = subprocess.Popen(
        command, cwd=root, env=dated(ENV), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return child, started


def test_timed_kills_of_a_build_of_50_workshops(tmp_path: Path) -> None:
    """SIGKILL at moments spread over the build, found from a build that runs to its end:
    while prepbook renders, right after MkDocs' clean, among the pages, as the swap
    begins, during it. Each time, site/ is one whole build or the other."""
    versions = Versions(tmp_path / "playbook", [f"w{i:02}" for i in range(50)])
    child, started = start(versions.root)
    assert child.wait(timeout=TIMEOUT) == 0
    ended = time.time() - started
    stamps = (line.split() for line in (versions.root / "stamps").read_text().splitlines())
    at = {point: float(when) - started for point, when in stamps}
    delays = [
        at["config"] / 2,
        at["files"] + 0.02,
        (at["files"] + at["post-build"]) / 2,
        at["post-build"],
        (at["post-build"] + ended) / 2,
    ]
    seen = []
    for delay in delays:
        versions.restore()
        child, started = start(versions.root)
        time.sleep(max(0.0, delay - (time.time() - started)))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=TIMEOUT)
        site = snapshot(versions.site)
        assert site in (versions.old, versions.new), f"killed {delay:.2f} s into the build"
        seen.append(f"{delay:.2f} s: {'new' if site == versions.new else 'old'}")
    print(f"timed kills of a {ended:.2f} s build left: {', '.join(seen)}")


class TestFailedBuilds:
    """Failures after MkDocs has cleaned the site folder: the old site, unchanged, and no
    staging folder left behind."""

    def test_a_page_of_docs_where_prepbook_generates_one(self, versions: Versions) -> None:
        versions.restore()
        mine = versions.root / "docs" / "playbook" / "index.md"
        mine.parent.mkdir()
        mine.write_text("# Mine\n")
        try:
            done = build(versions.root, "docs page at a generated path")
        finally:
            shutil.rmtree(mine.parent)
        assert done.code == 1
        assert "playbook/index.md exists in docs_dir, but prepbook generates" in done.err
        assert "Traceback" not in done.err
        assert snapshot(versions.site) == versions.old
        assert leftovers(versions.site) == []

    @pytest.mark.parametrize("flags", [(), ("--dirty",)], ids=["clean", "dirty"])
    def test_a_hook_failing_in_post_build(self, versions: Versions, flags: tuple[str, ...]) -> None:
        versions.restore()
        done = build(versions.root, "failing post-build", *flags, act="fail post-build")
        assert done.code != 0
        assert "the hook fails at post-build" in done.err
        assert snapshot(versions.site) == versions.old
        assert leftovers(versions.site) == []

    def test_a_build_interrupted_by_ctrl_c(self, versions: Versions) -> None:
        versions.restore()
        done = build(versions.root, "interrupted", act="interrupt files")
        assert done.code != 0
        assert snapshot(versions.site) == versions.old
        assert leftovers(versions.site) == []

    def test_strict_mode_aborting_on_a_warning(self, versions: Versions) -> None:
        versions.restore()
        added = versions.root / "workshops" / "added.yaml"
        added.write_text(minimal("added").replace("decider: dan\n", ""))
        try:
            done = build(versions.root, "strict with a warning", "--strict")
        finally:
            added.write_text(minimal("added"))
        assert done.code == 1
        assert "PB302" in done.err and "in strict mode" in done.out + done.err
        assert snapshot(versions.site) == versions.old
        assert leftovers(versions.site) == []
