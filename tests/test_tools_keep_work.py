"""The editors' and translators' tools never lose work and agree with each other (issue 24)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sitebuild import article, translation, write_tree

from press import workflow
from press.content.headers import parse_source
from press.translation import po

ORIGINAL = article(
    "Dockers win",
    "The dockers of the port won their strike.\n\nBitcoin Optech\n\nThey return to work on Monday.\n",
    date="2026-02-01",
    category="Strikes",
    tags="strikes",
    placement="lead",
)
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]


def commit(folder: Path, message: str = "commit") -> None:
    if not (folder / ".git").exists():
        subprocess.run([*GIT, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=folder, check=True)


@pytest.fixture
def project(tmp_path: Path) -> workflow.Project:
    content = tmp_path / "content"
    write_tree(content, {"articles/dockers/en.md": ORIGINAL})
    return workflow.Project(str(content), ["en", "it", "sv"], "en")


def file_of(project: workflow.Project, lang: str) -> Path:
    return Path(project.content, "articles", "dockers", f"{lang}.md")


# -- translate never overwrites an original, and keeps a copy of unsaved work -------------


@pytest.mark.parametrize("force", [False, True])
def test_translate_refuses_the_originals_own_language(project, force):
    before = file_of(project, "en").read_bytes()
    with pytest.raises(workflow.WorkflowError, match="is the original of 'dockers', in en") as refused:
        workflow.translate(project, "dockers", "en", force=force)
    assert "\n" not in str(refused.value)
    assert file_of(project, "en").read_bytes() == before
    assert sorted(p.name for p in file_of(project, "en").parent.iterdir()) == ["en.md"]


def test_translate_force_keeps_a_copy_of_uncommitted_work(project, tmp_path):
    path = Path(workflow.translate(project, "dockers", "it"))
    path.write_text(path.read_text(encoding="utf-8") + "\nMy unsaved paragraph.\n", encoding="utf-8")
    edited = path.read_bytes()
    kept: list[str] = []
    workflow.translate(project, "dockers", "it", force=True, kept=kept)
    assert len(kept) == 1 and Path(kept[0]).parent == path.parent
    assert Path(kept[0]).read_bytes() == edited
    assert b"My unsaved paragraph." not in path.read_bytes()


def test_translate_force_keeps_no_copy_of_what_git_holds(project, tmp_path):
    workflow.translate(project, "dockers", "it")
    commit(tmp_path)
    kept: list[str] = []
    workflow.translate(project, "dockers", "it", force=True, kept=kept)
    assert kept == []


# -- translate and po-export agree; status counts copies as to do ---------------------------


def test_a_segment_still_holding_the_originals_text_is_exported_untranslated(project, tmp_path):
    workflow.translate(project, "dockers", "it")
    tree, _ = project.scan()
    result = po.export(tree, project.content, str(tmp_path / "po"), "articles", "dockers", "it")
    catalog = po.read_catalog(result.path)
    strings = {m.context: m.string for m in catalog if m.id}
    # a name is the same in every language: it stays translated; text to translate does not
    assert strings["body-2"] == "Bitcoin Optech"
    assert strings["title"] == "" and strings["body-1"] == "" and strings["body-3"] == ""
    assert result.translated == 1


def test_po_import_does_not_stamp_a_copy_of_the_original(project, tmp_path):
    workflow.translate(project, "dockers", "it")
    tree, _ = project.scan()
    result = po.export(tree, project.content, str(tmp_path / "po"), "articles", "dockers", "it")
    catalog = po.read_catalog(result.path)
    for message in catalog:
        if message.id:
            message.string = message.id  # what a PO editor's "copy source" does
    po.write_catalog_atomically(catalog, result.path)
    tree, _ = project.scan()
    imported = po.import_po(tree, project.content, result.path)
    assert not imported.stamped and imported.remaining == imported.entries - 1  # the name is done


def test_status_counts_a_copied_paragraph_as_to_do(project):
    path = file_of(project, "it")
    it = translation(
        ORIGINAL,
        "en",
        "I portuali vincono",
        "I portuali del porto hanno vinto lo sciopero.\n\nBitcoin Optech\n\nThey return to work on Monday.\n",
    )
    write_tree(Path(project.content), {"articles/dockers/it.md": it})
    matrix = workflow.status(project, only_lang="it")
    assert matrix["rows"][0]["states"]["it"] == "untranslated"
    assert matrix["completion"]["it"] == 0.0
    assert "untranslated (1 seg)" in workflow.format_status(matrix)
    path.write_text(
        it.replace("They return to work on Monday.", "Tornano al lavoro lunedì."), encoding="utf-8"
    )
    assert workflow.status(project, only_lang="it")["rows"][0]["states"]["it"] == "ok"


def test_status_does_not_count_drafts_as_missing(project):
    write_tree(
        Path(project.content),
        {"articles/draft/en.md": article("Not yet", "Draft text.\n", date="2026-02-02", status="draft")},
    )
    matrix = workflow.status(project)
    row = next(row for row in matrix["rows"] if row["key"] == "draft")
    assert row["states"] == {"en": "original", "it": "draft", "sv": "draft"}
    dockers = next(row for row in matrix["rows"] if row["key"] == "dockers")
    assert dockers["states"]["it"] == "missing"
    assert matrix["completion"]["it"] == 0.0  # dockers only: the draft is not counted at all
    write_tree(
        Path(project.content),
        {"articles/dockers/it.md": translation(ORIGINAL, "en", "I portuali", "Testo.\n", status="draft")},
    )
    assert workflow.status(project, only_lang="it")["rows"][1]["states"]["it"] == "draft"


# -- stamp refuses a translation that did not change since its original did ---------------------


def stale_translation(project, tmp_path) -> Path:
    it = translation(ORIGINAL, "en", "I portuali vincono", "Hanno vinto.\n\nBitcoin Optech\n\nLunedì.\n")
    write_tree(Path(project.content), {"articles/dockers/it.md": it})
    commit(tmp_path)
    original = file_of(project, "en")
    original.write_text(ORIGINAL.replace("on Monday", "on Tuesday"), encoding="utf-8")
    commit(tmp_path, "the original changes")
    return file_of(project, "it")


def test_stamp_refuses_a_translation_unchanged_since_the_original_changed(project, tmp_path):
    path = stale_translation(project, tmp_path)
    before = path.read_bytes()
    with pytest.raises(workflow.WorkflowError, match="has not changed since") as refused:
        workflow.stamp(project, "dockers", "it")
    assert "invoke stamp dockers it --unchanged" in str(refused.value)
    assert path.read_bytes() == before
    _, value = workflow.stamp(project, "dockers", "it", unchanged=True)
    assert parse_source(path.read_text(encoding="utf-8")).value("translation-of") == value


def test_stamp_takes_a_translation_brought_up_to_date(project, tmp_path):
    path = stale_translation(project, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("Lunedì", "Martedì"), encoding="utf-8")
    _, value = workflow.stamp(project, "dockers", "it")
    assert parse_source(path.read_text(encoding="utf-8")).value("translation-of") == value


def test_a_po_file_with_a_bogus_charset_is_one_clear_error(tmp_path):
    path = tmp_path / "dockers.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=bogus\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    )
    with pytest.raises(po.POError, match="unknown encoding: bogus") as refused:
        po.read_catalog(str(path))
    assert "\n" not in str(refused.value)


def test_po_import_keeps_a_copy_of_edits_made_in_the_file_itself(project, tmp_path):
    path = Path(workflow.translate(project, "dockers", "it"))
    tree, _ = project.scan()
    exported = po.export(tree, project.content, str(tmp_path / "po"), "articles", "dockers", "it")
    catalog = po.read_catalog(exported.path)
    for message in catalog:
        if message.id:
            message.string = f"IT {message.id}"
    po.write_catalog_atomically(catalog, exported.path)
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    edited = path.read_bytes()
    tree, _ = project.scan()
    imported = po.import_po(tree, project.content, exported.path)
    assert imported.kept is not None and Path(imported.kept).read_bytes() == edited
    assert b"Edited by hand." not in path.read_bytes()


def test_a_kept_copy_is_reported_as_a_leftover_until_removed(project):
    path = Path(workflow.translate(project, "dockers", "it"))
    kept: list[str] = []
    workflow.translate(project, "dockers", "it", force=True, kept=kept)
    _, problems = project.scan()
    copy = Path(kept[0]).relative_to(project.content).as_posix()
    assert [p.path for p in problems if p.kind == "unsafe-file"] == [copy]
    assert copy.startswith("articles/dockers/it.md.") and path.exists()


# -- the smaller points ---------------------------------------------------------------------------


def test_a_build_with_fewer_languages_leaves_no_empty_folders_of_the_dropped_ones(build_site):
    files = {
        "articles/dockers/en.md": ORIGINAL,
        "articles/dockers/it.md": translation(
            ORIGINAL, "en", "I portuali vincono", "Hanno vinto.\n\nLunedì.\n"
        ),
    }
    first = build_site(files, languages=["en", "it"])
    assert (first.output / "it" / "dockers" / "index.html").exists()
    again = build_site(files, languages=["en"])  # the same output folder, as build --extra "-e LANGUAGES=…"
    assert not (again.output / "it").exists()
    empty = [
        str(folder) for folder in again.output.rglob("*") if folder.is_dir() and not any(folder.iterdir())
    ]
    assert empty == []


def test_a_release_label_says_when_the_tree_differs_from_its_commit(tmp_path):
    from deploy.publishing import git_label

    write_tree(tmp_path, {"content/articles/dockers/en.md": ORIGINAL})
    commit(tmp_path)
    clean = git_label(tmp_path)
    assert clean and not clean.endswith("-modified")
    (tmp_path / "content" / "articles" / "dockers" / "en.md").write_text(ORIGINAL + "\nMore.\n")
    assert git_label(tmp_path) == f"{clean}-modified"


def test_new_refuses_reserved_keys(project):
    for key in ("archive", "search", "tag"):
        with pytest.raises(workflow.WorkflowError, match=f"the key '{key}' is reserved"):
            workflow.new_article(project, "Archive", "Strikes", key=key)
        assert not Path(project.content, "articles", key).exists()
