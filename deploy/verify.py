"""Verify a copy of the site: a folder on disk, or a mirror over HTTP(S).

``invoke verify --source PATH_OR_URL [--key BASE64]`` (or ``python -m deploy.verify
PATH_OR_URL``) reads the copy's ``press-manifest.json`` and ``press-manifest.sig``,
checks the signature against the press's public key (``--key``, ``--key-file``,
else ``PRESS_SIGNING_PUBLIC_KEY`` in the settings), then checks every file the
manifest lists and names each one that is changed or missing, and, for a folder,
each one that was added, and each symbolic link or special file (never followed).
Over HTTP a server cannot be asked for the files it has, so added files cannot be
listed: the report says so.

Only what can be authenticated passes: without a key, verify stops with one line
saying how to give one; an unsigned manifest, or one whose signature is not the
press's, fails and no file is even fetched.  ``--allow-unsigned`` compares the files
with an unsigned manifest (or without a key) anyway, and then the first line of the
output says that nothing was authenticated.  A bad signature always fails.

Over HTTP a hostile server cannot exhaust the verifier: only the address the user
names is contacted (a redirect to another scheme, host or port is refused); the
manifest is read up to :data:`~deploy.manifest.MANIFEST_LIMIT` bytes, the signature
up to :data:`SIGNATURE_LIMIT`, and a file up to the size its manifest entry gives
(a larger one stops there and is ``changed``); files are hashed as they stream, never
held whole; connecting and every read have timeouts, a response that trickles (less
than :data:`MIN_RATE` bytes a second once :data:`STALL_GRACE` has passed) is dropped,
and the whole verification has a deadline (``--deadline``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from deploy.manifest import (
    MANIFEST_LIMIT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Difference,
    Entry,
    ManifestError,
    compare_folder,
    parse_manifest,
    printable,
    read_small_file,
)
from deploy.signing import SigningError, decode_public_key, fingerprint, read_key_file, verify_signature

CONNECT_TIMEOUT = 15  # seconds to connect (TLS included)
READ_TIMEOUT = 30  # seconds one read may wait
STALL_GRACE = 15  # seconds a response may take before MIN_RATE applies
MIN_RATE = 1024  # bytes a second a response must average once STALL_GRACE has passed
DEADLINE = 1800  # seconds for the whole verification of a mirror
SIGNATURE_LIMIT = 4096  # a signature line is 97 bytes
REDIRECTS = 5
WORKERS = 8
CHUNK = 1 << 16
_POLL = 0.1  # how often the watchdog looks at the open downloads
_REDIRECT_CODES = {301, 302, 303, 307, 308}

NO_KEY = (
    "no public key to check the signature with: pass --key BASE64 (the press's public key, "
    "PRESS_SIGNING_PUBLIC_KEY in its pelicanconf.py, as the press gave it to you by a channel you trust), "
    "--key-file FILE (a press-signing-key.pub you trust), or set PRESS_SIGNING_PUBLIC_KEY in the "
    "settings; --allow-unsigned compares the files without authenticating anything"
)


class VerifyError(Exception):
    """The copy could not be checked at all (no key, no manifest, unreachable); the message says why."""


@dataclass(frozen=True)
class Limits:
    """How much a mirror may cost: time and bytes (see the module's description)."""

    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    stall_grace: float = STALL_GRACE
    min_rate: float = MIN_RATE
    deadline: float = DEADLINE
    manifest_bytes: int = MANIFEST_LIMIT


@dataclass
class Verdict:
    source: str
    differences: list[Difference] = field(default_factory=list)
    signature: str = ""  # what was proven about the manifest's origin
    signature_ok: bool = False
    refused: str = ""  # why the files were not checked at all (an unsigned or forged manifest)
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def authenticated(self) -> bool:
        return self.signature_ok

    @property
    def ok(self) -> bool:
        return not self.refused and not self.differences

    def lines(self) -> list[str]:
        if self.refused:
            # nothing was checked: one line, as every task says why it could not do what was asked
            return [f"FAILED: {self.source}: {self.signature}; {self.refused}"]
        lines = []
        if not self.signature_ok:
            lines.append(
                "NOT AUTHENTICATED: nothing was authenticated (--allow-unsigned): the files are only "
                "compared with a manifest that anyone could have written"
            )
        lines.append(f"{self.source}: {self.signature}")
        lines += [str(difference) for difference in self.differences]
        lines += self.notes
        manifest = "signed" if self.signature_ok else "UNAUTHENTICATED"
        if self.ok:
            lines.append(f"OK: all {self.checked} files match the {manifest} manifest")
        else:
            lines.append(f"FAILED: {len(self.differences)} difference(s) from the {manifest} manifest")
        return lines


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in {"http", "https"}


def resolve_public_key(
    key: str | None = None, key_file: str | os.PathLike[str] | None = None, settings_key: str | None = None
) -> str:
    """The public key to check with, from ``--key``, else ``--key-file``, else the settings; "" if none.

    VerifyError (one line) for a malformed key, naming where it came from.
    """
    if key is not None and key_file:
        raise VerifyError("give the public key once: --key or --key-file, not both")
    if key is not None:
        where, text = "--key", key
    elif key_file:
        try:
            where, text = f"--key-file {key_file}", read_key_file(key_file, "a public key file")
        except SigningError as error:
            raise VerifyError(str(error)) from None
    elif settings_key:
        where, text = "PRESS_SIGNING_PUBLIC_KEY in the settings", settings_key
    else:
        return ""
    try:
        decode_public_key(text)
    except SigningError:
        shown = repr(text) if len(repr(text)) <= 60 else repr(text)[:59] + "…"
        raise VerifyError(
            f"the key given with {where} ({printable(shown)}) is malformed: an Ed25519 public key is "
            "32 bytes in base64, 44 characters ending in '=' (as 'invoke signing-key' prints it)"
        ) from None
    return text.strip()


def check_manifest_signature(
    verdict: Verdict, manifest: bytes, signature: bytes | None, public_key: str, allow_unsigned: bool
) -> None:
    """Say what the signature proves; set ``verdict.refused`` when the files must not be checked."""
    if not public_key:
        verdict.signature = "signature NOT checked: no public key was given"
        return
    if signature is None:
        verdict.signature = f"UNSIGNED: the copy has no {SIGNATURE_NAME}"
        if not allow_unsigned:
            verdict.refused = (
                "the manifest is not signed, so nothing can be authenticated and no file was checked "
                "(--allow-unsigned compares the files with it anyway)"
            )
        return
    try:
        verify_signature(manifest, signature, public_key)
    except SigningError as error:
        verdict.signature = f"BAD SIGNATURE: {error}"
        verdict.refused = "the manifest's signature is not the press's: no file was checked"
        return
    verdict.signature = f"manifest signed by the press (key {fingerprint(public_key)})"
    verdict.signature_ok = True


def _read_copy_file(path: Path, limit: int, what: str) -> bytes | None:
    """A manifest or signature of a folder: None if absent; never through a link, never unbounded."""
    try:
        return read_small_file(path, limit)
    except FileNotFoundError:
        return None
    except ManifestError:
        raise VerifyError(f"{path} is larger than {limit} bytes: it is not {what}") from None
    except OSError as error:
        if path.is_symlink():
            raise VerifyError(
                f"{path} is a symbolic link: a copy's {what} is a file; this copy is altered"
            ) from None
        raise VerifyError(
            f"{path} cannot be read ({error.strerror or error}): is this a copy of the site?"
        ) from None


def verify_folder(
    folder: str | Path, public_key: str, *, allow_unsigned: bool = False, limits: Limits | None = None
) -> Verdict:
    limits = limits or Limits()
    folder = Path(folder)
    verdict = Verdict(str(folder))
    if not folder.is_dir():
        raise VerifyError(f"{folder} is not a folder: give a copied folder of the site or a mirror's address")
    manifest = _read_copy_file(folder / MANIFEST_NAME, limits.manifest_bytes, "the press's manifest")
    if manifest is None:
        raise VerifyError(
            f"{folder / MANIFEST_NAME} cannot be read (it does not exist): is this a copy of the site?"
        )
    signature = _read_copy_file(folder / SIGNATURE_NAME, SIGNATURE_LIMIT, "a press signature")
    check_manifest_signature(verdict, manifest, signature, public_key, allow_unsigned)
    if verdict.refused:
        return verdict
    try:
        expected = parse_manifest(manifest)
    except ManifestError as error:
        raise VerifyError(f"{folder / MANIFEST_NAME}: {error}") from None
    verdict.differences = compare_folder(folder, expected)
    verdict.checked = len(expected)
    return verdict


class _Download:
    """One response being read: what the watchdog needs to end it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.started = time.monotonic()
        self.received = 0
        self.sock: socket.socket | None = None
        self.reason: str | None = None  # why the watchdog ended it

    def end(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        sock = self.sock
        if sock is not None:
            # shutdown (not close) wakes a read blocked in another thread at once
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """Ends every download at the deadline, and each one that stalls or trickles."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.deadline
        self.downloads: set[_Download] = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ended: str | None = None  # set once: every later download fails at once
        self.thread = threading.Thread(target=self._watch, name="verify-watchdog", daemon=True)

    def __enter__(self) -> _Watchdog:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self, url: str) -> None:
        if self.ended:
            raise VerifyError(self.ended)
        if self.remaining() <= 0:
            raise VerifyError(self._deadline_message(url))

    def _deadline_message(self, url: str) -> str:
        return (
            f"{url}: the deadline of {self.limits.deadline:g} s for the whole verification passed "
            "(the server is slow or stalls; --deadline SECONDS gives more time)"
        )

    @contextlib.contextmanager
    def watching(self, download: _Download):
        with self.lock:
            self.downloads.add(download)
        try:
            yield download
        finally:
            with self.lock:
                self.downloads.discard(download)

    def end_all(self, reason: str) -> None:
        self.ended = self.ended or reason
        with self.lock:
            downloads = list(self.downloads)
        for download in downloads:
            download.end(reason)

    def _watch(self) -> None:
        limits = self.limits
        while not self.stopped.wait(_POLL):
            now = time.monotonic()
            with self.lock:
                downloads = list(self.downloads)
            for download in downloads:
                elapsed = now - download.started
                if now >= self.deadline:
                    download.end(self._deadline_message(download.url))
                elif elapsed > limits.stall_grace and download.received < limits.min_rate * elapsed:
                    download.end(
                        f"{download.url}: the server sends too slowly ({download.received} bytes in "
                        f"{elapsed:.0f} s, fewer than {limits.min_rate:g} a second): it stalls or trickles"
                    )


