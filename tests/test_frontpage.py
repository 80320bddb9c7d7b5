"""Editorial priority and the periodical (issue 4)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sitebuild import article, translation

LANGS = ["en", "it", "sv"]
DAY = 86400
# FIXED_NOW in sitebuild is 2026-06-21 00:00 UTC
NOW = 1782000000


def titles(built, lang, path=None):
    page = BeautifulSoup(built.page(path or f"{lang}/index.html"), "html.parser")
    return [a.get_text() for a in page.select("article.card .card-title a")]


def tree():
    files = {}
    specs = [
        # key, date, placement headers
        ("old-lead", "2026-01-10", {"placement": "lead"}),
        ("the-editorial", "2026-01-11", {"placement": "editorial"}),
        ("feature-two", "2026-03-01", {"placement": "feature", "order": "2"}),
        ("feature-one-old", "2026-02-01", {"placement": "feature", "order": "1"}),
        ("feature-one-new", "2026-02-02", {"placement": "feature", "order": "1"}),
        ("lapsed-feature", "2026-01-05", {"placement": "feature", "order": "0", "until": "2026-06-20"}),
        ("today-feature", "2026-01-04", {"placement": "feature", "order": "9", "until": "2026-06-21"}),
        ("newest", "2026-06-01", {}),
        ("middle", "2026-04-01", {}),
        ("future", "2026-12-01", {}),
    ]
    for key, date, extra in specs:
        original = article(f"EN {key}", f"Body of {key}.\n", date=date, category="News", **extra)
        files[f"articles/{key}/en.md"] = original
        files[f"articles/{key}/it.md"] = translation(original, "en", f"IT {key}", f"Corpo di {key}.\n")
        if key != "middle":  # no Swedish version: keeps its slot, shown in English
            files[f"articles/{key}/sv.md"] = translation(
                original, "en", f"SV {key}", f"Brödtext för {key}.\n"
            )
    return files


EXPECTED = [
    "old-lead",
    "the-editorial",
    "feature-one-new",
    "feature-one-old",
    "feature-two",
    "today-feature",
    "newest",
    "middle",
    "lapsed-feature",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import sitebuild

    return sitebuild.build_module_site(
        tmp_path_factory.mktemp("front"), tree(), overrides={"LANGUAGES": LANGS}
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_edition_has_the_same_order(built, lang):
    prefix = {"en": "EN", "it": "IT", "sv": "SV"}[lang]
    expected = [f"{'EN' if (lang == 'sv' and key == 'middle') else prefix} {key}" for key in EXPECTED]
    assert titles(built, lang) == expected


def test_missing_translation_is_marked_with_its_language(built):
    page = BeautifulSoup(built.page("sv/index.html"), "html.parser")
    card = next(c for c in page.select("article.card") if "EN middle" in c.get_text())
    assert card.select_one(".card-title")["lang"] == "en"
    assert card.select_one(".marked")
    assert card.select_one(".card-title a")["href"] == "../en/middle/"


def test_lead_gets_the_most_room(built):
    page = BeautifulSoup(built.page("en/index.html"), "html.parser")
    first = page.select("article.card")[0]
    assert "card-lead" in first["class"]


def test_future_article_is_not_published_yet(built):
    assert not built.exists("en/future/index.html")


def test_section_front_page_follows_the_same_rules(built):
    assert titles(built, "en", "en/section/news/index.html") == [f"EN {key}" for key in EXPECTED]


def test_feed_stays_chronological(built):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built.output / "en" / "feed.xml").getroot()
    got = [entry.find(f"{atom}title").text for entry in feed.findall(f"{atom}entry")]
    assert got[:3] == ["EN newest", "EN middle", "EN feature-two"]


def test_placement_conflict_fails_strict_build(build_site):
    files = {
        "articles/a/en.md": article("A", date="2026-01-01", placement="lead"),
        "articles/b/en.md": article("B", date="2026-01-02", placement="lead"),
        "articles/c/en.md": article("C", date="2026-01-03", placement="editorial"),
        "articles/d/en.md": article("D", date="2026-01-04", placement="editorial", until="2026-01-31"),
    }
    built = build_site(files, languages=["en"], strict=True)
    assert built.entries() == {
        ("placement-conflict", "a", "en", "articles/a/en.md"),
        ("placement-conflict", "b", "en", "articles/b/en.md"),
    }
    assert built.returncode != 0


def test_a_lapsed_lead_is_no_conflict(build_site):
    files = {
        "articles/a/en.md": article("A", date="2026-01-01", placement="lead", until="2026-06-20"),
        "articles/b/en.md": article("B", date="2026-01-02", placement="lead"),
    }
    built = build_site(files, languages=["en"], strict=True)
    assert built.problems() == []
    assert titles(built, "en") == ["B", "A"]


def test_placement_expires_at_the_end_of_its_until_day(build_site):
    files = {
        "articles/old/en.md": article("Old", date="2026-01-01", placement="lead", until="2026-06-21"),
        "articles/new/en.md": article("New", date="2026-05-01"),
    }
    on_the_day = build_site(files, languages=["en"], name="day", epoch=str(NOW + 23 * 3600))
    assert titles(on_the_day, "en") == ["Old", "New"]
    after = build_site(files, languages=["en"], name="after", epoch=str(NOW + DAY))
    assert titles(after, "en") == ["New", "Old"]


def issue_tree():
    files = {}
    for key, date in (("first", "2026-01-01"), ("second", "2026-01-02"), ("third", "2026-01-03")):
        original = article(f"EN {key}", "Body.\n", date=date)
        files[f"articles/{key}/en.md"] = original
        if key != "second":
            files[f"articles/{key}/it.md"] = translation(original, "en", f"IT {key}", "Corpo.\n")
    issue = article(
        "The Communist Left No. 55",
        "The spring issue.\n",
        date="2026-03-01",
        publication="communist-left",
        number="55",
        contents="third, first, second",
    )
    files["issues/cl-55/en.md"] = issue
    files["issues/cl-55/it.md"] = translation(
        issue, "en", "La Sinistra Comunista n. 55", "Il numero di primavera.\n"
    )
    older = article(
        "The Communist Left No. 54",
        "Winter.\n",
        date="2026-01-15",
        publication="communist-left",
        number="54",
        contents="first",
    )
    files["issues/cl-54/en.md"] = older
    files["issues/cl-54/it.md"] = translation(older, "en", "La Sinistra Comunista n. 54", "Inverno.\n")
    return files


def test_issue_pages_list_contents_in_order(build_site):
    built = build_site(issue_tree(), languages=["en", "it"])
    assert built.entries() == {("missing", "second", "it", "articles/second/it.md")}
    assert titles(built, "it", "it/issues/cl-55/index.html") == ["IT third", "IT first", "EN second"]
    page = BeautifulSoup(built.page("it/issues/cl-55/index.html"), "html.parser")
    marked = page.select("article.card")[2]
    assert marked.select_one(".card-title")["lang"] == "en" and marked.select_one(".marked")


def test_articles_name_and_link_the_issues_that_carried_them(build_site):
    built = build_site(issue_tree(), languages=["en", "it"])
    page = BeautifulSoup(built.page("en/first/index.html"), "html.parser")
    issued = page.select_one(".issued")
    assert "The Communist Left No. 54" in issued.get_text() and "No. 55" in issued.get_text()
    assert [a["href"] for a in issued.select("a")] == ["../../en/issues/cl-54/", "../../en/issues/cl-55/"]
    it_page = BeautifulSoup(built.page("it/first/index.html"), "html.parser")
    assert "La Sinistra Comunista n. 55" in it_page.select_one(".issued").get_text()


def test_publication_archive_lists_issues_newest_first(build_site):
    built = build_site(issue_tree(), languages=["en", "it"])
    page = BeautifulSoup(built.page("en/publications/communist-left/index.html"), "html.parser")
    assert [a.get_text() for a in page.select(".issues a")] == [
        "The Communist Left No. 55",
        "The Communist Left No. 54",
    ]


def test_issue_problems(build_site):
    files = {
        "articles/first/en.md": article("First", date="2026-01-01"),
        "issues/a/en.md": article(
            "A", date="2026-03-01", publication="communist-left", number="7", contents="first, ghost"
        ),
        "issues/b/en.md": article(
            "B", date="2026-03-02", publication="communist-left", number="7", contents="first"
        ),
        "issues/c/en.md": article("C", date="2026-03-03", publication="unknown-paper", number="x"),
    }
    built = build_site(files, languages=["en"])
    messages = {p["path"]: p["message"] for p in built.problems()}
    entries = built.entries("invalid-metadata")
    assert ("invalid-metadata", "a", "en", "issues/a/en.md") in entries
    assert ("invalid-metadata", "b", "en", "issues/b/en.md") in entries
    assert ("invalid-metadata", "c", "en", "issues/c/en.md") in entries
    assert "ghost" in " ".join(p["message"] for p in built.problems() if p["path"] == "issues/a/en.md")
    assert "PRESS_PUBLICATIONS" in messages["issues/c/en.md"] or "Number" in messages["issues/c/en.md"]
    assert any("No. 7" in p["message"] for p in built.problems())


def test_front_page_is_paginated_in_front_page_order(build_site):
    files = {
        f"articles/a{index}/en.md": article(f"A{index}", date=f"2026-01-{index + 1:02d}")
        for index in range(7)
    }
    files["articles/a0/en.md"] = article("A0", date="2026-01-01", placement="lead")
    built = build_site(files, languages=["en"], PRESS_FRONT_PAGE_SIZE=3)
    assert titles(built, "en") == ["A0", "A6", "A5"]
    assert titles(built, "en", "en/page/2/index.html") == ["A4", "A3", "A2"]
    assert titles(built, "en", "en/page/3/index.html") == ["A1"]
    second = BeautifulSoup(built.page("en/page/2/index.html"), "html.parser")
    assert second.find("a", rel="prev")["href"] == "../../../en/"
    assert second.find("a", rel="next")["href"] == "../../../en/page/3/"
