"""Search (issue: readers): a Pagefind index per language, built by the site's own build."""

from __future__ import annotations

import gzip
import json
import os
import stat

import pytest
from bs4 import BeautifulSoup
from sitebuild import article, build_module_site, translation
from test_reproducible import digest_tree

LANGS = ["en", "it", "sv", "fa"]
DOCKS = article(
    "Dockworkers Hold the Line",
    """
    ## Nine days

    The dockworkers stopped the port for nine days.
    """,
    date="2026-03-01",
    category="Strikes",
    summary="Nine days on the docks.",
    share="The dockworkers held the line.",
)


def search_tree() -> dict[str, str]:
    return {
        "articles/docks/en.md": DOCKS,
        "articles/docks/it.md": translation(
            DOCKS, "en", "I portuali tengono duro", "## Nove giorni\n\nI portuali hanno fermato il porto.\n"
        ),
        "articles/docks/sv.md": translation(
            DOCKS, "en", "Hamnarbetarna håller linjen", "## Nio dagar\n\nHamnarbetarna stoppade hamnen.\n"
        ),
        "articles/docks/fa.md": translation(
            DOCKS, "en", "کارگران بندر ایستادگی می‌کنند", "## نه روز\n\nکارگران بندر، بندر را متوقف کردند.\n"
        ),
        "articles/only-italian/it.md": article(
            "Lo sciopero della scuola", "Gli insegnanti scioperano.\n", date="2026-02-01", languages="it"
        ),
        "articles/future/en.md": article(
            "Tomorrow's Secret", "Not yet.\n", date="2030-01-01", languages="en"
        ),
        "pages/about/en.md": article("About the press", "An anonymous paper.\n", languages="en"),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_module_site(
        tmp_path_factory.mktemp("search"), search_tree(), overrides={"LANGUAGES": LANGS}
    )
    assert built.report == {"problems": []}
    return built.output


def indexed(output) -> dict[str, set[str]]:
    """The URLs of the pages in each language's index, read from Pagefind's fragments."""
    pages: dict[str, set[str]] = {}
    for fragment in sorted((output / "pagefind").glob("*/fragment/*")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd") :])
        lang = fragment.name.split("_", 1)[0]
        pages.setdefault(lang, set()).add(record["url"])
    return pages


def fragments_text(output) -> str:
    return "\n".join(
        gzip.decompress(fragment.read_bytes()).decode("utf-8")
        for fragment in sorted((output / "pagefind").glob("*/fragment/*"))
    )


def test_the_build_writes_a_pagefind_bundle_per_language(site):
    counts = {}
    for lang in LANGS:
        bundle = site / "pagefind" / lang
        for name in ("pagefind.js", "pagefind-ui.js", "pagefind-entry.json", "pagefind-worker.js"):
            assert (bundle / name).is_file(), name
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]
        counts[lang] = entry["languages"][lang]["page_count"]
    assert counts == {"en": 2, "it": 2, "sv": 1, "fa": 1}
    assert sorted(path.name for path in (site / "pagefind").iterdir()) == sorted(LANGS)


def test_each_language_index_holds_only_its_own_articles_and_pages(site):
    assert indexed(site) == {
        "en": {"/en/docks/", "/en/about/"},
        "it": {"/it/docks/", "/it/only-italian/"},
        "sv": {"/sv/docks/"},
        "fa": {"/fa/docks/"},
    }


def test_listings_and_unpublished_articles_are_not_indexed(site):
    urls = set().union(*indexed(site).values())
    for listing in ("/en/", "/it/", "/en/archive/", "/en/search/", "/en/section/strikes/", "/"):
        assert listing not in urls
    text = fragments_text(site)
    assert "Tomorrow's Secret" not in text
    # interface text around the article is not part of what readers search
    assert "Copy caption" not in text and "Official caption for sharing" not in text
    # only the article's text is searched: not its share caption, section or date;
    # the title and the standfirst are metadata of the result
    docks = next(
        json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
        for fragment in sorted((site / "pagefind" / "en" / "fragment").glob("*"))
        if b'"/en/docks/"' in gzip.decompress(fragment.read_bytes())
    )
    assert "The dockworkers held the line." not in docks["content"]
    assert "Nine days on the docks." not in docks["content"]
    assert docks["meta"]["title"] == "Dockworkers Hold the Line"
    assert docks["meta"]["standfirst"] == "Nine days on the docks."
    assert docks["filters"] == {"Type": ["Article"], "Section": ["Strikes"]}


def test_search_page_loads_pagefind_from_the_site_itself(site):
    page = BeautifulSoup((site / "it/search/index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = [script.get("src") for script in page.find_all("script")]
    assert "../../pagefind/it/pagefind-ui.js" in scripts
    assert any(src and src.startswith("../../assets/search.") for src in scripts)
    assert all(scripts), "no inline scripts: the CSP forbids them"
    box = page.find(id="search")
    assert box["data-bundle"] == "../../pagefind/it/"
    assert box["data-root"] == "../../"
    noscript = page.find("noscript")
    assert noscript.find("a")["href"] == "../../it/archive/"
    search_js = next((site / "assets").glob("search.*.js")).read_text(encoding="utf-8")
    assert "PagefindUI" in search_js and "http" not in search_js


def test_the_search_box_speaks_the_pages_language(site):
    """Pagefind's UI knows some 40 languages; the box's words come from the press's catalogs, with
    Pagefind's own placeholders ([SEARCH_TERM], [COUNT]) where the message names them."""
    words = {}
    for lang in ("en", "it"):
        page = BeautifulSoup((site / f"{lang}/search/index.html").read_text(encoding="utf-8"), "html.parser")
        words[lang] = json.loads(page.find(id="search")["data-words"])
    assert set(words["it"]) == {
        *("placeholder", "search_label", "clear_search", "load_more", "filters_label"),
        *("zero_results", "one_result", "many_results", "searching"),
    }
    assert words["en"]["many_results"] == "[COUNT] results for [SEARCH_TERM]"
    assert words["it"]["placeholder"] == "Cerca"
    for key, text in words["it"].items():
        assert text != words["en"][key], key
        assert "%(" not in text
    assert "[SEARCH_TERM]" in words["it"]["zero_results"] and "[COUNT]" in words["it"]["many_results"]


def test_two_builds_give_byte_identical_search_bundles(build_site):
    files = search_tree()
    first = build_site(files, languages=LANGS, name="first")
    second = build_site(files, languages=LANGS, name="second")
    assert first.returncode == second.returncode == 0
    bundles = [digest_tree(built.output / "pagefind") for built in (first, second)]
    assert bundles[0] and bundles[0] == bundles[1]


def test_a_rebuild_replaces_the_previous_index(build_site):
    files = search_tree()
    built = build_site(files, languages=LANGS)
    stale = built.output / "pagefind" / "en" / "fragment" / "en_stale.pf_fragment"
    stale.write_bytes(b"old")
    before = digest_tree(built.output / "pagefind")
    # unchanged content: the index is up to date and left alone
    built = build_site(files, languages=LANGS)
    assert stale.exists() and digest_tree(built.output / "pagefind") == before
    # a changed page: the index is rebuilt and the previous one's leftovers go
    files["pages/about/en.md"] = article(
        "About the press", "An anonymous paper, read by workers.\n", languages="en"
    )
    built = build_site(files, languages=LANGS)
    assert not stale.exists()
    assert "read by workers" in fragments_text(built.output)


def failing_pagefind(tmp_path):
    script = tmp_path / "pagefind"
    script.write_text("#!/bin/sh\necho 'Error: the index exploded' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_pagefind_failure_is_reported_and_fails_only_strict_builds(build_site, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", os.fspath(failing_pagefind(tmp_path)))
    files = search_tree()
    lenient = build_site(files, languages=LANGS, name="lenient")
    assert lenient.returncode == 0, lenient.log
    assert "The search index was not built: Pagefind exited with status 3" in lenient.log
    assert "the index exploded" in lenient.log
    assert "Traceback" not in lenient.log
    assert not lenient.exists("pagefind/en/pagefind-entry.json")
    [problem] = lenient.problems()
    assert problem["kind"] == "search-index"
    assert "Pagefind exited with status 3" in problem["message"]

    strict = build_site(files, languages=LANGS, strict=True, name="strict")
    assert strict.returncode == 1
    assert strict.log.count("Strict build failed") == 1
    assert strict.problems() == lenient.problems()  # the report was written before the exit


def test_a_missing_pagefind_binary_is_a_clear_error(build_site, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", os.fspath(tmp_path / "no-such-pagefind"))
    built = build_site(search_tree(), languages=LANGS)
    assert built.returncode == 0
    assert "no Pagefind binary found" in built.log
    assert "Traceback" not in built.log


def test_search_can_be_switched_off(build_site):
    built = build_site(search_tree(), languages=LANGS, PRESS_SEARCH=False)
    assert built.returncode == 0
    assert not built.exists("pagefind")


def test_a_site_with_nothing_to_search_builds_without_an_index(build_site):
    built = build_site(
        {"articles/future/en.md": article("Later", "Not yet.\n", date="2030-01-01")}, languages=["en"]
    )
    assert built.returncode == 0, built.log
    assert built.exists("en/search/index.html")
    assert not built.exists("pagefind")
