"""Bounded input (issue 21.6): small hostile Markdown never stalls, exhausts or crashes a build.

Each body of the issue's list (10 KB and 100 KB of nested quotes, 10,000 nested
list items, 1.2 MB of table rows, 1.6 MB of bare links) is checked in linear
time before it is rendered; one over a limit is an ``unsafe-file`` problem
naming the file, its line and the setting, and nothing of it reaches any page,
feed, search record or edition.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from sitebuild import FIXED_NOW, PELICAN, PROJECT, Built, article, terms_toml, write_tree

from press.content.limits import DEFAULT_LIMITS, Limits, html_exceeds, source_exceeds
from press.html.plaintext import summary_from_body
from press.html.render import markdown_options, render_checked
from press.html.sanitize import plain_text

HOSTILE = {
    "quotes-10k": ">" * 10_000 + " deep\n",
    "quotes-100k": ">" * 100_000 + " deep\n",
    "lists-10k": "- " * 10_000 + "deep\n",
    "table-rows": "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 85_000,
    "bare-links": "www.a.b " * 200_000,
}
ENGINES = {
    "gfm": {},
    "python-markdown": {
        "PRESS_MARKDOWN": "python-markdown",
        "MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"},
    },
}
LEAD = "A first paragraph that renders.\n\n"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", HOSTILE)
def test_every_hostile_body_is_refused_fast_by_both_engines(name, engine):
    started = time.perf_counter()
    html, exceeded = render_checked(markdown_options(ENGINES[engine]), LEAD + HOSTILE[name])
    assert time.perf_counter() - started < 2
    assert html == "" and exceeded is not None
    assert exceeded.setting.startswith("PRESS_MAX_")


@pytest.mark.parametrize(
    ("name", "setting", "line"),
    [
        ("quotes-10k", "PRESS_MAX_NESTING", 3),
        ("lists-10k", "PRESS_MAX_NESTING", 3),
        ("table-rows", "PRESS_MAX_TABLE_CELLS", 3),
        ("bare-links", "PRESS_MAX_BODY_BYTES", None),
    ],
)
def test_the_reason_names_the_setting_and_the_line(name, setting, line):
    # a size limit that lets the other limits speak, but for the size case
    limits = DEFAULT_LIMITS if line is None else Limits(body_bytes=10**8)
    exceeded = source_exceeds(LEAD + HOSTILE[name], limits)
    assert exceeded is not None
    assert exceeded.setting == setting and exceeded.line == line
    message = exceeded.message(first_line=5)
    assert setting in message and "not rendered" in message
    if line is not None:
        assert message.startswith(f"line {line + 4}: ")


def test_a_large_table_is_found_at_its_header_line():
    body = LEAD + "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 20
    assert source_exceeds(body, Limits(table_cells=100)) is None  # 21 rows of 2
    exceeded = source_exceeds(body, Limits(table_cells=40))
    assert exceeded is not None and exceeded.setting == "PRESS_MAX_TABLE_CELLS" and exceeded.line == 3


def test_ordinary_nesting_and_thematic_breaks_pass():
    body = "> quote\n> > nested\n\n- a\n  - b\n    - c\n\n" + "* " * 40 + "\n"
    assert source_exceeds(body, DEFAULT_LIMITS) is None
    html, exceeded = render_checked(markdown_options({}), body)
    assert exceeded is None and "<blockquote>" in html


def test_raw_html_nesting_and_tables_are_counted_after_rendering():
    deep = "<div>" * 40 + "x" + "</div>" * 40
    assert source_exceeds(deep, DEFAULT_LIMITS) is None  # no Markdown markers to see
    assert html_exceeds(deep, DEFAULT_LIMITS).setting == "PRESS_MAX_NESTING"
    unclosed = "<span>" * 40
    assert html_exceeds(unclosed, DEFAULT_LIMITS) is not None
    # stray end tags of other elements do not hide the depth
    assert html_exceeds("<div></b>" * 40, DEFAULT_LIMITS) is not None
    # paragraphs and list items left open are closed by any parser: they are not depth
    assert html_exceeds("<p>one" * 100, DEFAULT_LIMITS) is None
    cells = "<table>" + "<tr><td>1</td></tr>" * 30 + "</table>"
    assert html_exceeds(cells, Limits(table_cells=20)).setting == "PRESS_MAX_TABLE_CELLS"
    assert html_exceeds(cells + cells, Limits(table_cells=40)) is None  # counted per table


def test_an_indented_deep_list_that_only_the_rendering_shows_is_refused():
    body = "".join(" " * (2 * level) + "- item\n" for level in range(40))
    assert source_exceeds(body, DEFAULT_LIMITS) is None
    html, exceeded = render_checked(markdown_options({}), body)
    assert html == "" and exceeded.setting == "PRESS_MAX_NESTING"


def test_a_body_of_many_links_under_the_size_limit_is_refused_by_its_elements():
    # 12,000 bare links in 96 KB: each one costs the PDF edition about 10 ms
    body = "www.a.b " * 12_000
    assert source_exceeds(body, DEFAULT_LIMITS) is None
    html, exceeded = render_checked(markdown_options({}), body)
    assert html == "" and exceeded.setting == "PRESS_MAX_ELEMENTS"
    assert render_checked(markdown_options({}), "www.a.b " * 500)[1] is None


def test_limits_are_settings():
    body = "> > > > > x\n"
    options = markdown_options({"PRESS_MAX_NESTING": 3})
    assert render_checked(options, body)[1].setting == "PRESS_MAX_NESTING"
    assert render_checked(markdown_options({}), body)[1] is None
    options = markdown_options({"PRESS_MAX_BODY_BYTES": 10})
    assert render_checked(options, "eleven bytes")[1].setting == "PRESS_MAX_BODY_BYTES"


def test_python_markdowns_own_recursion_is_a_refusal_not_a_traceback():
    # Python-Markdown nests on indentation the line markers do not show
    body = "".join(" " * (4 * level) + "> x\n" for level in range(300))
    options = markdown_options({**ENGINES["python-markdown"], "PRESS_MAX_NESTING": 10_000})
    html, exceeded = render_checked(options, body)
    assert exceeded is None or html == ""


def test_the_standfirst_of_a_deep_body_is_linear():
    html = "<blockquote>" * 50_000 + "deep" + "</blockquote>" * 50_000
    started = time.perf_counter()
    assert summary_from_body(html, 50) == "deep"
    assert time.perf_counter() - started < 2


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    files = {}
    for key, body in HOSTILE.items():
        files[f"articles/{key}/en.md"] = article(key.title(), LEAD + body, date="2026-03-01", category="news")
    files["articles/many-links/en.md"] = article(
        "Many Links", "www.a.b " * 12_000, date="2026-03-01", category="news"
    )
    # the sanitizer's time grows with the square of nesting: 100,000 divs took it 100 s
    files["articles/deep-share/en.md"] = article(
        "Deep Share", "A body.\n", date="2026-03-02", category="news", share="<div>" * 100_000 + "x"
    )
    files["articles/nested-summary/en.md"] = article(
        "Nested Summary", "A body.\n", date="2026-03-02", category="news", summary=">" * 5_000 + " x"
    )
    files["articles/fine/en.md"] = article(
        "Fine", "An ordinary article.\n", date="2026-03-03", category="news"
    )
    files["issues/n-1/en.md"] = article(
        "Issue 1",
        "The issue.\n",
        date="2026-03-04",
        publication="communist-left",
        number="1",
        contents=", ".join([*HOSTILE, "many-links", "fine"]),
    )
    overrides = {
        "LANGUAGES": ["en"],
        "PRESS_STRICT": True,
        "PRESS_EDITIONS": True,
        "CACHE_PATH": str(root / "c"),
        "PRESS_REPORT": str(root / "report.json"),
    }
    write_tree(root / "content", {"terms.toml": terms_toml(), **files})
    command = [
        *PELICAN,
        str(root / "content"),
        "-s",
        str(PROJECT / "pelicanconf.py"),
        "-o",
        str(root / "output"),
    ]
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW)
    started = time.perf_counter()
    # measured in a process of its own: RUSAGE_CHILDREN of pytest holds every earlier test's builds
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(command)],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(PROJECT),
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    log, _, peak = result.stdout.rpartition("PEAK ")
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    built = Built(
        int(log.rpartition("EXIT ")[2]), root / "output", report, log + result.stderr, root / "content"
    )
    return built, elapsed, int(peak)


MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(json.loads(sys.argv[1]), capture_output=True, text=True)
print(done.stdout + done.stderr)
print("EXIT", done.returncode)
print("PEAK", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_a_strict_build_of_every_case_reports_each_and_stays_small(hostile_site):
    built, elapsed, peak_kib = hostile_site
    print(f"hostile build: {elapsed:.1f} s, peak RSS {peak_kib // 1024} MB")  # shown with pytest -s
    assert built.returncode != 0, built.log
    assert "RecursionError" not in built.log and "Traceback" not in built.log
    refused = {p["path"]: p["message"] for p in built.problems("unsafe-file")}
    for key in HOSTILE:
        message = refused[f"articles/{key}/en.md"]
        assert "not rendered" in message and "PRESS_MAX_" in message, message
    # Title, Date, Category, a blank line, the lead paragraph, a blank line: the quotes start on line 7
    assert refused["articles/quotes-10k/en.md"].startswith("line 7: ")
    assert "PRESS_MAX_ELEMENTS" in refused["articles/many-links/en.md"]
    assert refused["articles/deep-share/en.md"].startswith("line 4: ")  # the Share header
    assert "line 4:" in refused["articles/nested-summary/en.md"]  # the Summary header's line
    assert not any(p["kind"] == "internal-error" for p in built.problems())
    assert elapsed < 120, elapsed
    assert peak_kib < 1_500_000, f"{peak_kib} KiB"


def test_nothing_of_a_refused_body_reaches_any_output(hostile_site):
    built, _elapsed, _peak = hostile_site
    assert built.exists("en/fine/index.html")
    for path in built.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "www.a.b" not in text and "&gt;&gt;&gt;" not in text and "| 1 | 2 |" not in text, path
            assert text.count("<blockquote") < 40, path
    page = built.page("en/quotes-10k/index.html")
    assert "deep" not in page and "A first paragraph" not in page


def test_plain_text_of_a_deeply_nested_header_is_linear():
    # Caption, Correction-Note and other headers are made plain text by the sanitizer,
    # whose time grows with the square of the nesting (100,000 divs took it 100 s)
    started = time.perf_counter()
    assert plain_text("<div>" * 100_000 + "a caption &amp; more") == "a caption & more"
    assert time.perf_counter() - started < 2
    assert plain_text("<script>x()</script><b>bold</b> &amp; text") == "bold & text"


def test_deeply_nested_brackets_are_refused_before_python_markdown_reads_them():
    # Python-Markdown's time grows with the square of nested brackets: 20,000 took it 106 s
    body = "Lead.\n\n" + "[" * 20_000 + "x" + "](u)" * 20_000 + "\n"
    started = time.perf_counter()
    html, exceeded = render_checked(markdown_options(ENGINES["python-markdown"]), body)
    assert time.perf_counter() - started < 2
    assert html == "" and exceeded.setting == "PRESS_MAX_NESTING" and exceeded.line == 3
    # cmark reads them in linear time, and no link holds another: they are text
    started = time.perf_counter()
    html, exceeded = render_checked(markdown_options({}), body)
    assert time.perf_counter() - started < 2 and exceeded is None
    ordinary = "See [the fund](u) and [a [nested] label](v), \\[escaped.\n\n[" * 40
    assert source_exceeds(ordinary, DEFAULT_LIMITS) is None
