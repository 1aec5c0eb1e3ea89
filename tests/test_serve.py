"""``mkdocs serve`` re-renders the site when a workshop file is saved."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import dated
from tests.test_site import ENV, copy_repo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_saving_a_workshop_rerenders_the_page(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/playbook/workshops/northwind-retail/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dated(ENV),
    )
    try:
        assert wait_for(
            lambda: (fetch(url) or "").find("Post-purchase personalization") > 0, 120
        ), "the server did not come up"
        source = root / "workshops" / "northwind-retail.yaml"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace(
                "title: Post-purchase personalization for online and store customers",
                "title: Renamed while serving",
            ),
            encoding="utf-8",
        )
        assert wait_for(lambda: "Renamed while serving" in (fetch(url) or ""), 60)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
