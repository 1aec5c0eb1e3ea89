"""The published site is all or nothing: ``mkdocs build`` leaves in ``site_dir`` either the
previous build or the new one, complete, whatever fails and whenever the process is killed.

MkDocs empties ``site_dir`` right after ``on_pre_build`` and writes into it file by file, so
a build that fails after that point (a page of ``docs_dir`` where prepbook generates one, a
plugin's error, ``--strict`` aborting on warnings once everything is written) or a killed
process leaves a partial site or none, and a web server pointed at it serves that. So the
plugin turns ``config.site_dir``, before any other plugin's ``on_config`` sees it, to a
staging folder beside the site folder (``.site.building-<pid>`` for ``site``: hidden, on
the same filesystem, named after the process that owns it); every plugin and MkDocs write
there, and only after every other plugin's ``on_post_build``, and only when MkDocs is not
about to abort in strict mode, does the staging folder take the site folder's place. Then
``config.site_dir`` names the site folder again (``mkdocs gh-deploy`` reads it after the
build). A failed build deletes the staging folder; one left by a killed build is deleted
by the next build, once the process named in it is gone (two builds at once never delete
each other's).

What a reader of ``site/`` sees while the new site takes its place:

- On Linux, the two folders are exchanged by one ``renameat2(RENAME_EXCHANGE)``: a path
  under ``site/`` opened before it is the old file, one opened after it the new; there is
  no moment without a site. A reader whose current folder is the old ``site/`` (a shell
  ``cd``-ed into it, a server that serves from an open handle) keeps the old tree until it
  is deleted, right after.
- Where that call is missing or refused (another system, a filesystem without it), two
  renames: ``site`` to ``.site.old-<pid>``, then the staging folder to ``site``. Between
  them, a few microseconds, ``site/`` does not exist (a web server answers 404). A build
  killed between them leaves no ``site/``; the next build puts the old one back first.
- Where ``site_dir`` cannot be renamed at all (a mount point, a rename refused with
  EXDEV or EBUSY) or nothing can be created beside it, its contents are replaced in place
  at the end of the build, with a warning that says why: a failed build still leaves the
  site untouched, but during the replacement (and after a kill in it) a reader sees part of
  each. In strict mode that warning fails the build before anything is replaced.

Like MkDocs' own clean, which keeps hidden entries at the top of ``site_dir`` (a ``.git``
of the deployed pages), those entries are moved into the new site just before the swap; a
build killed in that instant leaves them in its staging folder, and the next build moves
them back before deleting it. With ``--dirty``, the staging folder first gets a copy of the
site (its modification times kept, which a dirty build compares), so a dirty build still
rewrites only what changed. ``mkdocs serve`` builds into a temporary folder of its own and
is left as it is.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import CountHandler

from prepbook.errors import OutputError
from prepbook.folder_swap import alive, exchange

log = get_plugin_logger(__name__)

# The redirect runs before every other plugin's on_config, so all of them write into the
# staging folder; the swap after every other plugin's on_post_build, once all is written.
FIRST = 1_000_000
LAST = -1_000_000

BUILDING = "building"
OLD = "old"
# the site folder cannot be renamed at all: another filesystem, a mount point
_NOT_RENAMABLE = frozenset({errno.EXDEV, errno.EBUSY})


class NotAtomic(OutputError):
    """The site folder cannot be swapped; its contents must be replaced in place."""


def beside(site: Path, kind: str, pid: int | None = None) -> Path:
    """The hidden folder of ``kind`` next to ``site``, owned by process ``pid``."""
    return site.parent / f".{site.name}.{kind}-{os.getpid() if pid is None else pid}"


@dataclass
class Staged:
    """One build's redirect: where MkDocs writes, and where the result goes."""

    config: MkDocsConfig
    given: str  # config.site_dir as it was, given back at the end
    site: Path  # the site folder, its links resolved (the swap renames the real folder)
    staging: Path
    in_place: str | None  # why the contents will be replaced in place; None: a swap
    counter: CountHandler | None  # MkDocs' count of warnings, in strict mode
    carried: list[str] = field(default_factory=list)  # hidden entries moved into staging


