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
    "runs": "timed runs per configuration and size (default 3)",
    "configs": "comma-separated configurations (default press,pelican,pelican+pagefind,i18n_subsites)",
}


def bench(c, sizes=None, runs=3, configs=None):
    """Benchmark the press against vanilla Pelican and i18n_subsites.

    Runs ``bench/run.py`` with the project's virtualenv and prints its
    Markdown table; see BENCHMARKS.md.
    """
    python = VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)
    command = [str(python), str(BENCH / "run.py"), "--runs", str(int(runs))]
    if sizes:
        command += ["--sizes", str(sizes)]
    if configs:  # run.py's hints name --configs: the task takes it too
        command += ["--configs", str(configs)]
    return c.run(shlex.join(command), pty=False)
