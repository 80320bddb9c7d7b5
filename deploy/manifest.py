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
itself and its signature (``press-manifest.sig``) are not listed.  Anything else
(another key, a nested value, a path with ``..``, a size that is not a whole
number, a digest that is not 64 hex digits, a path listed twice) is not a
manifest: :func:`parse_manifest` says so in one line.

A copy holds regular files only: a symbolic link (to a file or a folder) or a
special file (a FIFO, a device) is never followed or read, and is named as a
difference (``symlink: …``, ``special: …``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from press.files import atomic_write

MANIFEST_NAME = "press-manifest.json"
SIGNATURE_NAME = "press-manifest.sig"
VERSION = 1
_NOT_LISTED = {MANIFEST_NAME, SIGNATURE_NAME}
#: The largest manifest read (a site of 100,000 files writes about 12 MB).
MANIFEST_LIMIT = 64 << 20


class ManifestError(ValueError):
    """A manifest that cannot be read or is not in the expected format."""


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Difference:
    """One way a folder differs from its manifest: ``changed``, ``missing``, ``added``, ``symlink``
    (a symbolic link, never followed) or ``special`` (a FIFO, socket or device, never read)."""

    kind: str
    path: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {printable(self.path)}" + (f" ({self.detail})" if self.detail else "")


# Never printed as they are: control characters (a terminal obeys escape sequences), bytes that
# are not UTF-8 (surrogates: printing them fails) and the marks that reorder text on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on (or fail on) written as an escape."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def open_regular(path: str | os.PathLike[str], *, follow_links: bool = False) -> int:
    """A descriptor of the regular file ``path``; OSError for a special file, and for a symbolic
    link unless ``follow_links`` (a key file the user names may be one; a copy's file may not)."""
    # O_NOFOLLOW: never through a link; O_NONBLOCK: opening a FIFO does not wait for a writer.
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    descriptor = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(f"{path} is not a regular file")
    return descriptor


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_small_file(path: str | os.PathLike[str], limit: int, *, follow_links: bool = False) -> bytes:
    """The bytes of the regular file ``path``, ManifestError if larger than ``limit``."""
    with os.fdopen(open_regular(path, follow_links=follow_links), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ManifestError(f"{path} is larger than {limit} bytes")
    return data


def _walk(root: Path):
    """(relative path, os.stat_result) of everything under ``root``, never following a link."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            path = Path(folder) / name
            info = path.lstat()
            if name in dirs and stat.S_ISDIR(info.st_mode):
                continue  # os.walk goes into it
            yield path.relative_to(root).as_posix(), info


def _odd_file(relative: str, info: os.stat_result) -> Difference | None:
    if stat.S_ISLNK(info.st_mode):
        return Difference("symlink", relative, "a symbolic link; a copy holds files, never links")
    if not stat.S_ISREG(info.st_mode):
        return Difference("special", relative, "not a regular file")
    return None


def scan_folder(root: str | os.PathLike[str]) -> dict[str, Entry]:
    """Every regular file under ``root`` (links and special files left out), by relative path."""
    root = Path(root)
    entries: dict[str, Entry] = {}
    for relative, info in _walk(root):
        if relative in _NOT_LISTED or _odd_file(relative, info):
            continue
        entries[relative] = Entry(relative, info.st_size, sha256_file(root / relative))
    return entries


def compare_folder(root: str | os.PathLike[str], expected: dict[str, Entry]) -> list[Difference]:
    """How the files under ``root`` differ from ``expected``, sorted by path.

    A symbolic link or a special file is named (``symlink``, ``special``), never
    followed or read, also where the manifest lists a file (it replaced that file)
    or a folder (the files under a linked folder are not listed again as missing).
    Only a file whose size matches its entry is read, so a huge added file costs a stat.
    """
    root = Path(root)
    differences: list[Difference] = []
    seen: set[str] = set()
    replaced: list[str] = []  # folders replaced by a link: what the manifest lists under them
    for relative, info in _walk(root):
        if relative in _NOT_LISTED:
            continue
        odd = _odd_file(relative, info)
        if odd is not None:
            if relative in expected:
                odd = Difference(odd.kind, relative, f"{odd.detail}, where the site has a file")
            elif any(path.startswith(relative + "/") for path in expected):
                replaced.append(relative + "/")
                odd = Difference(odd.kind, relative, f"{odd.detail}, where the site has a folder")
            seen.add(relative)
            differences.append(odd)
            continue
        entry = expected.get(relative)
        if entry is None:
            differences.append(Difference("added", relative))
            continue
        seen.add(relative)
        try:
            same = info.st_size == entry.size and sha256_file(root / relative) == entry.sha256
        except OSError:  # replaced or removed while being read
            same = False
        if not same:
            differences.append(Difference("changed", relative))
    prefixes = tuple(replaced)
    differences += [
        Difference("missing", path)
        for path in expected
        if path not in seen and not (prefixes and path.startswith(prefixes))
    ]
    return sorted(differences, key=lambda d: (d.path, d.kind))


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


SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
SHAPE = '{"files": [{"path": …, "sha256": …, "size": …}, …], "version": 1}'


def _shown(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry(item: object) -> Entry:
    if not isinstance(item, dict) or set(item) != {"path", "sha256", "size"}:
        raise ManifestError(f"entry {_shown(item)} is not {{'path': …, 'sha256': …, 'size': …}}")
    path, size, sha = item["path"], item["size"], item["sha256"]
    if not isinstance(path, str) or not path or _CONTROL.search(path):
        raise ManifestError(f"entry path {_shown(path)} is not a file's path")
    parts = path.split("/")
    if path.startswith("/") or any(part in ("", ".", "..") for part in parts) or path in _NOT_LISTED:
        raise ManifestError(f"entry {_shown(path)} leads outside the site or is not a file of it")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ManifestError(f"entry {_shown(path)} has a size {_shown(size)} that is not a whole number")
    if not isinstance(sha, str) or not SHA256_HEX.fullmatch(sha):
        raise ManifestError(f"entry {_shown(path)} has a sha256 that is not 64 lowercase hex digits")
    return Entry(path, size, sha)


def parse_manifest(data: bytes) -> dict[str, Entry]:
    """The entries of a manifest's bytes; ManifestError (one line) if it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ManifestError(f"not a press manifest: nested far deeper than {SHAPE}") from None
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError, an int of 5000 digits
        raise ManifestError(f"not a press manifest: not UTF-8 JSON ({_shown(str(error), 100)})") from None
    if not isinstance(document, dict) or set(document) != {"files", "version"}:
        raise ManifestError(f"not a press manifest: expected {SHAPE}")
    if document["version"] != VERSION or isinstance(document["version"], bool):
        raise ManifestError(f"unknown manifest version {_shown(document['version'])} (this tool reads 1)")
    if not isinstance(document["files"], list):
        raise ManifestError(f"not a press manifest: 'files' is not a list ({SHAPE})")
    entries: dict[str, Entry] = {}
    for item in document["files"]:
        entry = _entry(item)
        if entry.path in entries:
            raise ManifestError(f"entry {_shown(entry.path)} is listed twice")
        entries[entry.path] = entry
    return entries


def read_manifest(root: str | os.PathLike[str], limit: int | None = None) -> dict[str, Entry]:
    path = Path(root) / MANIFEST_NAME
    try:
        return parse_manifest(read_small_file(path, limit or MANIFEST_LIMIT))
    except FileNotFoundError:
        raise ManifestError(f"{path} does not exist") from None
    except OSError as error:
        raise ManifestError(f"{path} cannot be read ({error.strerror or error})") from None


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
    return compare_folder(root, read_manifest(root))
