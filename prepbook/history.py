"""The playbook's history: what each recent commit changed in the workshops, in the terms
of the semantic diff, for the site's Changes page and each workshop's recent changes.

Two git processes read it all, however many commits: one ``git log --raw`` that lists the
commits touching the workshops folder with the blobs each one changed, and one ``git
cat-file --batch`` that reads those blobs. Each commit is then compared on the files it
changed only, so a commit that edits one workshop of a thousand parses two files. A
commit that changed the exports of the trackers folder (``prepbook fetch --pr`` makes
such commits) is listed too, and the caller reads the exports on both sides of it with
the files whose steps track items, to say what the tracker's news changed. A commit's
changes never change once made, so they are kept by commit id across rebuilds.
Without git, outside a repository, or in a shallow clone, the history says why it is
missing or partial, and the build goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from prepbook.errors import GitError
from prepbook.git import git, in_repository, read_blobs
from prepbook.load.files import WORKSHOP_SUFFIXES
from prepbook.terminal import printable

# Old and new blob of a changed file; an all-zero id stands for "no file".
_NO_BLOB = "0" * 40


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    time: dt.datetime  # the committer's time, in UTC: the same in every build
    author: str
    subject: str

    @property
    def date(self) -> dt.date:
        return self.time.date()

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    old: str | None  # blob ids; None where the file did not exist
    new: str | None


@dataclass(frozen=True, slots=True)
class Changed:
    """What a commit changed: its workshop files, and whether it changed the exports of
    the trackers folder (``prepbook fetch`` commits those alone)."""

    files: tuple[FileChange, ...]
    exports: bool = False


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One change a commit made, as the history shows it: where, how much, what."""

    workshop: str
    kind: str  # "workshop", or the kind of record
    record: str  # the record's id; "" for the workshop itself
    level: str  # major, minor or info, as the diff grades it
    text: str  # the change in words, old and new values as words, never diff markup
    decision: str = ""  # the priority (decision) it is about, "" for none
    section: str = ""  # the diff's section (silences are shown apart from decisions)
    causes: tuple[str, ...] = ()  # the step changes that moved a decision, in words


@dataclass(frozen=True)
class Entry:
    """One commit and what it changed."""

    commit: Commit
    changes: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class History:
    entries: tuple[Entry, ...] = ()
    note: str | None = None  # why the history is missing or partial, for the page to say
    head: str | None = None  # the commit the history ends at: what a rebuild must match


@dataclass
class HistoryCache:
    """Changes by commit id, kept across the rebuilds of ``mkdocs serve``."""

    changes: dict[str, tuple[ChangeLine, ...]] = field(default_factory=dict)


def _git(root: Path, *args: str) -> str | None:
    """Git's answer, or None where it has none: the history is optional, never an error."""
    try:
        return git(root, *args)
    except GitError:
        return None


def _log(
    root: Path,
    folder: PurePosixPath,
    trackers: PurePosixPath | None,
    limit: int,
    since: dt.date | str | None,
) -> list[tuple[Commit, Changed]] | None:
    args = ["log", "--raw", "--no-abbrev", "--no-renames", "--root", "-z", "--no-merges"]
    args += ["--format=%x01%H%x00%ct%x00%an%x00%s", f"--max-count={limit}"]
    revisions: list[str] = []
    if isinstance(since, dt.date):
        args.append(f"--since={since.isoformat()}T00:00:00Z")
    elif since is not None and _is_date(since):
        args.append(f"--since={since}T00:00:00Z")
    elif since is not None:
        # a revision from mkdocs.yml: after --end-of-options git never reads it as an option
        # (Settings refuses one that starts with '-' as well)
        revisions = ["--end-of-options", f"{since}..HEAD"]
    paths = [folder.as_posix() or "."] + ([trackers.as_posix()] if trackers else [])
    out = _git(root, *args, *revisions, "--", *paths)
    if out is None:
        return None
    commits: list[tuple[Commit, Changed]] = []
    for record in out.split("\x01")[1:]:
        sha, stamp, author, rest = record.split("\0", 3)
        subject, _, raw = rest.partition("\0")
        time = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
        files: list[FileChange] = []
        exports = False
        parts = [p for p in raw.strip("\n").split("\0") if p]
        for meta, path in zip(parts[::2], parts[1::2], strict=False):
            _, _, old, new, _ = meta.lstrip(":").split(" ", 4)
            if trackers is not None and PurePosixPath(path).is_relative_to(trackers):
                exports = True
            elif _inside(path, folder) and path.endswith(WORKSHOP_SUFFIXES):
                old_blob = None if old == _NO_BLOB else old
                files.append(FileChange(path, old_blob, None if new == _NO_BLOB else new))
        if files or exports:
            # what a person typed, on its way to pages and a feed: no control character
            commit = Commit(sha, time, printable(author), printable(subject.strip()))
            commits.append((commit, Changed(tuple(files), exports)))
    return commits


