"""What a reader of a translation sees, compared with the original (contract §6).

``incomplete`` and ``untranslated`` are judged on the *rendered* bodies (the
HTML the site shows, from the same Markdown configuration and render cache),
never on the Markdown spelling: line wrapping, ``[x]`` shortcut references,
reference-style links or reordered emphasis all render to what the reader
sees, and only that is compared. List items are those the renderer makes: a
wrapped line that begins ``5) `` inside a paragraph is paragraph text.

What is compared:

- the blocks (paragraphs, headings, list items, quotations, table rows,
  captions, footnotes), aligned by :mod:`press.translation.alignment` (the PO export uses
  the same alignment): a block of the original with no counterpart, or whose
  counterpart is far shorter than usual, is named and quoted;
- link destinations and image sources, as sets (a reader reaches a destination
  once), as a reader follows them (:func:`reader_target`: an invisible mark at
  the end, an archive's copy, the scheme, ``www.`` and a trailing slash aside),
  after taking out what a translation rightly localizes: the language
  file of a linked key (``{filename}../x/en.md`` ~ ``{filename}../x/it.md``),
  a language segment of an external URL (``/en/`` ~ ``/zh/``, ``en.`` ~ ``zh.``
  host prefix, ``?lang=en``, ``page.en.html``), the same page on the
  translation's own language subdomain or path (``wikipedia.org/wiki/Strike`` ~
  ``he.wikipedia.org/wiki/…``), the fragment (heading anchors are translated
  with their headings);
- headings, list items, quotes, tables and footnotes, as counts;
- the length of the text against what is usual for that pair of languages
  (:data:`UNITS_PER_ENGLISH_WORD`), CJK text counted in characters, every other
  script in words. Code is not text to translate and is left out.

No Pelican here: the caller hands in rendered HTML.
"""

from __future__ import annotations

import dataclasses
import functools
import html as html_lib
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from press.translation.alignment import (
    Alignment,
    Block,
    align,
    anchor_cost,
    length_cost,
    make_block,
    pair_cost,
)

# How many units an English word of running prose becomes in each language:
# words for languages written with spaces, characters for Chinese and Japanese
# (which are written without them). A translation is judged against
# ``original units / UNITS[orig] * UNITS[trans]``.
#
# Where the figures come from: the Latin, Cyrillic, Persian and Devanagari
# rows are the usual word-count expansion factors translators quote for
# English source text (e.g. the SDL/RWS and W3C i18n guidance on text
# expansion), checked against the human translations in tests/corpus/ (a
# weekly technical newsletter, en -> zh, ja, de, cs, hi, fr): there the median
# of the rendered bodies was 1.68 zh and 2.57 ja characters per English word,
# and 1.21 hi, 1.17 fr, 0.96 de, 0.85 cs words per English word.
# ``tests/test_fidelity.py::test_real_corpus`` re-measures them.
# A language missing here counts as 1.0 (same length as English).
UNITS_PER_ENGLISH_WORD: dict[str, float] = {
    "en": 1.0,
    "ar": 0.85,
    "cs": 0.85,
    "de": 0.95,
    "es": 1.15,
    "fa": 1.1,
    "fi": 0.75,
    "fr": 1.15,
    "he": 0.85,
    "hi": 1.2,
    "it": 1.1,
    "ja": 2.6,  # characters (kanji and kana) per English word
    "ko": 0.8,  # Korean is written with spaces: words
    "nl": 1.0,
    "pl": 0.9,
    "pt": 1.1,
    "ru": 0.85,
    "sv": 0.95,
    "tr": 0.8,
    "uk": 0.85,
    "vi": 1.4,  # Vietnamese puts a space between syllables: 1.44 in tests/corpus_world
    "zh": 1.7,  # characters per English word
}
# A translation shorter than this share of the usual length lacks text.
LENGTH_FLOOR = 0.5
# Originals shorter than this (in English-word equivalents) vary too much to judge by length.
LENGTH_MINIMUM = 40
# A translation is "mostly" the original when at least this share of its prose
# (in characters) is made of blocks found word for word in the original.
UNTRANSLATED_SHARE = 0.5
# Below this share of words in common with the original, a body cannot be mostly a copy of it.
SAMPLE_SHARE = 0.4
UNTRANSLATED_MINIMUM = 80  # characters of prose below which a body is not judged
LISTED = 3  # destinations or blocks named in a message before "and N more"
# A block of the original with no counterpart is named when it is at least this long (in
# English-word equivalents): shorter ones (a "See also:", a label) are joined, moved or
# dropped by good translators, and the counts of headings and items still see them
# (6: no complete translation of either real corpus has such a block unmatched).
BLOCK_MINIMUM = 6
# A block (or blocks joined) at least this long whose counterpart is shorter than
# SHORT_BLOCK of the usual length is named as translated only in part.
SHORT_BLOCK_MINIMUM = 40
SHORT_BLOCK = 0.5
# A join is read as one block missing when leaving that block out fits the lengths this much better.
JOIN_EVIDENCE = 1.0
# A block of the translation left alone right beside one of the original's, between the same
# neighbours, is that block condensed (or expanded) when its length is within this share of the usual
IN_PLACE_SHARE = 0.25
# A neighbour of a missing block is named with it when its counterpart would fit the missing
# block less than this much worse (in the alignment's costs).
AMBIGUOUS = 1.0
QUOTED = 60  # characters of a block quoted in a message (CJK: half)

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
HEADING = re.compile(r"<h[1-6][ >]")
IMAGE = re.compile(r"<img\b[^>]*?\ssrc=(?:\"([^\"]*)\"|'([^']*)')", re.I)
ANCHOR = re.compile(r"<a\b([^>]*)>", re.I)
HREF = re.compile(r"\shref=(?:\"([^\"]*)\"|'([^']*)')", re.I)
# The tags that begin or end a block a reader reads (issue 22): text between two of them
# belongs to one block. <td>/<th> are not among them: a table row is one block.
BLOCK_TAG = re.compile(r"<(/?)(p|h[1-6]|li|tr|blockquote|figcaption|pre|ul|ol|table|dt|dd)\b([^>]*)>", re.I)
CODE_SPAN = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S | re.I)
EMPHASIS = re.compile(r"<(?:em|strong|b|i)\b", re.I)
BLOCK = re.compile(r"<(p|li|h[1-6]|td|th|dt|dd)\b[^>]*>(.*?)</\1>", re.S | re.I)
URL_TEXT = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)
LETTERS = re.compile(r"[^\W\d_]{2,}")
# A domain, file or path name (two words joined by dots or slashes), or an identifier (a word
# with a digit, an underscore or a capital inside): a name, the same in every language.
NAME_TOKEN = re.compile(r"[\w-]+(?:[./][\w-]+)+|\w*(?:\d|_|[a-z][A-Z])\w*")
INTERNAL_PREFIX = re.compile(r"^\{(filename|static|attach)\}")
LANGUAGE_LIKE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.I)
LANG_QUERY = ("lang", "hl", "locale", "language", "lng")


