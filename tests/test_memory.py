"""No leak (issue 13): five runs in one process, as ``pelican --autoreload`` (``invoke serve``)
makes them, keep memory flat, and no run's objects outlive the next one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sitebuild import PROJECT

from bench import generate

# Runs the way `pelican --autoreload` does (see tests/test_incremental.py):
# one Pelican instance, run() again after each edit.  After every run: the
# resident memory once the garbage is collected and freed heap pages are given
# back to the system (malloc_trim: what a run left in the allocator's free
# lists is not a leak), and how many of Pelican's
# content objects and press builds are still alive.
FIVE_RUNS_SCRIPT = """
import ctypes
import gc
from pelican import get_instance, parse_arguments
from pelican.contents import Content
import press.build

def resident_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

args = parse_arguments([{content!r}, "-s", {settings!r}, "-o", {output!r}, "-e",
                        {cache!r}, {report!r}, {languages!r}, "PRESS_SEARCH=false",
                        "PRESS_EDITIONS=false"])
pelican, _ = get_instance(args)
for run in range(5):
    if run:
        with open({edited!r}, "a", encoding="utf-8") as handle:
            handle.write("\\nA sentence added by edit %d.\\n" % run)
    pelican.run()
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    alive = sum(isinstance(o, Content) for o in gc.get_objects())
    builds = sum(isinstance(o, press.build.Build) for o in gc.get_objects())
    print("RUN", run, resident_kib(), alive, builds, flush=True)
"""


def test_five_runs_in_one_process_keep_memory_flat(tmp_path):
    tree = generate.generate_tree(tmp_path / "tree", articles=200, languages=3)
    edited = tree.content / "articles" / tree.article_keys[0] / f"{tree.languages[0]}.md"
    script = FIVE_RUNS_SCRIPT.format(
        content=str(tree.content),
        settings=str(PROJECT / "pelicanconf.py"),
        output=str(tmp_path / "output"),
        cache="CACHE_PATH=" + json.dumps(str(tmp_path / "cache")),
        report="PRESS_REPORT=" + json.dumps(str(tmp_path / "report.json")),
        languages="LANGUAGES=" + json.dumps(tree.languages),
        edited=str(edited),
    )
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, env=env, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("RUN")]
    assert len(runs) == 5, result.stdout + result.stderr
    resident = [int(run[1]) for run in runs]
    alive = [int(run[2]) for run in runs]
    builds = [int(run[3]) for run in runs]
    # Each run's content objects replace the previous run's (the preview
    # session keeps the objects of the files that did not change); each run's
    # build ends with its run (issue 23: no module global holds one).
    assert alive[0] > 600  # 200 articles × 3 languages, and the pages
    assert alive[2:] == [alive[1]] * 3, alive
    assert builds == [0] * 5, builds
    # Memory stays flat: within 10% of the second run (the first one fills
    # the caches that later runs reuse).
    assert max(resident[2:]) <= resident[1] * 1.10, resident
