"""Audit of the contract's builds, output and front page (§2, §4, §5) as an outside checker.

One content folder of the checker's own (English, Arabic and Chinese editions, German being
prepared, an original in Arabic, one in Chinese, an issue, a page) is built once by the
``pelican`` command with the development settings and once with the publishing settings, and
every page of both outputs is held to §4: its ``<html lang dir>``, its ``hreflang`` links and
the visible list of its other versions. A few small builds check what one site cannot: the
site's address, the default language and byte-identical output.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from sitebuild import (
    FIXED_NOW,
    PELICAN,
    PROJECT,
    article,
    build_tree,
    run_pelican,
    terms_document,
    translation,
    write_tree,
)

SITEURL = "https://audit.example.org"
EDITORIAL_HEADERS = (
    "Date",
    "Category",
    "Tags",
    "Placement",
    "Order",
    "Until",
    "Languages",
    "Image",
    "Embargo",
    "Correction",
)
LANGUAGES = ["en", "ar", "zh"]
PREPARING = "de"
RTL = {"ar", "fa", "he"}
NAMES = {"en": "The Paper", "ar": "الصحيفة", "zh": "报纸", "de": "Die Zeitung"}
SETTINGS = {"LANGUAGES": LANGUAGES, "PRESS_PREPARING": [PREPARING], "PRESS_SITE_NAME": NAMES}

TERMS = terms_document(
    sections={"news": {"en": "News", "ar": "أخبار", "zh": "新闻", "de": "Nachrichten"}},
    tags={"docks": {"en": "docks", "ar": "موانئ", "zh": "码头", "de": "Häfen"}},
    publications={"left": {"en": "The Left", "ar": "اليسار", "zh": "左翼", "de": "Die Linke"}},
)
LEAD = article(
    "Dockers hold the line",
    "The dockers held the line for a whole week.\n",
    date="2026-06-01",
    category="news",
    tags="docks",
    placement="lead",
)
EDITORIAL = article(  # an original in a language that is not DEFAULT_LANG
    "افتتاحية الحزب",
    "الحزب يقف مع العمال في كل مكان.\n",
    date="2026-05-01",
    category="news",
    placement="editorial",
)
ISSUE = article(
    "Issue one",
    "The first issue of the paper.\n",
    date="2026-06-05",
    publication="left",
    number="1",
    contents="new, lead, old",  # neither alphabetical nor by date
)
ABOUT = article("About the paper", "An anonymous paper of the party.\n")

# key, date, headers: English originals with no other version
ENGLISH_ONLY = [
    ("feat-a", "2026-05-02", {"placement": "feature", "order": "2"}),
    ("feat-b", "2026-05-03", {"placement": "feature", "order": "1"}),
    ("feat-c", "2026-05-04", {"placement": "feature", "order": "1"}),
    # active on SOURCE_DATE_EPOCH's day, lapsed by the machine's clock (after 2026-09)
    ("feat-d", "2026-02-15", {"placement": "feature", "order": "3", "until": "2026-09-01"}),
    ("lapsed", "2026-04-01", {"placement": "lead", "until": "2026-06-20"}),  # FIXED_NOW is 06-21
    ("old", "2026-01-01", {}),
    ("new", "2026-06-10", {}),
    ("enonly", "2026-03-01", {"languages": "en"}),
    ("future", "2026-07-01", {}),  # after SOURCE_DATE_EPOCH: not published yet
]
# The front page of every edition (§5): lead, editorial, features by Order (ties: newer
# first), then the rest newest first; a lapsed lead ranks by its date.
FRONT_ORDER = [
    "lead",
    "edit",
    "feat-c",
    "feat-b",
    "feat-a",
    "feat-d",
    "new",
    "lapsed",
    "enonly",
    "zhonly",
    "old",
]


def tree() -> dict[str, str]:
    files = {
        "terms.toml": TERMS,
        "articles/lead/en.md": LEAD,
        "articles/lead/ar.md": translation(
            LEAD, "en", "عمال الموانئ يصمدون", "صمد عمال الموانئ أسبوعا كاملا.\n"
        ),
        "articles/lead/zh.md": translation(LEAD, "en", "码头工人坚守阵地", "码头工人坚守了整整一个星期。\n"),
        "articles/lead/de.md": translation(
            LEAD,
            "en",
            "Die Hafenarbeiter halten stand",
            "Die Hafenarbeiter hielten eine ganze Woche stand.\n",
        ),
        "articles/edit/ar.md": EDITORIAL,
        "articles/edit/en.md": translation(
            EDITORIAL, "ar", "The party's editorial", "The party stands with the workers everywhere.\n"
        ),
        "issues/n1/en.md": ISSUE,
        "issues/n1/ar.md": translation(ISSUE, "en", "العدد الأول", "العدد الأول من الصحيفة.\n"),
        "pages/about/en.md": ABOUT,
        "pages/about/zh.md": translation(ABOUT, "en", "关于本报", "党的匿名报纸。\n"),
        "articles/zhonly/zh.md": article(
            "中文报道", "这是一篇只有中文的报道。\n", date="2026-02-01", category="news"
        ),
    }
    for key, date, headers in ENGLISH_ONLY:
        files[f"articles/{key}/en.md"] = article(
            f"Story {key}", f"The story {key} is told here.\n", date=date, category="news", **headers
        )
    return files


def complete_tree() -> dict[str, str]:
    """The same paper with no problem left, for a strict publishing build: every key in every
    published language (or narrowed with Languages); German stays half done, as a preparing
    edition may."""
    files = tree()
    files["articles/edit/zh.md"] = translation(
        EDITORIAL, "ar", "党的社论", "党在任何地方都与工人站在一起。\n"
    )
    files["issues/n1/zh.md"] = translation(ISSUE, "en", "第一期", "本报的第一期。\n")
    files["pages/about/ar.md"] = translation(ABOUT, "en", "عن الصحيفة", "صحيفة الحزب بلا أسماء.\n")
    files["issues/n1/en.md"] = ISSUE.replace("new, lead, old", "lead, edit")
    files["issues/n1/ar.md"] = translation(
        files["issues/n1/en.md"], "en", "العدد الأول", "العدد الأول من الصحيفة.\n"
    )
    files["issues/n1/zh.md"] = translation(files["issues/n1/en.md"], "en", "第一期", "本报的第一期。\n")
    for key, date, headers in ENGLISH_ONLY:
        files[f"articles/{key}/en.md"] = article(
            f"Story {key}",
            f"The story {key} is told here.\n",
            date=date,
            category="news",
            **{**headers, "languages": "en"},
        )
    files["articles/zhonly/zh.md"] = article(
        "中文报道", "这是一篇只有中文的报道。\n", date="2026-02-01", category="news", languages="zh"
    )
    return files


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    # four cards a page: the front pages' later pages are pages too (§4), in the same order (§5)
    # PRESS_EDITIONS as pelicanconf.py sets it (tests/sitebuild.py turns it off unless given)
    assert read_settings(str(PROJECT / "pelicanconf.py"))["PRESS_EDITIONS"] is True
    overrides = {**SETTINGS, "PRESS_FRONT_PAGE_SIZE": 4, "PRESS_EDITIONS": True}
    built = build_tree(tmp_path_factory.mktemp("dev"), tree(), overrides=overrides)
    assert built.returncode == 0, built.log
    assert built.exists("en/page/2/index.html")
    return built


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    built = build_tree(
        root,
        complete_tree(),
        settings_file="publishconf.py",
        overrides={**SETTINGS, "SITEURL": SITEURL, "CACHE_PATH": str(root / "cache")},
    )
    assert built.returncode == 0, built.log
    assert built.problems() == [], built.report
    return built


def soup(built, path: str) -> BeautifulSoup:
    return BeautifulSoup(built.page(path), "html.parser")


def html_pages(built) -> list[str]:
    return sorted(
        path.relative_to(built.output).as_posix()
        for path in built.output.rglob("*.html")
        if "pagefind" not in path.relative_to(built.output).parts
    )


def target(page: str, href: str) -> str | None:
    """The output file an href on ``page`` leads to (None: another host)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if not href.startswith(SITEURL + "/"):
            return None
        path = unquote(parts.path)[1:]
    elif parts.path.startswith("/"):
        path = unquote(parts.path)[1:]
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if path in ("", "."):
        return "index.html"
    return path.rstrip("/") + "/index.html" if parts.path.endswith("/") else path


