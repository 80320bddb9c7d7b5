"""``invoke verify`` against copies and mirrors made by an attacker (issue 21).

verify passes only what it can authenticate: no key, an unsigned manifest or a
malformed key is a failure with one line; symbolic links in a copy are named; a
hostile HTTP server (huge files, a huge or nested manifest, a trickle, a stall, a
redirect elsewhere) ends with one clear line, within its limits of time and memory.
The HTTP servers run in a thread of the test; nothing waits on a fixed sleep.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from deploy_fakesite import PROJECT, make_site

from deploy.manifest import MANIFEST_NAME, SIGNATURE_NAME, ManifestError, parse_manifest, write_manifest
from deploy.signing import generate_key, sign_release
from deploy.verify import Limits, VerifyError, main, verify, verify_mirror


@pytest.fixture
def key(tmp_path) -> tuple[str, str]:
    path = tmp_path / "keys" / "press.key"
    return str(path), generate_key(path)


@pytest.fixture
def release(tmp_path, key) -> Path:
    folder = tmp_path / "release"
    make_site(folder)
    write_manifest(folder)
    sign_release(folder, key[0])
    return folder


@pytest.fixture
def no_key_settings(tmp_path) -> Path:
    path = tmp_path / "nokey.py"
    path.write_text('SITEURL = "https://press.example"\nTIMEZONE = "UTC"\n', encoding="utf-8")
    return path


def invoke_verify(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "verify", *arguments],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def tamper_unsigned(folder: Path) -> None:
    """The attack of the issue: a page changed, the manifest rewritten, the signature deleted."""
    (folder / "en/index.html").write_text("<p>doctored</p>", encoding="utf-8")
    (folder / MANIFEST_NAME).unlink()
    (folder / SIGNATURE_NAME).unlink()
    write_manifest(folder)


# -- keys ------------------------------------------------------------------------------


def test_without_a_key_a_tampered_copy_is_refused_with_one_line(release, no_key_settings):
    tamper_unsigned(release)
    result = invoke_verify("--source", str(release), "--settings", str(no_key_settings))
    assert result.returncode != 0
    line = one_error_line(result)
    assert "no public key" in line and "--key" in line and "PRESS_SIGNING_PUBLIC_KEY" in line
    assert "OK" not in result.stdout


def test_an_unsigned_manifest_fails_even_with_the_right_key(release, key):
    tamper_unsigned(release)
    result = invoke_verify("--source", str(release), "--key", key[1])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "UNSIGNED" in result.stdout and "no file was checked" in result.stdout
    assert "OK" not in result.stdout


def test_allow_unsigned_says_first_that_nothing_was_authenticated(release, key, no_key_settings):
    tamper_unsigned(release)
    for arguments in (["--key", key[1]], ["--settings", str(no_key_settings)]):
        result = invoke_verify("--source", str(release), "--allow-unsigned", *arguments)
        assert result.returncode == 0, result.stdout + result.stderr
        first = result.stdout.splitlines()[0]
        assert first.startswith("NOT AUTHENTICATED: nothing was authenticated"), result.stdout
        assert "UNAUTHENTICATED manifest" in result.stdout.splitlines()[-1]


def test_allow_unsigned_never_excuses_a_bad_signature(release, tmp_path):
    other = generate_key(tmp_path / "other.key")
    verdict = verify(str(release), other, allow_unsigned=True)
    assert not verdict.ok and "BAD SIGNATURE" in verdict.signature


@pytest.mark.parametrize("bad", ["AAAA", "A" * 44, "not a key at all", "Zm9v\x1b[31m"])
def test_a_malformed_key_is_called_malformed(release, bad):
    result = invoke_verify("--source", str(release), "--key", bad)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "malformed" in line and "--key" in line
    assert "BAD SIGNATURE" not in result.stdout + result.stderr
    assert "\x1b" not in result.stderr


def test_the_key_may_come_from_a_file_or_the_settings(release, key, tmp_path):
    pub = tmp_path / "press-signing-key.pub"
    pub.write_text(key[1] + "\n", encoding="ascii")
    result = invoke_verify("--source", str(release), "--key-file", str(pub))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "manifest signed by the press" in result.stdout.splitlines()[0]
    settings = tmp_path / "signed.py"
    settings.write_text(f"TIMEZONE = 'UTC'\nPRESS_SIGNING_PUBLIC_KEY = {key[1]!r}\n", encoding="utf-8")
    result = invoke_verify("--source", str(release), "--settings", str(settings))
    assert result.returncode == 0, result.stdout + result.stderr
    settings.write_text("TIMEZONE = 'UTC'\nPRESS_SIGNING_PUBLIC_KEY = 'AAAA'\n", encoding="utf-8")
    result = invoke_verify("--source", str(release), "--settings", str(settings))
    assert result.returncode == 2
    assert "PRESS_SIGNING_PUBLIC_KEY" in one_error_line(result) and "malformed" in result.stderr
    pub.write_text("AAAA\n", encoding="ascii")
    result = invoke_verify("--source", str(release), "--key-file", str(pub))
    assert result.returncode == 2 and "malformed" in one_error_line(result)


def test_a_key_file_that_is_a_fifo_does_not_hang(release, tmp_path):
    fifo = tmp_path / "key.pub"
    os.mkfifo(fifo)
    assert main([str(release), "--key-file", str(fifo)]) == 2


# -- symbolic links and special files in a copy ---------------------------------------


def test_an_added_symlink_is_named(release, key, tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_text("<p>from elsewhere</p>", encoding="utf-8")
    (release / "en/extra.html").symlink_to(outside)
    (release / "en/more").symlink_to(tmp_path)
    verdict = verify(str(release), key[1])
    shown = [str(d) for d in verdict.differences]
    assert not verdict.ok
    assert any(line.startswith("symlink: en/extra.html") for line in shown), shown
    assert any(line.startswith("symlink: en/more") for line in shown), shown


def test_a_published_file_replaced_by_a_link_to_the_same_bytes_is_named(release, key, tmp_path):
    page = release / "en/index.html"
    copy = tmp_path / "same.html"
    shutil.copy(page, copy)
    page.unlink()
    page.symlink_to(copy)
    result = invoke_verify("--source", str(release), "--key", key[1])
    assert result.returncode == 1
    assert "symlink: en/index.html (a symbolic link" in result.stdout
    assert "missing: en/index.html" not in result.stdout


def test_a_published_folder_replaced_by_a_link_to_the_same_files_is_named(release, key, tmp_path):
    folder = release / "it"
    shutil.copytree(folder, tmp_path / "it-copy")
    shutil.rmtree(folder)
    folder.symlink_to(tmp_path / "it-copy")
    verdict = verify(str(release), key[1])
    shown = [str(d) for d in verdict.differences]
    assert shown == [
        "symlink: it (a symbolic link; a copy holds files, never links, where the site has a folder)"
    ]
    assert not verdict.ok


def test_a_fifo_in_a_copy_is_named_and_never_opened(release, key):
    os.mkfifo(release / "en/pipe.html")
    os.unlink(release / "it/index.html")
    os.mkfifo(release / "it/index.html")
    verdict = verify(str(release), key[1])
    shown = [str(d) for d in verdict.differences]
    assert "special: en/pipe.html (not a regular file)" in shown
    assert any(line.startswith("special: it/index.html") for line in shown), shown


def test_a_manifest_that_is_a_link_or_a_fifo_is_refused(release, key, tmp_path):
    manifest = release / MANIFEST_NAME
    shutil.move(manifest, tmp_path / "m.json")
    manifest.symlink_to(tmp_path / "m.json")
    with pytest.raises(VerifyError, match="symbolic link"):
        verify(str(release), key[1])
    manifest.unlink()
    os.mkfifo(manifest)
    with pytest.raises(VerifyError, match="cannot be read"):
        verify(str(release), key[1])


def test_a_file_name_with_escape_sequences_is_printed_escaped(release, key, capsys):
    (release / "en/\x1b]0;owned\x07.html").write_text("x", encoding="utf-8")
    assert main([str(release), "--key", key[1]]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "added: en/\\x1b]0;owned\\x07.html" in out


# -- manifests that are not the documented shape -------------------------------------

ENTRY = {"path": "a.html", "sha256": "0" * 64, "size": 1}


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 200_000 + b"]" * 200_000,
        b'{"files": ' + b"[" * 100_000 + b"]" * 100_000 + b', "version": 1}',
        b"[]",
        b"null",
        b'"files"',
        b"\xff\xfe",
        b'{"files": {}, "version": 1}',
        b'{"files": [1], "version": 1}',
        b'{"files": [], "version": true}',
        b'{"files": [], "version": 1, "extra": 2}',
        json.dumps({"files": [{**ENTRY, "path": "../x"}], "version": 1}).encode(),
        json.dumps({"files": [{**ENTRY, "path": "a//b"}], "version": 1}).encode(),
        json.dumps({"files": [{**ENTRY, "path": "a\nb"}], "version": 1}).encode(),
        json.dumps({"files": [{**ENTRY, "size": -1}], "version": 1}).encode(),
        json.dumps({"files": [{**ENTRY, "size": 1.5}], "version": 1}).encode(),
        json.dumps({"files": [{**ENTRY, "sha256": "zz"}], "version": 1}).encode(),
        json.dumps({"files": [ENTRY, ENTRY], "version": 1}).encode(),
        json.dumps({"files": [ENTRY], "version": 1}).replace('"size": 1', '"size": 1' + "0" * 5000).encode(),
    ],
)
def test_a_manifest_of_another_shape_is_one_clear_line(data):
    with pytest.raises(ManifestError) as raised:
        parse_manifest(data)
    message = str(raised.value)
    assert "\n" not in message and len(message) < 300


def test_a_deeply_nested_manifest_in_a_copy_is_one_line(release, key):
    (release / MANIFEST_NAME).write_bytes(b"[" * 200_000)
    (release / SIGNATURE_NAME).unlink()
    result = invoke_verify("--source", str(release), "--key", key[1], "--allow-unsigned")
    assert result.returncode == 2
    assert "RecursionError" not in result.stdout + result.stderr
    assert "nested far deeper than" in one_error_line(result)


# -- hostile mirrors ------------------------------------------------------------------


class Hostile:
    """A local HTTP server whose answers the test writes; it records every path asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.asked: list[str] = []
        self.sent: dict[str, int] = {}
        self.stop = threading.Event()
        hostile = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                pass

            def do_GET(self):
                path = urllib.parse.unquote(self.path)
                hostile.asked.append(path)
                route = hostile.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(OSError):
                    route(self)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Hostile:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    def serve_bytes(self, path: str, data: bytes, *, length: bool = True) -> None:
        def answer(handler):
            handler.send_response(200)
            if length:
                handler.send_header("Content-Length", str(len(data)))
            else:
                handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = answer

    def serve_release(self, folder: Path) -> None:
        for file in folder.rglob("*"):
            if file.is_file():
                self.serve_bytes("/" + file.relative_to(folder).as_posix(), file.read_bytes())

    def serve_endless(self, path: str, *, declared: int | None = None, block: int = 1 << 20) -> None:
        """Bytes without end (or a declared length it never keeps to), counting what got out."""

        def answer(handler):
            handler.send_response(200)
            if declared is not None:
                handler.send_header("Content-Length", str(declared))
            handler.send_header("Connection", "close")
            handler.end_headers()
            chunk = b"x" * block
            self.sent[path] = 0
            while not self.stop.is_set():
                handler.wfile.write(chunk)
                self.sent[path] += len(chunk)

        self.routes[path] = answer

    def serve_trickle(self, path: str, interval: float) -> None:
        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            while not self.stop.wait(interval):
                handler.wfile.write(b"{")
                handler.wfile.flush()

        self.routes[path] = answer

    def serve_stall(self, path: str) -> None:
        self.routes[path] = lambda handler: self.stop.wait()

    def serve_redirect(self, path: str, location: str) -> None:
        def answer(handler):
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = answer


