"""Render pages on every core.

The generator decides in one process what to write (cheap); the templates are
rendered by forked worker processes, which inherit everything read so far, so
nothing is pickled but a range of job numbers.  The main process renders its
own share too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable

logger = logging.getLogger(__name__)

PARALLEL_THRESHOLD = 200  # below this, forking costs more than it saves

_jobs: list = []
_runner: Callable | None = None


def _child(start: int, stop: int) -> None:
    # The parent's log handlers may hold locks taken by its threads at fork time.
    root = logging.getLogger()
    root.handlers = [logging.StreamHandler(sys.stderr)]
    try:
        for index in range(start, stop):
            _runner(_jobs[index])
    except BaseException:
        logger.exception("A page could not be rendered")
        os._exit(1)
    os._exit(0)


def run_jobs(jobs: list, runner: Callable, workers: int) -> None:
    """Run ``runner(job)`` for every job, split over ``workers`` processes."""
    global _jobs, _runner
    workers = max(1, min(workers, len(jobs) // 50 or 1))
    if workers < 2 or len(jobs) < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        for job in jobs:
            runner(job)
        return
    _jobs, _runner = jobs, runner
    context = multiprocessing.get_context("fork")
    size = -(-len(jobs) // workers)
    bounds = [(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    children = [context.Process(target=_child, args=bound) for bound in bounds[1:]]
    try:
        for child in children:
            child.start()
        for index in range(*bounds[0]):
            runner(jobs[index])
    finally:
        for child in children:
            child.join()
        _jobs, _runner = [], None
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} page-rendering worker(s) failed; see the errors above")
