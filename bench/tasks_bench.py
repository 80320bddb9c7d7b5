"""The body of ``invoke bench``, ready to be registered in ``tasks.py``.

``tasks.py`` is not this harness's file, so the task is registered there::

    from invoke import task
    from bench import tasks_bench
    bench = task(tasks_bench.bench, help=tasks_bench.BENCH_HELP)

The benchmark itself runs in a subprocess, so that
its own children are the only builds measured.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
VENV_PYTHON = PROJECT / ".venv" / "bin" / "python"

BENCH_HELP = {
    "sizes": "comma-separated NxL sizes, e.g. 250x3 (default 250x3,1000x3,4000x3,1000x6)",
    "runs": "timed runs per configuration and size (default 3, or 1 for the century)",
    "configs": "comma-separated configurations (default press,pelican,pelican+pagefind,i18n_subsites)",
    "century": (
        "the archive of a century: 20000x6 (or the largest N x 6 the free memory and disk hold), "
        "clean builds with and without search against vanilla Pelican (+ Pagefind), the rebuild and "
        "the publish after one change; hours on 2 cores (BENCHMARKS.md)"
    ),
    "publish": "also time a first publish and a publish after one change (python -m deploy.release)",
}


def bench(c, sizes=None, runs=0, configs=None, century=False, publish=False):
    """Benchmark the press against vanilla Pelican and i18n_subsites.

    Runs ``bench/run.py`` with the project's virtualenv and prints its
    Markdown tables; see BENCHMARKS.md.  ``--century`` measures the archive of a
    century (``bench/run.py --century``); ``--publish`` adds the publish rows at
    any size.
    """
    python = VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)
    command = [str(python), str(BENCH / "run.py")]
    if runs:  # 0: run.py's default (3, or 1 with --century)
        command += ["--runs", str(int(runs))]
    if century:
        command.append("--century")
    if sizes:
        command += ["--sizes", str(sizes)]
    if configs:  # run.py's hints name --configs: the task takes it too
        command += ["--configs", str(configs)]
    if publish:
        command += ["--publish-configs", "press"]
    return c.run(shlex.join(command), pty=False)
