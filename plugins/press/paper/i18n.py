"""Interface strings and locale data: gettext catalogs through Babel.

Catalogs live in ``translations/<lang>/LC_MESSAGES/messages.po`` and are
compiled in memory at the start of every build, so no compiled ``.mo`` file is
ever kept in git or goes stale.  The theme's templates are written in English,
which therefore needs no catalog.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
import os
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from press.problems import ProblemCollector

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
CATALOG = "LC_MESSAGES/messages.po"
TEMPLATE_EXTRACTION = [("**.html", "jinja2.ext:babel_extract")]
EXTRACTION_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@dataclass(frozen=True)
class Message:
    """One interface message of the theme."""

    msgid: str | tuple[str, str]
    locations: tuple[str, ...]

    @property
    def singular(self) -> str:
        return self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid


def file_stamp(path: str) -> tuple:
    """What tells that a file or a folder's files changed: names, sizes, modification times."""
    if os.path.isfile(path):
        status = os.stat(path)
        return (path, status.st_size, status.st_mtime_ns)
    stamps = []
    for folder, subfolders, files in os.walk(path):
        subfolders.sort()
        for name in sorted(files):
            status = os.stat(os.path.join(folder, name))
            stamps.append((folder, name, status.st_size, status.st_mtime_ns))
    return tuple(stamps)


def theme_messages(templates_dir: str) -> list[Message]:
    """Every translatable message in the theme's templates, in a stable order.

    Extracting them parses every template (~0.4 s); the preview server asks on
    every run, so the answer is kept until a template changes.
    """
    return list(_theme_messages(templates_dir, file_stamp(templates_dir)))


def messages_record(messages: list[Message]) -> list:
    """The theme's messages as JSON values (a record of ``CACHE_PATH``)."""
    return [[message.msgid, list(message.locations)] for message in messages]


def messages_from_record(entries) -> list[Message] | None:
    """Messages back from :func:`messages_record`'s values; None for anything else."""
    if not isinstance(entries, list):
        return None
    messages = []
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)):
            return None
        msgid, locations = entry
        if isinstance(msgid, list) and len(msgid) == 2 and all(isinstance(part, str) for part in msgid):
            msgid = tuple(msgid)
        elif not isinstance(msgid, str):
            return None
        if not all(isinstance(location, str) for location in locations):
            return None
        messages.append(Message(msgid, tuple(locations)))
    return messages


@functools.lru_cache(maxsize=4)  # keyed by the templates' stamp: a few themes at most
def _theme_messages(templates_dir: str, _stamp: tuple) -> tuple[Message, ...]:
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        templates_dir, TEMPLATE_EXTRACTION, options_map=EXTRACTION_OPTIONS
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return tuple(Message(msgid, tuple(places)) for msgid, places in found.items())


def catalog_path(translations_dir: str, lang: str) -> str:
    return os.path.join(translations_dir, lang, CATALOG)


def needs_catalog(lang: str) -> bool:
    return lang.split("-")[0].split("_")[0] != SOURCE_LANGUAGE


def base_language(lang: str) -> str:
    return re.split(r"[-_]", lang, maxsplit=1)[0].lower()


@functools.lru_cache(maxsize=128)
def script_of(lang: str) -> str:
    """The script ``lang`` is written in (ISO 15924, ``""`` if CLDR does not know): the code's
    own (``sr-latn``), else the one CLDR's likely subtags give for its region or language
    (``zh-tw`` -> Hant, ``pt`` -> Latn, ``th`` -> Thai). Read from the subtags themselves:
    Babel's Locale drops a script it has no data for (``th_Thai_TH``)."""
    from babel.core import get_global, parse_locale

    parts = lang.replace("-", "_").split("_")
    language = parts[0].lower()
    script = next((part.title() for part in parts[1:] if len(part) == 4 and part.isalpha()), "")
    if script:
        return script
    region = next((part.upper() for part in parts[1:] if len(part) in (2, 3)), "")
    likely = get_global("likely_subtags")
    for key in (f"{language}_{region}" if region else "", language):
        if key in likely:
            try:
                return parse_locale(likely[key])[2] or ""
            except ValueError:
                return ""
    return ""


def catalog_language(translations_dir: str, lang: str) -> str:
    """Whose catalog ``lang`` uses: its own; else, for a regional code written in the same
    script as its base language (``pt-br`` -> ``pt``), the base language's. A code in
    another script than its base (``zh-tw``, Traditional, against ``zh``, Simplified)
    never borrows: it needs its own catalog, and reports what it lacks."""
    if os.path.exists(catalog_path(translations_dir, lang)):
        return lang
    base = base_language(lang)
    if base == lang.lower():
        return lang
    # its base language's first, then a regional one of the same script (zh-hk -> zh-tw)
    try:
        regional = sorted(name for name in os.listdir(translations_dir) if base_language(name) == base)
    except OSError:
        regional = []
    for candidate in (base, *(name for name in regional if name != base)):
        same_script = script_of(lang) == script_of(candidate)
        if same_script and os.path.exists(catalog_path(translations_dir, candidate)):
            return candidate
    return lang


