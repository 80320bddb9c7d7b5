"""The Persian mirrors page in Chromium (issue 25.8): its commands are laid out left to right in a
monospace font, in the order typed, inside right-to-left text."""

from __future__ import annotations

import pytest
from browser_harness import launch, serve
from conftest import article, build_module_site, translation

PUBLIC_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    original = article(
        "A Paper for Every Language", "The branch met on Tuesday evening.\n", date="2026-05-01"
    )
    files = {
        "articles/paper/en.md": original,
        "articles/paper/fa.md": translation(
            original, "en", "روزنامه‌ای برای هر زبان", "شاخه سه‌شنبه شب گرد آمد.\n"
        ),
    }
    built = build_module_site(
        tmp_path_factory.mktemp("mirrors-browser"),
        files,
        overrides={"LANGUAGES": ["en", "fa"], "PRESS_SIGNING_PUBLIC_KEY": PUBLIC_KEY, "PRESS_SEARCH": False},
    )
    with serve(built.output) as url, sync_playwright() as playwright:
        chromium = launch(playwright)
        tab = chromium.new_page(viewport={"width": 390, "height": 844})
        tab.goto(url + "fa/mirrors/")
        yield tab
        chromium.close()


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
