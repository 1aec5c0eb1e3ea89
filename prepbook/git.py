"""Asking git: one command's output, and many blobs through one process.

The semantic diff reads revisions with it, and the site's history reads the log; both go
through here, so there is one way to run git and one reader of ``cat-file --batch``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from prepbook.errors import GitError


def git(root: Path, *args: str) -> str:
    """The output of ``git ARGS`` in ``root``, as text."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"git cannot run: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout.decode("utf-8", "replace")


def read_blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Many blobs through one ``git cat-file --batch``, not a process each."""
    if not shas:
        return {}
    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        check=False,
        input="".join(f"{sha}\n" for sha in shas).encode(),
        capture_output=True,
    )
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip())
    out, at, found = done.stdout, 0, {}
    while at < len(out):
        header_end = out.index(b"\n", at)
        sha, _, size = out[at:header_end].decode().split()
        start = header_end + 1
        found[sha] = out[start : start + int(size)]
        at = start + int(size) + 1
    return found


def in_repository(path: Path, root: Path) -> PurePosixPath | None:
    """``path`` as git names it in the repository at ``root``; None outside it."""
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        return None
