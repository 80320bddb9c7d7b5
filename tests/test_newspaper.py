"""A newspaper in every script: what the written pages hold (the browser tests
measure how they look).  Language names, script data, the Solar Hijri date,
the section order, articles, issues, the 404 page, the footer and search data."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from sitebuild import TEST_LANGUAGES, TEST_SECTIONS, article, build_module_site, png, translation

from press.content.terms import slugify
from press.paper import i18n, scripts

LANGS = ["en", "it", "sv", "fa"]
TITLES = {
    "lead": {
        "en": "The Docks Hold",
        "it": "I porti tengono",
        "sv": "Hamnarna håller",
        "fa": "بندرها ایستاده‌اند",
    },
    "funds": {
        "en": "Strike Funds",
        "it": "Casse di resistenza",
        "sv": "Strejkkassor",
        "fa": "صندوق‌های اعتصاب",
    },
    "press": {"en": "The Paper", "it": "Il giornale", "sv": "Tidningen", "fa": "نشریه"},
    "phones": {"en": "Phones", "it": "I telefoni", "sv": "Telefonerna", "fa": "تلفن‌ها"},
}
TEXT = {
    "en": "The branch met on Tuesday and planned the distribution of the paper in the district.",
    "it": "La sezione si è riunita martedì e ha organizzato la diffusione del giornale nel quartiere.",
    "sv": "Avdelningen möttes på tisdagen och planerade spridningen av tidningen i området.",
    "fa": "شاخه سه‌شنبه گرد آمد و پخش نشریه در محله را برنامه‌ریزی کرد.",
}
ALT = {"en": "Cranes at rest", "it": "Gru ferme", "sv": "Stilla kranar", "fa": "جرثقیل‌های خاموش"}
SECTIONS = {"lead": "Strikes", "funds": "Strikes", "press": "Party Press", "phones": "Security Online"}
DATES = {"lead": "2026-05-01", "funds": "2026-04-01", "press": "2026-03-01", "phones": "2026-02-01"}


def tree() -> dict[str, str]:
    files = {}
    for key, titles in TITLES.items():
        extra = {"placement": "lead"} if key == "lead" else {}
        # the lead has a picture: the front page shows it with the lead
        image = "({static}docks.png)" if key == "lead" else ""
        picture = {lang: f"![{ALT[lang]}]{image}\n\n" if image else "" for lang in LANGS}
        original = article(
            titles["en"],
            f"{picture['en']}{TEXT['en']}\n",
            date=DATES[key],
            category=SECTIONS[key],
            summary=f"Standfirst of {titles['en']}.",
            share=f"Share {titles['en']}.",
            **extra,
        )
        files[f"articles/{key}/en.md"] = original
        for lang in LANGS[1:]:
            files[f"articles/{key}/{lang}.md"] = translation(
                original,
                "en",
                titles[lang],
                f"{picture[lang]}{TEXT[lang]}\n",
                summary=f"{titles[lang]}: {TEXT[lang][:30]}",
            )
    files["articles/lead/docks.png"] = png((60, 40))
    for number, (key, contents, date) in enumerate(
        [("cl-1", "phones, press", "2026-03-02"), ("cl-2", "lead, funds", "2026-05-02")], start=1
    ):
        issue = article(
            f"The Communist Left No. {number}",
            f"Issue {number}: {TEXT['en']}\n",
            date=date,
            publication="communist-left",
            number=str(number),
            contents=contents,
        )
        files[f"issues/{key}/en.md"] = issue
        for lang in LANGS[1:]:
            files[f"issues/{key}/{lang}.md"] = translation(
                issue, "en", f"{lang.upper()} {number}", f"{number}: {TEXT[lang]}\n"
            )
    about = article("About the press", f"{TEXT['en']}\n")
    files["pages/about/en.md"] = about
    for lang, title in {"it": "Chi siamo", "sv": "Om tidningen", "fa": "درباره‌ی ما"}.items():
        files[f"pages/about/{lang}.md"] = translation(about, "en", title, f"{TEXT[lang]}\n")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_module_site(
        tmp_path_factory.mktemp("newspaper"), tree(), overrides={"LANGUAGES": LANGS, "PRESS_SEARCH": False}
    )
    assert built.report == {"problems": []}, built.report
    return built


def page(site, path: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(path), "html.parser")


# -- language names, scripts, calendars --------------------------------------------


@pytest.mark.parametrize(
    ("lang", "in_lang", "expected"),
    [
        ("en", "it", "inglese"),
        ("en", "sv", "engelska"),
        ("en", "fr", "anglais"),
        ("en", "es", "inglés"),
        ("en", "pl", "angielski"),
        ("en", "ru", "английский"),
        ("en", "el", "αγγλικά"),
        ("en", "de", "Englisch"),
        ("en", "nl", "Engels"),
        ("en", "tr", "İngilizce"),
        ("it", "en", "Italian"),
        ("en", "fa", "انگلیسی"),
    ],
)
def test_language_names_are_cased_as_each_language_writes_them_mid_sentence(lang, in_lang, expected):
    assert i18n.language_name(lang, in_lang) == expected


def test_a_language_names_itself_capitalised_in_menus():
    assert [i18n.language_name(code) for code in ("it", "sv", "fa")] == ["Italiano", "Svenska", "فارسی"]


@pytest.mark.parametrize(
    ("lang", "family", "numerals"),
    [
        ("en", "latn", "latn"),
        ("ru", "latn", "latn"),
        ("fa", "arab", "arabext"),
        ("ur", "arab", "latn"),
        ("zh", "cjk", "latn"),
        ("ja", "cjk", "latn"),
        ("ko", "kore", "latn"),
        ("hi", "deva", "latn"),
    ],
)
def test_the_script_table_follows_the_language(lang, family, numerals):
    assert scripts.page_attributes(lang) == {"data-script": family, "data-numerals": numerals}
    assert scripts.upright(lang) == (family != "latn")


def test_persian_dates_have_their_solar_hijri_twin():
    assert scripts.solar_hijri_date(datetime.date(2026, 6, 21)) == "۳۱ خرداد ۱۴۰۵"
    assert scripts.solar_hijri_date(datetime.datetime(2026, 3, 21, 12)) == "۱ فروردین ۱۴۰۵"
    persian = scripts.Dates("fa", scripts.calendars_of("fa"))
    # Solar Hijri first, the Gregorian in brackets (issue 25)
    assert persian.first(datetime.date(2026, 6, 21)) == "۳۱ خرداد ۱۴۰۵"
    assert persian.others(datetime.date(2026, 6, 21)) == "۲۱ ژوئن ۲۰۲۶"
    assert scripts.Dates("en", scripts.calendars_of("en")).others(datetime.date(2026, 6, 21)) == ""


# -- pages ---------------------------------------------------------------------------


def test_the_root_element_names_script_and_numerals(site):
    html = page(site, "fa/index.html").html
    assert (html["lang"], html["dir"], html["data-script"], html["data-numerals"]) == (
        "fa",
        "rtl",
        "arab",
        "arabext",
    )
    assert page(site, "en/index.html").html["data-script"] == "latn"


def test_sections_are_listed_in_the_papers_order_in_every_language(site):
    """terms.toml's order (strikes, party-press, security-online), never alphabetical."""
    for lang in LANGS:
        links = page(site, f"{lang}/index.html").select("nav.sections a[href*='/section/']")
        slugs = [link["href"].rstrip("/").rsplit("/", 1)[-1] for link in links]
        column = TEST_LANGUAGES.index(lang)
        expected = [
            slugify(TEST_SECTIONS[key][column]) for key in ("strikes", "party-press", "security-online")
        ]
        assert [s.lower() for s in slugs] == expected, (lang, slugs)


