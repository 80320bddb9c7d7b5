"""The project's own sample (content/): every issue's print edition in every language is a newspaper.

For each issue PDF the sample publishes: page one shows the masthead (the publication's name) and the
lead's headline (the first article of ``Contents``) as the largest text on the page; an inside page
sets text in two columns; the booklet holds two A5 pages a side; the EPUB passes epubcheck.
"""

from __future__ import annotations

import tomllib

import pytest
from editions_site import words_by_page
from sitebuild import PROJECT, run_pelican
from test_editions import letters_in, pdftotext, run_epubcheck, two_column_lines, visible

from press.content.headers import parse_source

CONTENT = PROJECT / "content"


def header(path, name: str) -> str:
    return (parse_source(path.read_text(encoding="utf-8")).value(name) or "").strip()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample-editions")
    result = run_pelican(
        CONTENT,
        root / "output",
        root / "report.json",
        overrides={"PRESS_EDITIONS": True, "PRESS_SEARCH": False, "CACHE_PATH": str(root / "cache")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def issue_pdfs(output):
    found = sorted(path for path in output.glob("*/issues/*/*.pdf") if not path.stem.endswith("-booklet"))
    assert found, "the sample publishes no issue edition"
    return found


def test_every_issue_front_page_has_the_masthead_and_the_lead_headline_largest(sample):
    publications = tomllib.loads((CONTENT / "terms.toml").read_text(encoding="utf-8"))["publications"]
    for path in issue_pdfs(sample):
        lang, key = path.parent.parent.parent.name, path.parent.name
        issue = CONTENT / "issues" / key / f"{lang}.md"
        lead_key = header(CONTENT / "issues" / key / "en.md", "contents").split(",")[0].strip()
        lead_file = CONTENT / "articles" / lead_key / f"{lang}.md"
        lead = header(lead_file, "title")
        publication = publications[header(CONTENT / "issues" / key / "en.md", "publication")][lang]
        assert issue.exists()
        front = pdftotext(path).split("\f")[0]
        assert visible(publication) in front, (path.name, front[:300])
        _width, _height, words = words_by_page(path)[0]
        tallest = max(y1 - y0 for _x0, y0, _x1, y1, _text in words)
        largest = [text for _x0, y0, _x1, y1, text in words if y1 - y0 > tallest - 0.5 and visible(text)]
        assert all(letters_in(text, lead) for text in largest), (path.name, largest, lead)


def test_every_issue_sets_an_inside_page_in_two_columns(sample):
    for path in issue_pdfs(sample):
        pages = words_by_page(path)
        assert len(pages) >= 2 and max(two_column_lines(page) for page in pages[1:]) >= 5, path.name


def test_every_issue_has_a_booklet_and_a_valid_epub(sample):
    for path in issue_pdfs(sample):
        booklet = path.with_name(path.stem + "-booklet.pdf")
        sides = words_by_page(booklet)
        assert len(sides) % 2 == 0 and all(width > height for width, height, _words in sides), booklet.name
        run_epubcheck(path.with_suffix(".epub"))
