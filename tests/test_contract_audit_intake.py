"""An outside checker's audit of the contract's §1, §2 (settings), §3 and §6.

Black box: content laid out as in §1 is built with ``pelican DIR -s pelicanconf.py|publishconf.py
-o OUT -e …`` in a process of its own, and only the report JSON, the exit code and the written
files are read. Revisions are computed here from the contract's words (SHA-256 of the normalised
body), not with the press's own function. One development build of a tree with many planted
problems is shared by most tests; a few small builds check what needs a build of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import FIXED_NOW, PROJECT, build_tree, png, terms_document, terms_toml, write_tree

LANGUAGES = ["en", "it", "sv"]
PREPARING = ["de"]


def outside_revision(body: str) -> str:
    """§3 word for word: CRLF to LF, trailing white space off every line, leading and trailing
    blank lines off, SHA-256 of the UTF-8, its first 12 hex digits."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def source(headers: dict[str, str], body: str, newline: str = "\n") -> str:
    head = newline.join(f"{name}: {value}" for name, value in headers.items())
    return head + newline + newline + body


def version(title: str, body: str, **headers: str) -> str:
    return source({"Title": title, **{k.replace("_", "-").title(): v for k, v in headers.items()}}, body)


def stamped(original_body: str, lang: str, title: str, body: str, **headers: str) -> str:
    return version(title, body, translation_of=f"{lang}@{outside_revision(original_body)}", **headers)


# -- the planted tree --------------------------------------------------------------------------

EN_BODY = "Dockers at the port voted to strike on Monday.\n\nThe union called a meeting for Friday.\n"
IT_BODY = "I portuali hanno votato lo sciopero lunedì.\n\nIl sindacato ha convocato una riunione venerdì.\n"
SV_BODY = "Hamnarbetarna röstade för strejk på måndag.\n\nFacket kallade till möte på fredag.\n"

# An original written on Windows, with trailing spaces and blank lines around its body.
CRLF_BODY = (
    "\r\n  \r\n\r\nDockers at the port voted to strike on Monday.   \r\n\r\n"
    "The union called a meeting.\t\r\n\t\r\n\r\n"
)
CRLF_CLEAN = "Dockers at the port voted to strike on Monday.\n\nThe union called a meeting."

GLOSSARY = """\
[glossary.central-organ]
en = ["central organ", "central organs"]
it = ["organo centrale", "organi centrali"]
sv = "centralorgan"
"""

GLOSSED_BODY = "The central organ spoke to the dockers at length today.\n"
GLOSSED_FMT_IT = "L'**organo** centrale ha parlato a lungo ai portuali oggi.\n"
GLOSSED_FMT_EN = "The **central** organ spoke to the dockers at length today.\n"

EDITORIAL_ORIGINAL = {
    "date": "2026-05-01",
    "category": "news",
    "tags": "docks",
    "placement": "feature",
    "order": "1",
    "until": "2026-06-30",
    "languages": "en, it",
    "image": "photo.png",
    "embargo": "2026-05-01T08:00Z",
    "correction": "2026-05-02",
    "correction_note": "A date was wrong.",
}
EDITORIAL_OTHER = {
    "date": "2026-05-03",
    "category": "strikes",
    "tags": "schools",
    "placement": "editorial",
    "order": "2",
    "until": "2026-06-29",
    "languages": "en, it, sv",
    "image": "other.png",
    "embargo": "2026-05-01T09:00Z",
    "correction": "2026-05-04",
    "correction_note": "Una data era sbagliata.",
}

LONELY_TERMS = """
[tags.lonely]
en = "lonely"

[tags.unused-lonely]
en = "unused lonely"
"""


def pair_headers(**extra: str) -> dict[str, str]:
    return {"date": "2026-05-01", "category": "news", **extra}


