"""Paragraph-level translation in PO files (issue 17): export, import, staleness per segment, memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, translation, write_tree

from press import workflow
from press.content.headers import parse_source, revision_of
from press.content.tree import scan_tree
from press.problems import ProblemCollector
from press.translation import po

LANGUAGES = ["en", "it", "sv", "fa"]

ORIGINAL = article(
    "The Strike Committee",
    """\
    The committee met at the gate every morning.

    ## How it was organised

    Each shift elected delegates, who reported to the [union hall]({filename}../hall/en.md).

    - pickets at every gate;
    - a daily bulletin.

    > Every copy sold is a conversation begun.

    ![Dockers at the gate](gate.jpg)

    | Day | Pickets |
    |-----|---------|
    | Monday | Forty |
    """,
    date="2026-02-01",
    category="Strikes",
    summary="How the dockers organised.",
    share="The dockers' committee.",
)
ITALIAN = translation(
    ORIGINAL,
    "en",
    "Il comitato di sciopero",
    """\
    Il comitato si riuniva al cancello
    ogni mattina.

    ## Come fu organizzato

    Ogni turno eleggeva delegati, che riferivano alla [camera del lavoro]({filename}../hall/it.md).

    * picchetti a ogni cancello;
    * un bollettino quotidiano.

    > Ogni copia venduta è una conversazione iniziata.

    ![Portuali al cancello](gate.jpg)

    | Giorno | Picchetti |
    |-----|---------|
    | Lunedì | Quaranta |
    """,
    summary="Come si organizzarono i portuali.",
    share="Il comitato dei portuali.",
)


def scan(content: Path):
    return scan_tree(str(content), LANGUAGES, ProblemCollector())


@pytest.fixture
def site(tmp_path):
    content = tmp_path / "content"
    write_tree(content, {"articles/story/en.md": ORIGINAL, "articles/story/it.md": ITALIAN})
    return content, tmp_path / "po"


def export(content, po_root, key="story", lang="it", kind="articles"):
    return po.export(scan(content), str(content), str(po_root), kind, key, lang)


def catalog(path):
    return po.read_catalog(str(path))


def entries(path):
    return [message for message in catalog(path) if message.id]


def edit_entry(path, context, string=None, fuzzy=None):
    """Change one entry the way a translator's tool would."""
    from babel.messages.pofile import write_po

    cat = catalog(path)
    for message in cat:
        if message.context == context:
            if string is not None:
                message.string = string
            if fuzzy is False:
                message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, cat, width=0, include_previous=True, no_location=True)


