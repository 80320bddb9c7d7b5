"""Verify a copy of the site: a folder on disk, or a mirror over HTTP(S).

``invoke verify PATH_OR_URL`` (or ``python -m deploy.verify PATH_OR_URL``)
reads the copy's ``press-manifest.json`` and ``press-manifest.sig``, checks the
signature against the press's public key (``PRESS_SIGNING_PUBLIC_KEY`` in the
settings, or ``--key``), then checks every file the manifest lists and names
each one that is changed or missing, and, for a folder, each one that was
added.  Over HTTP a server cannot be asked for the files it has, so added files
cannot be listed: the report says so.

Only the address the user names is contacted: redirects to any other host are
refused, and nothing else is fetched.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploy.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Difference,
    ManifestError,
    compare,
    parse_manifest,
    scan_folder,
)
from deploy.signing import SigningError, fingerprint, verify_signature

TIMEOUT = 30
WORKERS = 8


class VerifyError(Exception):
    """The copy could not be checked at all (no manifest, unreachable); the message says why."""


@dataclass
class Verdict:
    source: str
    differences: list[Difference] = field(default_factory=list)
    signature: str = ""  # what was proven about the manifest's origin
    signature_ok: bool = False
    notes: list[str] = field(default_factory=list)
    checked: int = 0
    keyed: bool = True  # a public key was given: then the signature must be valid

    @property
    def ok(self) -> bool:
        return (self.signature_ok or not self.keyed) and not self.differences

    def lines(self) -> list[str]:
        lines = [f"{self.source}: {self.signature}"]
        lines += [str(difference) for difference in self.differences]
        lines += self.notes
        if self.ok:
            signed = "signed" if self.signature_ok else "UNAUTHENTICATED"
            lines.append(f"OK: all {self.checked} files match the {signed} manifest")
        else:
            count = len(self.differences)
            valid = self.signature_ok or not self.keyed
            tail = "" if valid else "; the signature is not valid"
            lines.append(f"FAILED: {count} file(s) differ{tail}")
        return lines


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in {"http", "https"}


def check_manifest_signature(
    verdict: Verdict, manifest: bytes, signature: bytes | None, public_key: str
) -> None:
    if not public_key:
        verdict.keyed = False
        verdict.signature = (
            "signature NOT checked: no public key (set PRESS_SIGNING_PUBLIC_KEY or pass --key)"
        )
        return
    if signature is None:
        verdict.signature = f"UNSIGNED: the copy has no {SIGNATURE_NAME}"
        return
    try:
        verify_signature(manifest, signature, public_key)
    except SigningError as error:
        verdict.signature = f"BAD SIGNATURE: {error}"
        return
    verdict.signature = f"manifest signed by the press (key {fingerprint(public_key)})"
    verdict.signature_ok = True


def verify_folder(folder: str | Path, public_key: str) -> Verdict:
    folder = Path(folder)
    verdict = Verdict(str(folder))
    try:
        manifest = (folder / MANIFEST_NAME).read_bytes()
    except OSError as error:
        raise VerifyError(
            f"{folder / MANIFEST_NAME} cannot be read ({error.strerror}): is this a copy of the site?"
        ) from None
    signature_path = folder / SIGNATURE_NAME
    signature = signature_path.read_bytes() if signature_path.is_file() else None
    check_manifest_signature(verdict, manifest, signature, public_key)
    try:
        expected = parse_manifest(manifest)
    except ManifestError as error:
        raise VerifyError(f"{folder / MANIFEST_NAME}: {error}") from None
    verdict.differences = compare(expected, scan_folder(folder))
    verdict.checked = len(expected)
    return verdict


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the scheme and host the user named."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.origin = (parts.scheme, parts.netloc)

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parts = urllib.parse.urlsplit(newurl)
        if (parts.scheme, parts.netloc) != self.origin:
            refused = f"redirect to another host refused: {newurl}"
            raise urllib.error.HTTPError(newurl, code, refused, headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Mirror:
    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.opener = urllib.request.build_opener(_SameHostRedirects(self.base))

    def url(self, path: str) -> str:
        return self.base + urllib.parse.quote(path)

    def get(self, path: str) -> bytes | None:
        """The file's bytes, None if the mirror does not have it (404/410)."""
        request = urllib.request.Request(
            self.url(path), headers={"Accept-Encoding": "identity", "User-Agent": "press-verify"}
        )
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                return None
            raise VerifyError(f"{self.url(path)}: HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise VerifyError(f"{self.url(path)} cannot be reached: {reason}") from None


def verify_mirror(base: str, public_key: str) -> Verdict:
    mirror = Mirror(base)
    verdict = Verdict(mirror.base)
    manifest = mirror.get(MANIFEST_NAME)
    if manifest is None:
        raise VerifyError(f"{mirror.url(MANIFEST_NAME)} does not exist: is this a mirror of the site?")
    check_manifest_signature(verdict, manifest, mirror.get(SIGNATURE_NAME), public_key)
    try:
        expected = parse_manifest(manifest)
    except ManifestError as error:
        raise VerifyError(f"{mirror.url(MANIFEST_NAME)}: {error}") from None

    def check(entry) -> Difference | None:
        data = mirror.get(entry.path)
        if data is None:
            return Difference("missing", entry.path)
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            return Difference("changed", entry.path)
        return None

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        found = list(pool.map(check, sorted(expected.values(), key=lambda entry: entry.path)))
    verdict.differences = [difference for difference in found if difference]
    verdict.checked = len(expected)
    verdict.notes.append(
        "note: over HTTP, files the mirror added beside the published ones cannot be listed "
        "(a web server does not list its files); verify a downloaded copy of the folder for that"
    )
    return verdict


def verify(source: str, public_key: str) -> Verdict:
    return verify_mirror(source, public_key) if is_url(source) else verify_folder(source, public_key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a copied folder of the site, or a mirror's address (https://…/)")
    parser.add_argument("--key", default="", help="the press's public key (base64); default: the settings'")
    arguments = parser.parse_args(argv)
    try:
        verdict = verify(arguments.source, arguments.key)
    except VerifyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(verdict.lines()))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
