"""Only regular files are read: what else a path can be, said for people, and an open that
cannot block. Every file prepbook is handed (a workshop, the configuration, a baseline
report, ``prepbook show``'s file, one side of a diff) is opened here.

A named pipe (FIFO) saved as ``x.yaml`` made ``open`` wait for a writer for ever:
``prepbook validate`` and ``mkdocs build`` hung, and ``mkdocs serve`` stopped answering
until it was restarted. A character device never ends (``/dev/zero``), and opening some
devices does something of its own. A link that leads to itself has no file behind it, and
resolving it raised an exception. So a path is looked at (stat) before it is opened; a
regular file is then opened without waiting (``O_NONBLOCK``, which changes nothing for a
regular file) and looked at again through the open descriptor (fstat), so that a file
swapped for a pipe between the two looks is still never read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from prepbook.errors import LoadError

# how many links the system follows before it gives up (Linux's limit)
MAX_LINKS = 40
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0) | _NONBLOCK
_NOT_A_FILE_HINT = (
    "remove it, or put the workshop's YAML file in its place: prepbook reads only regular files"
)


@dataclass(frozen=True)
class NotAFile:
    """Why a path is not a regular file to read: a finding's message and hint (PB009)."""

    message: str
    hint: str


def kind_of(mode: int) -> str | None:
    """What a path of ``mode`` is, as a person names it; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _special(mode: int) -> NotAFile | None:
    kind = kind_of(mode)
    if kind is None:
        return None
    return NotAFile(f"the path is {kind}, not a file", _NOT_A_FILE_HINT)


def not_a_file(path: Path) -> NotAFile | None:
    """Why ``path`` is no regular file, found without opening it: a loop of links, a link
    to nothing, a pipe, a device, a socket. None for a regular file, or a link to one, and
    for a path stat cannot see for another reason, which the read then reports."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _loop(path)
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(path):
            return _dangling(path)
        return None
    return _special(info.st_mode)


def _loop(path: Path) -> NotAFile:
    """A link the system gave up following: the loop it is part of, link by link."""
    hint = "make the link point at the workshop file, or put the file itself in its place"
    folder = os.path.dirname(os.path.abspath(path))
    chain = [os.path.abspath(path)]
    current = chain[0]
    for _ in range(MAX_LINKS):
        try:
            target = os.readlink(current)
        except OSError:
            break  # a folder on the way loops, not this link
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
        if current in chain:
            chain.append(current)
            if len(chain) == 2:
                return NotAFile("the path is a link that leads to itself, not a file", hint)
            shown = " -> ".join(os.path.relpath(link, folder) for link in chain)
            where = "in" if chain[0] == current else "that leads into"
            return NotAFile(
                f"the path is a link {where} a loop of links ({shown}), not a file", hint
            )
        chain.append(current)
    return NotAFile(
        f"the path leads through a loop of links (or more than {MAX_LINKS} links in a row), "
        "not to a file",
        hint,
    )


def _dangling(path: Path) -> NotAFile:
    try:
        target = os.readlink(path)
    except OSError:  # removed meanwhile
        target = "?"
    return NotAFile(
        f"the path is a link to {target!r}, which does not exist",
        "point the link at an existing workshop file, or remove it",
    )


def open_regular(path: Path) -> tuple[int, int] | NotAFile:
    """An open descriptor of the regular file at ``path`` and its size, or why it is none;
    OSError for a file that cannot be opened. The caller closes the descriptor."""
    refused = not_a_file(path)
    if refused is not None:
        return refused
    descriptor = os.open(path, _FLAGS)
    try:
        info = os.fstat(descriptor)
        refused = _special(info.st_mode)  # swapped since it was looked at
    except OSError:
        os.close(descriptor)
        raise
    if refused is not None:
        os.close(descriptor)
        return refused
    return descriptor, info.st_size


def resolved(path: Path) -> Path:
    """``path`` resolved, or made absolute as it stands where a loop of links makes it
    unresolvable (``Path.resolve`` raises then): whoever reads it next reports the loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


class NotReadable(LoadError):
    """The path names no regular file, one over the cap, or one that cannot be read; the
    message is the reason alone (the caller names the file as it likes)."""


class TooLarge(NotReadable):
    """A regular file over the cap: never read."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them: a file over
    the cap is refused by its size before a byte is read, and one that grows while it is
    read is refused once it passes the cap."""
    try:
        opened = open_regular(path)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    if isinstance(opened, NotAFile):
        raise NotReadable(opened.message.replace("the path is", "it is", 1))
    descriptor, size = opened
    with os.fdopen(descriptor, "rb") as handle:
        if size > max_bytes:
            raise TooLarge(f"the file is {size:,} bytes, over the cap of {max_bytes:,}")
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise NotReadable(exc.strerror or str(exc)) from None
    if len(raw) > max_bytes:  # it grew after it was measured
        raise TooLarge(f"the file is over the cap of {max_bytes:,} bytes")
    return raw