def planted() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "terms.toml": terms_toml() + LONELY_TERMS,
        "glossary.toml": GLOSSARY,
        # A clean key in every language: no problem of any kind.
        "articles/clean/en.md": version("Dockers strike", EN_BODY, **pair_headers()),
        "articles/clean/it.md": stamped(EN_BODY, "en", "Sciopero dei portuali", IT_BODY),
        "articles/clean/sv.md": stamped(EN_BODY, "en", "Hamnarbetarna strejkar", SV_BODY),
        # Revision: CRLF, trailing spaces, blank lines; one translation stamped by §3's rule, one
        # stamped with the hash of the body as it lies in the file (stale).
        "articles/crlf/en.md": source(
            {"Title": "Windows file", "Date": "2026-05-02", "Category": "news", "Languages": "en, it, sv"},
            CRLF_BODY,
            newline="\r\n",
        ),
        "articles/crlf/it.md": stamped(CRLF_BODY, "en", "File di Windows", IT_BODY),
        "articles/crlf/sv.md": version(
            "Windowsfil",
            SV_BODY,
            translation_of="en@" + hashlib.sha256(CRLF_BODY.encode()).hexdigest()[:12],
        ),
        # A byte order mark before the first header.
        "articles/bom/en.md": "\ufeff" + version("Marked file", EN_BODY, **pair_headers(languages="en")),
        # Dates: T, seconds, Z, offsets are read; anything else is invalid-metadata.
        "articles/date-t/en.md": version(
            "Date T", EN_BODY, date="2026-05-01T10:00", category="news", languages="en"
        ),
        "articles/date-sec/en.md": version(
            "Date seconds", EN_BODY, date="2026-05-01 10:00:30", category="news", languages="en"
        ),
        "articles/date-z/en.md": version(
            "Date zulu", EN_BODY, date="2026-05-01T10:00:30Z", category="news", languages="en"
        ),
        "articles/date-us/en.md": version(
            "Date us", EN_BODY, date="05/11/2026", category="news", languages="en"
        ),
        "articles/date-short/en.md": version(
            "Date short", EN_BODY, date="2026-5-1", category="news", languages="en"
        ),
        "articles/date-words/en.md": version(
            "Date words", EN_BODY, date="May 1, 2026", category="news", languages="en"
        ),
        # missing: default Languages (all), and a subset.
        "articles/alone/en.md": version("Alone", EN_BODY, **pair_headers()),
        "articles/subset/en.md": version("Subset Zanzibar", EN_BODY, **pair_headers(languages="en, it")),
        # stale, orphan, multiple-originals.
        "articles/stale/en.md": version("Stale", EN_BODY, **pair_headers(languages="en, it")),
        "articles/stale/it.md": version("Vecchio", IT_BODY, translation_of="en@0123456789ab"),
        "articles/orphan/en.md": version("Orphan", EN_BODY, **pair_headers(languages="en, sv")),
        "articles/orphan/sv.md": stamped(EN_BODY, "it", "Föräldralös", SV_BODY),
        "articles/twins/en.md": version("Twins", EN_BODY, **pair_headers(languages="en, it")),
        "articles/twins/it.md": version("Gemelli", IT_BODY, **pair_headers(languages="en, it")),
        # mismatch: another value is one; the same value is not.
        "articles/mismatch/en.md": version("Mismatch", EN_BODY, **pair_headers(languages="en, it, sv")),
        "articles/mismatch/it.md": stamped(EN_BODY, "en", "Discrepanza", IT_BODY, category="strikes"),
        "articles/mismatch/sv.md": stamped(EN_BODY, "en", "Avvikelse", SV_BODY, category="news"),
        # unknown-language (de is being prepared: not unknown).
        "articles/tongue/en.md": version("Tongue", EN_BODY, **pair_headers(languages="en")),
        "articles/tongue/xx.md": stamped(EN_BODY, "en", "Xx", "Xx xx xx.\n"),
        "articles/tongue/de.md": stamped(EN_BODY, "en", "Zunge", "Hafenarbeiter streikten am Montag.\n"),
        # invalid-metadata: a translation without a title, Author, a bad key, an unknown placement,
        # an unknown term; terms by their name in the original's language are not unknown.
        "articles/untitled/en.md": version("Untitled", EN_BODY, **pair_headers(languages="en, it")),
        "articles/untitled/it.md": "Translation-Of: en@" + outside_revision(EN_BODY) + "\n\n" + IT_BODY,
        "articles/Bad_Key/en.md": version("Bad key", EN_BODY, **pair_headers(languages="en")),
        "articles/-dash/en.md": version("Dash key", EN_BODY, **pair_headers(languages="en")),
        "articles/placed/en.md": version(
            "Placed", EN_BODY, **pair_headers(languages="en", placement="headline")
        ),
        "articles/unterm/en.md": version("Unterm", EN_BODY, **pair_headers(languages="en", tags="nonesuch")),
        "articles/byname/it.md": version(
            "Per nome",
            IT_BODY,
            date="2026-05-03",
            category="Scioperi",
            tags="scioperi, porti",
            languages="it",
        ),
        # Every problem of a file, not only the first.
        "articles/many/en.md": version(
            "Many", EN_BODY, date="05/11/2026", catgory="news", author="Someone", languages="en"
        ),
        # A Lang header must agree with the file name.
        "articles/langhead/en.md": version("Lang head", EN_BODY, **pair_headers(languages="en", lang="it")),
        "articles/langok/en.md": version("Lang ok", EN_BODY, **pair_headers(languages="en", lang="en")),
        # untranslated-term: a tag named in English only, used by a key and unused.
        "articles/lonely/en.md": version("Lonely", EN_BODY, **pair_headers(languages="en", tags="lonely")),
        # terminology: the Italian lacks the phrase; the Swedish has it in its Summary only.
        "articles/gloss/en.md": version(
            "The central organ speaks", EN_BODY + "\nSo says the Central Organ.\n", **pair_headers()
        ),
        "articles/gloss/it.md": stamped(
            EN_BODY + "\nSo says the Central Organ.\n",
            "en",
            "Il giornale parla",
            IT_BODY + "\nCosì dice il giornale.\n",
        ),
        "articles/gloss/sv.md": stamped(
            EN_BODY + "\nSo says the Central Organ.\n",
            "en",
            "Tidningen talar",
            SV_BODY + "\nSå säger tidningen.\n",
            summary="Ett ord från centralorgan",
        ),
        # placement-conflict: two active leads.
        "articles/lead-one/en.md": version(
            "Lead one", EN_BODY, **pair_headers(languages="en", placement="lead")
        ),
        "articles/lead-two/en.md": version(
            "Lead two", EN_BODY, **pair_headers(languages="en", placement="lead")
        ),
        # unsafe-html: loading from another host.
        "articles/remote/en.md": version(
            "Remote",
            EN_BODY + '\n<img src="https://tracker.example/pixel.png" alt="x">\n',
            **pair_headers(languages="en"),
        ),
        # Same rules in issues/ and pages/: unknown headers, missing versions, bad keys.
        "pages/about/en.md": version("About", EN_BODY, placment="lead"),
        "issues/7/en.md": version(
            "Issue seven", EN_BODY, publication="communist-left", number="7", contents="clean", languages="en"
        ),
        "articles/far-header/en.md": version(
            "Far header",
            EN_BODY,
            **pair_headers(languages="en", xyzzy="1", slug="far", modified="2026-05-02"),
        ),
        "issues/7/it.md": stamped(EN_BODY, "en", "Numero sette", IT_BODY, catgory="news"),
        "pages/About_Us/en.md": version("About us", EN_BODY, languages="en"),
        # No version names a person, a translation neither.
        "articles/authtr/en.md": version("Author tr", EN_BODY, **pair_headers(languages="en, it")),
        "articles/authtr/it.md": stamped(EN_BODY, "en", "Autore tr", IT_BODY, authors="Mario Rossi"),
        # The same value written otherwise is not another value: no mismatch.
        "articles/sameval/en.md": version(
            "Same val", EN_BODY, **pair_headers(languages="en, it", tags="docks, strikes")
        ),
        "articles/sameval/it.md": stamped(
            EN_BODY, "en", "Stesso valore", IT_BODY, date="2026-05-01T00:00Z", tags="strikes, docks"
        ),
        # A file that is not UTF-8, and an empty one: problems, not a failed build.
        "articles/latin/en.md": (
            b"Title: Caf\xe9\nDate: 2026-05-01\nCategory: news\nLanguages: en\n\nCaf\xe9.\n"
        ),
        "articles/empty/en.md": "",
        # A glossary phrase in the original's share caption asks for the term in the translation.
        "articles/share/en.md": version(
            "Share gloss", EN_BODY, **pair_headers(languages="en, it", share="The central organ says so")
        ),
        "articles/share/it.md": stamped(EN_BODY, "en", "Condivisione", IT_BODY),
        # Emphasis on one word of a glossary phrase: a reader still reads the phrase.
        "articles/gloss-fmt/en.md": version("Organ speaks", GLOSSED_BODY, **pair_headers(languages="en, it")),
        "articles/gloss-fmt/it.md": stamped(GLOSSED_BODY, "en", "Parla il giornale", GLOSSED_FMT_IT),
        "articles/gloss-fmt-orig/en.md": version(
            "Organ speaks again", GLOSSED_FMT_EN, **pair_headers(languages="en, it")
        ),
        "articles/gloss-fmt-orig/it.md": stamped(
            GLOSSED_FMT_EN,
            "en",
            "Parla di nuovo il giornale",
            "Il giornale ha parlato a lungo ai portuali oggi.\n",
        ),
        # Each version's own headers are no mismatch; an Image outside its folder is unsafe.
        "articles/own/en.md": version("Own", EN_BODY, **pair_headers(languages="en, it", image="photo.png")),
        "articles/own/photo.png": png(),
        "articles/own/it.md": stamped(
            EN_BODY,
            "en",
            "Propri",
            IT_BODY,
            summary="Un riassunto",
            share="Una didascalia per condividere",
            caption="La foto",
        ),
        "articles/img-out/en.md": version(
            "Img out", EN_BODY, **pair_headers(languages="en", image="../own/photo.png")
        ),
        # Editorial dates and numbers that cannot be read; an issue's own headers.
        "articles/corr/en.md": version(
            "Corr", EN_BODY, **pair_headers(languages="en", correction="yesterday")
        ),
        "articles/until/en.md": version(
            "Until", EN_BODY, **pair_headers(languages="en", placement="feature", until="soon")
        ),
        "articles/order/en.md": version(
            "Order", EN_BODY, **pair_headers(languages="en", placement="feature", order="first")
        ),
        "issues/9/en.md": version(
            "Issue nine",
            EN_BODY,
            date="2026-05-01",
            publication="nonesuch",
            number="nine",
            contents="nokey, clean",
            languages="en",
        ),
        # The gate: a copy is untranslated, a translation without a paragraph incomplete.
        "articles/copy/en.md": version("Copy story", EN_BODY, **pair_headers(languages="en, it")),
        "articles/copy/it.md": stamped(EN_BODY, "en", "Copy story", EN_BODY),
        "articles/short/en.md": version("Short story", EN_BODY, **pair_headers(languages="en, it")),
        "articles/short/it.md": stamped(EN_BODY, "en", "Storia corta", IT_BODY.split("\n\n")[0] + "\n"),
        # A translation stating every editorial header with another value: a mismatch for each.
        "articles/mism-all/en.md": version("Every header", EN_BODY, **EDITORIAL_ORIGINAL),
        "articles/mism-all/photo.png": png(),
        "articles/mism-all/other.png": png(),
        "articles/mism-all/it.md": stamped(EN_BODY, "en", "Ogni intestazione", IT_BODY, **EDITORIAL_OTHER),
        "issues/8/en.md": version(
            "Issue eight",
            EN_BODY,
            date="2026-05-01",
            publication="communist-left",
            number="8",
            contents="clean",
        ),
        "issues/8/it.md": stamped(
            EN_BODY, "en", "Numero otto", IT_BODY, publication="nonesuch", number="9", contents="crlf"
        ),
        # unsafe-file: a stray file beside versions.
        "articles/clean/notes.txt": "PRIVATE-NOTE-ZEBRA\n",
    }
    return files


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-dev")
    return build_tree(
        root,
        planted(),
        overrides={"LANGUAGES": LANGUAGES, "PRESS_PREPARING": PREPARING, "PRESS_STRICT": False},
    )


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-strict")
    return build_tree(
        root,
        planted(),
        settings_file="publishconf.py",
        overrides={"LANGUAGES": LANGUAGES, "PRESS_PREPARING": PREPARING, "PRESS_SEARCH": False},
    )


