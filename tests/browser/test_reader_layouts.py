"""The reader's site in real Chromium at a phone width (360 x 740) and a desktop width
(1366 x 900), in English, Persian (right to left) and Chinese (CJK): layout, the
contract's language promises, privacy and accessibility basics, page by page.

One small site for the module, made of real text (tests/corpus, tests/corpus_rtl) and of
the awkward things a reader meets: an issue with its table of contents, an article with
a picture and a caption, footnotes, a table, a long unbroken word and a long URL, a
stale translation, and articles that an edition lacks (shown in another language).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_harness import AXE, HOST, harbour_picture, serve
from sitebuild import PROJECT, article, build_module_site, terms_document, translation

LANGS = ["en", "fa", "zh"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}
CORPUS = PROJECT / "tests" / "corpus" / "articles" / "optech-2023-01-11"
CORPUS_RTL = PROJECT / "tests" / "corpus_rtl" / "articles" / "osg-finding-users-fa"

LONG_WORD = "Arbeiterunfallversicherungsgesetzesnovellierungsentwurfsbegründungsschreiben" * 2
LONG_URL = "https://example.org/" + "/".join(f"archive-of-the-branch-{n:02d}" for n in range(8))
LONG_PERSIAN = "اعتصاب‌کنندگان" * 12
LONG_CHINESE = "https://example.org/" + "码头工人" * 3 + "a" * 90

TITLES = {
    "en": "Dockworkers Hold the Line",
    "fa": "کارگران بندرگاه ایستادگی می‌کنند",
    "zh": "码头工人坚守阵线",
}
PROSE = {
    "en": (
        "The branch met on Tuesday evening to discuss the distribution of the paper in the "
        "neighbourhood, the collections for the strike fund and the reports from the workplaces."
    ),
    "fa": (
        "شاخه سه‌شنبه شب گرد آمد تا درباره‌ی پخش نشریه در محله، جمع‌آوری کمک برای صندوق اعتصاب و "
        "گزارش‌های محل‌های کار گفت‌وگو کند."
    ),
    "zh": "支部在星期二晚上开会，讨论报纸在街区的发行、为罢工基金进行的募捐以及来自各个工作场所的报告。",
}
QUOTES = {
    "en": "No port moves without us.",
    "fa": "هیچ بندری بدون ما حرکت نمی‌کند.",
    "zh": "没有我们，港口一动也不动。",
}
TABLE = {
    "en": ("Day", "Ships held", "Monday", "Tuesday"),
    "fa": ("روز", "کشتی‌های متوقف", "دوشنبه", "سه‌شنبه"),
    "zh": ("日期", "被扣船只", "星期一", "星期二"),
}
NOTES = {
    "en": "Figures from the branch's own count.",
    "fa": "ارقام از شمارش خود شاخه است.",
    "zh": "数字来自支部自己的统计。",
}
CAPTIONS = {
    "en": "Pickets at the container gate on the third morning of the strike.",
    "fa": "صف اعتصابیون کنار دروازه‌ی کانتینرها در سومین صبح اعتصاب.",
    "zh": "罢工第三天清晨，纠察队守在集装箱码头的大门口。",
}
LONG = {"en": LONG_WORD, "fa": LONG_PERSIAN, "zh": LONG_CHINESE}


def dock_body(lang: str) -> str:
    """Footnotes, a table, a quote, lists, a long unbroken word and a long address."""
    day, held, monday, tuesday = TABLE[lang]
    return (
        f"## {QUOTES[lang][:12]}\n\n{PROSE[lang]}[^1]\n\n> {QUOTES[lang]}\n\n"
        f"1. {PROSE[lang][:40]}\n2. {PROSE[lang][40:80]}\n\n- {PROSE[lang][:30]}\n- {PROSE[lang][30:60]}\n\n"
        f"| {day} | {held} |\n|---|---|\n| {monday} | 12 |\n| {tuesday} | 17 |\n\n"
        f"{LONG[lang]}\n\n<{LONG_URL}>\n\n{PROSE[lang]}[^2]\n\n"
        f"[^1]: {NOTES[lang]}\n[^2]: {NOTES[lang]} {LONG_URL}\n"
    )


def corpus_file(path: Path) -> tuple[str, str]:
    """The title and body of a corpus file (its headers dropped)."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    title = re.search(r"^Title: (.*)$", head, re.M).group(1)
    return title, body


