"""A hurried editor, a translator and an attacker try the press through its contract.

Each test is one mistake or one attack that the press once got wrong: a file read from outside
the content folder, a task that did what it could not, a typo that passed without a word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, png, terms_toml

from press import workflow
from press.content import intake
from press.content.headers import parse_source
from press.content.terms import read_terms
from press.importers import ImportRefused, run_import
from press.translation import glossary

ORIGINAL = article(
    "Dockers strike",
    "Dockers at the port voted to strike on Monday.\n",
    date="2026-05-01",
    category="strikes",
    languages="en",
)


def test_a_terms_file_linked_from_outside_the_content_folder_is_never_read(build_site, tmp_path):
    outside = tmp_path / "elsewhere" / "terms.toml"
    outside.parent.mkdir()
    outside.write_text(terms_toml().replace('"Strikes"', '"Outsidersecret"'), encoding="utf-8")
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    os.symlink(outside, content / "terms.toml")
    built = build_site({"articles/strike/en.md": ORIGINAL}, languages=["en"])
    assert any(p["path"] == "terms.toml" for p in built.problems("unsafe-file"))
    written = [path for path in built.output.rglob("*") if path.is_file()]
    assert written
    for path in written:
        assert b"outsidersecret" not in path.read_bytes().lower(), path


def test_a_terms_file_that_is_a_pipe_is_not_read(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    os.mkfifo(content / "terms.toml")
    done = threading.Event()
    threading.Thread(target=lambda: (read_terms(str(content)), done.set()), daemon=True).start()
    assert done.wait(10), "reading a pipe named terms.toml blocked"


def test_a_terms_file_that_is_not_a_regular_file_is_named_as_such(tmp_path, build_site):
    content = tmp_path / "site" / "content"
    (content / "terms.toml").mkdir(parents=True)
    built = build_site({"articles/strike/en.md": ORIGINAL}, languages=["en"])
    [problem] = [p for p in built.problems("unsafe-file") if p["path"].startswith("terms.toml")]
    assert "not a regular file" in problem["message"]


GLOSSARY_OUTSIDE = '[glossary.organ]\nen = "central organ"\nit = "outsidersecret"\n'


def test_a_glossary_linked_from_outside_the_content_folder_is_never_read(build_site, tmp_path):
    outside = tmp_path / "elsewhere" / "glossary.toml"
    outside.parent.mkdir()
    outside.write_text(GLOSSARY_OUTSIDE, encoding="utf-8")
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    os.symlink(outside, content / "glossary.toml")
    built = build_site({"articles/strike/en.md": ORIGINAL}, languages=["en"])
    assert any(p["path"] == "glossary.toml" for p in built.problems("unsafe-file"))
    assert "outsidersecret" not in json.dumps(built.report) and "outsidersecret" not in built.log
    assert glossary.load(str(content), ["en", "it"]) is None


def test_a_glossary_that_is_a_pipe_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "glossary.toml")
    done = threading.Event()
    threading.Thread(target=lambda: (glossary.load(str(tmp_path), ["en"]), done.set()), daemon=True).start()
    assert done.wait(10), "reading a pipe named glossary.toml blocked"


def test_a_glossary_saved_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "glossary.toml").write_bytes(("\ufeff" + GLOSSARY_OUTSIDE).encode())
    found = glossary.load(str(tmp_path), ["en", "it"])
    assert found is not None and found.errors == []


def made_project(tmp_path):
    content = tmp_path / "made"
    content.mkdir()
    (content / "terms.toml").write_text(terms_toml(), encoding="utf-8")
    return workflow.Project(str(content), ["en", "it"], "en")


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_new_refuses_an_empty_title(tmp_path, title):
    project = made_project(tmp_path)
    with pytest.raises(workflow.WorkflowError, match="not a title"):
        workflow.new_article(project, title, "strikes")
    assert not (tmp_path / "made" / "articles").exists()


def test_a_line_break_in_a_new_title_writes_no_header_of_its_own(tmp_path):
    project = made_project(tmp_path)
    path = workflow.new_article(project, "Dockers vote\nStatus: published\nLanguages: it", "strikes")
    with open(path, encoding="utf-8") as handle:
        source = parse_source(handle.read())
    assert source.value("title") == "Dockers vote Status: published Languages: it"
    assert source.value("status") is None
    assert not (source.value("languages") or "").strip()


@pytest.mark.parametrize("kind", ["hugo", "jekyll", "pelican"])
def test_importing_an_empty_folder_is_refused_and_writes_nothing(tmp_path, kind):
    source, target = tmp_path / "empty", tmp_path / "target"
    source.mkdir()
    with pytest.raises(ImportRefused, match="nothing to import"):
        run_import(kind, str(source), str(target))
    assert not target.exists()


def test_importing_a_wordpress_export_without_items_is_refused(tmp_path):
    export, target = tmp_path / "export.xml", tmp_path / "target"
    export.write_text("<rss><channel><title>Empty</title></channel></rss>", encoding="utf-8")
    with pytest.raises(ImportRefused, match="nothing to import"):
        run_import("wordpress", str(export), str(target))
    assert not target.exists()


def test_until_before_date_is_reported_on_its_line(build_site):
    lapsed = article(
        "Dockers strike",
        "Dockers at the port voted to strike on Monday.\n",
        date="2026-05-01",
        category="strikes",
        placement="lead",
        until="2026-04-01",
        languages="en",
    )
    same_day = lapsed.replace("Until: 2026-04-01", "Until: 2026-05-01")
    built = build_site({"articles/strike/en.md": lapsed, "articles/other/en.md": same_day}, languages=["en"])
    [problem] = [p for p in built.problems("invalid-metadata") if "Until" in p["message"]]
    assert problem["path"] == "articles/strike/en.md"
    assert problem["message"].startswith("line 5: Until '2026-04-01' is before the Date '2026-05-01'")


def run_task(*args: str, cwd) -> subprocess.CompletedProcess:
    """A task as a user runs it; these ones are refused before they read or write anything."""
    invoke = Path(sys.executable).parent / "invoke"
    return subprocess.run(
        [str(invoke), "-r", str(PROJECT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_po_import_of_a_folder_is_one_line_not_a_traceback(tmp_path):
    result = run_task("po-import", str(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path} is a folder: give the PO file po-export wrote, e.g. invoke po-import "
        "translations/content/LANG/KEY.po"
    ]


def test_status_html_onto_a_file_is_one_line_not_a_traceback(tmp_path):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine", encoding="utf-8")
    result = run_task("status", "--html", str(taken), cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"error: --html {taken} is not a folder: give a folder to write the page into"
    ]
    assert taken.read_text(encoding="utf-8") == "mine"


def test_nginx_conf_onto_a_folder_or_nowhere_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "conf").mkdir()
    folder = run_task("nginx-conf", "--output", "conf", cwd=tmp_path)
    assert folder.returncode != 0
    assert folder.stderr.strip().splitlines() == [
        "error: --output conf is a folder: give the file to write, e.g. --output conf/nginx.conf"
    ]
    missing = run_task("nginx-conf", "--output", "no-such-folder/nginx.conf", cwd=tmp_path)
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines() == [
        "error: cannot write no-such-folder/nginx.conf (No such file or directory)"
    ]


def test_serve_of_a_content_folder_that_is_not_there_is_one_line(tmp_path):
    result = run_task("serve", "--port", "1", "--content", "no-such-content", cwd=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "error: --content no-such-content is not a folder: give the content folder to preview"
    ]


def test_html_that_runs_scripts_in_a_caption_or_correction_note_is_unsafe_html(build_site):
    text = article(
        "Dockers strike",
        "Dockers at the port voted to strike on Monday.\n",
        date="2026-05-01",
        category="strikes",
        languages="en",
        image="p.png",
        caption='The picket <a href="javascript:alert(1)">line</a>, <em>at dawn</em>',
        correction="2026-05-02",
        correction_note="<script>alert(1)</script> The date was wrong.",
    )
    built = build_site({"articles/strike/en.md": text, "articles/strike/p.png": png()}, languages=["en"])
    messages = [p["message"] for p in built.problems("unsafe-html") if p["path"] == "articles/strike/en.md"]
    assert any(m.startswith("line 6: a javascript: URL") and "in Caption" in m for m in messages), messages
    assert any(m.startswith("line 8: a <script> element in Correction-Note") for m in messages), messages
    assert len(messages) == 2, messages
    page = built.page("en/strike/index.html")
    assert "javascript:" not in page and "<script>alert" not in page


@pytest.mark.parametrize(
    "first_line",
    [
        "Title : Dockers strike",
        "Title\uff1a Dockers strike",
        "Title\tDockers strike",
        "Title - Dockers strike",
        "Title Dockers strike",
        "title Dockers strike",
    ],
)
def test_a_first_header_written_wrongly_is_named_with_its_line(first_line):
    source = parse_source(f"{first_line}\nDate: 2026-05-01\n\nBody.\n")
    assert not source.headers
    [(line, message)] = source.errors
    assert line == 1
    assert message.startswith(f"line 1 is not a 'Key: value' header: {first_line!r}")
    assert f"'{first_line[:5]}: …'" in message


def test_headers_below_a_blank_first_line_are_named_with_their_line():
    source = parse_source("\n\nTitle: Dockers strike\nDate: 2026-05-01\n\nBody.\n")
    assert not source.headers
    assert source.errors == [
        (
            3,
            "line 3 is read as the body, not as a header, because the file begins with a blank line: "
            "remove the blank lines above the headers",
        )
    ]


def test_a_file_without_headers_that_begins_with_prose_has_no_header_error():
    assert parse_source("Dockers at the port voted to strike.\n").errors == []
    assert parse_source("\nDockers at the port voted to strike.\n").errors == []


def test_a_version_larger_than_the_press_reads_is_refused_unread(build_site, tmp_path):
    huge = tmp_path / "site" / "content" / "articles" / "strike" / "en.md"
    huge.parent.mkdir(parents=True)
    huge.write_text(ORIGINAL, encoding="utf-8")
    with open(huge, "r+b") as handle:  # sparse: 65 MiB of NUL after the headers, on no disk
        handle.truncate(65 * 1024 * 1024)
    built = build_site({}, languages=["en"], CACHE_PATH=str(tmp_path / "cache"))
    [problem] = built.problems()
    assert (problem["kind"], problem["path"]) == ("unsafe-file", "articles/strike/en.md")
    assert "more than the press reads" in problem["message"]


def naive_control_characters(text: str) -> list[tuple[int, int, str]]:
    found = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        for column, character in enumerate(line, start=1):
            if intake.has_control_characters(character):
                found.append((line_number, column, f"U+{ord(character):04X}"))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b\n\x01\n\nxx\x7f\x00\nq",
        "\x00\n\x00\n",
        "\n\n\x0b",
        "x\ufffe\n\U0010fffe é\x9f",
        "clean\ntext\n",
    ],
)
def test_control_characters_name_each_line_and_column(text):
    assert intake.control_characters(text) == naive_control_characters(text)


def test_a_file_of_a_million_nul_bytes_is_described_in_linear_time():
    done = threading.Event()
    found = []
    text = "Title: x\n\n" + "\x00" * 1_000_000
    threading.Thread(
        target=lambda: (found.extend(intake.control_characters(text)), done.set()), daemon=True
    ).start()
    assert done.wait(20), "describing a million NUL bytes took more than 20 s"
    assert found[0] == (3, 1, "U+0000") and found[-1] == (3, 1_000_000, "U+0000")


def test_a_version_misnamed_en_md_in_capitals_is_told_to_be_renamed(build_site):
    built = build_site(
        {"articles/strike/en.MD": ORIGINAL, "articles/strike/it.md ": ORIGINAL}, languages=["en"]
    )
    for path, stem in (("articles/strike/en.MD", "en"), ("articles/strike/it.md ", "it")):
        [problem] = [p for p in built.problems() if p["path"] == path]
        assert "the press does not publish .md" not in problem["message"]
        assert f"must be named <lang>.md (e.g. {stem}.md if '{stem}'" in problem["message"]
    assert not built.exists("articles/strike/en.MD")


def test_a_terms_file_saved_with_a_byte_order_mark_and_crlf_is_read(tmp_path):
    (tmp_path / "terms.toml").write_bytes(
        '\ufeff[sections.strikes]\r\nen = "Strikes"\r\nit = "Scioperi"\r\n'.encode()
    )
    terms = read_terms(str(tmp_path))
    assert terms.errors == []
    assert terms.sections["strikes"].names == {"en": "Strikes", "it": "Scioperi"}


POST = "---\ntitle: Hello\ndate: 2020-01-01\n---\nHello world.\n"
PELICAN_POST = "Title: Hello\nDate: 2020-01-01\n\nHello world.\n"
SITES = {
    # kind: (files of a one-post site, the folder its posts are in)
    "hugo": (
        {"hugo.toml": 'baseURL = "x"\nlanguageCode = "en"\n', "content/posts/a.md": POST},
        "content/posts",
    ),
    "jekyll": ({"_config.yml": "title: x\n", "_posts/2020-01-01-a.md": POST}, "_posts"),
    "pelican": ({"pelicanconf.py": "PATH = 'content'\n", "content/a.md": PELICAN_POST}, "content"),
}


@pytest.mark.parametrize("kind", sorted(SITES))
def test_an_importer_names_each_symbolic_link_it_does_not_follow(tmp_path, kind):
    files, posts = SITES[kind]
    source = tmp_path / "site"
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = files[f"{posts}/a.md" if kind != "jekyll" else f"{posts}/2020-01-01-a.md"]
    (outside / "b.md").write_text(secret.replace("Hello world", "Outsidersecret"), encoding="utf-8")
    link = "2020-01-02-b.md" if kind == "jekyll" else "b.md"
    os.symlink(outside / "b.md", source / posts / link)
    os.symlink(outside, source / posts / "more")
    report = run_import(kind, str(source), str(tmp_path / "target"))
    named = {
        where.rsplit("/", 1)[-1] for where, why in report.problems if "symbolic link, not followed" in why
    }
    assert named == {link, "more"}
    for path in (tmp_path / "target").rglob("*"):
        assert path.is_dir() or b"Outsidersecret" not in path.read_bytes()


def test_translate_force_never_writes_through_a_symbolic_link(tmp_path):
    project = made_project(tmp_path)
    folder = tmp_path / "made" / "articles" / "strike"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text(ORIGINAL.replace("Languages: en", "Languages: en, it"), encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("Outsidersecret\n", encoding="utf-8")
    os.symlink(victim, folder / "it.md")
    with pytest.raises(workflow.WorkflowError, match="is a symbolic link"):
        workflow.translate(project, "strike", "it", force=True, kept=[])
    assert victim.read_text(encoding="utf-8") == "Outsidersecret\n"
    assert sorted(path.name for path in folder.iterdir()) == ["en.md", "it.md"]


def test_po_import_refuses_a_translation_that_is_a_symbolic_link(tmp_path):
    from press.translation import po

    project = made_project(tmp_path)
    folder = tmp_path / "made" / "articles" / "strike"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text(ORIGINAL.replace("Languages: en", "Languages: en, it"), encoding="utf-8")
    tree, _ = project.scan()
    exported = po.export(tree, project.content, str(tmp_path / "po"), "articles", "strike", "it")
    victim = tmp_path / "victim.txt"
    victim.write_text("Outsidersecret\n", encoding="utf-8")
    os.symlink(victim, folder / "it.md")
    tree, _ = project.scan()
    with pytest.raises(po.POError, match="is a symbolic link"):
        po.import_po(tree, project.content, exported.path)
    assert victim.read_text(encoding="utf-8") == "Outsidersecret\n"
    assert sorted(path.name for path in folder.iterdir()) == ["en.md", "it.md"]  # no copy kept of it
    # a new translation (no link): nothing to refuse
    os.unlink(folder / "it.md")
    tree, _ = project.scan()
    assert po.import_po(tree, project.content, exported.path).path.endswith("it.md")


def test_stamp_never_writes_through_a_symbolic_link(tmp_path):
    project = made_project(tmp_path)
    articles = tmp_path / "made" / "articles"
    for key in ("strike", "other"):
        (articles / key).mkdir(parents=True)
        (articles / key / "en.md").write_text(ORIGINAL.replace("Languages: en", "Languages: en, it"))
    other = articles / "other" / "it.md"
    other.write_text("Title: Sciopero\nTranslation-Of: en@000000000000\n\nI portuali scioperano.\n")
    os.symlink("../other/it.md", articles / "strike" / "it.md")
    before = other.read_text()
    with pytest.raises(workflow.WorkflowError, match="is a symbolic link"):
        workflow.stamp(project, "strike", "it")
    assert other.read_text() == before


def test_clean_refuses_a_folder_that_is_not_a_built_site(tmp_path):
    from tasks import not_a_built_site

    work = tmp_path / "thesis"
    (work / "chapters").mkdir(parents=True)
    (work / "chapters" / "one.md").write_text("mine", encoding="utf-8")
    built = tmp_path / "output"
    built.mkdir()
    (built / "index.html").write_text("<html></html>", encoding="utf-8")
    assert "no index.html" in not_a_built_site(work)
    assert "holds the project" in not_a_built_site(PROJECT)
    assert "holds the project" in not_a_built_site(PROJECT.parent)
    assert not_a_built_site(built) is None
    assert not_a_built_site(tmp_path / "absent") is None
    # The task itself: one line, and nothing removed.
    result = run_task("clean", "--output", "thesis", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --output thesis is not removed: it is not a site a build wrote (it has no index.html); "
        "remove it yourself if you mean to"
    ]
    assert (work / "chapters" / "one.md").read_text(encoding="utf-8") == "mine"


def test_a_header_without_its_colon_inside_the_block_is_told_how_to_write_it():
    source = parse_source(
        "Title: Dockers strike\nDate: 2026-05-01\nCategory strikes\nLanguages: en\n\nBody.\n"
    )
    assert source.errors == [
        (
            3,
            "line 3 is not a 'Key: value' header: 'Category strikes' (write the name, then a colon at "
            "once: 'Category: …')",
        )
    ]
    prose = parse_source("Title: Dockers strike\nDockers at the port voted.\n")
    assert prose.errors == [(2, "line 2 is not a 'Key: value' header: 'Dockers at the port voted.'")]


def test_a_build_into_the_content_folder_is_refused(tmp_path):
    # Called, not run as a task: a build that went ahead would remove the project's articles.
    from invoke import Exit

    from tasks import refuse_output_over_content

    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for output in (content, content / "articles", PROJECT):
        with pytest.raises(Exit, match="a build would replace and remove its files"):
            refuse_output_over_content(str(output), str(content))
    refuse_output_over_content(str(tmp_path / "output"), str(content))


def test_status_html_inside_the_content_folder_is_refused(tmp_path):
    inside = PROJECT / "content" / f"status-{tmp_path.name}"
    result = run_task("status", "--html", str(inside), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --html {inside} is inside the content folder: give a folder outside it"
    ]
    assert not inside.exists()


def test_a_picture_left_in_a_folder_without_any_version_is_not_published(build_site):
    built = build_site(
        {
            "articles/strike/en.md": ORIGINAL,
            "articles/withdrawn/p.png": png(),
            "articles/Bad_Key/q.png": png(),
        },
        languages=["en"],
    )
    refused = {p["path"] for p in built.problems("unsafe-file") if "nothing shows it" in p["message"]}
    assert refused == {"articles/withdrawn/p.png", "articles/Bad_Key/q.png"}
    assert not built.exists("articles/withdrawn/p.png")
    assert not built.exists("articles/Bad_Key/q.png")


def test_translate_keeps_a_title_and_summary_continued_on_further_lines_in_the_header_block(tmp_path):
    project = made_project(tmp_path)
    folder = tmp_path / "made" / "articles" / "strike"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text(
        "Title: Dockers\n    strike\nSummary: One\n    two\nDate: 2026-05-01\nCategory: strikes\n\nBody.\n",
        encoding="utf-8",
    )
    path = workflow.translate(project, "strike", "it")
    with open(path, encoding="utf-8") as handle:
        source = parse_source(handle.read())
    assert source.errors == []
    assert source.value("title") == "Dockers\nstrike"
    assert source.value("summary") == "One\ntwo"
    assert source.value("translation-of").startswith("en@")


def test_stamp_puts_translation_of_after_a_title_continued_on_a_second_line(tmp_path):
    project = made_project(tmp_path)
    folder = tmp_path / "made" / "articles" / "strike"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text(ORIGINAL.replace("Languages: en", "Languages: en, it"), encoding="utf-8")
    (folder / "it.md").write_text(
        "Title: Sciopero\n    dei portuali\n\nI portuali scioperano.\n", encoding="utf-8"
    )
    path, value = workflow.stamp(project, "strike", "it", original_lang="en")
    with open(path, encoding="utf-8") as handle:
        source = parse_source(handle.read())
    assert source.errors == []
    assert source.value("title") == "Sciopero\ndei portuali"
    assert source.value("translation-of") == value


def test_a_hurried_editors_date_languages_and_language_code_are_each_told_the_fix(build_site):
    original = article("Dockers strike", "The port stopped.\n", date="2026-13-01", languages="en it")
    italian = article("Sciopero", "Il porto si è fermato.\n", translation_of="EN@0123456789ab")
    files = {"articles/strike/en.md": original, "articles/strike/it.md": italian}
    built = build_site(files, languages=["en", "it"])
    said = " | ".join(problem["message"] for problem in built.problems())
    assert "Date '2026-13-01' is not a day of the calendar (month must be in 1..12)" in said
    assert "separate the languages with commas (Languages: en, it)" in said
    assert "write the language code in lower case: Translation-Of: en@0123456789ab" in said