def of_key(built, key, kind=None, lang=None):
    return [p for p in built.problems(kind) if p["key"] == key and (lang is None or p["lang"] == lang)]


def messages(built, key, kind=None):
    return " ".join(p["message"] for p in of_key(built, key, kind))


# -- §6: the report's form ----------------------------------------------------------------------


def test_the_development_build_writes_the_site_despite_problems(dev):
    assert dev.returncode == 0, dev.log
    assert dev.exists("en/clean/index.html") and dev.exists("it/clean/index.html")
    assert dev.problems()


@pytest.mark.parametrize("which", ["dev", "strict"])
def test_every_problem_has_the_reports_fields_and_a_path_relative_to_content(request, which):
    built = request.getfixturevalue(which)
    content = str(built.content)
    for problem in built.problems():
        assert {"kind", "key", "lang", "path", "message"} <= set(problem), problem
        path = problem["path"]
        assert path and not path.startswith("/") and ".." not in Path(path).parts, problem
        assert content not in path and content not in problem["message"], problem
        assert problem["message"].strip(), problem


def test_the_build_wrote_nothing_into_the_content_folder(dev):
    written = {str(path.relative_to(dev.content)) for path in dev.content.rglob("*") if path.is_file()}
    assert written == set(planted()), sorted(written ^ set(planted()))


