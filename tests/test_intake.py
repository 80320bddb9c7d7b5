"""Only what the editors approved leaves the building (issue 11; contract §1, §3, §6).

One tree plants every case at once; it is built strictly (publishconf.py) and
as a development build.  Each case has its own test that asserts its report
entry (kind, key, lang, path), that nothing unsafe reached the output, and the
end-to-end test asserts that nothing was written outside it.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from sitebuild import (
    PROJECT,
    Built,
    article,
    build_tree,
    png,
    run_pelican,
    terms_document,
    translation,
    write_tree,
)

from deploy.check import check_site
from press.content.headers import parse_source
from press.content.intake import attachment_problem, control_characters, resolve_reference
from press.content.metadata import HEADERS, closest_header, parse_header_date
from press.content.slugs import slug_clashes
from press.content.tree import scan_tree
from press.html.sanitize import checked_and_cleaned, clean_html, plain_text, unsafe_parts
from press.problems import ProblemCollector, write_json_atomically

LANGUAGES = ["en", "it"]
ONLY_EN = {"languages": "en"}
SECRET = "root:x:0:0:SECRET-PASSWD-LINE"
PRIVATE = "PRIVATE-NOTES-NEVER-PUBLISHED"
GOOD = article(
    "Good article",
    "A clean article with a picture.\n\n![Photo](photo.png)\n",
    date="2026-03-01",
    summary="A clean *summary*.",
)
HELD = article("Held article", "Text of the held article.\n", date="2026-03-02")
DRAFT_TITLE = "Secret Draft Title Zebra"


def every_case(root: Path) -> dict[str, str | bytes]:
    """The tree of the issue: every case at once (the symbolic links are made by ``plant_links``)."""
    outside = root / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    (root / "private-notes.txt").write_text(PRIVATE + "\n", encoding="utf-8")
    return {
        # a clean article, its translation and its attachments
        "articles/good/en.md": GOOD,
        "articles/good/it.md": translation(
            GOOD, "en", "Articolo buono", "Un articolo pulito.\n\n![Foto](photo.png)\n"
        ),
        "articles/good/photo.png": png(),
        "articles/good/figures.csv": "year,strikes\n2026,3\n",
        # editors' leftovers, hidden files, unknown types
        "articles/good/en.md~": GOOD,
        "articles/good/en.md.bak": "Author: Jane Editor\n\n" + GOOD,
        "articles/good/#en.md#": GOOD,
        "articles/good/.en.md.swp": "swap",
        "articles/good/.env": "API_TOKEN=SECRET-TOKEN\n",
        "articles/good/tool.exe": b"MZ\x90\x00",
        "articles/good/drawing.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "images/.DS_Store": b"\x00\x00",
        "images/logo.png": png(),
        # references outside content/
        "articles/escape/en.md": article(
            "Escape",
            "See [notes]({static}../../../private-notes.txt) and ![x](../../../private-notes.txt).\n",
            date="2026-03-03",
            **ONLY_EN,
        ),
        # raw HTML that runs scripts, frames, pings, loads from elsewhere
        "articles/hostile/en.md": article(
            "Hostile",
            "First paragraph.\n\n"
            "<script>alert('body')</script>\n\n"
            'A picture <img src="photo.png" onerror="alert(1)"> here.\n\n'
            "[click me](javascript:alert(2))\n\n"
            '<iframe src="https://evil.example/frame"></iframe>\n\n'
            '<a href="https://example.org/" ping="https://evil.example/ping">ping</a>\n\n'
            '<iframe srcdoc="&lt;b&gt;x&lt;/b&gt;"></iframe>\n\n'
            "![pixel](https://evil.example/pixel.png)\n\n"
            "Last paragraph stays.\n",
            date="2026-03-04",
            summary='<b onmouseover="alert(3)">Hover</b> summary',
            share="<script>steal()</script>Share this",
            **ONLY_EN,
        ),
        # drafts: an original (the whole key), a translation (that version)
        "articles/draft-key/en.md": article(
            DRAFT_TITLE, "Draft body zebra.\n", date="2026-03-05", status="draft"
        ),
        "articles/held/en.md": HELD,
        "articles/held/it.md": translation(
            HELD, "en", "Articolo trattenuto", "Testo trattenuto.\n", status="draft"
        ),
        # unknown headers, dates as written
        "articles/typos/en.md": article(
            "Typos", "Body.\n", date="2026-03-06", catgory="Strikes", placment="lead", **ONLY_EN
        ),
        "articles/us-date/en.md": article("US date", "Body.\n", date="05/11/2026", **ONLY_EN),
        "articles/ancient/en.md": article("Ancient", "Body.\n", date="0001-01-01", **ONLY_EN),
        "articles/offset/en.md": article("Offset", "Body.\n", date="2026-03-07 10:00+03:30", **ONLY_EN),
        # control characters; format characters that are content
        "articles/controls/en.md": (
            "Title: Vertical\x0btab\nDate: 2026-03-08\nLanguages: en\n\nNUL\x00here and form\x0cfeed.\n"
        ),
        "articles/persian/en.md": article(
            "Persian words",
            "The word \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 and \u200fmark.\n",
            date="2026-03-09",
            **ONLY_EN,
        ),
        # titles are text
        "articles/wages/en.md": article("Wages < profits > rents", "Body.\n", date="2026-03-10", **ONLY_EN),
        # an issue whose table of contents names the draft
        "issues/cl-1/en.md": article(
            "Issue One",
            "The first issue.\n",
            date="2026-03-15",
            publication="communist-left",
            number="1",
            contents="good, draft-key",
            **ONLY_EN,
        ),
        # tags whose pages would share a path
        "articles/c-lang/en.md": article("C", "Body.\n", date="2026-03-11", tags="C", **ONLY_EN),
        "articles/cpp/en.md": article("Cpp", "Body.\n", date="2026-03-12", tags="C++", **ONLY_EN),
        "articles/bangs/en.md": article("Bangs", "Body.\n", date="2026-03-13", tags="!!!", **ONLY_EN),
        "articles/fire/en.md": article("Fire", "Body.\n", date="2026-03-14", tags="🔥", **ONLY_EN),
    }


def plant_links(root: Path) -> None:
    folder = root / "content/articles/good"
    for name in ("passwd", "data.csv", "shadow.json"):
        (folder / name).symlink_to(root / "outside/passwd")
    (folder / "alias.png").symlink_to(folder / "photo.png")  # stays inside: published
    (folder / "media").symlink_to(root / "outside", target_is_directory=True)


def snapshot(root: Path, *, skip: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` but those under ``skip``: path -> (size, mtime_ns)."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if Path(folder, name) not in skip]
        for name in files:
            path = Path(folder, name)
            if path in skip:
                continue
            info = path.lstat()
            found[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return found


def build_every_case(root: Path, settings_file: str) -> tuple[Built, dict, dict]:
    site = root / "site"
    content = site / "content"
    write_tree(content, every_case(site))
    plant_links(site)
    # The output one folder deeper than content/: a copy that escaped it would land in site/out/.
    output = site / "out" / "put"
    skip = (output, site / "report.json")
    before = snapshot(root, skip=skip)
    result = run_pelican(
        content,
        output,
        site / "report.json",
        settings_file=settings_file,
        overrides={"LANGUAGES": LANGUAGES, "PRESS_SEARCH": False},
    )
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    report = json.loads((site / "report.json").read_text(encoding="utf-8"))
    after = snapshot(root, skip=skip)
    return Built(result.returncode, output, report, log, content), before, after


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> tuple[Built, dict, dict]:
    return build_every_case(tmp_path_factory.mktemp("strict"), "publishconf.py")


@pytest.fixture(scope="module")
def development(tmp_path_factory) -> tuple[Built, dict, dict]:
    return build_every_case(tmp_path_factory.mktemp("development"), "pelicanconf.py")


@pytest.fixture(params=["strict", "development"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)[0]


def output_text(built: Built) -> str:
    """Every text file of the output (pages, feeds, sitemap, data), for grepping, with its name."""
    parts = []
    for path in sorted(built.output.rglob("*")):
        if path.relative_to(built.output).parts[0] == "pagefind" and path.suffix == ".js":
            continue  # the search's own code, not the site's content
        parts.append(f"=== {path.relative_to(built.output)}\n")
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".json", ".css", ".js", ".csv"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "".join(parts)


def messages(built: Built, kind: str, key: str) -> str:
    return "\n".join(p["message"] for p in built.problems(kind) if p["key"] == key)


# -- the end-to-end test of the issue ("done when") --------------------------------------

EXPECTED = {
    ("unsafe-file", "good", "", "articles/good/passwd"),
    ("unsafe-file", "good", "", "articles/good/data.csv"),
    ("unsafe-file", "good", "", "articles/good/shadow.json"),
    ("unsafe-file", "good", "", "articles/good/media"),
    ("unsafe-file", "good", "en", "articles/good/en.md~"),
    ("unsafe-file", "good", "en", "articles/good/en.md.bak"),
    ("unsafe-file", "good", "en", "articles/good/#en.md#"),
    ("unsafe-file", "good", "en", "articles/good/.en.md.swp"),
    ("unsafe-file", "good", "", "articles/good/.env"),
    ("unsafe-file", "good", "", "articles/good/tool.exe"),
    ("unsafe-file", "good", "", "articles/good/drawing.svg"),
    ("unsafe-file", "", "", "images/.DS_Store"),
    ("unsafe-file", "escape", "en", "articles/escape/en.md"),
    ("unsafe-html", "hostile", "en", "articles/hostile/en.md"),
    ("missing", "held", "it", "articles/held/it.md"),
    ("unknown-header", "typos", "en", "articles/typos/en.md"),
    ("invalid-metadata", "us-date", "en", "articles/us-date/en.md"),
    ("invalid-metadata", "ancient", "en", "articles/ancient/en.md"),
    ("invalid-metadata", "controls", "en", "articles/controls/en.md"),
    ("invalid-metadata", "c-lang", "en", "articles/c-lang/en.md"),
    ("invalid-metadata", "cpp", "en", "articles/cpp/en.md"),
    ("invalid-metadata", "bangs", "en", "articles/bangs/en.md"),
    ("invalid-metadata", "fire", "en", "articles/fire/en.md"),
}
UNSAFE_IN_OUTPUT = (
    SECRET,
    PRIVATE,
    "SECRET-TOKEN",
    "Jane Editor",
    "alert(",
    "steal(",
    "onerror",
    "onmouseover",
    "javascript:",
    "evil.example",
    "srcdoc",
    "<iframe",
    "drawing.svg",
    "tool.exe",
    ".env",
    ".swp",
    "en.md",
    "\x0b",
    "\x00",
    "\x0c",
)


def test_every_case_built_strictly_is_reported_at_once_and_published_nowhere(strict, development):
    built, before, after = strict
    assert built.returncode != 0, built.log
    assert built.entries() >= EXPECTED, sorted(EXPECTED - built.entries())
    # Nothing that was reported is anywhere in the output; nothing outside the output changed.
    text = output_text(built)
    for needle in UNSAFE_IN_OUTPUT:
        assert needle not in text, needle
    assert after == before, "the build wrote outside its output folder"
    # The development build of the same tree finishes, writes the site, reports the same.
    dev, dev_before, dev_after = development
    assert dev.returncode == 0, dev.log
    assert dev.exists("en/index.html") and dev.exists("en/good/index.html")
    assert dev.entries() == built.entries()
    assert dev_after == dev_before, "the development build wrote outside its output folder"
    dev_text = output_text(dev)
    for needle in UNSAFE_IN_OUTPUT:
        assert needle not in dev_text, needle


# -- one test per case ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["passwd", "data.csv", "shadow.json", "media"])
def test_a_link_leading_outside_content_is_never_copied(built, name):
    assert ("unsafe-file", "good", "", f"articles/good/{name}") in built.entries()
    assert "symbolic link" in messages(built, "unsafe-file", "good")
    assert not built.exists(f"articles/good/{name}")


def test_a_link_that_stays_inside_content_is_followed(built):
    assert built.exists("articles/good/alias.png")
    assert built.exists("articles/good/photo.png")
    assert built.exists("articles/good/figures.csv")
    assert built.exists("images/logo.png")


@pytest.mark.parametrize(
    ("name", "lang"),
    [("en.md~", "en"), ("en.md.bak", "en"), ("#en.md#", "en"), (".en.md.swp", "en"), (".env", "")],
)
def test_editors_leftovers_and_hidden_files_are_unsafe_and_never_copied(built, name, lang):
    assert ("unsafe-file", "good", lang, f"articles/good/{name}") in built.entries()
    assert not built.exists(f"articles/good/{name}")
    assert "Jane Editor" not in output_text(built)


@pytest.mark.parametrize("name", ["tool.exe", "drawing.svg"])
def test_types_the_press_does_not_publish_are_unsafe(built, name):
    assert ("unsafe-file", "good", "", f"articles/good/{name}") in built.entries()
    assert not built.exists(f"articles/good/{name}")
    assert ("unsafe-file", "", "", "images/.DS_Store") in built.entries()
    assert not built.exists("images/.DS_Store")


def test_a_reference_leading_outside_content_is_unsafe_and_nothing_lands_outside(strict):
    built, before, after = strict
    assert ("unsafe-file", "escape", "en", "articles/escape/en.md") in built.entries()
    assert "leads outside the content folder" in messages(built, "unsafe-file", "escape")
    page = built.page("en/escape/index.html")
    assert "private-notes" not in page and "{static}" not in page
    assert after == before


def test_unsafe_html_is_reported_with_its_line_and_removed(built):
    found = messages(built, "unsafe-html", "hostile")
    for what in ("<script>", "onerror", "javascript:", "<iframe>", "ping=", "srcdoc=", "another host"):
        assert what in found, what
    assert "line 9:" in found  # the <script> in the body: 5 header lines, a blank line, 2 lines of body
    assert "line 3:" in found and "onmouseover" in found  # the Summary header
    assert "line 4:" in found  # the Share header
    page = built.page("en/hostile/index.html")
    assert "First paragraph." in page and "Last paragraph stays." in page
    assert "Share this" in page and "steal()" not in page
    feed = built.page("en/feed.xml")
    assert "Last paragraph stays." in feed
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    for needle in ("script", "onerror", "onmouseover", "javascript:", "evil.example", "iframe", "ping="):
        assert needle not in body, needle
        assert needle not in feed, needle


def test_summaries_and_captions_are_plain_text_in_metadata(built):
    page = built.page("en/hostile/index.html")
    assert '<meta property="og:description" content="Share this">' in page
    feed = built.page("en/feed.xml")
    assert "Hover summary" in feed and "&lt;b" not in feed


def test_a_draft_is_out_of_the_publishing_build_everywhere(strict):
    built = strict[0]
    assert not [p for p in built.problems() if p["key"] == "draft-key"]
    text = output_text(built)
    assert DRAFT_TITLE not in text and "draft-key" not in text and "zebra" not in text
    toc = built.page("en/issues/cl-1/index.html")
    assert "Good article" in toc and DRAFT_TITLE not in toc


def test_the_development_build_shows_a_draft_marked(development):
    built = development[0]
    page = built.page("en/draft-key/index.html")
    assert DRAFT_TITLE in page and 'class="draft-mark"' in page
    front = BeautifulSoup(built.page("en/index.html"), "html.parser")
    card = next(card for card in front.select("article.card") if DRAFT_TITLE in card.get_text())
    assert card.select_one(".draft-mark")
    assert 'class="draft-mark"' not in built.page("en/good/index.html")
    assert DRAFT_TITLE in built.page("en/issues/cl-1/index.html")


def test_a_draft_translation_is_held_back_and_reported_missing(built):
    assert ("missing", "held", "it", "articles/held/it.md") in built.entries()
    assert "draft" in messages(built, "missing", "held")


def test_a_draft_translation_is_not_published_strictly(strict):
    built = strict[0]
    assert not built.exists("it/held/index.html")
    assert "Articolo trattenuto" not in output_text(built)


def test_unknown_headers_name_the_closest_known_one(built):
    found = messages(built, "unknown-header", "typos")
    assert "'Catgory'" in found and "did you mean `Category`?" in found
    assert "'Placment'" in found and "did you mean `Placement`?" in found


@pytest.mark.parametrize(("key", "value"), [("us-date", "05/11/2026"), ("ancient", "0001-01-01")])
def test_dates_are_never_guessed(built, key, value):
    found = messages(built, "invalid-metadata", key)
    assert value in found and "YYYY-MM-DD" in found and "+03:30" in found
    assert not built.exists(f"en/{key}/index.html")


def test_an_offset_is_honoured(built):
    assert not [p for p in built.problems() if p["key"] == "offset"]
    feed = built.page("en/feed.xml")
    entry = feed.split("urn:press:en:offset", 1)[0].rsplit("<entry>", 1)[1]
    assert "2026-03-07T06:30:00" in entry


def test_control_characters_are_reported_with_line_and_column_and_removed(built):
    found = messages(built, "invalid-metadata", "controls")
    assert "line 1 column 16 (U+000B)" in found
    assert "line 5 column 4 (U+0000)" in found and "(U+000C)" in found
    page = built.page("en/controls/index.html")
    assert "Verticaltab" in page and "NULhere and formfeed." in page


def test_format_characters_are_content(built):
    assert not [p for p in built.problems() if p["key"] == "persian"]
    page = built.page("en/persian/index.html")
    assert "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645" in page and "\u200f" in page


def test_titles_are_text(built):
    page = built.page("en/wages/index.html")
    assert ">Wages &lt; profits &gt; rents</h1>" in page
    assert "<title>Wages &lt; profits &gt; rents" in page
    assert "Wages &lt; profits &gt; rents" in built.page("en/index.html")
    assert "<title>Wages &lt; profits &gt; rents</title>" in built.page("en/feed.xml")


@pytest.mark.parametrize(("key", "names"), [("c-lang", ("'C'", "'C++'")), ("cpp", ("'C'", "'C++'"))])
def test_tags_sharing_a_page_are_reported_naming_both(built, key, names):
    found = messages(built, "invalid-metadata", key)
    assert all(name in found for name in names) and "tag/c/" in found


@pytest.mark.parametrize("key", ["bangs", "fire"])
def test_tags_without_a_usable_slug_are_reported_naming_both(built, key):
    found = messages(built, "invalid-metadata", key)
    assert "'!!!'" in found and "'🔥'" in found and "no usable slug" in found


# -- separate builds ----------------------------------------------------------------------


def test_a_draft_passes_a_strict_build_and_appears_nowhere(tmp_path):
    files = {
        "articles/ready/en.md": article("Ready", "Ready body.\n", date="2026-03-01"),
        "articles/pending/en.md": article(
            "Pending Quokka", "Quokka body.\n", date="2026-03-02", status="draft"
        ),
    }
    built = build_tree(tmp_path, files, settings_file="publishconf.py", overrides={"LANGUAGES": ["en"]})
    assert built.returncode == 0, built.log
    assert built.problems() == []
    text = output_text(built)
    assert "Quokka" not in text and "pending/" not in text
    assert built.exists("en/ready/index.html")


def test_an_internal_failure_still_writes_this_builds_report_and_exits_non_zero(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    template = theme / "templates/article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("<h1", "{{ 1 // 0 }}<h1", 1))
    report = tmp_path / "report.json"
    report.write_text('{"problems": [{"kind": "stale", "message": "from an earlier build"}]}')
    content = tmp_path / "content"
    write_tree(content, {"articles/one/en.md": article("One", "Body.\n", date="2026-03-01")})
    result = run_pelican(
        content, tmp_path / "output", report, overrides={"LANGUAGES": ["en"], "THEME": str(theme)}
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "The build failed inside (ZeroDivisionError" in log
    assert "Traceback" not in log
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert [p["kind"] for p in problems] == ["internal-error"]
    assert "ZeroDivisionError" in problems[0]["message"] and "generator.py" in problems[0]["message"]
    assert not list(tmp_path.glob(".report.json.*")), "no temporary left behind"


def test_two_writers_of_one_report_never_corrupt_it(tmp_path):
    path = tmp_path / "report.json"
    errors = []

    def write(number: int) -> None:
        try:
            for _ in range(50):
                write_json_atomically(str(path), {"problems": [{"writer": number, "pad": "x" * 5000}]})
                json.loads(path.read_text(encoding="utf-8"))
        except Exception as error:  # pragma: no cover - the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


# -- the pieces ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-11", "2026-05-11 00:00:00"),
        ("2026-05-11 10:30", "2026-05-11 10:30:00"),
        ("2026-05-11T10:30:15", "2026-05-11 10:30:15"),
        ("2026-05-11 10:30Z", "2026-05-11 10:30:00"),
        ("2026-05-11T10:30+03:30", "2026-05-11 07:00:00"),
        ("2026-05-11 01:00 -02:00", "2026-05-11 03:00:00"),
        ("05/11/2026", None),
        ("11 May 2026", None),
        ("2026-5-11", None),
        ("2026-02-30", None),
        ("0001-01-01", None),
        ("0999-12-31", None),
        ("2026-05-11 25:00", None),
        ("1000-01-01 00:30+01:00", None),
        ("", None),
    ],
)
def test_dates_accepted_forms(text, expected):
    parsed = parse_header_date(text)
    assert (str(parsed) if parsed else None) == expected


def test_every_header_is_documented_in_one_table():
    documented = (PROJECT / "docs/headers.md").read_text(encoding="utf-8")
    for spec in HEADERS:
        assert f"| `{spec.name}` |" in documented, spec.name
    assert closest_header("Catgory") == "Category"
    assert closest_header("Placment") == "Placement"
    assert closest_header("Zzzzzz") is None


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("photo.JPG", True),
        ("clip.mp4", True),
        ("issue.pdf", True),
        ("talk.opus", True),
        ("drawing.svg", False),
        ("en.md~", False),
        ("notes.orig", False),
        (".env", False),
        ("#en.md#", False),
        ("payload.exe", False),
        ("README", False),
    ],
)
def test_attachment_types(name, published):
    assert (attachment_problem(name) is None) == published


def test_references_leaving_content():
    assert resolve_reference("articles/a", "photo.png") == "articles/a/photo.png"
    assert resolve_reference("articles/a", "../b/photo.png") == "articles/b/photo.png"
    assert resolve_reference("articles/a", "/images/x.png") == "images/x.png"
    assert resolve_reference("articles/a", "../../../private.txt") is None
    assert resolve_reference("articles/a", "../../..") is None


def test_slug_clashes():
    clashes = slug_clashes([("C", "c"), ("C++", "c"), ("Strikes", "strikes"), ("!!!", ""), ("🔥", "")])
    assert [(clash.slug, clash.names) for clash in clashes] == [("", ("!!!", "🔥")), ("c", ("C", "C++"))]
    assert slug_clashes([("a", "a"), ("b", "b")]) == []


def test_control_character_positions():
    assert control_characters("ab\ncd\x0be\x00") == [(2, 3, "U+000B"), (2, 5, "U+0000")]
    assert control_characters("tab\tok\r\n\u200c\u200f") == []


# -- nothing crashes -----------------------------------------------------------------------

HEADER_NAMES = st.sampled_from(
    ["Title", "Date", "Status", "Tags", "Catgory", "Summary", "Share", "Until", "X"]
)


@given(st.binary(max_size=400))
def test_the_header_parser_never_raises(data):
    parse_source(data.decode("utf-8", "replace"))


@given(st.lists(st.tuples(HEADER_NAMES, st.text(max_size=40)), max_size=6), st.text(max_size=200))
def test_the_reader_path_never_raises_on_any_headers(tmp_path_factory, headers, body):
    root = tmp_path_factory.mktemp("tree")
    text = "".join(f"{name}: {value.replace(chr(10), ' ')}\n" for name, value in headers) + "\n" + body
    (root / "articles/key").mkdir(parents=True)
    (root / "articles/key/en.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    check_tree(root)


@given(st.binary(max_size=400), st.sampled_from(["en.md", "it.md", "x.png", ".env", "a~"]))
def test_the_reader_path_never_raises_on_any_bytes(tmp_path_factory, data, name):
    root = tmp_path_factory.mktemp("tree")
    (root / "articles/key").mkdir(parents=True)
    (root / "articles/key" / name).write_bytes(data)
    check_tree(root)


def check_tree(root: Path) -> None:
    import datetime

    from press.content import intake
    from press.translation.parity import ParityChecker

    problems = ProblemCollector()
    tree = scan_tree(str(root), ["en", "it"], problems)
    ParityChecker(tree, problems, now=datetime.datetime(2026, 6, 21), publications={}).run()
    intake.check_headers(tree, problems)
    intake.report_draft_translations(tree, problems)
    json.dumps(problems.report())


@given(st.text(max_size=300))
def test_the_sanitizer_never_raises_on_any_text(text):
    cleaned = clean_html(text)
    unsafe_parts(text)
    plain_text(text)
    assert checked_and_cleaned(text) == (unsafe_parts(text), cleaned)
    assert "<script" not in cleaned.lower()


HTML_PIECES = st.sampled_from(
    [
        "<script>x</script>",
        '<img src="https://e.example/x.png" onerror="y">',
        '<a href="javascript:z">a</a>',
        "<iframe srcdoc='q'></iframe>",
        '<a ping="p" href="/">l</a>',
        "<p>text</p>",
        "<b>",
        "</div>",
        "&lt;",
        "<svg><script>s</script></svg>",
        '<p style="background:url(//e.example/x)">s</p>',
        "<!-- comment -->",
    ]
)


@given(st.lists(st.one_of(HTML_PIECES, st.text(max_size=20)), max_size=12))
def test_the_sanitizer_removes_what_it_reports(pieces):
    markup = "".join(pieces)
    cleaned = clean_html(markup)
    for needle in ("<script", "onerror", "javascript:", "<iframe", "srcdoc", "ping=", "e.example"):
        assert needle not in cleaned.lower(), (needle, cleaned)
    assert unsafe_parts(cleaned) == []


def test_deploy_check_finds_nothing_it_refuses_in_the_built_output(built):
    """What the build refused is not there for deploy.check to find either."""
    refusals = ("inline <script>", "event attribute", "script URL", "embeds", "is refused", "not content")
    failures = check_site(built.output, validate_html=False)
    assert [f for f in failures if any(word in f.message for word in refusals)] == []


class FakePelican:
    def __init__(self, report: Path) -> None:
        self.settings = {"PRESS_REPORT": str(report)}

    def run(self) -> None:
        raise KeyError("boom")


@pytest.mark.parametrize("argv", [["pelican", "content"], ["pelican", "content", "--autoreload", "--listen"]])
def test_the_guard_writes_the_report_and_exits_or_keeps_the_preview_running(tmp_path, monkeypatch, argv):
    from press.pipeline.intake import InternalError, guard_build

    monkeypatch.setattr("sys.argv", argv)
    report = tmp_path / "report.json"
    pelican = FakePelican(report)
    guard_build(pelican)
    guard_build(pelican)  # a second registration does not wrap twice
    expected = InternalError if "--autoreload" in argv else SystemExit
    with pytest.raises(expected):
        pelican.run()
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert [p["kind"] for p in problems] == ["internal-error"]
    assert "KeyError" in problems[0]["message"]
    assert "run (" in problems[0]["message"]


def test_control_characters_in_terms_and_glossary_are_reported_and_left_out(build_site):
    terms = terms_document(
        sections={"strikes": {"en": "Strikes", "it": "Scioperi\u0007"}},
    )
    glossary = '[glossary.organ]\nen = "central\\u0008 organ"\nit = "organo centrale"\n'
    original = article("The Organ", "The central organ speaks.\n", date="2026-03-01", category="strikes")
    built = build_site(
        {
            "terms.toml": terms,
            "glossary.toml": glossary,
            "articles/organ/en.md": original,
            "articles/organ/it.md": translation(original, "en", "L'organo", "L'organo centrale parla.\n"),
        },
        languages=["en", "it"],
    )
    messages = {p["path"]: p["message"] for p in built.problems("invalid-metadata")}
    assert "control characters" in messages.get("terms.toml", ""), built.report
    assert "control characters" in messages.get("glossary.toml", ""), built.report
    page = built.page("it/organ/index.html")
    assert "Scioperi" in page and "\x07" not in page
    assert built.problems("terminology") == []  # the phrase still reads "central organ"


@pytest.mark.parametrize("argv", [["pelican", "content"], ["pelican", "content", "--autoreload", "--listen"]])
def test_the_preview_leaves_the_printed_editions_out(monkeypatch, argv):
    """pelicanconf.py makes the editions (§4: an issue page links them); the preview, which an
    editor waits for on every save, does not."""
    from pelican.settings import read_settings

    from press.pipeline.core import apply_settings

    monkeypatch.setattr("sys.argv", argv)
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    assert settings["PRESS_EDITIONS"] is True
    pelican = type("FakePelican", (), {"settings": settings})()
    apply_settings(pelican)
    assert pelican.settings["PRESS_EDITIONS"] is ("--autoreload" not in argv)