def site_tree() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    dock = article(
        TITLES["en"],
        dock_body("en"),
        summary=PROSE["en"],
        caption=CAPTIONS["en"],
        date="2026-05-01 09:00",
        category="strikes",
        tags="docks",
        placement="lead",
        image="pickets.png",
    )
    files["articles/dock-strike/en.md"] = dock
    for lang in ("fa", "zh"):
        files[f"articles/dock-strike/{lang}.md"] = translation(
            dock, "en", TITLES[lang], dock_body(lang), summary=PROSE[lang], caption=CAPTIONS[lang]
        )
    files["articles/dock-strike/pickets.png"] = harbour_picture((900, 600))
    # A real newsletter: English and Chinese; the Persian edition shows it in English.
    title, body = corpus_file(CORPUS / "en.md")
    optech = article(
        title, body, date="2026-04-20", category="technology", tags="docks", languages="en, fa, zh"
    )
    files["articles/optech/en.md"] = optech
    zh_title, zh_body = corpus_file(CORPUS / "zh.md")
    files["articles/optech/zh.md"] = translation(optech, "en", zh_title + "（中文）", zh_body)
    # A real Persian translation of an English guide; Chinese lacks it.
    title, body = corpus_file(CORPUS_RTL / "en.md")
    guide = article(title, body, date="2026-04-10", category="technology")
    files["articles/guide/en.md"] = guide
    fa_title, fa_body = corpus_file(CORPUS_RTL / "fa.md")
    files["articles/guide/fa.md"] = translation(guide, "en", fa_title, fa_body)
    # A stale Chinese translation and a Persian original with no other version.
    school = article(  # a title with a word wider than a phone: in cards, headings and results
        f"The School Stops: {LONG_WORD[:60]}",
        f"{PROSE['en']}\n\nThe teachers walked out.\n",
        date="2026-04-15",
        category="strikes",
    )
    files["articles/school/en.md"] = school
    files["articles/school/fa.md"] = translation(
        school, "en", "مدرسه می‌ایستد", f"{PROSE['fa']}\n\nمعلمان بیرون رفتند.\n"
    )
    files["articles/school/zh.md"] = article(
        "学校停课了", f"{PROSE['zh']}\n", translation_of="en@0123456789ab"
    )
    files["articles/tehran/fa.md"] = article(
        "نامه‌ای از تهران", f"{PROSE['fa']}\n\n{PROSE['fa']}\n", date="2026-04-25", category="strikes"
    )
    issue = article(
        "The Communist Left No. 7",
        "The spring issue: the docks, the schools and the branches.\n",
        date="2026-05-02",
        publication="communist-left",
        number="7",
        contents="dock-strike, school, optech, guide, tehran",
    )
    files["issues/cl-7/en.md"] = issue
    files["issues/cl-7/fa.md"] = translation(
        issue, "en", "چپ کمونیست شماره‌ی ۷", "شماره‌ی بهار: بندرها، مدرسه‌ها و شاخه‌ها.\n"
    )
    files["issues/cl-7/zh.md"] = translation(
        issue, "en", "共产主义左派 第7期", "春季号：本期报道码头的罢工、学校的停课。\n"
    )
    # the issue before: the issue pages link to their previous and next issue
    winter = article(
        "The Communist Left No. 6",
        "The winter issue: reports from the branches.\n",
        date="2026-03-25",
        publication="communist-left",
        number="6",
        contents="guide",
    )
    files["issues/cl-6/en.md"] = winter
    files["issues/cl-6/fa.md"] = translation(
        winter, "en", "چپ کمونیست شماره‌ی ۶", "شماره‌ی زمستان: گزارش‌های شاخه‌ها.\n"
    )
    files["issues/cl-6/zh.md"] = translation(
        winter, "en", "共产主义左派 第6期", "冬季号：本期刊登来自各个支部的报告。\n"
    )
    files["terms.toml"] = terms_document(
        sections={
            "strikes": {"en": "Strikes", "fa": "اعتصاب‌ها", "zh": "罢工"},
            "technology": {"en": "Technology", "fa": "فناوری", "zh": "技术"},
        },
        tags={"docks": {"en": "docks", "fa": "بنادر", "zh": "港口"}},
        publications={
            "communist-left": {"en": "The Communist Left", "fa": "چپ کمونیست", "zh": "共产主义左派"}
        },
    )
    return files


SETTINGS = {
    "LANGUAGES": LANGS,
    "SITEURL": "https://press.example.org",
    "PRESS_SITE_NAME": {"en": "The Central Organ", "fa": "ارگان مرکزی", "zh": "中央机关报"},
}

PAGES = {
    "front": "{lang}/",
    "article": "{lang}/dock-strike/",
    "issue": "{lang}/issues/cl-7/",
    "search": "{lang}/search/",
    "archive": "{lang}/archive/",
    "tag": "{lang}/tag/{docks}/",
}
DOCKS = {"en": "docks", "fa": "بنادر", "zh": "港口"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reader-layouts")
    built = build_module_site(root, site_tree(), overrides=SETTINGS | {"CACHE_PATH": str(root / "cache")})
    # the awkward cases are really there: a stale translation, versions that editions lack
    found = {(p["kind"], p["key"], p["lang"]) for p in built.report["problems"]}
    assert found >= {("stale", "school", "zh"), ("missing", "optech", "fa"), ("missing", "guide", "zh")}
    return built


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site.output) as url:
        yield url