def edition_of(page: str, built) -> str:
    first = page.split("/")[0]
    return first if (built.output / first).is_dir() and "/" in page else "en"


def alternates(built, page: str) -> dict[str, str | None]:
    links = soup(built, page).find_all("link", rel="alternate", hreflang=True)
    return {link["hreflang"]: target(page, link["href"]) for link in links}


def versions_of(built, kind: str, key: str) -> set[str]:
    """The languages whose version of KEY the output holds (its page exists)."""
    folder = f"issues/{key}" if kind == "issues" else key
    return {lang for lang in [*LANGUAGES, PREPARING] if built.exists(f"{lang}/{folder}/index.html")}


CONTENT_PAGES = [("articles", "lead"), ("articles", "edit"), ("issues", "n1"), ("pages", "about")]


def content_page(lang: str, kind: str, key: str) -> str:
    return f"{lang}/issues/{key}/index.html" if kind == "issues" else f"{lang}/{key}/index.html"


def unseen(element) -> bool:
    """Whether a reader cannot see ``element``: it or a parent is hidden or a template."""
    return any(
        node.has_attr("hidden") or node.name == "template" or "visually-hidden" in node.get("class", [])
        for node in [element, *element.parents]
        if node.name
    )


def front_cards(built, lang: str) -> list[tuple[str, str, object]]:
    """Every card of LANG's front page and its later pages: (the page it leads to, key, card)."""
    cards, pages = [], [f"{lang}/index.html"]
    while built.exists(f"{lang}/page/{len(pages) + 1}/index.html"):
        pages.append(f"{lang}/page/{len(pages) + 1}/index.html")
    for page in pages:
        for card in soup(built, page).select("article.card"):
            path = target(page, card.select_one(".card-title a")["href"])
            cards.append((path, path.split("/")[-2], card))
    return cards


