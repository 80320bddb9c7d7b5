"""Standfirsts made from the body are plain text, never escaped markup (issue 25.1, 21.7).

An article without ``Summary`` shows the body's first words as text in its
standfirst, on every card, in the feed, the page's description and the search
records; a ``Summary`` header's inline Markdown is shown as formatting.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import time

import pytest
from sitebuild import article, build_module_site, png

from press.html.plaintext import summary_from_body, summary_text

BODY = """
The determining factor was *wages* & <b>hours</b>, see [the fund](https://example.org/fund)
and ![the picket](picket.png) and a note[^1].

## A heading

Second paragraph with `code`.

[^1]: The committee's minutes.
"""
LONG = "Word " * 80 + "\n"


def tree() -> dict[str, str | bytes]:
    return {
        "articles/factor/en.md": article("Factor", BODY, date="2026-03-01", category="news"),
        "articles/factor/picket.png": png(),
        "articles/long/en.md": article("Long", LONG, date="2026-03-02", category="news"),
        "articles/formatted/en.md": article(
            "Formatted", "Body.\n", date="2026-03-03", category="news", summary="A *formatted* summary & more"
        ),
        "pages/about/en.md": article("About", "We are *the* paper & <i>more</i>.\n"),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_module_site(tmp_path_factory.mktemp("standfirst"), tree(), overrides={"LANGUAGES": ["en"]})


def standfirst(page: str) -> str:
    match = re.search(r'<div class="standfirst"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no standfirst"
    return match.group(1)


def cards(page: str) -> list[str]:
    return re.findall(r'<div class="summary"[^>]*>(.*?)</div>', page, re.S)


EXPECTED = (
    "The determining factor was wages &amp; hours, see the fund and and a note. "
    "A heading Second paragraph with code."
)


def test_the_article_standfirst_is_the_bodys_text(site):
    assert standfirst(site.page("en/factor/index.html")) == EXPECTED
    assert standfirst(site.page("about/index.html") if site.exists("about/index.html") else _about(site)) == (
        "We are the paper &amp; more."
    )


def _about(site) -> str:
    (path,) = [p for p in site.output.rglob("index.html") if "about" in str(p.parent)]
    return path.read_text(encoding="utf-8")


def test_no_card_shows_markup(site):
    for path in ("en/index.html", "en/section/news/index.html"):
        page = site.page(path)
        found = cards(page)
        assert EXPECTED in found, found
        for summary in found:
            assert "&lt;" not in summary and "<p" not in summary and "<img" not in summary, summary


def test_a_summary_header_keeps_its_inline_formatting(site):
    assert standfirst(site.page("en/formatted/index.html")) == "A <em>formatted</em> summary &amp; more"
    assert "A <em>formatted</em> summary &amp; more" in cards(site.page("en/index.html"))
    description = re.search(
        r'<meta name="description" content="([^"]*)"', site.page("en/formatted/index.html")
    )
    assert description.group(1) == "A formatted summary &amp; more"


def test_a_long_body_is_cut_after_the_configured_words(site):
    assert standfirst(site.page("en/long/index.html")) == "Word " * 49 + "Word …"


def test_feed_description_and_search_records_hold_no_markup(site):
    feed = site.page("en/feed.xml")
    summaries = re.findall(r"<summary[^>]*>(.*?)</summary>", feed, re.S)
    assert html.unescape(EXPECTED) in [html.unescape(s) for s in summaries]
    for summary in summaries:
        assert "&lt;" not in summary, summary
    page = site.page("en/factor/index.html")
    assert re.search(r'<meta name="description" content="([^"]*)"', page).group(1) == EXPECTED
    records = []
    for fragment in sorted((site.output / "pagefind").glob("*/fragment/*")):
        data = gzip.decompress(fragment.read_bytes())
        records.append(json.loads(data[len(b"pagefind_dcd") :]))
    standfirsts = [record["meta"].get("standfirst", "") for record in records]
    assert html.unescape(EXPECTED) in standfirsts, standfirsts
    for value in standfirsts:
        assert "<" not in value and "&lt;" not in value, value


def test_plain_summaries_for_the_editions():
    assert summary_text("A <em>formatted</em> summary &amp; more") == "A formatted summary & more"
    assert summary_text("Wages &amp; hours") == "Wages & hours"
    text = summary_from_body('<p>One <img src="https://example.org/x.png" alt="x"> two</p><p>three</p>', 50)
    assert text == "One two three"


def test_cjk_words_are_characters_and_the_suffix_follows_without_a_space():
    assert summary_from_body("<p>" + "罢工" * 40 + "</p>", 10) == "罢工" * 5 + "…"
    assert summary_from_body("<p>" + "کارگران " * 60 + "</p>", 3) == "کارگران کارگران کارگران …"


def test_the_summary_is_made_in_linear_time():
    nested = "<blockquote>" * 100_000 + "deep words here" + "</blockquote>" * 100_000
    inline = "<p>" + "<em>a</em> " * 200_000 + "</p>"
    for body in (nested, inline):
        started = time.perf_counter()
        summary_from_body(body, 50)
        assert time.perf_counter() - started < 1


def test_a_chinese_or_japanese_standfirst_has_no_space_between_its_paragraphs_sentences():
    japanese = "<p>港の労働者は仕事を止めた。</p><p>彼らは公正な賃金を求めている。</p>"
    assert summary_from_body(japanese) == "港の労働者は仕事を止めた。彼らは公正な賃金を求めている。"
    chinese = "<p>码头工人坚守阵线。</p><p>他们要求公平工资。</p>"
    assert summary_from_body(chinese) == "码头工人坚守阵线。他们要求公平工资。"
    # Korean spaces its sentences; a heading stays apart from the text after it
    assert summary_from_body("<p>일을 멈췄다.</p><p>임금을 요구한다.</p>") == "일을 멈췄다. 임금을 요구한다."
    assert summary_from_body("<h2>概要</h2><p>港の労働者。</p>") == "概要 港の労働者。"