def load_translations(translations_dir: str, lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (or of its base language, see catalog_language),
    or the identity for English and missing ones."""
    source = catalog_language(translations_dir, lang)
    path = catalog_path(translations_dir, source)
    if not os.path.exists(path):
        return gettext.NullTranslations()
    return _compiled_catalog(path, source, file_stamp(path))


@functools.lru_cache(maxsize=64)  # keyed by the catalog's stamp: one per language
def _compiled_catalog(path: str, source: str, _stamp: tuple) -> gettext.NullTranslations:
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=source.replace("-", "_"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def check_catalogs(
    translations_dir: str,
    templates_dir: str,
    languages: list[str],
    problems: ProblemCollector,
    messages: list[Message] | None = None,
) -> None:
    """Report every theme message that a language's catalog does not translate.

    ``messages``: the theme's, when the caller has them (an earlier process extracted
    them from the same templates); else they are extracted here.
    """
    if messages is None:
        messages = theme_messages(templates_dir)
    for lang in languages:
        if not needs_catalog(lang):
            continue
        source = catalog_language(translations_dir, lang)
        path = catalog_path(translations_dir, source)
        relative = os.path.join("translations", source, CATALOG).replace(os.sep, "/")
        if not os.path.exists(path):
            base = base_language(lang)
            borrowed = (
                f" ({base}'s catalog is in another script, so {lang} does not borrow it)"
                if base != lang.lower() and os.path.exists(catalog_path(translations_dir, base))
                else ""
            )
            problems.add(
                "untranslated-strings",
                key="*",
                lang=lang,
                path=relative,
                message=(
                    f"there is no interface catalog for {lang}{borrowed}: create it with "
                    f"'invoke i18n-init {lang}' and translate its {len(messages)} messages."
                ),
            )
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=None)
        for message in messages:
            entry = catalog.get(message.msgid)
            where = message.locations[0]
            if entry is None or entry.fuzzy or not _translated(entry.string):
                state = "fuzzy" if entry is not None and entry.fuzzy else "untranslated"
                problems.add(
                    "untranslated-strings",
                    key=message.singular,
                    lang=lang,
                    path=relative,
                    message=(
                        f"the interface message {message.singular!r} (used in {where}) is {state} "
                        f"in {relative}: translate it there (invoke i18n-update adds new "
                        "messages) and remove any 'fuzzy' flag."
                    ),
                )
                continue
            wanted = sorted(PLACEHOLDER.findall(message.singular))
            strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
            for translated in strings:
                if sorted(PLACEHOLDER.findall(translated)) != wanted:
                    problems.add(
                        "untranslated-strings",
                        key=message.singular,
                        lang=lang,
                        path=relative,
                        message=(
                            f"the translation of {message.singular!r} in {relative} does not use "
                            f"the same placeholders as the original ({', '.join(wanted) or 'none'}): "
                            "keep every %(name)s exactly as it is."
                        ),
                    )
                    break


def _translated(string: str | tuple | list) -> bool:
    if isinstance(string, tuple | list):
        return all(part.strip() for part in string)
    return bool(string.strip())


@functools.lru_cache(maxsize=64)
def locale_for(lang: str) -> Locale:
    """Babel's locale for a language code; English data for codes Babel lacks."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        logger.warning("Babel has no locale data for %r: dates fall back to English", lang)
        return Locale.parse(SOURCE_LANGUAGE)


@functools.lru_cache(maxsize=64)
def direction(lang: str) -> str:
    """``rtl`` or ``ltr``, from the locale's character order."""
    return "rtl" if locale_for(lang).character_order == "right-to-left" else "ltr"


# How each language writes language names in the middle of a sentence: "lower"
# ("leggi l'originale (inglese)", "på engelska", "στα αγγλικά") or "upper" ("in
# English", "auf Englisch", "in het Engels", "İngilizce").  Languages not listed
# keep CLDR's own form (scripts without case: Persian, Arabic, Chinese…).
MID_SENTENCE_CASE = {
    "bg": "lower",
    "ca": "lower",
    "cs": "lower",
    "da": "lower",
    "de": "upper",
    "el": "lower",
    "en": "upper",
    "es": "lower",
    "et": "lower",
    "fi": "lower",
    "fr": "lower",
    "hr": "lower",
    "hu": "lower",
    "it": "lower",
    "lt": "lower",
    "lv": "lower",
    "nb": "lower",
    "nl": "upper",
    "nn": "lower",
    "no": "lower",
    "pl": "lower",
    "pt": "lower",
    "ro": "lower",
    "ru": "lower",
    "sk": "lower",
    "sl": "lower",
    "sr": "lower",
    "sv": "lower",
    "tr": "upper",
    "uk": "lower",
    "vi": "lower",
    "sq": "lower",
    "eu": "lower",
    "gl": "lower",
    "is": "lower",
    "be": "lower",
    "mk": "lower",
    "kk": "lower",
    "az": "lower",
    "hy": "lower",
    "af": "upper",
    "cy": "upper",
    "id": "upper",
    "ms": "upper",
    "sw": "upper",
    "tl": "upper",
    "so": "upper",
}