def card_keys(built, page: str) -> list[str]:
    """The keys of the articles a listing shows, in order (from the links' last folder)."""
    cards = soup(built, page).select("article.card .card-title a")
    return [target(page, a["href"]).split("/")[-2] for a in cards]


# -- §4: the layout ------------------------------------------------------------------------


def test_every_edition_has_its_front_page_and_every_version_its_page(dev, published):
    for built, langs in ((dev, [*LANGUAGES, PREPARING]), (published, LANGUAGES)):
        for lang in langs:
            assert built.exists(f"{lang}/index.html"), lang
    for path in (
        "en/lead/index.html",
        "ar/lead/index.html",
        "zh/lead/index.html",
        "ar/edit/index.html",  # an Arabic original
        "en/edit/index.html",
        "zh/zhonly/index.html",  # a Chinese original
        "en/issues/n1/index.html",
        "ar/issues/n1/index.html",
    ):
        assert dev.exists(path), path
    assert not dev.exists("zh/edit/index.html")  # no Chinese version: no page of its own
    assert not dev.exists("en/future/index.html")  # dated after SOURCE_DATE_EPOCH


def test_the_root_leads_to_the_default_languages_front_page_of_any_default(build_site):
    files = {
        "terms.toml": TERMS,
        "articles/edit/ar.md": EDITORIAL,
        "articles/edit/en.md": translation(
            EDITORIAL, "ar", "The party's editorial", "The party stands with the workers everywhere.\n"
        ),
    }
    built = build_site(files, languages=["ar", "en"], default_lang="ar", PRESS_SITE_NAME=NAMES)
    assert built.returncode == 0, built.log
    root = soup(built, "index.html")
    refresh = root.find("meta", attrs={"http-equiv": "refresh"})
    assert (
        refresh is not None
        and target("index.html", refresh["content"].split("url=", 1)[1]) == "ar/index.html"
    )
    assert root.find("html")["lang"] == "ar" and root.find("html")["dir"] == "rtl"
    links = alternates(built, "index.html")
    assert links["x-default"] == "ar/index.html"
    assert alternates(built, "en/edit/index.html")["x-default"] == "ar/edit/index.html"


def test_issue_pages_link_a_pdf_a_booklet_and_an_epub_in_their_language(published):
    for lang in LANGUAGES:
        page = f"{lang}/issues/n1/index.html"
        hrefs = {target(page, a["href"]) for a in soup(published, page).find_all("a", href=True)}
        files = {path for path in hrefs if path and path.startswith(f"{lang}/issues/n1/")}
        pdfs = sorted(path for path in files if path.endswith(".pdf"))
        epubs = [path for path in files if path.endswith(".epub")]
        assert len(pdfs) == 2 and len(epubs) == 1, files
        assert pdfs[0].endswith("-booklet.pdf") and not pdfs[1].endswith("-booklet.pdf"), pdfs
        for path in [*pdfs, *epubs]:
            assert f"-{lang}" in path.rsplit("/", 1)[1], path  # that issue in that language
            data = (published.output / path).read_bytes()
            assert data[:4] in (b"%PDF", b"PK\x03\x04"), path


# -- §4: every page ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["dev", "published"])
def test_every_page_states_its_language_and_direction(which, request):
    built = request.getfixturevalue(which)
    wrong = []
    for page in html_pages(built):
        lang = edition_of(page, built)
        html = soup(built, page).find("html")
        expected = "rtl" if lang in RTL else "ltr"
        if (html.get("lang"), html.get("dir")) != (lang, expected):
            wrong.append((page, html.get("lang"), html.get("dir")))
    assert wrong == []
    assert len(html_pages(built)) > 30


