"""Property-based tests: arbitrary text never crashes the parser, the revision or the group rules."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from press.content.headers import canonical_body, parse_source, revision_of
from press.content.tree import scan_tree
from press.html.autolinks import ends_url
from press.html.render import markdown_options, render_markdown
from press.problems import KINDS, ProblemCollector
from press.translation.fidelity import lacks, read_html
from press.translation.parity import ParityChecker

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
line = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40)


@given(text)
def test_parser_never_raises_and_keeps_the_body(source):
    parsed = parse_source(source)
    assert isinstance(parsed.body, str)
    # the body is a suffix of the (normalised) text: the parser never invents text
    normalised = source.lstrip("\ufeff").replace("\r\n", "\n")
    assert normalised.endswith(parsed.body)


@given(st.lists(line, max_size=12), st.lists(st.sampled_from(["", " ", "\t", "  \t"]), max_size=12))
def test_revision_ignores_trailing_space_crlf_and_surrounding_blank_lines(lines, trailing):
    body = "\n".join(lines)
    noisy_lines = [value + (trailing[i] if i < len(trailing) else "") for i, value in enumerate(lines)]
    noisy = "\n\n  \n" + "\r\n".join(noisy_lines) + "\r\n \n\n"
    assert revision_of(noisy) == revision_of(body)


@given(st.lists(line, min_size=1, max_size=12))
def test_revision_is_the_sha256_prefix_of_the_canonical_body(lines):
    body = "\n".join(lines)
    expected = hashlib.sha256(canonical_body(body).encode("utf-8")).hexdigest()[:12]
    assert revision_of(body) == expected
    assert len(expected) == 12


@given(st.lists(line, min_size=1, max_size=8), line.filter(lambda s: s.strip() != ""))
def test_revision_sees_every_change_inside_the_body(lines, extra):
    body = "\n".join(lines)
    changed = body + "\n" + extra
    # a line with text added after the body always changes the canonical body, and so the revision
    assert canonical_body(changed) != canonical_body(body)
    assert revision_of(changed) != revision_of(body)


# header names are case-insensitive: generate them in one case so none repeats
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), line, max_size=6), text)
def test_headers_round_trip(headers, body):
    source = "".join(f"{name}: {value.strip()}\n" for name, value in headers.items()) + "\n" + body
    parsed = parse_source(source)
    for name, value in headers.items():
        if value.strip() and name.lower() in parsed.headers:
            assert parsed.headers[name.lower()].value == value.strip()


MARKDOWN = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}
# Both engines: cmark-gfm (the default) and Python-Markdown with Pelican's usual extensions.
ENGINES = {
    "gfm": markdown_options({}),
    "python-markdown": markdown_options({"PRESS_MARKDOWN": "python-markdown", "MARKDOWN": MARKDOWN}),
}
engines = pytest.mark.parametrize("engine", list(ENGINES))


def test_both_engines_are_what_they_say():
    assert ENGINES["gfm"]["engine"] == "gfm"
    assert ENGINES["python-markdown"]["engine"] == "python-markdown"
    assert "<li>" in render_markdown(ENGINES["gfm"], "text\n- item\n")
    assert "<li>" not in render_markdown(ENGINES["python-markdown"], "text\n- item\n")


@engines
@given(text, text)
def test_reading_a_rendered_body_never_raises(engine, first, second):
    options = ENGINES[engine]
    original, translation = (read_html(render_markdown(options, body)) for body in (first, second))
    assert original.words >= 0 and original.headings >= 0
    assert lacks(original, original, "en", "it") == []
    assert isinstance(lacks(original, translation, "en", "zh"), list)


files = st.dictionaries(
    st.tuples(st.sampled_from(["a", "b", "Bad", "c-1"]), st.sampled_from(["en", "it", "de", "x"])),
    st.one_of(
        text,
        st.builds(
            lambda title, tr, body: f"Title: {title}\n{tr}Date: 2026-01-01\n\n{body}",
            line,
            st.sampled_from(["", "Translation-Of: en@000000000000\n", "Translation-Of: nonsense\n"]),
            text,
        ),
    ),
    max_size=8,
)


# Markdown's nesting and URL characters, in any order and number
markdownish = st.text(
    alphabet=st.sampled_from([*list("> -*1.|\n`[]()<>www.a/b:https"), "\u200e", "，", "،"]), max_size=600
)


@engines
@given(markdownish)
def test_any_nesting_renders_or_is_refused_never_raises(engine, source):
    html = render_markdown(ENGINES[engine], source)
    assert isinstance(html, str)


@engines
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_no_autolink_runs_past_the_end_of_its_url(engine, tail):
    source = "see https://example.org/a" + tail if engine == "gfm" else f"see <https://example.org/a{tail}>"
    html = render_markdown(ENGINES[engine], source)
    for label in re.findall(r'<a href="https://example\.org/a[^"]*">([^<]*)</a>', html):
        assert not any(ends_url(char) for char in label), label


@engines
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(files)
def test_group_rules_never_raise_on_any_tree(engine, tmp_path_factory, tree_files):
    root = tmp_path_factory.mktemp("tree")
    for (key, lang), content in tree_files.items():
        folder = root / "articles" / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.md").write_text(content, encoding="utf-8")
    problems = ProblemCollector()
    tree = scan_tree(str(root), ["en", "it"], problems)
    ParityChecker(
        tree,
        problems,
        now=datetime.datetime(2026, 6, 1),
        publications={},
        render=lambda body: render_markdown(ENGINES[engine], body),
    ).run()
    for problem in problems:
        assert problem.kind in KINDS
        assert problem.message and problem.path