FAST = Limits(connect_timeout=5, read_timeout=5, deadline=60)


def test_a_signed_mirror_over_kept_alive_connections_passes(release, key):
    with Hostile() as server:
        server.serve_release(release)
        verdict = verify_mirror(server.url, key[1], limits=FAST)
    assert verdict.ok, verdict.lines()
    assert verdict.signature_ok and verdict.checked > 20


def test_a_bad_signature_fetches_no_file(release, tmp_path):
    other = generate_key(tmp_path / "other.key")
    with Hostile() as server:
        server.serve_release(release)
        verdict = verify_mirror(server.url, other, limits=FAST)
    assert not verdict.ok and "BAD SIGNATURE" in verdict.signature
    assert sorted(server.asked) == [f"/{MANIFEST_NAME}", f"/{SIGNATURE_NAME}"]


def test_a_file_larger_than_its_entry_stops_downloading_at_that_size(release, key):
    page = "/en/index.html"
    with Hostile() as server:
        server.serve_release(release)
        server.serve_endless(page)  # no length: bytes until the client hangs up
        started = time.monotonic()
        verdict = verify_mirror(server.url, key[1], limits=FAST)
        elapsed = time.monotonic() - started
        sent = server.sent[page]
    shown = [str(d) for d in verdict.differences]
    assert any(line.startswith("changed: en/index.html (larger than the") for line in shown), shown
    assert not verdict.ok and elapsed < 30
    assert sent < 64 << 20  # what the socket buffers took, not the endless file