@pytest.mark.parametrize("which", ["dev", "published"])
def test_every_page_links_its_versions_with_hreflang_and_x_default_both_ways(which, request):
    built = request.getfixturevalue(which)
    every = {page: alternates(built, page) for page in html_pages(built)}
    wrong = []
    for page, links in every.items():
        lang = edition_of(page, built)
        if "x-default" not in links or lang not in links:
            wrong.append((page, "lacks its own language or x-default", sorted(links)))
            continue
        if page != "index.html" and links[lang] != page:
            wrong.append((page, "its own hreflang leads elsewhere", links[lang]))
        for other, path in links.items():
            if path is None or not built.exists(path):
                wrong.append((page, other, "leads to no page", path))
            elif other not in ("x-default", lang) and page != "index.html":
                back = every.get(path, {}).get(lang)
                if back != page:
                    wrong.append((page, other, path, "does not link back", back))
    assert wrong == []


@pytest.mark.parametrize("which", ["dev", "published"])
def test_an_article_issue_or_page_links_exactly_its_existing_versions(which, request):
    built = request.getfixturevalue(which)
    for kind, key in CONTENT_PAGES:
        langs = versions_of(built, kind, key)
        assert len(langs) >= 2, (kind, key, langs)
        for lang in langs:
            page = content_page(lang, kind, key)
            links = alternates(built, page)
            assert set(links) - {"x-default"} == langs, page
            assert {other: links[other] for other in langs} == {
                other: content_page(other, kind, key) for other in langs
            }


@pytest.mark.parametrize("which", ["dev", "published"])
def test_every_page_shows_its_other_languages_as_visible_links(which, request):
    built = request.getfixturevalue(which)
    hidden = []
    for page in html_pages(built):
        document = soup(built, page)
        body = document.find("body")
        shown = {target(page, a["href"]) for a in body.find_all("a", href=True) if not unseen(a)}
        lang = edition_of(page, built)
        for other, path in alternates(built, page).items():
            if other not in ("x-default", lang) and path not in shown:
                hidden.append((page, other, path))
    assert hidden == []


@pytest.mark.parametrize("which", ["dev", "published"])
def test_each_other_version_is_listed_under_its_own_translated_title(which, request):
    built = request.getfixturevalue(which)
    for kind, key in CONTENT_PAGES:
        langs = versions_of(built, kind, key)
        titles = {
            lang: soup(built, content_page(lang, kind, key)).find("h1").get_text(" ", strip=True)
            for lang in langs
        }
        assert len(set(titles.values())) == len(langs), titles  # the fixture's titles differ
        for lang in langs:
            page = content_page(lang, kind, key)
            body = soup(built, page).find("body")
            for other in langs - {lang}:
                links = [
                    a
                    for a in body.find_all("a", href=True)
                    if target(page, a["href"]) == content_page(other, kind, key)
                ]
                texts = [a.get_text(" ", strip=True) for a in links]
                assert any(titles[other] in text for text in texts), (page, other, texts)
                assert any(a.get("hreflang") == other or a.get("lang") == other for a in links), (page, other)


# -- §5: the front page ----------------------------------------------------------------------


def test_every_edition_lists_the_same_articles_in_the_same_order(dev):
    for lang in LANGUAGES:
        expected = [key for key in FRONT_ORDER if lang == "en" or key != "enonly"]
        assert [key for _, key, _ in front_cards(dev, lang)] == expected, lang


def test_an_article_without_a_version_in_an_edition_is_shown_in_one_marked_with_its_language(dev):
    shown = {}
    for path, key, card in front_cards(dev, "zh"):
        title_lang = card.select_one(".card-title").get("lang")
        shown[key] = (path.split("/")[0], title_lang, card.get_text(" ", strip=True))
    # the Arabic editorial, untranslated into Chinese: its Arabic version, marked as Arabic
    lang, title_lang, text = shown["edit"]
    assert (lang, title_lang) == ("ar", "ar")
    assert "阿拉伯语" in text  # "Arabic", named in the edition's language
    # an English story: its English version, marked as English
    lang, title_lang, text = shown["old"]
    assert (lang, title_lang) == ("en", "en") and "英语" in text
    # the edition's own versions are not marked
    lang, title_lang, text = shown["lead"]
    assert (lang, title_lang) == ("zh", None) and "英语" not in text


