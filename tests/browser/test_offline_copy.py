"""The offline copy opened from disk (file://) in Chromium: pages, links, styles, images, search."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from browser_harness import CHROMIUM, CHROMIUM_ARGS
from editions_site import LANGS, TITLES, edition_settings, edition_tree
from sitebuild import build_module_site

LINK = re.compile(r"""\s(?:href|src)=["']([^"']+)["']""")


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, Path]:
    """Each language's offline zip, unpacked: lang -> the copy's folder."""
    root = tmp_path_factory.mktemp("offline")
    built = build_module_site(
        root, edition_tree(), overrides=edition_settings(root, SITEURL="https://press.example")
    )
    folders = {}
    for lang in LANGS:
        target = root / "unpacked" / lang
        with zipfile.ZipFile(built.output / f"offline/{lang}.zip") as archive:
            archive.extractall(target)
        folders[lang] = target / f"offline-{lang}"
    return folders


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run .ci/run", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_link_inside_the_copy_names_a_file_it_holds(copies, lang):
    folder = copies[lang]
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 5
    assert not (folder / "offline").exists()  # never a copy inside the copy
    for page in pages:
        for link in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^(?:[a-z]+:|#|//)", link):
                continue
            target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(folder)} links {link}, which the copy lacks"


def open_copy(browser, url: str):
    page = browser.new_page()
    failures: list[str] = []
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.goto(url)
    return page, failures


@pytest.mark.parametrize("lang", LANGS)
def test_the_copy_reads_from_disk_with_working_links(browser, copies, lang):
    folder = copies[lang]
    page, failures = open_copy(browser, (folder / "index.html").as_uri())
    page.wait_for_url(re.compile(rf"/{lang}/index\.html$"))
    assert page.locator("html").get_attribute("lang") == lang
    title = TITLES["dock-strike"][lang]
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url(re.compile(rf"/{lang}/dock-strike/index\.html$"))
    assert page.locator("h1").first.inner_text().strip() == title
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    # the theme's stylesheet applies: the body is not in the browser's default font
    styled = page.evaluate("getComputedStyle(document.body).fontFamily")
    blank = browser.new_page()
    assert styled != blank.evaluate("getComputedStyle(document.body).fontFamily")
    blank.close()
    page.goto((folder / f"{lang}/issues/cl-9/index.html").as_uri())
    hrefs = page.eval_on_selector_all(".issue-editions a", "links => links.map(link => link.href)")
    assert any(href.endswith(f"cl-9-{lang}.pdf") for href in hrefs)
    for href in hrefs:
        assert href.startswith("file://") and Path(href[len("file://") :]).is_file(), href
    assert not failures, failures
    page.close()


def test_search_in_the_copy_says_it_works_online_only(browser, copies):
    folder = copies["en"]
    page, failures = open_copy(browser, (folder / "en/search/index.html").as_uri())
    notice = page.locator("#offline-search").inner_text()
    assert "search works only on the website" in notice
    page.locator("#offline-search a").click()
    page.wait_for_url(re.compile(r"/en/archive/index\.html$"))
    assert not failures, failures
    page.close()