def test_a_declared_length_larger_than_the_entry_is_not_downloaded(release, key):
    page = "/en/index.html"
    with Hostile() as server:
        server.serve_release(release)
        server.serve_endless(page, declared=3 << 30)
        verdict = verify_mirror(server.url, key[1], limits=FAST)
    assert "changed: en/index.html (larger than the" in "\n".join(map(str, verdict.differences))


def test_a_manifest_over_the_limit_is_refused_without_holding_it(release, key):
    with Hostile() as server:
        server.serve_endless(f"/{MANIFEST_NAME}")
        with pytest.raises(VerifyError, match=r"larger than 100000 bytes: not a press manifest"):
            verify_mirror(server.url, key[1], limits=Limits(manifest_bytes=100_000, deadline=60))
        assert server.asked == [f"/{MANIFEST_NAME}"]


def test_a_manifest_sent_one_byte_every_five_seconds_meets_the_deadline(key):
    with Hostile() as server:
        server.serve_trickle(f"/{MANIFEST_NAME}", interval=5)
        started = time.monotonic()
        with pytest.raises(VerifyError, match="deadline of 2 s"):
            verify_mirror(server.url, key[1], limits=Limits(deadline=2))
        assert time.monotonic() - started < 10


def test_a_trickle_is_dropped_long_before_the_deadline(key):
    with Hostile() as server:
        server.serve_trickle(f"/{MANIFEST_NAME}", interval=0.2)
        started = time.monotonic()
        with pytest.raises(VerifyError, match="too slowly"):
            verify_mirror(server.url, key[1], limits=Limits(stall_grace=1, min_rate=100, deadline=120))
        assert time.monotonic() - started < 15


