"""Publishing follows the change (issue 26): a release is made from the previous one.

An incremental build writes into ``work/`` publish after publish; files equal to the
previous release's are hard links to them (their .gz copies too), the others are new
files, so the live release is never written; only what changed is checked and
compressed, and the manifest still lists the whole release.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from deploy_fakesite import LANGUAGES, PROJECT, SITEURL, make_site

from deploy import publishing, release, tasks_deploy
from deploy.manifest import read_manifest
from deploy.release import WORK, WORK_UNFINISHED, ReleaseError, publish, verify_release

FAST = {"validate_html": False}
CHANGED = "en/about/index.html"
UNCHANGED = "en/index.html"


class IncrementalBuild:
    """Like the press's build: it writes into the same folder every time, in place."""

    incremental = True

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.change = ""
        self.remove = ""
        self.orphan = True  # a file no page links to

    def __call__(self, out: Path) -> None:
        self.folders.append(out)
        make_site(out)  # every file written again, in place (open "w"): the worst case
        if self.orphan:
            (out / "orphan.txt").write_text("nobody links here\n", encoding="utf-8")
        if self.change:
            with open(out / CHANGED, "a", encoding="utf-8") as handle:
                handle.write(f"<!-- {self.change} -->\n")
        if self.remove:
            (out / self.remove).unlink()


def do_publish(root: Path, build, **kwargs) -> Path:
    kwargs.setdefault("check_options", FAST)
    return publish(root, build, siteurl=SITEURL, languages=LANGUAGES, **kwargs)


def test_unchanged_files_are_links_to_the_previous_release_and_changed_ones_new_files(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)
    old_page = (first / CHANGED).read_bytes()
    build.change = "edited"
    second = do_publish(root, build)

    assert build.folders == [root / WORK, root / WORK]  # the same folder: the press skips what it kept
    # the live release was never written: its page and its manifest are as they were
    assert (first / CHANGED).read_bytes() == old_page
    assert verify_release(root, first.name) is None
    assert os.path.samefile(first / UNCHANGED, second / UNCHANGED)
    assert os.path.samefile(first / f"{UNCHANGED}.gz", second / f"{UNCHANGED}.gz")
    assert not os.path.samefile(first / CHANGED, second / CHANGED)
    assert b"edited" in (second / CHANGED).read_bytes()
    assert gzip.decompress((second / f"{CHANGED}.gz").read_bytes()) == (second / CHANGED).read_bytes()
    assert not os.path.samefile(first / f"{CHANGED}.gz", second / f"{CHANGED}.gz")
    # the manifest still covers every file of the release, the .gz copies included
    assert verify_release(root, second.name) is None
    listed = set(read_manifest(second))
    assert {UNCHANGED, f"{UNCHANGED}.gz", CHANGED, f"{CHANGED}.gz"} <= listed
    assert not any(root.glob(f"{release.RELEASES}/{release.INCOMING_PREFIX}*"))


