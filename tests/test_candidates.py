"""The reference checks try their patterns only where a match can begin, and find what a full scan finds.

``press.candidates`` makes the refused-reference check and the link rewriting
read a body in microseconds instead of trying a slow pattern at every
character; a position it leaves out where a match could begin would let a
``src="/etc/passwd"`` through.  So the matches are compared with the full
scan's on hostile random text (blanks of every kind, cases, quotes, names
glued to words, ``file:`` everywhere) and on the project's own bodies, and
the comparison is shown able to fail: the same text with a start left out
finds a difference.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sitebuild import PROJECT

from press.candidates import finditer_from, substitute_from
from press.content.intake import NAME_LENGTHS, REFERENCE_IN_HTML, reference_starts, refused_references
from press.html.render import markdown_options, render_markdown
from press.pipeline.reader import LINK_ATTRIBUTE, link_starts

TOKENS = [
    " ", "  ", "\n", "\t", "\u2003", "\x0c", "\x1c", "=", " = ", '"', "'", "<", ">", "/", "\\", ":", ".", "-",
    "href", "HREF", "hReF", "src", "SRC", "srcset", "SrcSet", "xlink:href", "XLINK:HREF", "formaction",
    "data", "poster", "background", "longdesc", "icon", "file:", "FILE:/", "file:/", "fIlE:\\", "file", "x",
    "é", "İ", "ſ", "/etc/passwd", "{filename}", "../", "a", "<img ", "<a ", "1", ",", "srcsrc", "hrefhref",
    'href="', "src='", ' src="', "\nHREF='", '="', "='", '"/etc/passwd"', "'x'", '"a b"',
]  # fmt: skip


def hostile_texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(TOKENS) for _ in range(chooser.randint(1, 40))) for _ in range(count)]


def project_bodies() -> list[str]:
    options = markdown_options({})
    sources = sorted(Path(PROJECT, "content").rglob("*.md"))
    assert len(sources) > 10
    return [render_markdown(options, path.read_text(encoding="utf-8")) for path in sources]


def found(matches) -> list[tuple]:
    return [(match.span(), match.groupdict()) for match in matches]


def marked(match) -> str:
    return f"[{match.group('space')}|{match.group('attr')}|{match.group('value')}]"


@pytest.mark.parametrize("source", ["hostile", "project"])
def test_the_references_found_are_the_full_scans(source):
    texts = hostile_texts(20000, 1) if source == "hostile" else project_bodies()
    hits = 0
    for text in texts:
        expected = found(REFERENCE_IN_HTML.finditer(text))
        assert found(finditer_from(REFERENCE_IN_HTML, text, reference_starts(text))) == expected, repr(text)
        hits += len(expected)
    assert hits > len(texts) / 10, "the texts hardly hold a reference: the comparison would prove nothing"


@pytest.mark.parametrize("source", ["hostile", "project"])
def test_the_links_rewritten_are_the_full_scans(source):
    texts = hostile_texts(20000, 2) if source == "hostile" else project_bodies()
    changed = 0
    for text in texts:
        expected = LINK_ATTRIBUTE.sub(marked, text)
        assert substitute_from(LINK_ATTRIBUTE, marked, text, link_starts(text)) == expected, repr(text)
        changed += expected != text
    assert changed > len(texts) / 20


def test_the_comparison_fails_when_a_start_is_left_out():
    """Without the blanks before a link's name, or the ``file`` of a ``file:``, the hostile texts differ."""
    texts = hostile_texts(20000, 3)

    def without_blanks(text):
        return [start for start in link_starts(text) if start >= len(text) or not text[start].isspace()]

    def without_colons(text):
        return [start for start in reference_starts(text) if text[start : start + 5].lower() != "file:"]

    assert any(
        substitute_from(LINK_ATTRIBUTE, marked, text, without_blanks(text))
        != LINK_ATTRIBUTE.sub(marked, text)
        for text in texts
    )
    assert any(
        found(finditer_from(REFERENCE_IN_HTML, text, without_colons(text)))
        != found(REFERENCE_IN_HTML.finditer(text))
        for text in texts
    )


def test_an_attack_in_a_body_is_still_refused():
    body = (
        '<p>See <img src = "/etc/passwd"> and <a HREF=file:///etc/shadow>this</a>, '
        "<svg><image xlink:href='../../../../root/.ssh/id_rsa'/></svg> and FILE:/proc/self/environ.</p>"
    )
    refused = [reference.written for reference in refused_references(body, "articles/strike", ["en"])]
    assert refused == [
        "/etc/passwd",
        "file:///etc/shadow",
        "../../../../root/.ssh/id_rsa",
        "FILE:/proc/self/environ",
    ]


def test_a_long_run_of_blanks_is_tried_once_not_at_every_blank():
    """A body may hold 500,000 bytes: a code block of spaces ending in ``=`` made the full scan try
    the pattern at every space, each try crossing the rest of the run (0.74 s for 8,000 spaces,
    most of an hour for 500,000). The starts are a few per ``=``, and still find what it finds."""
    text = "<pre><code>" + " " * 200_000 + "=x " + " " * 1000 + 'href="/a">' + "</code></pre>"
    starts = list(link_starts(text))
    assert len(starts) <= 8, len(starts)
    assert substitute_from(LINK_ATTRIBUTE, marked, text, starts).count("[") == 1
    assert len(list(reference_starts(text))) <= 2 * (len(NAME_LENGTHS) + 1)
