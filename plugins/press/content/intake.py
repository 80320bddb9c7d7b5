"""What may enter a build: the files, headers and characters the press accepts (contract §1, §3).

Only content is published.  An article folder holds its versions (``<lang>.md``)
and attachments of the types in :data:`PUBLISHED_TYPES`; anything else (a
hidden file, an editor's leftover, a type the press does not publish, a
symbolic link that leads outside the content folder) is ``unsafe-file`` and
never copied.  This module decides, file by file and reference by reference;
:func:`press.content.tree.scan_tree` applies it while it reads the tree, and the static
step copies only what the scan accepted.

SVG is refused on purpose: an SVG file is a program as much as a picture (it
can carry scripts, event attributes and references to other hosts), and no
maintained sanitizer for it is available here; export drawings as PNG or WebP.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from press.candidates import blank_run_start, finditer_from, positions_of
from press.content.metadata import (
    KNOWN_HEADERS,
    REFUSED_HEADERS,
    closest_header,
    header_status,
    nearest_header,
)
from press.problems import ProblemCollector

#: Attachment types a press publishes, by extension (lower case).
PUBLISHED_TYPES: dict[str, str] = {
    # images (their metadata is removed by press.pipeline.images)
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".gif": "image",
    ".webp": "image",
    ".tif": "image",
    ".tiff": "image",
    # sound and video
    ".mp3": "audio",
    ".ogg": "audio",
    ".oga": "audio",
    ".opus": "audio",
    ".m4a": "audio",
    ".mp4": "video",
    ".webm": "video",
    ".ogv": "video",
    ".vtt": "subtitles",
    # documents and data behind charts
    ".pdf": "document",
    ".epub": "document",
    ".csv": "data",
}
#: Why some types that look publishable are not.
REFUSED_TYPES: dict[str, str] = {
    ".svg": "an SVG can run scripts and load from other hosts: export it as PNG or WebP",
    ".svgz": "an SVG can run scripts and load from other hosts: export it as PNG or WebP",
    ".avif": "the press cannot remove an AVIF's metadata yet (camera, place): export it as JPEG or WebP",
    ".html": "raw HTML pages are not published: write the article as <lang>.md",
    ".htm": "raw HTML pages are not published: write the article as <lang>.md",
}
#: An editor's leftovers: backups, swap and lock files, merge remnants.
LEFTOVER = re.compile(r"(?:~|\.bak|\.orig|\.rej|\.swp|\.swo|\.swx|\.tmp|\.old)$|^#.*#$", re.IGNORECASE)


def attachment_problem(name: str) -> str | None:
    """Why a file named ``name`` in a content folder is not published, or None if it may be."""
    if has_control_characters(name) or _undecodable(name):
        return "its name holds control characters or bytes that are not UTF-8: rename it"
    if name.startswith("."):
        return "it is a hidden file (editors' settings, secrets such as .env, swap files): remove it"
    if LEFTOVER.search(name):
        return "it is an editor's leftover (backup, swap or merge file): remove it"
    extension = posixpath.splitext(name)[1].lower()
    if extension in REFUSED_TYPES:
        return REFUSED_TYPES[extension]
    if extension not in PUBLISHED_TYPES:
        kinds = ", ".join(sorted(PUBLISHED_TYPES))
        return f"the press does not publish {extension or 'extension-less'} files (it publishes {kinds})"
    return None


def leftover_language(name: str, languages: list[str]) -> str:
    """The language of the version an editor's leftover was copied from (``.en.md.swp`` -> ``en``)."""
    match = re.match(r"^[.#]?([A-Za-z0-9_-]+)\.md", name)
    return match.group(1) if match and match.group(1) in languages else ""


def _undecodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True  # os.fsdecode keeps bytes that are not UTF-8 as lone surrogates
    return False


# Control characters (but tab, LF, CR) and Unicode's noncharacters (U+FFFE, U+FDD0…): no text
# holds them, and an e-book that does is refused by its readers.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARACTERS}]")


