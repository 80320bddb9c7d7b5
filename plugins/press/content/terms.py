"""Sections, tags and publications with a name in every language (contract §3).

``content/terms.toml``::

    [sections.strikes]          # sections, in the order the menu shows them
    en = "Strikes"
    it = "Scioperi"

    [tags.general-strike]
    en = "general strike"
    it = "sciopero generale"

    [publications.communist-left]
    en = "The Communist Left"

An original names a term by its key or by its name in the original's
language; every edition shows the term's name in its own language and links
its page at ``<lang>/section/<slug>/`` or ``<lang>/tag/<slug>/``, where the
slug is made from that language's name (Unicode letters kept, so a Persian or
Chinese name has a readable address). No Pelican here.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

from press.content.intake import has_control_characters, without_control_characters
from press.content.slugs import slug_clashes
from press.files import read_content_file
from press.settings import SLUG

TERMS_FILE = "terms.toml"
KINDS = ("sections", "tags", "publications")
SINGULAR = {"sections": "section", "tags": "tag", "publications": "publication"}
# Folders of a term's pages, per kind (publications keep their key: <lang>/publications/<key>/).
FOLDERS = {"sections": "section", "tags": "tag"}


def slugify(text: str) -> str:
    """A path segment of ``text`` that keeps letters, marks and digits of every script.

    ``"Sicurezza in rete"`` -> ``sicurezza-in-rete``; ``"اعتصاب‌ها"`` -> ``اعتصاب-ها``;
    ``"罢工"`` -> ``罢工``. Empty when nothing is left (the caller falls back to a key).
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = [ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in text]
    return re.sub(r"-{2,}", "-", "".join(kept)).strip("-")


@dataclass(frozen=True)
class Term:
    """One section, tag or publication."""

    kind: str
    key: str
    names: dict[str, str]

    def name(self, lang: str, default_lang: str | None = None) -> str:
        """Its name in ``lang``; else in the default language; else its key."""
        return self.names.get(lang) or (self.names.get(default_lang) if default_lang else None) or self.key

    def slug(self, lang: str, default_lang: str | None = None) -> str:
        return slugify(self.name(lang, default_lang)) or self.key


@dataclass
class Terms:
    """Every term of a content folder, in the order the file lists them."""

    sections: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    publications: dict[str, Term] = field(default_factory=dict)
    # (kind of problem, term kind, key, lang, message): found while reading the file
    errors: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    path: str = TERMS_FILE

    def of(self, kind: str) -> dict[str, Term]:
        return getattr(self, kind)

    def find(self, kind: str, written: str, lang: str | None = None) -> Term | None:
        """The term an original means: by key, or by its name in the original's language.

        Names are compared without regard to case; a name in another language is
        accepted too when it is unambiguous (an original moved between languages).
        """
        written = written.strip()
        terms = self.of(kind)
        if written in terms:
            return terms[written]
        folded = written.casefold()
        if lang is not None:
            for term in terms.values():
                if term.names.get(lang, "").casefold() == folded:
                    return term
        matches = [term for term in terms.values() if folded in {n.casefold() for n in term.names.values()}]
        if len(matches) == 1:
            return matches[0]
        slug = slugify(written)
        if slug in terms:
            return terms[slug]
        return None


def read_terms(content_path: str) -> Terms:
    """``content/terms.toml``, or no terms when there is none; unreadable parts are in ``errors``."""
    terms = Terms()
    try:
        raw = read_content_file(content_path, TERMS_FILE)
        if raw is None:
            return terms
        # utf-8-sig: an editor on Windows (Notepad) starts the file with a byte-order mark
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        terms.errors.append(
            ("invalid-metadata", "", "*", "*", f"{TERMS_FILE} cannot be read ({error}): fix its TOML syntax.")
        )
        return terms
    return parse_terms(data, terms)


def parse_terms(data: dict, terms: Terms | None = None) -> Terms:
    terms = terms or Terms()
    for table, value in data.items():
        if table not in KINDS:
            terms.errors.append(
                (
                    "invalid-metadata",
                    "",
                    str(table),
                    "*",
                    f"{TERMS_FILE} has a table [{table}]: only [sections.<key>], [tags.<key>] and "
                    "[publications.<key>] are read; rename or remove it.",
                )
            )
            continue
        if not isinstance(value, dict):
            terms.errors.append(
                (
                    "invalid-metadata",
                    table,
                    table,
                    "*",
                    f"{TERMS_FILE}: {table} must be [{table}.<key>] tables.",
                )
            )
            continue
        for key, names in value.items():
            where = f"[{table}.{key}]"
            if not SLUG.match(str(key)):
                terms.errors.append(
                    (
                        "invalid-metadata",
                        table,
                        str(key),
                        "*",
                        f"{TERMS_FILE} {where}: a key is lower-case letters, digits and hyphens "
                        f"(e.g. {slugify(str(key)) or 'strikes'!r}): rename it.",
                    )
                )
                continue
            if not isinstance(names, dict) or not all(
                isinstance(name, str) and name.strip() for name in names.values()
            ):
                terms.errors.append(
                    (
                        "invalid-metadata",
                        table,
                        key,
                        "*",
                        f'{TERMS_FILE} {where}: give one name per language, e.g. en = "Strikes".',
                    )
                )
                continue
            pasted = sorted(lang for lang, name in names.items() if has_control_characters(name))
            if pasted:
                terms.errors.append(
                    (
                        "invalid-metadata",
                        table,
                        key,
                        "*",
                        f"{TERMS_FILE} {where}: the {', '.join(pasted)} name holds control characters "
                        "(pasted from a word processor?): they are left out of the site; delete them "
                        "from the file.",
                    )
                )
            terms.of(table)[key] = Term(
                table, key, {lang: without_control_characters(name).strip() for lang, name in names.items()}
            )
    return terms


def check_terms(terms: Terms, languages: list[str], used: dict[str, set[str]] | None = None):
    """Problems of the terms themselves, as (kind, key, lang, message).

    ``untranslated-term``: a section or tag (or publication) with no name in a
    published language; with ``used`` (term keys per kind that content uses)
    only those are required. ``invalid-metadata``: two terms of a kind whose
    pages would share a path in some language.
    """
    found = []
    for kind in KINDS:
        for term in terms.of(kind).values():
            if used is not None and term.key not in used.get(kind, set()):
                continue
            for lang in languages:
                if lang not in term.names:
                    found.append(
                        (
                            "untranslated-term",
                            term.key,
                            lang,
                            f"the {SINGULAR[kind]} '{term.key}' has no {lang} name: add "
                            f'{lang} = "…" under [{kind}.{term.key}] in {TERMS_FILE}.',
                        )
                    )
        if kind not in FOLDERS:
            continue
        for lang in languages:
            pairs = [
                (term.key, term.slug(lang, languages[0] if languages else None))
                for term in terms.of(kind).values()
            ]
            for clash in slug_clashes(pairs):
                keys = ", ".join(f"[{kind}.{key}]" for key in clash.names)
                found.append(
                    (
                        "invalid-metadata",
                        clash.names[0],
                        lang,
                        f"{keys} would all be {lang}/{FOLDERS[kind]}/{clash.slug}/ in {TERMS_FILE}: give "
                        f"them different {lang} names, or merge them into one term.",
                    )
                )
    return found
