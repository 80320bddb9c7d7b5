"""The one-pass multilingual site (issue 2): pages, languages, links, feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from sitebuild import article, translation

ATOM = "{http://www.w3.org/2005/Atom}"
LANGS = ["en", "it", "sv", "fa"]

ORIGINAL = article(
    "The Party and Social Media",
    """
    ## Why the paper

    The paper is read in every [section]({filename}../strike-fund/en.md).

    - one
    - two
    """,
    date="2026-03-01 10:00",
    category="Party Press",
    tags="press, media",
    summary="Why the party prints.",
)
STRIKE = article("The Strike Fund", "A fund for every strike.\n", date="2026-02-01", category="Strikes")


def four_language_tree() -> dict[str, str]:
    return {
        "articles/party-and-media/en.md": ORIGINAL,
        "articles/party-and-media/it.md": translation(
            ORIGINAL,
            "en",
            "Il Partito e i media sociali",
            """
            ## Perché il giornale

            Il giornale si legge in ogni [sezione]({filename}../strike-fund/en.md).

            - uno
            - due
            """,
        ),
        "articles/party-and-media/sv.md": translation(
            ORIGINAL,
            "en",
            "Partiet och sociala medier",
            """
            ## Varför tidningen

            Tidningen läses i varje [avdelning]({filename}../strike-fund/en.md).

            - ett
            - två
            """,
        ),
        "articles/party-and-media/fa.md": translation(
            ORIGINAL,
            "en",
            "حزب و رسانه‌های اجتماعی",
            """
            ## چرا نشریه

            نشریه در هر [بخش]({filename}../strike-fund/en.md) خوانده می‌شود.

            - یک
            - دو
            """,
        ),
        "articles/strike-fund/en.md": STRIKE,
        "articles/strike-fund/it.md": translation(
            STRIKE, "en", "La cassa di resistenza", "Una cassa per ogni sciopero.\n"
        ),
        "pages/about/en.md": article("About the press", "An anonymous paper.\n"),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import sitebuild

    return sitebuild.build_module_site(
        tmp_path_factory.mktemp("four"), four_language_tree(), overrides={"LANGUAGES": LANGS}
    ).output


def soup(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_every_language_gets_front_page_and_article(site):
    for lang in LANGS:
        assert (site / lang / "index.html").exists()
        assert (site / lang / "party-and-media" / "index.html").exists()
        assert (site / lang / "feed.xml").exists()
        assert (site / lang / "404.html").exists()
        assert (site / lang / "archive" / "index.html").exists()
    # strike-fund has no sv version: no sv page for it, but it is listed in sv
    assert not (site / "sv" / "strike-fund" / "index.html").exists()


def test_root_leads_to_default_language_without_javascript(site):
    page = soup(site, "index.html")
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh and refresh["content"].endswith("url=en/")
    assert page.find("a", href="en/")
    assert not page.find("script")


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("it", "ltr"), ("sv", "ltr"), ("fa", "rtl")])
def test_html_lang_and_direction(site, lang, direction):
    for path in (f"{lang}/index.html", f"{lang}/party-and-media/index.html"):
        html = soup(site, path).find("html")
        assert html["lang"] == lang
        assert html["dir"] == direction


def test_hreflang_is_reciprocal_with_x_default(site):
    targets = {}
    for lang in LANGS:
        page = soup(site, f"{lang}/party-and-media/index.html")
        links = {
            link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)
        }
        assert set(links) == {*LANGS, "x-default"}
        assert links["x-default"].endswith("en/party-and-media/")
        targets[lang] = links
    for links in targets.values():
        for other in LANGS:
            assert links[other].endswith(f"{other}/party-and-media/")
    strike = soup(site, "it/strike-fund/index.html")
    langs = {link["hreflang"] for link in strike.find_all("link", rel="alternate", hreflang=True)}
    assert langs == {"en", "it", "x-default"}


def test_versions_listed_under_their_translated_titles(site):
    page = soup(site, "en/party-and-media/index.html")
    versions = page.find("aside", class_="versions")
    texts = [a.get_text() for a in versions.find_all("a")]
    assert texts == [
        "Italiano: Il Partito e i media sociali",
        "Svenska: Partiet och sociala medier",
        "فارسی: حزب و رسانه‌های اجتماعی",
    ]
    assert versions.find("a", hreflang="it")["href"] == "../../it/party-and-media/"


def test_language_switcher_leads_to_the_same_article_or_says_it_is_not_translated(site):
    page = soup(site, "it/strike-fund/index.html")
    switcher = page.find("nav", class_="languages")
    assert switcher.find("a", lang="en")["href"] == "../../en/strike-fund/"
    # no Swedish version: the entry says so, in Swedish, and offers the original
    swedish = switcher.find("a", lang="sv")
    assert swedish["href"] == "../../en/strike-fund/" and swedish["hreflang"] == "en"
    assert swedish.get_text(" ", strip=True) == "Svenska (inte översatt än: läs originalet)"


def test_dates_are_localized(site):
    assert "1 marzo 2026" in soup(site, "it/party-and-media/index.html").get_text()
    assert "1 mars 2026" in soup(site, "sv/party-and-media/index.html").get_text()
    assert "March 1, 2026" in soup(site, "en/party-and-media/index.html").get_text()
    assert "۲۰۲۶" in soup(site, "fa/party-and-media/index.html").get_text()


def test_interface_strings_are_translated(site):
    assert soup(site, "it/index.html").find("a", class_="skip-link").get_text() == "Vai al contenuto"
    assert soup(site, "sv/index.html").find("a", class_="skip-link").get_text() == "Hoppa till innehållet"


def test_filename_links_stay_in_their_language(site):
    it_body = soup(site, "it/party-and-media/index.html").find("div", class_="body")
    assert it_body.find("a")["href"] == "../../it/strike-fund/"
    en_body = soup(site, "en/party-and-media/index.html").find("div", class_="body")
    assert en_body.find("a")["href"] == "../../en/strike-fund/"
    # no sv version of the target: the link falls back to an existing version
    sv_body = soup(site, "sv/party-and-media/index.html").find("div", class_="body")
    assert sv_body.find("a")["href"] == "../../en/strike-fund/"


def test_untranslated_article_keeps_its_place_marked_with_its_language(site):
    front = soup(site, "sv/index.html")
    cards = front.find_all("article", class_="card")
    titles = [card.find(class_="card-title").get_text() for card in cards]
    assert titles == ["Partiet och sociala medier", "The Strike Fund"]
    marked = cards[1]
    # only the English title is marked English; the card's date and note are Swedish
    assert not marked.has_attr("lang")
    assert marked.find(class_="card-title")["lang"] == "en"
    assert marked.find(class_="marked").get_text() == "Ännu inte översatt: visas på engelska"


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_parse_and_hold_only_their_language(site, lang):
    feed = ET.parse(site / lang / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    expected = {"en": 2, "it": 2, "sv": 1, "fa": 1}[lang]
    assert len(links) == expected
    assert all(f"{lang}/" in link for link in links)


def test_pages_are_written_per_language(site):
    assert (site / "en" / "about" / "index.html").exists()
    assert soup(site, "en/about/index.html").find("h1").get_text() == "About the press"


def test_right_to_left_edition_is_marked_and_uses_logical_css(site):
    page = soup(site, "fa/index.html")
    assert page.find("html")["dir"] == "rtl"
    css = next((site / "assets").glob("press.*.css")).read_text()
    assert "margin-left" not in css and "padding-left" not in css
    assert "inline-start" in css


def test_language_list_can_be_overridden_on_the_command_line(build_site):
    built = build_site({"articles/one/en.md": article("One", date="2026-01-01")}, languages=["en", "de"])
    assert built.returncode == 0
    assert built.exists("de/index.html")
    assert not built.exists("it/index.html")


def test_sections_tags_and_archive_per_language(site):
    # every edition's term pages at its own language's names (terms.toml)
    assert (site / "it" / "section" / "stampa-di-partito" / "index.html").exists()
    assert "Stampa di partito" in soup(site, "it/section/stampa-di-partito/index.html").find("h1").get_text()
    assert (site / "it" / "tag" / "stampa" / "index.html").exists()
    assert (site / "en" / "tag" / "press" / "index.html").exists()
    archive = soup(site, "it/archive/index.html")
    assert [a.get_text() for a in archive.select(".archive-month a")] == [
        "Il Partito e i media sociali",
        "La cassa di resistenza",
    ]


def test_the_sample_content_builds_in_development_without_a_single_warning(tmp_path):
    import sitebuild

    result = sitebuild.run_pelican(
        sitebuild.PROJECT / "content",
        tmp_path / "output",
        tmp_path / "report.json",
        overrides={"PRESS_SEARCH": False},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log and "ERROR" not in log, log


def test_preview_server_watches_only_folders_that_exist(tmp_path):
    """`invoke serve` (Pelican's autoreload) warns about every static folder that does not exist."""
    import subprocess
    import sys

    import sitebuild

    sitebuild.write_tree(tmp_path / "content", {"articles/one/en.md": article("One", Date="2026-01-01")})
    script = (
        "import sys; from pelican import get_instance, parse_arguments; "
        f"p, s = get_instance(parse_arguments([{str(tmp_path / 'content')!r}, '-s', "
        f"{str(sitebuild.PROJECT / 'pelicanconf.py')!r}])); print(s['STATIC_PATHS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=sitebuild.PROJECT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['articles']"
