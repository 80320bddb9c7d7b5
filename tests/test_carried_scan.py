"""A build in a new process opens again only the content files whose stat changed (issue 26).

Each version file's parse is kept in CACHE_PATH (``press-scan-*.json``) by the file's
path, inode, size, mtime and ctime. The builds here run in a process of their own,
through a driver that counts the content files opened while the tree is scanned and
checked (``Build.check``); what they report and write is compared with a clean
build's of the same tree, byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sitebuild import FIXED_NOW, PROJECT, article, terms_toml, translation, write_tree

from press.files import output_cache_path

DRIVER = textwrap.dedent(
    """
    import builtins, json, os, sys

    record, content, arguments = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[2:]
    opened, checking = [], []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if checking and isinstance(file, (str, os.PathLike)):
            path = os.path.realpath(file)
            if path.startswith(content + os.sep) and path.endswith(".md"):
                opened.append(os.path.relpath(path, content).replace(os.sep, "/"))
        return real_open(file, *args, **kwargs)

    builtins.open = counting_open
    from press import build
    from press.pipeline import carried

    if os.environ.get("PRESS_TEST_CODE_DIGEST"):  # another version of the press's code
        carried.press_code_digest = lambda: os.environ["PRESS_TEST_CODE_DIGEST"]
    check = build.Build.check

    def counting_check(self, *args, **kwargs):
        checking.append(True)
        try:
            return check(self, *args, **kwargs)
        finally:
            checking.clear()

    build.Build.check = counting_check
    from pelican import main

    try:
        main(arguments)
    except SystemExit as exit:
        status = exit.code
    else:
        status = 0
    with real_open(record, "w") as handle:
        json.dump({"opened": sorted(opened), "status": status}, handle)
    """
)
# Every file's mtime, in both trees: long before the builds, and the same in each.
AGED = int(FIXED_NOW) - 86400
ORIGINAL = "articles/dockers/en.md"


def tree() -> dict[str, str]:
    files = {"terms.toml": terms_toml()}
    for key, title, body in (
        ("dockers", "The dockers stop work", "The dockers stopped work on Monday at six.\n"),
        ("rents", "Rents rise again", "Rents rose by a tenth this spring, the third rise in two years.\n"),
        # a control character: what the intake check finds is carried with the parse
        ("nurses", "Nurses vote", "The nurses voted\x07 to strike on Friday.\n"),
    ):
        original = article(title, body, date="2026-05-01", category="strikes")
        files[f"articles/{key}/en.md"] = original
        files[f"articles/{key}/it.md"] = translation(original, "en", f"{title} (it)", f"Testo: {body}")
    return files


def versions() -> list[str]:
    return sorted(path for path in tree() if path.endswith(".md"))


def write_aged(content: Path, files: dict[str, str]) -> None:
    write_tree(content, files)
    for relative in files:
        os.utime(content / relative, (AGED, AGED))


def build(root: Path, cache: Path, env: dict | None = None, **settings) -> tuple[list[str], dict, str]:
    """Build ``root/content`` in a new process: the content files its check opened, its report, its log."""
    driver = root / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    report, record = root / "report.json", root / "opened.json"
    values = {
        "LANGUAGES": ["en", "it"],
        "CACHE_PATH": str(cache),
        "PRESS_SEARCH": False,
        "PRESS_REPORT": str(report),
        "PRESS_EDITIONS": False,
        **settings,
    }
    command = [sys.executable, str(driver), str(record), str(root / "content")]
    command += ["-s", str(PROJECT / "pelicanconf.py"), "-o", str(root / "output")]
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in values.items())]
    environment = dict(os.environ, SOURCE_DATE_EPOCH=FIXED_NOW, COLUMNS="1000", **(env or {}))
    result = subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=PROJECT, timeout=600
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in log, log
    seen = json.loads(record.read_text(encoding="utf-8"))
    assert seen["status"] in (0, None), log
    return seen["opened"], json.loads(report.read_text(encoding="utf-8")), log


def edit_keeping_size(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def output_files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def assert_as_clean(tmp_path: Path, site: Path, report: dict) -> None:
    """A clean build (a fresh cache) of the site's tree, with the same mtimes, writes the same."""
    clean = tmp_path / "clean"
    files = {
        path.relative_to(site / "content").as_posix(): path.read_text(encoding="utf-8")
        for path in (site / "content").rglob("*")
        if path.is_file()
    }
    write_tree(clean / "content", files)
    for relative in files:
        mtime = os.stat(site / "content" / relative).st_mtime_ns
        os.utime(clean / "content" / relative, ns=(mtime, mtime))
    opened, clean_report, _log = build(clean, tmp_path / "fresh-cache")
    assert opened == versions()
    assert report == clean_report
    assert output_files(site / "output") == output_files(clean / "output")


def scan_records(cache: Path) -> list[Path]:
    records = sorted(cache.glob("press-scan-*/*.json"))
    assert records, sorted(cache.iterdir())
    return records


def record_holding(cache: Path, path: str) -> tuple[Path, dict]:
    """The record that keeps ``path``'s parse, as JSON."""
    for record in scan_records(cache):
        stored = json.loads(record.read_text(encoding="utf-8"))
        if path in stored["entries"]:
            return record, stored
    raise AssertionError(f"no record keeps {path}")


