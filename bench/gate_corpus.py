"""How the parity gate does on a real corpus (issue 22): reports on the complete translations,
and omissions planted one at a time.

For the corpus as it is, prints every ``incomplete`` and ``untranslated`` problem (compare
them with the hand-checked lists in tests/). Then, for every translation, deletes each of its
paragraphs whose length is within ``--words`` (English-word equivalents) in turn and counts
how often the gate reports the translation, and how often its message quotes the original's
block that paragraph translated.

    .venv/bin/python bench/gate_corpus.py tests/corpus_rtl --engine gfm --words 40
    .venv/bin/python bench/gate_corpus.py tests/corpus --engine python-markdown --words 5-40
"""

from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "plugins"))

from press.content.headers import parse_source  # noqa: E402
from press.content.tree import scan_tree  # noqa: E402
from press.html.render import markdown_options, render_markdown  # noqa: E402
from press.problems import ProblemCollector  # noqa: E402
from press.translation.alignment import align  # noqa: E402
from press.translation.fidelity import lacks, quote_beginning, read_html  # noqa: E402
from press.translation.parity import ParityChecker  # noqa: E402
from press.translation.segments import body_segments  # noqa: E402

# the four real corpora: tests/corpus, tests/corpus_rtl, tests/corpus_world, tests/corpus_prose
LANGUAGES = ["en", "zh", "ja", "de", "hi", "cs", "fr", "ar", "fa", "he", "ru", "es", "it"]
LANGUAGES += ["ko", "uk", "pt-br", "tr", "vi", "pl", "nl", "nb", "ca"]
PYTHON_MARKDOWN = {
    "PRESS_MARKDOWN": "python-markdown",
    "MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"},
}


def body_of(path: Path) -> str:
    return parse_source(path.read_text(encoding="utf-8")).body


def report_as_it_is(root: Path, options: dict) -> None:
    problems = ProblemCollector()
    tree = scan_tree(str(root), LANGUAGES, problems)

    def render(body: str) -> str:
        return render_markdown(options, body)

    ParityChecker(tree, problems, now=datetime.datetime(2030, 1, 1), render=render).run()
    translations = sum(1 for g in tree.groups.values() for v in g.versions.values() if v.is_translation)
    found = problems.of_kind("incomplete") + problems.of_kind("untranslated")
    print(f"{translations} translations; {len(found)} reported:")
    for problem in found:
        print(f"- {problem.kind} {problem.path}: {problem.message[:300]}")


@dataclass
class Planted:
    """One paragraph of a translation deleted: what the gate then said."""

    key: str
    lang: str
    beginning: str  # the deleted paragraph's first 40 characters
    message: str  # what ``lacks`` reports, "" for nothing
    named: bool  # whether the message quotes the original's block the paragraph translated


def planted_omissions(root: Path, options: dict, low: float, high: float, skip=frozenset()):
    """For each translation under ``root`` (but the content paths in ``skip``), each paragraph
    of ``low`` to ``high`` words, found again among the translation's blocks and paired with
    the original's, deleted in turn: one :class:`Planted` each."""

    def reading(body: str):
        return read_html(render_markdown(options, body))

    for folder in sorted((root / "articles").iterdir()):
        versions = {path.stem: path for path in folder.glob("*.md")}
        original_lang = next(
            lang
            for lang, path in versions.items()
            if "Translation-Of:" not in path.read_text(encoding="utf-8")
        )
        original = reading(body_of(versions[original_lang]))
        mine = original.aligned_blocks(original_lang)
        for lang, path in versions.items():
            if lang == original_lang or f"articles/{folder.name}/{lang}.md" in skip:
                continue
            body = body_of(path)
            theirs = reading(body).aligned_blocks(lang)
            counterpart = {}
            for group, translated in align(mine, theirs).pairs:
                for j in translated:
                    counterpart[j] = group
            for segment in body_segments(body):
                if segment.kind != "paragraph":
                    continue
                alone = reading(segment.source).aligned_blocks(lang)
                if not alone or not low <= alone[0].length < high:
                    continue
                matches = [j for j, block in enumerate(theirs) if block.text.startswith(alone[0].text[:25])]
                if len(matches) != 1 or not counterpart.get(matches[0]):
                    continue  # not found again, or a translator's addition: nothing of the original
                message = "; ".join(
                    lacks(original, reading(body[: segment.start] + body[segment.end :]), original_lang, lang)
                )
                quotes = [f"which begins '{quote_beginning(mine[i].text)}'" for i in counterpart[matches[0]]]
                named = any(quote in message for quote in quotes)
                yield Planted(folder.name, lang, alone[0].text[:40], message, named)


def plant_omissions(root: Path, options: dict, low: float, high: float) -> None:
    planted = list(planted_omissions(root, options, low, high))
    reported = sum(bool(one.message) for one in planted)
    named = sum(one.named for one in planted)
    print(
        f"paragraphs of {low:g} to {high:g} words deleted one at a time: {len(planted)}; "
        f"reported {reported} ({reported / max(len(planted), 1):.1%}); "
        f"the missing block quoted {named} ({named / max(len(planted), 1):.1%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="a content folder: articles/<key>/<lang>.md")
    parser.add_argument("--engine", choices=("gfm", "python-markdown"), default="gfm")
    parser.add_argument("--words", default="40", help="N (N words or more) or N-M")
    args = parser.parse_args()
    options = markdown_options({} if args.engine == "gfm" else PYTHON_MARKDOWN)
    low, _, high = args.words.partition("-")
    report_as_it_is(args.corpus, options)
    plant_omissions(args.corpus, options, float(low), float(high) if high else float("inf"))


if __name__ == "__main__":
    main()
