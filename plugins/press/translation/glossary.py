"""The paper's fixed terminology: ``content/glossary.toml`` (contract §3, problem kind ``terminology``).

::

    [glossary.central-organ]
    en = ["central organ", "central organs"]
    it = ["organo centrale", "organi centrali"]
    fa = "ارگان مرکزی"

When an original's title, summary, share caption or body contains one of a term's phrases in its
language, each translation must contain one of that term's phrases in its own language in the
same fields taken together.  Phrases match whole words in any case (a hyphen joins words:
"third-party" is not "party"); a phrase written in a script without spaces between words
(Chinese, Japanese, Thai, …) matches anywhere.  Link destinations, tags and other markup
hidden from translators (see :mod:`press.translation.segments`) are not searched.

Pure: no Pelican.  :func:`load` reads and validates the file, :func:`check_tree` adds the problems.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from press.content.intake import has_control_characters, without_control_characters
from press.files import read_content_file
from press.settings import SLUG

FILE_NAME = "glossary.toml"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# Scripts written without spaces between words: a phrase in them matches anywhere.
UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f"
    "\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
# Letters written two ways in Persian text (Arabic and Persian yeh and kaf, …): one form each.
FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647"})


@dataclass(frozen=True)
class Term:
    key: str
    phrases: dict[str, tuple[str, ...]]  # lang -> accepted phrases

    def found_in(self, lang: str, text: str) -> str | None:
        """The first of this term's ``lang`` phrases that ``text`` contains, or None."""
        folded = fold(text)
        for phrase in self.phrases.get(lang, ()):
            if phrase_pattern(phrase).search(folded):
                return phrase
        return None


@dataclass
class Glossary:
    terms: dict[str, Term] = field(default_factory=dict)
    # (entry, message) for every entry that could not be used
    errors: list[tuple[str, str]] = field(default_factory=list)

    def used_in(self, lang: str, text: str) -> list[tuple[Term, str]]:
        """Every term whose ``lang`` phrases ``text`` contains, with the phrase found."""
        found = []
        for term in self.terms.values():
            phrase = term.found_in(lang, text)
            if phrase is not None:
                found.append((term, phrase))
        return found


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(FOLD).casefold()


_PATTERNS: dict[str, re.Pattern] = {}


def phrase_pattern(phrase: str) -> re.Pattern:
    """How a phrase is searched for in folded text: whole words unless the script has no spaces."""
    pattern = _PATTERNS.get(phrase)
    if pattern is None:
        words = fold(phrase).split()
        body = r"[\s\u00a0]+".join(re.escape(word) for word in words)
        pattern = re.compile(body) if UNSPACED.search(phrase) else re.compile(rf"(?<![\w-]){body}(?![\w-])")
        _PATTERNS[phrase] = pattern
    return pattern


def parse(text: str, languages: Iterable[str] | None = None) -> Glossary:
    """Read glossary.toml's text; every entry that cannot be used is in ``errors``."""
    glossary = Glossary()
    known = list(languages) if languages is not None else None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        glossary.errors.append(("*", f"{FILE_NAME} is not valid TOML ({error}): fix the syntax"))
        return glossary
    for name in data:
        if name != "glossary":
            glossary.errors.append(
                (name, f"[{name}] is not a glossary table: every entry is [glossary.<key>]")
            )
    entries = data.get("glossary", {})
    if not isinstance(entries, dict):
        glossary.errors.append(("glossary", "'glossary' must be tables: [glossary.<key>]"))
        return glossary
    for key, entry in entries.items():
        where = f"[glossary.{key}]"
        if not SLUG.match(key):
            glossary.errors.append(
                (key, f"{where}: {key!r} is not a valid key: use lower-case letters, digits and hyphens")
            )
            continue
        if not isinstance(entry, dict):
            glossary.errors.append((key, f'{where} must be a table of languages, e.g. en = "central organ"'))
            continue
        phrases: dict[str, tuple[str, ...]] = {}
        for lang, value in entry.items():
            if known is not None and lang not in known:
                glossary.errors.append(
                    (
                        key,
                        f"{where}: {lang!r} is not a language of this press ({', '.join(known)}): "
                        "fix the code or remove the line",
                    )
                )
                continue
            if known is None and not LANGUAGE_CODE.match(lang):
                glossary.errors.append((key, f"{where}: {lang!r} is not a language code"))
                continue
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(item, str) for item in values):
                glossary.errors.append(
                    (
                        key,
                        f"{where} {lang}: give a phrase or a list of phrases (strings), e.g. "
                        f'{lang} = ["…", "…"]',
                    )
                )
                continue
            if any(has_control_characters(item) for item in values):
                glossary.errors.append(
                    (
                        key,
                        f"{where} {lang}: a phrase holds control characters (pasted from a word "
                        "processor?): they are left out; delete them from the file",
                    )
                )
                values = [without_control_characters(item) for item in values]
            if any(not item.strip() for item in values):
                glossary.errors.append(
                    (key, f"{where} {lang}: an empty phrase matches nothing: write the phrase or remove it")
                )
                continue
            phrases[lang] = tuple(" ".join(item.split()) for item in values)
        if phrases:
            glossary.terms[key] = Term(key, phrases)
    return glossary


