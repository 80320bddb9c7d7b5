"""Search in shards (issue 26): a large edition's index is split into Pagefind bundles by a hash of
each page's path, and a rebuild runs Pagefind only over the shards whose pages changed."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from sitebuild import FIXED_NOW, PELICAN, PROJECT, Built, article, terms_toml, translation, write_tree
from test_reproducible import digest_tree

from press.pipeline.search import (
    holds_searchable_text,
    marks_searchable_text,
    plan_shards,
    searchable_digest,
    shard_count,
    shard_of,
)

SHARD_PAGES = 4
WORDS = [
    "anchor", "boiler", "cobbler", "drover", "engraver", "farrier", "glazier", "hatter",
    "joiner", "kilner", "lacemaker", "miller", "netmaker", "ostler",
]  # fmt: skip


def keys(count: int) -> list[str]:
    return [f"report-{number:02d}" for number in range(count)]


def shard_tree(count: int = 12, edited: str | None = None) -> dict[str, str]:
    files = {}
    for number, key in enumerate(keys(count)):
        body = f"The {WORDS[number]}s of district {number} met and voted to strike.\n"
        if key == edited:
            body += "\nThey were joined by the printers.\n"
        files[f"articles/{key}/en.md"] = article(
            f"Report {number}", body, date=f"2026-05-{number + 1:02d}", languages="en"
        )
    return files


def build(root: Path, files: dict[str, str], **settings) -> Built:
    """``build_tree`` with Pelican's information lines in the log (which Pagefind runs there were)."""
    overrides = {
        "LANGUAGES": ["en"],
        "PRESS_SEARCH_SHARD_PAGES": SHARD_PAGES,
        "CACHE_PATH": str(root / "cache"),
        "PRESS_STRICT": False,
        "PRESS_REPORT": str(root / "report.json"),
        "PRESS_EDITIONS": False,
        **settings,
    }
    content, output, report = root / "content", root / "output", root / "report.json"
    write_tree(content, {"terms.toml": terms_toml(), **files})
    command = [*PELICAN, str(content), "-s", str(PROJECT / "pelicanconf.py"), "-o", str(output), "-v", "-e"]
    command += [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    env = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="200")
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT, timeout=600)
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Built(result.returncode, output, data, log, content)


def page_paths(count: int) -> list[str]:
    return [f"en/{key}/index.html" for key in keys(count)]


def bundle_urls(bundle: Path) -> set[str]:
    """The page addresses one bundle (not the shards inside it) holds, from its fragments."""
    urls = set()
    for fragment in sorted((bundle / "fragment").glob("*")):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def mtimes(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()
    }


def shard_files(files: dict[str, int], folder: str) -> dict[str, int]:
    """The files of one shard's bundle (``""``: the main one, without the other shards)."""
    if folder:
        return {path: value for path, value in files.items() if path.startswith(folder + "/")}
    return {path: value for path, value in files.items() if not path.split("/")[0].isdigit()}


def indexed_line_count(log: str) -> int:
    return log.count("Pagefind indexed")


def test_the_shard_count_is_a_power_of_two_that_follows_the_page_count():
    assert [shard_count(pages, 500) for pages in (0, 1, 500, 501, 1000, 1001, 2000, 2001)] == [
        1,
        1,
        1,
        2,
        2,
        4,
        4,
        8,
    ]
    # a century's edition stops at 16 shards: a search fetches every shard
    assert [shard_count(pages, 500) for pages in (8000, 8001, 20_000, 1_000_000)] == [16, 16, 16, 16]
    # a page keeps its shard while the count stays, whatever else the edition holds
    paths = page_paths(12)
    assert shard_of(paths[3], 4) == shard_of(paths[3], 4)
    plan = plan_shards("en", paths, 4)
    assert sorted(path for shard in plan for path in shard.pages) == sorted(paths)
    assert plan[0].folder == "pagefind/en"
    assert all(shard.folder == f"pagefind/en/{shard.number}" for shard in plan[1:])


