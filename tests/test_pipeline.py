"""The pipeline's structure (issue 13): one strict gate, Pelican's signals, forced settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, run_pelican, translation, write_tree
from test_reproducible import digest_tree
from test_search import failing_pagefind

STRIKE = article(
    "The Strike",
    "The branch met.\n\n![The branch meeting]({static}photo.jpg)\n",
    date="2026-03-01",
)


def test_one_strict_gate_reports_every_failure_and_exits_once(build_site, tmp_path, monkeypatch):
    """An image that cannot be cleaned and a failed search index: both reported, one exit."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", os.fspath(failing_pagefind(tmp_path)))
    files = {
        "articles/strike/en.md": STRIKE,
        "articles/strike/photo.jpg": b"not an image at all",  # Pillow cannot even tell its type
    }
    built = build_site(files, languages=["en"], strict=True)
    assert built.returncode == 1, built.log
    assert built.log.count("Strict build failed") == 1
    [image] = built.problems("unsafe-file")
    [search] = built.problems("search-index")
    assert len(built.problems()) == 2, built.report
    assert image["path"] == "articles/strike/photo.jpg"
    assert "could not be cleaned of its metadata" in image["message"]
    # Pillow names the buffer it read ("<_io.BytesIO object at 0x7f…>"): two reports would differ
    assert "cannot identify image file" in image["message"] and " at 0x" not in image["message"]
    assert search["path"] == ""
    assert "The search index was not built" in search["message"]
    assert not built.exists("articles/strike/photo.jpg")


# -- one parallel engine ----------------------------------------------------------


def square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_the_parallel_engine_keeps_the_order_and_uses_forked_workers():
    from press.parallel import PARALLEL_THRESHOLD, map_in_workers

    items = list(range(PARALLEL_THRESHOLD * 2))
    serial = map_in_workers(square_with_pid, items, 1)
    parallel = map_in_workers(square_with_pid, items, 2)
    assert [value for value, _pid in parallel] == [value for value, _pid in serial] == [n * n for n in items]
    assert {pid for _value, pid in serial} == {os.getpid()}
    workers = {pid for _value, pid in parallel}
    assert workers and os.getpid() not in workers  # rendered in forked workers only
    # below the threshold, no worker is started
    few = map_in_workers(square_with_pid, items[: PARALLEL_THRESHOLD - 1], 2)
    assert {pid for _value, pid in few} == {os.getpid()}


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise KeyError("seven")
    return number


def test_a_failure_in_a_worker_names_the_error():
    from press.parallel import PARALLEL_THRESHOLD, WorkerError, map_in_workers

    with pytest.raises(WorkerError, match="KeyError: 'seven'"):
        map_in_workers(fail_on_seven, list(range(PARALLEL_THRESHOLD)), 2)


# -- Pelican's content_written ----------------------------------------------------

TEST_PLUGINS = PROJECT / "tests" / "pelican_plugins"
MARK = "<!-- rewritten by a test plugin -->"