def test_front_pages_name_the_date_and_link_the_current_issue(site):
    for lang in LANGS:
        front = page(site, f"{lang}/index.html")
        assert front.select_one(".masthead .dateline time")["datetime"] == "2026-06-21"
        current = front.select(".masthead .current-issue a")
        assert [link["href"] for link in current] == [f"../{lang}/issues/cl-2/"]
        assert front.select_one("main .front-issue a")["href"] == f"../{lang}/issues/cl-2/"
    fa = page(site, "fa/index.html")
    assert "خرداد ۱۴۰۵" in fa.select_one(".masthead .dateline").get_text()
    assert "۲" in fa.select_one(".masthead .current-issue a").get_text()


def test_the_archive_writes_years_in_the_editions_digits(site):
    # the Persian archive counts Solar Hijri years (issue 25)
    persian_years = [h.get_text() for h in page(site, "fa/archive/index.html").select(".archive-year h2")]
    assert persian_years == ["۱۴۰۵", "۱۴۰۴"]
    assert [h.get_text() for h in page(site, "en/archive/index.html").select(".archive-year h2")] == ["2026"]


def test_an_article_opens_with_standfirst_and_issue_and_ends_with_the_share_caption(site):
    html = page(site, "it/lead/index.html")
    article_tag = html.select_one("main article.article")
    parts = [child for child in article_tag.find_all(recursive=False)]
    header, body = parts[0], article_tag.select_one(".body")
    assert (
        header.select_one("h1 + .standfirst").get_text() == "I porti tengono: La sezione si è riunita marted"
    )
    assert "2" in header.select_one(".issued a").get_text()
    share = article_tag.select_one("figure.share")
    assert parts.index(body) < parts.index(share)
    # no SITEURL in this build: no public address to print (a relative one reads as nonsense on paper)
    assert not html.select_one("link[rel=canonical]")["href"].startswith("http")
    assert html.select_one(".print-address") is None