PAGE = (
    '<html lang="en"><head><title>Report</title></head><body><nav>Latest: one, two</nav>'
    '<div class="notice" data-pagefind-ignore>Up to date.</div>'
    '<h1 data-pagefind-meta="title">Report</h1><span hidden data-pagefind-filter="Section:Strikes"></span>'
    '<div class="body" data-pagefind-body><p>The <b>dockers</b> <div>met</div>.</p></div>'
    "<footer>Press</footer></body></html>"
)


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("Latest: one, two", "Latest: one, two, three", True),  # outside what Pagefind reads
        ("Up to date.", "The original changed.", True),  # ignored by Pagefind
        ("<footer>Press</footer>", "<footer>The press</footer>", True),
        ("<b>dockers</b>", "<b>dock workers</b>", False),  # the searchable text
        ("<div>met</div>.</p>", "<div>met</div>, and won.</p>", False),  # after a nested element
        ("Section:Strikes", "Section:Party Press", False),  # a filter
        ('<h1 data-pagefind-meta="title">Report', '<h1 data-pagefind-meta="title">Report 2', False),
        ('lang="en"', 'lang="it"', False),  # the index it goes to
    ],
)
def test_a_pages_digest_follows_what_pagefind_reads(before, after, same):
    assert PAGE.count(before) == 1
    changed = PAGE.replace(before, after).encode()
    assert (searchable_digest(changed) == searchable_digest(PAGE.encode())) is same


def test_only_a_tag_marks_a_page_searchable():
    assert marks_searchable_text(PAGE.encode())
    assert not marks_searchable_text(b"<p>Mark the text with data-pagefind-body, says the manual.</p>")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<p>The <b>dockers</b> <div>met</div>.</p>", True),
        ("\n  \n", False),  # an article refused unrendered
        ("<div>\n <p> </p><img src='x.png'>\t</div>", False),
        ("<div><div></div></div>x", True),  # text after a nested element of the same name
        ("&nbsp;", True),  # an entity is text to us (Pagefind may disagree: the safe side)
    ],
)
def test_only_a_marked_body_with_text_is_searchable(body, text):
    page = PAGE.replace("<p>The <b>dockers</b> <div>met</div>.</p>", body)
    assert holds_searchable_text(page.encode()) is text
    # text elsewhere on the page (the title, the footer) is not the body's
    assert not holds_searchable_text(b"<h1>Title</h1><div data-pagefind-body> </div><footer>Press</footer>")


def refused(key: str) -> str:
    """An article the press refuses to render (quotes nested past PRESS_MAX_NESTING): its body is empty."""
    return article("Refused", ">" * 100 + " deep\n", date="2026-05-20", languages="en")


def test_an_edition_with_nothing_to_search_has_no_index_and_no_problem(tmp_path):
    # Pagefind stops with "not able to build an index" when every page it is given is empty
    built = build(tmp_path / "site", {"articles/deep/en.md": refused("deep")})
    kinds = [problem["kind"] for problem in built.report["problems"]]
    assert kinds == ["unsafe-file"], built.log
    assert not (built.output / "pagefind").exists()
    assert indexed_line_count(built.log) == 0


def test_an_edition_that_loses_its_last_searchable_page_loses_its_index(tmp_path):
    site = tmp_path / "site"
    assert build(site, shard_tree(2)).returncode == 0
    assert (site / "output" / "pagefind" / "en" / "pagefind-entry.json").exists()
    files = {f"articles/{key}/en.md": refused(key) for key in keys(2)}
    rebuilt = build(site, files)
    assert {problem["kind"] for problem in rebuilt.report["problems"]} == {"unsafe-file"}, rebuilt.log
    clean = build(tmp_path / "clean", files)
    assert not (clean.output / "pagefind").exists()
    assert not (rebuilt.output / "pagefind").exists()
    assert digest_tree(rebuilt.output) == digest_tree(clean.output)


def test_a_large_edition_is_split_into_shards_merged_by_the_search_page(tmp_path):
    built = build(tmp_path / "site", shard_tree())
    assert built.returncode == 0, built.log
    main = built.output / "pagefind" / "en"
    plan = plan_shards("en", page_paths(12), SHARD_PAGES)
    assert len(plan) > 2 and plan[0].count == 4
    listed = json.loads((main / "press-shards.json").read_text(encoding="utf-8"))
    assert listed == {"bundles": [f"{shard.number}/" for shard in plan[1:]]}
    assert sorted(path.name for path in main.iterdir() if path.is_dir() and path.name.isdigit()) == sorted(
        str(shard.number) for shard in plan[1:]
    )
    for shard in plan:
        bundle = built.output / shard.folder
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == len(shard.pages)
        assert bundle_urls(bundle) == {"/" + path.removesuffix("index.html") for path in shard.pages}
    assert indexed_line_count(built.log) == len(plan)