def test_a_new_process_opens_only_the_changed_file_and_writes_what_a_clean_build_does(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    opened, first, _log = build(site, cache)
    assert opened == versions()
    assert [(p["kind"], p["path"]) for p in first["problems"]] == [
        ("invalid-metadata", "articles/nurses/en.md"),
        ("invalid-metadata", "articles/nurses/it.md"),
    ], first

    opened, again, _log = build(site, cache)
    assert opened == []
    assert again == first

    original = site / "content" / ORIGINAL
    original.write_text(
        original.read_text(encoding="utf-8") + "\nThe port was closed by noon.\n", encoding="utf-8"
    )
    os.utime(original, (AGED, AGED))
    kept = {record: record.stat().st_mtime_ns for record in scan_records(cache)}
    opened, changed, _log = build(site, cache)
    assert opened == [ORIGINAL]
    # only the record that keeps the changed file's parse is written again
    rewritten = [record for record in scan_records(cache) if record.stat().st_mtime_ns != kept.get(record)]
    assert rewritten == [record_holding(cache, ORIGINAL)[0]]
    assert changed != first  # the Italian translation is stale now
    assert "The port was closed by noon." in (site / "output" / "en" / "dockers" / "index.html").read_text(
        encoding="utf-8"
    )
    assert_as_clean(tmp_path, site, changed)


def test_an_edit_that_keeps_size_and_mtime_is_seen_by_its_ctime_or_inode(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    build(site, cache)
    content = site / "content"
    # in place (same inode), then `touch -d` back: only the ctime tells
    in_place = content / ORIGINAL
    before = os.stat(in_place)
    edit_keeping_size(in_place, "Monday", "Sunday")
    os.utime(in_place, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(in_place)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    # replaced by another file of the same size and mtime (an editor's save): a new inode
    replaced = content / "articles" / "rents" / "en.md"
    before = os.stat(replaced)
    spare = replaced.with_name("en.md.new")
    spare.write_text(replaced.read_text(encoding="utf-8").replace("spring", "summer"), encoding="utf-8")
    os.utime(spare, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(spare, replaced)
    assert (os.stat(replaced).st_size, os.stat(replaced).st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    opened, report, _log = build(site, cache)
    assert opened == sorted([ORIGINAL, "articles/rents/en.md"])
    assert "on Sunday at six" in (site / "output" / "en" / "dockers" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "this summer" in (site / "output" / "en" / "rents" / "index.html").read_text(encoding="utf-8")
    assert_as_clean(tmp_path, site, report)


def test_a_racy_edit_with_the_same_stat_is_seen(tmp_path):
    """A file read while its mtime was recent is read again, even if its stat is unchanged.

    On a filesystem with a coarse clock, an edit in the same tick as the build's
    reading keeps the file's whole stat. Here the file's mtime is ahead of the
    reading (as a coarse or skewed clock makes it), and the record is given the
    stat of the edited file, which such a filesystem would have left unchanged.
    """
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    build(site, cache)
    original = site / "content" / ORIGINAL
    recent = (int(FIXED_NOW) + 10**8) * 10**9  # not safely older than any reading of it
    edit_keeping_size(original, "Monday", "Sunday")
    os.utime(original, ns=(recent, recent))
    opened, _report, _log = build(site, cache)
    assert opened == [ORIGINAL]

    edit_keeping_size(original, "Sunday", "Friday")
    os.utime(original, ns=(recent, recent))
    record, stored = record_holding(cache, ORIGINAL)
    now = os.stat(original)
    stored["entries"][ORIGINAL][0] = [now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns]
    record.write_text(json.dumps(stored), encoding="utf-8")
    opened, report, _log = build(site, cache)
    assert opened == [ORIGINAL]
    assert "on Friday at six" in (site / "output" / "en" / "dockers" / "index.html").read_text(
        encoding="utf-8"
    )
    assert_as_clean(tmp_path, site, report)


def test_a_corrupt_record_is_ignored_and_replaced(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    _opened, first, _log = build(site, cache)
    for record in scan_records(cache):
        record.write_text('{"signature": "not json', encoding="utf-8")
    opened, again, _log = build(site, cache)
    assert opened == versions()
    assert again == first
    opened, _report, _log = build(site, cache)
    assert opened == []  # replaced by a whole record

    # one entry that is not a parse: only its file is read again
    record, stored = record_holding(cache, ORIGINAL)
    stored["entries"][ORIGINAL] = ["not", "a", "parse"]
    record.write_text(json.dumps(stored), encoding="utf-8")
    record, stored = record_holding(cache, "articles/rents/en.md")
    stored["entries"]["articles/rents/en.md"][5] = 42  # a body that is not text
    record.write_text(json.dumps(stored), encoding="utf-8")
    opened, again, _log = build(site, cache)
    assert opened == sorted([ORIGINAL, "articles/rents/en.md"])
    assert again == first


def test_another_version_of_the_code_or_settings_reads_every_file_again(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    build(site, cache)
    opened, _report, _log = build(site, cache, env={"PRESS_TEST_CODE_DIGEST": "another version"})
    assert opened == versions()
    opened, _report, _log = build(site, cache, env={"PRESS_TEST_CODE_DIGEST": "another version"})
    assert opened == []
    opened, _report, _log = build(
        site, cache, env={"PRESS_TEST_CODE_DIGEST": "another version"}, PRESS_CORRECTION_GRACE=3
    )
    assert opened == versions()
    opened, _report, _log = build(site, cache)
    assert opened == versions()


def test_a_scan_record_that_cannot_be_written_costs_one_warning(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_aged(site / "content", tree())
    # a file where the scan's records' folder should be: none of them can be written
    folder = Path(output_cache_path(str(cache), str(site / "content"), "press-scan-{output}"))
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder", encoding="utf-8")
    opened, _report, log = build(site, cache)
    assert opened == versions()
    warnings = [line for line in log.splitlines() if "press-scan-" in line]
    assert len(warnings) == 1 and "Could not keep" in warnings[0], log
