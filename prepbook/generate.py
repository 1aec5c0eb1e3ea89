"""``prepbook generate``: the site's pages as Markdown files, for any other engine.

The output folder is replaced as a whole, never edited in place: pages are written to a
new folder beside it, which then takes its place, so a reader never sees half a playbook.
A manifest records what prepbook wrote; a folder holding anything else is refused unless
the user says ``--force``, so no hand-written file is ever deleted by accident.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from prepbook.errors import OutputError
from prepbook.folder_swap import replace_folder

MANIFEST = ".prepbook-generated"


class GenerateError(OutputError):
    """The output folder cannot be replaced safely."""


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def _check_replaceable(out: Path, force: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir() or out.is_symlink():
        raise GenerateError(f"{out} exists and is not a folder")
    present = _files_in(out)
    if force or not present:
        return
    manifest = out / MANIFEST
    if not manifest.is_file():
        raise GenerateError(
            f"{out} holds files that prepbook did not write; choose an empty or new folder, "
            "or pass --force to replace it"
        )
    written = set(manifest.read_text(encoding="utf-8").splitlines())
    foreign = sorted(present - written - {MANIFEST})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise GenerateError(
            f"{out} holds files that prepbook did not write ({shown}); "
            "move them away, or pass --force to replace the folder"
        )


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: compared as written
        return Path(os.path.abspath(path))


def refuse_protected(out: Path, keep: Mapping[str, Path]) -> None:
    """Refuse an output folder whose replacement would delete what the user keeps: the
    root of the file system, the home folder, the working folder, or a folder that is or
    holds one of ``keep`` (the project, its docs, its workshops, by what they are).
    ``--force`` does not lift this: no page generator may replace a home folder."""
    target = _real(out)
    guarded = {Path(target.anchor): "the root of the file system"}
    guarded.setdefault(_real(Path.cwd()), "the working folder")
    for what, path in keep.items():
        guarded.setdefault(_real(path), what)
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder to speak of
        guarded.setdefault(_real(Path.home()), "the home folder")
    # the folder itself first, then the nearest that it would take with it
    exact = [(what, "is") for folder, what in guarded.items() if folder == target]
    holds = [(what, "holds") for folder, what in guarded.items() if target in folder.parents]
    for what, relation in [*exact, *holds][:1]:
        raise GenerateError(
            f"{out} {relation} {what}; replacing it would delete that. Name a folder of "
            "its own for the generated pages, such as 'generated'"
        )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_pages(pages: Mapping[str, str | bytes], out: Path, *, force: bool = False) -> None:
    """Replace ``out`` with exactly ``pages`` (paths relative to it) and a manifest; bytes
    (the exports of the playbook as data) are written as they are."""
    _check_replaceable(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is not
        for name, text in pages.items():
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                raise GenerateError(f"refusing to write outside the output folder: {name}")
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8", newline="\n")
        (staging / MANIFEST).write_text("".join(f"{n}\n" for n in sorted(pages)), "utf-8")
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