class Mirror:
    """A mirror's address; :meth:`get` streams one of its files within the limits."""

    def __init__(self, base: str, limits: Limits, watchdog: _Watchdog) -> None:
        parts = urllib.parse.urlsplit(base)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise VerifyError(f"{printable(base)} is not an http(s) address of a mirror")
        if parts.username is not None or parts.query or parts.fragment:
            raise VerifyError(
                f"{printable(base)}: give the mirror's address without a user, query or fragment"
            )
        self.scheme = parts.scheme
        try:  # an international host name goes on the wire in its ASCII (punycode) form
            self.host = parts.hostname if parts.hostname.isascii() else parts.hostname.encode("idna").decode()
        except UnicodeError:
            raise VerifyError(f"{printable(base)}: the host name is not a valid one") from None
        self.port = port or (443 if parts.scheme == "https" else 80)
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        netloc = f"[{self.host}]" if ":" in self.host else self.host
        netloc += f":{port}" if port else ""
        self.base = urllib.parse.urlunsplit(
            (parts.scheme, netloc, urllib.parse.quote(path, safe="/%"), "", "")
        )
        self.limits = limits
        self.watchdog = watchdog
        self.context = ssl.create_default_context() if parts.scheme == "https" else None
        self.local = threading.local()  # each worker's kept-alive connection

    def url(self, path: str) -> str:
        return self.base + urllib.parse.quote(path)

    def _same_origin(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            host = (parts.hostname or "").encode("idna").decode()
        except (ValueError, UnicodeError):
            return False
        return (parts.scheme, host, port) == (self.scheme, self.host, self.port)

    def _connection(self, download: _Download) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's open connection (reused: True), or a new one."""
        kept = getattr(self.local, "connection", None)
        if kept is not None and kept.sock is not None:
            self.local.connection = None
            return kept, True
        timeout = max(0.1, min(self.limits.connect_timeout, self.watchdog.remaining()))
        if self.context is not None:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=self.context
            )
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.connect()
        except (OSError, http.client.HTTPException, UnicodeError) as error:  # UnicodeError: a bad host
            connection.close()
            if download.reason or self.watchdog.ended:
                raise VerifyError(download.reason or self.watchdog.ended) from None
            raise VerifyError(f"{download.url} cannot be reached: {printable(str(error))}") from None
        connection.sock.settimeout(self.limits.read_timeout)
        return connection, False

    def _response(self, download: _Download, target: str) -> tuple[http.client.HTTPConnection, object]:
        headers = {"Accept-Encoding": "identity", "User-Agent": "press-verify"}
        for attempt in (1, 2):
            connection, reused = self._connection(download)
            download.sock = connection.sock
            try:
                connection.request("GET", target, headers=headers)
                return connection, connection.getresponse()
            except (OSError, http.client.HTTPException, UnicodeError) as error:
                connection.close()
                if download.reason:
                    raise VerifyError(download.reason) from None
                if reused and attempt == 1:
                    continue  # the server closed a kept-alive connection: once more, anew
                raise VerifyError(
                    f"{download.url}: the connection failed ({printable(str(error))})"
                ) from None
        raise AssertionError("unreachable")

    def get(self, path: str, limit: int, sink) -> int | None:
        """Stream the file at ``path`` into ``sink`` (at most ``limit + 1`` bytes); return how many
        bytes came (``limit + 1``: the file is larger than ``limit``), or None (404, 410)."""
        url = self.url(path)
        for _ in range(REDIRECTS + 1):
            self.watchdog.check(url)
            download = _Download(url)
            with self.watchdog.watching(download):
                target = urllib.parse.urlsplit(url)
                connection, response = self._response(
                    download, target.path + (f"?{target.query}" if target.query else "")
                )
                status = response.status
                if status in _REDIRECT_CODES:
                    location = response.getheader("Location") or ""
                    connection.close()
                    following = urllib.parse.urljoin(url, location.strip())
                    if not location or not self._same_origin(following):
                        raise VerifyError(
                            f"{url}: redirect to another host refused "
                            f"({printable(location) or 'no Location'})"
                        )
                    url = following
                    continue
                if status in (404, 410):
                    connection.close()
                    return None
                if status != 200:
                    connection.close()
                    raise VerifyError(f"{url}: HTTP {status} {printable(response.reason or '')}")
                return self._read(connection, response, download, limit, sink)
        raise VerifyError(f"{self.url(path)}: more than {REDIRECTS} redirects")

    def _read(self, connection, response, download: _Download, limit: int, sink) -> int:
        length = response.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > limit:
            connection.close()  # larger than allowed: not a byte of it is read
            return limit + 1
        count = 0
        try:
            while count <= limit:
                chunk = response.read1(min(CHUNK, limit + 1 - count))
                if not chunk:
                    break
                count += len(chunk)
                download.received = count
                sink(chunk)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            if download.reason:
                raise VerifyError(download.reason) from None
            raise VerifyError(f"{download.url}: the connection broke ({printable(str(error))})") from None
        if download.reason:
            connection.close()
            raise VerifyError(download.reason)
        whole = response.isclosed() or response.length == 0
        if count <= limit and whole and not response.will_close:
            response.close()
            self.local.connection = connection  # kept alive for this thread's next file
        else:
            connection.close()
        return count


