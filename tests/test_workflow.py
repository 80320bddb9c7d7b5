"""The translators' and editors' tools in tasks.py (issues 3 and 4)."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, translation, write_tree

from press import workflow
from press.content.headers import parse_source, revision_of

ORIGINAL = article("Original", "## Heading\n\nFirst text.\n", date="2026-02-01", category="Strikes")


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"articles/story/en.md": ORIGINAL})
    return workflow.Project(str(content), ["en", "it", "sv"], "en", {})


def test_translate_starts_a_stamped_file(project, tmp_path):
    path = workflow.translate(project, "story", "it")
    text = Path(path).read_text(encoding="utf-8")
    parsed = parse_source(text)
    assert parsed.value("translation-of") == f"en@{revision_of(parse_source(ORIGINAL).body)}"
    assert parsed.value("title") == "Original"
    assert "First text." in parsed.body
    assert "date" not in parsed.headers
    with pytest.raises(workflow.WorkflowError, match="exists already"):
        workflow.translate(project, "story", "it")


def translate_into_italian(path: str) -> None:
    """What a translator does with the file ``invoke translate`` started."""
    text = Path(path).read_text(encoding="utf-8")
    text = text.replace("Title: Original", "Title: Originale").replace("## Heading", "## Titoletto")
    Path(path).write_text(text.replace("First text.", "Primo testo."), encoding="utf-8")


def test_status_matrix_and_completion(project):
    path = workflow.translate(project, "story", "it")
    assert workflow.status(project)["rows"][0]["states"]["it"] == "untranslated"  # still a copy
    translate_into_italian(path)
    matrix = workflow.status(project)
    row = matrix["rows"][0]
    assert row["states"] == {"en": "original", "it": "ok", "sv": "missing"}
    assert matrix["completion"] == {"en": 100.0, "it": 100.0, "sv": 0.0}
    only = workflow.status(project, only_lang="sv")
    assert only["languages"] == ["sv"]
    json.loads(workflow.status_json(matrix))
    assert "missing" in workflow.format_status(matrix)


def test_stale_then_stamp(project):
    translate_into_italian(workflow.translate(project, "story", "it"))
    original = f"{project.content}/articles/story/en.md"
    with open(original, "a", encoding="utf-8") as handle:
        handle.write("\nA new paragraph.\n")
    assert workflow.status(project)["rows"][0]["states"]["it"] == "stale"
    path, value = workflow.stamp(project, "story", "it")
    assert value.startswith("en@")
    assert workflow.status(project)["rows"][0]["states"]["it"] == "ok"
    assert f"Translation-Of: {value}" in Path(path).read_text(encoding="utf-8")


def test_status_html_has_a_row_per_key_and_links_to_files(project, tmp_path):
    matrix = workflow.status(project)
    page = Path(workflow.status_html(project, matrix, str(tmp_path / "status"))).read_text(encoding="utf-8")
    assert "article/story" in page
    # relative links (the folder can be copied or served), never file:// URIs
    assert 'href="../content/articles/story/sv.md"' in page and "file:" not in page


def git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_diff_finds_the_translated_revision_in_git(project, tmp_path):
    workflow.translate(project, "story", "it")
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.email=press@localhost", "-c", "user.name=press", "add", ".")
    git(tmp_path, "-c", "user.email=press@localhost", "-c", "user.name=press", "commit", "-qm", "first")
    original = f"{project.content}/articles/story/en.md"
    with open(original, "a", encoding="utf-8") as handle:
        handle.write("\nA new paragraph.\n")
    shown = workflow.diff(project, "story", "it")
    assert "+A new paragraph." in shown


def test_diff_says_when_history_is_not_available(project):
    workflow.translate(project, "story", "it")
    with open(f"{project.content}/articles/story/en.md", "a", encoding="utf-8") as handle:
        handle.write("\nChanged.\n")
    with pytest.raises(workflow.WorkflowError, match="git history"):
        workflow.diff(project, "story", "it")


def test_new_article_has_every_header(project):
    path = workflow.new_article(project, "Dockers Win!", "Strikes", date=datetime.datetime(2026, 5, 1, 9, 30))
    assert path.endswith("articles/dockers-win/en.md")
    parsed = parse_source(Path(path).read_text(encoding="utf-8"))
    for name in ("title", "date", "category", "summary", "share"):
        assert parsed.value(name), name
    # Optional editorial headers are written too, empty (not set) until an editor fills them in.
    for name in ("tags", "placement", "order", "until", "languages"):
        assert parsed.value(name) == "", name
    assert parsed.value("date") == "2026-05-01 09:30"
    assert not parsed.errors and not parsed.duplicates


def test_frontpage_on_a_day_lists_missing_translations(project):
    write_tree(
        Path(project.content),
        {
            "articles/lead/en.md": article(
                "Lead", "Text.\n", date="2026-03-01", placement="lead", until="2026-04-01"
            ),
            "articles/lead/it.md": translation(
                article("Lead", "Text.\n", date="2026-03-01", placement="lead", until="2026-04-01"),
                "en",
                "Apertura",
                "Testo.\n",
            ),
        },
    )
    during = workflow.format_front_page(workflow.front_page(project, datetime.date(2026, 3, 15)))
    lines = during.splitlines()
    assert "lead" in lines[1] and "Lead" in lines[1] and "no version in: sv" in lines[1]
    after = workflow.front_page(project, datetime.date(2026, 4, 2))
    assert [entry.key for entry in after.front_page("en")] == ["lead", "story"]  # by date now
    assert after.front_page("en")[0].ranked().slot(after.now.date()) is None


def test_invoke_lists_every_task_with_a_docstring():
    listed = subprocess.run(
        [sys.executable, "-m", "invoke", "--list"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout
    for name in (
        "build",
        "serve",
        "clean",
        "translate",
        "status",
        "stamp",
        "new",
        "frontpage",
        "i18n-update",
    ):
        assert f"  {name} " in listed, name


LONG_ORIGINAL = article(
    "The dockers hold the line",
    "## The line\n\n"
    + "The dockers of the port held the line for nine days against the company, and the whole city "
    "came to know their demands and their reasons.\n\n" * 4,
    date="2026-02-01",
)


def test_the_file_invoke_translate_writes_starts_untranslated(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"articles/dockers/en.md": LONG_ORIGINAL})
    project = workflow.Project(str(content), ["en", "it"], "en")
    workflow.translate(project, "dockers", "it")
    _, problems = project.scan()
    (problem,) = problems.of_kind("untranslated")
    assert problem.path == "articles/dockers/it.md"
    assert "its body is still the original's text" in problem.message
    assert problems.of_kind("incomplete") == []
    matrix = workflow.status(project, only_lang="it")
    assert matrix["rows"][0]["states"]["it"] == "untranslated"
    assert matrix["completion"]["it"] == 0.0


def test_status_shows_the_progress_of_an_edition_being_prepared(tmp_path):
    content = tmp_path / "content"
    other = LONG_ORIGINAL.replace("The dockers hold", "Others hold")
    write_tree(
        content,
        {
            "articles/dockers/en.md": LONG_ORIGINAL,
            "articles/others/en.md": other,
            "articles/dockers/de.md": translation(
                LONG_ORIGINAL,
                "en",
                "Die Hafenarbeiter halten stand",
                "## Die Linie\n\n"
                + "Die Hafenarbeiter hielten neun Tage lang gegen die Firma stand, und die ganze Stadt "
                "lernte ihre Forderungen und ihre Gründe kennen.\n\n" * 4,
            ),
        },
    )
    project = workflow.Project(str(content), ["en"], "en", preparing=["de"])
    _, problems = project.scan()
    assert problems.of_kind("missing") == []  # a preview's gaps are not problems
    matrix = workflow.status(project, only_lang="de")
    assert matrix["completion"]["de"] == 50.0
    assert {row["key"]: row["states"]["de"] for row in matrix["rows"]} == {
        "dockers": "ok",
        "others": "missing",
    }
    assert "de is being prepared (PRESS_PREPARING): 50.0% done" in workflow.format_status(matrix)
    with pytest.raises(workflow.WorkflowError, match="PRESS_PREPARING"):
        workflow.status(project, only_lang="fr")
