"""Work on independent items spread over the machine's cores, the results in a fixed order.

A workshop's pages depend on the playbook and on nothing rendered before them, so a build
renders them in worker processes forked once the playbook is loaded and checked: each
worker inherits the whole render (the playbook, its graph, the templates) without copying
or pickling it, renders a run of workshops, and sends back only their pages, as text. The
runs are contiguous and their results are taken in order, so the pages are the same, in the
same order, as one process makes them.

Where processes cannot be forked (Windows, macOS' default), or there is one core, or too
little to share, the work runs here, in this process. A worker that raises hands its
exception to the caller, as the same work run here would, once the other workers have been
stopped; a worker that dies (killed, out of memory) stops the rest too, and the caller gets
:class:`WorkerDied`: never a hang, and no process left behind.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar, cast

from prepbook.errors import RenderError

T = TypeVar("T")
R = TypeVar("R")

RUNS_PER_WORKER = 4  # shorter runs even the load out when one worker's items cost more
LEAST = 8  # fewer items than this are not worth a process

# What the forked workers run, set just before they are forked: they inherit it.
_work: tuple[Callable[[Sequence[object]], object], list[Sequence[object]]] | None = None


class WorkerDied(RenderError):
    """A worker process ended without an answer: killed, or out of memory. The build stops
    with this in one line, as it does on a template's mistake."""


def cores() -> int:
    """The worker processes worth forking here: one a core this process may run on, or 1
    (no worker) where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this system
        return os.cpu_count() or 1


def in_order(task: Callable[[Sequence[T]], R], items: Sequence[T], workers: int) -> list[R]:
    """``task`` over runs of ``items``, in up to ``workers`` forked processes, its results in
    the runs' order; in this process, as one run, when ``workers`` is below 2 or the items
    too few."""
    if workers < 2 or len(items) < LEAST or "fork" not in multiprocessing.get_all_start_methods():
        return [task(items)]
    count = min(len(items), workers * RUNS_PER_WORKER)
    size = -(-len(items) // count)
    runs = [items[at : at + size] for at in range(0, len(items), size)]
    global _work
    _work = (task, runs)  # type: ignore[assignment]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        results = [pool.submit(_run, number) for number in range(len(runs))]
        return [cast(R, result.result()) for result in results]
    except BrokenProcessPool as exc:
        raise WorkerDied(
            "a worker process rendering the workshop pages ended without finishing them "
            "(killed, or out of memory?); the build stopped"
        ) from exc
    finally:
        _work = None
        pool.shutdown(wait=True, cancel_futures=True)


def _run(number: int) -> object:
    """In a worker: one run of the items."""
    assert _work is not None, "the work is set before the workers are forked"
    task, runs = _work
    return task(runs[number])
