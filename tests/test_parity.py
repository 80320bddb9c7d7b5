"""Translation parity as a build gate (issue 3): every problem kind, planted and reported."""

from __future__ import annotations

import json

import pytest
from sitebuild import article, translation

BODY = """
## First heading

A paragraph with a [link](https://example.org/) and more words to make it long enough.

- first point
- second point

> A resolution of the congress.
"""
IT_BODY = """
## Primo titolo

Un paragrafo con un [collegamento](https://example.org/) e altre parole per allungarlo.

- primo punto
- secondo punto

> Una risoluzione del congresso.
"""
ORIGINAL = article("The Original", BODY, date="2026-02-01", category="Strikes")


def good_pair(key: str = "good") -> dict[str, str]:
    return {
        f"articles/{key}/en.md": ORIGINAL,
        f"articles/{key}/it.md": translation(ORIGINAL, "en", "L'originale", IT_BODY),
    }


def build_two(build_site, files, **kwargs):
    return build_site(files, languages=["en", "it"], **kwargs)


def message_of(built, kind):
    problems = built.problems(kind)
    assert problems, built.report
    return problems[0]["message"]


def test_clean_tree_has_an_empty_report_and_passes_strict(build_site):
    built = build_two(build_site, good_pair(), strict=True)
    assert built.report == {"problems": []}
    assert built.returncode == 0, built.log


def test_missing(build_site):
    built = build_two(build_site, {"articles/lonely/en.md": ORIGINAL})
    assert built.entries() == {("missing", "lonely", "it", "articles/lonely/it.md")}
    assert "invoke translate lonely it" in message_of(built, "missing")
    assert built.returncode == 0
    assert built.exists("it/index.html")


def test_languages_header_narrows_the_required_editions(build_site):
    original = article("Only English", BODY, date="2026-02-01", languages="en")
    built = build_two(build_site, {"articles/narrow/en.md": original})
    assert built.problems() == []
    front = built.page("it/index.html")
    assert "Only English" not in front


def test_stale(build_site):
    old = article("The Original", "An older body.\n", date="2026-02-01", category="Strikes")
    files = {
        "articles/changed/en.md": ORIGINAL,
        "articles/changed/it.md": translation(old, "en", "L'originale", IT_BODY),
    }
    built = build_two(build_site, files)
    assert built.entries("stale") == {("stale", "changed", "it", "articles/changed/it.md")}
    message = message_of(built, "stale")
    assert "invoke stamp changed it" in message and "has changed" in message
    page = built.page("it/changed/index.html")
    assert 'class="notice"' in page and "../../en/changed/" in page


def test_revision_ignores_what_the_contract_says(build_site):
    # CRLF, trailing spaces and surrounding blank lines do not make a translation stale
    noisy = ORIGINAL.replace("\n", "\r\n").replace("point\r\n", "point   \r\n") + "\r\n\r\n"
    files = {
        "articles/noisy/en.md": noisy,
        "articles/noisy/it.md": translation(ORIGINAL, "en", "L'originale", IT_BODY),
    }
    built = build_two(build_site, files)
    assert built.problems("stale") == []


def test_orphan(build_site):
    files = {"articles/orphaned/it.md": translation(ORIGINAL, "de", "Orfano", IT_BODY)}
    built = build_two(build_site, files)
    assert ("orphan", "orphaned", "it", "articles/orphaned/it.md") in built.entries()
    assert ("missing", "orphaned", "en", "articles/orphaned/en.md") in built.entries()


def test_multiple_originals(build_site):
    files = {
        "articles/twins/en.md": ORIGINAL,
        "articles/twins/it.md": article("Gemello", IT_BODY),
    }
    built = build_two(build_site, files)
    assert built.entries("multiple-originals") == {
        ("multiple-originals", "twins", "en", "articles/twins/en.md"),
        ("multiple-originals", "twins", "it", "articles/twins/it.md"),
    }
    assert "Translation-Of" in message_of(built, "multiple-originals")


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Date", "2026-03-01"),
        ("Category", "Security"),
        ("Tags", "other"),
        ("Placement", "lead"),
        ("Order", "3"),
    ],
)
def test_mismatch(build_site, header, value):
    translated = translation(ORIGINAL, "en", "L'originale", IT_BODY, **{header.lower(): value})
    built = build_two(build_site, {"articles/m/en.md": ORIGINAL, "articles/m/it.md": translated})
    assert built.entries("mismatch") == {("mismatch", "m", "it", "articles/m/it.md")}
    assert header in message_of(built, "mismatch")


