"""The release's checksum list, for readers who check a copy with common tools.

``press-manifest.json`` (:mod:`deploy.manifest`) and its signature line
``press-manifest.sig`` are read by the press's own ``invoke verify``.  A reader
without the project checks a copy with OpenSSL 3 and ``sha256sum`` instead, so
the publishing step also writes, before the manifest:

- ``press-manifest.sha256``: every file of the release (the ``.gz`` copies
  included; the manifest, its signature and these two files left out) in
  ``sha256sum``'s format, ``<64 hex>  <path>`` per line, sorted by path;
- ``press-manifest.sha256.sig``: when the release is signed, the Ed25519
  signature of exactly those bytes, as the 64 raw bytes that
  ``openssl pkeyutl -verify -rawin -sigfile`` reads.

The chain a reader follows: the signature proves the list is the press's
(``openssl pkeyutl -verify -pubin -inkey press-signing-key.pem -rawin -in
press-manifest.sha256 -sigfile press-manifest.sha256.sig``), then ``sha256sum -c
press-manifest.sha256`` proves every listed file.  Both files are written just before
the manifest, as regular files of the release, so the signed manifest lists them too and
``invoke verify`` checks them.
"""

from __future__ import annotations

import os
from pathlib import Path

from deploy.manifest import Entry, scan_folder
from deploy.signing import load_signing_key, raw_signature
from press.files import atomic_write

CHECKSUMS_NAME = "press-manifest.sha256"
CHECKSUMS_SIGNATURE_NAME = "press-manifest.sha256.sig"


def checksum_line(entry: Entry) -> str:
    """``entry`` as GNU sha256sum writes it (a name with a backslash or a newline escaped)."""
    if "\\" in entry.path or "\n" in entry.path:
        escaped = entry.path.replace("\\", "\\\\").replace("\n", "\\n")
        return f"\\{entry.sha256}  {escaped}\n"
    return f"{entry.sha256}  {entry.path}\n"


def checksums_bytes(entries: dict[str, Entry]) -> bytes:
    return "".join(checksum_line(entries[path]) for path in sorted(entries)).encode("utf-8")


def write_checksums(root: str | os.PathLike[str], signing_key: str | os.PathLike[str] | None = None) -> Path:
    """Write the checksum list of every file under ``root`` (and, with the key file
    ``signing_key``, its raw signature); return the list's path.

    Called just before :func:`deploy.manifest.write_manifest`, so that the manifest lists both.
    """
    root = Path(root)
    for name in (CHECKSUMS_NAME, CHECKSUMS_SIGNATURE_NAME):  # never list a list of an earlier run
        (root / name).unlink(missing_ok=True)
    listing = checksums_bytes(scan_folder(root))
    target = root / CHECKSUMS_NAME
    atomic_write(target, listing)
    if signing_key:
        atomic_write(root / CHECKSUMS_SIGNATURE_NAME, raw_signature(listing, load_signing_key(signing_key)))
    return target
