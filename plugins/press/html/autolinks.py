"""Autolinks that end where the URL ends, in every script.

GFM's autolink extension ends a bare URL only at white space, so in Chinese
``参见 www.example.org/a），以及`` links the rest of the sentence, in Persian
``https://example.org/b، و`` takes the Arabic comma, and in Hebrew a bare URL
followed by a left-to-right mark links ``…/%E2%80%8E``.  After rendering, an
autolink (a link whose text is its own address) is cut at the first
character no address holds unencoded: a format character (Unicode category
Cf: LRM, RLM, ALM, the isolates, zero-width characters, FEFF), CJK
punctuation (U+3000–U+303F), a full-width form (U+FF00–U+FFEF), Arabic-script
punctuation (``،`` ``؛`` ``؟`` ``۔``) or a quotation mark; what follows is
text again.  Letters of any script stay in the address
(``he.wikipedia.org/wiki/מפתח_ציבורי``).  Both engines' output goes through
:func:`end_autolinks_at_url`; HTML without such a character is returned as it
is.  No Pelican here.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from urllib.parse import unquote

ARABIC_PUNCTUATION = "\u060c\u061b\u061f\u06d4"  # ، ؛ ؟ ۔
QUOTATION_MARKS = "\u00ab\u00bb\u2018\u2019\u201c\u201d\u201e\u201f\u2039\u203a"  # « » ‘ ’ “ ” „ ‟ ‹ ›
# What GFM trims from the end of an autolink; trimmed again after a cut.
TRAILING_PUNCTUATION = "?!.,:*_~"
SCHEMES = ("https://", "http://", "ftp://", "mailto:", "xmpp:")


# Unicode's format characters (category Cf, Unicode 14), as ranges: tests/test_autolinks.py
# checks them against unicodedata, so that a newer Python's additions are noticed.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
ENDING = "[" + FORMAT_CHARACTERS + "\u3000-\u303f\uff00-\uffef" + ARABIC_PUNCTUATION + QUOTATION_MARKS + "]"
ENDING_CHARACTER = re.compile(ENDING)
# A link with nothing but text inside, as both engines write one, whose text holds such a character.
ANCHOR_TO_CUT = re.compile(r'<a href="([^"]*)">([^<]*?' + ENDING + r"[^<]*)</a>")


def ends_url(char: str) -> bool:
    """Whether an address ends before ``char`` (besides white space, where GFM ends it)."""
    return ENDING_CHARACTER.match(char) is not None or unicodedata.category(char) == "Cf"


def end_autolinks_at_url(html: str) -> str:
    """Cut every autolink of rendered HTML where its address ends (see the module's docstring)."""
    if "<a href=" not in html:
        return html
    return ANCHOR_TO_CUT.sub(_cut, html)


def _cut(match: re.Match) -> str:
    href, text = html_lib.unescape(match.group(1)), html_lib.unescape(match.group(2))
    end = next((i for i, char in enumerate(text) if ends_url(char)), None)
    if end is None:
        return match.group(0)
    prefix = _autolink_prefix(href, text)
    if prefix is None:
        return match.group(0)  # a link written with its own text, not an autolink
    kept = _trimmed(text[:end])
    rest = text[len(kept) :]
    if not kept or kept in SCHEMES or ("." not in kept and not kept.startswith(SCHEMES)):
        return _escape_text(text)  # nothing of an address is left
    return f'<a href="{_escape_href(_href_prefix(href, prefix, kept))}">{_escape_text(kept)}</a>' + (
        _escape_text(rest)
    )


def _autolink_prefix(href: str, text: str) -> str | None:
    """What the link's address adds before its text ('' or 'http://' or 'mailto:'), or None."""
    decoded = unquote(href)
    for prefix in ("", "http://", "mailto:"):
        if decoded == prefix + text:
            return prefix
    return None


def _trimmed(text: str) -> str:
    """GFM's rule for an autolink's end: no trailing punctuation, no unbalanced ')'."""
    while text:
        if text[-1] in TRAILING_PUNCTUATION or (text[-1] == ")" and text.count(")") > text.count("(")):
            text = text[:-1]
        else:
            break
    return text


def _href_prefix(href: str, prefix: str, kept: str) -> str:
    """The beginning of ``href`` that encodes ``prefix + kept``, encoded as the engine did.

    The engine writes each character either as itself or as the %XX escapes
    of its UTF-8 bytes; walking both gives the cut without knowing its table.
    """
    position = len(prefix)
    for char in kept:
        if position < len(href) and href[position] == char:
            position += 1
        elif position < len(href) and href[position] == "%":
            position += 3 * len(char.encode("utf-8", "surrogatepass"))
        else:
            return prefix + kept  # not encoded as expected: the address as written
    return href[:position]


def _escape_href(href: str) -> str:
    return href.replace("&", "&amp;").replace('"', "%22").replace("'", "&#x27;")


def _escape_text(text: str) -> str:
    return html_lib.escape(text, quote=False).replace('"', "&quot;")
