"""The press's one parallel engine: Markdown bodies and pages rendered on every core.

Two steps of a build spread their work over processes, both through
:func:`map_in_workers`: rendering the Markdown bodies before Pelican reads the
files (``press.html.render``), and rendering the pages' templates
(``press.pipeline.site.generator``).  One threshold, :data:`PARALLEL_THRESHOLD`,
decides for both whether starting workers is worth it.

Start method: **fork**.  The workers are forked from the build's process when
the work is ready, so they inherit everything read so far (the scanned tree,
Pelican's content objects, the Jinja environment, the job list itself) without
pickling any of it: only item numbers go to a worker and only results (the
rendered HTML; nothing for a page, which the worker writes itself) come back.
``spawn`` or ``forkserver`` would have to pickle the content objects and the
template context (lambdas, Markup, Pelican's URL wrappers: not all picklable)
and import Pelican and the plugin again in every worker (about a second each).
Where ``fork`` does not exist (Windows) the work runs in the build's process.

Nothing is forked while a second thread runs: a thread that holds a lock
(logging's, the import lock, malloc's) at the moment of the fork leaves that
lock held forever in the child, which can then deadlock.  The build starts no
thread of its own before its last fork (Pagefind is a child process driven
from the build's thread, ``press.pipeline.search``); when another thread is
alive anyway (the preview's background index of the previous run, a thread of
the program that embeds Pelican), the work runs in the build's process.
A worker's log goes to standard error through a fresh handler.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)

#: Below this many items, starting workers costs more than it saves (a fork of
#: the build's process and a pool cost tens of milliseconds; a body or a page
#: takes about a millisecond or a few).
PARALLEL_THRESHOLD = 100
#: Chunks per worker: small enough to even out long and short items.
CHUNKS_PER_WORKER = 8


class WorkerError(Exception):
    """An item failed in a worker; the message names it (the traceback is in the log)."""


def worker_count(settings: dict) -> int:
    """``PRESS_WORKERS``, or every core."""
    return int(settings.get("PRESS_WORKERS") or 0) or os.cpu_count() or 1


def runs_in_parallel(count: int, workers: int) -> bool:
    """Whether :func:`map_in_workers` would start workers for ``count`` items."""
    return workers > 1 and count >= PARALLEL_THRESHOLD and hasattr(os, "fork")


def fork_is_safe() -> bool:
    """Whether this process runs one thread only, so a forked child inherits no held lock."""
    return threading.active_count() == 1


# What the forked workers run: set just before the pool forks them.
_function: Callable | None = None
_items: Sequence = ()


def die_with_parent() -> None:
    """End this process when the one that started it dies (Linux's PR_SET_PDEATHSIG).

    A forked worker holds its own copy of the pool's pipes, so it would never see
    them close and would wait forever after its build was killed; a build started
    by a publish would go on writing into a release that is being removed.
    Elsewhere nothing happens.
    """
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above: go now
        os._exit(1)


def _start_worker() -> None:
    die_with_parent()
    root = logging.getLogger()
    root.handlers = [logging.StreamHandler(sys.stderr)]


def _run_item(index: int):
    try:
        return _function(_items[index])
    except Exception as error:
        logger.exception("Item %d of %d failed in a worker", index + 1, len(_items))
        # Only a plain message crosses back: not every exception can be pickled.
        raise WorkerError(f"{type(error).__name__}: {error}") from None


def map_in_workers(function: Callable, items: Sequence, workers: int) -> list:
    """``[function(item) for item in items]``, on up to ``workers`` forked processes.

    Results come back in the order of ``items``; they must be picklable.  Below
    :data:`PARALLEL_THRESHOLD` items, or with one worker, everything runs here.
    """
    if not runs_in_parallel(len(items), workers):
        return [function(item) for item in items]
    if not fork_is_safe():
        logger.debug(
            "threads running (%s): the %d items are done in this process, not in forked workers",
            ", ".join(thread.name for thread in threading.enumerate()),
            len(items),
        )
        return [function(item) for item in items]
    global _function, _items
    workers = max(2, min(workers, len(items) // (PARALLEL_THRESHOLD // 2)))
    chunk = max(1, len(items) // (workers * CHUNKS_PER_WORKER))
    _function, _items = function, items
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
        ) as pool:
            return list(pool.map(_run_item, range(len(items)), chunksize=chunk))
    finally:
        _function, _items = None, ()
