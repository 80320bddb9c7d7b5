"""The shared writer of every importer: a plan of the content folder, written only when complete.

An importer adds :class:`Entry` objects (a key's versions, one per language) and terms to a
:class:`ContentPlan`; :meth:`ContentPlan.write` then checks every path once more and writes the
folder laid out as in the contract (§1): ``<kind>/<key>/<lang>.md``, attachments beside them,
``terms.toml``. Nothing is written before the whole source was read, so a refusal
(:class:`ImportRefused`) leaves the target as it was. The target must not exist or be empty,
and nothing is ever written outside it.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from press.content.headers import revision_of
from press.content.intake import attachment_problem
from press.content.terms import slugify
from press.translation.parity import RESERVED_KEYS

#: The longest body (or source file) an importer reads: 8 MiB. A longer one is refused (docs/importing.md).
MAX_BODY_BYTES = 8 * 1024 * 1024
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
KEY_LENGTH = 80
KINDS = ("articles", "pages", "issues")
#: The headers an importer writes, in this order (docs/headers.md): no Author, ever (contract §3).
HEADER_ORDER = ("Title", "Date", "Category", "Tags", "Image", "Status", "Summary", "Translation-Of")
EDITORIAL = frozenset({"Date", "Category", "Tags", "Image"})


class ImportRefused(Exception):
    """A source the importer will not read (hostile or unusable): one line, nothing written."""


@dataclass
class Version:
    """One language version of a key, as it will be written."""

    lang: str
    title: str
    body: str
    source: str  # where it came from (a file, or an item of an export), for the report
    date: str = ""  # already YYYY-MM-DD[ HH:MM]
    draft: bool = False
    summary: str = ""
    category: str = ""  # a section key
    tags: list[str] = field(default_factory=list)  # tag keys
    image: str = ""  # an attachment name in the key's folder
    order: int = 0  # for choosing an original when the source does not say
    fallback_date: str = ""  # when the source gives none: the file's time, the export's date
    # Sections and tags as this version's source names them, in its language (when the importer
    # leaves choosing term keys to the writer): the first section is the Category, the rest tags.
    section_names: list[str] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """A translation key: its versions, the original's language and shared attachments."""

    kind: str
    key: str
    versions: dict[str, Version] = field(default_factory=dict)
    original: str = ""
    # attachment name in the key's folder -> absolute path of the file to copy
    attachments: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import did: counts per kind and language, what it could not do, and notes."""

    target: str
    imported: Counter = field(default_factory=Counter)  # (kind, lang) -> versions written
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source, what could not be done)
    notes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    attachments: int = 0

    def could_not(self, source: str, message: str) -> None:
        self.problems.append((source, message))

    def remote_images(self, source: str, urls: list[str]) -> None:
        """One line for a body's images on other hosts, each made a link (pages load nothing from there)."""
        if len(urls) == 1:
            self.could_not(source, f"the image {urls[0]} is on another host: made a link to it")
        elif urls:
            self.could_not(source, f"{len(urls)} images on other hosts made links to them, e.g. {urls[0]}")

    def per_language(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for (kind, lang), count in sorted(self.imported.items()):
            table.setdefault(lang, {})[kind] = count
        return table

    def lines(self) -> list[str]:
        """The summary an importer prints."""
        lines = [f"Imported into {self.target}:"]
        for lang in self.languages:
            counts = self.per_language().get(lang, {})
            parts = ", ".join(f"{counts[kind]} {kind}" for kind in KINDS if counts.get(kind))
            lines.append(f"  {lang}: {parts or 'nothing'}")
        if self.attachments:
            lines.append(f"  attachments copied: {self.attachments}")
        lines += [f"Note: {note}" for note in self.notes]
        if self.problems:
            lines.append(f"Could not import or convert ({len(self.problems)}):")
            lines += [f"  {source}: {message}" for source, message in self.problems]
        lines.append("Languages to use in pelicanconf.py:")
        lines.append(f"  LANGUAGES = {json.dumps(self.languages, ensure_ascii=False)}")
        if self.languages:
            lines.append(f'  DEFAULT_LANG = "{self.languages[0]}"')
        return lines


def key_from(text: str) -> str:
    """A key (``[a-z0-9][a-z0-9-]*``) from a slug, a file name or a title; empty if nothing is left.

    Percent-encoded slugs (WordPress keeps non-Latin slugs that way) are decoded and every
    script is transliterated to Latin letters (Unidecode), so ``اعتصاب`` still gives a key.
    """
    from unidecode import unidecode

    text = unidecode(unicodedata.normalize("NFKC", unquote(str(text)))).lower()
    key = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return key[:KEY_LENGTH].rstrip("-")


def language_code(value: str) -> str:
    """A language code as the press writes file names (``pt_BR`` -> ``pt-BR``); empty if unusable."""
    code = str(value or "").strip().replace("_", "-")
    if not code:
        return ""
    head, _, rest = code.partition("-")
    code = head.lower() + (f"-{rest}" if rest else "")
    return code if LANG.match(code) else ""


def format_date(value) -> str:
    """A date as the contract writes it: ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (UTC); empty if unreadable.

    Accepts ``datetime``/``date`` objects (YAML and TOML front matter give them) and ISO-like
    strings; a time with an offset is turned into UTC, the site's clock.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        return value.isoformat() if 1000 <= value.year <= 9999 else ""
    else:
        text = str(value).strip().replace("/", "-")
        if text.startswith("0000"):
            return ""
        match = re.match(
            r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?\s*(.*)$", text
        )
        if not match:
            return ""
        year, month, day, hour, minute, _seconds, _fraction, zone = match.groups()
        try:
            moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            return ""
        zone = zone.strip()
        if zone:
            offset = _offset(zone)
            if offset is None:
                return ""
            moment = moment.replace(tzinfo=offset)
        if hour is None:
            return moment.date().isoformat() if 1000 <= moment.year <= 9999 else ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    if not 1000 <= moment.year <= 9999:
        return ""
    if (moment.hour, moment.minute) == (0, 0) and moment.second == 0:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def _offset(zone: str) -> datetime.timezone | None:
    if zone in ("Z", "UTC", "+0000", "GMT"):
        return datetime.UTC
    match = re.match(r"^([+-])(\d{2}):?(\d{2})$", zone)
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    return datetime.timezone(sign * datetime.timedelta(minutes=minutes))


def one_line(text: str) -> str:
    """A header value: one line, no control characters."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\u200c\u200d" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def safe_relative(path: str, source: str) -> str:
    """``path`` as a relative POSIX path that stays inside its folder; refuses one that leaves it."""
    cleaned = unquote(str(path)).replace("\\", "/")
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if cleaned.startswith("/") or re.match(r"^[A-Za-z]:", cleaned) or ".." in parts or "\x00" in cleaned:
        raise ImportRefused(
            f"{source}: the path {path!r} would leave the folder it names; an export that names such a "
            "path is refused and nothing was written"
        )
    return "/".join(parts)


def file_inside(root: str, relative: str) -> str | None:
    """The real path of ``root/relative`` when it is a regular file inside ``root`` (no link out)."""
    base = os.path.realpath(root)
    path = os.path.realpath(os.path.join(base, relative))
    if not path.startswith(base + os.sep) or not os.path.isfile(path):
        return None
    return path


def read_text_limited(path: str, shown: str) -> str:
    """A source file's text (UTF-8), refusing one over :data:`MAX_BODY_BYTES` before reading it."""
    size = os.path.getsize(path)
    if size > MAX_BODY_BYTES:
        raise ImportRefused(too_large(shown, size))
    with open(path, "rb") as handle:
        data = handle.read(MAX_BODY_BYTES + 1)
    return data.decode("utf-8", errors="replace")


def too_large(shown: str, size: int | None = None) -> str:
    amount = f" ({size // (1024 * 1024)} MB)" if size else ""
    return (
        f"{shown}: a body over {MAX_BODY_BYTES // (1024 * 1024)} MB{amount} is refused (an article that "
        "long is not an article); nothing was written"
    )


def check_target(target: str) -> None:
    """Refuse a target that exists and is not an empty folder."""
    if os.path.lexists(target):
        if not os.path.isdir(target) or os.path.islink(target):
            raise ImportRefused(f"{target} exists and is not a folder: give a new or empty folder as TARGET")
        if os.listdir(target):
            raise ImportRefused(
                f"{target} is not empty: give a new or empty folder as TARGET (nothing was written)"
            )


class ContentPlan:
    """The content folder an import will write: entries, terms and the report."""

    def __init__(self, target: str, source: str):
        check_target(target)
        self.target = os.path.abspath(target)
        self.source = source
        self.entries: dict[tuple[str, str], Entry] = {}
        self.terms: dict[str, dict[str, dict[str, str]]] = {"sections": {}, "tags": {}}
        self.report = ImportReport(target=target)
        self.default_lang = ""

    # keys and terms

    def unique_key(self, kind: str, wanted: str, fallback: str) -> str:
        """A key not yet used by ``kind`` (``wanted``, else ``fallback``, with ``-2``, ``-3``… if taken)."""
        base = key_from(wanted) or key_from(fallback) or "item"
        if not KEY.match(base):
            base = f"item-{base}".strip("-")
        key, number = base, 2
        while self.key_taken(kind, key):
            key, number = f"{base}-{number}", number + 1
        return key

    def key_taken(self, kind: str, key: str) -> bool:
        """Articles and pages share ``<lang>/<key>/``, and the site's own pages reserve some keys."""
        if kind == "issues":
            return (kind, key) in self.entries
        return key in RESERVED_KEYS or any((shared, key) in self.entries for shared in ("articles", "pages"))

    def term(self, kind: str, wanted_key: str, lang: str, name: str) -> str:
        """The key of the term named ``name`` in ``lang`` (added when new); names per language merge."""
        name = one_line(name) or one_line(wanted_key)
        terms = self.terms[kind]
        # Names that would share a term page (contract §3) are one term.
        slug = slugify(name)
        for key, names in terms.items():
            if lang in names and slugify(names[lang]) == slug:
                return key
        key = key_from(wanted_key) or key_from(name) or f"term-{len(terms) + 1}"
        names = terms.setdefault(key, {})
        if name and lang not in names:
            names[lang] = name
        return key

    def add(self, entry: Entry) -> None:
        self.entries[(entry.kind, entry.key)] = entry

    # writing

    def finish(self, preferred: list[str] | None = None) -> ImportReport:
        """Choose originals, stamp translations, and write the folder; returns the report."""
        files: list[tuple[str, str]] = []
        copies: list[tuple[str, str]] = []
        counts: Counter = Counter()
        for entry in self.entries.values():
            if not entry.versions:
                continue
            original = entry.original if entry.original in entry.versions else self.choose_original(entry)
            entry.original = original
            first = entry.versions[original]
            if not first.date and entry.kind != "pages":
                self.date_original(entry, first)
            self.name_terms(entry, original)
            revision = revision_of(first.body)
            for lang, version in entry.versions.items():
                text = self.render(version, None if lang == original else f"{original}@{revision}")
                files.append((self.checked_path(entry.kind, entry.key, f"{lang}.md"), text))
                counts[(entry.kind, lang)] += 1
            for name, path in entry.attachments.items():
                copies.append((self.checked_path(entry.kind, entry.key, name), path))
        if not files:
            # An empty or unrelated folder is a mistake, not a paper with no articles yet.
            found = "; ".join(f"{source}: {why}" for source, why in self.report.problems[:3])
            raise ImportRefused(
                f"{self.source} holds nothing to import (no post, page or article found"
                f"{': ' + found if found else ''}): check that it is the site's folder or export; "
                "nothing was written"
            )
        languages = {lang for _, lang in counts}
        order = [lang for lang in dict.fromkeys(preferred or []) if lang in languages]
        rest = sorted(
            languages - set(order),
            key=lambda lang: (-sum(c for (_, x), c in counts.items() if x == lang), lang),
        )
        self.report.languages = order + rest
        self.report.imported = counts
        terms_text = self.terms_toml()
        os.makedirs(self.target, exist_ok=True)
        for path, text in files:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        for path, origin in copies:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copyfile(origin, path)
        self.report.attachments = len(copies)
        with open(os.path.join(self.target, "terms.toml"), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(terms_text)
        return self.report

    def date_original(self, entry: Entry, first: Version) -> None:
        """An article or issue needs a Date: a translation's, else the fallback the importer found."""
        dated = sorted(version.date for version in entry.versions.values() if version.date)
        fallback = (
            dated[0]
            if dated
            else first.fallback_date or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
        )
        first.date = fallback
        self.report.could_not(first.source, f"no date: written as {fallback}; correct it if that is wrong")

    def name_terms(self, entry: Entry, original: str) -> None:
        """The original's sections and tags as terms; a translation naming as many gives their names.

        Hugo, Jekyll and Pelican tie no term across languages: a translation's categories and tags,
        listed in the same order, are the same terms in its language (unless such a name would
        give two terms one page).
        """
        first = entry.versions[original]
        if not (first.section_names or first.tag_names):
            return
        sections = [self.term("sections", name, original, name) for name in first.section_names[:1]]
        tag_names = [*first.tag_names, *first.section_names[1:]]
        tags = [self.term("tags", name, original, name) for name in tag_names]
        first.category = sections[0] if sections else first.category
        first.tags = list(dict.fromkeys([*first.tags, *tags]))
        for lang, version in entry.versions.items():
            if lang == original:
                continue
            if sections and version.section_names:
                self.name_in("sections", sections[0], lang, version.section_names[0])
            own = [*version.tag_names, *version.section_names[1:]]
            if len(own) == len(tags):
                for key, name in zip(tags, own, strict=True):
                    self.name_in("tags", key, lang, name)

    def name_in(self, kind: str, key: str, lang: str, name: str) -> None:
        """Give term ``key`` its ``lang`` name, unless it has one or another term's page would be the same."""
        name = one_line(name)
        names = self.terms[kind].setdefault(key, {})
        if not name or lang in names:
            return
        slug = slugify(name)
        if any(lang in other and slugify(other[lang]) == slug for other in self.terms[kind].values()):
            return
        names[lang] = name

    def choose_original(self, entry: Entry) -> str:
        """The source did not say: the default language's version, else the earliest, else the first."""
        if self.default_lang in entry.versions:
            return self.default_lang
        return min(entry.versions.values(), key=lambda v: (v.date or "9999", v.order)).lang

    def checked_path(self, kind: str, key: str, name: str) -> str:
        """The path of a file to write, refused unless it is inside the target."""
        if kind not in KINDS or not KEY.match(key) or "/" in name or name in ("", ".", ".."):
            raise ImportRefused(f"{kind}/{key}/{name} is not a path of a content folder; nothing was written")
        path = os.path.normpath(os.path.join(self.target, kind, key, name))
        if not path.startswith(self.target + os.sep):
            raise ImportRefused(f"{kind}/{key}/{name} would leave {self.target}; nothing was written")
        return path

    @staticmethod
    def render(version: Version, translation_of: str | None) -> str:
        headers = {
            "Title": one_line(version.title),
            "Date": version.date,
            "Category": version.category,
            "Tags": ", ".join(version.tags),
            "Image": version.image,
            "Status": "draft" if version.draft else "",
            "Summary": one_line(version.summary),
            "Translation-Of": translation_of or "",
        }
        lines = []
        for name in HEADER_ORDER:
            value = headers[name]
            if not value or (translation_of and name in EDITORIAL):
                continue
            lines.append(f"{name}: {value}")
        body = version.body.strip("\n")
        return "\n".join(lines) + "\n" + (f"\n{body}\n" if body else "")

    def terms_toml(self) -> str:
        lines = [
            "# Sections and tags imported from " + posixpath.basename(self.source.rstrip("/")) + ",",
            "# with the names the source gave per language (contract §3). A term with no name",
            "# in a published language is an untranslated-term problem: add the missing names.",
            "",
        ]
        for kind, terms in self.terms.items():
            for key, names in terms.items():
                if not names:
                    continue
                lines.append(f"[{kind}.{key}]")
                lines += [
                    f"{_toml_key(lang)} = {json.dumps(name, ensure_ascii=False)}"
                    for lang, name in names.items()
                ]
                lines.append("")
        return "\n".join(lines)


def _toml_key(lang: str) -> str:
    return lang if re.match(r"^[A-Za-z0-9_-]+$", lang) else json.dumps(lang)


def relative_link(from_kind: str, kind: str, key: str, lang: str) -> str:
    """The {filename} path from a file of ``<from_kind>/<x>/`` to ``<kind>/<key>/<lang>.md``."""
    return f"../{key}/{lang}.md" if from_kind == kind else f"../../{kind}/{key}/{lang}.md"


def attachment_name(name: str, taken: dict[str, str]) -> str | None:
    """A file name for an attachment in a key's folder, or None when the press would not publish it."""
    base = posixpath.basename(name)
    stem, extension = posixpath.splitext(base)
    stem = key_from(stem) or "file"
    candidate = f"{stem}{extension.lower()}"
    if attachment_problem(candidate):
        return None
    number = 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}{extension.lower()}", number + 1
    return candidate
