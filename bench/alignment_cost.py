"""What the block alignment (issue 22) costs: the comparison of every translation, with and without it.

Generates an N×L tree with ``bench/generate.py`` (or reads ``--content``), renders every body
once with cmark-gfm, then times ``ParityChecker.check_fidelity`` over every key on one core,
first as the build runs it, then with the block alignment taken out. Prints both CPU times
and the difference; compare it with a clean build's CPU time (BENCHMARKS.md).

    .venv/bin/python bench/alignment_cost.py --articles 1000 --languages 3
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "plugins"))

from press.content.headers import parse_source  # noqa: E402
from press.content.tree import scan_tree  # noqa: E402
from press.html.render import markdown_options, render_markdown  # noqa: E402
from press.problems import ProblemCollector  # noqa: E402
from press.translation import fidelity  # noqa: E402
from press.translation.parity import ParityChecker  # noqa: E402

LANGUAGES = ["en", "it", "sv", "fa", "de", "fr"]


def compare_all(content: Path, languages: list[str], rendered: dict) -> tuple[float, int]:
    problems = ProblemCollector()
    tree = scan_tree(str(content), languages, problems)
    checker = ParityChecker(tree, problems, now=datetime.datetime(2030, 1, 1))
    started = time.process_time()
    checker.check_fidelity(rendered.__getitem__)
    return time.process_time() - started, len(problems.of_kind("incomplete"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=1000)
    parser.add_argument("--languages", "-l", type=int, default=3)
    parser.add_argument("--content", help="an existing content folder instead of a generated one")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes of each kind (the least is kept)")
    args = parser.parse_args()
    languages = LANGUAGES[: args.languages]
    with tempfile.TemporaryDirectory() as scratch:
        if args.content:
            content = Path(args.content)
        else:
            command = [sys.executable, str(HERE / "generate.py"), scratch, "-n", str(args.articles)]
            subprocess.run([*command, "-l", str(args.languages)], check=True)
            content = Path(scratch) / "content"
        options = markdown_options({})
        rendered = {}
        for path in content.rglob("*.md"):
            body = parse_source(path.read_text(encoding="utf-8")).body
            rendered[body] = render_markdown(options, body)
        with_alignment = min(compare_all(content, languages, rendered)[0] for _ in range(args.repeat))
        # without it: no blocks read from the bodies, no alignment
        keep = fidelity.lacking_blocks, fidelity.Reading.aligned_blocks
        fidelity.lacking_blocks = lambda original, translation: ([], None)
        fidelity.Reading.aligned_blocks = lambda reading, lang: []
        try:
            without = min(compare_all(content, languages, rendered)[0] for _ in range(args.repeat))
        finally:
            fidelity.lacking_blocks, fidelity.Reading.aligned_blocks = keep
    print(f"{args.articles}x{args.languages}: comparison with the alignment {with_alignment:.2f} s CPU, ")
    print(f"without it {without:.2f} s CPU: the alignment adds {with_alignment - without:.2f} s CPU")


if __name__ == "__main__":
    main()