def test_the_clean_key_has_no_problem(dev):
    assert [p for p in of_key(dev, "clean") if p["kind"] != "unsafe-file"] == []


# -- §3: revisions --------------------------------------------------------------------------


def test_a_translation_stamped_by_the_contracts_revision_rule_is_not_stale(dev):
    assert not of_key(dev, "crlf", "stale", "it")


def test_a_translation_stamped_with_the_unnormalised_body_is_stale(dev):
    assert hashlib.sha256(CRLF_BODY.encode()).hexdigest()[:12] != outside_revision(CRLF_BODY)
    assert outside_revision(CRLF_BODY) == hashlib.sha256(CRLF_CLEAN.encode()).hexdigest()[:12]
    [problem] = of_key(dev, "crlf", "stale", "sv")
    assert problem["path"] == "articles/crlf/sv.md"


def test_a_crlf_original_has_no_header_problem(dev):
    assert not [p for p in of_key(dev, "crlf") if p["kind"] in ("invalid-metadata", "unknown-header")]
    assert "Windows file" in dev.page("en/crlf/index.html")


def test_a_byte_order_mark_before_the_headers_is_not_part_of_them(dev):
    assert of_key(dev, "bom") == []
    assert "Marked file" in dev.page("en/bom/index.html")


# -- §3: dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["date-t", "date-sec", "date-z"])
def test_dates_with_t_seconds_and_zulu_are_read(dev, key):
    assert of_key(dev, key) == []
    assert dev.exists(f"en/{key}/index.html")


@pytest.mark.parametrize(
    ("key", "value"), [("date-us", "05/11/2026"), ("date-short", "2026-5-1"), ("date-words", "May 1, 2026")]
)
def test_any_other_date_is_invalid_metadata_naming_its_value(dev, key, value):
    [problem] = of_key(dev, key, "invalid-metadata")
    assert problem["path"] == f"articles/{key}/en.md" and value in problem["message"]


# -- §6: each kind, with key, lang and path -------------------------------------------------

