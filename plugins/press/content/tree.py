"""The canonical source tree: every content file, grouped by translation key.

``content/<kind>/<key>/<lang>.md`` (contract §1).  The folder is the article;
each file is one language version.  Exactly one version is the original (the
one without ``Translation-Of``); the others are translations of it and inherit
its editorial headers.  This module only reads and models the tree; the rules
that turn it into problems live in :mod:`press.translation.parity`.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import hashlib
import logging
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from unidecode import unidecode

from press.content.headers import Header, ParsedSource, parse_source, revision_of
from press.content.intake import (
    LEFTOVER,
    attachment_problem,
    control_characters,
    describe_positions,
    leftover_language,
    without_control_characters,
)
from press.content.metadata import parse_header_date
from press.files import is_inside
from press.problems import ProblemCollector
from press.settings import SLUG

logger = logging.getLogger(__name__)

KINDS = ("articles", "issues", "pages")
# Folders of shared attachments (Pelican's STATIC_PATHS beside the kinds).
ATTACHMENT_FOLDERS = ("images",)
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
    "image",
    "embargo",
    "correction",
    "publication",
    "number",
    "contents",
)
# The files beside the kinds' folders (press.content.terms, press.translation.glossary).
TOP_FILES = ("terms.toml", "glossary.toml")
#: A version's file larger than this is never read (PRESS_MAX_BODY_BYTES, default 500 kB, refuses
#: to render far smaller bodies; this bounds the memory one file can take).
READ_AT_MOST = 64 * 1024 * 1024
TOP_FOLDERS = (*KINDS, *ATTACHMENT_FOLDERS)
DATED_KINDS = ("articles", "issues")
DATE_DEFAULT = datetime.datetime(2000, 1, 1)
# A file changed within this long of being read may change again with the same stat (a
# coarse clock, FAT's 2-second times): like git's "racily clean" entries, it is read again.
RACY_NS = 2_000_000_000


def split_list(value: str | None) -> list[str]:
    """``a, b, c`` (or ``a; b; c``) as a list without empty items or repeats."""
    if not value:
        return []
    separator = ";" if ";" in value else ","
    items = (item.strip() for item in value.replace("\n", separator).split(separator))
    return list(dict.fromkeys(item for item in items if item))


def repeated_items(value: str | None) -> list[str]:
    """The items :func:`split_list` keeps once although ``value`` names them more than once."""
    if not value:
        return []
    separator = ";" if ";" in value else ","
    items = [item.strip() for item in value.replace("\n", separator).split(separator) if item.strip()]
    return list(dict.fromkeys(item for index, item in enumerate(items) if item in items[:index]))


def parse_date(value: str | None) -> datetime.datetime | None:
    """A header date as written (press.content.metadata.DATE_FORMS); None if unreadable."""
    if value is None or not value.strip():
        return None
    return _parse_date_text(value)


@functools.lru_cache(maxsize=65536)
def _parse_date_text(value: str) -> datetime.datetime | None:
    # Exactly the forms of press.content.metadata.DATE_FORMS: never guessed (05/11/2026).
    return parse_header_date(value)


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
        if len(self.originals) == 1:
            return self.originals[0]  # the usual case, asked for every editorial header
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


@dataclass(frozen=True)
class ParsedFile:
    """What reading one version's file gives; kept while the file's stat is unchanged.

    The preview keeps it in memory, ``press.pipeline.carried`` in ``CACHE_PATH``
    (:meth:`record` and :func:`parsed_file_from_record`, plain JSON values).
    """

    stat: tuple[int, int, int, int]  # inode, size, mtime and ctime in nanoseconds
    digest: str
    source: ParsedSource
    revision: str
    controls: tuple
    # whether the file's mtime was safely older than its reading (RACY_NS): only then may
    # an unchanged stat stand for unchanged contents
    settled: bool = False

    def record(self) -> list:
        source = self.source
        return [
            list(self.stat),
            self.digest,
            self.revision,
            [list(found) for found in self.controls],
            self.settled,
            source.body,
            source.body_line,
            [[h.name, h.value, h.line, h.written] for h in source.headers.values()],
            [list(error) for error in source.errors],
            [list(duplicate) for duplicate in source.duplicates],
        ]


def parsed_file_from_record(entry) -> ParsedFile | None:
    """A :meth:`ParsedFile.record` read back; None if it is not one."""
    try:
        stat, digest, revision, controls, settled, body, body_line, headers, errors, duplicates = entry
        source = ParsedSource(
            headers={name: Header(name, value, line, written) for name, value, line, written in headers},
            body=body,
            body_line=body_line,
            errors=[(line, message) for line, message in errors],
            duplicates=[(name, line) for name, line in duplicates],
        )
        ino, size, mtime, ctime = stat
        if not all(isinstance(text, str) for text in (digest, revision, body)):
            return None
        return ParsedFile(
            stat=(ino, size, mtime, ctime),
            digest=digest,
            source=source,
            revision=revision,
            controls=tuple((line, column, code) for line, column, code in controls),
            settled=settled is True,
        )
    except (TypeError, ValueError):
        return None


def version_named(path: str) -> tuple[str, str, str] | None:
    """(kind, key, lang) of a path in the content folder that names a version file,
    ``<kind>/<key>/<lang>.md`` (whether or not it exists); None for any other path."""
    parts = path.split("/")
    if len(parts) != 3 or not parts[2].endswith(SOURCE_SUFFIX):
        return None
    return parts[0], parts[1], parts[2][: -len(SOURCE_SUFFIX)]


@dataclass
class ContentTree:
    """The whole source tree, read once."""

    root: str
    languages: list[str]
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    # files that are not publishable versions: (path, reason) — already reported
    rejected: dict[str, str] = field(default_factory=dict)
    # non-Markdown files in key folders, by (kind, key), relative to the key folder
    attachments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # every file the output may copy, relative to the content folder (contract §1)
    published_files: set[str] = field(default_factory=set)
    # what reading each version's file gave, by path: handed to the next scan (the preview)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)

    def group(self, kind: str, key: str) -> Group | None:
        return self.groups.get((kind, key))

    def of_kind(self, kind: str) -> list[Group]:
        return [group for (group_kind, _), group in sorted(self.groups.items()) if group_kind == kind]

    def version_at(self, path: str) -> Version | None:
        named = version_named(path)
        if named is None:
            return None
        group = self.groups.get(named[:2])
        return group.versions.get(named[2]) if group else None

    def versions(self) -> Iterable[Version]:
        for _, group in sorted(self.groups.items()):
            for lang in self.languages:
                if lang in group.versions:
                    yield group.versions[lang]


def scan_tree(
    root: str,
    languages: list[str],
    problems: ProblemCollector,
    previous: dict[str, ParsedFile] | None = None,
) -> ContentTree:
    """Read every content file under ``root`` once; report files in the wrong place.

    Only what this scan accepts is ever copied to the output (``published_files``):
    hidden files, editors' leftovers, unknown types and links leading outside
    the content folder are ``unsafe-file`` problems (contract §1).  ``previous``
    is an earlier scan's ``parsed``: a file whose stat is unchanged is not read again.
    """
    tree = ContentTree(root=root, languages=list(languages))
    previous = previous or {}
    _reject_strays(tree, problems)
    for top in (*KINDS, *ATTACHMENT_FOLDERS):
        if top in tree.rejected or f"{top}/" in tree.rejected:
            continue
        for path in _content_files(tree, problems, top):
            parts = path.split("/")
            name = parts[-1]
            if top in ATTACHMENT_FOLDERS:
                _add_attachment(tree, problems, "", path)
            elif len(parts) == 3:
                _add_file(tree, problems, top, parts[1], name, path, previous)
            elif name.endswith(SOURCE_SUFFIX):
                _reject_misplaced(tree, problems, top, path)
            elif len(parts) == 2:
                reason = attachment_problem(name) or (
                    f"it is not in an article folder: move it into {top}/<key>/ beside the text that shows it"
                )
                _reject_unsafe(tree, problems, "", path, reason)
            else:
                _add_attachment(tree, problems, parts[1], path)
    _reject_attachments_of_no_version(tree, problems)
    for names in tree.attachments.values():
        names.sort()
    return tree


def _reject_attachments_of_no_version(tree: ContentTree, problems: ProblemCollector) -> None:
    """A key folder holding files but no readable version (its text deleted, misnamed or refused)
    publishes none of them: a picture of an article since withdrawn would stay at its address."""
    for kind, key in sorted(set(tree.attachments) - set(tree.groups)):
        for name in tree.attachments.pop((kind, key)):
            path = f"{kind}/{key}/{name}"
            tree.published_files.discard(path)
            _reject_unsafe(
                tree,
                problems,
                key,
                path,
                f"no version of '{key}' is read from {kind}/{key}/, so nothing shows it: add the text "
                f"beside it ({kind}/{key}/<lang>.md), or remove the file (shared pictures go in images/)",
            )


def _reject_strays(tree: ContentTree, problems: ProblemCollector) -> None:
    """What lies at the top of the content folder besides the kinds' folders and the two TOML files.

    ``content/en.md``, ``content/posts/``, ``content/article/`` would otherwise be
    ignored without a word: each is ``unsafe-file``, naming the place the press reads.
    """
    try:
        entries = sorted(os.scandir(tree.root), key=lambda entry: entry.name)
    except OSError:
        return  # no content folder: the settings check says so
    real_root = os.path.realpath(tree.root)
    for entry in entries:
        name = entry.name
        try:
            is_link = entry.is_symlink()
            is_folder = entry.is_dir()
            if is_link and not is_inside(real_root, os.path.realpath(entry.path)):
                reason = (
                    "it is a symbolic link that leads outside the content folder; copy what it holds "
                    "into the folder if it is meant to be published, or remove the link"
                )
            elif (name in TOP_FILES and entry.is_file()) or (name in TOP_FOLDERS and is_folder):
                continue
            else:
                reason = _stray_reason(name, is_folder)
        except OSError as error:
            is_folder, reason = False, f"it cannot be read ({error})"
        _reject_unsafe(tree, problems, "", name + ("/" if is_folder else ""), reason)


def _stray_reason(name: str, is_folder: bool) -> str:
    """Why an entry at the top of the content folder is not content, and where its content goes."""
    places = "articles/<key>/<lang>.md, issues/<key>/<lang>.md or pages/<key>/<lang>.md"
    if name in TOP_FILES:
        return f"it is not a regular file (a pipe, a device or a folder): replace it with a text file {name}"
    if name.startswith("."):
        return f"it is a hidden {'folder' if is_folder else 'file'}: remove it"
    if not is_folder:
        if name.endswith(SOURCE_SUFFIX):
            return f"a version is never at the top of the content folder: move it to {places}"
        return (
            "the top of the content folder holds only articles/, issues/, pages/, images/, "
            f"{' and '.join(TOP_FILES)}: move it beside the article that shows it, or remove it"
        )
    closest = difflib.get_close_matches(name.lower(), KINDS, n=1, cutoff=0.7)
    hint = f" (did you mean {closest[0]}/?)" if closest else ""
    return (
        f"the press reads only the folders {', '.join(f'{kind}/' for kind in KINDS)} and images/, "
        f"so nothing in this one is published{hint}: move each version to {places}"
    )


def _content_files(tree: ContentTree, problems: ProblemCollector, top: str) -> Iterable[str]:
    """Every regular file under ``root/top``, following symbolic links only while they stay inside."""
    real_root = os.path.realpath(tree.root)
    seen: set[str] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        full = os.path.join(tree.root, folder)
        if not os.path.isdir(full):
            continue
        real = os.path.realpath(full)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(full), key=lambda entry: entry.name)
        except OSError as error:
            logger.warning("Cannot read the folder %s (%s): its files are not published", full, error)
            continue
        subfolders = []
        for entry in entries:
            path = f"{folder}/{entry.name}"
            key = path.split("/")[1] if path.count("/") >= 2 else ""
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if not is_inside(real_root, target):
                        _reject_unsafe(
                            tree,
                            problems,
                            key,
                            path,
                            "it is a symbolic link that leads outside the content folder; copy the file "
                            "into the folder if it is meant to be published, or remove the link",
                        )
                        continue
                    if not os.path.exists(target):
                        _reject_unsafe(
                            tree, problems, key, path, "it is a symbolic link that leads nowhere: remove it"
                        )
                        continue
                if entry.is_dir():
                    if entry.name.startswith("."):
                        _reject_unsafe(tree, problems, key, path + "/", "it is a hidden folder: remove it")
                    else:
                        subfolders.append(path)
                elif entry.is_file():
                    yield path
                else:
                    _reject_unsafe(tree, problems, key, path, "it is not a regular file: remove it")
            except OSError as error:
                _reject_unsafe(tree, problems, key, path, f"it cannot be read ({error})")
        stack.extend(reversed(subfolders))


def _reject_unsafe(tree: ContentTree, problems: ProblemCollector, key: str, path: str, reason: str) -> None:
    problems.add(
        "unsafe-file",
        key=key,
        lang=leftover_language(path.rstrip("/").rsplit("/", 1)[-1], tree.languages),
        path=path,
        message=f"{path} is never published: {reason}.",
    )
    tree.rejected[path] = "unsafe"


def _add_attachment(tree: ContentTree, problems: ProblemCollector, key: str, path: str) -> None:
    """A file beside the versions (or under images/): published only if the press publishes its type."""
    reason = attachment_problem(path.rsplit("/", 1)[-1])
    if reason:
        _reject_unsafe(tree, problems, key, path, reason)
        return
    tree.published_files.add(path)
    parts = path.split("/")
    if key and len(parts) >= 3:
        tree.attachments.setdefault((parts[0], key), []).append("/".join(parts[2:]))


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
    tree: ContentTree,
    problems: ProblemCollector,
    kind: str,
    key: str,
    name: str,
    path: str,
    previous: dict[str, ParsedFile],
) -> None:
    leftover = attachment_problem(name) if name.startswith(".") or LEFTOVER.search(name) else None
    if leftover:
        _reject_unsafe(tree, problems, key, path, leftover)
        return
    if not name.endswith(SOURCE_SUFFIX):
        # en.MD, en.md with a trailing blank: a version misnamed, not an attachment of another type
        misnamed_md = name.rstrip().lower().endswith(SOURCE_SUFFIX)
        if name.lower().endswith(LOOKS_LIKE_CONTENT) or misnamed_md:
            # contract §1: a file of a type the press does not publish is unsafe-file
            stem = name.rstrip().rsplit(".", 1)[0]
            problems.add(
                "unsafe-file",
                key=key,
                lang=stem if stem in tree.languages else "",
                path=path,
                message=(
                    f"{path} is never published: {name!r} is not read, as a language version must be "
                    f"named <lang>.md (e.g. {stem}.md if {stem!r} is its language code). Rename it, or "
                    "move it out of the content folder if it is not meant to be published."
                ),
            )
            tree.rejected[path] = "not a .md file"
            return
        _add_attachment(tree, problems, key, path)
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
        parsed = _parse_file(os.path.join(tree.root, path), previous.get(path))
    except FileTooLarge as large:
        # Not even read: a file this large would take the memory of the machine, not make a page.
        _reject_unsafe(
            tree,
            problems,
            key,
            path,
            f"it is {large.size:,} bytes long, more than the press reads ({READ_AT_MOST:,}); an article "
            "is far shorter: split it into several articles, or attach large data as a file",
        )
        return
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
    tree.parsed[path] = parsed
    if parsed.controls:
        problems.add(
            "invalid-metadata",
            key=key,
            lang=lang,
            path=path,
            message=(
                f"the file holds control characters or Unicode noncharacters (pasted from a word "
                f"processor?) at "
                f"{describe_positions(list(parsed.controls))}: they are left out of the site; delete them "
                "from the file."
            ),
        )
    version = Version(kind, key, lang, path, parsed.source, parsed.revision, parsed.digest)
    group = tree.groups.setdefault((kind, key), Group(kind, key))
    group.versions[lang] = version
    if not version.is_translation:
        group.originals.append(version)


class FileTooLarge(Exception):
    """A version's file over READ_AT_MOST bytes: never read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _parse_file(full: str, known: ParsedFile | None) -> ParsedFile:
    """Read and parse one version's file, unless ``known`` was made from it as it is; FileTooLarge,
    unread, past READ_AT_MOST bytes (the one stat of the file tells both)."""
    reading = time.time_ns()
    status = os.stat(full)
    if status.st_size > READ_AT_MOST:
        raise FileTooLarge(status.st_size)
    stat = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    if known is not None and known.stat == stat and known.settled:
        return known
    with open(full, encoding="utf-8") as handle:
        text = handle.read()
    source = parse_source(text)
    controls = control_characters(text)
    return ParsedFile(
        stat=stat,
        digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        source=parse_source(without_control_characters(text)) if controls else source,
        revision=revision_of(source.body),  # as written: what ``invoke stamp`` recorded
        controls=tuple(controls),
        settled=status.st_mtime_ns + RACY_NS < reading,
    )


def key_from(text: str, fallback: str = "article") -> str:
    """A valid key made from a title or a bad key: ``Mój Artykuł!`` -> ``moj-artykul``."""
    key = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    return key[:60].rstrip("-") or fallback
