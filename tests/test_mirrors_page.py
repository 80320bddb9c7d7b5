"""The mirrors page of each language: mirrors from PRESS_MIRRORS, how to verify, the public key."""

from __future__ import annotations

import base64

from conftest import article, translation

from deploy.signing import fingerprint

PUBLIC_KEY = base64.b64encode(bytes(range(32))).decode("ascii")
ONION = "http://" + "b" * 56 + ".onion"


def tree() -> dict[str, str]:
    original = article(
        "A Paper for Every Language", "The branch met on Tuesday evening.\n", date="2026-05-01"
    )
    return {
        "articles/paper/en.md": original,
        "articles/paper/it.md": translation(
            original, "en", "Un giornale per ogni lingua", "La sezione si è riunita martedì sera.\n"
        ),
    }


def test_mirrors_are_listed_per_language_with_the_key_fingerprint(build_site):
    mirrors = [
        {"url": "https://mirror.example.net/"},
        {"url": ONION, "languages": ["it"]},
    ]
    built = build_site(
        tree(),
        languages=["en", "it"],
        PRESS_MIRRORS=mirrors,
        PRESS_SIGNING_PUBLIC_KEY=PUBLIC_KEY,
        PRESS_SEARCH=False,
    )
    assert built.returncode == 0, built.log
    english = built.page("en/mirrors/index.html")
    italian = built.page("it/mirrors/index.html")
    assert 'href="https://mirror.example.net/en/"' in english
    assert ONION not in english
    assert f'href="{ONION}/it/"' in italian and "Tor Browser" in italian
    assert fingerprint(PUBLIC_KEY) in english and PUBLIC_KEY in italian
    assert built.page("press-signing-key.pub").strip() == PUBLIC_KEY
    assert "invoke verify" in english
    assert "Mirror e copie" in italian


def test_an_unsigned_site_says_so(build_site):
    built = build_site(tree(), languages=["en", "it"], PRESS_SEARCH=False)
    assert "not signed yet" in built.page("en/mirrors/index.html")
    assert not built.exists("press-signing-key.pub")
    assert "No other address is listed yet." in built.page("en/mirrors/index.html")
