"""The fonts an edition is set in, and the check that they draw every letter of it.

Only free fonts installed on the machine are used (Debian's Noto families:
``fonts-noto-core`` for Latin, Greek, Cyrillic, Arabic script and more,
``fonts-noto-cjk`` for Chinese, Japanese and Korean); nothing is fetched.  A
language's stack can be changed with ``PRESS_EDITION_FONTS = {lang: [family, …]}``.

Before a PDF is made, every letter of the edition is looked up in the stack's
fonts (their character maps, read with fontTools): a letter no font of the
stack has would print as an empty box, so the edition is not made and the
problem names the letters, the font families and what to install.
"""

from __future__ import annotations

import functools
import subprocess

from press.paper.i18n import script_of

# Every stack ends in fonts for what the press itself sets beside the text (see
# press.printed.issue_document.INSERTED): Noto Serif has no footnote back-reference arrow (U+21A9, in
# Noto Sans Math) nor the circle and square list markers (in Noto Sans Symbols 2).
SYMBOLS = ["Noto Sans Symbols 2", "Noto Sans Math"]
LATIN = ["Noto Serif", *SYMBOLS]
# Each script's serif Noto family (fonts-noto-core; Odia has only a sans), by ISO 15924 code.
STACKS = {
    script: [family, *LATIN]
    for script, family in {
        "Arab": "Noto Naskh Arabic",
        "Hebr": "Noto Serif Hebrew",
        "Deva": "Noto Serif Devanagari",
        "Beng": "Noto Serif Bengali",
        "Guru": "Noto Serif Gurmukhi",
        "Gujr": "Noto Serif Gujarati",
        "Orya": "Noto Sans Oriya",
        "Taml": "Noto Serif Tamil",
        "Telu": "Noto Serif Telugu",
        "Knda": "Noto Serif Kannada",
        "Mlym": "Noto Serif Malayalam",
        "Sinh": "Noto Serif Sinhala",
        "Thai": "Noto Serif Thai",
        "Laoo": "Noto Serif Lao",
        "Khmr": "Noto Serif Khmer",
        "Mymr": "Noto Serif Myanmar",
        "Tibt": "Noto Serif Tibetan",
        "Ethi": "Noto Serif Ethiopic",
        "Geor": "Noto Serif Georgian",
        "Armn": "Noto Serif Armenian",
        "Hans": "Noto Serif CJK SC",
        "Hant": "Noto Serif CJK TC",
        "Jpan": "Noto Serif CJK JP",
        "Kore": "Noto Serif CJK KR",
    }.items()
}

PACKAGES = "fonts-noto-core (and fonts-noto-cjk for Chinese, Japanese and Korean)"


def font_families(lang: str, overrides: dict | None = None) -> list[str]:
    """The font families of ``lang``'s editions, first choice first."""
    if overrides and lang in overrides:  # the symbol fonts still draw what the press inserts
        chosen = list(overrides[lang])
        return chosen + [family for family in SYMBOLS if family not in chosen]
    return list(STACKS.get(script_of(lang), LATIN))


def css_family_list(families: list[str]) -> str:
    return ", ".join(f'"{family}"' for family in families) + ", serif"


@functools.lru_cache(maxsize=64)
def font_files(family: str) -> tuple[str, ...]:
    """The installed files of a family's regular face (any face if it has no regular one)."""
    files: list[str] = []
    for pattern in (f":family={family}:style=Regular", f":family={family}"):
        try:
            result = subprocess.run(
                ["fc-list", "-f", "%{file}\n", pattern],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ()
        files = sorted({line for line in result.stdout.splitlines() if line.strip()})
        if files:
            break
    return tuple(files)


@functools.lru_cache(maxsize=64)
def characters_of(path: str) -> frozenset[int]:
    """Every code point a font file (or the first font of a collection) draws."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
    except Exception:
        return frozenset()
    return frozenset(cmap)


def coverage_problem(text_letters: set[str], families: list[str]) -> str | None:
    """Why ``families`` cannot set these letters, or None when every letter has a glyph."""
    missing_families = [family for family in families if not font_files(family)]
    remaining = {ord(char) for char in text_letters}
    for family in families:
        for path in font_files(family):
            remaining -= characters_of(path)
            if not remaining:
                return None
    if not remaining:
        return None
    sample = "".join(chr(code) for code in sorted(remaining)[:12])
    points = ", ".join(f"U+{code:04X}" for code in sorted(remaining)[:6])
    reason = (
        f"the fonts {', '.join(families)} have no glyph for {len(remaining)} character(s) "
        f"({sample!r}: {points})"
    )
    if missing_families:
        reason += f"; not installed: {', '.join(missing_families)}"
    return (
        f"{reason}. Install {PACKAGES} (apt-get install fonts-noto-core fonts-noto-cjk), "
        "or name fonts that cover the language in PRESS_EDITION_FONTS = {lang: [family, …]}"
    )
