"""Make tests/corpus_prose from Debian's package debian-handbook (see README.md).

    .venv/bin/python tests/corpus_prose/build.py tests/corpus_prose          # the corpus as committed
    .venv/bin/python tests/corpus_prose/build.py /tmp/survey --report        # the gate's reports on it
    .venv/bin/python tests/corpus_prose/build.py /tmp/survey --survey        # which pages are complete
    .venv/bin/python tests/corpus_prose/build.py /tmp/all --all              # every page, every language

Needs `apt-get` and `dpkg-deb` (it runs `apt-get download debian-handbook=<version>` in a temporary
folder) and the project's markdownify (1.2.3, pinned in requirements.txt): each page of the
handbook's HTML (one per section, made by Publican from DocBook) becomes Markdown, its section's
content only; the page's title becomes the `Title` header. Nothing of the text is edited.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from markdownify import markdownify

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))

from press.content.headers import revision_of

PACKAGE = "debian-handbook"
VERSION = "11.20220922"
HTML = Path("usr/share/doc/debian-handbook/html")
# the press's language codes for the handbook's folders
LANGUAGES = {
    "fr-FR": "fr",
    "es-ES": "es",
    "it-IT": "it",
    "de-DE": "de",
    "pt-BR": "pt-br",
    "ru-RU": "ru",
    "zh-CN": "zh",
    "ar-MA": "ar",
    "ja-JP": "ja",
    "nb-NO": "nb",
    "ca-ES": "ca",
}
# Pages longer than this (English words) are cut at their second-level headings into parts of at
# least PART_WORDS words, the same cut on both sides (a translation made from PO files keeps the
# original's structure).
LONG_PAGE = 3000
PART_WORDS = 1000
# the committed corpus: page -> languages whose translation of it has no paragraph, heading or
# box title left in English (--survey lists them)
PAGES = {
    "foreword": ["it-IT", "de-DE"],
    "preface": ["fr-FR", "es-ES", "ru-RU", "zh-CN", "ar-MA"],
    "sect.who-is-this-book-for": ["ja-JP"],
    "sect.book-structure": ["it-IT", "pt-BR"],
    "sect.acknowledgments": ["pt-BR", "de-DE"],
    "the-debian-project": ["it-IT", "ca-ES", "nb-NO"],
    "sect.foundation-documents": ["es-ES", "pt-BR", "nb-NO"],
    "sect.debian-internals": ["ca-ES"],
    "sect.follow-debian-news": ["ca-ES"],
    "sect.role-of-distributions": ["ca-ES"],
    "sect.release-lifecycle": ["ca-ES"],
    "case-study": ["ru-RU", "ar-MA", "zh-CN"],
    "sect.why-gnu-linux": ["pt-BR", "nb-NO"],
    "sect.why-debian": ["it-IT", "ca-ES"],
    "sect.how-to-migrate": ["nb-NO"],
    "security": ["nb-NO"],
    "sect.kernel-role-and-tasks": ["nb-NO"],
    "sect.user-space": ["fr-FR", "es-ES", "it-IT", "de-DE", "ru-RU"],
    "conclusion": ["nb-NO"],
}


def unpack(work: Path) -> Path:
    subprocess.run(["apt-get", "download", f"{PACKAGE}={VERSION}"], cwd=work, check=True, capture_output=True)
    (deb,) = work.glob(f"{PACKAGE}_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "root")], check=True)
    return work / "root" / HTML


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_markdown(path: Path) -> tuple[str, str]:
    """The page's title and its section's content as Markdown."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    content = soup.select_one("div.chapter, div.section, div.preface, div.appendix")
    for index in content.select("a.indexterm, div.toc"):
        index.decompose()  # index anchors and the chapter's table of contents: no text
    top = content.select_one("div.titlepage")
    heading = top.select_one("h1, h2, h3")
    title, level = one_line(heading.get_text()), int(heading.name[1])
    top.decompose()
    for box in content.select("div.sidebar"):  # the handbook's boxes ("CULTURE …"): quotes
        box.name = "blockquote"
        label = box.select_one("div.titlepage")
        if label is not None:
            paragraph, strong = soup.new_tag("p"), soup.new_tag("strong")
            strong.string = one_line(label.get_text())
            paragraph.append(strong)
            label.replace_with(paragraph)
    for page in content.select("div.titlepage"):
        inner = page.select_one("h2, h3, h4, h5, h6")
        new = soup.new_tag(f"h{int(inner.name[1]) - level + 1}")
        new.string = one_line(inner.get_text())
        page.replace_with(new)
    text = markdownify(
        str(content), heading_style="ATX", bullets="-", escape_underscores=False, escape_asterisks=False
    )
    text = re.sub(r"[ \t]+\n", "\n", text)
    return title, re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def cut_at_headings(body: str) -> list[str]:
    """The body cut before each `## ` heading (not a `## ` line of a code block)."""
    pieces, fenced = [[]], False
    for line in body.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced and pieces[-1]:
            pieces.append([])
        pieces[-1].append(line)
    return ["\n".join(piece) for piece in pieces]