def test_restating_the_same_editorial_value_is_fine(build_site):
    translated = translation(
        ORIGINAL, "en", "L'originale", IT_BODY, date="2026-02-01 00:00", category="Strikes"
    )
    built = build_two(build_site, {"articles/m/en.md": ORIGINAL, "articles/m/it.md": translated})
    assert built.problems("mismatch") == []


def test_naming_the_same_terms_in_the_translations_language_is_fine(build_site):
    # a translator who translated the headers too: the same section and tags, in Italian
    original = article("Docks", "Body.\n", date="2026-02-01", category="Strikes", tags="docks, strikes")
    translated = translation(original, "en", "Porti", "Corpo.\n", category="Scioperi", tags="scioperi, porti")
    other = translation(original, "en", "Hamnar", "Kropp.\n", category="Nyheter", tags="hamnar")
    built = build_site(
        {"articles/m/en.md": original, "articles/m/it.md": translated, "articles/m/sv.md": other},
        languages=["en", "it", "sv"],
    )
    # Nyheter (news) and only one of the two tags are other values: still mismatches
    assert built.entries("mismatch") == {("mismatch", "m", "sv", "articles/m/sv.md")}
    assert len(built.problems("mismatch")) == 2


def test_translation_inherits_editorial_headers(build_site):
    built = build_two(build_site, good_pair())
    page = built.page("it/good/index.html")
    assert 'datetime="2026-02-01"' in page
    assert "it/section/scioperi/" in page  # the section in the edition's own language


def test_unknown_language(build_site):
    files = {**good_pair(), "articles/good/de.md": translation(ORIGINAL, "en", "Das Original", IT_BODY)}
    built = build_two(build_site, files)
    assert built.entries() == {("unknown-language", "good", "de", "articles/good/de.md")}
    assert "LANGUAGES" in message_of(built, "unknown-language")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (article("", BODY, date="2026-02-01"), "Title"),
        (article("No date", BODY, date="someday"), "Date"),
        (article("Bad placement", BODY, date="2026-02-01", placement="top"), "Placement"),
        (article("Bad order", BODY, date="2026-02-01", placement="feature", order="first"), "Order"),
        (article("Bad until", BODY, date="2026-02-01", placement="feature", until="soon"), "Until"),
        (article("Named", BODY, date="2026-02-01", author="A. Person"), "anonymous"),
    ],
)
def test_invalid_metadata(build_site, text, needle):
    built = build_site({"articles/bad/en.md": text}, languages=["en"])
    assert ("invalid-metadata", "bad", "en", "articles/bad/en.md") in built.entries()
    assert needle in " ".join(p["message"] for p in built.problems("invalid-metadata"))


def test_bad_key_and_misplaced_file(build_site):
    built = build_site(
        {"articles/Bad_Key/en.md": ORIGINAL, "articles/flat.md": ORIGINAL, "articles/ok/en.md": ORIGINAL},
        languages=["en"],
    )
    assert ("invalid-metadata", "Bad_Key", "en", "articles/Bad_Key/en.md") in built.entries()
    assert ("invalid-metadata", "flat", "flat", "articles/flat.md") in built.entries()
    assert "bad-key" in " ".join(p["message"] for p in built.problems())
    assert built.exists("en/ok/index.html")


def test_unreadable_header_line(build_site):
    text = "Title: Broken\nDate: 2026-02-01\nthis is not a header\n\nBody.\n"
    built = build_site({"articles/broken/en.md": text}, languages=["en"])
    entry = built.problems("invalid-metadata")[0]
    assert entry["path"] == "articles/broken/en.md"
    assert "line 3" in entry["message"]


def test_author_never_reaches_the_page(build_site):
    built = build_site(
        {"articles/named/en.md": article("Named", BODY, date="2026-02-01", author="Jane Writer")},
        languages=["en"],
    )
    assert "Jane Writer" not in built.page("en/named/index.html")


