"""One folder taking another's place in a single step, where the system allows it.

``mkdocs build`` (:mod:`prepbook.site_swap`) and ``prepbook generate`` both write a new folder
beside the one a reader may be looking at, then put it in that one's place. On Linux the
two are exchanged by one ``renameat2(RENAME_EXCHANGE)``, so a reader never finds the path
missing; elsewhere two renames leave it missing for a few microseconds.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# renameat2 exists but cannot exchange here: kernel or filesystem without the flag
_NO_EXCHANGE = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP})


def exchange(first: Path, second: Path) -> bool:
    """Exchange two paths in one step (Linux' renameat2 with RENAME_EXCHANGE). False where
    that is not possible here; an OSError where the exchange was refused for another
    reason."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _NO_EXCHANGE:
            return False
        raise OSError(code, os.strerror(code), str(first), None, str(second))
    return True


@cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if sys.platform != "linux":
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (AttributeError, OSError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running: a folder named after it is then its
    work in progress, not a leftover of a killed process."""
    if os.name != "posix":  # no safe probe here (os.kill ends the process on Windows)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def replace_folder(new: Path, old: Path) -> None:
    """``new`` in the place of ``old`` (which need not exist), and ``old`` deleted."""
    if not os.path.lexists(old):
        os.rename(new, old)
        return
    if exchange(new, old):
        shutil.rmtree(new)  # the old folder, now under the new one's name
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{old.name}.old-", dir=old.parent))
    os.replace(old, retired / old.name)
    os.replace(new, old)
    shutil.rmtree(retired)


def write_atomically(path: Path, body: bytes) -> None:
    """``path`` holding ``body``, or as it was: written beside it, then moved into place,
    so a reader (or a failure halfway) never sees half a file."""
    temporary = path.with_name(f".{path.name}.writing")
    temporary.write_bytes(body)
    os.replace(temporary, path)
