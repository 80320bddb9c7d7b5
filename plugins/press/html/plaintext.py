"""Standfirsts made from a body: plain text, in one pass, never markup.

``Summary`` is optional (contract §3): without it, the standfirst on the
article page, the card summaries of listings, the feeds, the search data and
the editions take the body's first words as plain text.  Pelican's
``truncate_html_words`` kept the body's markup (paragraphs, images with
their addresses, footnote links), which the templates then showed escaped,
and its cost grows with the square of a deeply nested body; this reads the
rendered HTML once, left to right, and stops as soon as it has enough words.

:func:`summary_from_body` is the text; the reader stores it HTML-escaped as
the version's summary, so every template shows it like a ``Summary`` header's
inline HTML.  :func:`summary_text` is the plain text of either kind of
summary, for the EPUB and PDF editions and for metadata.  No Pelican here.
"""

from __future__ import annotations

import html as html_lib
import re

from press.html.anchors import FOOTNOTE_REFERENCE, FOOTNOTES
from press.html.sanitize import plain_text

# A word as Pelican's truncation counts one: a CJK character, or a run of
# letters and digits with inner apostrophes and hyphens.
CJK = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3040-\u30ff\u1100-\u11ff\uac00-\ud7ff\u3130-\u318f"
WORD = re.compile(
    rf"[{CJK}\U00020000-\U0002a6df\U0002f800-\U0002fa1f]|(?:(?![{CJK}])\w)(?:(?![{CJK}])[\w'-])*"
)
CJK_CHARACTER = re.compile(rf"[{CJK}\U00020000-\U0002a6df\U0002f800-\U0002fa1f]")
# Tags, other markup (comments, declarations), text; no alternative reads past the next '<'.
TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>|<[^<>]*>|[^<]+|<")
# Elements whose text is not part of the running text.
SKIPPED = frozenset({"script", "style", "template", "noscript", "figcaption"})
# Elements that end a run of text: their text never runs into the next one's.
BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "blockquote", "pre", "li", "ul", "ol", "dl", "dt"),
        *("dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "br", "hr"),
        *("figure", "img", "caption", "details", "summary", "aside", "header", "footer"),
    }
)
SPACES = re.compile(r"\s+")
# Chinese and Japanese put no space after a sentence's closing mark, even between paragraphs
# ("止めた。彼らは", not "止めた。 彼らは"); Korean spaces its words and keeps it.
CLOSED_SENTENCE_GAP = re.compile(
    "(?<=[\u3001\u3002\u300d\u300f\u3011\uff01\uff09\uff0c\uff0e\uff1f])"
    "\\s+(?=[\u4e00-\u9fff\u3400-\u4dbf\u3040-\u30ff\u3000-\u303f\uff00-\uffef])"
)


def summary_from_body(body_html: str, max_words: int = 50, suffix: str = "…") -> str:
    """The first ``max_words`` words of a rendered body as plain text, ``suffix`` when cut."""
    if not body_html or max_words <= 0:
        return ""
    text = _running_text(body_html, max_words)
    cut = None
    for count, match in enumerate(WORD.finditer(text), 1):
        if count == max_words:
            cut = match.end()
        elif count > max_words:
            break
    else:
        return text  # no more words than asked for
    kept = text[:cut].rstrip()
    if not suffix:
        return kept
    return kept + (suffix if CJK_CHARACTER.match(kept[-1:]) else " " + suffix)


def _running_text(body_html: str, max_words: int) -> str:
    """The text of the HTML, blocks separated by a space, read only as far as needed."""
    if 'class="footnote' in body_html:
        body_html = FOOTNOTES.sub("", FOOTNOTE_REFERENCE.sub("", body_html))
    pieces: list[str] = []
    words = 0
    skipping: str | None = None
    skipped_depth = 0
    for match in TOKEN.finditer(body_html):
        name = match.group(2)
        if name is not None:
            name = name.lower()
            closing = bool(match.group(1))
            if skipping is not None:
                if name == skipping:
                    skipped_depth += -1 if closing else 1
                    if skipped_depth == 0:
                        skipping = None
                continue
            if name in SKIPPED and not closing:
                skipping, skipped_depth = name, 1
            elif name in BLOCKS:
                pieces.append(" ")
            continue
        piece = match.group(0)
        if skipping is not None or (piece.startswith("<") and len(piece) > 1):
            continue  # a comment, a declaration, or text inside a skipped element
        piece = html_lib.unescape(piece)
        pieces.append(piece)
        words += len(WORD.findall(piece))
        if words > 2 * max_words + 10:  # words split by inline tags count twice: read on a little
            break
    return CLOSED_SENTENCE_GAP.sub("", SPACES.sub(" ", "".join(pieces)).strip())


def summary_text(summary_html: str) -> str:
    """The plain text of a version's summary: a ``Summary`` header's inline HTML, or the
    escaped text the reader made from the body.  For the EPUB and PDF editions and metadata."""
    return plain_text(summary_html)


def as_html(text: str) -> str:
    """Plain text as HTML text (what the templates expect of a summary)."""
    return html_lib.escape(text, quote=False)
