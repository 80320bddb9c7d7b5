"""Interface catalogs for regional codes (issue 12): pt-br borrows pt's, zh-tw reports what it lacks."""

from __future__ import annotations

import shutil

from sitebuild import PROJECT

from press.paper import i18n
from press.problems import ProblemCollector

TRANSLATIONS = str(PROJECT / "translations")
TEMPLATES = str(PROJECT / "theme" / "templates")


def test_a_regional_code_in_the_same_script_uses_its_language_catalog():
    assert i18n.catalog_language(TRANSLATIONS, "pt-br") == "pt"
    assert i18n.catalog_language(TRANSLATIONS, "fa-ir") == "fa"
    portuguese = i18n.load_translations(TRANSLATIONS, "pt-br")
    assert portuguese.gettext("Archive") == i18n.load_translations(TRANSLATIONS, "pt").gettext("Archive")
    assert portuguese.gettext("Archive") != "Archive"
    problems = ProblemCollector()
    i18n.check_catalogs(TRANSLATIONS, TEMPLATES, ["pt-br"], problems)
    assert len(problems) == len(ProblemCollector()) or all(p.lang == "pt-br" for p in problems)


def test_a_code_in_another_script_never_borrows_and_reports_its_missing_catalog(tmp_path):
    # Only the Simplified Chinese catalog (the press ships a zh-tw one too, so it is left out here)
    shutil.copytree(PROJECT / "translations" / "zh", tmp_path / "zh")
    translations = str(tmp_path)
    assert i18n.catalog_language(translations, "zh-tw") == "zh-tw"
    assert i18n.load_translations(translations, "zh-tw").gettext("Archive") == "Archive"
    problems = ProblemCollector()
    i18n.check_catalogs(translations, TEMPLATES, ["zh-tw"], problems)
    (problem,) = list(problems)
    assert problem.kind == "untranslated-strings" and problem.lang == "zh-tw"
    assert "no interface catalog for zh-tw" in problem.message and "another script" in problem.message


def shipped_catalogs() -> list[str]:
    folder = PROJECT / "translations"
    return sorted(path.name for path in folder.iterdir() if (path / "LC_MESSAGES" / "messages.po").is_file())


def test_every_shipped_catalog_translates_every_interface_message():
    """A strict build in any language the press ships a catalog for has no
    untranslated-strings problem: every message translated, no fuzzy flag, the same
    placeholders; and each catalog compiles."""
    catalogs = shipped_catalogs()
    assert len(catalogs) >= 16
    problems = ProblemCollector()
    i18n.check_catalogs(TRANSLATIONS, TEMPLATES, catalogs, problems)
    assert [(p.lang, p.message) for p in problems] == []
    for lang in catalogs:
        assert i18n.load_translations(TRANSLATIONS, lang).gettext("Archive") != "Archive", lang


def test_a_regional_code_borrows_the_catalog_of_its_script():
    # zh-hk and zh-hant read Traditional characters: zh-tw's catalog, never zh's Simplified one
    assert i18n.catalog_language(TRANSLATIONS, "zh-hk") == "zh-tw"
    assert i18n.catalog_language(TRANSLATIONS, "zh-hant") == "zh-tw"
    assert i18n.catalog_language(TRANSLATIONS, "zh-cn") == "zh"
    assert i18n.catalog_language(TRANSLATIONS, "sr-cyrl") == "sr"
    assert i18n.catalog_language(TRANSLATIONS, "sr-latn") == "sr-latn"


def test_the_script_of_a_code_is_known_even_where_babel_has_no_locale_for_it():
    assert [i18n.script_of(code) for code in ("th", "ka", "am", "ta", "zh-tw", "sr-latn", "en")] == [
        "Thai",
        "Geor",
        "Ethi",
        "Taml",
        "Hant",
        "Latn",
        "Latn",
    ]


def test_language_names_as_their_readers_write_them():
    assert i18n.language_name("ka") == "ქართული"  # Georgian writes no capital at a name's start
    assert i18n.language_name("tl") == "Tagalog"  # not CLDR's "Filipino (Pilipinas)"
    assert i18n.language_name("id") == "Bahasa Indonesia"
    assert i18n.language_name("en", "vi") == "tiếng Anh"  # mid-sentence, in lower case
    assert i18n.language_name("en", "id") == "Inggris"


def test_scripts_without_italics_are_set_upright():
    from press.paper.scripts import script_family, upright

    assert all(upright(code) for code in ("ta", "pa", "am", "ka", "km", "th", "fa", "zh"))
    assert not upright("en") and not upright("ru")
    assert script_family("ta") == "upright"