@dataclass
class Reading:
    """What a reader sees in one rendered body."""

    headings: int
    list_items: int
    quotes: int
    tables: int
    footnotes: int
    links: tuple[str, ...]  # destinations as written, first occurrence order
    images: tuple[str, ...]
    words: int  # words of scripts written with spaces
    cjk: int  # Chinese and Japanese characters
    prose_html: str = ""  # the body without code, for `untranslated` (read when needed)
    text: str = ""  # the prose without tags
    sample: tuple[str, ...] = ()  # every fifth word, to tell a translation from a copy cheaply
    html: str = ""  # the rendered body, for its blocks (read when needed)
    _aligned: dict = field(default_factory=dict, repr=False, compare=False)

    def aligned_blocks(self, lang: str) -> list[Block]:
        """Its blocks as the alignment compares them, lengths weighed for ``lang`` (made once a language)."""
        found = self._aligned.get(lang)
        if found is None:
            found = self._aligned[lang] = html_blocks(self.html, lang)
        return found

    @functools.cached_property
    def vocabulary(self) -> frozenset[str]:
        """Its words as written (only an original's is ever asked for)."""
        return frozenset(self.text.split())

    def blocks(self) -> list[tuple[str, int]]:
        """The prose blocks (paragraphs, items, headings, cells), whitespace normalised, with lengths."""
        found = []
        for match in BLOCK.finditer(self.prose_html):
            text = " ".join(TAG.sub(" ", match.group(2)).split())
            if text:
                found.append((text, len(text)))
        return found


def read_html(html: str) -> Reading:
    """Count what a reader sees in a rendered body (cmark-gfm's or Python-Markdown's HTML).

    Fast: a few passes of C-level searches per body, as it runs on every
    version of every build (the render cache has the HTML already).
    """
    prose_html = CODE.sub(" ", html) if "<code" in html else html
    footnotes = html.count('<li id="fn-') + html.count('<li id="fn:') if '<li id="fn' in html else 0
    links: dict[str, None] = {}
    if "<a " in html:
        for match in ANCHOR.finditer(html):
            attributes = match.group(1)
            if "footnote-" in attributes:
                continue
            href = HREF.search(attributes)
            if href is None:
                continue
            value = href.group(1) if href.group(1) is not None else href.group(2)
            if "&" in value:
                value = html_lib.unescape(value)
            value = value.strip()
            if value and not value.startswith("#"):
                links[value] = None
    images: dict[str, None] = {}
    if "<img" in html:
        for m in IMAGE.finditer(html):
            value = html_lib.unescape(m.group(1) if m.group(1) is not None else m.group(2)).strip()
            if value:
                images[value] = None
    text = TAG.sub(" ", prose_html)
    cjk = len(CJK.findall(text)) if CJK.search(text) else 0
    tokens = text.split()
    words = sum(1 for token in tokens if not CJK.search(token)) if cjk else len(tokens)
    return Reading(
        headings=len(HEADING.findall(html)),
        # the items the renderer makes: a wrapped line that starts "5) " inside a paragraph is text
        list_items=html.count("<li>") + html.count("<li ") - footnotes,
        quotes=html.count("<blockquote"),
        tables=html.count("<table"),
        footnotes=footnotes,
        links=tuple(links),
        images=tuple(images),
        words=words,
        cjk=cjk,
        prose_html=prose_html,
        text=text,
        sample=tuple(tokens[::5]),
        html=html,
    )


# -- blocks ---------------------------------------------------------------------------

LEADS_INTO_CODE = frozenset({"before:code"})

BLOCK_NAMES = {
    "paragraph": ("paragraph", "paragraphs"),
    "heading": ("heading", "headings"),
    "list item": ("list item", "list items"),
    "quote": ("quotation", "quotations"),
    "table row": ("table row", "table rows"),
    "caption": ("caption", "captions"),
    "footnote": ("footnote", "footnotes"),
}


