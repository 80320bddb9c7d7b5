"""The mirrors page of each language: mirrors from PRESS_MIRRORS, how to verify, the public key."""

from __future__ import annotations

import base64
import re
import subprocess

from sitebuild import PROJECT, article, translation

from deploy.signing import fingerprint
from press.paper.mirrors import PEM_KEY_FILE

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
        "articles/paper/fa.md": translation(
            original, "en", "روزنامه‌ای برای هر زبان", "شاخه سه‌شنبه شب گرد آمد.\n"
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


def test_the_persian_page_sets_every_command_left_to_right_isolated_in_monospace(build_site):
    built = build_site(
        tree(), languages=["en", "fa"], PRESS_SIGNING_PUBLIC_KEY=PUBLIC_KEY, PRESS_SEARCH=False
    )
    assert built.returncode == 0, built.log
    assert not built.problems("untranslated-strings"), built.problems()
    persian = built.page("fa/mirrors/index.html")
    assert 'dir="rtl"' in persian
    blocks = re.findall(r"<pre[^>]*>", persian)
    assert len(blocks) >= 5  # three steps, the PEM key, the project's own verify
    assert set(blocks) == {'<pre class="command" dir="ltr" translate="no">'}
    steps = persian.split('<ol class="verify-steps">', 1)[1].split("</ol>", 1)[0]
    assert "openssl pkeyutl -verify -pubin -inkey press-signing-key.pem.txt -rawin" in steps
    assert "sha256sum -c --quiet press-manifest.sha256" in steps
    assert "invoke" not in steps  # readers without the project come first
    # file names inside Persian sentences are isolated left-to-right runs
    assert '<code dir="ltr" translate="no">press-manifest.sha256</code>' in persian
    assert "آینه رونوشتی از این سایت" in persian  # what a mirror is, in Persian
    # the stylesheet sets every pre (and code) left to right, isolated, in monospace
    css = (PROJECT / "theme" / "static" / "press.css").read_text(encoding="utf-8")
    rules = [
        body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css) if re.search(r"\bpre\b", selector)
    ]
    declared = " ".join(rules)
    for declaration in ("direction: ltr", "unicode-bidi: isolate", "monospace"):
        assert declaration in declared, rules


def test_the_public_key_is_published_as_a_pem_that_openssl_reads(build_site):
    built = build_site(
        tree(), languages=["en", "it"], PRESS_SIGNING_PUBLIC_KEY=PUBLIC_KEY, PRESS_SEARCH=False
    )
    pem = built.page(PEM_KEY_FILE)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA" + PUBLIC_KEY + "\n")
    assert pem.rstrip() in built.page("en/mirrors/index.html")
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-in", str(built.output / PEM_KEY_FILE), "-outform", "DER"],
        capture_output=True,
        check=True,
    ).stdout
    assert der[-32:] == base64.b64decode(PUBLIC_KEY)