def _inside(path: str, folder: PurePosixPath) -> bool:
    return folder.as_posix() in ("", ".") or PurePosixPath(path).is_relative_to(folder)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# What a commit changed, from its files before and after it: the diff engine's work. The
# last argument says whether the commit changed the exports of the trackers folder.
Compare = Callable[
    [list[tuple[Path, bytes]], list[tuple[Path, bytes]], Commit, bool], tuple[ChangeLine, ...]
]


def read_history(
    root: Path,
    workshops: Path,
    *,
    limit: int,
    since: dt.date | str | None,
    compare: Compare,
    cache: HistoryCache | None = None,
    trackers: Path | None = None,
) -> History:
    """The last ``limit`` commits (or those since a date or revision) that changed the
    workshops folder, or the ``trackers`` folder, each with what ``compare`` finds between
    the files it changed, as they were before and after it."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return History(note="the playbook is not in a git repository, so it has no history")
    repo = Path(top.strip())
    try:
        folder = PurePosixPath(workshops.resolve().relative_to(repo.resolve()).as_posix())
    except ValueError:
        return History(note="the workshops folder is outside the git repository")
    exports = in_repository(trackers, repo) if trackers is not None else None
    head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
    if head is None:
        return History(note="the repository has no commits yet")
    log = _log(repo, folder, exports, limit, since)
    if log is None:
        since_what = f" since {since}" if since is not None else ""
        return History(note=f"the history{since_what} could not be read from git")
    shallow = _git(repo, "rev-parse", "--is-shallow-repository")
    note = None
    if shallow is not None and shallow.strip() == "true":
        # The oldest commits of a shallow clone have no parents here: what they changed
        # cannot be told, so they are left out rather than shown as adding everything.
        note = "this is a shallow clone: only changes it can tell from its commits are shown"
        boundary = _git(repo, "rev-parse", "--git-path", "shallow")
        path = Path(boundary.strip()) if boundary else None
        if path is not None and not path.is_absolute():
            path = repo / path
        cut = set(path.read_text().split()) if path is not None and path.is_file() else set()
        log = [(c, changed) for c, changed in log if c.sha not in cut]
    cache = cache if cache is not None else HistoryCache()
    missing = [(c, changed) for c, changed in log if c.sha not in cache.changes]
    wanted = {b for _, ch in missing for f in ch.files for b in (f.old, f.new) if b}
    try:
        contents = read_blobs(repo, sorted(wanted))
    except GitError:
        return History(note="the history could not be read from git")
    for commit, changed in missing:
        files = changed.files
        before = [(Path(f.path), contents[f.old]) for f in files if f.old in contents]
        after = [(Path(f.path), contents[f.new]) for f in files if f.new in contents]
        cache.changes[commit.sha] = compare(before, after, commit, changed.exports)
    entries = tuple(Entry(c, cache.changes[c.sha]) for c, _ in log)
    return History(entries, note, head.strip())