def html_blocks(html: str, lang: str) -> list[Block]:
    """The blocks of a rendered body in reading order: paragraphs, headings, list items,
    quotations, table rows, captions and footnotes (code blocks are not text to translate)."""
    blocks: list[Block] = []
    open_tags: list[str] = []  # the enclosing elements: li, fn (a footnote), blockquote, pre, …
    leaf = ""  # the innermost block element the text is in
    position = 0
    item = 0  # which stretch of a list item the text is in (its paragraphs are one block)
    last_item = -1
    items: list[int] = []  # the numbers of the open list items, for numbering the blocks by item
    count = 0

    def flush(end: int) -> None:
        nonlocal last_item
        fragment = html[position:end]
        if "pre" in open_tags or not fragment.strip():
            return
        kind = block_kind(leaf, open_tags)
        if kind in ("list item", "footnote") and item == last_item and blocks and blocks[-1].kind == kind:
            # a second paragraph of the same item
            previous = blocks.pop()
            blocks.append(fragment_block(kind, fragment, lang, previous, previous.part))
            return
        # the text after a list nested in an item is still that item
        part = items[-1] if items and kind in ("list item", "footnote") else -1
        block = fragment_block(kind, fragment, lang, part=part)
        if block is not None:
            blocks.append(block)
            last_item = item if kind in ("list item", "footnote") else -1

    for match in BLOCK_TAG.finditer(html):
        flush(match.start())
        position = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if name == "li":
            if closing:
                _close(open_tags, ("li", "fn"))
                if items:
                    items.pop()
            else:
                item += 1
                count += 1
                items.append(count)
                open_tags.append("fn" if 'id="fn' in match.group(3) else "li")
        elif name in ("blockquote", "pre", "ul", "ol", "table"):
            if closing:
                _close(open_tags, (name,))
            else:
                if name == "pre" and not open_tags and blocks and blocks[-1].kind == "paragraph":
                    # the paragraph that leads into a code block ("run this command:") stays
                    # the one before it in a translation: an anchor of its own
                    blocks[-1] = dataclasses.replace(blocks[-1], kept=blocks[-1].kept | LEADS_INTO_CODE)
                open_tags.append(name)
            if name in ("ul", "ol"):
                item += 1  # a nested list ends the text of the item around it
        leaf = "" if closing else name
    flush(len(html))
    return blocks


def _close(open_tags: list[str], names: tuple[str, ...]) -> None:
    for index in range(len(open_tags) - 1, -1, -1):
        if open_tags[index] in names:
            del open_tags[index:]
            return


def block_kind(leaf: str, open_tags: list[str]) -> str:
    if leaf.startswith("h") and len(leaf) == 2:
        return "heading"
    if leaf == "tr":
        return "table row"
    if leaf == "figcaption":
        return "caption"
    for name in reversed(open_tags):
        if name == "fn":
            return "footnote"
        if name == "li":
            return "list item"
        if name == "blockquote":
            return "quote"
    return "paragraph"


def fragment_block(
    kind: str, fragment: str, lang: str, before: Block | None = None, part: int = -1
) -> Block | None:
    """A block from its HTML: plain text, length in English words, anchors."""
    anchors: set[str] = set()
    if "<a " in fragment:
        for match in ANCHOR.finditer(fragment):
            href = HREF.search(match.group(1))
            if href is not None and "footnote-" not in match.group(1):
                value = html_lib.unescape(href.group(1) if href.group(1) is not None else href.group(2))
                if value and not value.startswith("#"):
                    anchors.add("link:" + link_key(value))
    if "<img" in fragment:
        for match in IMAGE.finditer(fragment):
            anchors.add("image:" + (match.group(1) or match.group(2) or ""))
    code = "<code" in fragment
    if code:
        for match in CODE_SPAN.finditer(fragment):
            anchors.add("code:" + html_lib.unescape(match.group(1)))
    emphasis = len(EMPHASIS.findall(fragment)) if "<em" in fragment or "<strong" in fragment else 0
    text = TAG.sub(" ", fragment) if "<" in fragment else fragment
    tokens = (html_lib.unescape(text) if "&" in text else text).split()
    text = " ".join(tokens)
    if code:  # code is not text to translate
        prose = TAG.sub(" ", CODE.sub(" ", fragment))
        length = text_length(html_lib.unescape(prose) if "&" in prose else prose, lang)
    elif text.isascii():  # no CJK: words (in Chinese and Japanese text, kept English words)
        length = len(tokens) / units_per_english_word_for_words(lang)
    else:
        length = text_length(text, lang)
    if not text and before is None:
        return None
    if before is not None:
        anchors |= before.kept
        text = f"{before.text} {text}".strip()
        length += before.length
        emphasis += before.emphasis
    return make_block(kind, text, length, anchors, emphasis, part)


def text_length(text: str, lang: str) -> float:
    """A text's length in English-word equivalents (CJK characters weighed like whole bodies)."""
    cjk = len(CJK.findall(text)) if not text.isascii() and CJK.search(text) else 0
    if not cjk:
        # a Chinese or Japanese block without CJK (a paragraph left in English, a name) is words
        return len(text.split()) / units_per_english_word_for_words(lang)
    words = sum(1 for token in text.split() if not CJK.search(token))
    per_word = (
        units_per_english_word(lang) if base_language(lang) in ("zh", "ja") else UNITS_PER_ENGLISH_WORD["zh"]
    )
    return words / units_per_english_word_for_words(lang) + cjk / per_word


