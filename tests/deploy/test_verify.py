"""Signed manifests and ``invoke verify``: a published copy passes; a changed byte, a removed file,
an added file and a tampered manifest are each named; mirrors are checked over HTTP."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from deploy_fakesite import PROJECT, SITEURL, make_site

from deploy.manifest import MANIFEST_NAME, SIGNATURE_NAME, write_manifest
from deploy.nginx import render_nginx_conf
from deploy.signing import SigningError, fingerprint, generate_key, sign_release
from deploy.verify import verify

ONION = "http://" + "a" * 56 + ".onion"


@pytest.fixture
def key(tmp_path) -> tuple[str, str]:
    """(private key path, public key) of a fresh press key, outside the copy."""
    path = tmp_path / "keys" / "press.key"
    return str(path), generate_key(path)


@pytest.fixture
def release(tmp_path, key) -> Path:
    """A published release: the site, its manifest and its signature."""
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    assert sign_release(folder, key[0]) == folder / SIGNATURE_NAME
    return folder


def invoke_verify(source: str, public_key: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "verify", source, "--key", public_key],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )


def test_the_key_is_written_privately_and_never_overwritten(key):
    path, public = key
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert len(fingerprint(public).split()) == 16
    with pytest.raises(SigningError, match="exists already"):
        generate_key(path)


def test_a_published_release_is_accepted(release, key):
    result = invoke_verify(str(release), key[1])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "manifest signed by the press" in result.stdout
    assert "OK: all" in result.stdout


def test_a_changed_byte_a_removed_file_and_an_added_file_are_each_named(release, key):
    page = release / "en/index.html"
    data = bytearray(page.read_bytes())
    data[100] ^= 1
    page.write_bytes(bytes(data))
    (release / "it/about/index.html").unlink()
    (release / "fa/extra.html").write_text("<p>added</p>", encoding="utf-8")
    result = invoke_verify(str(release), key[1])
    assert result.returncode == 1
    assert "changed: en/index.html" in result.stdout
    assert "missing: it/about/index.html" in result.stdout
    assert "added: fa/extra.html" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_tampered_manifest_fails_the_signature(release, key):
    manifest = release / MANIFEST_NAME
    # Rewrite the manifest to match a doctored page: the files match it, the signature does not.
    (release / "en/index.html").write_text("<p>doctored</p>", encoding="utf-8")
    manifest.unlink()
    write_manifest(release)
    verdict = verify(str(release), key[1])
    assert not verdict.differences
    assert not verdict.signature_ok and not verdict.ok
    result = invoke_verify(str(release), key[1])
    assert result.returncode == 1
    assert "BAD SIGNATURE" in result.stdout


def test_another_key_is_refused(release, tmp_path):
    other = generate_key(tmp_path / "other.key")
    verdict = verify(str(release), other)
    assert not verdict.ok and "BAD SIGNATURE" in verdict.signature


def test_without_a_key_a_release_is_published_unsigned_with_one_warning(tmp_path, caplog, monkeypatch):
    monkeypatch.delenv("PRESS_SIGNING_KEY", raising=False)
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    with caplog.at_level(logging.WARNING):
        assert sign_release(folder) is None
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "PRESS_SIGNING_KEY" in warnings[0].getMessage()
    assert not (folder / SIGNATURE_NAME).exists()


def test_a_broken_key_file_is_reported_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n", encoding="ascii")
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    with pytest.raises(SigningError, match="invoke signing-key"):
        sign_release(folder, str(bad))


def test_a_folder_without_manifest_is_a_clear_error(tmp_path, key):
    result = invoke_verify(str(tmp_path), key[1])
    assert result.returncode == 2
    assert "press-manifest.json cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_mirror_is_checked_over_http(release, key, tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(release, mirror)
    with serving(mirror) as url:
        good = invoke_verify(url, key[1])
        assert good.returncode == 0, good.stdout + good.stderr
        assert "cannot be listed" in good.stdout  # added files: said, not silently skipped
        page = mirror / "sv/index.html"
        page.write_bytes(page.read_bytes() + b" ")
        (mirror / "it/about/index.html").unlink()
        bad = invoke_verify(url, key[1])
    assert bad.returncode == 1
    assert "changed: sv/index.html" in bad.stdout
    assert "missing: it/about/index.html" in bad.stdout


def test_nginx_sends_onion_location_with_every_answer():
    text = render_nginx_conf(["en", "fa"], "en", "/srv/press", onion=ONION)
    policies = text.count("add_header Content-Security-Policy")
    assert text.count(f'add_header Onion-Location "{ONION}$request_uri" always;') == policies > 1
    assert "Onion-Location" not in render_nginx_conf(["en", "fa"], "en", "/srv/press")
    with pytest.raises(ValueError, match="onion"):
        render_nginx_conf(["en"], "en", "/srv/press", onion="http://example.org")


def test_publish_signs_the_release_and_verify_accepts_it(tmp_path, key):
    from deploy.release import publish

    final = publish(
        tmp_path / "root",
        lambda out: make_site(out),
        siteurl=SITEURL,
        check_options={"validate_html": False},
        signing_key=key[0],
    )
    assert (final / SIGNATURE_NAME).is_file()
    assert verify(str(tmp_path / "root" / "current"), key[1]).ok


def test_publish_without_a_key_succeeds_unsigned_with_one_warning(tmp_path, caplog, monkeypatch):
    from deploy.release import publish

    monkeypatch.delenv("PRESS_SIGNING_KEY", raising=False)
    with caplog.at_level(logging.WARNING):
        final = publish(
            tmp_path / "root",
            lambda out: make_site(out),
            siteurl=SITEURL,
            check_options={"validate_html": False},
        )
    assert (final / MANIFEST_NAME).is_file() and not (final / SIGNATURE_NAME).exists()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "not signed: set PRESS_SIGNING_KEY" in warnings[0], warnings