def groups(body: str) -> list[range]:
    """A long page's pieces (cut before its `## ` headings) grouped into parts of PART_WORDS
    words or more: ranges of piece numbers."""
    pieces = cut_at_headings(body)
    if len(body.split()) <= LONG_PAGE:
        return [range(len(pieces))]
    found: list[range] = []
    for number in range(len(pieces)):
        if found and sum(len(pieces[i].split()) for i in found[-1]) < PART_WORDS:
            found[-1] = range(found[-1].start, number + 1)
        else:
            found.append(range(number, number + 1))
    if len(found) > 1 and sum(len(pieces[i].split()) for i in found[-1]) < PART_WORDS:
        last = found.pop()
        found[-1] = range(found[-1].start, last.stop)
    return found


def parts(body: str, grouped: list[range]) -> list[str]:
    pieces = cut_at_headings(body)
    return ["\n".join(pieces[i] for i in group).strip() + "\n" for group in grouped]


def part_title(title: str, piece: str, number: int) -> str:
    return title if number == 0 else one_line(piece.split("\n", 1)[0].lstrip("#"))


def write_pairs(out: Path, html: Path, page: str, folder: str) -> list[str]:
    english_title, english = page_markdown(html / "en-US" / f"{page}.html")
    title, translation = page_markdown(html / folder / f"{page}.html")
    grouped = groups(english)
    if len(cut_at_headings(translation)) != len(cut_at_headings(english)):
        raise ValueError(f"{folder}/{page}.html: not cut where the English is")
    english_parts, translated_parts = parts(english, grouped), parts(translation, grouped)
    lang = LANGUAGES[folder]
    rows = []
    for number, (mine, theirs) in enumerate(zip(english_parts, translated_parts, strict=True)):
        suffix = f"-{number + 1}" if len(english_parts) > 1 else ""
        key = f"handbook-{page.removeprefix('sect.')}{suffix}-{lang}"
        target = out / "articles" / key
        target.mkdir(parents=True, exist_ok=True)
        headers = (
            f"Title: {part_title(english_title, mine, number)}\nDate: 2022-09-22\nCategory: handbook\n\n"
        )
        (target / "en.md").write_text(headers + mine, encoding="utf-8")
        header = f"Title: {part_title(title, theirs, number)}\nTranslation-Of: en@{revision_of(mine)}\n\n"
        (target / f"{lang}.md").write_text(header + theirs, encoding="utf-8")
        part = f" (part {number + 1})" if suffix else ""
        rows.append(f"| {key} | `{page}.html`{part} | `{folder}/` | {len(mine.split())} |")
    return rows


# English words that a paragraph of prose has and a name, a command or an address has not
ENGLISH = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "is",
    "are",
    "in",
    "for",
    "with",
    "that",
    "it",
    "on",
    "by",
    "this",
}


def left_in_english(html: Path, page: str, folder: str) -> int:
    """Paragraphs, headings and box titles of a translated page that are the English's, word for
    word, and English prose (three or more of its commonest words)."""

    def texts(path: Path) -> list[str]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return [one_line(t.get_text()) for t in soup.select("div.para, h1, h2, h3, h4, p.title")]

    english = set(texts(html / "en-US" / f"{page}.html"))
    return sum(
        1
        for text in texts(html / folder / f"{page}.html")
        if text in english and sum(word.lower() in ENGLISH for word in text.split()) >= 3
    )


def report(root: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus_world"))
    from build import report as world_report  # the same report as the third corpus's

    world_report(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--survey", action="store_true", help="list the complete translations of each page")
    parser.add_argument("--all", action="store_true", help="every page in every language, complete or not")
    parser.add_argument("--report", action="store_true", help="run the parity rules on OUT (made before)")
    args = parser.parse_args()
    if args.report:
        report(args.out)
        return
    with tempfile.TemporaryDirectory() as work:
        html = unpack(Path(work))
        if args.survey:
            for page in sorted(p.stem for p in (html / "en-US").glob("*.html")):
                complete = [f for f in LANGUAGES if left_in_english(html, page, f) == 0]
                print(page, " ".join(complete))
            return
        pages = PAGES
        if args.all:
            pages = {p.stem: list(LANGUAGES) for p in sorted((html / "en-US").glob("*.html"))}
        for page, folders in pages.items():
            for folder in folders:
                if page == "index":
                    continue  # the book's title page and table of contents: no section
                for row in write_pairs(args.out, html, page, folder):
                    print(row)


if __name__ == "__main__":
    main()