# Quick looks for the usual case, a text with none: every file is read on every build, and
# a class with astral characters makes the full pattern scan some 40 times slower.
_ASCII_CONTROL = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BMP_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def _surely_clean(text: str) -> bool:
    if text.isascii():
        return _ASCII_CONTROL.search(text.encode("ascii")) is None
    return _BMP_CONTROL.search(text) is None and max(text) <= "\uffff"


def has_control_characters(text: str) -> bool:
    return not _surely_clean(text) and _CONTROL.search(text) is not None


def control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, U+XXXX) of every control character, 1-based, lines split at LF."""
    if not text or _surely_clean(text):
        return []
    found = []
    # Lines counted from the previous match on, not from the start: a file of a million NULs
    # would otherwise be scanned a million times over.
    line, line_start, counted_to = 1, 0, 0
    for match in _CONTROL.finditer(text):
        start = match.start()
        newlines = text.count("\n", counted_to, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, start) + 1
        counted_to = start
        found.append((line, start - line_start + 1, f"U+{ord(match.group()):04X}"))
    return found


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def describe_positions(found: list[tuple[int, int, str]], limit: int = 5) -> str:
    shown = ", ".join(f"line {line} column {column} ({code})" for line, column, code in found[:limit])
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return shown + more


def resolve_reference(folder: str, target: str) -> str | None:
    """``target`` (a link written in a file of ``folder``) as a content path, or None if it leaves content/.

    A leading ``/`` means the content folder's root, as in Pelican.
    """
    path = target.split("#", 1)[0].split("?", 1)[0].replace("%20", " ")
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    resolved = posixpath.normpath(joined) if joined else "."
    if resolved == ".." or resolved.startswith("../") or resolved.startswith("/"):
        return None
    return resolved


#: Placeholders whose path Pelican resolves in the content folder (``{static}x`` or ``|static|x``).
CONTENT_PLACEHOLDER = re.compile(r"^[{|](?:filename|static|attach)[}|]")
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
#: Attributes that name a file or page (and the same words in text: ``set src='/path'``), or a
#: ``file:`` address anywhere, also as text (``file:///etc/passwd``): one pattern, one pass.
#: Attributes whose value a browser fetches or follows (``xlink:href`` in SVG).
REFERENCE_NAMES = (
    "href",
    "src",
    "srcset",
    "poster",
    "action",
    "formaction",
    "data",
    "background",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "manifest",
    "icon",
    "xlink:href",
)
FILE_SCHEME = "file:"
REFERENCE_IN_HTML = re.compile(
    rf"(?<![\w:.-])(?P<name>{'|'.join(REFERENCE_NAMES)})\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'>]+)"
    rf"|(?<![\w.+-])(?P<address>{FILE_SCHEME}[/\\][^\s\"'<>]*)",
    re.IGNORECASE,
)
NAME_LENGTHS = frozenset(len(name) for name in REFERENCE_NAMES)
#: What a site writes at its top besides the languages' folders: a path from the root that starts
#: with one of these (``/images/logo.png``, ``/offline/en.zip``) is a page or file of the site.
SITE_TOP_NAMES = frozenset(
    {"articles", "issues", "pages", "images", "assets", "offline", "pagefind"}
    | {"index.html", "robots.txt", "sitemap.xml"}
)
ADDRESS_BLANKS = re.compile(r"[\x00-\x20]+")
FILE_SCHEME_REASON = "is a file: address (a file of the machine that builds the site)"
ABSOLUTE_PATH_REASON = "is an absolute path (a file of the machine that builds the site, not a page of it)"
OUTSIDE_REASON = "leads outside the content folder"


def refused_reference(value: str, folder: str, site_folders: Collection[str]) -> str | None:
    """Why a link or image destination written in a file of ``folder`` is refused, or None.

    The one check of every reference a body, summary or caption makes (contract §1):

    - ``{filename}``, ``{static}``, ``{attach}`` and relative paths resolve in
      the content folder (:func:`resolve_reference`); one that leaves it is refused;
    - a ``file:`` address is refused;
    - a path from the root (``/…``) is a page of the site only when it starts
      with one of ``site_folders`` (the languages: ``/en/other-key/``) or of
      :data:`SITE_TOP_NAMES` (``/images/logo.png``), or is ``/`` itself; any
      other (``/etc/passwd``, ``/proc/self/environ``) is an absolute path of
      the machine and refused;
    - other addresses (``https:``, ``mailto:``, ``#…``, ``//host``) are not
      files and are the sanitizer's to judge.
    """
    text = html.unescape(value).strip()
    compact = ADDRESS_BLANKS.sub("", text).replace("\\", "/")
    placeholder = CONTENT_PLACEHOLDER.match(compact)
    if placeholder:
        return None if resolve_reference(folder, compact[placeholder.end() :]) is not None else OUTSIDE_REASON
    if compact.lower().startswith("file:"):
        return FILE_SCHEME_REASON
    if not compact or URL_SCHEME.match(compact) or compact.startswith(("//", "#", "{", "?")):
        return None
    if compact.startswith("/"):
        path = posixpath.normpath(unquote(compact.split("#", 1)[0].split("?", 1)[0]))
        first = path.lstrip("/").split("/", 1)[0]
        is_site_path = not first or first in site_folders or first in SITE_TOP_NAMES
        return None if is_site_path else ABSOLUTE_PATH_REASON
    return None if resolve_reference(folder, unquote(compact)) is not None else OUTSIDE_REASON


@dataclass(frozen=True)
class RefusedReference:
    """A reference in a body that the press refuses: as written, and why."""

    written: str  # the destination as the HTML states it
    reason: str


def refused_references(markup: str, folder: str, site_folders: Collection[str]) -> list[RefusedReference]:
    """Every reference in ``markup`` (a rendered body, not yet cleaned) :func:`refused_reference` refuses.

    Read from the HTML as text, tags and prose alike: an attribute
    (``<img src="/etc/passwd">``, ``![x](/etc/passwd)``), the same words in
    text (``set src='/etc/passwd'``) and any ``file:`` address; one entry per
    occurrence, in the order of the text.  Never raises.
    """
    found = []
    markup = markup or ""
    for match in finditer_from(REFERENCE_IN_HTML, markup, reference_starts(markup)):
        if match.group("address"):
            address = re.split(r"[\"']", html.unescape(match.group("address")), maxsplit=1)[0]
            found.append(RefusedReference(address.rstrip(".,;:)]"), FILE_SCHEME_REASON))
            continue
        value = attribute_value(match.group("value"))
        candidates = value.split(",") if match.group("name").lower() == "srcset" else [value]
        for candidate in candidates:
            written = candidate.strip().split(" ", 1)[0].strip("\"'")
            reason = refused_reference(written, folder, site_folders)
            if reason:
                found.append(RefusedReference(written, reason))
    return found


def reference_starts(markup: str) -> Iterator[int]:
    """Every position where a match of REFERENCE_IN_HTML can begin: a name that ends, after
    blanks, at a ``=``; the ``file`` of a ``file:`` (press.candidates)."""
    for equals in positions_of(markup, "="):
        name_end = blank_run_start(markup, equals)
        for length in NAME_LENGTHS:
            yield name_end - length
    for colon in positions_of(markup, ":"):
        yield colon - (len(FILE_SCHEME) - 1)


def attribute_value(raw: str) -> str:
    """An attribute's value as a browser reads it; also when written as escaped text in a code block
    (``src=&quot;/etc/passwd&quot;&gt;`` reads ``/etc/passwd``)."""
    value = html.unescape(raw).strip()
    if value[:1] in ("'", '"'):
        return value[1:].split(value[0], 1)[0].strip()
    return re.split(r"[\s>]", value, maxsplit=1)[0]


def refused_reference_problems(
    markup: str, source: str, first_line: int, folder: str, site_folders: Collection[str]
) -> list[str]:
    """The ``unsafe-file`` messages for the references of ``markup`` (rendered from ``source``,
    whose first line is ``first_line``) that are refused, each naming its line and the fix.

    The n-th time the HTML holds a reference, its line is that of the n-th time
    the source holds it (the first, if the source spells it otherwise).
    """
    messages = []
    searched_from: dict[str, int] = {}
    for refused in refused_references(markup, folder, site_folders):
        index = source.find(refused.written, searched_from.get(refused.written, 0))
        if index < 0:
            index = source.find(refused.written)
        searched_from[refused.written] = index + 1 if index >= 0 else 0
        line = first_line + (source.count("\n", 0, index) if index >= 0 else 0)
        messages.append(refused_reference_message(refused, line, folder))
    return list(dict.fromkeys(messages))


def refused_reference_message(refused: RefusedReference, line: int, folder: str) -> str:
    """What the ``unsafe-file`` problem of a refused reference says: where, why, and the fix."""
    return (
        f"line {line}: the reference {refused.written!r} {refused.reason}: nothing outside the "
        "content folder is ever read or published (as a link or an image, it is left out of the page). "
        f"Put the file beside the article ({folder}/) and refer to it by its name; link other "
        "articles with {filename}../<key>/<lang>.md or by their address on the site (/<lang>/<key>/)."
    )


def check_headers(tree, problems: ProblemCollector) -> None:
    """Unknown headers and unreadable Status values, in every version of the tree."""
    for version in tree.versions():
        for name, header in version.source.headers.items():
            if name in KNOWN_HEADERS or name in REFUSED_HEADERS:
                continue
            closest = closest_header(name)
            if closest:
                hint = f"did you mean `{closest}`? Correct it, or remove it"
            else:
                nearest = nearest_header(name)
                hint = f"the known header nearest to it is `{nearest}`; correct it if meant, or remove it"
            problems.add_for(
                "unknown-header",
                version,
                (
                    f"line {header.line}: the press does not know the header {header.written or name!r}, "
                    f"so it is ignored: {hint} (docs/headers.md lists every header)."
                ),
            )
        status = version.source.headers.get("status")
        if status is not None and header_status(status.value) is None:
            problems.add_for(
                "invalid-metadata",
                version,
                (
                    f"line {status.line}: Status {status.value!r} is unknown: write 'Status: draft' "
                    "to keep the version out of the publishing build, or remove the header to publish it."
                ),
            )


def drafts_shown(settings: dict) -> bool:
    """Whether this build shows ``Status: draft`` versions (marked as drafts).

    ``PRESS_DRAFTS`` (default None: yes) decides in a development build; the
    publishing build (``PRESS_PUBLISHING``, and any strict build) never shows them (contract §3).
    """
    if settings.get("PRESS_PUBLISHING") or settings.get("PRESS_STRICT"):
        return False
    value = settings.get("PRESS_DRAFTS")
    return True if value is None else bool(value)


def is_draft(version) -> bool:
    """``Status: draft`` (an unreadable Status counts as a draft: it was not approved)."""
    status = version.source.value("status")
    return status is not None and header_status(status) != "published"


def draft_key(group, languages: list[str]) -> bool:
    """Whether a key is a draft: its original (or best guess) says ``Status: draft``."""
    source = group.source_of_truth(languages)
    return source is not None and not source.is_translation and is_draft(source)


def report_draft_translations(tree, problems: ProblemCollector) -> None:
    """A draft translation is held back: the edition that needs it reports it missing."""
    for group in tree.groups.values():
        if draft_key(group, tree.languages):
            continue
        editions = group.editions(tree.languages)
        for lang, version in sorted(group.versions.items()):
            if not version.is_translation or not is_draft(version) or lang not in editions:
                continue
            problems.add(
                "missing",
                key=group.key,
                lang=lang,
                path=version.path,
                message=(
                    f"the {lang} version of '{group.key}' is a draft (Status: draft), so the {lang} "
                    "edition has no approved version of it: remove the Status header once the "
                    "translation is approved."
                ),
            )
