"""The site as readers get it, in a real browser (Chromium): accessibility, languages,
search, sharing, privacy and weight, in every language including right-to-left."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browser_harness import (
    AXE,
    BRANCHES,
    CAPTIONS,
    CHINESE_WORD,
    ENGLISH_WORD,
    HOST,
    ITALIAN_WORD,
    LANGS,
    PERSIAN_WORD,
    STRIKES,
    TITLES,
    UNTRANSLATED,
    build_site,
    serve,
)
from bs4 import BeautifulSoup

CSS_BUDGET = 20 * 1024  # bytes of stylesheets per page
FRONT_PAGE_BUDGET = 60 * 1024  # bytes of a front page's HTML
SEARCH_WORDS = {
    "en": ENGLISH_WORD,
    "it": ITALIAN_WORD,
    "sv": "hamnen",
    "fa": PERSIAN_WORD,
    "zh": CHINESE_WORD,
}
AXE_URL = "__test__/axe.min.js"  # served from node_modules by the test, never by the site

# Each edition's section and tag pages are at its own language's names (content/terms.toml).

PAGES = {
    "front": "{lang}/",
    "article": "{lang}/dock-strike/",
    "section": "{lang}/section/{strikes}/",
    "issue": "{lang}/issues/cl-7/",
    "search": "{lang}/search/",
}
# Every other kind of page, audited too (the untranslated article: its switcher's notes).
MORE_PAGES = {
    "untranslated": f"fa/{UNTRANSLATED}/",
    "archive": "{lang}/archive/",
    "about": "{lang}/about/",
    "publication": "{lang}/publications/communist-left/",
    "tag": "{lang}/tag/{branches}/",
    "not-found": "{lang}/404.html",
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


# -- fixtures: one site, one server and one browser for the module ------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


class Tab:
    """A page in a fresh browser context that records what the browser did."""

    def __init__(self, browser, base_url: str, **context_options) -> None:
        self.base_url = base_url
        self.context = browser.new_context(**context_options)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route(f"**/{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location.get('url')})")

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, path
        return self.page

    def axe(self) -> list[dict]:
        """axe-core's violations on the page as it is now.

        axe is loaded from node_modules/axe-core/axe.min.js through a URL of the
        page's own origin: injecting it inline (add_script_tag(path=...)) is
        exactly what the site's Content-Security-Policy forbids, and bypassing
        the policy would audit a page that readers never get.
        """
        self.page.add_script_tag(url=self.base_url + AXE_URL)
        return self.page.evaluate(
            """async () => {
                // WCAG 2.2 AA (target-size included) as well as axe's default rules
                const results = await axe.run(document, {runOnly: {type: "tag", values: [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary),
                }));
            }"""
        )

    def check(self) -> None:
        """Nothing went to another host, and the console stayed clean."""
        elsewhere = [url for url in self.requests if urlsplit(url).hostname not in (HOST, None)]
        assert elsewhere == [], elsewhere
        assert all(urlsplit(url).scheme in ("http", "data") for url in self.requests), self.requests
        assert self.errors == [], self.errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, base_url):
    tab = Tab(browser, base_url)
    yield tab
    try:
        tab.check()
    finally:
        tab.close()


def search(page, query: str) -> list[str]:
    """Type ``query`` into Pagefind's field; the result links once the search has settled.

    Pagefind first says it is searching, then how many results it found, both
    naming the query: wait until the message has stayed the same for a moment.
    """
    field = page.locator(".pagefind-ui__search-input")
    field.wait_for()
    field.fill(query)
    message = page.locator(".pagefind-ui__message").filter(has_text=query)
    message.wait_for()
    seen, steady = None, 0
    for _ in range(300):
        text = message.inner_text()
        steady = steady + 1 if text == seen else 0
        seen = text
        # "Searching for …..." is not an answer, however long it stays
        if steady >= 3 and not text.rstrip().endswith(("...", "…")):
            break
        page.wait_for_timeout(100)
    return [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]


# -- accessibility ----------------------------------------------------------------------


AUDITED = [
    (lang, kind)
    for lang in LANGS
    for kind in [*PAGES, *MORE_PAGES]
    if "{lang}" in {**PAGES, **MORE_PAGES}[kind] or lang == "fa"
]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("lang", "kind"), AUDITED)
def test_no_axe_violations(browser, base_url, lang, kind, viewport):
    path = {**PAGES, **MORE_PAGES}[kind].format(
        lang=lang, strikes=STRIKES.get(lang), branches=BRANCHES.get(lang)
    )
    tab = Tab(browser, base_url, viewport=VIEWPORTS[viewport])
    try:
        page = tab.open(path)
        assert page.locator("html").get_attribute("lang") == lang
        if kind == "search":  # audit the search interface with results showing
            results = search(page, SEARCH_WORDS[lang])
            assert results
        violations = tab.axe()
        assert violations == [], violations
        tab.check()
    finally:
        tab.close()


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_users_see_the_skip_link_and_the_focus(tab, lang):
    page = tab.open(f"{lang}/dock-strike/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0, "the focused skip link must be on screen"
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first link inside the main content
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] == "A" and outline[1] != "none" and outline[2] >= 2, outline


@pytest.mark.parametrize("lang", LANGS)
def test_landmarks_and_labelled_controls(tab, lang):
    page = tab.open(f"{lang}/search/")
    page.locator(".pagefind-ui__search-input").wait_for()
    for role in ("banner", "main", "contentinfo", "search"):
        assert page.get_by_role(role).count() >= 1, role
    assert page.get_by_role("navigation").count() == 2
    for nav in page.get_by_role("navigation").all():
        assert nav.get_attribute("aria-label")
    field = page.locator(".pagefind-ui__search-input")
    assert field.get_attribute("aria-label"), "the search field needs an accessible name"


# -- languages ------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["it", "sv", "fa"])
def test_the_language_switcher_leads_to_the_same_article(tab, target):
    page = tab.open("en/dock-strike/")
    page.locator("nav.languages").locator(f'a[hreflang="{target}"]').click()
    page.wait_for_url(f"**/{target}/dock-strike/")
    assert page.locator("h1").inner_text() == TITLES["dock-strike"][target]
    assert page.locator("html").get_attribute("lang") == target
    assert page.locator("html").get_attribute("dir") == ("rtl" if target == "fa" else "ltr")
    page.locator("nav.languages").locator('a[hreflang="en"]').click()
    page.wait_for_url("**/en/dock-strike/")


# -- search ---------------------------------------------------------------------------


def test_italian_search_finds_the_italian_article_and_nothing_else(tab):
    page = tab.open("it/search/")
    assert page.locator(".pagefind-ui__search-input").get_attribute("placeholder") == "Cerca"
    results = search(page, ITALIAN_WORD)
    assert "/it/dock-strike/" in results
    # the box's words are the press's catalog's (Pagefind's own Italian says "1 risultato per …")
    said = page.locator(".pagefind-ui__message").inner_text()
    assert said == (
        f"Un risultato per {ITALIAN_WORD}"
        if len(results) == 1
        else f"{len(results)} risultati per {ITALIAN_WORD}"
    )
    assert all(href.startswith("/it/") for href in results), results
    # an English word of the English version is not in the Italian index
    assert search(page, ENGLISH_WORD) == []
    search(page, ITALIAN_WORD)
    page.locator(".pagefind-ui__result-link", has_text=TITLES["dock-strike"]["it"]).click()
    page.wait_for_url("**/it/dock-strike/")
    assert page.locator("h1").inner_text() == TITLES["dock-strike"]["it"]


def test_english_search_does_not_find_the_italian_version(tab):
    page = tab.open("en/search/")
    assert search(page, ITALIAN_WORD) == []
    results = search(page, ENGLISH_WORD)
    assert "/en/dock-strike/" in results  # and the issue that carries it
    assert all(href.startswith("/en/") for href in results), results


def test_persian_search_in_a_right_to_left_page(tab):
    page = tab.open("fa/search/")
    results = search(page, PERSIAN_WORD)
    assert "/fa/dock-strike/" in results
    assert all(href.startswith("/fa/") for href in results), results
    field = page.locator(".pagefind-ui__search-input")
    assert field.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert field.get_attribute("placeholder") == "جستجو"


# -- sharing ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_copy_button_copies_the_official_caption(browser, base_url, lang):
    tab = Tab(browser, base_url)
    try:
        tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
        page = tab.open(f"{lang}/dock-strike/")
        button = page.locator("button.copy-button")
        assert button.is_visible()
        label = button.inner_text()
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == CAPTIONS[lang]
        page.wait_for_function(
            "label => document.querySelector('button.copy-button').textContent !== label", arg=label
        )
        assert button.inner_text() == f"✓ {label}"
        tab.check()
    finally:
        tab.close()


# -- without JavaScript ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_readable_without_javascript(browser, base_url, lang):
    tab = Tab(browser, base_url, java_script_enabled=False)
    try:
        page = tab.open(f"{lang}/dock-strike/")
        assert page.locator("h1").inner_text() == TITLES["dock-strike"][lang]
        assert page.locator(".body p").first.is_visible()
        assert page.locator("#share-caption").inner_text() == CAPTIONS[lang]
        assert not page.locator("button.copy-button").is_visible()  # it needs JavaScript
        page.locator("nav.sections a").first.click()
        page.wait_for_load_state()
        assert page.locator("main .card").count() > 0
        page = tab.open(f"{lang}/search/")
        assert page.locator(f'main a[href$="{lang}/archive/"]').is_visible()  # the <noscript> message
        assert page.locator(".pagefind-ui__search-input").count() == 0
        tab.check()
    finally:
        tab.close()


# -- privacy: every kind of page, nothing but 127.0.0.1, a clean console ----------------------


def test_every_kind_of_page_loads_only_from_the_site_with_a_clean_console(tab, site):
    page = tab.open("index.html")  # the root leads to the default language without JavaScript
    page.wait_for_url("**/en/")
    paths = []
    for lang in LANGS:
        paths += [
            template.format(lang=lang, strikes=STRIKES[lang], branches=BRANCHES[lang])
            for template in PAGES.values()
        ]
        paths += [
            f"{lang}/page/2/",
            f"{lang}/metadata/",
            f"{lang}/school-strike/",
            f"{lang}/about/",
            f"{lang}/archive/",
            f"{lang}/tag/{BRANCHES[lang]}/",
            f"{lang}/publications/communist-left/",
            f"{lang}/404.html",
        ]
    for path in paths:
        assert (site / path.removesuffix("/") / ("" if path.endswith(".html") else "index.html")).exists(), (
            path
        )
        tab.open(path)
        page.wait_for_load_state("load")
    assert any("/pagefind/" in url for url in tab.requests)
    assert any(url.endswith("chart.png") for url in tab.requests)
    tab.check()
    assert page.evaluate("document.cookie") == ""
    assert tab.context.cookies() == []


# -- weight -----------------------------------------------------------------------------


def stylesheet_bytes(site, path) -> int:
    """The size of every stylesheet a page links to (404 pages link from the site root)."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    total = 0
    for link in page.find_all("link", rel="stylesheet"):
        href = urlsplit(link["href"]).path
        file = site / href.lstrip("/") if href.startswith("/") else path.parent / href
        total += file.stat().st_size
    return total