def test_placement_order_holds_on_the_publishing_build_too(published):
    for lang, expected in (
        ("en", ["lead", "edit", "feat-c", "feat-b", "feat-a", "feat-d", "new", "lapsed", "enonly", "old"]),
        ("ar", ["lead", "edit"]),
        ("zh", ["lead", "edit", "zhonly"]),
    ):
        assert card_keys(published, f"{lang}/index.html") == expected, lang


def test_two_active_editorials_are_a_placement_conflict_that_fails_the_publishing_build(build_site):
    files = {
        "terms.toml": TERMS,
        "articles/one/en.md": article(
            "One", "The first text.\n", date="2026-05-01", category="news", placement="editorial"
        ),
        "articles/two/en.md": article(
            "Two", "The second text.\n", date="2026-05-02", category="news", placement="editorial"
        ),
        "articles/gone/en.md": article(  # lapsed: no conflict
            "Gone",
            "The third text.\n",
            date="2026-05-03",
            category="news",
            placement="editorial",
            until="2026-06-01",
        ),
    }
    built = build_site(files, languages=["en"], settings_file="publishconf.py", strict=True, SITEURL=SITEURL)
    assert built.returncode != 0
    assert {p["key"] for p in built.problems("placement-conflict")} == {"one", "two"}, built.report


# -- §5: issues -----------------------------------------------------------------------------------


def test_issue_contents_keep_their_order_in_every_language(dev, published):
    assert card_keys(dev, "en/issues/n1/index.html") == ["new", "lead", "old"]
    # the Arabic issue shows the Arabic lead and the English versions of the others
    page = "ar/issues/n1/index.html"
    cards = soup(dev, page).select("article.card .card-title a")
    assert [target(page, a["href"]) for a in cards] == [
        "en/new/index.html",
        "ar/lead/index.html",
        "en/old/index.html",
    ]
    for lang in LANGUAGES:
        assert card_keys(published, f"{lang}/issues/n1/index.html") == ["lead", "edit"], lang


@pytest.mark.parametrize(
    "lang, publication, issue",
    [("en", "The Left", "en/issues/n1/index.html"), ("ar", "اليسار", "ar/issues/n1/index.html")],
)
def test_an_article_page_names_and_links_the_issue_it_was_in(dev, lang, publication, issue):
    page = f"{lang}/lead/index.html"
    links = [a for a in soup(dev, page).find_all("a", href=True) if target(page, a["href"]) == issue]
    assert links, page
    text = " ".join(a.get_text(" ", strip=True) for a in links)
    assert publication in text and "1" in text


def test_an_article_names_an_issue_without_its_version_in_its_own_language(dev):
    page = "zh/lead/index.html"  # the issue has no Chinese version in the development build
    links = [
        a
        for a in soup(dev, page).find_all("a", href=True)
        if (target(page, a["href"]) or "").endswith("issues/n1/index.html")
    ]
    assert links and dev.exists(target(page, links[0]["href"]))
    assert "左翼" in " ".join(a.get_text(" ", strip=True) for a in links)


# -- §2: editions being prepared -------------------------------------------------------------


def test_the_development_build_marks_a_preparing_edition_as_a_preview(dev):
    for page in ("de/index.html", "de/lead/index.html"):
        assert soup(dev, page).select(".preview-banner"), page
    for page in ("en/index.html", "en/lead/index.html", "ar/lead/index.html"):
        assert not soup(dev, page).select(".preview-banner"), page
    assert dev.problems("missing") and not [p for p in dev.problems() if p["lang"] == PREPARING]


def preparing_leaks(built) -> list[str]:
    """Where the output still names the edition being prepared: a folder or file of its own, a
    link, a language attribute or its site name, in a page, feed, sitemap or offline zip."""
    marks = [f'hreflang="{PREPARING}"', f'lang="{PREPARING}"', f"/{PREPARING}/", NAMES[PREPARING]]
    leaks = []
    for path in sorted(built.output.rglob("*")):
        relative = path.relative_to(built.output)
        if PREPARING in relative.parts or path.stem == PREPARING:
            leaks.append(relative.as_posix())
        elif path.suffix in (".html", ".xml", ".txt", ".json", ".zip"):
            for where, data in readable_parts(path):
                text = data.decode("utf-8", "replace")
                leaks += [f"{relative}{where}: {mark}" for mark in marks if mark in text]
    return leaks


def test_the_publishing_build_leaves_a_preparing_edition_out_of_everything(published):
    assert preparing_leaks(published) == []
    assert "/en/" in published.page("sitemap.xml") and published.exists("offline/en.zip")