def quote_beginning(text: str) -> str:
    """The first words of a block, to find it by: about QUOTED characters (CJK: half)."""
    limit = QUOTED // 2 if CJK.search(text[:QUOTED]) else QUOTED
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:") + "…"


def describe_block(blocks: list[Block], index: int) -> str:
    """``paragraph 14 of 31``: the block's place among the original's blocks of its kind."""
    kind = blocks[index].kind
    singular, _plural = BLOCK_NAMES.get(kind, (kind, kind + "s"))
    # the text after a list nested in an item is still that item
    parts = [
        block.part if block.part >= 0 else -1 - i for i, block in enumerate(blocks) if block.kind == kind
    ]
    mine = blocks[index].part if blocks[index].part >= 0 else -1 - index
    number = len(dict.fromkeys(parts[: parts.index(mine) + 1]))
    total = len(set(parts))
    return f"{singular} {number} of {total}"


def block_name(block: Block) -> str:
    return BLOCK_NAMES.get(block.kind, (block.kind, ""))[0]


def lacking_blocks(original: list[Block], translation: list[Block]) -> tuple[list[str], Alignment]:
    """The original's blocks a reader of the translation does not find, each described and quoted."""
    alignment = align(original, translation)
    found: list[tuple[int, str]] = []
    unmatched_theirs = [theirs[0] for mine, theirs in alignment.pairs if theirs and not mine]
    for index in alignment.unmatched():
        block = original[index]
        if block.length < BLOCK_MINIMUM:
            continue
        near = alignment.counterpart_before(index)
        moved = next(
            (
                j
                for j in unmatched_theirs
                if _same_block(block, translation[j], near is not None and abs(j - near) <= 3)
            ),
            None,
        )
        if moved is not None:  # the translator put it elsewhere
            unmatched_theirs.remove(moved)
            continue
        alone = next(k for k, (mine, theirs) in enumerate(alignment.pairs) if mine == (index,) and not theirs)
        if _split_off(original, translation, alignment, index, alone):
            continue
        # the translation's block left alone right beside it, between the same neighbours: this
        # block condensed or expanded past what a pair's length allows (or a translator's note)
        instead = _unpaired_beside(block, translation, alignment, (alone - 1, alone + 1), unmatched_theirs)
        if instead is not None:  # the translator condensed it (or wrote more): it is there
            unmatched_theirs.remove(instead)
            want, have = block.length, translation[instead].length
            if _cut_short(want, have, alignment.ratio):
                found.append((index, _most_of(original, index, have / want)))
            continue
        found.append((index, _lacking(original, translation, alignment, index)))
    for at, (mine, theirs) in enumerate(alignment.pairs):
        if not mine or not theirs:
            continue
        want = sum(original[i].length for i in mine)
        have = sum(translation[j].length for j in theirs)
        # (two for two is a moved break: both are there)
        joined = len(mine) > len(theirs) == 1
        left_out = joined_without(original, mine, have, alignment.ratio) if joined else None
        if left_out in (mine[0], mine[-1]):
            # the join's first or last block, and beside it a block of the translation left alone
            beside = at - 1 if left_out == mine[0] else at + 1
            instead = _unpaired_beside(
                original[left_out], translation, alignment, (beside,), unmatched_theirs
            )
            if instead is not None:
                unmatched_theirs.remove(instead)
                left_out, have = None, have + translation[instead].length
        if left_out is not None:
            # "joined" paragraphs whose text covers one of them only: the other is missing
            found.append((left_out, _lacking(original, translation, alignment, left_out)))
            continue
        if _cut_short(want, have, alignment.ratio):
            found.append((mine[0], _most_of(original, mine[0], have / want)))
    return [message for _, message in sorted(found)], alignment


def _cut_short(want: float, have: float, ratio: float) -> bool:
    """Whether a long block's translation (``have`` of its ``want``) lacks most of its text."""
    return want >= SHORT_BLOCK_MINIMUM and have < SHORT_BLOCK * want * min(1.0, ratio)


def _most_of(original: list[Block], index: int, share: float) -> str:
    return (
        f"most of {describe_block(original, index)}, which begins "
        f"'{quote_beginning(original[index].text)}' (its translation has {share:.0%} of the usual length)"
    )


def _unpaired_beside(
    block: Block,
    translation: list[Block],
    alignment: Alignment,
    places: tuple[int, ...],
    unmatched: list[int],
) -> int | None:
    """The translation's block left alone at one of ``places`` (indices of the alignment's pairs)
    that can be ``block``, condensed or expanded: of its kind, IN_PLACE_SHARE of the usual length or
    more, and at most its inverse."""
    groups = alignment.pairs
    for k in places:
        if 0 <= k < len(groups) and not groups[k][0] and groups[k][1][0] in unmatched:
            j = groups[k][1][0]
            if translation[j].kind == block.kind and _fits_in_place(
                translation[j].length, block.length, alignment.ratio
            ):
                return j
    return None


def _lacking(original: list[Block], translation: list[Block], alignment: Alignment, index: int) -> str:
    """``paragraph 14 of 31, which begins '…' (after …)``, and the neighbour it may be confused with."""
    message = f"{describe_block(original, index)}, which begins '{quote_beginning(original[index].text)}'"
    other = alike_neighbour(original, translation, alignment, index)
    if other is not None:
        message += (
            f", or else {describe_block(original, other)}, which begins "
            f"'{quote_beginning(original[other].text)}' (the two read alike)"
        )
    return message + _place(alignment, translation, min(index, other if other is not None else index))