# A language's own name as its speakers head a menu with it, where CLDR's is another form
# ("Indonesia" is the country's name too).
OWN_NAMES = {
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    **dict.fromkeys(("zh-tw", "zh-hant"), "繁體中文"),
    **dict.fromkeys(("zh-cn", "zh-hans"), "简体中文"),
}


@functools.lru_cache(maxsize=256)
def language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's name.

    Without ``in_lang``: the name in that language itself, as a menu shows it
    ("Italiano", "Svenska", "فارسی").  With ``in_lang``: the name as that
    language writes it in the middle of a sentence ("inglese" in Italian,
    "Englisch" in German), for messages such as "Read the original (…)".
    """
    if in_lang is None and lang in OWN_NAMES:
        return OWN_NAMES[lang]
    locale = locale_for(lang)
    display = locale_for(in_lang or lang)
    # a plain code by its language's name: tl is "Tagalog", not CLDR's "Filipino (Pilipinas)"
    plain = None if re.search(r"[-_]", lang) else display.languages.get(lang.lower())
    name = plain or locale.get_display_name(display) or lang
    if in_lang is None:
        return capitalized(name)
    case = MID_SENTENCE_CASE.get(in_lang.split("-")[0].split("_")[0])
    if case == "lower":
        return name[:1].lower() + name[1:]
    if case == "upper":
        return capitalized(name)
    return name


def capitalized(name: str) -> str:
    """``name`` with a capital first letter, where its script writes one: Georgian has
    capitals (Mtavruli) for all-capital headings only, never at the start of a name."""
    if "\u10d0" <= name[:1] <= "\u10ff":
        return name
    return name[:1].upper() + name[1:]


# -- catalog upkeep (invoke i18n-*) --------------------------------------------


def template_catalog(templates_dir: str):
    """A fresh catalog of the theme's messages (the .pot)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="press", fuzzy=False, header_comment="# Interface messages of the press theme.")
    for message in theme_messages(templates_dir):
        catalog.add(message.msgid, locations=[_location(place) for place in message.locations])
    return catalog


def write_catalog(catalog, path: str) -> None:
    from babel.messages.pofile import write_po

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, omit_header=False, no_location=False)


def extract(templates_dir: str, translations_dir: str) -> str:
    """Write ``translations/messages.pot``; returns its path."""
    path = os.path.join(translations_dir, "messages.pot")
    write_catalog(template_catalog(templates_dir), path)
    return path


def init_catalog(templates_dir: str, translations_dir: str, lang: str) -> str:
    path = catalog_path(translations_dir, lang)
    if os.path.exists(path):
        raise FileExistsError(f"{path} exists already: use invoke i18n-update")
    catalog = template_catalog(templates_dir)
    catalog.locale = locale_for(lang)
    write_catalog(catalog, path)
    return path


def update_catalogs(templates_dir: str, translations_dir: str, languages: list[str]) -> list[str]:
    """Merge new theme messages into each catalog; old ones become obsolete."""
    template = template_catalog(templates_dir)
    updated = []
    for lang in languages:
        path = catalog_path(translations_dir, lang)
        if not needs_catalog(lang) or not os.path.exists(path):
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"))
        catalog.update(template, no_fuzzy_matching=False)
        write_catalog(catalog, path)
        updated.append(path)
    return updated


def compile_catalogs(translations_dir: str, languages: list[str]) -> list[str]:
    """Compile each catalog to a .mo beside it (ignored by git; the build compiles in memory)."""
    written = []
    for lang in languages:
        path = catalog_path(translations_dir, lang)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"))
        target = path[: -len(".po")] + ".mo"
        with open(target, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(target)
    return written


def _location(place: str) -> tuple[str, int]:
    filename, _, line = place.rpartition(":")
    return filename, int(line)


# Digits of the numbering systems Babel names but does not substitute itself.
NATIVE_DIGITS = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "beng": "০১২৩৪৫৬৭৮৯",
    "deva": "०१२३४५६७८९",
    "mymr": "၀၁၂၃၄၅၆၇၈၉",
}


def localize_digits(text: str, lang: str) -> str:
    """Write digits the way the language's default numbering system does (۲۰۲۶ in Persian)."""
    digits = NATIVE_DIGITS.get(locale_for(lang).default_numbering_system)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text
