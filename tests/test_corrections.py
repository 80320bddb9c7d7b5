"""Corrections (issue 27): a dated notice in every edition, a Corrections page, feeds and sitemap
follow; translations stamped before the correction publish within PRESS_CORRECTION_GRACE, then fail."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sitebuild import article, build_tree, terms_document, translation

LANGS = ["en", "it", "fa"]
SECTIONS = {"news": {"en": "News", "it": "Notizie", "fa": "اخبار"}}
TITLES = {"en": "The Dockers Win", "it": "I portuali vincono", "fa": "کارگران بندر پیروز شدند"}
BODIES = {
    "en": "The strike lasted nine days and ended with a new contract for every docker.\n",
    "it": "Lo sciopero è durato nove giorni e si è chiuso con un nuovo contratto per ogni portuale.\n",
    "fa": "اعتصاب نه روز طول کشید و با قراردادی تازه برای هر کارگر بندر پایان یافت.\n",
}
CORRECTED = "The strike lasted eight days and ended with a new contract for every docker.\n"
NOTE = {
    "en": "An earlier version said the strike lasted nine days; it lasted eight.",
    "it": "Una versione precedente diceva che lo sciopero era durato nove giorni; ne è durato otto.",
    "fa": "در نسخهٔ پیشین آمده بود که اعتصاب نه روز طول کشید؛ هشت روز بود.",
}
# 2026-06-21 00:00 UTC (the tests' fixed now) is within two days of the correction; 06-23 is not
WITHIN, AFTER = "1782000000", "1782172800"
PENDING = {
    "it": "L’originale di questo articolo è stato corretto il",
    "fa": "متن اصلی این مقاله در",
}


def original(corrected: bool = True) -> str:
    if not corrected:
        return article(TITLES["en"], BODIES["en"], date="2026-06-10", category="news")
    return article(
        TITLES["en"],
        CORRECTED,
        date="2026-06-10",
        category="news",
        correction="2026-06-20",
        correction_note=NOTE["en"],
    )


def tree(*, in_step: dict[str, bool] | None = None) -> dict[str, str]:
    """The corrected original; translations stamped before it unless ``in_step`` says otherwise."""
    in_step = in_step or {}
    files = {"terms.toml": terms_document(sections=SECTIONS), "articles/dockers/en.md": original()}
    for lang in ("it", "fa"):
        if in_step.get(lang) is None:
            files[f"articles/dockers/{lang}.md"] = translation(
                original(False), "en", TITLES[lang], BODIES[lang]
            )
        else:
            note = {"correction_note": NOTE[lang]} if in_step[lang] else {}
            files[f"articles/dockers/{lang}.md"] = translation(
                original(),
                "en",
                TITLES[lang],
                BODIES[lang].replace("nove", "otto").replace("نه", "هشت"),
                **note,
            )
    return files


def publishing(root, files, epoch: str, **extra):
    overrides = {"LANGUAGES": LANGS, "PRESS_STRICT": True, "PRESS_SEARCH": False, **extra}
    return build_tree(root, files, overrides=overrides, epoch=epoch)


@pytest.fixture(scope="module")
def within(tmp_path_factory):
    built = publishing(tmp_path_factory.mktemp("within"), tree(), WITHIN)
    assert built.returncode == 0, built.log
    return built


def test_within_the_grace_stale_translations_publish_with_a_notice_in_their_language(within):
    for lang in ("it", "fa"):
        page = within.page(f"{lang}/dockers/index.html")
        assert PENDING[lang] in page, lang
        assert 'href="../../en/dockers/"' in page and 'hreflang="en"' in page
        assert "has changed since it was translated" not in page


def test_the_original_shows_a_dated_notice_with_schema_org_correction_data(within):
    page = within.page("en/dockers/index.html")
    assert "Corrected on June 20, 2026:" in page
    assert NOTE["en"] in page
    assert 'itemprop="correction"' in page and "https://schema.org/CorrectionComment" in page
    assert '<meta itemprop="datePublished" content="2026-06-20">' in page
    assert page.index("correction-notice") < page.index('class="body"')


def test_the_corrections_page_lists_it_and_the_footer_links_it(within):
    page = within.page("en/corrections/index.html")
    assert NOTE["en"] in page and TITLES["en"] in page
    assert 'href="../../en/corrections/"' in within.page("en/dockers/index.html")
    assert "Correzioni" in within.page("it/corrections/index.html")


def test_the_feed_marks_the_entry_updated_and_the_sitemap_follows(within):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(within.output / "en" / "feed.xml").getroot()
    entry = feed.find(f"{atom}entry")
    assert entry.find(f"{atom}updated").text.startswith("2026-06-20")
    assert entry.find(f"{atom}published").text.startswith("2026-06-10")
    sitemap = within.page("sitemap.xml")
    block = sitemap[sitemap.index("en/dockers/") :]
    assert block[: block.index("</url>")].count("<lastmod>2026-06-20") == 1


def test_after_the_grace_they_fail_as_stale(tmp_path):
    built = publishing(tmp_path, tree(), AFTER)
    assert built.returncode == 1
    assert {(p["lang"], p["path"]) for p in built.problems("stale")} == {
        ("it", "articles/dockers/it.md"),
        ("fa", "articles/dockers/fa.md"),
    }


def test_no_grace_means_stale_at_once(tmp_path):
    built = publishing(tmp_path, tree(), WITHIN, PRESS_CORRECTION_GRACE=0)
    assert {p["lang"] for p in built.problems("stale")} == {"it", "fa"}


def test_a_translation_brought_in_step_needs_its_own_correction_note(tmp_path):
    built = publishing(tmp_path, tree(in_step={"it": False, "fa": True}), AFTER)
    assert {(p["kind"], p["lang"]) for p in built.problems()} == {("incomplete", "it")}, built.report
    message = built.problems("incomplete")[0]["message"]
    assert "Correction-Note" in message
    fa = built.page("fa/dockers/index.html")
    assert NOTE["fa"] in fa and "اصلاح‌شده در" in fa


def test_a_correction_that_adds_a_paragraph_does_not_make_lagging_translations_incomplete(tmp_path):
    files = tree()
    files["articles/dockers/en.md"] = files["articles/dockers/en.md"] + (
        "\nThe new contract also covers the night shift, which the first version left out.\n"
        "\n| shift | hours |\n|---|---|\n| night | 8 |\n"
    )
    assert publishing(tmp_path / "within", files, WITHIN).returncode == 0
    after = publishing(tmp_path / "after", files, AFTER)
    assert {p["kind"] for p in after.problems()} >= {"stale"}


def test_an_incremental_build_links_the_new_corrections_page_from_every_page(tmp_path):
    other = article("The Branch Met", "The branch met on Tuesday.\n", date="2026-06-01", languages="en")
    first = tree()
    first["articles/dockers/en.md"] = original(False)
    first["articles/branch/en.md"] = other
    settings = {"LANGUAGES": LANGS, "PRESS_SEARCH": False, "CACHE_PATH": str(tmp_path / "cache")}
    before = build_tree(tmp_path, first, overrides=settings)
    assert before.returncode == 0, before.log
    assert "corrections/" not in before.page("en/branch/index.html")
    after = build_tree(tmp_path, {"articles/dockers/en.md": original()}, overrides=settings)
    assert 'href="../../en/corrections/"' in after.page("en/branch/index.html")