def test_lang_header_must_agree(build_site):
    text = article("Lang", BODY, date="2026-02-01", lang="it")
    built = build_site({"articles/lang/en.md": text}, languages=["en"])
    assert ("invalid-metadata", "lang", "en", "articles/lang/en.md") in built.entries()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("Solo poche parole.\n", "lacks the links to https://example.org/ (1 of 1)"),
        (IT_BODY.replace("## Primo titolo\n", ""), "has 0 of the original's 1 heading"),
        (IT_BODY.replace("- secondo punto\n", ""), "has 1 of the original's 2 list items"),
        (
            IT_BODY.replace("> Una risoluzione del congresso.\n", "Una risoluzione del congresso.\n"),
            "quotation",
        ),
        (IT_BODY.replace("[collegamento](https://example.org/)", "collegamento"), "links"),
    ],
)
def test_incomplete(build_site, body, needle):
    files = {
        "articles/part/en.md": ORIGINAL,
        "articles/part/it.md": translation(ORIGINAL, "en", "Parte", body),
    }
    built = build_two(build_site, files)
    assert built.entries("incomplete") == {("incomplete", "part", "it", "articles/part/it.md")}
    assert needle in message_of(built, "incomplete")


def test_untranslated_strings_for_a_language_without_catalog(build_site):
    built = build_site({"articles/one/en.md": ORIGINAL}, languages=["en", "xx"])
    entries = built.problems("untranslated-strings")
    # The catalog only: a site name missing for xx is not a problem (the default's is shown).
    assert sorted((p["lang"], p["path"]) for p in entries) == [
        ("xx", "translations/xx/LC_MESSAGES/messages.po")
    ]


def test_many_problems_are_all_reported_and_strict_fails_after_the_report(build_site):
    files = {
        **good_pair(),
        "articles/lonely/en.md": ORIGINAL,
        "articles/bad/en.md": article("", BODY, date="nope"),
        "articles/good/de.md": ORIGINAL,
        "articles/twins/en.md": ORIGINAL,
        "articles/twins/it.md": article("Gemello", IT_BODY, date="2026-01-01"),
    }
    built = build_two(build_site, files, strict=True)
    kinds = {p["kind"] for p in built.problems()}
    assert {"missing", "invalid-metadata", "unknown-language", "multiple-originals"} <= kinds
    assert built.returncode != 0
    assert "Traceback" not in built.log
    assert "articles/bad/en.md" in built.log


def test_dev_mode_writes_the_site_despite_problems(build_site):
    built = build_two(build_site, {**good_pair(), "articles/lonely/en.md": ORIGINAL})
    assert built.returncode == 0
    assert built.exists("en/lonely/index.html")
    assert built.problems()


def test_report_entries_have_exactly_the_contract_fields(build_site):
    built = build_two(build_site, {"articles/lonely/en.md": ORIGINAL})
    for entry in built.problems():
        assert list(entry) == ["kind", "key", "lang", "path", "message"]
    json.dumps(built.report)


def test_content_under_another_file_name_is_reported_not_published(build_site):
    built = build_site(
        {**good_pair(), "articles/good/sv.markdown": ORIGINAL, "articles/good/notes.txt": "notes"},
        languages=["en", "it"],
    )
    # contract §1: "a file of a type the press does not publish … is an unsafe-file problem"
    assert ("unsafe-file", "good", "", "articles/good/sv.markdown") in built.entries()
    assert ("unsafe-file", "good", "", "articles/good/notes.txt") in built.entries()
    assert not built.exists("articles/good/sv.markdown")
    assert not built.exists("articles/good/notes.txt")


def test_keys_that_would_overwrite_other_pages_are_reported(build_site):
    built = build_site(
        {
            "articles/about/en.md": ORIGINAL,
            "pages/about/en.md": article("About"),
            "articles/archive/en.md": ORIGINAL,
        },
        languages=["en"],
    )
    assert ("invalid-metadata", "about", "en", "pages/about/en.md") in built.entries()
    assert ("invalid-metadata", "archive", "en", "articles/archive/en.md") in built.entries()
    assert "The Original" in built.page("en/about/index.html")
    assert "<h1>Archive</h1>" in built.page("en/archive/index.html")


def test_a_key_without_any_original_is_reported(build_site):
    files = {
        "articles/circle/en.md": translation(ORIGINAL, "it", "The Original", BODY),
        "articles/circle/it.md": translation(ORIGINAL, "en", "L'originale", IT_BODY),
    }
    built = build_two(build_site, files)
    assert built.entries() == {
        ("invalid-metadata", "circle", "en", "articles/circle/en.md"),
        ("invalid-metadata", "circle", "it", "articles/circle/it.md"),
    }
    assert "original" in message_of(built, "invalid-metadata")