def test_a_trickle_ends_within_seconds_with_the_default_limits(key):
    """One byte every five seconds (it once hung verify past 300 s): no option needed."""
    with Hostile() as server:
        server.serve_trickle(f"/{MANIFEST_NAME}", interval=5)
        started = time.monotonic()
        result = invoke_verify("--source", server.url, "--key", key[1])
        assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert "too slowly" in one_error_line(result)


def test_a_server_that_stalls_meets_the_read_timeout(key):
    with Hostile() as server:
        server.serve_stall(f"/{MANIFEST_NAME}")
        started = time.monotonic()
        with pytest.raises(VerifyError):
            verify_mirror(server.url, key[1], limits=Limits(read_timeout=1, stall_grace=60, deadline=120))
        assert time.monotonic() - started < 15


def test_a_trickling_mirror_through_invoke_ends_with_one_line(key):
    with Hostile() as server:
        server.serve_trickle(f"/{MANIFEST_NAME}", interval=5)
        started = time.monotonic()
        result = invoke_verify("--source", server.url, "--key", key[1], "--deadline", "3")
        assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert "deadline" in one_error_line(result)


def test_a_redirect_to_another_host_is_refused_and_one_on_the_host_followed(release, key):
    with Hostile() as server:
        server.serve_release(release)
        manifest = (release / MANIFEST_NAME).read_bytes()
        server.serve_bytes("/moved/manifest.json", manifest)
        server.serve_redirect(f"/{MANIFEST_NAME}", "/moved/manifest.json")
        assert verify_mirror(server.url, key[1], limits=FAST).ok
        server.serve_redirect(f"/{MANIFEST_NAME}", "http://localhost:9/press-manifest.json")
        with pytest.raises(VerifyError, match="redirect to another host refused"):
            verify_mirror(server.url, key[1], limits=FAST)