def _check_file(mirror: Mirror, entry: Entry) -> Difference | None:
    digest = hashlib.sha256()
    count = mirror.get(entry.path, entry.size, digest.update)
    if count is None:
        return Difference("missing", entry.path)
    if count > entry.size:
        detail = f"larger than the {entry.size} bytes its manifest entry gives; the download stopped there"
        return Difference("changed", entry.path, detail)
    if count != entry.size:
        return Difference("changed", entry.path, f"{count} bytes, its manifest entry gives {entry.size}")
    if digest.hexdigest() != entry.sha256:
        return Difference("changed", entry.path)
    return None


def _check_files(mirror: Mirror, entries: list[Entry]) -> list[Difference]:
    """Every difference, by WORKERS threads taking the entries in turn (no queue of futures)."""
    pending = iter(entries)
    lock = threading.Lock()
    differences: list[Difference] = []
    failures: list[BaseException] = []

    def work() -> None:
        while True:
            with lock:
                entry = None if failures else next(pending, None)
            if entry is None:
                return
            try:
                difference = _check_file(mirror, entry)
            except BaseException as error:  # the first one ends the run: every download stops
                with lock:
                    failures.append(error)
                mirror.watchdog.end_all(str(error) or "verification stopped")
                return
            if difference is not None:
                with lock:
                    differences.append(difference)

    workers = [
        threading.Thread(target=work, name=f"verify-{n}", daemon=True)
        for n in range(min(WORKERS, len(entries)))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    return sorted(differences, key=lambda difference: (difference.path, difference.kind))


def verify_mirror(
    base: str, public_key: str, *, allow_unsigned: bool = False, limits: Limits | None = None
) -> Verdict:
    limits = limits or Limits()
    with _Watchdog(limits) as watchdog:
        mirror = Mirror(base, limits, watchdog)
        verdict = Verdict(mirror.base)
        manifest = bytearray()
        count = mirror.get(MANIFEST_NAME, limits.manifest_bytes, manifest.extend)
        if count is None:
            raise VerifyError(f"{mirror.url(MANIFEST_NAME)} does not exist: is this a mirror of the site?")
        if count > limits.manifest_bytes:
            raise VerifyError(
                f"{mirror.url(MANIFEST_NAME)} is larger than {limits.manifest_bytes} bytes: "
                "not a press manifest (verify reads no more)"
            )
        received = bytes(manifest)
        del manifest
        signature = bytearray()
        found = mirror.get(SIGNATURE_NAME, SIGNATURE_LIMIT, signature.extend)
        if found is not None and found > SIGNATURE_LIMIT:
            signature = bytearray(b"larger than a press signature")
        check_manifest_signature(
            verdict, received, None if found is None else bytes(signature), public_key, allow_unsigned
        )
        if verdict.refused:
            return verdict  # not one file of an unauthenticated mirror is fetched
        try:
            expected = parse_manifest(received)
        except ManifestError as error:
            raise VerifyError(f"{mirror.url(MANIFEST_NAME)}: {error}") from None
        del received
        found_differences = _check_files(mirror, sorted(expected.values(), key=lambda entry: entry.path))
    verdict.differences = found_differences
    verdict.checked = len(expected)
    verdict.notes.append(
        "note: over HTTP, files the mirror added beside the published ones cannot be listed "
        "(a web server does not list its files); verify a downloaded copy of the folder for that"
    )
    return verdict


def verify(
    source: str, public_key: str, *, allow_unsigned: bool = False, limits: Limits | None = None
) -> Verdict:
    """Check ``source`` (a folder or an http(s) address) against its manifest, signed by ``public_key``.

    VerifyError when it cannot be checked at all, among others without a key
    (unless ``allow_unsigned``).
    """
    if public_key:
        public_key = resolve_public_key(public_key)
    elif not allow_unsigned:
        raise VerifyError(NO_KEY)
    check = verify_mirror if is_url(source) else verify_folder
    return check(source, public_key, allow_unsigned=allow_unsigned, limits=limits)


def run(
    source: str,
    *,
    key: str | None = None,
    key_file: str | None = None,
    settings_key=None,
    allow_unsigned: bool = False,
    limits: Limits | None = None,
) -> int:
    """What ``invoke verify`` and ``python -m deploy.verify`` do: print the verdict; 0, 1 or 2.

    ``settings_key``: a function giving the settings' public key, called only when
    neither ``key`` nor ``key_file`` is given.
    """
    try:
        public_key = resolve_public_key(key, key_file)
        if not public_key and settings_key is not None:
            public_key = resolve_public_key(settings_key=settings_key())
        verdict = verify(source, public_key, allow_unsigned=allow_unsigned, limits=limits)
    except VerifyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError, http.client.HTTPException) as error:  # what no check above foresaw
        reason = printable(str(error) or type(error).__name__)
        print(f"error: {printable(source)} could not be verified: {reason}", file=sys.stderr)
        return 2
    print("\n".join(verdict.lines()), flush=True)
    return 0 if verdict.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", help="a copied folder of the site, or a mirror's address")
    parser.add_argument("--source", dest="source_option", help="the same, as an option")
    parser.add_argument("--key", help="the press's public key (base64)")
    parser.add_argument("--key-file", help="a file holding the press's public key (press-signing-key.pub)")
    parser.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="compare the files with an unsigned manifest, or without a key (authenticates nothing)",
    )
    parser.add_argument("--deadline", type=float, default=DEADLINE, help="seconds for a whole mirror")
    parser.add_argument("--timeout", type=float, default=READ_TIMEOUT, help="seconds one read may wait")
    arguments = parser.parse_args(argv)
    source = arguments.source_option or arguments.source
    if not source:
        parser.error("say what to verify: a folder or an https:// address")
    limits = Limits(read_timeout=arguments.timeout, deadline=arguments.deadline)
    return run(
        source,
        key=arguments.key,
        key_file=arguments.key_file,
        allow_unsigned=arguments.allow_unsigned,
        limits=limits,
    )


if __name__ == "__main__":
    sys.exit(main())