def test_a_preparing_edition_stays_out_of_a_non_strict_publishing_build(build_site):
    original = LEAD.replace("Placement: lead\n", "Languages: en\n")
    files = {
        "terms.toml": TERMS,
        "articles/lead/en.md": original,
        "articles/lead/de.md": translation(
            original, "en", "Die Hafenarbeiter halten stand", "Die Hafenarbeiter hielten stand.\n"
        ),
    }
    built = build_site(
        files,
        languages=["en"],
        settings_file="publishconf.py",
        strict=False,  # an outsider's -e PRESS_STRICT=false: still the publishing settings
        SITEURL=SITEURL,
        PRESS_PREPARING=[PREPARING],
        PRESS_SITE_NAME=NAMES,
    )
    assert built.returncode == 0, built.log
    assert built.exists("en/lead/index.html")
    assert preparing_leaks(built) == []


# -- §2: byte-identical builds, whatever the folders ---------------------------------------


def digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def readable_parts(path: Path) -> list[tuple[str, bytes]]:
    """A file's bytes, and what compression hides in it: a zip's (EPUB's) members, a PDF's
    Flate streams."""
    data = path.read_bytes()
    parts = [("", data)]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            parts += [(f" {info.filename}", archive.read(info)) for info in archive.infolist()]
    elif data[:4] == b"%PDF":
        for index, match in enumerate(re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)):
            with contextlib.suppress(zlib.error):  # not a Flate stream (an image's own coding)
                parts.append((f" stream {index}", zlib.decompress(match.group(1))))
    return parts


def machine_paths_in(folder: Path, *paths: Path) -> list[str]:
    """Files of ``folder`` that hold a ``file:`` URI or one of ``paths``, also compressed inside."""
    needles = [b"file:", str(PROJECT).encode(), f"{Path.home()}/".encode()]
    for path in paths:
        needles += [str(path).encode(), str(path).encode("unicode_escape"), str(path.resolve()).encode()]
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            for where, data in readable_parts(path):
                found += [f"{path.relative_to(folder)}{where}: {n!r}" for n in needles if n in data]
    return found


@pytest.mark.parametrize(
    "settings_file, files",
    [("pelicanconf.py", tree), ("publishconf.py", complete_tree)],
    ids=["development", "publishing"],
)
def test_two_builds_into_different_folders_are_byte_identical_and_name_no_machine_path(
    tmp_path, settings_file, files
):
    outputs = []
    for content, output in (
        (tmp_path / "a" / "content", tmp_path / "a" / "out"),
        (tmp_path / "b c é" / "other content", tmp_path / "b c é" / "deeper" / "site"),
    ):
        write_tree(content, files())
        overrides = {**SETTINGS, "SITEURL": SITEURL, "CACHE_PATH": str(output.parent / "cache")}
        result = run_pelican(
            content, output, output.parent / "report.json", settings_file=settings_file, overrides=overrides
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append((content, output))
    (first_content, first), (second_content, second) = outputs
    one, two = digests(first), digests(second)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.endswith(".pdf") for name in one) == (settings_file == "publishconf.py")
    assert machine_paths_in(first, tmp_path, first_content, first) == []
    assert machine_paths_in(second, tmp_path, second_content, second) == []


# -- §2: the publishing build's address ------------------------------------------------------


def publish_without_address(tmp_path: Path, *extra: str, env_siteurl: str | None = None):
    content, report = tmp_path / "content", tmp_path / "report.json"
    if not content.exists():
        write_tree(
            content,
            {"terms.toml": TERMS, "articles/edit/ar.md": EDITORIAL.replace("Placement: editorial\n", "")},
        )
    command = [*PELICAN, str(content), "-s", str(PROJECT / "publishconf.py"), "-o", str(tmp_path / "out")]
    command += [
        "-e",
        'LANGUAGES=["ar"]',
        'DEFAULT_LANG="ar"',
        f"PRESS_REPORT={json.dumps(str(report))}",
        *extra,
    ]
    env = {k: v for k, v in os.environ.items() if k != "PRESS_SITEURL"}
    env.update(SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="200")
    if env_siteurl is not None:
        env["PRESS_SITEURL"] = env_siteurl
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=300)


def test_a_publishing_build_without_an_address_fails_with_one_clear_line(tmp_path):
    result = publish_without_address(tmp_path)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1, lines
    assert "SITEURL" in lines[0] and "PRESS_SITEURL" in lines[0] and "Traceback" not in lines[0]
    # an address that is not one counts as none, also from the environment
    result = publish_without_address(tmp_path, env_siteurl="example.org")
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1 and "SITEURL" in lines[0], lines


