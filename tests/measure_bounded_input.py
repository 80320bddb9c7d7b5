"""Each hostile body of issue 21.6 built alone (strict, editions on): exit code, seconds, peak RSS.

Run: .venv/bin/python tests/measure_bounded_input.py   (about 10 s; not collected by pytest)
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from sitebuild import FIXED_NOW, PELICAN, PROJECT, article, terms_toml, write_tree

CASES = {
    "10 KB nested >": ">" * 10_000 + " x\n",
    "100 KB nested >": ">" * 100_000 + " x\n",
    "20 KB of '- ' x10,000": "- " * 10_000 + "x\n",
    "1.2 MB table rows": "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 85_000,
    "1.6 MB www.a.b": "www.a.b " * 200_000,
    "96 KB, 12,000 links": "www.a.b " * 12_000,
}
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(done.returncode, round(time.perf_counter() - started, 1), peak)
"""


def main() -> None:
    for name, body in CASES.items():
        with tempfile.TemporaryDirectory() as folder:
            root = pathlib.Path(folder)
            files = {
                "terms.toml": terms_toml(),
                "articles/a/en.md": article("A", body, date="2026-03-01", category="news"),
                "issues/n-1/en.md": article(
                    "Issue", "x\n", date="2026-03-04", publication="communist-left", number="1", contents="a"
                ),
            }
            write_tree(root / "content", files)
            settings = {
                "PRESS_REPORT": str(root / "report.json"),
                "LANGUAGES": ["en"],
                "PRESS_STRICT": True,
                "PRESS_EDITIONS": True,
            }
            command = [
                *PELICAN,
                str(root / "content"),
                "-s",
                str(PROJECT / "pelicanconf.py"),
                "-o",
                str(root / "o"),
            ]
            command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in settings.items())]
            env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW)
            result = subprocess.run(
                [sys.executable, "-c", MEASURE, *command],
                capture_output=True,
                text=True,
                env=env,
                cwd=PROJECT,
            )
            code, seconds, megabytes = result.stdout.split()
            problems = json.loads((root / "report.json").read_text(encoding="utf-8"))["problems"]
            kinds = ", ".join(sorted({problem["kind"] for problem in problems}))
            print(f"{name:22} exit {code}  {seconds:>5} s  {megabytes:>5} MB  {kinds}")


if __name__ == "__main__":
    main()