class SiteSwap:
    """The staging folder of the build under way, from ``on_config`` to its end."""

    def __init__(self) -> None:
        self.dirty = False
        self.staged: Staged | None = None

    def stage(self, config: MkDocsConfig) -> None:
        """Send the build into a fresh staging folder, after removing what killed builds
        left beside the site."""
        self.discard()  # a build of this process that ended without either event
        site = Path(os.path.realpath(config.site_dir))
        clear_leftovers(site)
        in_place = "is a mount point" if os.path.ismount(site) else None
        staging = beside(site, BUILDING)
        try:
            staging.mkdir(parents=True)
        except OSError as exc:
            in_place = f"has no room beside it for the build ({exc.strerror})"
            staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.{BUILDING}-{os.getpid()}-"))
        if in_place is not None:
            log.warning(
                f"site_dir {site} {in_place}, so the new site cannot take its "
                "place at once: its contents will be replaced in place at the end of the "
                "build, and meanwhile a reader may see part of the old site and part of the "
                "new. Hint: point site_dir at an ordinary folder whose parent the build can "
                "write to (for a mounted volume, mount the folder above it)."
            )
        counter = _warning_counter() if config.strict else None
        self.staged = Staged(config, config.site_dir, site, staging, in_place, counter)
        if self.dirty and site.is_dir():
            try:
                seed(site, staging)
            except OSError as exc:
                raise PluginError(
                    f"could not copy the site into {staging} for a dirty build: {exc}; the "
                    "site is unchanged"
                ) from None
        config.site_dir = str(staging)

    def publish(self) -> None:
        """Put the complete build in the site folder's place, unless MkDocs is about to
        abort in strict mode (then ``on_build_error`` discards it)."""
        staged = self.staged
        if staged is None:
            return
        staged.config.site_dir = staged.given
        if staged.counter is not None and staged.counter.get_counts():
            return
        why = staged.in_place
        if why is None:
            try:
                swap_in(staged)
            except NotAtomic as refused:
                why = str(refused)
                if staged.counter is not None:
                    raise PluginError(
                        f"site_dir {staged.site} {why}, so the new site cannot take its "
                        "place at once, and in strict mode it is not replaced in place; "
                        "the previous site is unchanged. Hint: point site_dir at an "
                        "ordinary folder, or build without --strict."
                    ) from None
                log.warning(
                    f"site_dir {staged.site} {why}: its contents are replaced in place, so "
                    "a reader may see part of the old site and part of the new meanwhile."
                )
            except OSError as exc:
                raise PluginError(
                    f"the new site could not take the place of {staged.site}: {exc}; the "
                    "previous site is unchanged"
                ) from None
            else:
                self.staged = None
                return
        try:
            replace_contents(staged.staging, staged.site)
        except OSError as exc:
            raise PluginError(
                f"the new site could not be moved into {staged.site}: {exc}; it may hold "
                "part of the previous site and part of the new"
            ) from None
        self.staged = None

    def discard(self) -> None:
        """Drop the staging folder of a build that did not finish; hidden entries of the
        site moved into it go back first (if they cannot, the folder stays for the next
        build to move them back)."""
        staged, self.staged = self.staged, None
        if staged is None:
            return
        staged.config.site_dir = staged.given
        try:
            _move_entries(staged.staging, staged.site, staged.carried)
        except OSError as exc:
            log.warning(f"left {staged.staging}: {exc}; the next build moves it back")
            return
        shutil.rmtree(staged.staging, ignore_errors=True)


