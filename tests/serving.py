"""A real ``mkdocs serve`` on a free local port, for the tests that talk to it over HTTP.

Only the loopback address is used: these tests need no network.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCAL_HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    """The status and the body; status 0 when nothing answers (the server is still
    starting), so a caller can poll."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_until(url: str, wanted: str, timeout: float) -> tuple[int, str]:
    """The answer once its body holds ``wanted``, or the last answer at the deadline."""
    deadline = time.monotonic() + timeout
    answer = fetch(url)
    while wanted not in answer[1] and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = fetch(url)
    return answer


@dataclass
class Server:
    """A running ``mkdocs serve``; its log once it has stopped."""

    process: subprocess.Popen[bytes]
    log: str = ""


@contextmanager
def mkdocs_serve(root: Path, port: int, env: dict[str, str]) -> Iterator[Server]:
    """``mkdocs serve`` in ``root`` for the block, stopped at its end (unless it stopped by
    itself, on a bad configuration), with its log (standard error) in ``Server.log``. The
    log goes to a file, not a pipe: a server that logs a lot must never block on a pipe
    nobody reads while the test runs."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"{LOCAL_HOST}:{port}"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=env,
        )
        server = Server(process)
        try:
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            server.log = log.read()
