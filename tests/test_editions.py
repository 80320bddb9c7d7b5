"""Print and e-book editions, checked with the real tools: pdftotext, pdffonts, pdfinfo, epubcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import build_module_site, build_tree
from editions_site import (
    CONTENTS,
    LANGS,
    PERSIAN_WORDS,
    TITLES,
    edition_settings,
    edition_tree,
)

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
def test_pdf_sets_cover_contents_and_articles_in_contents_order(site, lang):
    text = pdftotext(pdf(site.output, lang))
    pages = text.split("\f")
    titles = [visible(TITLES[key][lang]) for key in CONTENTS]
    toc = next(page for page in pages if all(title in page for title in titles))
    assert [toc.index(title) for title in titles] == sorted(toc.index(title) for title in titles)
    # then each article on its own page, in the same order
    first_pages = [
        next(n for n, page in enumerate(pages) if title in page and page is not toc) for title in titles
    ]
    assert first_pages == sorted(first_pages) and len(set(first_pages)) == 3
    assert pages.index(toc) < first_pages[0]


def test_pdf_cover_names_publication_number_and_date_in_the_language(site):
    cover = pdftotext(pdf(site.output, "it")).split("\f")[0]
    assert "La Sinistra Comunista" in cover
    assert "4 maggio 2026" in cover


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
    toc = pdftotext(pdf(site.output, "fa")).split("\f")[1]
    assert re.search("[۰-۹]", toc), toc
    assert not re.search("[0-9]", toc), toc


def test_pdf_metadata_is_dated_by_source_date_epoch_and_names_no_one(site):
    info = subprocess.run(
        [require("pdfinfo"), str(pdf(site.output, "en"))], capture_output=True, text=True, check=True
    ).stdout
    assert "Author:" not in info
    assert "CreationDate:    Sun Jun 21 00:00:00 2026 UTC" in info
    assert "A4" in info


@pytest.mark.parametrize("lang", LANGS)
def test_no_machine_path_in_any_edition(site, lang):
    for path in (pdf(site.output, lang), epub(site.output, lang), site.output / f"offline/{lang}.zip"):
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


def test_issue_page_links_its_pdf_and_epub(site):
    for lang in LANGS:
        html = site.page(f"{lang}/issues/cl-9/index.html")
        targets = re.findall(r'href="([^"]+\.(?:pdf|epub))"', html)
        assert sorted(Path(target).name for target in targets) == [f"cl-9-{lang}.epub", f"cl-9-{lang}.pdf"]
        for target in targets:
            assert (site.output / f"{lang}/issues/cl-9" / target).resolve().is_file(), target


def test_two_builds_give_the_same_bytes(site, second):
    for lang in LANGS:
        assert pdf(site.output, lang).read_bytes() == pdf(second.output, lang).read_bytes(), lang
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
    assert len(made) == 6  # a PDF and an EPUB per language
    build_tree(tmp_path, {}, overrides=settings)
    assert cached_editions(tmp_path) == made  # nothing set again
    it_pdf = pdf(first.output, "it").read_bytes()
    changed = edition_tree()["articles/metadata/it.md"].replace("Ogni compagno", "Ogni compagna")
    third = build_tree(tmp_path, {"articles/metadata/it.md": changed}, overrides=settings)
    assert third.returncode == 0, third.log
    now = cached_editions(tmp_path)
    kept = {name: stamp for name, stamp in now.items() if name in made}
    assert len(kept) == 4 and all(made[name] == stamp for name, stamp in kept.items())
    assert len(now) == 6  # the Italian pair replaced, the others untouched
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


def test_an_article_missing_in_a_language_is_reported_and_printed_in_another(tmp_path):
    built = build_tree(
        tmp_path, edition_tree(persian_missing="school-strike"), overrides=edition_settings(tmp_path)
    )
    assert built.returncode == 0, built.log
    problems = [p for p in built.problems("edition") if p["lang"] == "fa"]
    assert [p["path"] for p in problems] == ["articles/school-strike/fa.md"]
    assert "invoke translate school-strike fa" in problems[0]["message"]
    text = pdftotext(pdf(built.output, "fa"))
    assert TITLES["school-strike"]["en"] in text
    assert "انگلیسی" in text  # marked with the version's language, in the edition's
    with zipfile.ZipFile(epub(built.output, "fa")) as archive:
        chapter = archive.read("EPUB/article-002-school-strike.xhtml").decode()
    assert 'lang="en" xml:lang="en" dir="ltr"' in chapter
    run_epubcheck(epub(built.output, "fa"))


def test_an_unreadable_image_is_reported_and_left_out(tmp_path):
    files = edition_tree()
    files["articles/dock-strike/port.png"] = b"\x89PNG\r\n\x1a\n this is not an image"
    built = build_tree(tmp_path, files, overrides=edition_settings(tmp_path))
    problems = built.problems("edition")
    assert problems, built.report
    assert {p["path"] for p in problems} == {"articles/dock-strike/port.png"}
    assert "cannot be read" in problems[0]["message"] and "replace it" in problems[0]["message"]
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
