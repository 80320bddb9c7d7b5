"""Editions stay whole whatever the content holds (issue 21): deep nesting, characters XML refuses,
automatic summaries with pictures, footnotes; and an article's picture (``Image``) on the front page."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import cmarkgfm
import pytest
from editions_site import CONTENTS, PROSE, edition_settings, edition_tree
from sitebuild import FIXED_NOW, PROJECT, build_module_site, terms_toml, write_tree
from test_editions import pdftotext, run_epubcheck

from press.printed.edition_fonts import coverage_problem, font_families
from press.printed.epub_edition import epub_bytes
from press.printed.issue_document import (
    INSERTED,
    MAX_DEPTH,
    EditionArticle,
    FragmentPreparer,
    IssueDocument,
    letters,
)
from press.printed.print_edition import render_booklet, render_pdf

SITEURL = "https://paper.example"


def document_of(tmp_path, title: str, markdown: str) -> IssueDocument:
    """An issue of one article whose body is ``markdown``, made as the pipeline makes it."""
    preparer = FragmentPreparer(tmp_path, "", {})
    body = preparer.prepare(cmarkgfm.github_flavored_markdown_to_html(markdown), "articles/deep/en.md")
    article = EditionArticle("deep", "en", title, "A standfirst.", body, "articles/deep/en.md")
    return IssueDocument(
        key="cl-1",
        lang="en",
        direction="ltr",
        site_name="The Central Organ",
        publication="The Communist Left",
        number_label="The Communist Left No. 1",
        date_label="May 4, 2026",
        title=title,
        intro=[],
        articles=[article],
        contents_label="In this issue",
        date=datetime.datetime(2026, 5, 4),
    )


def depth(element: ET.Element) -> int:
    deepest, stack = 0, [(element, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node)
    return deepest


@pytest.mark.parametrize(
    "markdown",
    [">" * 10_000 + " the bottom of the well\n", "- " * 10_000 + "the last item\n"],
    ids=["10-KB-of-nested-quotes", "10000-nested-list-items"],
)
def test_deeply_nested_markdown_makes_every_edition_without_recursion_error(tmp_path, markdown):
    document = document_of(tmp_path, "Deep", markdown)
    assert max(depth(element) for element in document.articles[0].body) <= MAX_DEPTH + 1
    words = "the bottom of the well" if markdown.startswith(">") else "the last item"
    pdf = render_pdf(document, page_size="A4", families=font_families("en"))
    (tmp_path / "deep.pdf").write_bytes(pdf)
    assert words in " ".join(pdftotext(tmp_path / "deep.pdf").split())  # the text survives flattening
    assert render_booklet(document, families=font_families("en")).startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(epub_bytes(document))) as archive:
        chapter = archive.read("EPUB/article-001-deep.xhtml").decode()
    assert words in chapter


def test_a_title_with_characters_xml_refuses_still_makes_a_valid_epub(tmp_path):
    document = document_of(tmp_path, "Noncharacter \ufffe in \x01 a title\uffff", "Some text.\n")
    path = tmp_path / "title.epub"
    path.write_bytes(epub_bytes(document))
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".opf")):
                text = archive.read(name).decode()
                assert "\ufffe" not in text and "\x01" not in text
                ET.fromstring(text.encode())  # well-formed
    run_epubcheck(path)
    assert render_pdf(document, page_size="A4", families=font_families("en")).startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["en", "fa", "zh", "ru", "hi"])
def test_default_fonts_draw_everything_the_press_inserts(lang):
    """Footnote back-references (U+21A9), list markers, quotation marks: in every script's stack."""
    assert coverage_problem(letters(INSERTED), font_families(lang)) is None


# A word ("strike") in each script the default stacks set, by a language written in it
SCRIPT_SAMPLES = {
    "th": "การนัดหยุดงาน",
    "ta": "வேலைநிறுத்தம்",
    "te": "సమ్మె",
    "kn": "ಮುಷ್ಕರ",
    "ml": "പണിമുടക്ക്",
    "gu": "હડતાળ",
    "pa": "ਹੜਤਾਲ",
    "or": "ଧର୍ମଘଟ",
    "si": "වැඩ වර්ජනය",
    "km": "កូដកម្ម",
    "lo": "ການນັດຢຸດງານ",
    "my": "သပိတ်",
    "bo": "ལས་མཚམས།",
    "am": "የሥራ ማቆም አድማ",
    "ka": "გაფიცვა",
    "hy": "գործադուլ",
    "zh-tw": "罷工",
    "ps": "اعتصاب",
    "he": "שביתה",
    "sr": "штрајк",
}


@pytest.mark.parametrize("lang", sorted(SCRIPT_SAMPLES))
def test_each_script_has_a_default_stack_that_draws_it(lang):
    """A language's editions are set in a font of its script, found from the code alone (CLDR's
    likely script): a Thai or Georgian issue prints without naming fonts in the settings."""
    assert coverage_problem(letters(SCRIPT_SAMPLES[lang] + INSERTED), font_families(lang)) is None


# -- through a real build ------------------------------------------------------------------


