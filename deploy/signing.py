"""The press's signature on its release manifest (Ed25519, with PyNaCl).

The publishing step writes ``press-manifest.json`` (:mod:`deploy.manifest`:
every file with its size and SHA-256) and, when the press has a signing key,
signs those exact bytes: ``press-manifest.sig`` beside it holds one line,
``ed25519 <base64 signature>``.  Anyone holding the press's public key can then
prove that a mirror or a copied folder holds exactly what the press published
(``invoke verify``, :mod:`deploy.verify`).

The private key never enters the repository: it is a file outside it, named
by the environment variable ``PRESS_SIGNING_KEY`` (or the setting of the same
name in publishconf.py), holding the 32-byte Ed25519 seed in base64 on one line
(``invoke signing-key --path FILE`` makes one and prints the public key to put in
``PRESS_SIGNING_PUBLIC_KEY``).  Without a key a publish still succeeds,
unsigned, with one warning line.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from deploy.manifest import MANIFEST_NAME, SIGNATURE_NAME, ManifestError, read_small_file
from press.files import atomic_write

logger = logging.getLogger(__name__)

KEY_VARIABLE = "PRESS_SIGNING_KEY"
SIGNATURE_PREFIX = "ed25519 "


class SigningError(ValueError):
    """A key or signature that cannot be used; the message says which file and what to do."""


def _nacl():
    import nacl.exceptions
    import nacl.signing

    return nacl.signing, nacl.exceptions


KEY_FILE_LIMIT = 4096  # a key file holds 45 bytes; never read more than this


def read_key_file(path: str | os.PathLike[str], what: str) -> str:
    """The text of a (public or private) key file: a regular file of a few bytes, never a FIFO."""
    try:
        text = read_small_file(path, KEY_FILE_LIMIT, follow_links=True).decode("ascii")
    except ManifestError:
        raise SigningError(f"{path} is too large to be {what}") from None
    except UnicodeDecodeError:
        raise SigningError(f"{path} is not {what}: it is not ASCII text") from None
    except OSError as error:
        raise SigningError(f"cannot read {what} {path}: {error.strerror or error}") from None
    return text.strip()


def load_signing_key(path: str | os.PathLike[str]):
    """The signing key stored (base64 seed) in ``path``."""
    signing, _ = _nacl()
    text = read_key_file(path, "the signing key")
    seed = _key_bytes(text)
    if seed is None:
        raise SigningError(
            f"{path} is not a press signing key (expected 32 bytes in base64 on one line): "
            "make one with 'invoke signing-key --path FILE'"
        )
    return signing.SigningKey(seed)


def _key_bytes(text: str) -> bytes | None:
    """The 32 bytes an Ed25519 key (private seed or public key) is written as in base64, or None."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def public_key_text(signing_key) -> str:
    return base64.b64encode(bytes(signing_key.verify_key)).decode("ascii")


def decode_public_key(text: str) -> bytes:
    raw = _key_bytes(text.strip()) if isinstance(text, str) else None
    if raw is None:
        shown = repr(text) if len(repr(text)) <= 60 else repr(text)[:59] + "…"
        raise SigningError(
            f"the public key {shown} is malformed: an Ed25519 public key is 32 bytes in base64 "
            "(44 characters ending in '='); take it from press-signing-key.pub, the mirrors page, "
            "or what 'invoke signing-key' printed"
        )
    return raw


def check_key_pair(key_path: str | os.PathLike[str], public_key: str) -> None:
    """SigningError unless the signing key in ``key_path`` is the one of ``public_key``."""
    key = load_signing_key(key_path)
    if not public_key:
        raise SigningError(
            f"{KEY_VARIABLE} names the key {key_path}, but the settings have no PRESS_SIGNING_PUBLIC_KEY, "
            "so no reader could check the signature: put "
            f'PRESS_SIGNING_PUBLIC_KEY = "{public_key_text(key)}" in pelicanconf.py'
        )
    expected = decode_public_key(public_key)
    if bytes(key.verify_key) != expected:
        raise SigningError(
            f"the signing key {key_path} (public key {fingerprint(public_key_text(key))}) does not "
            f"match PRESS_SIGNING_PUBLIC_KEY (key {fingerprint(public_key)}): every reader's verify "
            "would fail; set PRESS_SIGNING_KEY to the key of PRESS_SIGNING_PUBLIC_KEY, or put "
            f'PRESS_SIGNING_PUBLIC_KEY = "{public_key_text(key)}" in pelicanconf.py if the key changed'
        )


