"""A rebuild after a template, a setting or a catalog changed writes what a clean build does.

Each change is made between two builds into the same output with the same
``CACHE_PATH``, each in a process of its own (as a developer runs ``pelican``
twice): the carried records and the page fingerprints must notice it.  The
rebuild is compared byte for byte with a clean build of the changed project,
and the change must show in it (a rebuild that kept the old pages would differ).
"""

from __future__ import annotations

import json
import shutil

import pytest
from sitebuild import PROJECT, run_pelican
from test_reproducible import digest_tree

from press.paper.i18n import messages_from_record

EPOCH = "1790000000"
MARK = "Printed and published by the central committee"


def build(content, output, cache, report, overrides):
    values = {"CACHE_PATH": str(cache), "PRESS_SEARCH": False, **overrides}
    result = run_pelican(content, output, report, overrides=values, epoch=EPOCH)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def change_template(project):
    template = project / "theme" / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    assert "{% endblock %}" in text
    # a line of text at the end of the article's last block
    head, tail = text.rsplit("{% endblock %}", 1)
    template.write_text(f"{head}<p>{MARK}</p>{{% endblock %}}{tail}", encoding="utf-8")
    return {}, ("en/metadata-tells/index.html", MARK)


def change_setting(project):
    return {"PRESS_SITE_NAME": {"en": MARK, "it": "Organo centrale"}}, ("en/index.html", MARK)


def change_catalog(project):
    catalog = project / "translations" / "it" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "Search"\nmsgstr "Cerca"\n' in text
    catalog.write_text(
        text.replace('msgid "Search"\nmsgstr "Cerca"\n', 'msgid "Search"\nmsgstr "Cerca nel giornale"\n'),
        encoding="utf-8",
    )
    return {}, ("it/index.html", "Cerca nel giornale")


def copy_project(tmp_path):
    """The project's content, theme and catalogs in ``tmp_path/project``, to be changed there:
    the project, and the settings that point a build at its theme and catalogs."""
    project = tmp_path / "project"
    for folder in ("content", "theme", "translations"):
        shutil.copytree(PROJECT / folder, project / folder)
    return project, {"THEME": str(project / "theme"), "PRESS_TRANSLATIONS": str(project / "translations")}


CHANGES = [change_template, change_setting, change_catalog]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_rebuild_after_the_change_equals_a_clean_build(tmp_path, change):
    project, paths = copy_project(tmp_path)
    content, output, cache = project / "content", tmp_path / "output", tmp_path / "cache"
    build(content, output, cache, tmp_path / "first.json", paths)

    overrides, (page, shown) = change(project)
    assert shown not in (output / page).read_text(encoding="utf-8")
    build(content, output, cache, tmp_path / "rebuild.json", {**paths, **overrides})
    assert shown in (output / page).read_text(encoding="utf-8")

    clean = tmp_path / "clean"
    build(content, clean, tmp_path / "clean-cache", tmp_path / "clean.json", {**paths, **overrides})
    assert digest_tree(output) == digest_tree(clean)


def untranslated_strings(report) -> list[dict]:
    entries = json.loads(report.read_text(encoding="utf-8"))["problems"]
    found = [entry for entry in entries if entry["kind"] == "untranslated-strings"]
    return sorted(found, key=lambda entry: entry["message"])


def test_a_new_interface_message_in_a_template_is_reported_by_the_next_process(tmp_path):
    """The theme's messages are carried between processes (press.pipeline.carried): a template that
    gains one must be extracted again, and the catalogs that lack it reported as a clean build does."""
    project, paths = copy_project(tmp_path)
    content, output, cache = project / "content", tmp_path / "output", tmp_path / "cache"
    build(content, output, cache, tmp_path / "first.json", paths)
    taken_back = build(content, output, cache, tmp_path / "second.json", {**paths, "PRESS_SEARCH": False})
    assert untranslated_strings(tmp_path / "second.json") == untranslated_strings(tmp_path / "first.json")
    assert not untranslated_strings(tmp_path / "first.json"), "the project's catalogs translate the theme"
    assert taken_back.returncode == 0

    template = project / "theme" / "templates" / "article.html"
    head, tail = template.read_text(encoding="utf-8").rsplit("{% endblock %}", 1)
    template.write_text(f'{head}<p>{{{{ _("{MARK}") }}}}</p>{{% endblock %}}{tail}', encoding="utf-8")
    build(content, output, cache, tmp_path / "rebuild.json", paths)
    build(content, tmp_path / "clean", tmp_path / "clean-cache", tmp_path / "clean.json", paths)
    found = untranslated_strings(tmp_path / "rebuild.json")
    assert found == untranslated_strings(tmp_path / "clean.json")
    assert found and all(MARK in entry["message"] for entry in found)


@pytest.mark.parametrize("damage", ["not json", "wrong shape"])
def test_a_damaged_theme_messages_record_is_extracted_again(tmp_path, damage):
    """A record that is not JSON, or whose entry is not a list of messages, is not taken back:
    the next process extracts the messages and reports the same as a clean build."""
    project, paths = copy_project(tmp_path)
    catalog = project / "translations" / "it" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    untranslated = text.replace('msgid "Search"\nmsgstr "Cerca"\n', 'msgid "Search"\nmsgstr ""\n')
    assert untranslated != text
    catalog.write_text(untranslated, encoding="utf-8")
    content, output, cache = project / "content", tmp_path / "output", tmp_path / "cache"
    build(content, output, cache, tmp_path / "first.json", paths)
    (record,) = cache.glob("press-theme-messages-*.json")
    if damage == "not json":
        record.write_bytes(b"{\x00 not json")
    else:
        value = json.loads(record.read_text(encoding="utf-8"))
        value["entries"] = {token: [[1, "templates/base.html:1"], "x"] for token in value["entries"]}
        record.write_text(json.dumps(value), encoding="utf-8")
    build(content, output, cache, tmp_path / "second.json", paths)
    first = untranslated_strings(tmp_path / "first.json")
    assert first and any("'Search'" in entry["message"] for entry in first)
    assert untranslated_strings(tmp_path / "second.json") == first
    kept = json.loads(record.read_text(encoding="utf-8"))["entries"]
    assert kept and all(messages_from_record(entry) for entry in kept.values())
