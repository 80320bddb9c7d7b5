"""What a reader of a translation sees, compared with the original (contract §6).

``incomplete`` and ``untranslated`` are judged on the *rendered* bodies (the
HTML the site shows, from the same Markdown configuration and render cache),
never on the Markdown spelling: line wrapping, ``[x]`` shortcut references,
reference-style links, a list written without a blank line before it or
reordered emphasis all render to what the reader sees, and only that is
compared.

What is compared:

- link destinations and image sources, as sets (a reader reaches a destination
  once), after taking out what a translation rightly localizes: the language
  file of a linked key (``{filename}../x/en.md`` ~ ``{filename}../x/it.md``),
  a language segment of an external URL (``/en/`` ~ ``/zh/``, ``en.`` ~ ``zh.``
  host prefix, ``?lang=en``, ``page.en.html``), the fragment (heading anchors
  are translated with their headings), ``http``/``https`` and ``www.``;
- headings, list items, quotes, tables and footnotes, as counts;
- the length of the text against what is usual for that pair of languages
  (:data:`UNITS_PER_ENGLISH_WORD`), CJK text counted in characters, every other
  script in words. Code is not text to translate and is left out.

No Pelican here: the caller hands in rendered HTML.
"""

from __future__ import annotations

import functools
import html as html_lib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

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
LISTED = 4  # destinations named in a message before "and N more"

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
HEADING = re.compile(r"<h[1-6][ >]")
IMAGE = re.compile(r"<img\b[^>]*?\ssrc=(?:\"([^\"]*)\"|'([^']*)')", re.I)
ANCHOR = re.compile(r"<a\b([^>]*)>", re.I)
HREF = re.compile(r"\shref=(?:\"([^\"]*)\"|'([^']*)')", re.I)
# A list written without a blank line before it renders inside a paragraph:
# its items are still items to the writer, and counted as such on both sides.
LOOSE_ITEM = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+[\w\[*_`<]")
BLOCK = re.compile(r"<(p|li|h[1-6]|td|th|dt|dd)\b[^>]*>(.*?)</\1>", re.S | re.I)
URL_TEXT = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)
LETTERS = re.compile(r"[^\W\d_]{2,}")
INTERNAL_PREFIX = re.compile(r"^\{(filename|static|attach)\}")
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
        list_items=html.count("<li>") + html.count("<li ") - footnotes + len(LOOSE_ITEM.findall(prose_html)),
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
    )


# -- languages ------------------------------------------------------------------


def base_language(lang: str) -> str:
    return re.split(r"[-_]", lang.lower(), maxsplit=1)[0]


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


def is_language_marker(segment: str, languages: tuple[str, ...]) -> bool:
    """``en``, ``zh-CN``, ``pt_BR``: a code of one of the two languages, or a regional form of it."""
    segment = segment.lower().replace("_", "-")
    if not LANG_CODE.match(segment):
        return False
    return any(segment == lang or base_language(segment) == base_language(lang) for lang in languages)


# -- link destinations ------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    """A link target as a reader would tell two of them apart."""

    written: str  # as the original writes it, for the message
    same: str  # localised parts taken out: equal means the same destination
    site: str  # the site in some language (host and marker position), for a looser match
    localized: bool  # whether it carried a language marker at all


@functools.lru_cache(maxsize=16384)
def destination(written: str, languages: tuple[str, ...]) -> Destination:
    value = written.strip()
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
    labels = host.split(".")
    if len(labels) > 2 and is_language_marker(labels[0], languages):
        labels[0], marked = "*", True
    segments = []
    for segment in parts.path.split("/"):
        if not segment:
            continue
        if is_language_marker(segment, languages):
            segments.append("*")
            marked = True
            continue
        stem, dot, extension = segment.rpartition(".")
        if dot and "." in stem and is_language_marker(stem.rpartition(".")[2], languages):
            segment, marked = f"{stem.rpartition('.')[0]}.*.{extension}", True
        segments.append(segment)
    if segments and segments[-1] in ("index.html", "index.htm"):
        segments.pop()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in LANG_QUERY]
    if len(query) != len(parse_qsl(parts.query, keep_blank_values=True)):
        marked = True
    site = ".".join(labels)
    same = f"{site}/{'/'.join(segments)}" + (f"?{urlencode(sorted(query))}" if query else "")
    marker_at = [i for i, segment in enumerate(segments) if segment == "*"]
    loose = f"{site}/{'/'.join(segments[: marker_at[0] + 1])}" if marker_at else site
    return Destination(written, same, loose, marked)


def missing_destinations(original: tuple[str, ...], translation: tuple[str, ...], languages) -> list[str]:
    """The original's destinations the translation does not reach, as the original writes them.

    A destination counts as reached when the translation links to the same
    place (localised parts aside), or, for a destination that is itself in the
    original's language (``en.wikipedia.org/wiki/Strike``), to a page of the same
    site in the translation's language (``it.wikipedia.org/wiki/Sciopero``).
    """
    languages = tuple(languages)
    written = set(translation)
    rest = [value for value in original if value not in written]  # most links are written alike
    if not rest:
        return []
    theirs = [destination(value, languages) for value in translation]
    same = {d.same for d in theirs}
    unmatched_theirs = [d for d in theirs if d.localized]
    missing = []
    for value in rest:
        mine = destination(value, languages)
        if mine.same in same:
            continue
        if mine.localized:
            match = next((d for d in unmatched_theirs if d.site == mine.site), None)
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
    for attribute, singular, plural in PARTS:
        want, have = getattr(original, attribute), getattr(translation, attribute)
        if have < want:
            found.append(f"has {have} of the original's {want} {singular if want == 1 else plural}")
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


def describe_length(reading: Reading, lang: str) -> str:
    if reading.cjk:
        return f"{reading.cjk} characters and {reading.words} words"
    return f"{reading.words} words"


def copied_share(original: Reading, translation: Reading) -> float | None:
    """The share of the translation's prose found block for block in the original, or None if too little."""
    if translation.sample:
        shared = sum(map(original.vocabulary.__contains__, translation.sample))
        if shared < SAMPLE_SHARE * len(translation.sample):
            return 0.0  # most of its words are not the original's: no need to compare blocks
    theirs = {block for block, _ in original.blocks()}
    total = copied = 0
    for block, length in translation.blocks():
        if not LETTERS.search(URL_TEXT.sub(" ", block)):
            continue  # numbers, URLs, punctuation: nothing to translate
        total += length
        if block in theirs:
            copied += length
    if total < UNTRANSLATED_MINIMUM:
        return None
    return copied / total


def title_words(title: str) -> set[str]:
    """The words of a title that are text to translate, case-folded.

    Names are not: a capitalised word or one in capitals ("Bitcoin Optech
    Newsletter #250"), code, URLs and numbers are left out; words of scripts
    without case (CJK, Arabic, Devanagari…) count.
    """
    text = URL_TEXT.sub(" ", re.sub(r"`[^`]*`", " ", title))
    words = {word.casefold() for word in LETTERS.findall(text) if not word[0].isupper()}
    return words | set(CJK.findall(text))


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
    share = copied_share(original, translation)
    if share is not None and share >= UNTRANSLATED_SHARE:
        found.append(
            "its body is still the original's text"
            if share > 0.95
            else f"{share:.0%} of its body is still the original's text, word for word"
        )
    if title.strip() and " ".join(title.split()).casefold() == " ".join(original_title.split()).casefold():
        # Names, numbers, code and URLs stay the same in every language: a title
        # made only of words the translated body also uses is not left untranslated.
        to_translate = title_words(title) - translation_text_words
        if to_translate or found:
            found.append(f"its title is the original's title unchanged ({title.strip()!r})")
    return found


def text_words(html: str) -> set[str]:
    """The words (and CJK characters) of a rendered body, case-folded."""
    text = html_lib.unescape(TAG.sub(" ", CODE.sub(" ", html)))
    return {word.casefold() for word in LETTERS.findall(text)} | set(CJK.findall(text))
