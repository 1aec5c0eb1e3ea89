"""The workshops as they were at a git revision, as they are in the working tree, or in a
plain folder: read without checking anything out, so the working tree is never touched."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from prepbook.errors import DiffError, GitError
from prepbook.findings import Finding
from prepbook.git import git, read_blobs
from prepbook.load.files import WORKSHOP_SUFFIXES, discover, display_path
from prepbook.load.regular import NotReadable, TooLarge, read_regular

WORKTREE = "working tree"
# A file over the size cap is never read: in a folder or a commit, any file may stand.
MAX_SIDE_BYTES = 1024 * 1024  # the loader's default cap


class RevisionError(DiffError, GitError):
    """A revision or folder that cannot be read: a usage problem, not a finding."""


@dataclass(frozen=True)
class Side:
    """One side of a diff: its label and its workshop files as (path, bytes)."""

    label: str
    blobs: list[tuple[Path, bytes]]
    refused: list[Finding] = field(default_factory=list)  # files that could not be read
    commit: str | None = None  # the commit it was read at; None for a folder on disk


def repository(start: Path) -> Path:
    return Path(git(start, "rev-parse", "--show-toplevel").strip())


def default_base(root: Path) -> str:
    """The merge base of HEAD with the main branch: what a pull request is compared with."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", branch],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if done.returncode == 0:
            return git(root, "merge-base", "HEAD", branch).strip()
    raise RevisionError("no main or master branch to compare with; name a base revision")


def resolve(root: Path, revision: str) -> str:
    """The commit ``revision`` names; a RevisionError in one line when it names none."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or revision.startswith("-"):
        raise RevisionError(
            f"'{revision}' is neither a folder nor a revision (branch, tag or commit) "
            "of this repository"
        )
    return done.stdout.decode().strip()


def at_revision(
    root: Path, revision: str, folder: PurePosixPath, max_bytes: int = MAX_SIDE_BYTES
) -> Side:
    """Workshop files under ``folder`` (relative to the repository) at ``revision``.

    A revision without the folder is refused (RevisionError), not taken for an empty side:
    it is a revision from before the playbook, or a folder named wrong, and comparing
    nothing with nothing would report no changes and pass every gate. A folder that is
    there but holds no workshop is a side like any other."""
    commit = resolve(root, revision)
    if folder.as_posix() not in ("", ".") and _kind(root, commit, folder) != "tree":
        raise RevisionError(
            f"the workshops folder {folder.as_posix()}/ does not exist at revision "
            f"'{revision}'; name a revision that has it, or compare folders"
        )
    listing = git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", folder.as_posix())
    wanted: list[tuple[str, str]] = []
    refused: list[Finding] = []
    for entry in filter(None, listing.split("\0")):
        meta, _, name = entry.partition("\t")
        mode, kind, sha, size = meta.split()
        if kind != "blob" or not name.endswith(WORKSHOP_SUFFIXES) or mode == "120000":
            continue  # symbolic links are never followed
        if any(part.startswith(".") for part in PurePosixPath(name).parts):
            continue
        if int(size) > max_bytes:  # never read into memory: a commit may hold any blob
            message = f"the file is {int(size):,} bytes, over the cap of {max_bytes:,}"
            refused.append(Finding.of("PB003", message, name))
            continue
        wanted.append((name, sha))
    contents = read_blobs(root, [sha for _, sha in wanted])
    blobs = sorted((Path(name), contents[sha]) for name, sha in wanted)
    return Side(revision, blobs, refused, commit)


def _kind(root: Path, commit: str, path: PurePosixPath) -> str | None:
    """What ``path`` is at ``commit``: tree, blob, or None when it is not there."""
    done = subprocess.run(
        ["git", "cat-file", "-t", f"{commit}:{path.as_posix()}"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    return done.stdout.decode().strip() if done.returncode == 0 else None


def in_folder(folder: Path, label: str | None = None, max_bytes: int = MAX_SIDE_BYTES) -> Side:
    """Workshop files of a folder on disk (the working tree, or any folder). A file that
    is not a regular file, or cannot be read, stays out of the side, with a finding that
    says why (as ``prepbook validate`` reports it)."""
    if not folder.is_dir():
        raise RevisionError(f"no such folder: {folder}")
    files, refused = discover(folder)
    blobs = []
    for path in files:
        try:
            blobs.append((path, read_regular(path, max_bytes)))
        except TooLarge as exc:  # as the loader refuses one, by its size
            refused.append(Finding.of("PB003", str(exc), display_path(path)))
        except NotReadable as exc:
            refused.append(Finding.of("PB009", f"cannot read the file: {exc}", display_path(path)))
    return Side(label or str(folder), blobs, refused)


def tracked_at(
    root: Path, revision: str, folder: PurePosixPath, max_bytes: int = MAX_SIDE_BYTES
) -> list[tuple[Path, bytes]]:
    """The workshop files under ``folder`` at ``revision`` that name tracker items (a step's
    ``tracks:``): what new exports can change; none when the folder was not there then.
    The bytes are searched before anything is parsed, so a playbook whose steps track
    nothing costs one read of its blobs."""
    try:
        side = at_revision(root, revision, folder, max_bytes)
    except RevisionError:
        return []
    return [(path, raw) for path, raw in side.blobs if b"tracks" in raw]