def alike_neighbour(original: list[Block], translation: list[Block], alignment: Alignment, index: int):
    """The block next to a missing one whose counterpart could as well be the missing one's.

    With nothing but lengths, sentences and kept names to go by, two neighbouring
    paragraphs of the same length are told apart by little: then the message names both.
    """
    pairs = alignment.one_to_one()
    best, margin = None, AMBIGUOUS
    for other in (index - 1, index + 1):
        j = pairs.get(other)
        if (
            j is None
            or original[other].kind != original[index].kind
            or original[other].length < BLOCK_MINIMUM
        ):
            continue
        theirs = [translation[j]]
        difference = pair_cost([original[index]], theirs, alignment.ratio) - pair_cost(
            [original[other]], theirs, alignment.ratio
        )
        if difference < margin:
            best, margin = other, difference
    return best


def joined_without(original: list[Block], mine: tuple[int, ...], have: float, ratio: float) -> int | None:
    """The block of a join that the translation's text does not cover, if one clearly is."""
    want = sum(original[i].length for i in mine)
    joined = length_cost(want, have, ratio)
    best, cost = None, joined - JOIN_EVIDENCE
    for index in mine:
        if original[index].length < BLOCK_MINIMUM:
            continue
        without = length_cost(want - original[index].length, have, ratio)
        if without < cost:
            best, cost = index, without
    return best


def _split_off(
    original: list[Block], translation: list[Block], alignment: Alignment, index: int, at: int
) -> bool:
    """Whether the block next to a neighbour's counterpart is this block's: the alignment gave a
    neighbour two blocks of the translation (its own, cut short, and this one's), and the one on
    this side keeps this block's anchors (its code, links, the code block it leads into), or,
    without anchors, both fit by length as a pair too short to align does (IN_PLACE_SHARE).

    Where the translation condenses, a short pair costs as much as an omission; the anchors and
    the lengths of both say which it is.
    """
    groups = alignment.pairs  # ``at``: the pair where the block stands alone
    block = original[index]
    for k, end in ((at - 1, -1), (at + 1, 0)):
        if not 0 <= k < len(groups):
            continue
        mine, theirs = groups[k]
        if len(mine) != 1 or len(theirs) < 2:
            continue
        candidate = translation[theirs[end]]
        anchors = anchor_cost([block], [candidate])
        if block.anchors and anchors < 0 and length_cost(block.length, candidate.length, 1.0) < 1.0:
            return True
        rest = sum(translation[j].length for j in theirs) - candidate.length
        if (
            candidate.kind == block.kind
            and anchors <= 0  # (what either keeps, the other does not lack)
            and _fits_in_place(candidate.length, block.length, alignment.ratio)
            and _fits_in_place(rest, original[mine[0]].length, alignment.ratio)
        ):
            return True
    return False


def _fits_in_place(have: float, want: float, ratio: float) -> bool:
    return IN_PLACE_SHARE <= have / (want * ratio) <= 1 / IN_PLACE_SHARE


def _same_block(mine: Block, theirs: Block, nearby: bool) -> bool:
    """Whether a block the alignment left alone is the original's, moved: anchors agree (or, a
    few blocks away, do not disagree) and the length fits."""
    if length_cost(mine.length, theirs.length, 1.0) >= 1.0:
        return False
    anchors = anchor_cost([mine], [theirs])
    return anchors < 0 or (nearby and anchors == 0)


def _place(alignment: Alignment, translation: list[Block], index: int) -> str:
    before = alignment.counterpart_before(index)
    if before is None:
        return " (at the beginning)"
    block = translation[before]
    return f" (after the {block_name(block)} that begins '{quote_beginning(block.text)}')"


# -- languages ------------------------------------------------------------------


def base_language(lang: str) -> str:
    return re.split(r"[-_]", lang.lower(), maxsplit=1)[0]


@functools.lru_cache(maxsize=64)
def units_per_english_word(lang: str) -> float:
    lang = lang.lower()
    return UNITS_PER_ENGLISH_WORD.get(lang, UNITS_PER_ENGLISH_WORD.get(base_language(lang), 1.0))


def english_equivalent(reading: Reading, lang: str) -> float:
    """The length of a text in English words: words and CJK characters weighed by language."""
    if reading.cjk:
        per_word = units_per_english_word(lang)
        if base_language(lang) not in ("zh", "ja"):
            per_word = UNITS_PER_ENGLISH_WORD["zh"]  # CJK quoted in another language
        return reading.words / units_per_english_word_for_words(lang) + reading.cjk / per_word
    return reading.words / units_per_english_word(lang)


def units_per_english_word_for_words(lang: str) -> float:
    """In Chinese and Japanese text, words written with spaces are kept names and code: 1:1."""
    return 1.0 if base_language(lang) in ("zh", "ja") else units_per_english_word(lang)


# Codes that sites mark the same language with: Norwegian Bokmål is "no" on Wikipedia and many sites.
SAME_LANGUAGE = {"nb": "no"}


def marked_language(code: str) -> str:
    """The language a link's code marks, as a base code (``nb`` and ``no`` alike)."""
    base = base_language(code)
    return SAME_LANGUAGE.get(base, base)


def is_language_marker(segment: str, languages: tuple[str, ...]) -> bool:
    """``en``, ``zh-CN``, ``pt_BR``: a code of one of the two languages, or a regional form of it."""
    segment = segment.lower().replace("_", "-")
    if not LANG_CODE.match(segment):
        return False
    return any(segment == lang or marked_language(segment) == marked_language(lang) for lang in languages)