def hostile_tree() -> dict[str, str | bytes]:
    """The lead has no Summary (an automatic one, with its picture), a footnote, and an Image."""
    files = edition_tree()
    lead = CONTENTS[0]
    for lang in ("en", "it", "fa"):
        text = files[f"articles/{lead}/{lang}.md"]
        head, body = text.split("\n\n", 1)
        head = "\n".join(line for line in head.splitlines() if not line.startswith("Summary:"))
        if lang == "en":
            head += "\nImage: port.png"
        head += f"\nCaption: {'Dawn over the cranes' if lang == 'en' else 'caption ' + lang}"
        body = "![The port at dawn](port.png)\n\n" + body.replace(PROSE[lang], PROSE[lang] + "[^1]", 1)
        files[f"articles/{lead}/{lang}.md"] = f"{head}\n\n{body}\n[^1]: A note ({lang}).\n"
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import sitebuild

    root = tmp_path_factory.mktemp("hostile")
    files = hostile_tree()
    # the translations carry the original's revision: restamp them after the change above
    original = files[f"articles/{CONTENTS[0]}/en.md"]
    stamp = sitebuild.revision_of(sitebuild.parse_source(original).body)
    for lang in ("it", "fa"):
        path = f"articles/{CONTENTS[0]}/{lang}.md"
        files[path] = "\n".join(
            f"Translation-Of: en@{stamp}" if line.startswith("Translation-Of:") else line
            for line in files[path].split("\n")
        )
    return build_module_site(root, files, overrides={**edition_settings(root), "SITEURL": SITEURL})


def test_the_epub_takes_an_automatic_summary_as_text_and_nothing_from_the_site(site):
    assert not site.problems("edition"), site.problems("edition")
    path = site.output / "en/issues/cl-9/cl-9-en.epub"
    with zipfile.ZipFile(path) as archive:
        chapter = archive.read(f"EPUB/article-001-{CONTENTS[0]}.xhtml").decode()
        everything = b"".join(archive.read(name) for name in archive.namelist())
    standfirst = chapter.split('<p class="standfirst">', 1)[1].split("</p>", 1)[0]
    assert "<" not in standfirst and PROSE["en"][:40] in standfirst
    assert SITEURL.encode() + b"/articles" not in everything  # no picture loaded from the site
    run_epubcheck(path)


@pytest.mark.parametrize("lang", ["en", "it", "fa"])
def test_an_issue_with_a_footnote_is_printed(site, lang):
    path = site.output / f"{lang}/issues/cl-9/cl-9-{lang}.pdf"
    assert path.exists(), site.report
    assert "\u21a9" in pdftotext(path)  # the back-reference is drawn, not refused


def test_the_leads_picture_and_caption_are_on_the_front_page(site):
    path = site.output / "en/issues/cl-9/cl-9-en.pdf"
    front = pdftotext(path).split("\f")[0]
    assert "Dawn over the cranes" in front  # the caption (Caption) under the picture (Image)
    listing = subprocess.run(
        ["pdfimages", "-f", "1", "-l", "1", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "no picture on the front page"


def test_a3_sets_the_inside_pages_in_three_columns(tmp_path):
    from editions_site import words_by_page

    document = document_of(tmp_path, "Three columns", "\n\n".join([PROSE["en"]] * 40) + "\n")
    path = tmp_path / "a3.pdf"
    path.write_bytes(render_pdf(document, page_size="A3", families=font_families("en")))
    width, height, words = words_by_page(path)[1]
    assert abs(width - 841.9) < 1 and abs(height - 1190.6) < 1  # A3 portrait
    # the middles of the two gutters: 14 mm margins, three columns, 6 mm between them
    margin, gap = 14 * 72 / 25.4, 6 * 72 / 25.4
    column = (width - 2 * margin - 2 * gap) / 3
    thirds = (margin + column + gap / 2, margin + 2 * column + 1.5 * gap)
    lines: dict[int, list] = {}
    for x0, y0, x1, _y1, _text in words:
        lines.setdefault(round(y0), []).append((x0, x1))
    three = [
        spans
        for spans in lines.values()
        if not any(x0 < edge < x1 for x0, x1 in spans for edge in thirds)
        and {sum(x0 > edge for edge in thirds) for x0, _x1 in spans} == {0, 1, 2}
    ]
    assert len(three) >= 10, len(three)


# Pelican run with WeasyPrint's system libraries missing (as on a machine without Pango)
WITHOUT_WEASYPRINT = """
import sys
sys.modules["weasyprint"] = None  # "import weasyprint" raises ImportError
from pelican import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_a_machine_without_weasyprint_builds_the_site_and_says_why_there_are_no_editions(
    tmp_path, settings_file
):
    """The README's first command runs on a machine with nothing but Python: the development build
    still writes the site (its issue pages link no editions, the log says what to install); a
    publishing build reports it as an edition problem, which fails it."""
    content, output, report = tmp_path / "content", tmp_path / "output", tmp_path / "report.json"
    write_tree(content, {"terms.toml": terms_toml(), **edition_tree()})
    values = {**edition_settings(tmp_path), "PRESS_REPORT": str(report)}
    command = [sys.executable, "-c", WITHOUT_WEASYPRINT, str(content), "-s", str(PROJECT / settings_file)]
    command += ["-o", str(output), "-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW, PRESS_SITEURL="https://press.example.org")
    result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, env=env, timeout=600)
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    editions = [p for p in problems if p["kind"] == "edition"]
    page = (output / "en" / "issues" / "cl-9" / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in page and ".epub" not in page
    assert not list(output.rglob("*.pdf"))
    if settings_file == "pelicanconf.py":
        assert result.returncode == 0 and not editions, log
        assert "No print editions in this build" in log and "libpango" in log
    else:
        assert result.returncode != 0
        assert [p["message"] for p in editions if "Pango" in p["message"]], problems
