"""Which files make the playbook: the workshops folder searched, paths named by the user."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from prepbook.errors import UsageError
from prepbook.findings import Finding
from prepbook.load.regular import NotAFile, not_a_file, resolved

WORKSHOP_SUFFIXES = (".yaml", ".yml")
NAME_A_FILE = "name a workshop's YAML file instead: prepbook reads only regular files"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(resolved(path)) if relative.startswith("..") else relative


def source_root(folder: Path) -> Path:
    """The top of the git working tree holding ``folder`` (where a ``.git`` folder or file
    is), or ``folder`` itself outside one: what paths in a code-scanning report are
    relative to."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def discover(root: Path) -> tuple[list[Path], list[Finding]]:
    """The workshop files under ``root``, sorted. Links that lead outside it, and what is
    no regular file (a pipe, a device, a socket, a loop of links, a link to nothing), are
    refused, each with a finding, without being opened. Linked folders are not followed,
    so a link to a folder above cannot make the search go round for ever."""
    base = root.resolve()
    files: list[Path] = []
    findings: list[Finding] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if name.startswith(".") or not name.endswith(WORKSHOP_SUFFIXES):
                continue
            # os.walk does not follow linked folders, so only a linked file can lead out
            if path.is_symlink() and not resolved(path).is_relative_to(base):
                findings.append(
                    Finding.of(
                        "PB009",
                        "the file is a link to a place outside the workshops folder",
                        display_path(path),
                        hint="copy the file into the folder instead of linking",
                    )
                )
                continue
            refused = not_a_file(path)
            if refused is not None:
                findings.append(_refusal(path, refused))
                continue
            files.append(path)
    return files, findings


def _refusal(path: Path, refused: NotAFile) -> Finding:
    return Finding.of("PB009", refused.message, display_path(path), hint=refused.hint)


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """The workshop files named by ``paths``: files as given, folders searched. A path
    that is there but is no file to read (a pipe, a device, a loop of links) is a finding,
    like one found in a folder; only a path that is not there at all is a usage error."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir():
            found, refused = discover(path)
            files.extend(found)
            findings.extend(refused)
        elif path.is_file():
            files.append(path)
        elif os.path.lexists(path):
            problem = not_a_file(path)
            if problem is None:  # unreadable for a reason of its own: the loader says which
                files.append(path)
            elif _is_device(path):  # /dev/null, say: not something to remove
                findings.append(_refusal(path, NotAFile(problem.message, NAME_A_FILE)))
            else:
                findings.append(_refusal(path, problem))
        else:
            raise UsageError(f"no such file or folder: {display_path(path)}")
    unique = list(dict.fromkeys(_real_paths(files)))
    return [Path(display_path(p)) for p in unique], findings


def _is_device(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


def _real_paths(files: list[Path]) -> Iterator[Path]:
    """Each file's resolved path, resolving each folder once: at a thousand files,
    resolving every path component of every file was a tenth of a second per build."""
    folders: dict[Path, Path] = {}
    for path in files:
        if path.is_symlink():
            yield resolved(path)  # a link turned into a loop since: the loader reports it
            continue
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = resolved(path.parent)
        yield folder / path.name
