"""The canonical source tree: every content file, grouped by translation key.

``content/<kind>/<key>/<lang>.md`` (contract §1).  The folder is the article;
each file is one language version.  Exactly one version is the original (the
one without ``Translation-Of``); the others are translations of it and inherit
its editorial headers.  This module only reads and models the tree; the rules
that turn it into problems live in :mod:`press.parity`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import dateutil.parser
from unidecode import unidecode

from .headers import ParsedSource, parse_source, revision_of
from .problems import ProblemCollector
from .settings import SLUG

logger = logging.getLogger(__name__)

KINDS = ("articles", "issues", "pages")
SOURCE_SUFFIX = ".md"
# Text files that look like content someone meant to publish, under another name.
LOOKS_LIKE_CONTENT = (".markdown", ".mkd", ".mdown", ".rst", ".txt", ".htm", ".html")
TRANSLATION_OF = re.compile(r"^(?P<lang>[A-Za-z0-9_-]+)@(?P<revision>[0-9a-fA-F]{12})$")
# Headers an original decides for every version (contract §3).
EDITORIAL_HEADERS = (
    "date",
    "category",
    "tags",
    "placement",
    "order",
    "until",
    "languages",
    "publication",
    "number",
    "contents",
)
DATED_KINDS = ("articles", "issues")
DATE_DEFAULT = datetime.datetime(2000, 1, 1)


def split_list(value: str | None) -> list[str]:
    """``a, b, c`` (or ``a; b; c``) as a list without empty items or repeats."""
    if not value:
        return []
    separator = ";" if ";" in value else ","
    items = (item.strip() for item in value.replace("\n", separator).split(separator))
    return list(dict.fromkeys(item for item in items if item))


def parse_date(value: str | None) -> datetime.datetime | None:
    """A header date, read the way Pelican reads it; None if unreadable."""
    if value is None or not value.strip():
        return None
    return _parse_date_text(value)


@functools.lru_cache(maxsize=65536)
def _parse_date_text(value: str) -> datetime.datetime | None:
    text = re.sub(" +", " ", value.replace("_", " ").strip())
    try:
        # Pelican's parser (dateutil), but with a fixed default for missing
        # parts instead of today, so that a build never depends on the clock.
        parsed = dateutil.parser.parse(text, default=DATE_DEFAULT)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


@dataclass
class Version:
    """One language version of a key: one file."""

    kind: str
    key: str
    lang: str
    path: str  # relative to the content folder, with forward slashes
    source: ParsedSource
    revision: str
    digest: str = ""  # SHA-256 of the whole file, for incremental rebuilds

    @property
    def title(self) -> str:
        return (self.source.value("title") or "").strip()

    @property
    def translation_of(self) -> str | None:
        return self.source.value("translation-of")

    @property
    def is_translation(self) -> bool:
        return "translation-of" in self.source.headers

    def translated_from(self) -> tuple[str, str] | None:
        """(language, revision) from ``Translation-Of``, or None if unreadable."""
        match = TRANSLATION_OF.match((self.translation_of or "").strip())
        if not match:
            return None
        return match.group("lang"), match.group("revision").lower()


@dataclass
class Group:
    """All versions of one key, in one kind of content."""

    kind: str
    key: str
    versions: dict[str, Version] = field(default_factory=dict)
    originals: list[Version] = field(default_factory=list)

    @property
    def original(self) -> Version | None:
        """The one original, or None when there is none or more than one."""
        return self.originals[0] if len(self.originals) == 1 else None

    def source_of_truth(self, languages: Iterable[str]) -> Version | None:
        """The version whose editorial headers the key uses.

        The original when there is exactly one; otherwise the best guess (the
        first original, or the first version in the order of ``LANGUAGES``) so
        that a problem in one file does not hide the whole article.
        """
        if self.originals:
            order = {lang: index for index, lang in enumerate(languages)}
            return min(self.originals, key=lambda v: order.get(v.lang, len(order)))
        for lang in languages:
            if lang in self.versions:
                return self.versions[lang]
        return None

    def editorial(self, name: str, languages: Iterable[str]) -> str | None:
        source = self.source_of_truth(languages)
        return source.source.value(name) if source else None

    def editions(self, languages: list[str]) -> list[str]:
        """The editions the key belongs to: its ``Languages``, default all."""
        named = split_list(self.editorial("languages", languages))
        if not named:
            return list(languages)
        return [lang for lang in languages if lang in named]


@dataclass
class ContentTree:
    """The whole source tree, read once."""

    root: str
    languages: list[str]
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    # files that are not publishable versions: (path, reason) — already reported
    rejected: dict[str, str] = field(default_factory=dict)
    # non-Markdown files in key folders, by (kind, key)
    attachments: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def group(self, kind: str, key: str) -> Group | None:
        return self.groups.get((kind, key))

    def of_kind(self, kind: str) -> list[Group]:
        return [group for (group_kind, _), group in sorted(self.groups.items()) if group_kind == kind]

    def version_at(self, path: str) -> Version | None:
        parts = path.split("/")
        if len(parts) != 3 or not parts[2].endswith(SOURCE_SUFFIX):
            return None
        group = self.groups.get((parts[0], parts[1]))
        return group.versions.get(parts[2][: -len(SOURCE_SUFFIX)]) if group else None

    def versions(self) -> Iterable[Version]:
        for _, group in sorted(self.groups.items()):
            for lang in self.languages:
                if lang in group.versions:
                    yield group.versions[lang]


def scan_tree(root: str, languages: list[str], problems: ProblemCollector) -> ContentTree:
    """Read every content file under ``root`` once; report files in the wrong place."""
    tree = ContentTree(root=root, languages=list(languages))
    for kind in KINDS:
        kind_folder = os.path.join(root, kind)
        if not os.path.isdir(kind_folder):
            continue
        for folder, subfolders, files in os.walk(kind_folder):
            subfolders.sort()
            relative_folder = os.path.relpath(folder, root).replace(os.sep, "/")
            depth = relative_folder.count("/")
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = f"{relative_folder}/{name}"
                if depth == 1:
                    _add_file(tree, problems, kind, relative_folder.split("/")[1], name, path)
                elif name.endswith(SOURCE_SUFFIX):
                    _reject_misplaced(tree, problems, kind, path)
    return tree


def _reject_misplaced(tree: ContentTree, problems: ProblemCollector, kind: str, path: str) -> None:
    parts = path.split("/")
    key = parts[1][: -len(SOURCE_SUFFIX)] if len(parts) == 2 else parts[1]
    lang = parts[-1][: -len(SOURCE_SUFFIX)]
    problems.add(
        "invalid-metadata",
        key=key,
        lang=lang,
        path=path,
        message=(
            f"{path} is not where the press looks for content: a version must be "
            f"{kind}/<key>/<lang>.md. Move it to {kind}/{key}/<lang>.md."
        ),
    )
    tree.rejected[path] = "misplaced"


def _add_file(
    tree: ContentTree, problems: ProblemCollector, kind: str, key: str, name: str, path: str
) -> None:
    if not name.endswith(SOURCE_SUFFIX):
        if name.lower().endswith(LOOKS_LIKE_CONTENT):
            stem = name.rsplit(".", 1)[0]
            problems.add(
                "invalid-metadata",
                key=key,
                lang=stem,
                path=path,
                message=(
                    f"{name!r} is not read: a language version must be named <lang>.md "
                    f"(e.g. {stem}.md if {stem!r} is its language code). Rename it, or move "
                    "it out of the content folder if it is not meant to be published."
                ),
            )
            tree.rejected[path] = "not a .md file"
            return
        tree.attachments.setdefault((kind, key), []).append(name)
        return
    lang = name[: -len(SOURCE_SUFFIX)]
    if not SLUG.match(key):
        problems.add(
            "invalid-metadata",
            key=key,
            lang=lang,
            path=path,
            message=(
                f"the folder name {key!r} is not a valid key: use only lower-case letters, "
                f"digits and hyphens, starting with a letter or digit (e.g. "
                f"{key_from(key, 'my-article')!r}), and rename the folder {kind}/{key}/."
            ),
        )
        tree.rejected[path] = "bad key"
        return
    if lang not in tree.languages:
        problems.add(
            "unknown-language",
            key=key,
            lang=lang,
            path=path,
            message=(
                f"{name!r} names the language {lang!r}, which is not in LANGUAGES "
                f"{tree.languages!r}: rename the file to one of "
                f"{', '.join(code + '.md' for code in tree.languages)}, or add {lang!r} to "
                "LANGUAGES in pelicanconf.py."
            ),
        )
        tree.rejected[path] = "unknown language"
        return
    try:
        with open(os.path.join(tree.root, path), encoding="utf-8") as handle:
            text = handle.read()
    except (UnicodeDecodeError, OSError) as error:
        problems.add(
            "invalid-metadata",
            key=key,
            lang=lang,
            path=path,
            message=f"the file cannot be read as UTF-8 text ({error}): save it as UTF-8.",
        )
        tree.rejected[path] = "unreadable"
        return
    source = parse_source(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    version = Version(kind, key, lang, path, source, revision_of(source.body), digest)
    group = tree.groups.setdefault((kind, key), Group(kind, key))
    group.versions[lang] = version
    if not version.is_translation:
        group.originals.append(version)


def key_from(text: str, fallback: str = "article") -> str:
    """A valid key made from a title or a bad key: ``Mój Artykuł!`` -> ``moj-artykul``."""
    key = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    return key[:60].rstrip("-") or fallback