EXPECTED = {
    ("missing", "alone", "it"),
    ("missing", "alone", "sv"),
    ("missing", "subset", "it"),
    ("stale", "stale", "it"),
    ("orphan", "orphan", "sv"),
    ("mismatch", "mismatch", "it"),
    ("unknown-language", "tongue", "xx"),
    ("invalid-metadata", "untitled", "it"),
    ("invalid-metadata", "placed", "en"),
    ("invalid-metadata", "unterm", "en"),
    ("untranslated-term", "lonely", "it"),
    ("untranslated-term", "lonely", "sv"),
    ("terminology", "gloss", "it"),
    ("unsafe-html", "remote", "en"),
    ("unknown-header", "about", "en"),
    ("unknown-header", "7", "it"),
    ("missing", "about", "it"),
    ("missing", "about", "sv"),
    ("invalid-metadata", "authtr", "it"),
    ("invalid-metadata", "latin", "en"),
    ("invalid-metadata", "empty", "en"),
    ("terminology", "share", "it"),
    ("unsafe-file", "img-out", "en"),
    ("invalid-metadata", "corr", "en"),
    ("invalid-metadata", "until", "en"),
    ("invalid-metadata", "order", "en"),
    ("untranslated", "copy", "it"),
    ("incomplete", "short", "it"),
}


def test_an_issues_unreadable_headers_are_each_reported(dev):
    text = messages(dev, "9", "invalid-metadata")
    assert "nonesuch" in text and "nine" in text and "nokey" in text, text


def test_an_incomplete_translation_is_told_the_beginning_of_the_missing_paragraph(dev):
    assert "The union called a meeting" in messages(dev, "short", "incomplete")


def test_each_versions_own_headers_are_no_problem(dev):
    assert of_key(dev, "own") == []


def test_emphasis_inside_a_glossary_phrase_still_counts_as_the_phrase(dev):
    assert not of_key(dev, "gloss-fmt", "terminology")


def test_emphasis_inside_an_originals_glossary_phrase_still_asks_the_translation(dev):
    assert of_key(dev, "gloss-fmt-orig", "terminology", "it")


def test_every_planted_problem_is_reported_at_once(dev):
    found = {(p["kind"], p["key"], p["lang"]) for p in dev.problems()}
    assert found >= EXPECTED, sorted(EXPECTED - found)


def test_multiple_originals_names_the_key(dev):
    assert of_key(dev, "twins", "multiple-originals")


def test_a_missing_version_is_only_reported_for_the_editions_of_its_languages(dev):
    assert not of_key(dev, "subset", "missing", "sv")
    assert "Subset Zanzibar" in dev.page("it/index.html")
    assert "Subset Zanzibar" not in dev.page("sv/index.html")


@pytest.mark.parametrize("header", [name for name in EDITORIAL_OTHER if name != "correction_note"])
def test_a_translation_stating_any_editorial_header_otherwise_is_a_mismatch(dev, header):
    name = header.title()
    found = [p for p in of_key(dev, "mism-all", "mismatch", "it") if f" {name} is " in p["message"]]
    assert found, (name, of_key(dev, "mism-all"))
    assert found[0]["path"] == "articles/mism-all/it.md"


@pytest.mark.parametrize("header", ["Publication", "Number", "Contents"])
def test_an_issue_translation_stating_its_headers_otherwise_is_a_mismatch(dev, header):
    assert [p for p in of_key(dev, "8", "mismatch", "it") if f" {header} is " in p["message"]], of_key(
        dev, "8"
    )


def test_a_translation_stating_the_same_value_is_no_mismatch(dev):
    assert not of_key(dev, "mismatch", lang="sv")
    assert not of_key(dev, "sameval")


def test_a_file_that_is_not_utf8_is_told_to_be_saved_as_utf8(dev):
    [problem] = of_key(dev, "latin")
    assert problem["path"] == "articles/latin/en.md" and "UTF-8" in problem["message"]


def test_a_language_being_prepared_is_not_unknown_and_is_built_as_a_preview(dev):
    assert not of_key(dev, "tongue", "unknown-language", lang="de")
    assert dev.exists("de/tongue/index.html")
    assert not dev.exists("xx/tongue/index.html")


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("Bad_Key", "articles/Bad_Key/en.md"),
        ("-dash", "articles/-dash/en.md"),
        ("About_Us", "pages/About_Us/en.md"),
    ],
)
def test_a_bad_key_is_invalid_metadata_with_its_path(dev, key, path):
    assert path in {p["path"] for p in dev.problems("invalid-metadata")}, dev.problems("invalid-metadata")


def test_every_problem_of_one_file_is_reported(dev):
    kinds = sorted(p["kind"] for p in of_key(dev, "many"))
    assert kinds.count("invalid-metadata") >= 2 and "unknown-header" in kinds, kinds
    text = messages(dev, "many")
    assert "05/11/2026" in text and "Author" in text and "Category" in text


def test_a_lang_header_that_disagrees_with_the_file_name_is_a_problem(dev):
    assert of_key(dev, "langhead"), "Lang: it in en.md was accepted"
    assert of_key(dev, "langok") == []


def test_terms_named_in_the_originals_language_are_known_and_linked(dev):
    assert of_key(dev, "byname") == []
    page = dev.page("it/byname/index.html")
    for link in ("it/section/scioperi/", "it/tag/scioperi/", "it/tag/porti/"):
        assert link in page and dev.exists(link + "index.html"), link


