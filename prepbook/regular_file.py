"""Reading a file that a user or a repository named: a regular file, under a size cap.

A name can stand for a named pipe that blocks whoever opens it, a device that never ends
(``/dev/zero``), a socket, or a folder. Every command that reads a file it was handed (the
configuration, a baseline report, ``prepbook show``, one side of a diff) reads it here: the
file is opened without blocking, its kind is checked on the open descriptor (so a file
swapped for a pipe between a check and the open is caught too), and no more than the cap is
ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotReadable(Exception):
    """The path names no regular file, one over the cap, or one that cannot be read; the
    message is the reason alone (the caller names the file as it likes)."""


class TooLarge(NotReadable):
    """A regular file over the cap: never read."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words, for one that is not a regular file."""
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _why_not(path: Path, exc: OSError) -> str:
    """Why a file cannot be opened: what it is when it is no file (a socket cannot be
    opened at all), else the system's reason."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return exc.strerror or str(exc)
    return exc.strerror or str(exc) if stat.S_ISREG(mode) else f"it is {kind_of(mode)}, not a file"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", None):
            raise NotReadable("it is a link that leads to itself (a loop of links)") from None
        raise NotReadable(_why_not(path, exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"it is {kind_of(info.st_mode)}, not a file")
        if info.st_size > max_bytes:
            raise TooLarge(f"the file is {info.st_size:,} bytes, over the cap of {max_bytes:,}")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew after it was measured
        raise TooLarge(f"the file is over the cap of {max_bytes:,} bytes")
    return b"".join(chunks)
