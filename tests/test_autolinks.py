"""Autolinks end where the URL ends, in every script (issue 25.2), with both engines."""

from __future__ import annotations

import re

import pytest
from sitebuild import article

from press.html.autolinks import end_autolinks_at_url, ends_url
from press.html.render import markdown_options, render_markdown

GFM = markdown_options({})
PYTHON_MARKDOWN = markdown_options(
    {
        "PRESS_MARKDOWN": "python-markdown",
        "MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"},
    }
)
HEBREW_PATH = "https://he.wikipedia.org/wiki/מפתח_ציבורי"

# (language, text, the link's address, its text, what must follow the link as text)
CASES = [
    ("zh", "参见 www.example.org/a），以及", "http://www.example.org/a", "www.example.org/a", "），以及"),
    ("zh", "参见 https://example.org/b，但是", "https://example.org/b", "https://example.org/b", "，但是"),
    (
        "zh",
        "网址 https://example.org/c。下一句",
        "https://example.org/c",
        "https://example.org/c",
        "。下一句",
    ),
    (
        "ja",
        "詳しくは https://example.org/d、そして",
        "https://example.org/d",
        "https://example.org/d",
        "、そして",
    ),
    (
        "ja",
        "こちら https://example.org/e」を見る",
        "https://example.org/e",
        "https://example.org/e",
        "」を見る",
    ),
    ("fa", "ببینید https://example.org/b، و", "https://example.org/b", "https://example.org/b", "، و"),
    ("fa", "آیا https://example.org/f؟ بله", "https://example.org/f", "https://example.org/f", "؟ بله"),
    ("ar", "انظر www.example.org/g؛ ثم", "http://www.example.org/g", "www.example.org/g", "؛ ثم"),
    (
        "ar",
        "الرابط https://example.org/h\u061c، ثم",
        "https://example.org/h",
        "https://example.org/h",
        "\u061c، ثم",
    ),
    (
        "he",
        "ראו https://example.org/i\u200e והלאה",
        "https://example.org/i",
        "https://example.org/i",
        "\u200e והלאה",
    ),
    ("he", "ראו https://example.org/j\u200f.", "https://example.org/j", "https://example.org/j", "\u200f."),
    (
        "he",
        "ראו https://example.org/k\u2069 סוף",
        "https://example.org/k",
        "https://example.org/k",
        "\u2069 סוף",
    ),
    ("ur", "دیکھیے https://example.org/l۔ اور", "https://example.org/l", "https://example.org/l", "۔ اور"),
    (
        "ur",
        "ملاحظہ https://example.org/m\u200b\u200c اور",
        "https://example.org/m",
        "https://example.org/m",
        "",
    ),
    (
        "en",
        "see https://example.org/n\ufeff and",
        "https://example.org/n",
        "https://example.org/n",
        "\ufeff and",
    ),
    ("en", "a «https://example.org/o» quote", "https://example.org/o", "https://example.org/o", "» quote"),
]


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)


@pytest.mark.parametrize(("lang", "text", "href", "label", "after"), CASES, ids=[c[0] for c in CASES])
def test_gfm_autolinks_link_exactly_the_url(lang, text, href, label, after):
    html = render_markdown(GFM, text)
    assert links(html) == [(href, label)], html
    assert f"{label}</a>{after}" in html


@pytest.mark.parametrize(("lang", "text", "href", "label", "after"), CASES, ids=[c[0] for c in CASES])
def test_python_markdown_autolinks_link_exactly_the_url(lang, text, href, label, after):
    # Python-Markdown links only <…>: a URL written so, with the text after it inside the
    # brackets up to the next space, still links only the URL
    written = text.replace(label, "<" + href, 1)
    end = written.index(href) + len(href) + len(after.split(" ")[0])
    written = written[:end] + ">" + written[end:]
    html = render_markdown(PYTHON_MARKDOWN, written)
    assert links(html) == [(href, href)], html


@pytest.mark.parametrize("options", [GFM, PYTHON_MARKDOWN], ids=["gfm", "python-markdown"])
def test_letters_of_any_script_stay_in_the_path(options):
    written = f"ראו {HEBREW_PATH} ועוד" if options is GFM else f"ראו <{HEBREW_PATH}> ועוד"
    html = render_markdown(options, written)
    ((href, label),) = links(html)
    assert label == HEBREW_PATH
    assert href in {
        HEBREW_PATH,
        "https://he.wikipedia.org/wiki/%D7%9E%D7%A4%D7%AA%D7%97_%D7%A6%D7%99%D7%91%D7%95%D7%A8%D7%99",
    }
    html = render_markdown(GFM, "见 https://zh.wikipedia.org/wiki/公钥，是")
    assert links(html) == [
        ("https://zh.wikipedia.org/wiki/%E5%85%AC%E9%92%A5", "https://zh.wikipedia.org/wiki/公钥")
    ]


def test_punctuation_gfm_trims_is_trimmed_again_after_the_cut():
    html = render_markdown(GFM, "参见 https://example.org/a.），以及")
    assert links(html) == [("https://example.org/a", "https://example.org/a")]
    assert "</a>.），以及" in html


def test_a_query_with_an_ampersand_is_cut_and_stays_escaped():
    html = render_markdown(GFM, "见 https://example.org/?a=1&b=2，好")
    assert '<a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>，好' in html


def test_ordinary_links_and_latin_text_are_left_byte_for_byte():
    for text in (
        "see https://example.org/x, and www.a.b.",
        "[参见，以及](https://example.org/a，b) and [x](https://example.org/y)",
        "<b>https://example.org/c，d</b>",
    ):
        html = render_markdown(GFM, text)
        assert end_autolinks_at_url(html) == html
    # a link written with its own text keeps its address, whatever it holds
    html = render_markdown(GFM, "[the fund](https://example.org/a，b)")
    assert links(html) == [("https://example.org/a%EF%BC%8Cb", "the fund")]


def test_the_characters_that_end_an_address():
    for (
        char
    ) in "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff\u3001\u3002\uff0c\uff09،؛؟۔":
        assert ends_url(char), hex(ord(char))
    for char in "aé中ש-_/.%~?=&#":
        assert not ends_url(char), char


def test_a_built_chinese_page_links_exactly_the_url(build_site):
    body = "参见 www.example.org/a），以及 https://example.org/b，但是。\n"
    built = build_site(
        {"articles/links/en.md": article("Links", body, date="2026-03-01", category="news")}, languages=["en"]
    )
    page = built.page("en/links/index.html")
    assert '<a href="http://www.example.org/a">www.example.org/a</a>），以及' in page
    assert '<a href="https://example.org/b">https://example.org/b</a>，但是' in page
    assert "%EF%BC" not in page


def test_the_format_characters_are_unicodes_category_cf():
    import unicodedata

    from press.html.autolinks import ENDING_CHARACTER

    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert ENDING_CHARACTER.match(char), hex(code)  # the fast pattern knows every one
