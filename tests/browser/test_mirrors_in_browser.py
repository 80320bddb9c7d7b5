"""The Persian mirrors page in Chromium (issue 25.8): its commands are laid out left to right in a
monospace font, in the order typed, inside right-to-left text."""

from __future__ import annotations

import pytest
from browser_harness import AXE, launch, serve
from sitebuild import article, build_module_site, translation

PUBLIC_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


LANGS = ["en", "fa", "zh"]
TITLES = {"fa": "روزنامه‌ای برای هر زبان", "zh": "每种语言的报纸"}
BODIES = {"fa": "شاخه سه‌شنبه شب گرد آمد.\n", "zh": "支部在星期二晚上开会。\n"}
AXE_URL = "__test__/axe.min.js"  # served from node_modules by the test, never by the site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, Chromium) for a small signed site in en, fa and zh."""
    from playwright.sync_api import sync_playwright

    original = article(
        "A Paper for Every Language", "The branch met on Tuesday evening.\n", date="2026-05-01"
    )
    files = {"articles/paper/en.md": original}
    for lang in ("fa", "zh"):
        files[f"articles/paper/{lang}.md"] = translation(original, "en", TITLES[lang], BODIES[lang])
    built = build_module_site(
        tmp_path_factory.mktemp("mirrors-browser"),
        files,
        overrides={"LANGUAGES": LANGS, "PRESS_SIGNING_PUBLIC_KEY": PUBLIC_KEY, "PRESS_SEARCH": False},
    )
    with serve(built.output) as url, sync_playwright() as playwright:
        chromium = launch(playwright)
        yield url, chromium
        chromium.close()


def open_page(served, path: str, width: int = 390):
    url, chromium = served
    context = chromium.new_context(viewport={"width": width, "height": 844})
    context.route(f"**/{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    tab = context.new_page()
    response = tab.goto(url + path)
    assert response is not None and response.ok, path
    return tab


@pytest.fixture
def page(served):
    tab = open_page(served, "fa/mirrors/")
    yield tab
    tab.context.close()


def test_persian_command_blocks_are_left_to_right_monospace_and_in_typed_order(page):
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
    blocks = page.evaluate(
        """[...document.querySelectorAll('pre.command')].map(pre => {
             const style = getComputedStyle(pre);
             const range = document.createRange();
             range.selectNodeContents(pre.querySelector('code'));
             const first = range.getClientRects()[0];
             return {direction: style.direction, bidi: style.unicodeBidi, align: style.textAlign,
                     font: style.fontFamily, text: pre.innerText,
                     startsAtLeft: first.left - pre.getBoundingClientRect().left < 16,
                     fits: pre.scrollWidth <= pre.clientWidth + 1};
           })"""
    )
    assert len(blocks) >= 4
    for block in blocks:
        assert block["direction"] == "ltr" and block["bidi"] == "isolate", block
        assert "monospace" in block["font"], block
        assert block["startsAtLeft"], block  # the first word of a command on the left
        assert block["fits"], block  # wrapped on a phone, never wider than the page
    assert blocks[1]["text"].startswith("openssl pkeyutl -verify -pubin")
    inline = page.evaluate(
        "[...document.querySelectorAll('p code')].map(code => getComputedStyle(code).direction)"
    )
    assert inline and set(inline) == {"ltr"}


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", LANGS)
def test_the_mirrors_page_has_no_axe_violations(served, lang, width):
    tab = open_page(served, f"{lang}/mirrors/", width)
    try:
        tab.add_script_tag(url=served[0] + AXE_URL)
        violations = tab.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: "tag", values: [
                   "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}))
                 .violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join())}))"""
        )
        assert violations == [], violations
    finally:
        tab.context.close()