SEARCH_WORDS = {"en": "port", "fa": "بندر", "zh": "码头"}
# What each visit records: the page's width, its language promises, what it stored and asked for.
FACTS = """async () => {
  const root = document.documentElement;
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return [r.left, r.right, r.width, r.height];
  };
  return {
    scrollWidth: root.scrollWidth, innerWidth: window.innerWidth,
    lang: root.lang, dir: root.dir,
    alternates: [...document.querySelectorAll('link[rel=alternate][hreflang]')].map(l => l.hreflang),
    switcher: [...document.querySelectorAll('nav.languages a')].map(a => ({
      hreflang: a.hreflang, box: box(a), visible: !!a.offsetParent})),
    versions: [...document.querySelectorAll('.versions a')].map(a => ({
      hreflang: a.hreflang, text: a.innerText, visible: !!a.offsetParent})),
    h1: document.querySelectorAll('h1').length,
    landmarks: ['header', 'nav', 'main', 'footer'].filter(name => document.querySelector(name)),
    cookie: document.cookie,
    stored: [...Object.keys(localStorage), ...Object.keys(sessionStorage),
             ...(await indexedDB.databases()).map(db => db.name), ...(await caches.keys())],
  };
}"""


def page_path(kind: str, lang: str) -> str:
    from press.content.terms import slugify

    return PAGES[kind].format(lang=lang, docks=slugify(DOCKS[lang]))


def settle_search(page, query: str) -> int:
    """Type ``query`` into the search page; the number of results once they show."""
    field = page.locator(".pagefind-ui__search-input")
    field.wait_for()
    field.fill(query)
    page.locator(".pagefind-ui__result").first.wait_for()
    page.wait_for_timeout(300)  # let the excerpts and the filters finish drawing
    return page.locator(".pagefind-ui__result").count()


@pytest.fixture(scope="module")
def visits(browser, base_url):
    """Every page of PAGES in every language at both widths, visited once: {(lang, kind, viewport): facts}."""
    facts = {}
    for viewport, size in VIEWPORTS.items():
        for lang in LANGS:
            context = browser.new_context(viewport=size)
            requests: list[str] = []
            context.on("request", lambda request, seen=requests: seen.append(request.url))
            page = context.new_page()
            for kind in PAGES:
                requests.clear()
                response = page.goto(base_url + page_path(kind, lang))
                assert response is not None and response.ok, page_path(kind, lang)
                results = settle_search(page, SEARCH_WORDS[lang]) if kind == "search" else None
                facts[lang, kind, viewport] = page.evaluate(FACTS) | {
                    "requests": list(requests),
                    "cookies": context.cookies(),
                    "results": results,
                }
            context.close()
    return facts


VISITS = [(lang, kind, viewport) for viewport in VIEWPORTS for lang in LANGS for kind in PAGES]


def test_no_page_is_wider_than_the_screen(visits):
    """Long words, URLs, tables and search excerpts wrap: nothing scrolls sideways."""
    wide = {
        visit: (facts["scrollWidth"], facts["innerWidth"])
        for visit, facts in visits.items()
        if facts["scrollWidth"] > facts["innerWidth"]
    }
    assert wide == {}, wide


def test_the_search_pages_showed_results(visits):
    """The width checks above saw each search page with its results (and their excerpts) showing."""
    assert all(visits[lang, "search", viewport]["results"] for lang in LANGS for viewport in VIEWPORTS)


@pytest.mark.parametrize(("lang", "kind", "viewport"), VISITS)
def test_every_page_keeps_the_language_promises(visits, lang, kind, viewport):
    facts = visits[lang, kind, viewport]
    assert (facts["lang"], facts["dir"]) == (lang, "rtl" if lang == "fa" else "ltr")
    assert "x-default" in facts["alternates"] and lang in facts["alternates"], facts["alternates"]
    # the switcher names every other language, visibly, each a tap target of at least 24 x 24
    # px wholly on the screen (WCAG 2.2 target size), at a phone's width too
    switcher = facts["switcher"]
    assert {link["hreflang"] for link in switcher} >= set(LANGS) - {lang}, switcher
    for link in switcher:
        left, right, width, height = link["box"]
        assert link["visible"] and width >= 24 and height >= 24, link
        assert left >= 0 and right <= facts["innerWidth"], link
    if kind in ("article", "issue"):  # the other versions under their own titles
        others = [version for version in facts["versions"] if version["visible"]]
        assert {version["hreflang"] for version in others} == set(LANGS) - {lang}, facts["versions"]