@pytest.mark.parametrize("how", ["environment", "override"])
def test_a_publishing_build_takes_its_address_from_the_environment_or_an_override(tmp_path, how):
    address = "https://elsewhere.example.net/paper"
    if how == "environment":
        result = publish_without_address(tmp_path, env_siteurl=address)
    else:
        result = publish_without_address(tmp_path, f"SITEURL={json.dumps(address)}")
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((tmp_path / "out" / "ar" / "edit" / "index.html").read_text(), "html.parser")
    assert page.find("link", rel="canonical")["href"] == f"{address}/ar/edit/"


def test_the_publishing_settings_import_without_an_address():
    env = {k: v for k, v in os.environ.items() if k != "PRESS_SITEURL"}
    script = "import runpy, sys; runpy.run_path(sys.argv[1])"
    result = subprocess.run(
        [*PELICAN[:1], "-c", script, str(PROJECT / "publishconf.py")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_publishing_build_stopped_for_its_address_leaves_no_earlier_report(tmp_path):
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"problems": [{"kind": "stale", "key": "earlier"}]}), encoding="utf-8")
    result = publish_without_address(tmp_path)
    assert result.returncode != 0
    assert not report.exists() or "earlier" not in report.read_text(encoding="utf-8")


# -- §7: the tasks, as another program calls them ---------------------------------------------


