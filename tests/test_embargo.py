"""Embargo (issue 27): before the instant nothing of the key is in any file of a publishing build;
at the instant it is everywhere, in every edition at once; a development build shows it marked."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from sitebuild import article, build_tree, png, terms_document, translation

LANGS = ["en", "it", "fa"]
KEY = "general-strike-call"
TITLES = {
    "en": "The Call for a General Strike",
    "it": "L'appello allo sciopero generale",
    "fa": "فراخوان اعتصاب عمومی",
}
# 2026-06-21 10:00 UTC, and the minute before it
INSTANT = 1782036000
EMBARGO = "2026-06-21 12:00 +02:00"
PUBLICATIONS = {"cl": {"en": "The Communist Left", "it": "La Sinistra Comunista", "fa": "چپ کمونیست"}}
SECTIONS = {"news": {"en": "News", "it": "Notizie", "fa": "اخبار"}}
TAGS = {"strikes": {"en": "strikes", "it": "scioperi", "fa": "اعتصاب"}}
PROSE = {
    "en": "The branches call every worker out on the day named below, in every port and school.",
    "it": "Le sezioni chiamano ogni lavoratore allo sciopero nel giorno indicato, in ogni porto e scuola.",
    "fa": "شاخه‌ها همهٔ کارگران را در روزی که در زیر آمده است، در هر بندر و مدرسه، به اعتصاب فرا می‌خوانند.",
}
OTHER = {
    "en": "The Branch Met on Tuesday",
    "it": "La sezione si è riunita martedì",
    "fa": "شاخه سه‌شنبه گرد آمد",
}


def tree() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "terms.toml": terms_document(sections=SECTIONS, tags=TAGS, publications=PUBLICATIONS)
    }
    original = article(
        TITLES["en"],
        PROSE["en"] + "\n\n![The port](port.png)\n",
        date="2026-06-20",
        embargo=EMBARGO,
        category="news",
        tags="strikes",
        placement="lead",
        summary="Every edition at once.",
    )
    files[f"articles/{KEY}/en.md"] = original
    files[f"articles/{KEY}/port.png"] = png((40, 24))
    for lang in ("it", "fa"):
        files[f"articles/{KEY}/{lang}.md"] = translation(
            original, "en", TITLES[lang], PROSE[lang] + "\n\n![The port](port.png)\n", summary="…"
        )
    other = article(OTHER["en"], "The branch met to discuss the paper.\n", date="2026-06-01", category="news")
    files["articles/branch-met/en.md"] = other
    for lang in ("it", "fa"):
        files[f"articles/branch-met/{lang}.md"] = translation(other, "en", OTHER[lang], f"{OTHER[lang]}.\n")
    issue = article(
        "The Communist Left No. 9",
        "The issue.\n",
        date="2026-06-20",
        publication="cl",
        number="9",
        contents=f"branch-met, {KEY}",
    )
    files["issues/cl-9/en.md"] = issue
    for lang, title in (("it", "La Sinistra Comunista n. 9"), ("fa", "چپ کمونیست شمارهٔ ۹")):
        files[f"issues/cl-9/{lang}.md"] = translation(issue, "en", title, f"{title}.\n")
    return files


def publishing_build(root: Path, epoch: int, **extra):
    overrides = {
        "LANGUAGES": LANGS,
        "PRESS_STRICT": True,
        "PRESS_PUBLISHING": True,
        "SITEURL": "https://press.example.org",
        "CACHE_PATH": str(root / "cache"),
        **extra,
    }
    return build_tree(root, tree(), overrides=overrides, epoch=str(epoch))


def readable_texts(output: Path):
    """(name, bytes) of every output file: gzip copies and zips opened, PDFs as text when possible."""
    pdftotext = shutil.which("pdftotext")
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(output))
        yield name, name.encode()
        data = path.read_bytes()
        yield from opened(name, data)
        if data.startswith(b"%PDF") and pdftotext:
            text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, timeout=120).stdout
            yield name + " (text)", text


def opened(name: str, data: bytes):
    yield name, data
    if data[:2] == b"\x1f\x8b":
        try:
            unzipped = gzip.decompress(data)
        except (OSError, EOFError):
            unzipped = b""
        yield from opened(name + " (gunzipped)", unzipped)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield f"{name}!{member}", member.encode()
                yield from opened(f"{name}!{member}", archive.read(member))


def needles() -> list[bytes]:
    found = [KEY.encode()]
    for title in TITLES.values():
        found.append(title.encode())
        found.append(title.replace("'", "&#39;").encode())
        found.append(title.replace("'", "&#x27;").encode())
        found.append(title.encode("unicode_escape"))  # JSON with \u escapes
    return found


def leaks(output: Path) -> list[str]:
    return sorted({name for name, data in readable_texts(output) for needle in needles() if needle in data})


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    root = tmp_path_factory.mktemp("before")
    built = publishing_build(root, INSTANT - 60, PRESS_EDITIONS=True)
    # fonts missing on this machine make the print edition fail (its own problem); nothing else may
    assert {p["kind"] for p in built.problems()} <= {"edition"}, built.log
    assert built.returncode == (1 if built.problems() else 0), built.log
    return built


def test_before_the_instant_no_file_names_the_key_or_its_titles(before):
    assert before.exists("en/branch-met/index.html")
    assert before.exists("en/issues/cl-9/index.html")
    assert leaks(before.output) == []


def test_the_build_before_the_instant_scans_files_that_would_reveal_it(before):
    # the scan opens what it must: gzip copies and zip members are read
    names = [name for name, _ in readable_texts(before.output)]
    assert any("(gunzipped)" in name for name in names) or not any(n.endswith(".gz") for n in names)
    assert any("!" in name for name in names), "no zip was opened (PRESS_EDITIONS writes offline copies)"


def test_at_the_instant_it_is_in_every_edition_at_once(tmp_path):
    built = publishing_build(tmp_path, INSTANT)
    assert built.returncode == 0, built.log
    for lang in LANGS:
        page = built.page(f"{lang}/{KEY}/index.html")
        assert TITLES[lang].replace("'", "&#39;") in page or TITLES[lang] in page
        front = built.page(f"{lang}/index.html")
        assert f"{KEY}/" in front
        assert f"{KEY}/" in built.page(f"{lang}/feed.xml")
        assert f"{KEY}/" in built.page(f"{lang}/issues/cl-9/index.html")
        assert "Embargoed" not in page
    assert f"/{KEY}/" in built.page("sitemap.xml")
    assert built.exists(f"articles/{KEY}/port.png") or any(built.output.rglob("port*.png"))


def test_a_development_build_shows_it_marked_in_each_language(tmp_path):
    built = build_tree(
        tmp_path,
        tree(),
        overrides={"LANGUAGES": LANGS, "CACHE_PATH": str(tmp_path / "cache")},
        epoch=str(INSTANT - 60),
    )
    assert built.returncode == 0, built.log
    marks = {"en": "Embargoed until", "it": "Sotto embargo fino a", "fa": "تحت ممنوعیت انتشار تا"}
    for lang in LANGS:
        page = built.page(f"{lang}/{KEY}/index.html")
        assert marks[lang] in page, lang
        assert marks[lang] in built.page(f"{lang}/index.html"), lang


def test_an_embargo_that_cannot_be_read_is_reported(tmp_path):
    files = tree()
    files[f"articles/{KEY}/en.md"] = files[f"articles/{KEY}/en.md"].replace(EMBARGO, "21/06/2026")
    built = build_tree(tmp_path, files, overrides={"LANGUAGES": LANGS, "PRESS_SEARCH": False})
    messages = [p["message"] for p in built.problems("invalid-metadata") if p["key"] == KEY]
    assert any("Embargo '21/06/2026'" in message for message in messages), built.report


def test_a_translation_stating_another_embargo_is_a_mismatch(tmp_path):
    files = tree()
    files[f"articles/{KEY}/it.md"] = files[f"articles/{KEY}/it.md"].replace(
        "Translation-Of", "Embargo: 2026-06-21 09:00 +02:00\nTranslation-Of"
    )
    same = tree()
    same[f"articles/{KEY}/fa.md"] = same[f"articles/{KEY}/fa.md"].replace(
        "Translation-Of", "Embargo: 2026-06-21T10:00Z\nTranslation-Of"
    )
    files[f"articles/{KEY}/fa.md"] = same[f"articles/{KEY}/fa.md"]
    built = build_tree(tmp_path, files, overrides={"LANGUAGES": LANGS, "PRESS_SEARCH": False})
    assert {(p["lang"]) for p in built.problems("mismatch")} == {"it"}, built.report