def test_a_small_edition_keeps_one_bundle(tmp_path):
    built = build(tmp_path / "site", shard_tree(4))
    assert built.returncode == 0, built.log
    main = built.output / "pagefind" / "en"
    assert not [path for path in main.iterdir() if path.name.isdigit()]
    assert json.loads((main / "press-shards.json").read_text(encoding="utf-8")) == {"bundles": []}
    assert len(bundle_urls(main)) == 4
    assert "Pagefind indexed en (4 pages)" in built.log


def test_one_edited_article_reindexes_exactly_its_shard(tmp_path):
    site = tmp_path / "site"
    built = build(site, shard_tree())
    assert built.returncode == 0, built.log
    bundles = built.output / "pagefind" / "en"
    before = mtimes(bundles)
    plan = plan_shards("en", page_paths(12), SHARD_PAGES)
    edited = "report-05"
    [home] = [shard for shard in plan if f"en/{edited}/index.html" in shard.pages]

    rebuilt = build(site, shard_tree(edited=edited))
    assert rebuilt.returncode == 0, rebuilt.log
    assert indexed_line_count(rebuilt.log) == 1, rebuilt.log
    assert f"(1 of {len(plan)} shards indexed;" in rebuilt.log
    after = mtimes(bundles)
    for shard in plan:
        folder = shard.folder.removeprefix("pagefind/en").lstrip("/")
        if shard is home:
            assert shard_files(after, folder) != shard_files(before, folder)
        else:
            assert shard_files(after, folder) == shard_files(before, folder), (
                f"shard {shard.number} was rewritten"
            )
    assert "printers" in gzip_text(built.output / home.folder)

    clean = build(tmp_path / "clean", shard_tree(edited=edited))
    assert digest_tree(rebuilt.output / "pagefind") == digest_tree(clean.output / "pagefind")


def gzip_text(bundle: Path) -> str:
    return "\n".join(
        gzip.decompress(fragment.read_bytes()).decode("utf-8")
        for fragment in sorted((bundle / "fragment").glob("*"))
    )


def translated_tree(edited: str | None = None) -> dict[str, str]:
    """Twelve English originals, each with an Italian translation stamped against the first text."""
    files = {}
    first = shard_tree()
    for path, original in shard_tree(edited=edited).items():
        number = int(path.split("/")[1].split("-")[1])
        files[path] = original
        files[path.replace("en.md", "it.md")] = translation(
            first[path], "en", f"Rapporto {number}", f"I lavoratori del distretto {number} hanno votato.\n"
        )
    return files


def test_a_stale_translation_notice_does_not_reindex_its_shard(tmp_path):
    """Editing an original rewrites its translations' pages (they now say the original changed),
    but not what Pagefind reads of them: only the original's shard is indexed again."""
    site = tmp_path / "site"
    both = {"LANGUAGES": ["en", "it"]}
    assert build(site, translated_tree(), **both).returncode == 0
    page = site / "output" / "it" / "report-05" / "index.html"
    before = page.read_bytes()
    rebuilt = build(site, translated_tree(edited="report-05"), **both)
    assert rebuilt.returncode == 0, rebuilt.log
    assert page.read_bytes() != before, "the translation's page shows that its original changed"
    assert indexed_line_count(rebuilt.log) == 1, rebuilt.log
    assert "Pagefind indexed en shard" in rebuilt.log
    clean = build(tmp_path / "clean", translated_tree(edited="report-05"), **both)
    assert digest_tree(rebuilt.output / "pagefind") == digest_tree(clean.output / "pagefind")


def test_an_unchanged_rebuild_runs_no_pagefind(tmp_path):
    site = tmp_path / "site"
    assert build(site, shard_tree()).returncode == 0
    again = build(site, shard_tree())
    assert indexed_line_count(again.log) == 0, again.log
    assert "the search index is up to date" in again.log


