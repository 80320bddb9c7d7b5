"""Pictures in Chromium (issues 25 and 27): the lead's Image loads from its srcset on the front page
of every language, at desk and phone widths; the article shows it with its caption; axe finds nothing."""

from __future__ import annotations

import pytest
from browser_harness import AXE, serve
from sitebuild import build_module_site
from test_pictures import CAPTIONS, LANGS, tree

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_URL = "__test__/axe.min.js"  # served from node_modules by the test, never by the site


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("pictures-browser")
    built = build_module_site(root, tree(), overrides={"LANGUAGES": LANGS, "PRESS_SEARCH": False})
    with serve(built.output) as url:
        yield url


def open_page(browser, base_url: str, path: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    context.route(f"**/{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
    page = context.new_page()
    response = page.goto(base_url + path)
    assert response is not None and response.ok, path
    page.wait_for_load_state("load")
    return context, page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desk", "phone"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_leads_picture_loads_from_its_srcset_on_every_front_page(browser, base_url, lang, viewport):
    context, page = open_page(browser, base_url, f"{lang}/", viewport)
    try:
        picture = page.locator(".front-lead img.card-picture")
        assert picture.count() == 1
        state = picture.evaluate(
            "img => ({src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0, "
            "srcset: img.getAttribute('srcset'), alt: img.alt, width: img.getBoundingClientRect().width})"
        )
        assert state["loaded"] and state["srcset"], state
        assert ".960w.jpg" in state["src"] or ".480w.jpg" in state["src"] or ".1200w.jpg" in state["src"]
        assert state["alt"] == CAPTIONS[lang]
        assert 0 < state["width"] <= viewport["width"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_article_shows_its_picture_with_the_caption_in_its_language(browser, base_url, lang):
    context, page = open_page(browser, base_url, f"{lang}/port/", PHONE)
    try:
        caption = page.locator(".article-picture figcaption")
        assert caption.inner_text().strip() == CAPTIONS[lang]
        assert caption.is_visible()
        loaded = page.locator(".article-picture img").evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded
        box = page.locator(".article-picture img").bounding_box()
        assert box and box["width"] <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["en/", "fa/", "en/port/", "fa/port/"])
def test_axe_finds_nothing_on_pages_with_the_picture(browser, base_url, path):
    context, page = open_page(browser, base_url, path, PHONE)
    try:
        page.add_script_tag(url=base_url + AXE_URL)
        violations = page.evaluate(
            """async () => {
                const results = await axe.run(document, {runOnly: {type: "tag", values: [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}});
                return results.violations.map(v => v.id + ": " + v.nodes.slice(0, 3).map(
                    n => n.target.join(" ") + " " + n.failureSummary).join(" | "));
            }"""
        )
        assert violations == [], violations
    finally:
        context.close()


@pytest.fixture(scope="module")
def corrections_url(tmp_path_factory):
    from test_corrections import LANGS as CORRECTION_LANGS
    from test_corrections import tree as corrections_tree

    root = tmp_path_factory.mktemp("corrections-browser")
    built = build_module_site(
        root, corrections_tree(), overrides={"LANGUAGES": CORRECTION_LANGS, "PRESS_SEARCH": False}
    )
    with serve(built.output) as url:
        yield url


@pytest.mark.parametrize("path", ["en/dockers/", "fa/dockers/", "it/dockers/", "en/corrections/"])
def test_axe_finds_nothing_on_correction_notices_and_the_corrections_page(browser, corrections_url, path):
    context, page = open_page(browser, corrections_url, path, PHONE)
    try:
        assert page.locator(".correction-notice, .corrections-list").first.is_visible()
        page.add_script_tag(url=corrections_url + AXE_URL)
        violations = page.evaluate(
            """async () => {
                const results = await axe.run(document, {runOnly: {type: "tag", values: [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}});
                return results.violations.map(v => v.id + ": " + v.nodes.slice(0, 3).map(
                    n => n.target.join(" ") + " " + n.failureSummary).join(" | "));
            }"""
        )
        assert violations == [], violations
    finally:
        context.close()