@pytest.mark.parametrize(("lang", "kind", "viewport"), VISITS)
def test_no_page_tracks_its_reader(visits, base_url, lang, kind, viewport):
    """Nothing asked of another host, no cookie, nothing kept in the browser's storage."""
    facts = visits[lang, kind, viewport]
    elsewhere = [url for url in facts["requests"] if urlsplit(url).hostname not in (HOST, None)]
    assert elsewhere == []
    assert all(url.startswith((base_url, "data:")) for url in facts["requests"]), facts["requests"]
    assert (facts["cookies"], facts["cookie"], facts["stored"]) == ([], "", [])


@pytest.mark.parametrize(("lang", "kind", "viewport"), VISITS)
def test_every_page_has_one_h1_and_the_landmarks(visits, lang, kind, viewport):
    facts = visits[lang, kind, viewport]
    assert facts["h1"] == 1
    assert facts["landmarks"] == ["header", "nav", "main", "footer"]


@pytest.mark.parametrize("lang", ["fa", "zh"])
def test_footnote_way_back_points_to_the_start_of_the_line(browser, base_url, lang):
    """The ↩ of a note points back along the line: to the right in Persian, to the left in Chinese."""
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    try:
        page.goto(base_url + page_path("article", lang))
        transforms = page.locator(".footnote-backref").evaluate_all(
            "links => links.map(link => getComputedStyle(link).transform)"
        )
    finally:
        page.close()
    mirrored = [transform.startswith("matrix(-1") for transform in transforms]
    assert len(mirrored) == 2 and all(mirrored) == (lang == "fa") and any(mirrored) == (lang == "fa")


AXE_URL = "__test__/axe.min.js"  # served from node_modules by the test, never by the site


@pytest.mark.parametrize("lang", LANGS)
def test_notes_tables_and_long_words_pass_axe(browser, base_url, lang):
    """The article with footnotes, a table, a picture and long words: no WCAG 2.2 AA violation
    (the notes' way back was a link told from its muted text by colour alone)."""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    context.route(f"**/{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    try:
        page = context.new_page()
        page.goto(base_url + page_path("article", lang))
        page.add_script_tag(url=base_url + AXE_URL)
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: "tag", values: [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}))
                .violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
        )
    finally:
        context.close()
    assert violations == []


def test_a_latin_query_reads_as_typed_on_a_persian_search_page(browser, base_url):
    """The search field takes its direction from the query, not from the page: "C++" on a
    right-to-left page would otherwise show as "++C" at the right edge."""
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    try:
        page.goto(base_url + page_path("search", "fa"))
        field = page.locator(".pagefind-ui__search-input")
        field.wait_for()
        field.fill("C++")
        style = field.evaluate("input => [getComputedStyle(input).unicodeBidi, input.matches(':dir(rtl)')]")
    finally:
        page.close()
    # plaintext: each query's first strong letter sets its direction; the page stays right to left
    assert style == ["plaintext", True]


MIRRORING = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const left = (selector) => document.querySelector(selector).getBoundingClientRect().left;
  const caption = document.createRange();
  caption.selectNodeContents(document.querySelector('.article-picture figcaption'));
  const figure = document.querySelector('.article-picture').getBoundingClientRect();
  return {
    // which side the quote's rule, the lists' markers and the caption's first line keep
    quote: parseFloat(style('.body blockquote').borderRightWidth) > 0 ? 'right' : 'left',
    list: parseFloat(style('.body ol').paddingRight) > 0 ? 'right' : 'left',
    notes: parseFloat(style('.footnotes ol').paddingRight) > 0 ? 'right' : 'left',
    caption: Math.abs(caption.getClientRects()[0].right - figure.right) < 2 ? 'right' : 'left',
    // the first section and the first language come first in the reading direction
    sections: left('.sections li:first-child') > left('.sections li:last-child') ? 'right' : 'left',
    languages: left('.languages li:first-child') > left('.languages li:last-child') ? 'right' : 'left',
  };
}"""


@pytest.mark.parametrize(("lang", "start"), [("fa", "right"), ("zh", "left")])
def test_the_article_starts_on_its_reading_side(browser, base_url, lang, start):
    """Navigation, switcher, quotes, lists, notes and caption begin on the right in Persian."""
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    try:
        page.goto(base_url + page_path("article", lang))
        sides = page.evaluate(MIRRORING)
        page.goto(base_url + page_path("issue", lang))
        sides["contents"] = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.toc')).paddingRight) > 0"
            " ? 'right' : 'left'"
        )
    finally:
        page.close()
    assert sides == dict.fromkeys(sides, start)