def test_every_sample_translation_round_trips_byte_for_byte(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    before = {path: path.read_bytes() for path in content.rglob("*.md")}
    tree = scan(content)
    checked = 0
    for (kind, key), group in sorted(tree.groups.items()):
        for lang, version in group.versions.items():
            if version is group.original:
                continue
            exported = po.export(tree, str(content), str(tmp_path / "po"), kind, key, lang)
            assert exported.translated == exported.entries, (kind, key, lang)
            result = po.import_po(tree, str(content), exported.path)
            assert result.stamped and result.remaining == 0
            assert Path(result.path).read_bytes() == before[Path(result.path)], result.path
            checked += 1
    assert checked >= 40
    assert {path: path.read_bytes() for path in content.rglob("*.md")} == before


def test_segments_cover_every_kind_and_hide_destinations(site):
    content, po_root = site
    path = export(content, po_root).path
    assert path == str(po_root / "it" / "story.po")
    found = {m.context: m for m in entries(path)}
    kinds = {comment for m in found.values() for comment in m.auto_comments if comment.startswith("segment:")}
    assert kinds == {
        f"segment: {kind}"
        for kind in (
            "title",
            "summary",
            "share",
            "paragraph",
            "heading",
            "list item",
            "quote",
            "image",
            "table cell",
        )
    }
    linked = next(m for m in found.values() if "delegates" in m.id)
    assert linked.id == "Each shift elected delegates, who reported to the [union hall]{1}."
    assert linked.string == "Ogni turno eleggeva delegati, che riferivano alla [camera del lavoro]{1}."
    assert "{1} = ({filename}../hall/en.md)" in linked.auto_comments
    image = next(m for m in found.values() if "segment: image" in m.auto_comments)
    assert (image.id, image.string) == ("Dockers at the gate", "Portuali al cancello")
    # the Italian paragraph wrapped over two lines is one entry
    assert found["body-1"].string == "Il comitato si riuniva al cancello ogni mattina."


def test_a_translated_change_is_written_back_in_the_translations_own_layout(site):
    content, po_root = site
    path = export(content, po_root).path
    edit_entry(
        path, "body-3", "Ogni turno eleggeva i propri delegati, che riferivano alla [camera del lavoro]{1}."
    )
    result = po.import_po(scan(content), str(content), path)
    assert result.stamped
    text = (content / "articles/story/it.md").read_text(encoding="utf-8")
    assert (
        "eleggeva i propri delegati, che riferivano alla [camera del lavoro]({filename}../hall/it.md)."
        in text
    )
    # everything else is as the translator wrote it: wrapped lines, '*' bullets, headers
    assert text == ITALIAN.replace("eleggeva delegati", "eleggeva i propri delegati")


def test_a_changed_paragraph_marks_exactly_one_entry_fuzzy(site):
    content, po_root = site
    path = export(content, po_root).path
    original = content / "articles/story/en.md"
    original.write_text(
        ORIGINAL.replace("met at the gate every morning", "met at the main gate every morning"),
        encoding="utf-8",
    )
    again = export(content, po_root)
    merged = entries(again.path)
    fuzzy = [m for m in merged if m.fuzzy]
    assert [m.context for m in fuzzy] == ["body-1"]
    assert fuzzy[0].previous_id == ["The committee met at the gate every morning."]
    assert fuzzy[0].string == "Il comitato si riuniva al cancello ogni mattina."
    assert all(m.string for m in merged)
    assert again.translated == again.entries - 1
    assert "#| msgid" in Path(path).read_text(encoding="utf-8")
    # the status counts the changed segments of the stale translation
    project = workflow.Project(str(content), LANGUAGES, "en", {})
    project_po = po.po_root_for(str(content))
    shutil.copytree(po_root, project_po)
    row = workflow.status(project)["rows"][0]
    assert (row["states"]["it"], row["changed"]["it"]) == ("stale", 1)
    # importing with a fuzzy entry left keeps the old revision: still stale
    old_stamp = parse_source(ITALIAN).value("translation-of")
    result = po.import_po(scan(content), str(content), path)
    assert (result.stamped, result.remaining) == (False, 1)
    assert parse_source((content / "articles/story/it.md").read_text()).value("translation-of") == old_stamp
    # translating it and clearing the mark stamps the current revision
    edit_entry(path, "body-1", "Il comitato si riuniva al cancello principale ogni mattina.", fuzzy=False)
    result = po.import_po(scan(content), str(content), path)
    assert result.stamped
    text = (content / "articles/story/it.md").read_text(encoding="utf-8")
    assert "cancello principale ogni mattina." in text
    assert (
        parse_source(text).value("translation-of")
        == f"en@{revision_of(parse_source(original.read_text()).body)}"
    )


def test_changed_segments_come_from_the_git_history_without_a_po_file(site, tmp_path):
    content, po_root = site
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    original = content / "articles/story/en.md"
    original.write_text(
        ORIGINAL.replace("- a daily bulletin.", "- a daily bulletin in four languages."), encoding="utf-8"
    )
    exported = export(content, po_root)
    fuzzy = [m for m in entries(exported.path) if m.fuzzy]
    assert [(m.id, m.previous_id) for m in fuzzy] == [
        ("a daily bulletin in four languages.", ["a daily bulletin."])
    ]
    project = workflow.Project(str(content), LANGUAGES, "en", {})
    row = workflow.status(project)["rows"][0]
    assert (row["states"]["it"], row["changed"]["it"]) == ("stale", 1)
    assert "stale (1 seg)" in workflow.format_status(workflow.status(project))


def test_the_translation_memory_prefills_a_repeated_paragraph(site):
    content, po_root = site
    boilerplate = "Every copy sold is a conversation begun."
    write_tree(
        content,
        {
            "articles/other/en.md": article(
                "Another Story",
                f"A new first paragraph.\n\n> {boilerplate}\n",
                date="2026-03-01",
                category="Strikes",
            )
        },
    )
    exported = export(content, po_root, key="other")
    assert exported.from_memory == 1
    filled = [m for m in entries(exported.path) if m.string]
    assert len(filled) == 1
    assert filled[0].id == boilerplate and filled[0].fuzzy
    assert filled[0].string == "Ogni copia venduta è una conversazione iniziata."
    assert "translation memory: articles/story/it.md" in filled[0].auto_comments


def test_a_new_translation_stays_stale_until_every_segment_is_done(site):
    content, po_root = site
    exported = export(content, po_root, lang="sv")
    assert exported.translated == 0
    edit_entry(exported.path, "title", "Strejkkommittén")
    result = po.import_po(scan(content), str(content), exported.path)
    assert not result.stamped and result.remaining == exported.entries - 1
    text = (content / "articles/story/sv.md").read_text(encoding="utf-8")
    assert text.startswith("Title: Strejkkommittén\n")
    assert "Translation-Of: en@000000000000" in text
    tree = scan(content)
    group = tree.group("articles", "story")
    assert group.versions["sv"].is_translation and len(group.originals) == 1


def test_a_broken_placeholder_is_refused_and_nothing_is_written(site):
    content, po_root = site
    path = export(content, po_root).path
    before = (content / "articles/story/it.md").read_bytes()
    edit_entry(path, "body-3", "Ogni turno eleggeva delegati, che riferivano alla camera del lavoro.")
    with pytest.raises(po.POError, match=r"it/story.po, entry body-3: the translation lacks \{1\}"):
        po.import_po(scan(content), str(content), path)
    edit_entry(path, "body-3", "Ogni turno [eleggeva]{2} delegati, alla [camera]{1}.")
    with pytest.raises(
        po.POError, match=r"entry body-3: the translation has \{2\}, which the original does not"
    ):
        po.import_po(scan(content), str(content), path)
    assert (content / "articles/story/it.md").read_bytes() == before


def test_a_po_file_that_no_longer_matches_the_original_is_refused(site):
    content, po_root = site
    path = export(content, po_root).path
    before = (content / "articles/story/it.md").read_bytes()
    original = content / "articles/story/en.md"
    original.write_text(original.read_text() + "\nA paragraph added later.\n", encoding="utf-8")
    with pytest.raises(
        po.POError, match=r"has 14 entries but articles/story/en.md now has 15 segments.*po-export story it"
    ):
        po.import_po(scan(content), str(content), path)
    assert (content / "articles/story/it.md").read_bytes() == before


def test_a_po_file_for_another_key_or_language_is_refused(site):
    content, po_root = site
    path = Path(export(content, po_root).path)
    wrong = po_root / "sv" / "story.po"
    wrong.parent.mkdir(parents=True)
    shutil.copyfile(path, wrong)
    with pytest.raises(po.POError, match=r"sv/story.po holds articles/story in it, not articles/story in sv"):
        export(content, po_root, lang="sv")
    with pytest.raises(po.POError, match=r"sv/story.po holds the it translation but lies in a folder for sv"):
        po.import_po(scan(content), str(content), str(wrong))
    renamed = po_root / "it" / "other.po"
    shutil.copyfile(path, renamed)
    with pytest.raises(po.POError, match=r"holds articles/story \(it\) but is named other.po"):
        po.import_po(scan(content), str(content), str(renamed))
    text = path.read_text(encoding="utf-8")
    nowhere = po_root / "it" / "nowhere.po"
    nowhere.write_text(text.replace("articles/story it", "articles/nowhere it"), encoding="utf-8")
    with pytest.raises(po.POError, match=r"translates articles/nowhere, which is not in"):
        po.import_po(scan(content), str(content), str(nowhere))
    english = po_root / "story.po"
    english.write_text(text.replace("articles/story it", "articles/story en"), encoding="utf-8")
    with pytest.raises(po.POError, match=r"translates into en, the language of the original"):
        po.import_po(scan(content), str(content), str(english))
    path.write_text("garbage line\n", encoding="utf-8")
    with pytest.raises(po.POError, match=r"story.po is not a readable PO file"):
        po.import_po(scan(content), str(content), str(path))


def test_the_tasks_say_what_is_wrong_without_a_traceback(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text("garbage line\n", encoding="utf-8")
    # run from the user's own folder: the path is taken relative to it
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(PROJECT), "po-import", "broken.po"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"error: {broken} is not a readable PO file" in result.stderr


def test_the_status_page_links_relatively_and_offers_po_downloads(site, tmp_path):
    content, _ = site
    write_tree(
        content,
        {"glossary.toml": '[glossary.committee]\nen = "committee"\nit = "comitato"\nsv = "kommitté"\n'},
    )
    project = workflow.Project(str(content), ["en", "it", "sv"], "en", {})
    folder = tmp_path / "status"
    page = Path(workflow.status_html(project, workflow.status(project), str(folder))).read_text(
        encoding="utf-8"
    )
    assert "file:" not in page and str(tmp_path) not in page
    assert 'href="../content/articles/story/it.md"' in page
    assert 'href="po/it/articles-story.po" download' in page
    assert (folder / "po" / "it" / "articles-story.po").exists()
    assert (folder / "po" / "sv" / "articles-story.po").exists()
    assert "terminology problems" in page


def test_a_translation_that_would_change_the_structure_is_refused(site):
    content, po_root = site
    path = export(content, po_root).path
    before = (content / "articles/story/it.md").read_bytes()
    edit_entry(path, "body-1", "Il comitato si riuniva.\n\n## Ogni mattina")
    with pytest.raises(
        po.POError, match=r"story.po, entry body-1: the translation would turn 11 segments into 12 "
    ):
        po.import_po(scan(content), str(content), path)
    assert (content / "articles/story/it.md").read_bytes() == before


def test_a_title_in_headline_capitals_left_as_it_is_is_not_translated():
    """As the build's untranslated check does, the original's body tells a headline's capitals
    from a name's: po-export must not count the copied title as translated."""
    from press.translation.po import still_original

    title = "Strike Funds: Why Solidarity Needs a Treasury"
    body = "A strike fund is money collected in advance. Why solidarity needs a treasury is simple."
    assert still_original(title, title, "en", "de", body)
    name = "Bitcoin Optech Newsletter #233"
    assert not still_original(name, name, "en", "de", body)