def swap_in(staged: Staged) -> None:
    """The staging folder becomes the site folder (see the module's notes for what a reader
    sees); the old site is deleted after. Raises NotAtomic where the site folder cannot be
    renamed, with the site as it was."""
    site, staging = staged.site, staged.staging
    if not os.path.lexists(site):
        os.rename(staging, site)
        return
    if os.path.ismount(site):
        raise NotAtomic("is a mount point")
    try:
        _move_entries(site, staging, _hidden(site, staging), moved=staged.carried)
        if exchange(staging, site):
            shutil.rmtree(staging, ignore_errors=True)  # the old site, now under that name
            return
        old = beside(site, OLD)
        os.rename(site, old)
        try:
            os.rename(staging, site)
        except OSError:
            os.rename(old, site)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        _move_entries(staging, site, staged.carried)
        staged.carried.clear()
        if exc.errno in _NOT_RENAMABLE:
            raise NotAtomic(f"cannot be renamed ({os.strerror(exc.errno)})") from exc
        raise


def replace_contents(staging: Path, site: Path) -> None:
    """Where the site folder cannot be swapped: empty it as MkDocs' clean does (its hidden
    entries stay) and move the new site in. A reader sees part of each meanwhile."""
    site.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(site):
        if not entry.name.startswith("."):
            _remove(Path(entry.path))
    for entry in os.scandir(staging):
        target = site / entry.name
        if os.path.lexists(target):  # a hidden entry the new build wrote too: the new wins
            _remove(target)
        shutil.move(entry.path, target)
    shutil.rmtree(staging, ignore_errors=True)


def seed(site: Path, staging: Path) -> None:
    """Copy the site into the staging folder for a dirty build, with the modification times
    MkDocs compares. Hidden entries are not copied: they are moved at the swap."""
    for entry in os.scandir(site):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, staging / entry.name, symlinks=True)
        else:
            shutil.copy2(entry.path, staging / entry.name, follow_symlinks=False)


def clear_leftovers(site: Path) -> None:
    """Remove the staging and old folders of builds that were killed (their process is
    gone; or this process, which runs one build at a time). A site missing its folder
    because a build was killed between two renames gets the old one back; hidden entries
    a killed build had moved out of the site go back into it."""
    pattern = re.compile(rf"\.{re.escape(site.name)}\.({BUILDING}|{OLD})-(\d+)")
    try:
        found = [(e, m) for e in os.scandir(site.parent) if (m := pattern.fullmatch(e.name))]
    except OSError:
        return
    for entry, match in sorted(found, key=lambda pair: pair[1][1] != OLD):
        pid = int(match[2])
        if (pid != os.getpid() and alive(pid)) or not entry.is_dir(follow_symlinks=False):
            continue
        left = Path(entry.path)
        try:
            if match[1] == OLD and not os.path.lexists(site):
                os.rename(left, site)
                log.info(f"put back the site a killed build had moved to {left.name}")
                continue
            _move_entries(left, site, _hidden(left, site))
            shutil.rmtree(left)
        except OSError as exc:
            log.debug(f"could not remove {left}: {exc}")


def _hidden(source: Path, target: Path) -> list[str]:
    """The hidden entries at the top of ``source`` that ``target`` lacks."""
    if not source.is_dir() or not target.is_dir():
        return []
    return sorted(
        e.name
        for e in os.scandir(source)
        if e.name.startswith(".") and not os.path.lexists(target / e.name)
    )


def _move_entries(
    source: Path, target: Path, names: list[str], moved: list[str] | None = None
) -> None:
    """Rename the named entries of ``source`` into ``target``, noting each in ``moved`` as
    it goes (so that an error halfway knows what to move back)."""
    for name in names:
        try:
            os.rename(source / name, target / name)
        except FileNotFoundError:
            continue
        if moved is not None:
            moved.append(name)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _warning_counter() -> CountHandler | None:
    """The counter MkDocs' build added to its logger for strict mode, the last one added
    before the plugins' ``on_config`` (its abort follows ``on_post_build`` when it counts
    any warning)."""
    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return counters[-1] if counters else None
