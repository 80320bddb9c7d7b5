"""Edit-to-page time of the live preview: ``pelican … --autoreload``, as ``invoke serve`` runs it.

One preview process per size.  Once its first build is done (Pelican prints
"Done: Processed …" at the end of every run; the report cannot tell, the
press writes it at the start of a run too), each run appends a new sentence
to the original of the lead article and times, from that write, how long it
takes until the article's page on disk shows the sentence: Pelican's file
watcher, the run, the page write, all included (the
search index of the edited language follows in the background and is not
waited for).  Between runs it waits until the run has finished (one more
"Done:" line) and the watcher is back.  At the end the process is stopped
with SIGINT and reaped with ``os.wait4``, whose ``ru_maxrss`` is the largest
peak of the process and its children (Pagefind included).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

POLL = 0.005  # seconds between two looks at the page
SETTLE = 0.5  # after a run, before the next edit: the watcher restarts


def wait_for(condition, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(POLL)
    return False


RUN_DONE = b"Done: Processed"


def runs_done(log_path: Path) -> int:
    """How many runs the preview has finished, from its output."""
    try:
        return log_path.read_bytes().count(RUN_DONE)
    except OSError:
        return 0


def page_shows(page: Path, sentence: str) -> bool:
    try:
        return sentence in page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def measure_preview(
    command: list[str],
    source: Path,
    page: Path,
    report: Path,
    runs: int,
    log_path: Path,
    env: dict[str, str],
    cwd: Path,
    timeout: float,
) -> tuple[list[float | None], int, str]:
    """Edit-to-page seconds per run (None: never shown), peak RSS (KiB) and why it failed."""
    pristine = source.read_bytes()
    report.unlink(missing_ok=True)
    times: list[float | None] = []
    reason = ""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
        try:
            if not wait_for(lambda: runs_done(log_path) >= 1 or process.poll() is not None, timeout):
                reason = f"first build not finished after {timeout:g} s"
            elif process.poll() is not None:
                reason = f"the preview exited with status {process.returncode}"
            else:
                time.sleep(SETTLE)
                for run in range(runs):
                    sentence = f"Preview edit {run + 1} reached the page."
                    done = runs_done(log_path)
                    started = time.perf_counter()
                    source.write_bytes(pristine + f"\n{sentence}\n".encode())
                    if wait_for(lambda sentence=sentence: page_shows(page, sentence), timeout):
                        times.append(time.perf_counter() - started)
                    else:
                        times.append(None)
                        reason = f"edit {run + 1} did not reach {page.name} in {timeout:g} s"
                        break
                    wait_for(lambda done=done: runs_done(log_path) > done, timeout)
                    time.sleep(SETTLE)
        finally:
            source.write_bytes(pristine)
            usage = None
            if process.returncode is None:  # still running, not reaped: stop it, then take its figures
                process.send_signal(signal.SIGINT)
                killer = threading.Timer(60, lambda: os.kill(process.pid, signal.SIGKILL))
                killer.start()
                _, status, usage = os.wait4(process.pid, 0)
                killer.cancel()
                process.returncode = os.waitstatus_to_exitcode(status)
    return times, (usage.ru_maxrss if usage else 0), reason