def test_only_the_changed_pages_are_checked_and_compressed(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    scopes: list[tuple] = []
    compressed: list = []
    real_check, real_compress = release.check_site, release.precompress

    def check_site(folder, **kwargs):
        scopes.append((kwargs.get("only"), kwargs.get("validate_only")))
        return real_check(folder, **kwargs)

    def precompress(folder, only=None):
        compressed.append(None if only is None else set(only))
        return real_compress(folder, only)

    monkeypatch.setattr(release, "check_site", check_site)
    monkeypatch.setattr(release, "precompress", precompress)
    do_publish(root, build)
    assert scopes[-1] == (None, None)  # the first release: every page
    assert len(compressed[-1]) > 20

    build.change = "edited"
    do_publish(root, build)
    assert scopes[-1] == ({CHANGED}, {CHANGED})
    assert compressed[-1] == {CHANGED}

    build.change = "edited again"
    do_publish(root, build, check_options={**FAST, "check_fragments": True})
    assert scopes[-1] == (None, None), "another checker's verdict does not count: everything again"

    build.change = "and again"
    build.orphan = False
    (root / WORK / "orphan.txt").unlink()  # as the press removes a page it no longer writes
    do_publish(root, build, check_options={**FAST, "check_fragments": True})
    # a removed page may break a link anywhere: every page's links, the changed page validated
    assert scopes[-1] == (None, {CHANGED})


def test_a_broken_link_to_a_removed_page_is_found_in_an_unchanged_page(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)
    build.remove = "en/strike-funds/index.html"  # the front page links to it
    with pytest.raises(ReleaseError, match="strike-funds"):
        do_publish(root, build)
    assert os.readlink(root / "current") == f"releases/{first.name}"


def test_only_changed_pages_go_to_the_html_validator(tmp_path: Path, caplog) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    do_publish(root, build, check_options={})
    build.change = "edited"
    with caplog.at_level(logging.INFO, logger="deploy"):
        do_publish(root, build, check_options={})
    assert "validating 1 changed page(s)" in caplog.text


def test_a_build_cut_off_in_work_is_not_trusted(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    do_publish(root, build)
    (root / WORK / "half-written.html").write_text("<p>half", encoding="utf-8")
    (root / WORK_UNFINISHED).touch()  # what a killed build leaves
    second = do_publish(root, build)
    assert not (second / "half-written.html").exists()
    assert not (root / WORK / "half-written.html").exists()
    assert not (root / WORK_UNFINISHED).exists()


def test_a_failed_build_is_kept_to_look_at_and_the_next_starts_afresh(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)

    def failing(out: Path) -> int:
        (out / "partial.html").write_text("half a site", encoding="utf-8")
        return 1

    failing.incremental = True
    with pytest.raises(ReleaseError, match="status 1"):
        do_publish(root, failing)
    failed = [p for p in (root / "releases").iterdir() if p.name.startswith("failed-")]
    assert len(failed) == 1 and (failed[0] / "partial.html").is_file()
    assert os.readlink(root / "current") == f"releases/{first.name}"
    second = do_publish(root, build)
    assert not (second / "partial.html").exists()
    assert os.path.samefile(first / UNCHANGED, second / UNCHANGED)


def test_the_press_build_writes_into_work_without_emptying_it() -> None:
    build = publishing.PelicanBuild("content", PROJECT / "publishconf.py", "https://press.example")
    argv = build.argv(Path("/srv/press/work"))
    assert build.incremental
    overrides = argv[argv.index("-e") + 1 :]  # one -e: a second would replace the first
    assert overrides == ['SITEURL="https://press.example"', "DELETE_OUTPUT_DIRECTORY=false"]


def test_a_settings_file_that_is_not_python_is_one_line(tmp_path: Path) -> None:
    settings = tmp_path / "broken.py"
    settings.write_text('SITEURL = "https://press.example"\nLANGUAGES = ["en",\n', encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "deploy.release",
            "publish",
            str(tmp_path / "root"),
            "--settings",
            str(settings),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "broken.py" in lines[0], proc.stderr
    assert "not valid Python" in lines[0]


def test_python_m_deploy_release_dates_the_release_with_source_date_epoch(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782000000")  # 2026-06-21 00:00 UTC
    path = publishing.publish_project(
        tmp_path / "root",
        siteurl=SITEURL,
        label="test",
        build_fn=lambda out: make_site(out),
        check_options=FAST,
    )
    assert path.name == "20260621T000000.000000Z-test"


def test_invoke_publish_prints_its_progress(tmp_path: Path, monkeypatch, capsys) -> None:
    def fake_publish_project(root, **kwargs):
        logging.getLogger("deploy.check").info("checking 12 of 3000 pages")
        return Path(root) / "releases" / "20260621T000000.000000Z-test"

    monkeypatch.setattr(publishing, "publish_project", fake_publish_project)
    deploy_logger = logging.getLogger("deploy")
    handlers, level = list(deploy_logger.handlers), deploy_logger.level
    try:
        tasks_deploy.publish(None, root=str(tmp_path / "root"))
    finally:
        deploy_logger.handlers[:] = handlers
        deploy_logger.setLevel(level)
    assert "checking 12 of 3000 pages" in capsys.readouterr().err


def test_clean_builds_everything_again_and_drops_what_work_kept(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    do_publish(root, build)
    build.orphan = False  # an incremental build that does not remove what it no longer writes
    kept = do_publish(root, build)
    assert (kept / "orphan.txt").is_file()
    cleaned = do_publish(root, build, clean=True)
    assert not (cleaned / "orphan.txt").exists()
    assert os.path.samefile(kept / UNCHANGED, cleaned / UNCHANGED)  # same bytes: still a link


def test_invoke_publish_and_the_command_line_take_clean(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def fake_publish_project(root, **kwargs):
        calls.append(kwargs.get("clean"))
        return Path(root) / "releases" / "20260621T000000.000000Z-test"

    monkeypatch.setattr(publishing, "publish_project", fake_publish_project)
    deploy_logger = logging.getLogger("deploy")
    handlers, level = list(deploy_logger.handlers), deploy_logger.level
    try:
        tasks_deploy.publish(None, root=str(tmp_path / "root"), clean=True)
    finally:
        deploy_logger.handlers[:] = handlers
        deploy_logger.setLevel(level)
    assert publishing.main(["publish", str(tmp_path / "root"), "--clean"]) == 0
    assert calls == [True, True]


def test_where_hard_links_are_refused_unchanged_files_are_copied(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)

    def no_links(source, target, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(release.os, "link", no_links)
    build.change = "edited"
    second = do_publish(root, build)
    assert not os.path.samefile(first / UNCHANGED, second / UNCHANGED)
    assert (first / UNCHANGED).read_bytes() == (second / UNCHANGED).read_bytes()
    assert verify_release(root, first.name) is None and verify_release(root, second.name) is None


def test_the_rsync_mirror_links_unchanged_files_to_its_previous_release(tmp_path: Path) -> None:
    if not shutil.which("rsync"):
        pytest.skip("rsync is not installed")
    root, mirror = tmp_path / "deploy", tmp_path / "mirror"
    build = IncrementalBuild()
    first = do_publish(root, build, rsync=str(mirror))
    build.change = "edited"
    second = do_publish(root, build, rsync=str(mirror))
    there = mirror / "releases"
    assert os.path.samefile(there / first.name / UNCHANGED, there / second.name / UNCHANGED)
    assert not os.path.samefile(there / first.name / CHANGED, there / second.name / CHANGED)
    assert b"edited" in (mirror / "current" / CHANGED).read_bytes()


def test_the_press_publishes_only_what_one_changed_translation_touches(tmp_path: Path, caplog) -> None:
    """The real build, twice: the second release links every page the change did not touch."""
    subprocess.run(
        [
            sys.executable,
            str(PROJECT / "bench" / "generate.py"),
            str(tmp_path / "tree"),
            "-n",
            "8",
            "-l",
            "2",
        ],
        check=True,
        capture_output=True,
    )
    content = tmp_path / "tree" / "content"
    settings = tmp_path / "publishconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(PROJECT / 'publishconf.py')!r}).items()"
        " if k.isupper()})\n"
        f"PATH = {str(content)!r}\n"
        'LANGUAGES = ["en", "it"]\n'
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        f"PRESS_REPORT = {str(tmp_path / 'report.json')!r}\n"
        "PRESS_EDITIONS = False\n",
        encoding="utf-8",
    )

    def publish_now(label: str) -> Path:
        return publishing.publish_project(
            tmp_path / "root", siteurl=SITEURL, settings=settings, label=label, check_options=FAST
        )

    first = publish_now("first")
    keys = sorted(p.name for p in (content / "articles").iterdir())
    changed, other = keys[0], keys[-1]
    version = content / "articles" / changed / "it.md"
    headers, body = version.read_text(encoding="utf-8").split("\n\n", 1)
    version.write_text(f"{headers}\n\n{body.replace(' ', ' nostro ', 1)}", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="deploy"):
        second = publish_now("second")

    assert (root_work := tmp_path / "root" / WORK).is_dir() and any(root_work.iterdir())
    assert not os.path.samefile(first / "it" / changed / "index.html", second / "it" / changed / "index.html")
    assert b"nostro" in (second / "it" / changed / "index.html").read_bytes()
    for page in (f"en/{other}/index.html", f"it/{other}/index.html", f"en/{changed}/index.html"):
        assert os.path.samefile(first / page, second / page), page
    assert verify_release(tmp_path / "root", second.name) is None
    counted = next(r.getMessage() for r in caplog.records if "files changed since" in r.getMessage())
    changed_count, total = (int(n) for n in counted.split(": ", 1)[1].split(" files")[0].split(" of "))
    assert 0 < changed_count < total / 4, counted


def test_a_current_release_altered_since_it_was_published_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)
    page = first / UNCHANGED
    altered = page.read_bytes().replace(b"v1 en", b"v1 altered")
    page.unlink()  # a new file in its place: what the manifest says no longer holds
    page.write_bytes(altered)
    build.change = "edited"
    second = do_publish(root, build)
    assert not os.path.samefile(page, second / UNCHANGED)
    assert b"altered" not in (second / UNCHANGED).read_bytes()
    assert verify_release(root, second.name) is None


def test_a_build_that_stops_before_writing_leaves_work_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    build = IncrementalBuild()
    first = do_publish(root, build)
    time.sleep(1.1)  # what the build wrote is older than the next build's start
    before = {p: p.stat().st_ino for p in (root / WORK).rglob("*")}

    def stopped(out: Path) -> int:
        return 1  # stopped before writing anything (a bad setting, a missing tool)

    stopped.incremental = True
    with pytest.raises(ReleaseError, match="wrote nothing"):
        do_publish(root, stopped)
    assert {p: p.stat().st_ino for p in (root / WORK).rglob("*")} == before
    assert os.readlink(root / "current") == f"releases/{first.name}"