def copy_project(root: Path) -> Path:
    """A copy of the project's files as git knows them (not its tests), for tasks that write."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if not name.startswith("tests/") and source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PRESS_SITEURL")}
    env.update(COLUMNS="200")
    return subprocess.run(
        [str(Path(PELICAN[0]).parent / "invoke"), "-r", str(project), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


REFUSALS = [
    ("translate", "--key", "no-such-key", "--lang", "it"),
    ("translate", "--lang", "it"),  # no key at all
    ("translate", "--key", "strike-funds", "--lang", "it"),  # exists: only --force starts it again
    ("po-export", "no-such-key", "it"),
    ("po-export", "--key", "strike-funds", "--lang", "it", "--kind", "issues"),  # no such issue
    ("po-export", "strike-funds", "xx"),
    ("po-import", "{tmp}/absent.po"),
    ("serve", "--port", "99999"),
    ("serve", "--port", "0"),
    ("serve", "--output", "content"),  # the content folder itself
    ("signing-key", "--path", "{tmp}/existing.key"),  # never overwritten
    ("signing-key", "--path", "press.key"),  # inside the project: never beside the site's code
    ("new", "--title", "A title", "--section", "strikes", "--lang", "xx"),
    ("new", "--title", "A title", "--section", "strikes", "--key", "Not A Key"),
    ("new", "--title", "A title", "--section", "strikes", "--key", "strike-funds"),  # exists
    ("import-wordpress", "{tmp}/absent.xml", "{tmp}/target"),
    ("import-hugo", "{tmp}/absent", "{tmp}/target"),
    ("import-jekyll", "{tmp}/absent", "{tmp}/target"),
    ("import-pelican", "{tmp}/absent", "{tmp}/target"),
    ("verify", "--source", "{tmp}/absent", "--key", "AJ8QIGQO6Jby6+/p1iZaYuYwld+5gPM7/OmWcbzPUZ8="),
]


@pytest.mark.parametrize("args", REFUSALS, ids=[" ".join(a) for a in REFUSALS])
def test_a_task_that_cannot_do_what_was_asked_says_so_in_one_line(project, tmp_path, args):
    before = digests(project / "content")
    (tmp_path / "existing.key").write_text("mine\n", encoding="utf-8")
    result = invoke(project, *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0, output
    assert len(output) == 1 and "Traceback" not in output[0], output
    assert digests(project / "content") == before
    assert not (tmp_path / "target").exists()
    assert (tmp_path / "existing.key").read_text(encoding="utf-8") == "mine\n"
    assert not (project / "press.key").exists()


@pytest.mark.parametrize("importer", ["import-wordpress", "import-hugo", "import-jekyll", "import-pelican"])
def test_an_importer_refuses_a_target_that_is_not_empty(project, tmp_path, importer):
    source = tmp_path / "source"
    write_tree(source, {"content/en/posts/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\n---\nHello.\n"})
    if importer == "import-wordpress":
        source = tmp_path / "export.xml"
        source.write_text("<rss version='2.0'><channel></channel></rss>\n", encoding="utf-8")
    target = tmp_path / "target"
    write_tree(target, {"notes.txt": "mine\n"})
    result = invoke(project, importer, str(source), str(target))
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0 and len(output) == 1 and "Traceback" not in output[0], output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_new_with_the_contracts_flags_starts_an_original_the_publishing_build_refuses(project, tmp_path):
    result = invoke(
        project, "new", "--title", "Audit of the docks", "--section", "strikes", "--key", "audit-docks"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    made = project / "content" / "articles" / "audit-docks" / "en.md"
    text = made.read_text(encoding="utf-8")
    # every editorial header §3 names for an article (Publication, Number, Contents are an issue's)
    for header in EDITORIAL_HEADERS:
        assert f"\n{header}:" in text, header
    content = tmp_path / "content"
    write_tree(content, {"articles/audit-docks/en.md": text})
    shutil.copy2(project / "content" / "terms.toml", content / "terms.toml")
    now = str(int(made.stat().st_mtime) + 3600)  # invoke new dates the article now
    result = run_pelican(
        content,
        tmp_path / "out",
        tmp_path / "report.json",
        settings_file="publishconf.py",
        overrides={"LANGUAGES": ["en"], "SITEURL": SITEURL},
        epoch=now,
    )
    assert result.returncode != 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["problems"] and {p["path"] for p in report["problems"]} == {"articles/audit-docks/en.md"}


def contract_revision(text: str) -> str:
    """§3's revision of a file, computed from the contract's words alone."""
    body = text.replace("\r\n", "\n").split("\n\n", 1)[1]
    lines = [line.rstrip() for line in body.split("\n")]
    return hashlib.sha256("\n".join(lines).strip("\n").encode("utf-8")).hexdigest()[:12]


def test_translate_and_po_export_with_the_contracts_flags(project):
    result = invoke(
        project, "new", "--title", "Audit of the cranes", "--section", "strikes", "--key", "audit-cranes"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = project / "content" / "articles" / "audit-cranes"
    original = (folder / "en.md").read_text(encoding="utf-8")
    result = invoke(project, "translate", "--key", "audit-cranes", "--lang", "it")
    assert result.returncode == 0, result.stdout + result.stderr
    stamp = f"Translation-Of: en@{contract_revision(original)}"
    assert stamp in (folder / "it.md").read_text(encoding="utf-8")
    # never the original, not even with --force
    result = invoke(project, "translate", "--key", "audit-cranes", "--lang", "en", "--force")
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0 and len(output) == 1, output
    assert (folder / "en.md").read_text(encoding="utf-8") == original
    result = invoke(project, "po-export", "--key", "audit-cranes", "--lang", "it")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b0 translated\b", result.stdout), result.stdout  # still the original's text


def test_a_development_builds_issue_pages_link_their_editions(dev):
    page = "en/issues/n1/index.html"
    hrefs = [a["href"] for a in soup(dev, page).find_all("a", href=True)]
    assert any(href.endswith("-booklet.pdf") for href in hrefs) and any(
        href.endswith(".epub") for href in hrefs
    )


def test_po_export_takes_a_language_being_prepared(tmp_path):
    project = copy_project(tmp_path / "project")
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nPRESS_PREPARING = ["de"]\n')
    result = invoke(project, "translate", "--key", "strike-funds", "--lang", "de")
    assert result.returncode == 0, result.stdout + result.stderr
    result = invoke(project, "po-export", "--key", "strike-funds", "--lang", "de")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b0 translated\b", result.stdout), result.stdout
    # and its translators' status (README: invoke status --lang CODE lists what is left)
    result = invoke(project, "status", "--lang", "de")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "strike-funds" in result.stdout


def test_verify_fails_in_one_line_without_a_key_or_on_an_unsigned_manifest(project, dev, tmp_path):
    result = invoke(project, "signing-key", "--path", str(tmp_path / "press.key"))
    assert result.returncode == 0, result.stdout + result.stderr
    public = re.search(r'PRESS_SIGNING_PUBLIC_KEY = "([A-Za-z0-9+/=]{44})"', result.stdout).group(1)
    copy = tmp_path / "copy"
    shutil.copytree(dev.output, copy)
    from deploy.manifest import write_manifest  # what a release writes beside the site

    write_manifest(copy)
    for args in (["--key", public], []):  # the project's settings name no public key
        result = invoke(project, "verify", "--source", str(copy), *args)
        output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
        assert result.returncode != 0, output
        assert len(output) == 1 and "Traceback" not in output[0], output
    result = invoke(project, "verify", "--source", str(copy), "--key", public, "--allow-unsigned")
    assert result.returncode == 0 and "NOT AUTHENTICATED" in result.stdout, result.stdout + result.stderr
