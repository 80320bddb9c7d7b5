"""Dates, lists and listings as each script's readers expect them (issue 25).

Persian pages date by the Solar Hijri calendar first, the Gregorian in brackets,
and group the archive by Solar Hijri years and months; short lists are joined
with the language's own separator; the masthead's nav says where the reader
is; a section page does not repeat its own name on every card; the printed
address is the public one.
"""

from __future__ import annotations

import re

import pytest
from sitebuild import article, terms_document, translation

from press.paper import scripts

TERMS = terms_document(
    sections={"strikes": {"en": "Strikes", "fa": "اعتصاب‌ها", "zh": "罢工"}},
    tags={
        "docks": {"en": "docks", "fa": "بنادر", "zh": "码头"},
        "schools": {"en": "schools", "fa": "مدارس", "zh": "学校"},
    },
)


def strike(date: str, key: str = "strike") -> dict[str, str]:
    original = article(
        "Dockers Stop the Port",
        "The dockers stopped the port on Monday and held it for nine days.\n",
        date=date,
        category="strikes",
        tags="docks, schools",
    )
    return {
        f"articles/{key}/en.md": original,
        f"articles/{key}/fa.md": translation(
            original, "en", "باراندازان بندر را متوقف کردند", "باراندازان روز دوشنبه بندر را متوقف کردند.\n"
        ),
        f"articles/{key}/zh.md": translation(
            original, "en", "码头工人让港口停摆", "码头工人周一让港口停摆了九天。\n"
        ),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import build_module_site

    files = {"terms.toml": TERMS, **strike("2026-05-18")}
    # 19 and 22 March 2026: the same Gregorian year, two Solar Hijri years (Nowruz is 21 March)
    files.update(strike("2026-03-19", "before-nowruz"))
    files.update(strike("2026-03-22", "after-nowruz"))
    return build_module_site(
        tmp_path_factory.mktemp("scripts"),
        files,
        overrides={"LANGUAGES": ["en", "fa", "zh"], "PRESS_STRICT": False},
    )


def test_persian_pages_show_the_solar_hijri_date_first_and_the_gregorian_in_brackets(site):
    page = site.page("fa/strike/index.html")
    assert re.search(r'<time datetime="2026-05-18">[^<]*۲۸ اردیبهشت ۱۴۰۵</time>', page), page
    assert '<span class="other-calendar">(۱۸ مهٔ ۲۰۲۶)</span>' in page
    english = site.page("en/strike/index.html")
    assert '<time datetime="2026-05-18">May 18, 2026</time>' in english
    assert "other-calendar" not in english.split("<main", 1)[1]


def test_persian_search_results_carry_both_calendars(site):
    page = site.page("fa/strike/index.html")
    assert re.search(r'data-pagefind-meta="[^":]+:۲۸ اردیبهشت ۱۴۰۵ \(۱۸ مهٔ ۲۰۲۶\)"', page), page


def test_the_persian_archive_is_grouped_by_solar_hijri_years_and_months(site):
    persian = site.page("fa/archive/index.html")
    years = re.findall(r'<h2 id="year-(\d+)">', persian)
    assert years == ["1405", "1404"]
    months = re.findall(r"<caption>([^<]+)</caption>", persian)
    assert months == ["اردیبهشت ۱۴۰۵", "فروردین ۱۴۰۵", "اسفند ۱۴۰۴"]
    english = site.page("en/archive/index.html")
    assert re.findall(r'<h2 id="year-(\d+)">', english) == ["2026"]
    assert re.findall(r"<caption>([^<]+)</caption>", english) == ["May 2026", "March 2026"]


def test_the_calendars_are_a_setting(tmp_path, build_site):
    built = build_site(
        {"terms.toml": TERMS, **strike("2026-05-18")},
        languages=["en", "fa", "zh"],
        PRESS_CALENDARS={"fa": ["gregorian", "solar-hijri"]},
    )
    page = built.page("fa/strike/index.html")
    assert re.search(r'<time datetime="2026-05-18">۱۸ مهٔ ۲۰۲۶</time>', page), page
    assert '<span class="other-calendar">(۲۸ اردیبهشت ۱۴۰۵)</span>' in page
    refused = build_site(
        {"terms.toml": TERMS, **strike("2026-05-18")}, name="refused", PRESS_CALENDARS={"fa": ["julian"]}
    )
    assert refused.returncode == 2
    assert "PRESS_CALENDARS" in refused.log


def test_tags_are_joined_with_each_language_s_separator(site):
    def tags(lang: str) -> str:
        return re.search(r'<p class="tags">(.*?)</p>', site.page(f"{lang}/strike/index.html"), re.S).group(1)

    assert re.search(r">docks</a>, <a", tags("en"))
    assert re.search(r">بنادر</a>، <a", tags("fa"))
    assert re.search(r">码头</a>、<a", tags("zh"))
    assert scripts.list_separator("ar") == "، "
    assert scripts.list_separator("ja") == "、"


def test_the_nav_marks_the_section_the_reader_is_in_and_its_cards_do_not_repeat_it(site):
    section = site.page("en/section/strikes/index.html")
    nav = re.search(r'<nav class="sections".*?</nav>', section, re.S).group(0)
    assert 'href="./" aria-current="page">Strikes</a>' in nav or re.search(
        r'aria-current="page">Strikes</a>', nav
    ), nav
    main = section.split("<main", 1)[1]
    assert 'class="kicker"' not in main
    assert main.count('class="listing-first"') == 1
    archive = site.page("en/archive/index.html")
    assert re.search(r'aria-current="page">Archive</a>', archive)
    assert 'aria-current="page"' not in re.search(
        r'<nav class="sections".*?</nav>', site.page("en/index.html"), re.S
    ).group(0)


def test_the_printed_address_is_the_public_one_left_to_right(site, build_site):
    assert "print-address" not in site.page("en/strike/index.html")  # no SITEURL: no address to print
    built = build_site(
        {"terms.toml": TERMS, **strike("2026-05-18")},
        languages=["en", "fa", "zh"],
        SITEURL="https://press.example.org",
    )
    page = built.page("fa/strike/index.html")
    assert '<p class="print-address" dir="ltr">https://press.example.org/fa/strike/</p>' in page


def test_the_persian_catalog_writes_the_ezafe_one_way():
    from sitebuild import PROJECT

    catalog = (PROJECT / "translations" / "fa" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    translated = "\n".join(line for line in catalog.splitlines() if not line.startswith(("msgid", "#")))
    # docs/languages.md: the Academy's "هٔ" (صفحهٔ نخست), never "ه‌ی" (صفحه‌ی نخست)
    assert "ه\u200cی " not in translated
    assert "هٔ" in translated
