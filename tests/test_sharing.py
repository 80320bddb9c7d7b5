"""Sharing (issue: readers): each version's official caption and Open Graph data."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sitebuild import article, build_module_site, translation

from press.pipeline.share import og_locale

LANGS = ["en", "it", "sv", "fa"]
SITEURL = "https://press.example.org"

ORIGINAL = article(
    "The Party & the Press",
    "## One\n\nRead it.\n",
    date="2026-03-01",
    summary="Why the *party* prints a paper.",
    share='Read "the paper" & pass it on.',
)


def tree() -> dict[str, str]:
    return {
        "articles/paper/en.md": ORIGINAL,
        "articles/paper/it.md": translation(
            ORIGINAL, "en", "Il Partito e la stampa", "## Uno\n\nLeggilo.\n", share="Leggi e passalo."
        ),
        # no Share: the Summary is the caption, without its markup
        "articles/paper/fa.md": translation(
            ORIGINAL, "en", "حزب و مطبوعات", "## یک\n\nبخوانید.\n", summary="چرا حزب **نشریه** چاپ می‌کند."
        ),
    }


def build(root, **overrides):
    overrides = {"LANGUAGES": LANGS, "PRESS_SEARCH": False, **overrides}
    return build_module_site(root, tree(), overrides=overrides).output


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    return build(tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build(tmp_path_factory.mktemp("published"), SITEURL=SITEURL)


def head(output, path: str) -> dict[str, list[str]]:
    page = BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")
    values: dict[str, list[str]] = {}
    for meta in page.head.find_all("meta"):
        name = meta.get("property") or meta.get("name")
        if name:
            values.setdefault(name, []).append(meta.get("content"))
    canonical = page.head.find("link", rel="canonical")
    values["canonical"] = [canonical["href"]] if canonical else []
    return values


def test_each_version_shares_its_own_caption(preview):
    english = head(preview, "en/paper/index.html")
    assert english["og:description"] == ['Read "the paper" & pass it on.']
    assert english["twitter:description"] == english["og:description"]
    assert english["description"] == english["og:description"]
    assert english["og:title"] == ["The Party & the Press"] == english["twitter:title"]
    italian = head(preview, "it/paper/index.html")
    assert italian["og:description"] == ["Leggi e passalo."]
    assert italian["og:title"] == ["Il Partito e la stampa"]


def test_the_summary_is_the_caption_when_there_is_no_share_header(preview):
    persian = head(preview, "fa/paper/index.html")
    assert persian["og:description"] == ["چرا حزب نشریه چاپ می‌کند."]
    page = BeautifulSoup((preview / "fa/paper/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find(id="share-caption").get_text() == "چرا حزب نشریه چاپ می‌کند."


def test_locales_name_a_territory_and_list_the_other_versions(preview):
    english = head(preview, "en/paper/index.html")
    assert english["og:locale"] == ["en_US"]
    assert english["og:locale:alternate"] == ["it_IT", "fa_IR"]
    assert head(preview, "it/paper/index.html")["og:locale:alternate"] == ["en_US", "fa_IR"]
    assert head(preview, "fa/paper/index.html")["og:locale"] == ["fa_IR"]


def test_og_url_is_absolute_or_absent(preview, published):
    assert "og:url" not in head(preview, "it/paper/index.html")
    assert head(preview, "it/paper/index.html")["canonical"] == ["../../it/paper/"]
    values = head(published, "it/paper/index.html")
    assert values["og:url"] == [f"{SITEURL}/it/paper/"]
    assert values["canonical"] == values["og:url"]


def test_the_copy_button_is_hidden_until_javascript_shows_it(preview):
    page = BeautifulSoup((preview / "en/paper/index.html").read_text(encoding="utf-8"), "html.parser")
    button = page.find("button", class_="copy-button")
    assert button.has_attr("hidden")
    assert button["data-copy"] == "share-caption"
    assert page.find("blockquote", id="share-caption").get_text() == 'Read "the paper" & pass it on.'


@pytest.mark.parametrize(
    ("lang", "locale"),
    [("en", "en_US"), ("it", "it_IT"), ("sv", "sv_SE"), ("fa", "fa_IR"),
     ("pt_BR", "pt_BR"), ("pt-PT", "pt_PT"), ("xx", "xx")],
)  # fmt: skip
def test_og_locale(lang, locale):
    assert og_locale(lang) == locale