def test_no_page_loads_more_than_20_kb_of_css(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    heaviest = max((stylesheet_bytes(site, path), str(path.relative_to(site))) for path in pages)
    assert heaviest[0] <= CSS_BUDGET, heaviest


@pytest.mark.parametrize("lang", LANGS)
def test_the_front_page_weighs_at_most_60_kb(site, lang):
    front = site / lang / "index.html"
    page = BeautifulSoup(front.read_text(encoding="utf-8"), "html.parser")
    assert len(page.select("main article.card")) == 20  # a full front page
    assert front.stat().st_size <= FRONT_PAGE_BUDGET


def test_reading_needs_no_javascript(site):
    """Scripts only enhance: they are deferred files, and the text is in the HTML."""
    for path in sorted(site.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in page.find_all("script"):
            assert script.get("src") and script.has_attr("defer"), (path, script)
    article = (site / "it/dock-strike/index.html").read_text(encoding="utf-8")
    assert re.search(rf"\b{ITALIAN_WORD}\b", article)


FILTER_WORDS = {"en": "branches", "fa": "شاخه"}  # in articles and in issues
ISSUE_TYPE = {"en": "Issue", "fa": "شماره"}


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_search_results_show_date_section_and_type_and_filter_by_them(tab, lang):
    page = tab.open(f"{lang}/search/")
    results = search(page, FILTER_WORDS[lang])
    assert len(results) >= 5
    first = page.locator(".pagefind-ui__result").first
    tags = first.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert len(tags) == 3, tags  # date, section, type: and never the standfirst again
    # the result's text is the article's, not its title, section or standfirst
    title = first.locator(".pagefind-ui__result-link").inner_text()
    assert title not in first.locator(".pagefind-ui__result-excerpt").inner_text()
    # filter by type: only issues
    group = page.locator(".pagefind-ui__filter-block").filter(has_text=ISSUE_TYPE[lang])
    # The block is a <details> that Pagefind's UI may render again as results arrive: a click on
    # its summary could land on the old one, or toggle it shut. Open it, then wait for the label.
    label = group.locator("label", has_text=ISSUE_TYPE[lang])
    page.wait_for_function(
        "(text) => { const block = [...document.querySelectorAll('.pagefind-ui__filter-block')]"
        ".find(b => b.textContent.includes(text)); if (!block) return false; block.open = true;"
        " const found = [...block.querySelectorAll('label')].find(l => l.textContent.includes(text));"
        " return !!found && found.offsetParent !== null; }",
        arg=ISSUE_TYPE[lang],
    )
    label.click()
    page.wait_for_function(
        "() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')];"
        " return links.length > 0 && links.every(a => a.href.includes('/issues/')); }"
    )