# -- link destinations ------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    """A link target as a reader would tell two of them apart."""

    written: str  # as the original writes it, for the message
    same: str  # localised parts taken out: equal means the same destination
    site: str  # the site in some language (host and marker position), for a looser match
    localized: bool  # whether it carried a language marker at all
    marker: str = ""  # the language it is marked with (base code), if any
    unmarked: str = ""  # what it is without its marker: "host:<site>" or the same path without it


# web.archive.org/web/20160101000000/http://x/y (or …/web/2016id_/x/y) shows http://x/y
ARCHIVED = re.compile(r"^(?:https?:)?//(?:www\.)?web\.archive\.org/web/[0-9*]*[a-z_]*/+(.+)$", re.I)
CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org")


def reader_target(written: str) -> str:
    """What a reader's browser goes to: percent-escapes read, no invisible format character
    (U+200E, U+200F, U+061C, U+2066–2069, zero-width spaces) at the end, an archive's copy
    of a page read as that page."""
    value = written.strip()
    if "%" in value:
        value = unquote(value)
    while value and unicodedata.category(value[-1]) == "Cf":
        value = value[:-1].rstrip()
    archived = ARCHIVED.match(value)
    if archived:
        value = archived.group(1)
        value = re.sub(r"^(https?):/+", r"\1://", value, flags=re.I)
        if "://" not in value:
            value = "http://" + value
    return value


@functools.lru_cache(maxsize=16384)
def link_key(written: str) -> str:
    """A destination as an anchor of the block alignment: scheme, ``www.``, slashes, the
    fragment and anything that looks like a language code (``en.``, ``/zh-CN/``, ``en.md``) aside,
    so that a translation's localised link still anchors its block."""
    value = reader_target(written).split("#", 1)[0]
    parts = urlsplit(value if not value.startswith("//") else "https:" + value)
    host = (parts.hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    if len(labels) > 2 and LANGUAGE_LIKE.match(labels[0]):
        host = ".".join(labels[1:])
    segments = []
    for segment in parts.path.split("/"):
        stem, dot, extension = segment.rpartition(".")
        if LANGUAGE_LIKE.match(segment):
            segment = "*"
        elif dot and LANGUAGE_LIKE.match(stem):
            segment = "*." + extension
        if segment:
            segments.append(segment)
    return f"{host}/{'/'.join(segments)}" + (f"?{parts.query}" if parts.query else "")


PAGE_EXTENSIONS = (".html", ".htm")


def web_page(segments: list[str]) -> list[str]:
    """A web page's path as servers answer it: a folder's ``index.html`` is the folder, and
    ``page.html`` is ``page`` (``page.*.html``, a language's copy, ``page.*``), as content
    negotiation and most static sites serve them."""
    last = segments[-1] if segments else ""
    if last.rpartition(".")[0] in ("index", "index.*") and last.endswith(PAGE_EXTENSIONS):
        segments = segments[:-1]
    if segments and segments[-1].endswith(PAGE_EXTENSIONS):
        segments = [*segments[:-1], segments[-1].rpartition(".")[0]]
    return segments


@functools.lru_cache(maxsize=16384)
def destination(written: str, languages: tuple[str, ...]) -> Destination:
    value = reader_target(written)
    internal = INTERNAL_PREFIX.match(value)
    if internal:
        path = INTERNAL_PREFIX.sub("", value).split("#", 1)[0].split("?", 1)[0]
        folder, _, name = path.rpartition("/")
        stem, dot, extension = name.rpartition(".")
        marked = False
        if dot and is_language_marker(stem, languages):
            name, marked = f"*.{extension}", True
        elif dot and "." in stem and is_language_marker(stem.rpartition(".")[2], languages):
            name, marked = f"{stem.rpartition('.')[0]}.*.{extension}", True
        normal = posixpath.normpath(posixpath.join(folder, name)) if (folder or name) else ""
        same = ("internal:" if internal.group(1) == "filename" else "file:") + normal
        return Destination(written, same, same, marked)
    if value.startswith("mailto:"):
        return Destination(written, value.lower(), value.lower(), False)
    # a URL, or a path on the same site (/en/page/): language segments are told apart alike
    parts = urlsplit(value if not value.startswith("//") else "https:" + value)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    marked = False
    marker = unmarked = ""
    labels = host.split(".")
    if len(labels) > 2 and is_language_marker(labels[0], languages):
        marker = marked_language(labels[0])
        labels[0], marked = "*", True
        unmarked = "host:" + ".".join(labels[1:])
    segments = []
    plain = []  # the path without its language marks: Bugs/index.fr.html is Bugs/index.html
    for segment in parts.path.split("/"):
        if not segment:
            continue
        if is_language_marker(segment, languages):
            segments.append("*")
            marker = marker or marked_language(segment)
            marked = True
            continue
        stem, dot, extension = segment.rpartition(".")
        if dot and "." in stem and is_language_marker(stem.rpartition(".")[2], languages):
            marker = marker or marked_language(stem.rpartition(".")[2])
            plain.append(f"{stem.rpartition('.')[0]}.{extension}")
            segment, marked = f"{stem.rpartition('.')[0]}.*.{extension}", True
        elif dot and stem and is_language_marker(extension, languages):
            # page.ca: a server's copy of the page in that language (content negotiation)
            marker = marker or marked_language(extension)
            plain.append(stem)
            segment, marked = f"{stem}.*", True
        else:
            plain.append(segment)
        segments.append(segment)
    segments, plain = web_page(segments), web_page(plain)
    if (
        host in CODE_HOSTS
        and len(segments) > 3
        and segments[2] in ("tree", "blob")
        and segments[3] == "master"
    ):
        segments[3] = "main"  # the same folder after the branch was renamed
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in LANG_QUERY]
    if len(query) != len(parse_qsl(parts.query, keep_blank_values=True)):
        marked = True
    site = ".".join(labels)
    tail = f"?{urlencode(sorted(query))}" if query else ""
    same = f"{site}/{'/'.join(segments)}" + tail
    marker_at = [i for i, segment in enumerate(segments) if segment == "*"]
    loose = f"{site}/{'/'.join(segments[: marker_at[0] + 1])}" if marker_at else site
    if marker and not unmarked:
        unmarked = f"{site}/{'/'.join(plain)}" + tail
    return Destination(written, same, loose, marked, marker, unmarked)