def test_search_indexes_only_the_text_with_title_standfirst_date_section_and_type(site):
    html = page(site, "en/lead/index.html")
    assert [tag.name for tag in html.select("[data-pagefind-body]")] == ["div"]
    assert html.select_one("[data-pagefind-body]")["class"] == ["body"]
    assert html.select_one("h1")["data-pagefind-meta"] == "title"
    assert html.select_one(".standfirst")["data-pagefind-meta"] == "standfirst"
    filters = {tag["data-pagefind-filter"] for tag in html.select("[data-pagefind-filter]")}
    assert filters == {"Type:Article", "Section:Strikes"}
    meta = {tag["data-pagefind-meta"] for tag in html.select("span[data-pagefind-meta]")}
    # "image:" (empty) stops Pagefind from indexing the address of the page's first picture
    assert meta == {"Type:Article", "Section:Strikes", "Date:May 1, 2026", "image:"}
    issue = page(site, "it/issues/cl-2/index.html")
    assert {tag["data-pagefind-filter"] for tag in issue.select("[data-pagefind-filter]")} == {"Tipo:Numero"}
    # the contents of an issue are not indexed as the issue's text
    assert not issue.select(".contents [data-pagefind-body], [data-pagefind-body] .contents")


def test_issue_pages_have_a_clean_header_and_link_their_neighbours(site):
    newer = page(site, "en/issues/cl-2/index.html")
    header = newer.select_one(".issue-header")
    assert header.get_text().count("The Communist Left No. 2") == 1
    assert newer.select_one(".issue-nav a[rel=prev]")["href"] == "../../../en/issues/cl-1/"
    assert newer.select_one(".issue-nav a[rel=next]") is None
    older = page(site, "fa/issues/cl-1/index.html")
    assert older.select_one(".issue-nav a[rel=next]")["href"] == "../../../fa/issues/cl-2/"
    assert [li.select_one(".card-title").get_text() for li in older.select("ol.toc > li")] == [
        "تلفن‌ها",
        "نشریه",
    ]


def test_the_404_page_offers_search_and_the_latest_stories(site):
    html = page(site, "sv/404.html")
    form = html.select_one("main form[role=search]")
    assert form["action"] == "/sv/search/" and form.select_one("input[name=q]")
    titles = [card.get_text() for card in html.select("main .card-title")]
    assert titles == ["Hamnarna håller", "Strejkkassor", "Tidningen", "Telefonerna"]


def test_the_footer_links_the_standalone_pages_feeds_and_issues(site):
    for lang, about in {"en": "About the press", "it": "Chi siamo", "fa": "درباره‌ی ما"}.items():
        footer = page(site, f"{lang}/lead/index.html").select_one("footer")
        links = {a.get_text(): a["href"] for a in footer.select("a")}
        assert links[about] == f"../../{lang}/about/"
        assert f"../../{lang}/feed.xml" in links.values()
        assert f"../../{lang}/publications/communist-left/" in links.values()


def test_every_page_has_a_description(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        description = html.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), path
    assert page(site, "en/lead/index.html").find("meta", attrs={"name": "description"})["content"] == (
        "Share The Docks Hold."
    )


def test_the_lead_comes_with_its_picture_across_the_front_page(site):
    for lang in LANGS:
        lead = page(site, f"{lang}/index.html").select_one("main .front-lead article.card-lead")
        picture = lead.select_one("img.card-picture")
        assert picture["src"] == "../articles/lead/docks.png"
        assert picture["alt"] == ALT[lang]
        assert "card-with-picture" in lead["class"]
    # an ordinary story shows no picture on the front page
    assert len(page(site, "en/index.html").select("main img")) == 1
