"""sitemap.xml and robots.txt (issue: readers): every page, every language version."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from sitebuild import article, build_module_site, translation

LANGS = ["en", "it", "sv", "fa"]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEURL = "https://press.example.org/paper"

ORIGINAL = article("The Paper", "## One\n\nRead it.\n", date="2026-03-01", category="Party Press")
FUND = article("The Strike Fund", "A fund.\n", date="2026-02-01", category="Strikes", languages="en, it")


def tree() -> dict[str, str]:
    return {
        "articles/paper/en.md": ORIGINAL,
        "articles/paper/it.md": translation(ORIGINAL, "en", "Il giornale", "## Uno\n\nLeggilo.\n"),
        "articles/paper/sv.md": translation(ORIGINAL, "en", "Tidningen", "## Ett\n\nLäs den.\n"),
        "articles/paper/fa.md": translation(ORIGINAL, "en", "نشریه", "## یک\n\nآن را بخوانید.\n"),
        "articles/strike-fund/en.md": FUND,
        "articles/strike-fund/it.md": translation(FUND, "en", "La cassa", "Una cassa.\n"),
    }


def build(root, **overrides):
    return build_module_site(root, tree(), overrides={"LANGUAGES": LANGS, **overrides}).output


@pytest.fixture(scope="module")
def relative_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("relative"))


@pytest.fixture(scope="module")
def absolute_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("absolute"), SITEURL=SITEURL)


def entries(output) -> list[tuple[str, dict[str, str]]]:
    """(loc, {hreflang: href}) for every <url>, in file order."""
    root = ET.parse(output / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    listed = []
    for url in root.findall(f"{SM}url"):
        links = {}
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate"
            links[link.get("hreflang")] = unquote(link.get("href"))
        # addresses are percent-encoded (a Persian section's name): compared as paths
        listed.append((unquote(url.find(f"{SM}loc").text), links))
    return listed


def html_pages(output) -> set[str]:
    """Every written HTML page as the site links to it, but 404 pages and the root redirect."""
    pages = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative == "index.html" or path.name == "404.html":
            continue
        pages.add(relative.removesuffix("index.html"))
    return pages


def test_every_html_page_is_listed_once_except_404_and_the_root(relative_site):
    locs = [loc for loc, _links in entries(relative_site)]
    assert len(locs) == len(set(locs))
    assert set(locs) == html_pages(relative_site)
    assert "en/paper/" in locs and "fa/search/" in locs and "it/section/scioperi/" in locs
    assert not any(loc.endswith("404.html") for loc in locs)
    assert "" not in locs


def test_each_page_names_every_version_and_x_default(relative_site):
    listed = dict(entries(relative_site))
    for lang in LANGS:
        assert listed[f"{lang}/paper/"] == {
            "en": "en/paper/",
            "it": "it/paper/",
            "sv": "sv/paper/",
            "fa": "fa/paper/",
            "x-default": "en/paper/",
        }
    assert listed["it/strike-fund/"] == {
        "en": "en/strike-fund/",
        "it": "it/strike-fund/",
        "x-default": "en/strike-fund/",
    }
    assert "sv/section/strejker/" not in listed  # the fund is not in the sv edition
    assert set(listed["en/section/strikes/"]) == {"en", "it", "x-default"}
    for loc, links in listed.items():
        assert loc in links.values()
        assert "x-default" in links


def test_alternates_are_reciprocal(relative_site):
    listed = dict(entries(relative_site))
    for loc, links in listed.items():
        for lang, href in links.items():
            if lang == "x-default":
                continue
            assert listed[href][lang] == href
            assert loc in listed[href].values(), (loc, href)


def test_order_is_by_language_then_path(relative_site):
    locs = [loc for loc, _links in entries(relative_site)]
    keys = [(LANGS.index(loc.split("/")[0]), loc) for loc in locs]
    assert keys == sorted(keys)


def test_without_siteurl_paths_are_relative_to_the_site_root(relative_site):
    for loc, links in entries(relative_site):
        assert not loc.startswith(("/", "http"))
        assert all(not href.startswith(("/", "http")) for href in links.values())
    robots = (relative_site / "robots.txt").read_text(encoding="utf-8")
    assert robots == "User-agent: *\nDisallow: /pagefind/\n\nSitemap: /sitemap.xml\n"


def test_with_siteurl_every_url_is_absolute(absolute_site):
    listed = entries(absolute_site)
    assert listed
    for loc, links in listed:
        assert loc.startswith(f"{SITEURL}/")
        assert all(href.startswith(f"{SITEURL}/") for href in links.values())
    assert dict(listed)[f"{SITEURL}/it/paper/"]["sv"] == f"{SITEURL}/sv/paper/"
    robots = (absolute_site / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nDisallow: /paper/pagefind/\n\nSitemap: {SITEURL}/sitemap.xml\n"


def test_the_sitemap_is_the_same_in_two_builds(tmp_path):
    first = build(tmp_path / "first")
    second = build(tmp_path / "second")
    assert (first / "sitemap.xml").read_bytes() == (second / "sitemap.xml").read_bytes()
    assert (first / "robots.txt").read_bytes() == (second / "robots.txt").read_bytes()
