"""Print and e-book editions, checked with the real tools: pdftotext, pdffonts, pdfinfo, epubcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from editions_site import (
    CONTENTS,
    LANGS,
    PERSIAN_WORDS,
    PUBLICATIONS,
    TITLES,
    edition_settings,
    edition_tree,
    words_by_page,
)
from sitebuild import build_module_site, build_tree

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def require(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.fail(
            f"{tool} is missing: run .ci/run (apt-get install poppler-utils epubcheck)", pytrace=False
        )
    return path


def pdf(output: Path, lang: str) -> Path:
    return output / f"{lang}/issues/cl-9/cl-9-{lang}.pdf"


def booklet(output: Path, lang: str) -> Path:
    return output / f"{lang}/issues/cl-9/cl-9-{lang}-booklet.pdf"


def epub(output: Path, lang: str) -> Path:
    return output / f"{lang}/issues/cl-9/cl-9-{lang}.epub"


def visible(text: str) -> str:
    """Text without invisible marks (bidi controls, joiners), which pdftotext adds or drops."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def pdftotext(path: Path) -> str:
    return visible(
        subprocess.run(
            [require("pdftotext"), "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    built = build_module_site(
        root, edition_tree(), overrides={**edition_settings(root), "PRESS_STRICT": True}
    )
    assert built.report == {"problems": []}, built.report
    return built


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    """The same content built again elsewhere, with another cache: for byte identity."""
    root = tmp_path_factory.mktemp("elsewhere") / "another" / "place"
    root.mkdir(parents=True)
    return build_module_site(root, edition_tree(), overrides=edition_settings(root))


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_sets_front_page_then_articles_in_contents_order(site, lang):
    pages = pdftotext(pdf(site.output, lang)).split("\f")
    titles = [visible(TITLES[key][lang]) for key in CONTENTS]
    front, inside = pages[0], "\n".join(pages[1:])
    # the front page: the lead (first of Contents) first, and a contents box naming them all in order
    box = front[front.rindex(titles[0]) :]
    assert front.index(titles[0]) < min(front.index(title) for title in titles[1:])
    assert [box.index(title) for title in titles] == sorted(box.index(title) for title in titles)
    # inside, the other articles follow one another in Contents order, without a page each
    positions = [inside.index(title) for title in titles[1:]]
    assert positions == sorted(positions)
    assert len(pages) - 1 <= 3, len(pages)  # three short articles do not take a page each


def letters_in(word: str, text: str) -> bool:
    """Whether the letters of a word pdftotext -bbox gave (right to left words come reversed) are in text."""
    return not Counter(visible(word)) - Counter(visible(text))


@pytest.mark.parametrize("lang", LANGS)
def test_front_page_has_the_masthead_and_the_leads_headline_as_its_largest_text(site, lang):
    front = pdftotext(pdf(site.output, lang)).split("\f")[0]
    assert visible(PUBLICATIONS["cl"][lang]) in front
    _width, _height, words = words_by_page(pdf(site.output, lang))[0]
    lead = TITLES[CONTENTS[0]][lang]
    tallest = max(y1 - y0 for _x0, y0, _x1, y1, _text in words)
    largest = [(y0, text) for _x0, y0, _x1, y1, text in words if y1 - y0 > tallest - 0.5 and visible(text)]
    assert largest and all(letters_in(text, lead) for _y0, text in largest), (largest, lead)
    # the masthead (the publication's name) sits above the headline, in smaller type
    masthead = [
        (y0, y1 - y0)
        for _x0, y0, _x1, y1, text in words
        if visible(text) and letters_in(text, PUBLICATIONS["cl"][lang]) and y1 - y0 < tallest - 0.5
    ]
    assert masthead and min(y0 for y0, _size in masthead) < min(y0 for y0, _text in largest)


def two_column_lines(page) -> int:
    """Lines of body text with words on both sides of the page's middle and none across it."""
    width, _height, words = page
    middle = width / 2
    heights = sorted(y1 - y0 for _x0, y0, _x1, y1, _text in words)
    body = heights[len(heights) // 2]  # most words on a page are body text
    lines: dict[int, list] = {}
    for x0, y0, x1, y1, _text in words:
        if y1 - y0 < body * 1.2:  # not headlines
            lines.setdefault(round(y0), []).append((x0, x1))
    return sum(
        1
        for spans in lines.values()
        if any(x1 < middle for _x0, x1 in spans)
        and any(x0 > middle for x0, _x1 in spans)
        and not any(x0 < middle < x1 for x0, x1 in spans)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_an_inside_page_sets_text_in_two_columns(site, lang):
    pages = words_by_page(pdf(site.output, lang))
    assert max(two_column_lines(page) for page in pages[1:]) >= 5


def test_pdf_cover_names_publication_number_and_date_in_the_language(site):
    cover = pdftotext(pdf(site.output, "it")).split("\f")[0]
    assert "La Sinistra Comunista" in cover
    assert "4 maggio 2026" in cover


def test_persian_front_page_dates_by_the_solar_hijri_calendar_first(site):
    cover = pdftotext(pdf(site.output, "fa")).split("\f")[0]
    assert "اردیبهشت" in cover and "۱۴۰۵" in cover, cover  # 14 Ordibehesht 1405
    assert "۲۰۲۶" in cover  # then the Gregorian date


@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_embedded(site, lang):
    listing = subprocess.run(
        [require("pdffonts"), str(pdf(site.output, lang))], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "the PDF lists no font"
    for line in listing:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded: {line}"
        assert "Noto" in name, line


def test_persian_words_come_out_of_the_pdf_readable(site):
    text = pdftotext(pdf(site.output, "fa"))
    words = set(re.findall(r"[\u0600-\u06ff]+", text))
    for word in PERSIAN_WORDS:
        assert word in words, f"{word} not readable in the fa PDF"


def test_persian_page_numbers_use_persian_digits(site):
    front, inside = pdftotext(pdf(site.output, "fa")).split("\f")[:2]
    for page in (front, inside):  # the front page's page references, the folios inside
        assert re.search("[۰-۹]", page), page
        assert not re.search("[0-9]", page), page


def test_pdf_metadata_is_dated_by_source_date_epoch_and_names_no_one(site):
    info = subprocess.run(
        [require("pdfinfo"), str(pdf(site.output, "en"))], capture_output=True, text=True, check=True
    ).stdout
    assert "Author:" not in info
    assert "CreationDate:    Sun Jun 21 00:00:00 2026 UTC" in info
    assert "A4" in info


@pytest.mark.parametrize("lang", LANGS)
def test_no_machine_path_in_any_edition(site, lang):
    for path in (
        pdf(site.output, lang),
        booklet(site.output, lang),
        epub(site.output, lang),
        site.output / f"offline/{lang}.zip",
    ):
        data = path.read_bytes()
        assert b"file:" not in data
        assert str(site.output.parent).encode() not in data


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_finds_no_error(site, lang):
    run_epubcheck(epub(site.output, lang))


def run_epubcheck(path: Path) -> None:
    if not EPUBCHECK.exists():
        pytest.fail("epubcheck is missing: run .ci/run (apt-get install epubcheck)", pytrace=False)
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout


def test_epub_sets_language_direction_order_and_images(site):
    with zipfile.ZipFile(epub(site.output, "fa")) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        package = archive.read("EPUB/package.opf").decode()
        nav = archive.read("EPUB/nav.xhtml").decode()
        names = archive.namelist()
    assert "<dc:language>fa</dc:language>" in package
    assert 'page-progression-direction="rtl"' in package
    assert "dc:creator" not in package
    positions = [nav.index(TITLES[key]["fa"]) for key in CONTENTS]  # the EPUB keeps every joiner
    assert positions == sorted(positions)
    assert any(name.startswith("EPUB/images/") and name.endswith(".png") for name in names)
    assert 'media-type="image/png"' in package


def test_issue_page_links_its_pdf_booklet_and_epub(site):
    for lang in LANGS:
        html = site.page(f"{lang}/issues/cl-9/index.html")
        targets = re.findall(r'href="([^"]+\.(?:pdf|epub))"', html)
        assert sorted(Path(target).name for target in targets) == [
            f"cl-9-{lang}-booklet.pdf",
            f"cl-9-{lang}.epub",
            f"cl-9-{lang}.pdf",
        ]
        for target in targets:
            assert (site.output / f"{lang}/issues/cl-9" / target).resolve().is_file(), target


def test_two_builds_give_the_same_bytes(site, second):
    for lang in LANGS:
        assert pdf(site.output, lang).read_bytes() == pdf(second.output, lang).read_bytes(), lang
        assert booklet(site.output, lang).read_bytes() == booklet(second.output, lang).read_bytes(), lang
        assert epub(site.output, lang).read_bytes() == epub(second.output, lang).read_bytes(), lang
        offline = f"offline/{lang}.zip"
        assert (site.output / offline).read_bytes() == (second.output / offline).read_bytes(), lang


def cached_editions(root: Path) -> dict[str, int]:
    """The cached editions (named by their fingerprint) and when each was written."""
    folder = root / "cache" / "press-editions"
    return {
        path.name: path.stat().st_mtime_ns for path in folder.iterdir() if path.suffix in {".pdf", ".epub"}
    }


def test_an_edition_is_set_again_only_when_its_content_changed(tmp_path):
    settings = edition_settings(tmp_path)
    first = build_tree(tmp_path, edition_tree(), overrides=settings)
    assert first.returncode == 0, first.log
    made = cached_editions(tmp_path)
    assert len(made) == 9  # a PDF, a booklet and an EPUB per language
    build_tree(tmp_path, {}, overrides=settings)
    assert cached_editions(tmp_path) == made  # nothing set again
    it_pdf = pdf(first.output, "it").read_bytes()
    changed = edition_tree()["articles/metadata/it.md"].replace("Ogni compagno", "Ogni compagna")
    third = build_tree(tmp_path, {"articles/metadata/it.md": changed}, overrides=settings)
    assert third.returncode == 0, third.log
    now = cached_editions(tmp_path)
    kept = {name: stamp for name, stamp in now.items() if name in made}
    assert len(kept) == 6 and all(made[name] == stamp for name, stamp in kept.items())
    assert len(now) == 9  # the Italian three replaced, the others untouched
    assert pdf(third.output, "it").read_bytes() != it_pdf
    assert "Ogni compagna" in pdftotext(pdf(third.output, "it"))


def test_the_preview_makes_no_editions(tmp_path):
    built = build_tree(
        tmp_path, edition_tree(), overrides={**edition_settings(tmp_path), "PRESS_EDITIONS": False}
    )
    assert built.returncode == 0, built.log
    assert not pdf(built.output, "en").exists()
    assert not (built.output / "offline").exists()
    assert ".pdf" not in built.page("en/issues/cl-9/index.html")


# -- bad input: reported with the file and the fix, never a traceback ---------------------


def test_an_article_missing_in_a_language_is_reported_once_and_printed_in_another(tmp_path):
    built = build_tree(
        tmp_path, edition_tree(persian_missing="school-strike"), overrides=edition_settings(tmp_path)
    )
    assert built.returncode == 0, built.log
    # reported once, as missing (the editions add no second problem for it)
    assert not built.problems("edition")
    assert ("missing", "school-strike", "fa", "articles/school-strike/fa.md") in built.entries("missing")
    text = pdftotext(pdf(built.output, "fa"))
    assert TITLES["school-strike"]["en"] in text
    assert "انگلیسی" in text  # marked with the version's language, in the edition's
    with zipfile.ZipFile(epub(built.output, "fa")) as archive:
        chapter = archive.read("EPUB/article-002-school-strike.xhtml").decode()
    assert 'lang="en" xml:lang="en" dir="ltr"' in chapter
    run_epubcheck(epub(built.output, "fa"))
    # the tagged PDF says the English article is English, for a screen reader
    assert pdf_languages(pdf(built.output, "fa")) == {"fa", "en"}


def pdf_languages(path: Path) -> set[str]:
    """Every /Lang of a PDF, its compressed object streams included."""
    data = path.read_bytes()
    texts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            texts.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return {language.decode() for text in texts for language in re.findall(rb"/Lang\s*\(([^)]*)\)", text)}


def test_an_unreadable_image_is_reported_and_left_out(tmp_path):
    files = edition_tree()
    files["articles/dock-strike/port.png"] = b"\x89PNG\r\n\x1a\n this is not an image"
    built = build_tree(tmp_path, files, overrides=edition_settings(tmp_path))
    # once, by the web build that could not clean it, not again by each language's editions
    problems = [p for p in built.problems() if p["path"] == "articles/dock-strike/port.png"]
    assert [p["kind"] for p in problems] == ["unsafe-file"], built.report
    assert "could not be cleaned" in problems[0]["message"]
    assert pdf(built.output, "en").exists()


def test_an_image_header_out_of_the_folder_is_reported_once(tmp_path):
    """The build's unsafe-file says it; the editions, which leave the picture out, add nothing."""
    files = edition_tree()
    head, body = files["articles/dock-strike/en.md"].split("\n\n", 1)
    files["articles/dock-strike/en.md"] = f"{head}\nImage: ../../../outside.png\n\n{body}"
    built = build_tree(tmp_path, files, overrides=edition_settings(tmp_path))
    said = [p["kind"] for p in built.problems() if p["path"] == "articles/dock-strike/en.md"]
    assert said == ["unsafe-file"], built.report
    assert pdf(built.output, "en").exists()


def test_a_font_without_the_scripts_letters_is_reported_and_no_pdf_is_written(tmp_path):
    settings = edition_settings(tmp_path, PRESS_EDITION_FONTS={"fa": ["Noto Serif"]}, PRESS_STRICT=True)
    built = build_tree(tmp_path, edition_tree(), overrides=settings)
    assert built.returncode != 0
    problems = built.problems("edition")
    assert [(p["lang"], p["path"]) for p in problems] == [("fa", "issues/cl-9/fa.md")]
    assert "no glyph" in problems[0]["message"] and "fonts-noto-core" in problems[0]["message"]
    assert not pdf(built.output, "fa").exists()
    assert pdf(built.output, "en").exists()


def test_a_picture_alone_in_its_paragraph_is_printed_with_its_text_as_caption(site):
    assert "The port at dawn" in pdftotext(pdf(site.output, "en"))
    with zipfile.ZipFile(epub(site.output, "en")) as archive:
        chapter = archive.read("EPUB/article-001-dock-strike.xhtml").decode()
    assert re.search(r"<figure><img [^>]*/><figcaption>The port at dawn</figcaption></figure>", chapter)
