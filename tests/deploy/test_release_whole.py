"""Releases you can prove whole (issue 14): a manifest per release, checked before every switch.

A publish killed with SIGKILL at any step (pruning included) leaves ``current`` and
every listed release whole, and the next publish cleans up and succeeds; a damaged
release is never rolled back onto.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from deploy_fakesite import LANGUAGES, SITEURL, make_site

from deploy import publishing, release
from deploy.manifest import MANIFEST_NAME, read_manifest
from deploy.release import (
    STEPS,
    ReleaseError,
    current_release,
    list_releases,
    publish,
    release_states,
    rollback,
    verify_release,
)

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
FAST = {"validate_html": False}


def do_publish(root: Path, marker: str = "v1", **kwargs) -> Path:
    kwargs.setdefault("check_options", FAST)
    return publish(
        root, lambda out: make_site(out, marker=marker), siteurl=SITEURL, languages=LANGUAGES, **kwargs
    )


def publish_in_a_process(root: Path, *, kill_at: str | None = None, marker: str = "killed", keep: int = 2):
    """A publish in a process of its own (so that it can be killed with SIGKILL)."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path[:0] = [{str(HERE)!r}, {str(PROJECT)!r}]
        from deploy_fakesite import LANGUAGES, SITEURL, make_site
        from deploy.release import publish

        def build(out):
            make_site(out, marker={marker!r})
            if os.environ.get("KILL_MID_BUILD"):
                os.kill(os.getpid(), signal.SIGKILL)

        publish({str(root)!r}, build, keep={keep}, siteurl=SITEURL, languages=LANGUAGES,
                check_options={{"validate_html": False}})
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in (release.KILL_AT_ENV, "KILL_MID_BUILD")}
    if kill_at == "mid-build":
        env["KILL_MID_BUILD"] = "1"
    elif kill_at:
        env[release.KILL_AT_ENV] = kill_at
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)


def assert_everything_listed_is_whole(root: Path) -> None:
    current = current_release(root)
    assert current in list_releases(root)
    for release_id in list_releases(root):
        assert verify_release(root, release_id) is None, release_id
    states = release_states(root)
    assert [s.name for s in states if s.state == "damaged"] == []


def test_every_publish_is_a_new_release_with_a_manifest_listing_the_gz_copies(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    first = do_publish(root)
    second = do_publish(root)  # the same bytes: still a new release
    assert first.name != second.name and list_releases(root) == [first.name, second.name]
    entries = read_manifest(second)
    assert "en/index.html" in entries and "en/index.html.gz" in entries
    assert MANIFEST_NAME not in entries
    assert entries["en/index.html"].size == (second / "en" / "index.html").stat().st_size
    assert (first / MANIFEST_NAME).read_bytes() == (second / MANIFEST_NAME).read_bytes()
    assert_everything_listed_is_whole(root)


@pytest.mark.parametrize("step", ["mid-build", *STEPS])
def test_a_publish_killed_at_any_step_leaves_only_whole_releases(tmp_path: Path, step: str) -> None:
    root = tmp_path / "deploy"
    for marker in ("A", "B", "C"):  # keep=2: the killed publish has a release to prune
        do_publish(root, marker, keep=2)
    before = current_release(root)

    killed = publish_in_a_process(root, kill_at=step)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr

    assert_everything_listed_is_whole(root)
    served = (root / "current" / "en" / "index.html").read_text(encoding="utf-8")
    switched = step in STEPS and STEPS.index(step) >= STEPS.index("switch")
    if switched:
        assert "killed en" in served  # the switch happened: the new release is whole
    else:
        assert current_release(root) == before  # killed before the switch: nothing changed

    after = publish_in_a_process(root)
    assert after.returncode == 0, after.stdout + after.stderr
    assert_everything_listed_is_whole(root)
    leftovers = [p.name for p in (root / "releases").iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert not list(root.glob(".*.tmp-*"))
    assert len(list_releases(root)) <= 3  # pruned again (keep=2, plus the previous one)


def test_leftovers_of_killed_publishes_are_listed_then_cleaned(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    do_publish(root)
    publish_in_a_process(root, kill_at="mid-build")
    states = release_states(root)
    assert [s.state for s in states if s.name.startswith(".incoming-")] == ["leftover"]
    do_publish(root)
    assert not [p for p in (root / "releases").iterdir() if p.name.startswith(".")]


def damage(folder: Path) -> None:
    page = folder / "en" / "strike-funds" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Strike", "Strife"), encoding="utf-8")
    (folder / "it" / "index.html").unlink()


def test_rollback_refuses_a_damaged_release_and_leaves_current(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    a = do_publish(root, "A")
    b = do_publish(root, "B")
    c = do_publish(root, "C")
    damage(b)
    with pytest.raises(ReleaseError) as caught:
        rollback(root)
    message = str(caught.value)
    assert f"refusing to roll back to {b.name}" in message
    assert "changed: en/strike-funds/index.html" in message and "missing: it/index.html" in message
    assert "current is unchanged" in message
    assert current_release(root) == c.name
    states = {s.name: s for s in release_states(root)}
    assert states[b.name].state == "damaged" and states[b.name].previous
    assert states[c.name].current and states[a.name].state == "whole"
    # A named, whole release is fine.
    assert rollback(root, to=a.name) == a
    assert current_release(root) == a.name
    with pytest.raises(ReleaseError, match="no release nope"):
        rollback(root, to="nope")


def test_a_release_without_manifest_is_not_rolled_back_onto(tmp_path: Path) -> None:
    root = tmp_path / "deploy"
    old = do_publish(root, "A")
    do_publish(root, "B")
    (old / MANIFEST_NAME).unlink()  # e.g. published before releases had manifests
    with pytest.raises(ReleaseError, match="cannot be proved whole"):
        rollback(root)


def test_a_release_that_does_not_match_its_manifest_is_never_switched_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "deploy"
    good = do_publish(root, "A")
    real = release.write_manifest

    def manifest_then_damage(folder):
        path = real(folder)
        (Path(folder) / "robots.txt").write_text("changed after the manifest", encoding="utf-8")
        return path

    monkeypatch.setattr(release, "write_manifest", manifest_then_damage)
    with pytest.raises(ReleaseError, match=r"is not whole, current unchanged .*changed: robots.txt"):
        do_publish(root, "B")
    assert current_release(root) == good.name
    assert list_releases(root) == [good.name]


def test_cli_rollback_to_and_list_states(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deploy"
    a = do_publish(root, "A").name
    b = do_publish(root, "B")
    damage(b)
    do_publish(root, "C")
    assert publishing.main(["rollback", str(root)]) == 1
    assert f"refusing to roll back to {b.name}" in capsys.readouterr().err
    assert publishing.main(["rollback", str(root), "--to", a]) == 0
    capsys.readouterr()
    assert publishing.main(["list", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"* {a}  whole (current)"
    assert lines[1].startswith(f"  {b.name}  damaged: 2 file(s) differ")


def test_publish_without_a_real_site_url_stops_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PRESS_SITEURL"}
    result = subprocess.run(
        [sys.executable, "-m", "deploy.release", "publish", str(tmp_path / "deploy")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "publish needs the site's real address" in lines[0], result.stderr
    assert "--siteurl" in lines[0] and "PRESS_SITEURL" in lines[0]
    assert not (tmp_path / "deploy" / "releases").exists()
