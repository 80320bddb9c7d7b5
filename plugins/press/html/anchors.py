"""Element ids in rendered bodies: headings get stable ids, listings repeat none.

A heading's id is made from its text with the letters of every script kept
(``## Lo sciopero`` -> ``lo-sciopero``, ``## اعتصاب عمومی`` -> ``اعتصاب-عمومی``,
``## 总罢工`` -> ``总罢工``), so it stays the same from build to build and reads
in the page's language; a heading with no letters or digits at all gets
``section-<n>``. Ids are unique in the page: a repeat gets ``-2``, ``-3``.

A summary shown on a listing page sits beside other summaries: it keeps no
ids and no footnote references, which would repeat or point nowhere there.
No Pelican here.
"""

from __future__ import annotations

import html as html_lib
import re

from press.content.terms import slugify

HEADING = re.compile(r"<(h[1-6])((?:\s[^>]*)?)>(.*?)</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
ID_ATTRIBUTE = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""", re.I)
# Ids the theme's templates use on every page.
PAGE_IDS = ("main", "issues", "search")
# Footnote references and notes as cmark-gfm (after the sanitizer) and Python-Markdown write them.
# A reference holds its label as text only: the pattern never reads past it.
FOOTNOTE_REFERENCE = re.compile(
    r'(<sup (?:class="footnote-ref"|id="fnref\d*:[^"]*")><a [^<>]*>)([^<]*)(</a></sup>)'
)  # its label, the note's number, is group 2
FOOTNOTES = re.compile(r'<section class="footnotes"[^>]*>.*?</section>|<div class="footnote">.*?</div>', re.S)

# A note's way back to its reference, as cmark-gfm and Python-Markdown write it (with an English title).
FOOTNOTE_BACKREF = re.compile(r'<a ([^<>]*\bclass="footnote-backref"[^<>]*)>')
ENGLISH_TITLE = re.compile(r'\stitle="[^"]*"')


def label_footnotes(html: str, label: str, number=None) -> str:
    """The notes of a body as the page's language reads them: each note's way back (its only
    text a "↩") named ``label`` (Python-Markdown's English title goes), and each reference's
    number written by ``number`` (the language's digits: the notes' list counts in them)."""
    if "footnote-" not in html:
        return html
    named = f' aria-label="{html_lib.escape(label, quote=True)}"'

    def relabel(match: re.Match) -> str:
        return f"<a {ENGLISH_TITLE.sub('', match.group(1))}{named}>"

    html = FOOTNOTE_BACKREF.sub(relabel, html)
    if number is not None:
        html = FOOTNOTE_REFERENCE.sub(lambda m: m.group(1) + number(m.group(2)) + m.group(3), html)
    return html


def add_heading_ids(html: str) -> str:
    """Give every heading without an id a stable id, unique in the body."""
    if "<h" not in html:
        return html
    used = {m.group(1) or m.group(2) for m in ID_ATTRIBUTE.finditer(html)} | set(PAGE_IDS)
    counter = 0

    def replace(match: re.Match) -> str:
        nonlocal counter
        counter += 1
        tag, attributes, inner = match.groups()
        if ID_ATTRIBUTE.search(attributes or ""):
            return match.group(0)
        base = slugify(html_lib.unescape(TAG.sub("", inner))) or f"section-{counter}"
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        return f'<{tag}{attributes or ""} id="{candidate}">{inner}</{tag}>'

    return HEADING.sub(replace, html)


def listing_fragment(html: str) -> str:
    """A summary for a listing page: no ids, no footnotes, nothing that repeats."""
    if 'class="footnote' in html:
        html = FOOTNOTES.sub("", FOOTNOTE_REFERENCE.sub("", html))
    return ID_ATTRIBUTE.sub("", html) if " id=" in html else html