def missing_destinations(original: tuple[str, ...], translation: tuple[str, ...], languages) -> list[str]:
    """The original's destinations the translation does not reach, as the original writes them.

    A destination counts as reached when the translation links to the same
    place (localised parts, scheme, ``www.``, an archive's copy aside), or to the
    same page in the translation's own language: for a destination that is
    itself in the original's language (``en.wikipedia.org/wiki/Strike``), a page
    of the same site in the translation's language (``it.wikipedia.org/wiki/Sciopero``);
    for one on a site's bare host (``wikipedia.org/wiki/Strike``), a page of its
    subdomain in the translation's language, or the same path under its
    language segment.
    """
    languages = tuple(languages)
    written = set(translation)
    rest = [value for value in original if value not in written]  # most links are written alike
    if not rest:
        return []
    theirs = [destination(value, languages) for value in translation]
    same = {d.same for d in theirs}
    # a translation's localised link that is already the same as one of the original's
    # stands for that one, not for another page of its site
    mine_same = {destination(value, languages).same for value in original}
    unmatched_theirs = [d for d in theirs if d.localized and d.same not in mine_same]
    own = marked_language(languages[-1]) if languages else ""
    missing = []
    for value in rest:
        mine = destination(value, languages)
        if mine.same in same:
            continue
        if mine.localized:
            match = next((d for d in unmatched_theirs if d.site == mine.site), None)
        else:
            home = "host:" + mine.site.split("/", 1)[0]
            match = next(
                (d for d in unmatched_theirs if d.marker == own and d.unmarked in (home, mine.same)),
                None,
            )
        if match is not None:
            unmatched_theirs.remove(match)
            continue
        missing.append(value)
    return missing


def shorten(url: str, width: int = 90) -> str:
    if len(url) <= width:
        return url
    keep = width // 2 - 1
    return f"{url[:keep]}…{url[-keep:]}"


def name_list(items: list[str]) -> str:
    shown = [shorten(item) for item in items[:LISTED]]
    if len(items) > LISTED:
        return ", ".join(shown) + f" and {len(items) - LISTED} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return shown[0]


# -- the judgements ------------------------------------------------------------------

PARTS = (
    ("headings", "heading", "headings"),
    ("list_items", "list item", "list items"),
    ("quotes", "quotation", "quotations"),
    ("tables", "table", "tables"),
    ("footnotes", "footnote", "footnotes"),
)


def lacks(original: Reading, translation: Reading, original_lang: str, lang: str) -> list[str]:
    """What a reader of the translation misses, each part named: empty when nothing."""
    languages = (original_lang, lang)
    found = []
    links = missing_destinations(original.links, translation.links, languages)
    if links:
        found.append(f"lacks the links to {name_list(links)} ({len(links)} of {len(original.links)})")
    images = missing_destinations(original.images, translation.images, languages)
    if images:
        found.append(f"lacks the images {name_list(images)} ({len(images)} of {len(original.images)})")
    mine, theirs = original.aligned_blocks(original_lang), translation.aligned_blocks(lang)
    blocks, alignment = lacking_blocks(mine, theirs)
    for attribute, singular, plural in PARTS:
        want, have = getattr(original, attribute), getattr(translation, attribute)
        if have < want:
            which = changed_kind(mine, theirs, alignment, PART_KINDS.get(attribute), blocks)
            found.append(f"has {have} of the original's {want} {singular if want == 1 else plural}{which}")
    if blocks:
        more = f"; and {len(blocks) - LISTED} more" if len(blocks) > LISTED else ""
        found.insert(0, "lacks " + "; ".join(blocks[:LISTED]) + more)
    length = english_equivalent(original, original_lang)
    if length >= LENGTH_MINIMUM:
        ratio = english_equivalent(translation, lang) / length
        if ratio < LENGTH_FLOOR:
            found.append(
                f"its text is {ratio:.0%} of the length usual for a {lang} translation of this "
                f"{original_lang} text ({describe_length(translation, lang)} against "
                f"{describe_length(original, original_lang)})"
            )
    return found


PART_KINDS = {"headings": "heading", "list_items": "list item", "quotes": "quote"}


