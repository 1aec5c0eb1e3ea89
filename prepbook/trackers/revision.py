"""The trackers folder as it was at a git revision, read by the same reader as on disk.

The diff compares what the tracker said at two revisions, and the Changes page what a
commit of new exports changed, so both need the exports of a commit without checking it
out. The folder's files are copied out of git into a temporary folder and read there by
:func:`prepbook.trackers.folder.read_trackers`, each named in findings where it sits in
the working tree, so a finding at a revision and the same finding on disk are the same
finding. What the reader on disk refuses is refused here too: a link is never followed
(git keeps it as a link, and it is left out), a file over the size cap is never read into
memory, and a name git allows but no folder should hold (one that climbs out) is skipped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from prepbook.git import git, read_blobs
from prepbook.trackers.export import TrackerProblem
from prepbook.trackers.folder import Trackers, read_trackers
from prepbook.trackers.states import Status

_LINK_MODE = "120000"


def trackers_at(
    root: Path,
    commit: str,
    folder: PurePosixPath,
    max_bytes: int,
    *,
    states: Mapping[str, Status] | None = None,
    shown: Callable[[PurePosixPath], str] | None = None,
) -> Trackers:
    """The exports of ``folder`` (relative to the repository ``root``) at ``commit``; no
    exports when the folder was not there then. ``shown`` names a file by its path
    relative to ``folder`` (by its path in the repository unless given)."""
    listing = git(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", folder.as_posix())
    name_of = shown or (lambda relative: (folder / relative).as_posix())
    wanted: list[tuple[PurePosixPath, str]] = []
    problems: list[TrackerProblem] = []
    for entry in filter(None, listing.split("\0")):
        meta, _, name = entry.partition("\t")
        mode, kind, sha, size = meta.split()
        path = PurePosixPath(name)
        if kind != "blob" or mode == _LINK_MODE or not path.is_relative_to(folder):
            continue
        relative = path.relative_to(folder)
        if ".." in relative.parts or any(p.startswith(".") for p in relative.parts):
            continue
        if int(size) > max_bytes:
            problems.append(
                TrackerProblem(
                    name_of(relative),
                    f"cannot read the export: the file is {int(size):,} bytes, over the cap "
                    f"of {max_bytes:,}",
                    hint="raise max_file_bytes in the plugin's options if the export is this large",
                )
            )
            continue
        wanted.append((relative, sha))
    if not wanted:
        return Trackers((), tuple(problems))
    contents = read_blobs(root, sorted({sha for _, sha in wanted}))
    with tempfile.TemporaryDirectory(prefix="prepbook-trackers-") as scratch:
        base = Path(scratch)
        for relative, sha in wanted:
            target = base.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[sha])
        read = read_trackers(
            base,
            max_bytes,
            states=states,
            shown=lambda path: name_of(PurePosixPath(path.relative_to(base).as_posix())),
        )
    return Trackers(read.exports, (*problems, *read.problems))