def test_a_term_without_a_name_in_a_published_language_is_reported_even_unused(dev, strict):
    def langs(built):
        return {p["lang"] for p in built.problems("untranslated-term") if p["key"] == "unused-lonely"}

    assert langs(dev) >= {"it", "sv"}, dev.problems("untranslated-term")
    # The publishing build leaves the language being prepared out: its names are not asked for.
    assert langs(strict) == {"it", "sv"}, strict.problems("untranslated-term")
    assert {p["path"] for p in strict.problems("untranslated-term")} == {"terms.toml"}


def test_terminology_names_the_term_and_the_expected_phrases(dev):
    [problem] = of_key(dev, "gloss", "terminology", "it")
    assert "central-organ" in problem["message"] and "organo centrale" in problem["message"]
    assert problem["path"] == "articles/gloss/it.md"


def test_a_phrase_in_a_translations_summary_counts(dev):
    assert not of_key(dev, "gloss", "terminology", "sv")


def test_unknown_headers_in_pages_and_issues_name_the_closest_known_one(dev):
    assert "Placement" in messages(dev, "about", "unknown-header")
    assert "Category" in messages(dev, "7", "unknown-header")
    paths = {p["path"] for p in dev.problems("unknown-header")}
    assert {"pages/about/en.md", "issues/7/it.md"} <= paths


def test_an_unknown_header_unlike_any_known_one_still_names_the_closest(dev):
    documented = set(re.findall(r"^\| `([A-Za-z-]+)` \|", (PROJECT / "docs/headers.md").read_text(), re.M))
    found = of_key(dev, "far-header", "unknown-header")
    assert len(found) == 3, found
    for problem in found:
        named = set(re.findall(r"`([A-Za-z-]+)`", problem["message"]))
        assert named & documented, problem["message"]


def test_html_loading_from_another_host_never_reaches_a_page(dev):
    assert "tracker.example" not in dev.page("en/remote/index.html")


def test_a_stray_file_is_unsafe_and_not_copied(dev):
    assert "articles/clean/notes.txt" in {p["path"] for p in dev.problems("unsafe-file")}
    assert not any(
        "PRIVATE-NOTE-ZEBRA" in p.read_text(errors="replace") for p in dev.output.rglob("*") if p.is_file()
    )


def test_two_active_leads_are_a_placement_conflict(dev):
    keys = {p["key"] for p in dev.problems("placement-conflict")}
    assert keys & {"lead-one", "lead-two"}, dev.problems("placement-conflict")


# -- §2 and §6: the strict publishing build of the same tree -----------------------------------


def test_strict_build_fails_after_writing_the_whole_report(dev, strict):
    assert strict.returncode != 0
    dev_entries = {e for e in dev.entries() if e[2] != "de"}
    assert dev_entries <= strict.entries(), sorted(dev_entries - strict.entries())


# -- §2 PRESS_PREPARING and §3 Embargo: a clean publishing build -------------------------------

EMBARGOED = {
    # Now is 2026-06-21 00:00 UTC (SOURCE_DATE_EPOCH). Noon: still under embargo.
    "zyxsecret": ("2026-06-21T12:00Z", "Quetzalcoatl Rising", "Quetzalcoatl sorge"),
    # 2026-06-20 23:30 at -01:00 is 00:30 UTC: still under embargo (read without its offset, past).
    "zyxlate": ("2026-06-20T23:30-01:00", "Ocelotl Waiting", "Ocelotl attende"),
}
# 2026-06-21 01:00 at +02:00 is 23:00 UTC the day before: published (read without its offset, not).
RELEASED = ("zyxpast", "2026-06-21T01:00+02:00", "Released Tapir", "Tapiro liberato")


def prepared_tree() -> dict[str, str]:
    files = {}
    for key, embargo, en_title, it_title in [
        ("ready", None, "Ready story", "Storia pronta"),
        ("other", None, "Other story", "Altra storia"),
        *[(key, *values) for key, values in EMBARGOED.items()],
        RELEASED,
    ]:
        headers = pair_headers(**({"embargo": embargo} if embargo else {}))
        files[f"articles/{key}/en.md"] = version(en_title, EN_BODY, **headers)
        files[f"articles/{key}/it.md"] = stamped(EN_BODY, "en", it_title, IT_BODY)
    body = (
        "Die Hafenarbeiter stimmten am Montag für den Streik.\n\n"
        "Die Gewerkschaft rief für Freitag zu einer Versammlung.\n"
    )
    files["articles/ready/de.md"] = stamped(EN_BODY, "en", "Fertige Geschichte", body)
    return files


PREPARED_SETTINGS = {"LANGUAGES": ["en", "it"], "PRESS_PREPARING": ["de"], "PRESS_SEARCH": False}


@pytest.fixture(scope="module", params=["strict", "not-strict"])
def published(request, tmp_path_factory):
    """The publishing build (publishconf.py), as is and with -e PRESS_STRICT=false: still publishing."""
    root = tmp_path_factory.mktemp("audit-publish")
    overrides = {**PREPARED_SETTINGS, **({"PRESS_STRICT": False} if request.param == "not-strict" else {})}
    return build_tree(root, prepared_tree(), settings_file="publishconf.py", overrides=overrides)