def changed_kind(
    mine: list[Block], theirs: list[Block], alignment, kind: str | None, named: list[str]
) -> str:
    """`` (heading 2 of 5, which begins '…', is not one here)``: the blocks of a kind whose
    counterpart is of another kind (a heading written ``###Title``), those not named already."""
    if kind is None or alignment is None:
        return ""
    found = []
    for group, counterpart in alignment.pairs:
        if not counterpart:
            continue
        for index in group:
            if mine[index].kind == kind and all(theirs[j].kind != kind for j in counterpart):
                described = describe_block(mine, index)
                if not any(described + "," in message for message in named):
                    found.append(f"{described}, which begins '{quote_beginning(mine[index].text)}'")
    if not found:
        return ""
    more = f" and {len(found) - LISTED} more" if len(found) > LISTED else ""
    return f" ({'; '.join(found[:LISTED])}{more}: not one here)"


def describe_length(reading: Reading, lang: str) -> str:
    if reading.cjk:
        return f"{reading.cjk} characters and {reading.words} words"
    return f"{reading.words} words"


def copied_share(original: Reading, translation: Reading, lang: str = "") -> float | None:
    """The share of the translation's prose found block for block in the original, or None if too little.

    Weighed in characters; in a translation with Chinese or Japanese, in English-word
    equivalents (``lang``'s): a paragraph left in English has three or four times the
    characters of its translation, and two of seventeen made half of such a body.
    """
    if translation.sample:
        shared = sum(map(original.vocabulary.__contains__, translation.sample))
        if shared < SAMPLE_SHARE * len(translation.sample):
            return 0.0  # most of its words are not the original's: no need to compare blocks
    theirs = {block for block, _ in original.blocks()}
    characters = total = copied = 0.0
    for block, length in translation.blocks():
        if not LETTERS.search(URL_TEXT.sub(" ", block)):
            continue  # numbers, URLs, punctuation: nothing to translate
        characters += length
        weight = text_length(block, lang) if translation.cjk and lang else length
        total += weight
        if block in theirs:
            copied += weight
    if characters < UNTRANSLATED_MINIMUM or not total:
        return None
    return copied / total


def title_words(title: str, original_text: str = "") -> set[str]:
    """The words of a title that are text to translate, case-folded.

    Names are not: a capitalised word or one in capitals ("Bitcoin Optech
    Newsletter #250"), code, URLs, domain and file names (``ethereum.org``,
    ``web3.py``), identifiers (``snake_case``, ``camelCase``, ``v2``) and numbers
    are left out; words of scripts without case (CJK, Arabic, Devanagari…) count.
    ``original_text``, the original's body, tells a headline's capitals from a
    name's: in a title that holds no name (no word the body writes with a
    capital within a sentence, or in capitals), a capitalised word the body
    writes in lower case is text ("Workers Strike Back" over a body about the
    workers' strike); a title written wholly in capitals ("BABY STEPS") is
    read as if it were not, but for the words the body also writes in
    capitals (NATO).
    """
    text = URL_TEXT.sub(" ", re.sub(r"`[^`]*`", " ", title))
    text = NAME_TOKEN.sub(" ", text)
    found = LETTERS.findall(text)
    common = capitals = named = frozenset()
    if original_text and any(word[0].isupper() for word in found):
        common, capitals, named = body_casing(original_text)
    if len(found) > 1 and all(word.isupper() for word in found):  # shouted
        words = {word.casefold() for word in found if word not in capitals}
    elif any(word in named or word in capitals for word in found):
        # a title that holds a name ("Bitcoin Optech Newsletter #233", "Add React to a
        # Website") may be a name as a whole: its capitals are left to the translator
        words = {word.casefold() for word in found if not word[0].isupper()}
    else:
        words = {word.casefold() for word in found if not word[0].isupper() or word.lower() in common}
    return words | set(CJK.findall(text))


# A word after a letter or a comma within a sentence: written with a capital there, it is a name.
MID_SENTENCE_WORD = re.compile(r"(?<=[^\W\d_]|[,;:])\s+([^\W\d_]{2,})")


@functools.lru_cache(maxsize=8)
def body_casing(original_text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words an original's body writes in lower case, in capitals, and with a capital within a
    sentence; read once per body (po-export asks for every segment of one original)."""
    written = LETTERS.findall(original_text)
    return (
        frozenset(word for word in written if word.islower()),
        frozenset(word for word in written if word.isupper()),
        frozenset(MID_SENTENCE_WORD.findall(original_text)),
    )


def untranslated(
    original: Reading,
    translation: Reading,
    original_title: str,
    title: str,
    translation_text_words: set[str],
    original_lang: str,
    lang: str,
) -> list[str]:
    """Why a translation is still the original's text: empty when it is not."""
    if base_language(original_lang) == base_language(lang):
        return []
    found = []
    share = copied_share(original, translation, lang)
    if share is not None and share >= UNTRANSLATED_SHARE:
        found.append(
            "its body is still the original's text"
            if share > 0.95
            else f"{share:.0%} of its body is still the original's text, word for word"
        )
    if title.strip() and " ".join(title.split()).casefold() == " ".join(original_title.split()).casefold():
        # Names, numbers, code and URLs stay the same in every language: a title
        # made only of words the translated body also uses is not left untranslated.
        to_translate = title_words(title, original.text) - translation_text_words
        if to_translate or found:
            found.append(f"its title is the original's title unchanged ({title.strip()!r})")
    return found


def text_words(html: str) -> set[str]:
    """The words (and CJK characters) of a rendered body, case-folded."""
    text = html_lib.unescape(TAG.sub(" ", CODE.sub(" ", html)))
    return {word.casefold() for word in LETTERS.findall(text)} | set(CJK.findall(text))
