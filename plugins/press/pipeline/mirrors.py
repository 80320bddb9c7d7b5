"""The mirrors page of each language: other addresses, the offline copy, how to verify a copy.

``<lang>/mirrors/index.html`` lists the mirrors of ``PRESS_MIRRORS`` that
carry the language (an entry without ``languages`` carries all), links the
language's offline zip when the build makes it, and explains how to check a
copy against the signed manifest, with the press's public key
(``PRESS_SIGNING_PUBLIC_KEY``, also published as ``press-signing-key.pub``) and
its fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

PUBLIC_KEY_FILE = "press-signing-key.pub"


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
    if fingerprint and lang == generator.editions.languages[0]:
        generator.write_bytes(PUBLIC_KEY_FILE, (public_key + "\n").encode("ascii"))
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
    )