def test_a_nested_manifest_over_http_is_one_line(key):
    with Hostile() as server:
        server.serve_bytes(f"/{MANIFEST_NAME}", b"[" * 500_000)
        with pytest.raises(VerifyError, match="nested"):
            verify_mirror(server.url, key[1], allow_unsigned=True, limits=FAST)


def test_a_huge_file_is_hashed_as_it_streams_in_bounded_memory(tmp_path, key):
    """A 256 MB file listed in a signed manifest: verify's memory stays far below its size."""
    size, block = 256 << 20, bytes(range(256)) * 4096
    digest = hashlib.sha256()
    for _ in range(size // len(block)):
        digest.update(block)
    folder = tmp_path / "big"
    folder.mkdir()
    entry = {"path": "big.bin", "sha256": digest.hexdigest(), "size": size}
    (folder / MANIFEST_NAME).write_text(json.dumps({"files": [entry], "version": 1}), encoding="utf-8")
    sign_release(folder, key[0])

    with Hostile() as server:
        server.serve_release(folder)

        def big(handler):
            handler.send_response(200)
            handler.send_header("Content-Length", str(size))
            handler.end_headers()
            for _ in range(size // len(block)):
                handler.wfile.write(block)

        server.routes["/big.bin"] = big
        # in a process of its own, which reports its peak memory (kB) after verifying
        code = (
            "import resource, sys\n"
            "from deploy.verify import main\n"
            "status = main(sys.argv[1:])\n"
            "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
            "sys.exit(status)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, server.url, "--key", key[1]],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: all 1 files match the signed manifest" in result.stdout
    peak_kb = int(result.stdout.split("peak ")[-1])
    assert peak_kb < 150 * 1024, peak_kb


def test_the_check_before_publishing_refuses_links_and_special_files_in_the_output(tmp_path):
    from deploy.check import check_site

    site = make_site(tmp_path / "site")
    (site / "en/alias.html").symlink_to(site / "en/index.html")  # inside, but a link
    os.mkfifo(site / "en/pipe.html")  # read, it would block the check
    failures = {(f.file, f.message) for f in check_site(site, validate_html=False)}
    assert ("en/alias.html", "a symbolic link: a published site holds files, never links") in failures
    assert any(file == "en/pipe.html" and "not a regular file" in message for file, message in failures)


@pytest.mark.parametrize(
    "address", ["https://a..b/", "http://127.0.0.1:99999/", "http://:80/", "https://u@h.example/"]
)
def test_an_address_that_cannot_be_a_mirror_is_one_line(address, key, capsys):
    assert main([address, "--key", key[1], "--deadline", "5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1, captured.err