def every_file_text(built) -> dict[str, str]:
    return {
        str(path.relative_to(built.output)): path.read_bytes().decode("utf-8", errors="replace")
        for path in built.output.rglob("*")
        if path.is_file()
    }


def test_a_language_being_prepared_never_fails_nor_appears_in_the_publishing_build(published):
    assert published.returncode == 0, published.log
    assert published.problems() == []
    assert not published.exists("de")
    for name, text in every_file_text(published).items():
        assert 'hreflang="de"' not in text, name
        if name.endswith(".xml"):
            assert "/de/" not in text, name


def test_the_development_build_shows_the_language_being_prepared(tmp_path):
    built = build_tree(tmp_path, prepared_tree(), overrides={**PREPARED_SETTINGS, "PRESS_STRICT": False})
    assert built.returncode == 0, built.log
    assert built.exists("de/ready/index.html")
    assert not [p for p in built.problems() if p["lang"] == "de" and p["kind"] != "missing"], built.problems()


def test_nothing_of_an_embargoed_key_is_in_any_output_of_the_publishing_build(published):
    # gzip copies, zips and e-books opened, PDFs as text (test_embargo's reading of an output)
    from test_embargo import readable_texts

    needles = [word.encode() for key, (_, en, it) in EMBARGOED.items() for word in (key, en, it)]
    names = []
    for name, data in readable_texts(published.output):
        names.append(name)
        assert not [needle for needle in needles if needle in data], name
    assert any("!" in name for name in names), "no zip or e-book was opened"
    # What was published beside it is readable by this scan: the check can see a title.
    assert any(b"Released Tapir" in data for _, data in readable_texts(published.output))


def test_an_embargo_offset_is_honoured(published):
    assert published.exists("en/zyxpast/index.html") and published.exists("it/zyxpast/index.html")


# -- §2 and §6: settings given with -e, and the report of a build that cannot start ---------------


def pelican(content: Path, output: Path, settings_file: str, *overrides: str, siteurl_env: bool = False):
    env = {k: v for k, v in os.environ.items() if k != "PRESS_SITEURL"}
    env["SOURCE_DATE_EPOCH"] = FIXED_NOW
    if siteurl_env:
        env["PRESS_SITEURL"] = "https://env.example.org"
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(PROJECT / settings_file)]
    command += ["-o", str(output), "-e", *overrides]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=300)


ONE_PROBLEM = {
    "terms.toml": terms_toml(),
    "articles/one/en.md": version("One", EN_BODY, **pair_headers(languages="en", catgory="news")),
}
EARLIER = {"problems": [{"kind": "stale", "key": "ghost", "lang": "it", "path": "x", "message": "earlier"}]}


@pytest.fixture
def one_problem(tmp_path):
    write_tree(tmp_path / "content", ONE_PROBLEM)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(EARLIER), encoding="utf-8")
    return tmp_path, f"PRESS_REPORT={json.dumps(str(report))}", report


def kinds_in(report: Path) -> list[str]:
    return [p["kind"] for p in json.loads(report.read_text(encoding="utf-8"))["problems"]]


def test_a_publishing_build_without_siteurl_fails_in_one_line_and_leaves_no_earlier_report(one_problem):
    root, report_setting, report = one_problem
    result = pelican(root / "content", root / "out", "publishconf.py", report_setting, 'LANGUAGES=["en"]')
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log and "SITEURL" in log, log
    # Rewritten, not removed: this build's report says why it stopped.
    assert "ghost" not in report.read_text(encoding="utf-8")
    assert kinds_in(report) == ["internal-error"] and "SITEURL" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["-e", "env"])
def test_a_siteurl_from_e_or_the_environment_lets_the_publishing_build_run(one_problem, how):
    root, report_setting, report = one_problem
    extra = ['SITEURL="https://e.example.org"'] if how == "-e" else []
    result = pelican(
        root / "content",
        root / "out",
        "publishconf.py",
        report_setting,
        'LANGUAGES=["en"]',
        "PRESS_SEARCH=false",
        *extra,
        siteurl_env=how == "env",
    )
    # It ran: the report is this build's, and the problem fails it strictly.
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert kinds_in(report) == ["unknown-header"]
    host = "e.example.org" if how == "-e" else "env.example.org"
    assert f"https://{host}/en/one/" in (root / "out/sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("settings_file", "strict", "fails"),
    [("pelicanconf.py", "true", True), ("publishconf.py", "false", False)],
)
def test_press_strict_given_with_e_counts(one_problem, settings_file, strict, fails):
    root, report_setting, report = one_problem
    result = pelican(
        root / "content",
        root / "out",
        settings_file,
        report_setting,
        'LANGUAGES=["en"]',
        "PRESS_SEARCH=false",
        f"PRESS_STRICT={strict}",
        'SITEURL="https://e.example.org"',
    )
    assert (result.returncode != 0) == fails, result.stdout + result.stderr
    assert kinds_in(report) == ["unknown-header"]
    assert (root / "out/en/one/index.html").exists() or fails


