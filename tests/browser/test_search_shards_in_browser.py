"""Search over a sharded index in Chromium (issue 26): the search page merges the edition's
shards, so a page in any shard is found, its filters count every shard, and nothing leaves the site."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from browser_harness import HOST, serve
from sitebuild import article, build_module_site

from press.pipeline.search import plan_shards

SHARD_PAGES = 3
SECTIONS = ("strikes", "party-press")
# one word per article, found in that article only
WORDS = [
    "anchorsmith", "boilermaker", "cobbler", "drover", "engraver", "farrier", "glazier", "hatter",
    "joiner", "kilnworker", "lacemaker", "millwright",
]  # fmt: skip


def tree() -> dict[str, str]:
    return {
        f"articles/report-{number:02d}/en.md": article(
            f"Report {number}",
            f"The {word}s of district {number} met and voted to strike.\n",
            date=f"2026-05-{number + 1:02d}",
            category=SECTIONS[number % 2],
            languages="en",
        )
        for number, word in enumerate(WORDS)
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sharded-search")
    settings = {
        "LANGUAGES": ["en"],
        "PRESS_SEARCH_SHARD_PAGES": SHARD_PAGES,
        "CACHE_PATH": str(root / "cache"),
    }
    return build_module_site(root, tree(), overrides=settings).output


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context()
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    tab = context.new_page()
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    response = tab.goto(base_url + "en/search/")
    assert response is not None and response.ok
    yield tab
    try:
        assert [url for url in requests if urlsplit(url).hostname not in (HOST, None)] == []
        assert errors == []
    finally:
        context.close()


def settled_message(tab, query: str) -> str:
    """Pagefind's message about ``query`` once it has stopped changing."""
    field = tab.locator(".pagefind-ui__search-input")
    field.wait_for()
    field.fill(query)
    message = tab.locator(".pagefind-ui__message").filter(has_text=query)
    message.wait_for()
    seen, steady = None, 0
    for _ in range(300):
        text = message.inner_text()
        steady = steady + 1 if text == seen else 0
        seen = text
        if steady >= 3 and not text.rstrip().endswith(("...", "…")):
            break
        tab.wait_for_timeout(100)
    return seen


def test_the_edition_is_indexed_in_three_or_more_shards(site):
    listed = json.loads((site / "pagefind/en/press-shards.json").read_text(encoding="utf-8"))
    assert len(listed["bundles"]) >= 2
    for folder in listed["bundles"]:
        assert (site / "pagefind/en" / folder / "pagefind-entry.json").is_file()


def test_a_page_in_a_later_shard_is_found_and_opened(page, base_url):
    shards = plan_shards(
        "en", [f"en/report-{number:02d}/index.html" for number in range(len(WORDS))], SHARD_PAGES
    )
    assert len(shards) >= 3
    path = shards[-1].pages[0]
    number = int(path.split("/")[1].removeprefix("report-"))
    assert settled_message(page, WORDS[number]) == f"One result for {WORDS[number]}"
    links = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    assert links == [f"/en/report-{number:02d}/"]
    page.locator(".pagefind-ui__result-link").click()
    page.wait_for_url(f"{base_url}en/report-{number:02d}/")


def test_every_shard_is_searched_and_filtered(page):
    assert f"{len(WORDS)} results" in settled_message(page, "district")
    # the section filter counts the pages of every shard
    page.locator(".pagefind-ui__filter-name", has_text="Section").first.click()
    labels = page.locator(".pagefind-ui__filter-label").all_inner_texts()
    counts = sorted(int(label.rsplit("(", 1)[1].rstrip(")")) for label in labels if "(" in label)
    assert sum(counts) == len(WORDS) and len(counts) == len(SECTIONS), labels
    page.locator(".pagefind-ui__filter-label", has_text="Party Press").click()
    assert f"{len(WORDS) // 2} results" in settled_message(page, "district")
