"""The release manifest: every published file with its size and SHA-256.

One manifest serves two readers: the release tools (a release is switched to, or
rolled back onto, only when its files match it) and anyone verifying a copy or a
mirror of the site (the manifest is published at the site's root, and signed
when the press has a signing key; see ``deploy.signing``).

Format of ``press-manifest.json`` (UTF-8, keys sorted, one file per line so that
it diffs well)::

    {"files": [
      {"path": "en/index.html", "sha256": "…64 hex…", "size": 1234},
      …
    ], "version": 1}

Paths are relative to the site root, with ``/`` separators, sorted. The manifest
itself and its signature (``press-manifest.sig``) are not listed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from press.files import atomic_write

MANIFEST_NAME = "press-manifest.json"
SIGNATURE_NAME = "press-manifest.sig"
VERSION = 1
_NOT_LISTED = {MANIFEST_NAME, SIGNATURE_NAME}


class ManifestError(ValueError):
    """A manifest that cannot be read or is not in the expected format."""


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Difference:
    """One way a folder differs from its manifest: ``changed``, ``missing`` or ``added``."""

    kind: str
    path: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}"


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_folder(root: str | os.PathLike[str]) -> dict[str, Entry]:
    """Every regular file under ``root`` (symlinks are not followed), by relative path."""
    root = Path(root)
    entries: dict[str, Entry] = {}
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if relative in _NOT_LISTED or path.is_symlink():
                continue
            entries[relative] = Entry(relative, path.stat().st_size, sha256_file(path))
    return entries


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    lines = [
        json.dumps({"path": e.path, "sha256": e.sha256, "size": e.size}, sort_keys=True, ensure_ascii=False)
        for e in sorted(entries.values(), key=lambda e: e.path)
    ]
    body = ",\n".join(lines)
    return ('{"files": [\n' + body + "\n], " + f'"version": {VERSION}' + "}\n").encode("utf-8")


def write_manifest(root: str | os.PathLike[str]) -> Path:
    """Write ``press-manifest.json`` for every file under ``root``; return its path."""
    root = Path(root)
    target = root / MANIFEST_NAME
    atomic_write(target, manifest_bytes(scan_folder(root)))
    return target


def parse_manifest(data: bytes) -> dict[str, Entry]:
    """The entries of a manifest's bytes; ManifestError if it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("version") != VERSION:
            raise ManifestError(f"unknown manifest version {document.get('version')!r}")
        entries = {}
        for item in document["files"]:
            path, size, sha = item["path"], item["size"], item["sha256"]
            if not isinstance(path, str) or not isinstance(size, int) or not isinstance(sha, str):
                raise ManifestError(f"malformed entry {item!r}")
            if path.startswith("/") or ".." in path.split("/"):
                raise ManifestError(f"entry {path!r} leads outside the site")
            entries[path] = Entry(path, size, sha)
        return entries
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"not a press manifest ({error})") from None


def read_manifest(root: str | os.PathLike[str]) -> dict[str, Entry]:
    path = Path(root) / MANIFEST_NAME
    try:
        return parse_manifest(path.read_bytes())
    except FileNotFoundError:
        raise ManifestError(f"{path} does not exist") from None


def compare(expected: dict[str, Entry], actual: dict[str, Entry]) -> list[Difference]:
    """Every changed, missing and added file, sorted by path."""
    differences = [
        Difference("missing" if path not in actual else "changed", path)
        for path, entry in expected.items()
        if path not in actual or actual[path].sha256 != entry.sha256 or actual[path].size != entry.size
    ]
    differences += [Difference("added", path) for path in actual if path not in expected]
    return sorted(differences, key=lambda d: (d.path, d.kind))


def check_folder(root: str | os.PathLike[str]) -> list[Difference]:
    """How the folder differs from its own manifest (ManifestError when it has none)."""
    return compare(read_manifest(root), scan_folder(root))
