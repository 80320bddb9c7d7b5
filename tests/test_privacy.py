"""Readers' privacy (issue: readers): nothing from other hosts, no cookies, a CSP everywhere,
and no name of a person anywhere in what is published."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sitebuild import article, build_module_site, png, translation

LANGS = ["en", "it", "sv", "fa"]
SITEURL = "https://press.example.org"
AUTHOR = "Jane Q. Comrade"

ORIGINAL = article(
    "The Paper",
    "## One\n\nRead it, with a [link](https://example.com/elsewhere).\n\n![A press]({static}press.png)\n",
    date="2026-03-01",
    category="Party Press",
    summary="Why the paper.",
    share="Read the paper.",
)
ISSUE = article(
    "The Communist Left No. 7",
    "The issue.\n",
    date="2026-03-02",
    publication="communist-left",
    number="7",
    contents="paper",
)
ABOUT = article("About", "An anonymous paper.\n", languages="en")


def clean_tree() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "articles/paper/en.md": ORIGINAL,
        "articles/paper/press.png": png(),
        "issues/cl-7/en.md": ISSUE,
        "pages/about/en.md": ABOUT,
        "articles/embargoed/en.md": article(
            "Embargoed Until Next Year", "Secret plans.\n", date="2030-01-01", languages="en"
        ),
    }
    bodies = {
        "it": ("Il giornale", "Uno", "Leggilo, con un [link](https://example.com/elsewhere).", "Una stampa"),
        "sv": ("Tidningen", "Ett", "Läs den, med en [länk](https://example.com/elsewhere).", "En press"),
        "fa": ("نشریه", "یک", "آن را بخوانید، با یک [پیوند](https://example.com/elsewhere).", "چاپخانه"),
    }
    for lang, (title, heading, text, alt) in bodies.items():
        body = f"## {heading}\n\n{text}\n\n![{alt}]({{static}}press.png)\n"
        files[f"articles/paper/{lang}.md"] = translation(ORIGINAL, "en", title, body)
        files[f"issues/cl-7/{lang}.md"] = translation(ISSUE, "en", f"{title} 7", "Il numero.\n")
    return files


def tree_with_author() -> dict[str, str | bytes]:
    files = clean_tree()
    files["articles/signed/en.md"] = article(
        "A Signed Piece", "Written by someone.\n", date="2026-02-01", author=AUTHOR, languages="en"
    )
    return files


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """pelicanconf.py: no SITEURL, lenient, with a planted Author header."""
    return build_module_site(
        tmp_path_factory.mktemp("preview"), tree_with_author(), overrides={"LANGUAGES": LANGS}
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """publishconf.py: strict, absolute SITEURL."""
    return build_module_site(
        tmp_path_factory.mktemp("published"),
        clean_tree(),
        settings_file="publishconf.py",
        overrides={"LANGUAGES": LANGS, "SITEURL": SITEURL},
    )


@pytest.fixture(params=["preview", "published"])
def output(request):
    return request.getfixturevalue(request.param).output


def html_files(output):
    return sorted(output.rglob("*.html"))


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


RESOURCE_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
    "prefetch", "preconnect", "dns-prefetch", "manifest", "mask-icon",
}  # fmt: skip


def resource_urls(page: BeautifulSoup) -> list[str]:
    """Every URL a browser fetches by itself while showing the page."""
    urls = []
    for link in page.find_all("link", href=True):
        rel = set(link.get("rel") or [])
        if rel & RESOURCE_RELS:
            urls.append(link["href"])
    for tag, attribute in (
        ("script", "src"),
        ("img", "src"),
        ("iframe", "src"),
        ("frame", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("source", "src"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("track", "src"),
        ("input", "src"),
    ):
        urls += [element[attribute] for element in page.find_all(tag) if element.get(attribute)]
    for element in page.find_all(srcset=True):
        urls += [
            candidate.strip().split()[0] for candidate in element["srcset"].split(",") if candidate.strip()
        ]
    return urls


def test_pages_load_nothing_from_another_host(output):
    own = {"", urlsplit(SITEURL).netloc}
    checked = 0
    for path in html_files(output):
        for url in resource_urls(soup(path)):
            parts = urlsplit(url)
            assert parts.scheme in ("", "data", "https"), (path, url)
            assert parts.netloc in own, (path, url)
            checked += 1
    assert checked > 50


def test_stylesheets_import_nothing_from_elsewhere(output):
    for css in list(output.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", text), css
        assert "@import" not in text, css


def test_no_cookies_or_browser_storage(output):
    scripts = list((output / "assets").glob("*.js")) + list((output / "pagefind").glob("*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        for name in ("document.cookie", "localStorage", "sessionStorage", "indexedDB"):
            assert name not in text, (script, name)
    for path in html_files(output):
        assert not soup(path).find("meta", attrs={"http-equiv": re.compile("set-cookie", re.I)}), path


def csp_of(page: BeautifulSoup) -> dict[str, list[str]]:
    meta = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    policy = {}
    for directive in meta["content"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_every_page_has_a_strict_content_security_policy(output):
    pages = html_files(output)
    assert len(pages) > 20
    for path in pages:
        page = soup(path)
        policy = csp_of(page)
        assert policy["default-src"] == ["'self'"], path
        assert policy.get("style-src") == ["'self'"], path
        for source in policy.get("script-src", ["'self'"]):
            assert source in ("'self'", "'wasm-unsafe-eval'"), (path, source)
        # what the policy forbids is not in the page either
        assert all(script.get("src") for script in page.find_all("script")), path
        assert not page.find("style"), path
        assert not page.find(style=True), path
        assert not [
            attribute for tag in page.find_all(True) for attribute in tag.attrs if attribute.startswith("on")
        ]
        if path != output / "index.html":  # the root only redirects
            assert page.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer", path


def all_published_text(output) -> str:
    """Every output file as text, the search index unpacked."""
    texts = []
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in (".pf_fragment", ".pf_index", ".pf_meta"):
            data = gzip.decompress(data)
        texts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(texts)


def test_a_planted_author_header_never_reaches_the_site(preview):
    flagged = [p for p in preview.problems("invalid-metadata") if p["key"] == "signed"]
    assert flagged and "Author" in flagged[0]["message"]
    text = all_published_text(preview.output)
    assert AUTHOR not in text
    assert "Comrade" not in text
    for path in html_files(preview.output):
        assert not soup(path).find("meta", attrs={"name": "author"}), path


def test_unpublished_articles_and_sources_stay_private(output):
    assert not list(output.rglob("*.md"))
    assert "Embargoed Until Next Year" not in all_published_text(output)
    assert "Secret plans" not in all_published_text(output)


def test_links_to_other_sites_send_no_referrer(output):
    page = soup(output / "it/paper/index.html")
    assert page.find("a", href="https://example.com/elsewhere")
    assert page.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"