def test_a_shrinking_and_growing_edition_matches_a_clean_build(tmp_path):
    site = tmp_path / "site"
    assert build(site, shard_tree()).returncode == 0
    # shrink to one shard: the other shards' folders go
    for key in keys(12)[4:]:
        shutil.rmtree(site / "content" / "articles" / key)
    shrunk = build(site, {})
    assert shrunk.returncode == 0, shrunk.log
    clean = build(tmp_path / "clean-small", shard_tree(4))
    assert digest_tree(shrunk.output / "pagefind") == digest_tree(clean.output / "pagefind")
    assert not [path for path in (shrunk.output / "pagefind" / "en").iterdir() if path.name.isdigit()]
    # grow past two doublings: every shard is made, as a clean build makes them
    grown = build(site, shard_tree(14))
    assert grown.returncode == 0, grown.log
    clean = build(tmp_path / "clean-large", shard_tree(14))
    assert digest_tree(grown.output / "pagefind") == digest_tree(clean.output / "pagefind")
    assert len(plan_shards("en", page_paths(14), SHARD_PAGES)) > 2


def pagefind_failing_on(tmp_path: Path, key: str) -> Path:
    """A Pagefind that fails for the shard holding ``key``'s page and runs the real one otherwise."""
    from press.pipeline.search import pagefind_binary

    script = tmp_path / "pagefind"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ -e "$2/en/{key}/index.html" ]; then echo "Error: this shard exploded" >&2; exit 3; fi\n'
        f'exec "{pagefind_binary()}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_failure_in_one_shard_is_a_search_index_problem(tmp_path, monkeypatch):
    # the shard of a key that is not in the first shard to be indexed
    plan = plan_shards("en", page_paths(12), SHARD_PAGES)
    doomed = plan[-1].pages[0].split("/")[1]
    script = pagefind_failing_on(tmp_path, doomed)
    site = tmp_path / "site"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", os.fspath(script))
    failed = build(site, shard_tree())
    assert failed.returncode == 0, failed.log
    [problem] = failed.problems()
    assert problem["kind"] == "search-index"
    assert (
        "Pagefind exited with status 3" in problem["message"] and "this shard exploded" in problem["message"]
    )
    strict = build(tmp_path / "strict", shard_tree(), PRESS_STRICT=True)
    assert strict.returncode == 1 and strict.problems("search-index")
    # with a working Pagefind, the next build indexes every shard again, as a clean build does
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    repaired = build(site, shard_tree())
    assert repaired.returncode == 0 and not repaired.problems(), repaired.log
    clean = build(tmp_path / "clean", shard_tree())
    assert digest_tree(repaired.output / "pagefind") == digest_tree(clean.output / "pagefind")


@pytest.mark.parametrize("value", [0, -1, "500", True])
def test_the_shard_size_must_be_a_positive_whole_number(tmp_path, value):
    built = build(tmp_path / "site", shard_tree(2), PRESS_SEARCH_SHARD_PAGES=value)
    assert built.returncode != 0
    assert "PRESS_SEARCH_SHARD_PAGES" in built.log


def test_each_shards_pages_stay_linked_between_builds(tmp_path):
    """Pagefind reads each shard from a folder of links kept in CACHE_PATH: a rebuild links
    again only what changed, and makes no folder again (a second of a rebuild at 2000 x 3)."""
    site = tmp_path / "site"
    built = build(site, shard_tree())
    assert built.returncode == 0, built.log
    [sites] = (site / "cache").glob("press-search-sites-*")
    folders = {path: path.stat().st_ino for path in sites.rglob("*") if path.is_dir()}
    rebuilt = build(site, shard_tree(edited="report-05"))
    assert rebuilt.returncode == 0, rebuilt.log
    assert {path: path.stat().st_ino for path in sites.rglob("*") if path.is_dir()} == folders
    plan = plan_shards("en", page_paths(12), SHARD_PAGES)
    for shard in plan:
        kept = sites / shard.folder.replace("/", "-")
        linked = sorted(str(path.relative_to(kept)) for path in kept.rglob("*") if path.is_file())
        assert linked == sorted(shard.pages)
        for page in shard.pages:
            assert (kept / page).stat().st_ino == (rebuilt.output / page).stat().st_ino
    assert "printers" in gzip_text(
        rebuilt.output / next(s for s in plan if "en/report-05/index.html" in s.pages).folder
    )
