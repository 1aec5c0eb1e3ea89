"""The workshops folder under ``mkdocs serve``: a save asks for a build as it is made, each
entry seen as it is (a link as a link), and the build's own reading of the files asks for
nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prepbook.serve import watch_as_read

WAIT = 30.0  # seconds: a bound on a hang, not a speed target


class _Observer:
    timeout = 3600.0  # MkDocs' poll, made an hour long: only a change told at once is seen


class FakeServer:
    """The part of MkDocs' live-reload server the watcher meets: its build loop's condition
    and flag, its observer's interval, and ``serve``, which here waits to be stopped."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.observer = _Observer()
        self.serving = threading.Event()
        self.stop = threading.Event()

    def serve(self, **options: Any) -> None:
        self.serving.set()
        self.stop.wait(WAIT * 4)

    def watch(self, path: str) -> None:  # pragma: no cover - only without the build loop
        raise AssertionError("the folders are watched through the build loop")

    def wanted(self, timeout: float) -> bool:
        """Whether a build was asked for within ``timeout`` seconds; the flag is reset."""
        with self._rebuild_cond:
            asked = self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=timeout)
            self._want_rebuild = False
            return asked


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[FakeServer, Path]]:
    folder = tmp_path / "workshops"
    folder.mkdir()
    (folder / "one.yaml").write_text("id: one\n")
    server = FakeServer()
    watch_as_read(server, [folder])  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    assert server.serving.wait(WAIT)
    try:
        yield server, folder
    finally:
        server.stop.set()
        thread.join(WAIT)


def test_a_save_asks_for_a_build_as_it_is_made(watched: tuple[FakeServer, Path]) -> None:
    server, folder = watched
    for path in sorted(folder.iterdir()):  # what a build does: list and read the files
        path.read_bytes()
    assert not server.wanted(0.5)
    (folder / "one.yaml").write_text("id: one\ntitle: Saved\n")
    assert server.wanted(WAIT)
    (folder / "two.yaml").write_text("id: two\n")  # a new file
    assert server.wanted(WAIT)
    (folder / "loop.yaml").symlink_to("loop.yaml")  # a link that leads to itself
    assert server.wanted(WAIT)
    (folder / "loop.yaml").unlink()
    assert server.wanted(WAIT)
    (folder / "up").symlink_to("..")  # never followed round and round
    assert server.wanted(WAIT)
    (folder / "one.yaml").write_text("id: one\ntitle: Saved again\n")
    assert server.wanted(WAIT)