# -- §3: glossary phrases in a script written without spaces --------------------------------------

CJK_GLOSSARY = """\
[glossary.central-organ]
en = "central organ"
zh = "中央机关报"
ja = "中央機関紙"
"""
JA_BODY = (
    "本日、中央機関紙は港湾労働者のストライキについての記事を掲載した。\n\n組合は金曜日の集会を呼びかけた。\n"
)
ZH_BODY = "今天中央机关报发表了关于码头工人罢工的文章。\n\n工会号召星期五开会。\n"


def test_a_glossary_phrase_inside_chinese_text_is_found_and_asked_of_the_translation(tmp_path):
    terms = terms_document(sections={"news": {"zh": "新闻", "en": "News", "ja": "ニュース"}})
    meeting = "\n\nThe union called a meeting for Friday.\n"
    en_good = "Today the central organ published an article on the dockers' strike." + meeting
    en_bad = "Today the paper published an article on the dockers' strike." + meeting
    files = {
        "terms.toml": terms,
        "glossary.toml": CJK_GLOSSARY,
        "articles/ja-bad/ja.md": version(
            "港湾スト", JA_BODY, date="2026-05-01", category="news", languages="ja, en"
        ),
        "articles/ja-bad/en.md": stamped(JA_BODY, "ja", "Port strike", en_bad),
        "articles/cjk-bad/zh.md": version(
            "码头罢工", ZH_BODY, date="2026-05-01", category="news", languages="zh, en"
        ),
        "articles/cjk-bad/en.md": stamped(ZH_BODY, "zh", "Dock strike", en_bad),
        "articles/cjk-good/zh.md": version(
            "码头罢工消息", ZH_BODY, date="2026-05-01", category="news", languages="zh, en"
        ),
        "articles/cjk-good/en.md": stamped(ZH_BODY, "zh", "Dock strike news", en_good),
        # In a script with spaces only whole words count: "central organization" holds no term.
        "articles/in-word/en.md": version(
            "Meeting",
            "The central organization met on Monday.\n",
            date="2026-05-01",
            category="news",
            languages="zh, en",
        ),
        "articles/in-word/zh.md": stamped(
            "The central organization met on Monday.\n", "en", "会议", "中央组织星期一开会。\n"
        ),
    }
    built = build_tree(
        tmp_path,
        files,
        overrides={"LANGUAGES": ["zh", "en", "ja"], "DEFAULT_LANG": "zh", "PRESS_STRICT": False},
    )
    found = {(p["key"], p["lang"]) for p in built.problems("terminology")}
    assert found == {("cjk-bad", "en"), ("ja-bad", "en")}, built.problems("terminology")
    [problem] = of_key(built, "cjk-bad", "terminology")
    assert problem["path"] == "articles/cjk-bad/en.md" and "central organ" in problem["message"]


# -- §2: SOURCE_DATE_EPOCH is "now" for every date decision ----------------------------------------


def dated_tree() -> dict[str, str]:
    def one(title: str, **headers: str) -> str:
        return version(title, EN_BODY, category="news", languages="en", **headers)

    return {
        "terms.toml": terms_toml(),
        "articles/future/en.md": one("Future Okapi", date="2026-07-01"),
        # 00:30 UTC, half an hour after now: not yet; 01:00 at +02:00 is 23:00 UTC yesterday: out.
        "articles/soon/en.md": one("Soon Okapi", date="2026-06-21T00:30+00:00"),
        "articles/out/en.md": one("Out Okapi", date="2026-06-21T01:00+02:00"),
        # A lead that lapsed yesterday leaves the lead to another; an editorial until today holds.
        "articles/lapsed/en.md": one("Lapsed lead", date="2026-06-01", placement="lead", until="2026-06-20"),
        "articles/lead/en.md": one("Current lead", date="2026-06-02", placement="lead"),
        "articles/edit-a/en.md": one(
            "Editorial A", date="2026-06-01", placement="editorial", until="2026-06-21"
        ),
        "articles/edit-b/en.md": one("Editorial B", date="2026-06-02", placement="editorial"),
    }


@pytest.mark.parametrize(("epoch", "later"), [(FIXED_NOW, False), ("1783000000", True)])
def test_the_instant_of_source_date_epoch_decides_dates_and_placements(tmp_path, epoch, later):
    built = build_tree(
        tmp_path,
        dated_tree(),
        settings_file="publishconf.py",
        overrides={"LANGUAGES": ["en"], "PRESS_STRICT": False, "PRESS_SEARCH": False},
        epoch=epoch,
    )
    assert built.returncode == 0, built.log
    assert built.exists("en/out/index.html")
    assert built.exists("en/future/index.html") == later and built.exists("en/soon/index.html") == later
    conflicts = {p["key"] for p in built.problems("placement-conflict")}
    # 2026-07-02 (the later instant): Editorial A has lapsed too
    assert conflicts == (set() if later else {"edit-a", "edit-b"}), built.problems()
