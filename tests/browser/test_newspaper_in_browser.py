"""A newspaper in every script, measured in Chromium: the front page's hierarchy,
type that suits each script (nothing slanted in Arabic script or CJK, Persian
numerals, Korean words kept whole), the current issue, print."""

from __future__ import annotations

import re

import pytest
from browser_harness import BRANCHES, LANGS, STRIKES, UNTRANSLATED, build_site, serve
from bs4 import BeautifulSoup

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

# Arabic script (with its presentation forms) and CJK (kana, ideographs, hangul).
FOREIGN_SCRIPT_TEXT = (
    r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]"
)
LATIN_YEAR = re.compile(r"(?<![0-9])(19|20)[0-9]{2}(?![0-9])")

FA_PAGES = [
    "fa/",
    "fa/page/2/",
    "fa/dock-strike/",
    f"fa/{UNTRANSLATED}/",
    f"fa/section/{STRIKES['fa']}/",
    f"fa/tag/{BRANCHES['fa']}/",
    "fa/archive/",
    "fa/issues/cl-7/",
    "fa/issues/cl-6/",
    "fa/publications/communist-left/",
    "fa/about/",
    "fa/search/",
    "fa/404.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("newspaper-site"))


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def open_page(browser, base_url):
    """open_page(path, viewport=DESKTOP) -> a loaded page in a fresh context."""
    contexts = []

    def opener(path: str, viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(base_url + path)
        assert response is not None and response.ok, path
        return page

    yield opener
    for context in contexts:
        context.close()


def font_sizes(page, selector: str) -> list[float]:
    return page.eval_on_selector_all(
        selector, "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"
    )


# -- the front page's hierarchy ----------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_the_lead_and_the_features_stand_above_ordinary_stories(open_page, lang, viewport):
    page = open_page(f"{lang}/", VIEWPORTS[viewport])
    lead = font_sizes(page, "main .front-lead .card-title")
    features = font_sizes(page, "main .card-feature .card-title")
    ordinary = font_sizes(page, "main .front-rest .card-title")
    assert len(lead) == 1 and len(features) == 2 and len(ordinary) > 10
    assert lead[0] >= 1.5 * max(ordinary), (lead, ordinary)
    assert min(features) >= 1.15 * max(ordinary), (features, ordinary)
    # the lead spans the lineup's full width
    lead_box = page.locator("main .front-lead").bounding_box()
    lineup_box = page.locator("main .front").bounding_box()
    assert lead_box["width"] >= lineup_box["width"] - 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_lineup_is_in_contract_order_and_every_story_names_its_section(open_page, lang):
    page = open_page(f"{lang}/")
    slots = page.eval_on_selector_all(
        "main .front article.card",
        "cards => cards.map(c => (c.className.match(/card-(lead|editorial|feature)/) || [null, 'other'])[1])",
    )
    assert slots[:4] == ["lead", "editorial", "feature", "feature"], slots
    assert set(slots[4:]) == {"other"}
    links = page.locator("main .front article.card").evaluate_all(
        "cards => cards.map(c => !!c.querySelector('a[href*=\"/section/\"]'))"
    )
    assert all(links), links
    # the rest newest first: their dates, as written in <time datetime>
    dates = page.eval_on_selector_all(
        "main .front-rest article.card time", "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
def test_every_front_page_links_the_current_issue_and_shows_the_date(open_page, lang):
    page = open_page(f"{lang}/")
    assert page.locator('a[href$="issues/cl-7/"]').first.is_visible()
    assert page.locator("main .front-issue a[href$='issues/cl-7/']").count() == 1
    dateline = page.locator(".masthead .dateline time")
    assert dateline.get_attribute("datetime") == "2026-06-21"
    if lang == "fa":  # the Solar Hijri date beside the Gregorian one
        assert "خرداد" in page.locator(".masthead .dateline").inner_text()


# -- script-aware type -------------------------------------------------------------


SLANTED_SCRIPT_TEXT = """(pattern) => {
    const script = new RegExp(pattern);
    const slanted = [];
    for (const element of document.querySelectorAll("body *")) {
        const own = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("");
        if (!script.test(own)) continue;
        const style = getComputedStyle(element);
        if (style.fontStyle !== "normal") {
            const text = own.trim().slice(0, 30);
            slanted.push(`${element.tagName}.${element.className}: ${style.fontStyle}: ${text}`);
        }
    }
    return slanted;
}"""


@pytest.mark.parametrize(
    "path",
    [
        "fa/",
        "fa/dock-strike/",
        "fa/issues/cl-7/",
        "fa/archive/",
        "zh/",
        "zh/dock-strike/",
        "zh/issues/cl-7/",
        f"fa/{UNTRANSLATED}/",
        "en/",  # a Persian story, marked, on the English front page
        "en/archive/",
    ],
)
def test_no_arabic_script_or_cjk_text_is_slanted(open_page, path):
    page = open_page(path)
    if path.endswith("dock-strike/"):
        assert page.locator(".body em").count() == 1  # emphasis exists, and is shown another way
    assert page.evaluate(SLANTED_SCRIPT_TEXT, FOREIGN_SCRIPT_TEXT) == []


def test_persian_emphasis_is_bold_and_chinese_emphasis_is_marked(open_page):
    page = open_page("fa/dock-strike/")
    assert int(page.locator(".body em").evaluate("e => getComputedStyle(e).fontWeight")) >= 700
    page = open_page("zh/dock-strike/")
    mark = page.locator(".body em").evaluate("e => getComputedStyle(e).textEmphasisStyle")
    assert "dot" in mark, mark
    page = open_page("en/dock-strike/")
    assert page.locator(".body em").evaluate("e => getComputedStyle(e).fontStyle") == "italic"


LIST_STYLES = "lists => lists.map(l => getComputedStyle(l).listStyleType)"


@pytest.mark.parametrize("path", ["fa/dock-strike/", "fa/issues/cl-7/", "fa/"])
def test_persian_ordered_lists_count_in_persian_digits(open_page, path):
    page = open_page(path)
    styles = page.eval_on_selector_all("main ol", LIST_STYLES)
    assert styles and set(styles) == {"persian"}, styles
    page = open_page(path.replace("fa/", "en/"))
    styles = page.eval_on_selector_all("main ol", LIST_STYLES)
    assert set(styles) == {"decimal"}, styles


@pytest.mark.parametrize("path", FA_PAGES)
def test_persian_pages_print_no_latin_digit_year(open_page, path):
    page = open_page(path)
    text = page.locator("body").inner_text()
    assert not LATIN_YEAR.search(text), LATIN_YEAR.search(text)
    assert re.search("[۰-۹]{4}", text), "the page shows its dates in Persian digits"


def test_korean_text_keeps_its_words_whole(open_page):
    page = open_page("en/dock-strike/")
    word_break = page.evaluate(
        """() => { const p = document.createElement("p"); p.lang = "ko";
                   p.textContent = "노동자들이 항구를 지켰다"; document.querySelector("main").append(p);
                   return getComputedStyle(p).wordBreak; }"""
    )
    assert word_break == "keep-all"


def test_a_marked_story_isolates_only_its_foreign_text(open_page):
    """On the English front page the Persian story's title is right to left and
    Persian; its date and section stay in the page's language and direction."""
    page = open_page("en/")
    card = page.locator("main article.card", has=page.locator(f'a[href$="{UNTRANSLATED}/"]'))
    assert card.get_attribute("lang") is None
    title = card.locator(".card-title")
    assert title.get_attribute("lang") == "fa" and title.get_attribute("dir") == "rtl"
    assert title.evaluate("e => getComputedStyle(e).direction") == "rtl"
    meta = card.locator(".meta")
    assert meta.evaluate("e => e.closest('[lang]').tagName") == "HTML"
    assert meta.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert "Persian" in card.locator(".marked").inner_text()


# -- print -------------------------------------------------------------------------


def test_an_article_prints_its_text_and_address_without_the_interface(open_page):
    page = open_page("en/dock-strike/")
    page.emulate_media(media="print")
    assert page.locator(".print-address").is_visible()
    assert page.locator(".print-address").inner_text() == "https://press.example.org/en/dock-strike/"
    for chrome in (".sections", ".languages", ".colophon", ".share", ".versions", ".masthead-bar"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".body h2").evaluate("e => getComputedStyle(e).breakAfter") == "avoid"


@pytest.mark.parametrize("lang", ["fa", "zh"])
def test_the_printed_address_reads_left_to_right_in_every_script(open_page, lang):
    page = open_page(f"{lang}/dock-strike/")
    page.emulate_media(media="print")
    address = page.locator(".print-address")
    assert address.inner_text() == f"https://press.example.org/{lang}/dock-strike/"
    assert address.evaluate("e => getComputedStyle(e).direction") == "ltr"


# -- type per script (issue 25) ------------------------------------------------------


HEADLINES = ", ".join(
    (
        ".front-lead .card-title",
        ".card-feature .card-title",
        ".card-editorial .card-title",
        ".front-rest .card-title",
        ".listing .card-title",
        ".listing-first .card-title",
        "main h1",
    )
)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    "path", ["fa/", f"fa/section/{STRIKES['fa']}/", f"fa/tag/{BRANCHES['fa']}/", "fa/archive/"]
)
def test_persian_headlines_are_set_tight_and_body_text_generous(open_page, path, viewport):
    page = open_page(path, VIEWPORTS[viewport])
    ratios = page.eval_on_selector_all(
        HEADLINES,
        """nodes => nodes.filter(n => n.offsetParent !== null).map(n => {
            const style = getComputedStyle(n);
            return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
        })""",
    )
    assert ratios, path
    assert max(ratios) <= 1.4, ratios
    if path == "fa/":
        body = page.eval_on_selector(
            ".summary",
            "n => parseFloat(getComputedStyle(n).lineHeight) / parseFloat(getComputedStyle(n).fontSize)",
        )
        assert body >= 1.7, body


def test_naskh_is_set_as_large_as_the_latin_beside_it(open_page):
    page = open_page("en/")
    sizes = page.eval_on_selector_all(
        ".languages li > *",
        "nodes => nodes.map(n => [n.getAttribute('lang'), parseFloat(getComputedStyle(n).fontSize)])",
    )
    by_lang = dict(sizes)
    assert by_lang["fa"] >= by_lang["en"] * 1.1, sizes
    persian, english = open_page("fa/"), page
    assert font_sizes(persian, ".body, .summary")[0] > font_sizes(english, ".body, .summary")[0]


# -- every page describes itself -----------------------------------------------------


def test_every_page_has_a_description(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        description = head.find("meta", attrs={"name": "description"})
        assert description and description.get("content", "").strip(), path