def fingerprint(public_key: str) -> str:
    """The SHA-256 of the raw public key, in groups of four hex digits."""
    digest = hashlib.sha256(decode_public_key(public_key)).hexdigest()
    return " ".join(digest[index : index + 4] for index in range(0, len(digest), 4))


def generate_key(path: str | os.PathLike[str]) -> str:
    """Write a new signing key to ``path`` (mode 600, never overwritten); return its public key.

    The key is written whole to a temporary file of a random name beside ``path``
    (mode 600 from its creation) and then linked to ``path``, which fails if
    ``path`` exists: an interrupted run leaves no half key, and two runs never
    overwrite one another's key.
    """
    signing, _ = _nacl()
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise SigningError(f"{path} exists already: choose another path (a key is never overwritten)")
    key = signing.SigningKey.generate()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SigningError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(bytes(key)).decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        _place_without_overwriting(temporary, path)
    except FileExistsError:
        raise SigningError(
            f"{path} exists already: choose another path (a key is never overwritten)"
        ) from None
    except OSError as error:
        raise SigningError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
    return public_key_text(key)


def _place_without_overwriting(temporary: str, path: Path) -> None:
    """Give the whole file ``temporary`` the name ``path``; FileExistsError if ``path`` exists."""
    try:
        os.link(temporary, path)  # fails if path exists, even if it appeared a moment ago
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links: rename, having looked first
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(temporary, path)


def signature_line(manifest: bytes, signing_key) -> bytes:
    signature = signing_key.sign(manifest).signature
    return (SIGNATURE_PREFIX + base64.b64encode(signature).decode("ascii") + "\n").encode("ascii")


def raw_signature(data: bytes, signing_key) -> bytes:
    """The 64 bytes of the Ed25519 signature of ``data``, the form OpenSSL 3 reads
    (``openssl pkeyutl -verify -rawin -sigfile``; see :mod:`deploy.checksums`)."""
    return bytes(signing_key.sign(data).signature)


def key_path_from(settings: dict | None = None) -> str | None:
    """The signing key's path: ``$PRESS_SIGNING_KEY``, else the setting, else None."""
    return os.environ.get(KEY_VARIABLE) or (settings or {}).get(KEY_VARIABLE) or None


def sign_release(
    folder: str | os.PathLike[str], key_path: str | None = None, public_key: str | None = None
) -> Path | None:
    """Sign ``folder/press-manifest.json`` into ``press-manifest.sig``; None (one warning) without a key.

    With ``public_key`` (the settings' PRESS_SIGNING_PUBLIC_KEY, "" when they have none) the key
    must be its pair.
    """
    folder = Path(folder)
    key_path = key_path or key_path_from()
    if not key_path:
        promised = (
            " (PRESS_SIGNING_PUBLIC_KEY is set, so every reader's verify of this release fails)"
            if public_key
            else ""
        )
        logger.warning(
            "release %s not signed%s: set %s to the path of the press's signing key to sign it",
            folder.name,
            promised,
            KEY_VARIABLE,
        )
        return None
    if public_key is not None:
        check_key_pair(key_path, public_key)
    key = load_signing_key(key_path)
    manifest = (folder / MANIFEST_NAME).read_bytes()
    target = folder / SIGNATURE_NAME
    atomic_write(target, signature_line(manifest, key))
    logger.info("release signed with key %s", fingerprint(public_key_text(key)))
    return target


def verify_signature(manifest: bytes, signature: bytes, public_key: str) -> None:
    """Raise SigningError unless ``signature`` is the press's signature of exactly ``manifest``."""
    signing, exceptions = _nacl()
    verify_key = signing.VerifyKey(decode_public_key(public_key))  # a malformed key says so
    try:
        text = signature.decode("ascii").strip()
    except UnicodeDecodeError:
        text = ""
    if not text.startswith(SIGNATURE_PREFIX):
        raise SigningError(
            f"{SIGNATURE_NAME} is not a press signature (expected '{SIGNATURE_PREFIX}<base64>')"
        )
    try:
        raw = base64.b64decode(text[len(SIGNATURE_PREFIX) :], validate=True)
        verify_key.verify(manifest, raw)
    except (binascii.Error, ValueError, exceptions.BadSignatureError):
        raise SigningError(
            f"the signature in {SIGNATURE_NAME} does not match {MANIFEST_NAME} and the key "
            f"{fingerprint(public_key)}: the manifest was changed, or signed with another key"
        ) from None
