"""Publishing signs only with the key of PRESS_SIGNING_PUBLIC_KEY; key files are written privately
and whole (issue 21)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_fakesite import PROJECT, SITEURL, make_site

from deploy.manifest import SIGNATURE_NAME, write_manifest
from deploy.publishing import publish_project
from deploy.release import ReleaseError, publish
from deploy.signing import SigningError, generate_key, sign_release
from deploy.verify import verify

NO_VNU = {"validate_html": False}


def settings_file(folder: Path, public_key: str | None) -> Path:
    path = folder / "settings.py"
    lines = ['TIMEZONE = "UTC"', f'SITEURL = "{SITEURL}"', f'PATH = "{folder / "content"}"']
    if public_key is not None:
        lines.append(f"PRESS_SIGNING_PUBLIC_KEY = {public_key!r}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "content").mkdir(exist_ok=True)
    return path


@pytest.fixture
def keys(tmp_path) -> dict[str, tuple[str, str]]:
    """Two press keys: (private key path, public key)."""
    return {
        name: (str(tmp_path / "keys" / f"{name}.key"), generate_key(tmp_path / "keys" / f"{name}.key"))
        for name in ("press", "other")
    }


def release_cli(root: Path, settings: Path, marker: Path, key_path: str) -> subprocess.CompletedProcess:
    build = f"{sys.executable} -c \"open('{marker}', 'w').write('built')\""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "deploy.release",
            "publish",
            str(root),
            "--settings",
            str(settings),
            "--siteurl",
            SITEURL,
            "--build",
            build,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=dict(os.environ, PRESS_SIGNING_KEY=key_path),
        timeout=300,
    )


def test_release_publish_refuses_a_key_that_does_not_match_before_building(tmp_path, keys):
    settings = settings_file(tmp_path, keys["press"][1])
    marker = tmp_path / "built"
    result = release_cli(tmp_path / "root", settings, marker, keys["other"][0])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not match PRESS_SIGNING_PUBLIC_KEY" in lines[0], result.stderr
    assert not marker.exists()  # refused before the build
    assert not (tmp_path / "root" / "current").exists()


def test_invoke_publish_refuses_a_key_that_does_not_match(tmp_path, keys):
    settings = settings_file(tmp_path, keys["press"][1])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "publish",
            "--root",
            str(tmp_path / "root"),
            "--settings",
            str(settings),
            "--siteurl",
            SITEURL,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=dict(os.environ, PRESS_SIGNING_KEY=keys["other"][0]),
        timeout=300,
    )
    assert result.returncode != 0
    assert "does not match PRESS_SIGNING_PUBLIC_KEY" in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "root" / "current").exists()


def test_a_key_without_a_public_key_in_the_settings_is_refused(tmp_path, keys):
    settings = settings_file(tmp_path, None)
    marker = tmp_path / "built"
    result = release_cli(tmp_path / "root", settings, marker, keys["press"][0])
    assert result.returncode == 1
    assert "no PRESS_SIGNING_PUBLIC_KEY" in result.stderr and keys["press"][1] in result.stderr
    assert not marker.exists()


def test_a_malformed_public_key_in_the_settings_stops_publish_with_one_line(tmp_path, keys):
    settings = settings_file(tmp_path, "AAAA")
    marker = tmp_path / "built"
    result = release_cli(tmp_path / "root", settings, marker, keys["press"][0])
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PRESS_SIGNING_PUBLIC_KEY = 'AAAA' is not valid" in lines[0], result.stderr
    assert not marker.exists()


def test_the_matching_key_signs_and_the_copy_verifies(tmp_path, keys, monkeypatch):
    monkeypatch.setenv("PRESS_SIGNING_KEY", keys["press"][0])
    settings = settings_file(tmp_path, keys["press"][1])
    final = publish_project(
        tmp_path / "root",
        settings=settings,
        siteurl=SITEURL,
        label="t",
        build_fn=lambda out: make_site(out),
        check_options=NO_VNU,
    )
    assert (final / SIGNATURE_NAME).is_file()
    assert verify(str(tmp_path / "root" / "current"), keys["press"][1]).ok


def test_publish_checks_the_pair_when_given_the_public_key(tmp_path, keys):
    with pytest.raises(ReleaseError, match="does not match PRESS_SIGNING_PUBLIC_KEY"):
        publish(
            tmp_path / "root",
            lambda out: pytest.fail("built although the key does not match"),
            siteurl=SITEURL,
            check_options=NO_VNU,
            signing_key=keys["other"][0],
            public_key=keys["press"][1],
        )
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    with pytest.raises(SigningError, match="does not match"):
        sign_release(folder, keys["other"][0], keys["press"][1])
    assert not (folder / SIGNATURE_NAME).exists()


def test_a_signing_key_is_written_whole_privately_with_no_fixed_temporary_name(tmp_path, monkeypatch):
    made: list[str] = []
    real_mkstemp = __import__("tempfile").mkstemp

    def recording_mkstemp(*args, **kwargs):
        made.append(kwargs.get("prefix", "") + "…" + kwargs.get("suffix", ""))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr("tempfile.mkstemp", recording_mkstemp)
    old = os.umask(0)  # private whatever the umask
    try:
        path = tmp_path / "k" / "press.key"
        public = generate_key(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text(encoding="ascii").strip()) == 44 and len(public) == 44
    assert made, "the key was not written through a temporary file"
    assert sorted(p.name for p in path.parent.iterdir()) == ["press.key"]  # no temporary left
    # a fixed name such as press.key.tmp, made beforehand by someone else, is never used
    other = tmp_path / "k" / "second.key"
    (tmp_path / "k" / "second.key.tmp").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "k" / ".second.key.tmp").symlink_to(tmp_path / "elsewhere")
    generate_key(other)
    assert not (tmp_path / "elsewhere").exists()
    assert stat.S_IMODE(other.stat().st_mode) == 0o600


def test_an_existing_key_or_link_is_never_overwritten(tmp_path):
    path = tmp_path / "press.key"
    generate_key(path)
    before = path.read_bytes()
    with pytest.raises(SigningError, match="exists already"):
        generate_key(path)
    assert path.read_bytes() == before
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "nowhere.key")
    with pytest.raises(SigningError, match="exists already"):
        generate_key(link)
    assert not (tmp_path / "nowhere.key").exists()


def test_the_signature_is_written_without_a_fixed_temporary_name(tmp_path, keys):
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    trap = folder / f".{SIGNATURE_NAME}.tmp"
    trap.symlink_to(tmp_path / "written-through")
    assert sign_release(folder, keys["press"][0]) == folder / SIGNATURE_NAME
    assert not (tmp_path / "written-through").exists()


def test_invoke_signing_key_keeps_working(tmp_path):
    target = tmp_path / "outside" / "press.key"
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "signing-key", "--path", str(target)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "PRESS_SIGNING_PUBLIC_KEY" in result.stdout
    again = subprocess.run(
        [sys.executable, "-m", "invoke", "signing-key", "--path", str(target)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert again.returncode != 0 and "exists already" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_key_file_may_be_a_link_but_never_a_fifo(tmp_path, keys):
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    link = tmp_path / "current.key"
    link.symlink_to(keys["press"][0])  # a secret store often links its files
    assert sign_release(folder, str(link), keys["press"][1]) == folder / SIGNATURE_NAME
    fifo = tmp_path / "fifo.key"
    os.mkfifo(fifo)
    with pytest.raises(SigningError, match="not a regular file"):
        sign_release(folder, str(fifo))


def test_a_file_system_without_hard_links_still_gets_a_whole_private_key(tmp_path, monkeypatch):
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "press.key"
    generate_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["press.key"]
    with pytest.raises(SigningError, match="exists already"):
        generate_key(path)