def build_with_plugins(content, output, cache, record, plugins):
    overrides = {
        "PLUGINS": ["press", *plugins],
        "PLUGIN_PATHS": [str(TEST_PLUGINS)],
        "RECORD_WRITTEN_TO": str(record),
        "CACHE_PATH": str(cache),
        "LANGUAGES": ["en", "it"],
    }
    result = run_pelican(content, output, output.with_suffix(".json"), overrides=overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return [tuple(line.split("\t")) for line in lines]


def sample_tree(root):
    docks = article("Dockworkers", "The port stopped.\n\nFor nine days.\n", date="2026-03-01")
    write_tree(
        root,
        {
            "articles/docks/en.md": docks,
            "articles/docks/it.md": translation(
                docks, "en", "Portuali", "Il porto si ferma.\n\nNove giorni.\n"
            ),
            "articles/school/en.md": article("Schools", "Teachers strike.\n", date="2026-02-01"),
            "pages/about/en.md": article("About", "An anonymous paper.\n"),
        },
    )


def test_content_written_is_sent_for_every_file_the_press_writes(tmp_path):
    sample_tree(tmp_path / "content")
    output = tmp_path / "output"
    record = tmp_path / "written.txt"
    written = build_with_plugins(
        tmp_path / "content", output, tmp_path / "cache", record, ["written_recorder"]
    )
    paths = [path for path, _name in written]
    assert len(paths) == len(set(paths)), "a file was announced twice"
    for path, name in written:
        assert os.path.isabs(path) and Path(path) == output / name
    announced = {name for _path, name in written}
    pages = {str(path.relative_to(output)) for path in output.rglob("*.html")}
    assert pages <= announced
    assert {"en/feed.xml", "it/feed.xml", "sitemap.xml", "robots.txt", "en/search/index.html"} <= announced
    assert {"en/docks/index.html", "it/docks/index.html", "index.html", "en/404.html"} <= announced


def test_a_plugin_rewriting_written_pages_survives_incremental_builds(tmp_path):
    """A minifier-like plugin rewrites each page once; an edit gives what a clean build gives."""
    content = tmp_path / "content"
    sample_tree(content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    plugins = ["written_recorder", "written_rewriter"]
    first = build_with_plugins(content, output, cache, tmp_path / "first.txt", plugins)
    for page in output.rglob("*.html"):
        assert page.read_text(encoding="utf-8").count(MARK) == 1, page

    edited = content / "articles" / "school" / "en.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA second paragraph.\n", encoding="utf-8")
    second = build_with_plugins(content, output, cache, tmp_path / "second.txt", plugins)
    rewritten = {name for _path, name in second}
    assert "en/school/index.html" in rewritten
    assert "en/docks/index.html" not in rewritten  # unchanged, so neither written nor announced
    assert len(second) < len(first)
    for page in output.rglob("*.html"):
        assert page.read_text(encoding="utf-8").count(MARK) == 1, page
    assert "A second paragraph." in (output / "en/school/index.html").read_text(encoding="utf-8")

    clean = tmp_path / "clean"
    build_with_plugins(content, clean, tmp_path / "clean-cache", tmp_path / "clean.txt", plugins)
    assert digest_tree(output) == digest_tree(clean)


# -- forced Pelican settings ------------------------------------------------------


def test_a_forced_setting_set_otherwise_is_logged_once(build_site):
    files = {"articles/docks/en.md": article("Dockworkers", "The port stopped.\n", date="2026-03-01")}
    built = build_site(
        files,
        languages=["en"],
        ARTICLE_PATHS=["posts"],
        TAG_SAVE_AS="tags/{slug}/index.html",
        FEED_ALL_ATOM=None,  # what the press forces anyway: no word about it
    )
    assert built.returncode == 0, built.log
    assert built.exists("en/docks/index.html")  # the press's value was used
    log = " ".join(built.log.split())  # the log may wrap long lines
    assert log.count("The press replaces") == 2
    assert "The press replaces ARTICLE_PATHS = ['posts'] with ['articles', 'issues']" in log
    assert "The press replaces TAG_SAVE_AS = 'tags/{slug}/index.html' with ''" in log


def test_only_settings_the_user_chose_are_named():
    from pelican.settings import DEFAULT_CONFIG

    from press.pelican_mechanics import PELICAN_MECHANICS, overridden_settings

    settings = {**DEFAULT_CONFIG, "ARTICLE_EXCLUDES": ["pages"], "PAGE_EXCLUDES": [""]}
    assert overridden_settings(settings, DEFAULT_CONFIG) == []  # Pelican's defaults, as Pelican fills them
    assert overridden_settings({**settings, **PELICAN_MECHANICS}, DEFAULT_CONFIG) == []
    chosen = {**settings, "ARTICLE_EXCLUDES": ["pages", "drafts"], "OUTPUT_SOURCES": True}
    assert overridden_settings(chosen, DEFAULT_CONFIG) == [
        ("ARTICLE_EXCLUDES", ["drafts"], []),
        ("OUTPUT_SOURCES", True, False),
    ]


# -- one source for shared pieces ---------------------------------------------------


def test_one_content_security_policy_for_the_pages_and_the_server(build_site):
    from deploy import nginx
    from press.html.security import CONTENT_SECURITY_POLICY, meta_content_security_policy

    built = build_site({"articles/docks/en.md": article("Dockworkers", date="2026-03-01")}, languages=["en"])
    assert built.returncode == 0, built.log
    meta = meta_content_security_policy()
    for page in ("index.html", "en/index.html", "en/docks/index.html", "en/404.html"):
        assert f'<meta http-equiv="Content-Security-Policy" content="{meta}">' in built.page(page), page
    assert nginx.CONTENT_SECURITY_POLICY is CONTENT_SECURITY_POLICY
    assert meta == CONTENT_SECURITY_POLICY.replace(" frame-ancestors 'none';", "")


def test_atomic_write_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    from press.files import atomic_write

    target = tmp_path / "deep" / "report.json"
    atomic_write(target, "first\n")
    atomic_write(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    # a link at the target is replaced, never written through
    source = tmp_path / "source.txt"
    source.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(source)
    atomic_write(link, "new")
    assert source.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new"
    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_bytes() == b"second\n"
    assert sorted(path.name for path in (tmp_path / "deep").iterdir()) == ["report.json"]


def test_one_key_maker_for_new_articles_and_suggestions():
    from press.content.tree import key_from

    assert key_from("Mój Artykuł: Część 2!") == "moj-artykul-czesc-2"
    assert key_from("!!!") == "article"
    assert key_from("Bad_Key", "my-article") == "bad-key"
    assert len(key_from("word " * 40)) <= 60
