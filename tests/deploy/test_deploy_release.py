"""deploy.release: publish switches `current` only after a good build and check."""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path

import pytest
from deploy_fakesite import LANGUAGES, SITEURL, make_site, require_tool

from deploy import publishing, release
from deploy.release import (
    ReleaseError,
    current_release,
    list_releases,
    precompress,
    publish,
    read_history,
    rollback,
)

FAST = {"validate_html": False}


def good_build(marker: str = "v1"):
    def build(out: Path) -> None:
        make_site(out, marker=marker)

    return build


def broken_check_build(out: Path) -> None:
    make_site(out)
    page = out / "en" / "strike-funds" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", '<p><a href="../no-such-article/">x</a></p></main>'), "utf-8")


def failing_build(out: Path) -> None:
    (out / "partial.html").write_text("half a site", encoding="utf-8")
    raise subprocess.CalledProcessError(1, ["pelican", "content", "-s", "publishconf.py"])


def do_publish(root: Path, build=None, **kwargs) -> Path:
    kwargs.setdefault("check_options", FAST)
    return publish(root, build or good_build(), siteurl=SITEURL, languages=LANGUAGES, **kwargs)


def marker(root: Path) -> str:
    return (root / "current" / "en" / "index.html").read_text(encoding="utf-8")


def test_successful_publish_switches_current_with_full_checks(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    path = do_publish(root, check_options={})  # the Nu validator included
    assert path.parent == root / "releases"
    assert (root / "current").is_symlink()
    assert os.readlink(root / "current") == f"releases/{path.name}"  # relative: the root can move
    assert (root / "current" / "en" / "index.html").is_file()
    assert current_release(root) == path.name
    assert read_history(root) == [path.name]
    assert not [p for p in (root / "releases").iterdir() if p.name.startswith((".", "failed-"))]


def test_gz_copies_are_deterministic_and_complete(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    first = do_publish(root)
    second = do_publish(root)
    gz_first = sorted(p.relative_to(first) for p in first.rglob("*.gz"))
    gz_second = sorted(p.relative_to(second) for p in second.rglob("*.gz"))
    assert gz_first == gz_second
    names = {p.as_posix() for p in gz_first}
    assert {"index.html.gz", "en/feed.xml.gz", "sitemap.xml.gz", "robots.txt.gz"} <= names
    assert "assets/press.0a1b2c3d.css.gz" in names and "assets/search.4e5f6a7b.js.gz" in names
    assert "assets/icon.1f2e3d4c.svg.gz" in names
    assert not any(n.endswith((".png.gz", ".woff2.gz")) for n in names)
    for rel in gz_first:
        data = (first / rel).read_bytes()
        assert data == (second / rel).read_bytes(), f"{rel} differs between two publishes"
        assert data[:3] == b"\x1f\x8b\x08"
        assert data[3] == 0, "no FNAME (or other) flag in the gzip header"
        assert data[4:8] == b"\0\0\0\0", "gzip mtime must be 0"
        assert data[8] == 2, "level 9 (XFL=2)"
        original = first / str(rel)[: -len(".gz")]
        assert gzip.decompress(data) == original.read_bytes()


def test_precompress_again_gives_the_same_bytes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    precompress(site)
    before = {p: p.read_bytes() for p in site.rglob("*.gz")}
    precompress(site)
    assert {p: p.read_bytes() for p in site.rglob("*.gz")} == before


def test_failing_build_leaves_current_untouched(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    good = do_publish(root)
    with pytest.raises(ReleaseError) as caught:
        do_publish(root, failing_build)
    message = str(caught.value)
    assert "build failed" in message and "current unchanged" in message
    assert "pelican" in message
    assert current_release(root) == good.name
    assert list_releases(root) == [good.name]
    failed = [p.name for p in (root / "releases").iterdir() if p.name.startswith("failed-")]
    assert len(failed) == 1 and (root / "releases" / failed[0] / "partial.html").is_file()


@pytest.mark.parametrize("result", [False, 2])
def test_build_reporting_failure_by_value_leaves_current_untouched(tmp_path: Path, result) -> None:
    root = tmp_path / "deploy"
    good = do_publish(root)

    def build(out: Path):
        make_site(out)
        return result

    with pytest.raises(ReleaseError, match="build failed"):
        do_publish(root, build)
    assert current_release(root) == good.name


def test_empty_build_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="wrote nothing"):
        do_publish(tmp_path / "deploy", lambda out: None)
    assert current_release(tmp_path / "deploy") is None


def test_failing_check_leaves_current_untouched_and_names_file_and_link(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    good = do_publish(root)
    with pytest.raises(ReleaseError) as caught:
        do_publish(root, broken_check_build)
    message = str(caught.value)
    assert "check failed with 1 failure(s), current unchanged" in message
    assert "en/strike-funds/index.html:" in message and "../no-such-article/" in message
    assert [(f.file, f.target) for f in caught.value.failures] == [
        ("en/strike-funds/index.html", "../no-such-article/")
    ]
    assert current_release(root) == good.name
    assert list_releases(root) == [good.name]
    assert read_history(root) == [good.name]


def test_only_the_newest_failed_releases_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    for _ in range(release.KEEP_FAILED + 2):
        with pytest.raises(ReleaseError):
            do_publish(root, failing_build)
    failed = [p for p in (root / "releases").iterdir() if p.name.startswith("failed-")]
    assert len(failed) == release.KEEP_FAILED


def test_rollback_goes_back_one_release_at_a_time(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    a = do_publish(root, good_build("A"))
    b = do_publish(root, good_build("B"))
    c = do_publish(root, good_build("C"))
    assert "C en" in marker(root)
    assert rollback(root) == b
    assert "B en" in marker(root)
    assert rollback(root) == a
    assert "A en" in marker(root)
    with pytest.raises(ReleaseError, match="no release before"):
        rollback(root)
    assert current_release(root) == a.name
    # A new publish after rolling back: rolling back again returns to A, not to the bad C.
    d = do_publish(root, good_build("D"))
    assert rollback(root) == a
    assert set(list_releases(root)) == {a.name, b.name, c.name, d.name}


def test_rollback_without_any_release_says_so(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="nothing to roll back"):
        rollback(tmp_path / "deploy")


def test_keep_prunes_old_releases(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    published = [do_publish(root, keep=2).name for _ in range(4)]
    assert list_releases(root) == published[-2:]
    assert read_history(root) == published[-2:]
    assert rollback(root).name == published[-2]


def test_keep_never_removes_current_or_previous(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    a, b, c = (do_publish(root).name for _ in range(3))
    rollback(root)  # current is b now, c is the bad one
    d = do_publish(root, keep=1).name
    # keep=1 keeps d (newest and current) and b (the previous one, rollback's target)
    assert list_releases(root) == [b, d]
    assert a not in read_history(root) and c not in read_history(root)
    assert rollback(root).name == b


def test_current_that_is_a_real_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    (root / "current").mkdir(parents=True)
    with pytest.raises(ReleaseError, match="not a symlink"):
        do_publish(root)
    assert (root / "current").is_dir() and not (root / "current").is_symlink()


def test_release_ids_sort_in_publish_order(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    ids = [do_publish(root, label=f"rev{n}").name for n in range(3)]
    assert ids == sorted(ids) and all(i.endswith(f"-rev{n}") for n, i in enumerate(ids))
    with pytest.raises(ValueError, match="label"):
        release.new_release_id("bad label/")


def test_rsync_to_a_local_mirror_switches_it_with_the_same_guarantee(tmp_path: Path) -> None:
    require_tool("rsync", "rsync")
    root, mirror = tmp_path / "deploy", tmp_path / "mirror"
    first = do_publish(root, rsync=str(mirror))
    assert os.readlink(mirror / "current") == f"releases/{first.name}"
    assert (mirror / "current" / "en" / "index.html.gz").read_bytes() == (
        first / "en" / "index.html.gz"
    ).read_bytes()
    with pytest.raises(ReleaseError):
        do_publish(root, broken_check_build, rsync=str(mirror))
    assert os.readlink(mirror / "current") == f"releases/{first.name}"
    second = do_publish(root, good_build("v2"), rsync=str(mirror), keep=1)
    assert os.readlink(mirror / "current") == f"releases/{second.name}"
    assert "v2 en" in (mirror / "current" / "en" / "index.html").read_text(encoding="utf-8")
    third = do_publish(root, rsync=str(mirror), keep=1)
    # keep=1: the first release is gone here and there; the previous (second) stays.
    assert sorted(p.name for p in (mirror / "releases").iterdir()) == [second.name, third.name]
    assert rollback(root, rsync=str(mirror)) == second
    assert os.readlink(mirror / "current") == f"releases/{second.name}"


def test_failed_upload_switches_nothing(tmp_path: Path) -> None:
    require_tool("rsync", "rsync")
    root = tmp_path / "deploy"
    good = do_publish(root)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"upload to .* failed, current unchanged"):
        do_publish(root, rsync=str(blocker / "mirror"))
    assert current_release(root) == good.name


def test_remote_switch_is_one_ssh_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No network: record what would run instead of running it.
    calls: list[list[str]] = []

    def fake_run(argv, **kwargs):
        calls.append(list(argv))
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(release.subprocess, "run", fake_run)
    root = tmp_path / "deploy"
    path = do_publish(root, rsync="press@press.example:/srv/press", ssh="ssh -p 2222")
    rid = path.name
    assert calls[0] == ["ssh", "-p", "2222", "press@press.example", "mkdir -p -- /srv/press/releases"]
    assert calls[1] == [
        "rsync",
        "-a",
        "--delete",
        "-e",
        "ssh -p 2222",
        f"{path}/",
        f"press@press.example:/srv/press/releases/{rid}/",
    ]
    assert calls[2] == [
        "ssh",
        "-p",
        "2222",
        "press@press.example",
        f"cd /srv/press && ln -sfn releases/{rid} .current.tmp && mv -T .current.tmp current",
    ]
    assert len(calls) == 3
    assert current_release(root) == rid


def test_cli_list_and_rollback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deploy"
    a = do_publish(root).name
    b = do_publish(root).name
    assert publishing.main(["list", str(root)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"  {a}  whole (previous)", f"* {b}  whole (current)"]
    assert publishing.main(["rollback", str(root)]) == 0
    assert current_release(root) == a
    assert publishing.main(["rollback", str(root)]) == 1  # said, without a traceback