def load(content_root: str, languages: Iterable[str] | None = None) -> Glossary | None:
    """``<content>/glossary.toml`` read and validated, or None when there is none."""
    try:
        raw = read_content_file(content_root, FILE_NAME)
        if raw is None:
            return None
        text = raw.decode("utf-8-sig")  # an editor's byte-order mark is not part of the TOML
    except (OSError, UnicodeDecodeError) as error:
        glossary = Glossary()
        glossary.errors.append(("*", f"{FILE_NAME} cannot be read as UTF-8 text ({error})"))
        return glossary
    return parse(text, languages)


def version_text(version) -> str:
    """The title, summary, share caption and body of a version, as the check searches them."""
    from press.translation.segments import body_segments, header_segments

    segments = header_segments(version.source) + body_segments(version.source.body)
    return "\n".join(visible_text(segment.text) for segment in segments)


# What a reader does not see of a segment: its placeholders (tags, destinations), emphasis
# and code marks, a link's brackets ("L'**organo** centrale" reads "L'organo centrale").
HIDDEN_MARKS = re.compile(r"\{\d+\}|\*+|~~|`+|(?<!\w)_+|_+(?!\w)|[\[\]]")


def visible_text(text: str) -> str:
    """A segment's text as its reader sees the words, for matching phrases across markup."""
    return HIDDEN_MARKS.sub("", text)


def check_tree(tree, content_root: str, languages: Iterable[str], problems) -> Glossary | None:
    """Report invalid glossary entries and every translation that drops a fixed term."""
    glossary = load(content_root, languages)
    if glossary is None:
        return None
    for entry, message in glossary.errors:
        problems.add("invalid-metadata", key=entry, lang="*", path=FILE_NAME, message=message)
    for problem in terminology_problems(tree, glossary):
        problems.add("terminology", **problem)
    return glossary


def terminology_problems(tree, glossary: Glossary) -> list[dict]:
    found = []
    texts: dict[str, str] = {}

    def text_of(version) -> str:
        if version.path not in texts:
            texts[version.path] = version_text(version)
        return texts[version.path]

    for _, group in sorted(tree.groups.items()):
        original = group.original
        if original is None:
            continue
        for term, phrase in glossary.used_in(original.lang, text_of(original)):
            for lang, version in sorted(group.versions.items()):
                if version is original or lang not in term.phrases:
                    continue
                if term.found_in(lang, text_of(version)) is not None:
                    continue
                expected = ", ".join(f'"{p}"' for p in term.phrases[lang])
                found.append(
                    {
                        "key": group.key,
                        "lang": lang,
                        "path": version.path,
                        "message": (
                            f"the original ({original.path}) uses the glossary term '{term.key}' "
                            f'("{phrase}"), but this translation uses none of its {lang} phrases: '
                            f"{expected}. Use one of them in the title, summary, share caption or "
                            f"body, or ask the editors to add the phrase you chose to {FILE_NAME}."
                        ),
                    }
                )
    return found
