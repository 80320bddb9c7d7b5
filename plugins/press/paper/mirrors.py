"""The mirrors page of each language: other addresses, the offline copy, how to verify a copy.

``<lang>/mirrors/index.html`` lists the mirrors of ``PRESS_MIRRORS`` that
carry the language (an entry without ``languages`` carries all), links the
language's offline zip when the build makes it, and explains how to check a
copy: first with common tools (OpenSSL 3 checks the signed checksum list that
``deploy.checksums`` writes at publishing, then ``sha256sum -c`` every file), then
with the press's own ``invoke verify``.  The press's public key
(``PRESS_SIGNING_PUBLIC_KEY``) is published as ``press-signing-key.pub`` (base64,
for ``invoke verify``) and ``press-signing-key.pem.txt`` (the PEM SubjectPublicKeyInfo
OpenSSL reads; not ``.pem``, which the publishing check refuses as a likely secret), and
shown with its fingerprint.  The page shows every command exactly as a reader runs it, left
to right in any script (tests/test_mirrors_commands.py runs them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

PUBLIC_KEY_FILE = "press-signing-key.pub"
PEM_KEY_FILE = "press-signing-key.pem.txt"
# Written at publishing by deploy.checksums (the plugin does not import the deploy tools).
CHECKSUMS_FILE = "press-manifest.sha256"
CHECKSUMS_SIGNATURE_FILE = "press-manifest.sha256.sig"
#: DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) up to the key: the raw 32 bytes follow.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def public_key_pem(public_key: str) -> str:
    """The base64 Ed25519 public key as the PEM SubjectPublicKeyInfo that OpenSSL reads."""
    der = ED25519_SPKI_PREFIX + base64.b64decode(public_key.strip(), validate=True)
    return f"-----BEGIN PUBLIC KEY-----\n{base64.b64encode(der).decode('ascii')}\n-----END PUBLIC KEY-----\n"


def reader_commands() -> dict[str, str]:
    """The commands the page shows, run in the folder of a copy: each line exactly as typed."""
    return {
        "fingerprint": f"openssl pkey -pubin -in {PEM_KEY_FILE} -outform DER | tail -c 32 | sha256sum",
        "signature": (
            f"openssl pkeyutl -verify -pubin -inkey {PEM_KEY_FILE} -rawin "
            f"-in {CHECKSUMS_FILE} -sigfile {CHECKSUMS_SIGNATURE_FILE}"
        ),
        "files": f"sha256sum -c --quiet {CHECKSUMS_FILE}",
    }


def key_fingerprint(public_key: str) -> str:
    """SHA-256 of the raw key in groups of four hex digits (as ``deploy.signing.fingerprint``)."""
    try:
        raw = base64.b64decode(public_key.strip(), validate=True)
    except (binascii.Error, ValueError):
        return ""
    if len(raw) != 32:
        return ""
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[index : index + 4] for index in range(0, len(digest), 4))


def mirrors_of(settings: dict, lang: str) -> list[dict]:
    mirrors = []
    for mirror in settings.get("PRESS_MIRRORS") or []:
        languages = mirror.get("languages")
        if languages and lang not in languages:
            continue
        url = str(mirror["url"]).rstrip("/") + f"/{lang}/"
        mirrors.append({"url": url, "onion": urlsplit(url).netloc.endswith(".onion")})
    return mirrors


def write_mirror_page(generator, lang: str) -> None:
    """Render ``<lang>/mirrors/index.html`` (and the public key file once) with the site generator."""
    settings = generator.settings
    public_key = (settings.get("PRESS_SIGNING_PUBLIC_KEY") or "").strip()
    fingerprint = key_fingerprint(public_key) if public_key else ""
    pem = public_key_pem(public_key) if fingerprint else ""
    if fingerprint and lang == generator.editions.languages[0]:
        generator.write_bytes(PUBLIC_KEY_FILE, (public_key + "\n").encode("ascii"))
        generator.write_bytes(PEM_KEY_FILE, pem.encode("ascii"))
    generator.render(
        f"{lang}/mirrors/index.html",
        "mirrors.html",
        lang,
        alternates=generator.every_language(lambda code: f"{code}/mirrors/"),
        mirrors=mirrors_of(settings, lang),
        offline=f"offline/{lang}.zip" if settings.get("PRESS_EDITIONS") else None,
        public_key=public_key if fingerprint else "",
        public_key_file=PUBLIC_KEY_FILE,
        fingerprint=fingerprint,
        public_key_pem=pem,
        pem_key_file=PEM_KEY_FILE,
        checksums_file=CHECKSUMS_FILE,
        checksums_signature_file=CHECKSUMS_SIGNATURE_FILE,
        commands=reader_commands(),
    )
