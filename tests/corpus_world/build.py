"""Make tests/corpus_world from the npm packages learnyounode and javascripting (see README.md).

    .venv/bin/python tests/corpus_world/build.py tests/corpus_world          # the corpus as committed
    .venv/bin/python tests/corpus_world/build.py /tmp/survey --survey        # every translation (417)
    .venv/bin/python tests/corpus_world/build.py /tmp/survey --report        # the gate's reports on it

Needs `npm` (it runs `npm pack <package>@<version>` in a temporary folder). Each translation is
taken from the newest version; its English from the version whose code, link destinations, list
items, headings and number of paragraphs fit it best (ties: the later version). The files get
`Title`/`Date`/`Category` headers (the English) and `Title`/`Translation-Of` (the translation);
nothing else is edited.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))

from press.content.headers import revision_of

LEARNYOUNODE = ["1.0.7", "2.7.1", "2.7.2", "3.5.10", "4.1.0", "4.2.1", "4.2.2"]
JAVASCRIPTING = ["2.6.1", "2.7.3", "2.7.4"]
# the committed corpus: (package, exercise, language)
KEYS = [
    *(
        ("learnyounode", exercise, lang)
        for lang, exercises in {
            "ko": ["make_it_modular", "time_server", "http_collect"],
            "ru": ["http_file_server", "http_json_api_server", "my_first_io"],
            "uk": ["http_uppercaserer", "baby_steps", "http_client"],
            "es": ["my_first_async_io", "filtered_ls", "juggling_async"],
            "pt-br": ["make_it_modular", "time_server", "http_collect"],
            "tr": ["http_file_server", "http_json_api_server", "my_first_io"],
            "vi": ["http_uppercaserer", "baby_steps", "http_client"],
            "pl": ["my_first_async_io", "filtered_ls", "juggling_async"],
            "it": ["make_it_modular", "time_server", "http_collect"],
        }.items()
        for exercise in exercises
    ),
    ("javascripting", "scope", "nl"),
    ("javascripting", "for-loop", "uk"),
    ("javascripting", "array-filtering", "it"),
    ("javascripting", "rounding-numbers", "es"),
]


def unpack(package: str, versions: list[str], work: Path) -> dict[str, Path]:
    found = {}
    for version in versions:
        name = subprocess.run(
            ["npm", "pack", f"{package}@{version}"], cwd=work, check=True, capture_output=True, text=True
        ).stdout.split()[-1]
        folder = work / f"{package}-{version}"
        with tarfile.open(work / name) as archive:
            archive.extractall(folder, filter="data")
        found[version] = folder / "package"
    return found


def marks(text: str):
    fences = re.findall(r"```.*?```", text, re.S)
    rest = re.sub(r"```.*?```", "", text, flags=re.S)
    spans = re.findall(r"`[^`\n]+`", rest)
    urls = [str(u) for u in re.findall(r"\]\(([^)]+)\)|(https?://\S+)", rest)]
    items = len(re.findall(r"^\s*(?:[-*+]|\d+\.)\s", rest, re.M))
    headings = len(re.findall(r"^#+\s", rest, re.M))
    paragraphs = len([p for p in re.split(r"\n\s*\n", rest) if p.strip()])
    return collections.Counter(fences + spans + urls), items, headings, paragraphs


def distance(english: str, translation: str) -> int:
    a, items_a, headings_a, paragraphs_a = marks(english)
    b, items_b, headings_b, paragraphs_b = marks(translation)
    kept = sum(((a - b) + (b - a)).values())
    return (
        kept
        + 2 * abs(items_a - items_b)
        + 2 * abs(headings_a - headings_b)
        + abs(paragraphs_a - paragraphs_b)
    )


def problem(package: str, root: Path, exercise: str, lang: str | None) -> Path:
    if package == "learnyounode":
        return root / "exercises" / exercise / (f"problem.{lang}.md" if lang else "problem.md")
    return root / "problems" / exercise / (f"problem_{lang}.md" if lang else "problem.md")


def titles(root: Path, lang: str) -> dict[str, str]:
    return json.loads((root / "i18n" / f"{lang}.json").read_text(encoding="utf-8-sig"))["exercise"]


def write_pair(out: Path, package: str, roots: dict[str, Path], exercise: str, lang: str) -> str | None:
    newest = roots[list(roots)[-1]]
    source = problem(package, newest, exercise, lang)
    menu = titles(newest, lang)
    english_title = next(
        (t for t in menu if re.sub(r"[^a-z]", "", t.lower()) == re.sub(r"[^a-z]", "", exercise)), None
    )
    if not source.exists() or english_title is None:
        return None
    translation = source.read_text(encoding="utf-8")
    best = None
    for version, root in roots.items():
        path = problem(package, root, exercise, None)
        if path.exists():
            english = path.read_text(encoding="utf-8")
            score = distance(english, translation)
            if best is None or score <= best[0]:
                best = (score, version, english)
    _, version, english = best
    key = f"{package}-{exercise.replace('_', '-')}-{lang}"
    folder = out / "articles" / key
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en.md").write_text(
        f"Title: {english_title}\nDate: 2020-01-01\nCategory: docs\n\n{english}", encoding="utf-8"
    )
    header = f"Title: {menu[english_title]}\nTranslation-Of: en@{revision_of(english)}\n\n"
    (folder / f"{lang}.md").write_text(header + translation, encoding="utf-8")
    english_path, translation_path = (
        problem(package, Path(), exercise, None),
        problem(package, Path(), exercise, lang),
    )
    return f"| {key} | {package}: `{english_path}` @ {version} | `{translation_path}` @ {list(roots)[-1]} |"


def report(root: Path) -> None:
    """The parity rules on a corpus made here, with both Markdown engines, as the tests run them."""
    import datetime

    from press.content.tree import scan_tree
    from press.html.render import markdown_options, render_markdown
    from press.problems import ProblemCollector
    from press.translation.parity import ParityChecker

    languages = sorted({path.stem for path in root.glob("articles/*/*.md")} - {"en"})
    engines = {
        "gfm": markdown_options({}),
        "python-markdown": markdown_options(
            {
                "PRESS_MARKDOWN": "python-markdown",
                "MARKDOWN": {
                    "extension_configs": {"markdown.extensions.extra": {}},
                    "output_format": "html5",
                },
            }
        ),
    }
    for name, options in engines.items():
        problems = ProblemCollector()
        tree = scan_tree(str(root), ["en", *languages], problems)
        ParityChecker(
            tree,
            problems,
            now=datetime.datetime(2030, 1, 1),
            render=lambda body, options=options: render_markdown(options, body),
        ).run()
        found = problems.of_kind("incomplete") + problems.of_kind("untranslated")
        count = sum(1 for group in tree.groups.values() for v in group.versions.values() if v.is_translation)
        print(f"== {name}: {count} translations, {len({p.path for p in found})} reported")
        for problem in found:
            print(f"- {problem.kind} {problem.path}: {problem.message[:240]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--survey", action="store_true", help="every translation of both packages")
    parser.add_argument("--report", action="store_true", help="run the parity rules on OUT (made before)")
    args = parser.parse_args()
    if args.report:
        report(args.out)
        return
    with tempfile.TemporaryDirectory() as work:
        packages = {
            "learnyounode": unpack("learnyounode", LEARNYOUNODE, Path(work)),
            "javascripting": unpack("javascripting", JAVASCRIPTING, Path(work)),
        }
        if args.survey:
            keys = []
            for package, roots in packages.items():
                newest = roots[list(roots)[-1]]
                langs = sorted(p.stem for p in (newest / "i18n").glob("*.json") if p.stem != "en")
                folder = newest / ("exercises" if package == "learnyounode" else "problems")
                exercises = sorted(p.name for p in folder.iterdir() if p.is_dir())
                keys += [(package, exercise, lang) for exercise in exercises for lang in langs]
        else:
            keys = KEYS
        for package, exercise, lang in keys:
            row = write_pair(args.out, package, packages[package], exercise, lang)
            if row:
                print(row)


if __name__ == "__main__":
    main()
