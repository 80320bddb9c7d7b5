"""Paragraph-level translation in gettext PO files: ``invoke po-export`` and ``invoke po-import``.

One PO file per article and language, ``translations/content/<lang>/<key>.po`` (pages and issues:
``translations/content/<lang>/<kind>/<key>.po``), outside ``content/`` and never published.  Its
entries are the original's segments (:mod:`press.translation.segments`), each with a stable ``msgctxt``
(``title``, ``summary``, ``share``, ``body-1``, ``body-2``, …) that survives later edits of the
original.  Exporting aligns what is already translated (the PO file itself, or else the
translation in ``content/``) with the original's current text: unchanged segments stay
translated, changed ones become fuzzy with the previous ``msgid`` (``#|``), new ones are empty or
pre-filled from the translation memory (fuzzy).  Importing writes the translation back into
``content/<kind>/<key>/<lang>.md``, keeping its header block and every byte the translator did not
change, and stamps ``Translation-Of`` with the original's revision only when nothing is left.

Errors are :class:`POError` with a message naming the file and the entry; nothing is written
unless everything checks out, and files are replaced atomically.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, denormalize, read_po, write_po

from press import safekeeping
from press.content.headers import normalise_newlines, parse_source, revision_of
from press.content.tree import ContentTree, Group, Version
from press.translation import fidelity
from press.translation import glossary as glossary_module
from press.translation.alignment import align
from press.translation.segments import (
    HEADER_FIELDS,
    Segment,
    SegmentError,
    body_segments,
    expand,
    header_segments,
    placeholders_in,
    replace_segments,
    segment_blocks,
)

PO_ROOT = os.path.join("translations", "content")
UNKNOWN_REVISION = "0" * 12
HEADER_COMMENT = """\
# {kind}/{key}: the {lang} translation of {original}, one entry per segment.
# Translate each msgstr; keep every placeholder {{1}}, {{2}}, … (the comments say what each
# stands for). An entry marked fuzzy changed in the original since it was translated, or was
# pre-filled from the translation memory: check it, then clear the fuzzy mark.
# Write it back with: invoke po-import <this file>"""


class POError(Exception):
    """A PO file or request the tools cannot use; the message names the file, the entry and the fix."""


@dataclass
class Entry:
    """One segment of the original with what is known of its translation."""

    context: str
    segment: Segment
    translation: str = ""
    fuzzy: bool = False
    previous: str | None = None
    comments: list[str] = field(default_factory=list)


_SEGMENTS: dict[tuple[str, str], list[Segment]] = {}


def segments_of(version: Version) -> list[Segment]:
    """A version's segments (remembered by the file's digest: a tree is segmented once)."""
    cache_key = (version.path, version.digest or version.revision)
    if cache_key not in _SEGMENTS:
        if len(_SEGMENTS) > 4096:
            _SEGMENTS.clear()
        _SEGMENTS[cache_key] = header_segments(version.source) + body_segments(version.source.body)
    return _SEGMENTS[cache_key]


def segments_of_text(text: str) -> list[Segment]:
    source = parse_source(text)
    return header_segments(source) + body_segments(source.body)


def po_root_for(content_root: str) -> str:
    """The PO working folder beside a content folder: ``<project>/translations/content``."""
    return os.path.join(os.path.dirname(os.path.abspath(content_root)), PO_ROOT)


def po_path(root: str, kind: str, key: str, lang: str) -> str:
    """Where a translation's PO file lives, under the project's ``translations/content``."""
    parts = [root, lang] + ([] if kind == "articles" else [kind]) + [f"{key}.po"]
    return os.path.join(*parts)


# -- aligning a translation with an original ---------------------------------------------


def pair_segments(source: list[Segment], target: list[Segment]) -> dict[int, int]:
    """Which target segment translates which source segment (indices).

    Header fields pair by name; body segments by the block alignment the parity gate uses
    (:func:`press.translation.alignment.align`): in order, by kind, anchored by what a translation keeps
    (numbers, destinations, code) and by length, so that a paragraph the translation lacks,
    or two it joined, leave the others paired right.
    """
    pairs: dict[int, int] = {}
    source_fields = {s.kind: i for i, s in enumerate(source) if s.kind in HEADER_FIELDS}
    for j, t in enumerate(target):
        if t.kind in source_fields:
            pairs[source_fields[t.kind]] = j
    source_body = [i for i, s in enumerate(source) if s.kind not in HEADER_FIELDS]
    target_body = [j for j, t in enumerate(target) if t.kind not in HEADER_FIELDS]
    alignment = align(
        segment_blocks([source[i] for i in source_body]), segment_blocks([target[j] for j in target_body])
    )
    for i, j in alignment.one_to_one().items():
        pairs[source_body[i]] = target_body[j]
    return pairs


def renumber(source: Segment, target: Segment) -> tuple[str, dict[int, str]]:
    """The target's text with its placeholders numbered as in the source, and their values.

    A target placeholder standing for the same thing as a source one takes its number; the
    others take the source's numbers in order (a link to the translation's own version of a
    page), then numbers beyond the source's.
    """
    mapping: dict[int, int] = {}
    free = [n for n in range(1, len(source.values) + 1)]
    for index, value in enumerate(target.values, start=1):
        if value in source.values and source.values.index(value) + 1 in free:
            number = source.values.index(value) + 1
            mapping[index] = number
            free.remove(number)
    extra = len(source.values)
    for index in range(1, len(target.values) + 1):
        if index in mapping:
            continue
        if free:
            mapping[index] = free.pop(0)
        else:
            extra += 1
            mapping[index] = extra
    text = re.sub(r"\{(\d+)\}", lambda m: f"{{{mapping[int(m.group(1))]}}}", target.text)
    return text, {mapping[i]: v for i, v in enumerate(target.values, start=1)}


def changed_segments(old: list[Segment], new: list[Segment]) -> dict[int, int | None]:
    """For each new segment that is not identical in ``old``: the old one it replaces, or None."""
    matcher = difflib.SequenceMatcher(
        a=[s.identity for s in old], b=[s.identity for s in new], autojunk=False
    )
    changed: dict[int, int | None] = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for offset in range(b2 - b1):
            changed[b1 + offset] = a1 + offset if a1 + offset < a2 else None
    return changed


def count_changes(old: list[Segment], new: list[Segment]) -> int:
    """How many segments were changed, added or removed between two versions of an original."""
    matcher = difflib.SequenceMatcher(
        a=[s.identity for s in old], b=[s.identity for s in new], autojunk=False
    )
    return sum(max(a2 - a1, b2 - b1) for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal")


def original_at(content_root: str, original: Version, revision: str) -> str | None:
    """The whole text of the original when its body had ``revision`` (git history), or None."""
    if revision == original.revision:
        return None
    return text_in_history(os.path.join(content_root, original.path), revision)


def text_in_history(path: str, revision: str) -> str | None:
    """The whole text of ``path`` at the newest commit where its body's revision was
    ``revision`` (following renames), or None outside git or when no commit has it."""
    path = os.path.abspath(path)
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=os.path.dirname(path),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = os.path.relpath(path, top)
        commits = subprocess.run(
            ["git", "log", "--format=%H", "--follow", "--", relative],
            cwd=top,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    for commit in commits:
        shown = subprocess.run(
            ["git", "show", f"{commit}:{relative}"], cwd=top, capture_output=True, text=True
        )
        if shown.returncode == 0 and revision_of(parse_source(shown.stdout).body) == revision:
            return shown.stdout
    return None


# -- translation memory ----------------------------------------------------------------


def translation_memory(tree: ContentTree, lang: str, source_lang: str, skip: tuple[str, str]) -> dict:
    """{source segment identity-less key: (translation, where)} from every up-to-date translation."""
    memory: dict[tuple[str, str, tuple[str, ...]], tuple[str, str]] = {}
    for (kind, key), group in sorted(tree.groups.items()):
        if (kind, key) == skip:
            continue
        original = group.original
        version = group.versions.get(lang)
        if original is None or version is None or original.lang != source_lang or version is original:
            continue
        recorded = version.translated_from()
        if recorded is None or recorded[1] != original.revision:
            continue
        source, target = segments_of(original), segments_of(version)
        for i, j in pair_segments(source, target).items():
            text, values = renumber(source[i], target[j])
            if text.strip() and set(values) == set(range(1, len(source[i].values) + 1)):
                memory.setdefault(_memory_key(source[i]), (text, version.path))
    return memory


def _memory_key(segment: Segment) -> tuple[str, tuple[str, ...]]:
    return (" ".join(segment.text.split()).casefold(), segment.values)


# -- export ------------------------------------------------------------------------------


@dataclass
class Export:
    path: str
    entries: int
    translated: int
    fuzzy: int
    from_memory: int


def _group(tree: ContentTree, kind: str, key: str, content_root: str) -> Group:
    group = tree.group(kind, key)
    if group is None:
        raise POError(f"there is no {kind}/{key}/ folder in {content_root}")
    return group


def _original(group: Group) -> Version:
    original = group.original
    if original is None:
        raise POError(
            f"{group.kind}/{group.key} has {len(group.originals)} originals: it needs exactly one "
            "(the version without Translation-Of) before it can be translated"
        )
    return original


def build_entries(
    tree: ContentTree,
    content_root: str,
    group: Group,
    lang: str,
    previous: Catalog | None,
) -> tuple[list[Entry], str]:
    """The PO entries for ``group`` in ``lang``: what is translated, what changed, what is new.

    Returns the entries and a note on how the existing translation was aligned.
    """
    original = _original(group)
    current = segments_of(original)
    entries: list[Entry] = []
    note = ""
    if previous is not None:
        old = [
            (message.context, _segment_from_message(message), message)
            for message in previous
            if message.id and message.context != ""
        ]
        old_segments = [segment for _, segment, _ in old]
        matcher = difflib.SequenceMatcher(
            a=[s.identity for s in old_segments], b=[s.identity for s in current], autojunk=False
        )
        used_contexts = {context for context, _, _ in old}
        by_new: dict[int, tuple[str, Segment, Message, bool]] = {}
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            for offset in range(b2 - b1):
                if tag == "equal":
                    context, segment, message = old[a1 + offset]
                    by_new[b1 + offset] = (context, segment, message, False)
                elif tag == "replace" and a1 + offset < a2:
                    context, segment, message = old[a1 + offset]
                    by_new[b1 + offset] = (context, segment, message, True)
        for index, segment in enumerate(current):
            if index in by_new:
                context, old_segment, message, changed = by_new[index]
                entry = Entry(context, segment, _string(message), fuzzy=message.fuzzy or changed)
                if changed:
                    entry.previous = old_segment.text
                elif message.fuzzy and message.previous_id:
                    entry.previous = _string_id(message.previous_id)
                entries.append(entry)
            else:
                entries.append(Entry(_new_context(segment, used_contexts), segment))
        note = f"merged with {len(previous)} entries of the previous PO file"
    else:
        used: set[str] = set()
        entries = [Entry(_new_context(segment, used), segment) for segment in current]
        version = group.versions.get(lang)
        if version is not None and version is not original:
            note = _align_translation(content_root, original, version, current, entries)
    return entries, note


def _align_translation(content_root, original, version, current, entries) -> str:
    """Fill ``entries`` from the translation in content/, marking what changed since it was made."""
    target = segments_of(version)
    recorded = version.translated_from()
    base = current
    unknown_base = False
    if recorded is not None and recorded[1] != original.revision:
        old_text = original_at(content_root, original, recorded[1])
        if old_text is None:
            unknown_base = True
        else:
            base = segments_of_text(old_text)
    pairs = pair_segments(base, target)
    changes = changed_segments(base, current) if base is not current else {}
    for index, entry in enumerate(entries):
        if index in changes:
            old_index = changes[index]
            if old_index is None or old_index not in pairs:
                continue
            text, _ = renumber(base[old_index], target[pairs[old_index]])
            entry.translation, entry.fuzzy, entry.previous = text, True, base[old_index].text
            continue
        old_index = _base_index(base, current, index) if base is not current else index
        if old_index is None or old_index not in pairs:
            continue
        text, _ = renumber(base[old_index], target[pairs[old_index]])
        entry.translation = text
        if unknown_base:
            entry.fuzzy = True
    if unknown_base:
        return (
            f"{version.path} was made from revision {recorded[1]}, which is not in the git history "
            "here: every entry is marked fuzzy; check each against the original"
        )
    return f"aligned with {version.path}"


def _base_index(base: list[Segment], current: list[Segment], index: int) -> int | None:
    matcher = difflib.SequenceMatcher(
        a=[s.identity for s in base], b=[s.identity for s in current], autojunk=False
    )
    for tag, a1, _a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal" and b1 <= index < b2:
            return a1 + index - b1
    return None


def _new_context(segment: Segment, used: set[str]) -> str:
    if segment.kind in HEADER_FIELDS and segment.kind not in used:
        used.add(segment.kind)
        return segment.kind
    number = 1 + max([int(c[5:]) for c in used if re.fullmatch(r"body-\d+", c)] + [0])
    context = f"body-{number}"
    used.add(context)
    return context


def _string(message: Message) -> str:
    return message.string if isinstance(message.string, str) else (message.string or [""])[0]


def _string_id(value) -> str:
    return value if isinstance(value, str) else (value or [""])[0]


VALUE_COMMENT = re.compile(r"^\{(\d+)\} = (.*)$", re.DOTALL)
KIND_COMMENT = re.compile(r"^segment: (.+)$")


def _segment_from_message(message: Message) -> Segment:
    """The original's segment as an exported entry recorded it (text, kind, placeholder values)."""
    kind = message.context if message.context in HEADER_FIELDS else "paragraph"
    values: dict[int, str] = {}
    for comment in message.auto_comments:
        match = VALUE_COMMENT.match(comment)
        if match:
            values[int(match.group(1))] = match.group(2)
        kind_match = KIND_COMMENT.match(comment)
        if kind_match:
            kind = kind_match.group(1)
    ordered = tuple(values[n] for n in sorted(values))
    return Segment(kind, _string_id(message.id), ordered)


def still_original(text: str, translation: str, source_lang: str, lang: str, original_body: str = "") -> bool:
    """Whether ``translation`` is the original's ``text`` itself, which is more than names,
    numbers, code and URLs: it is still to translate (``invoke translate`` starts a file as a copy).
    ``original_body`` tells a headline's capitals from a name's, as the build's check does
    ("Strike Funds: Why Solidarity Needs a Treasury" over a body about strike funds is text)."""
    if fidelity.base_language(source_lang) == fidelity.base_language(lang):
        return False
    if " ".join(translation.split()) != " ".join(text.split()):
        return False
    return bool(fidelity.title_words(PLACEHOLDER_TEXT.sub(" ", text), original_body))


PLACEHOLDER_TEXT = re.compile(r"\{\d+\}")
MEMORY_NOTE = "translation memory:"


def clear_copies(entries: list[Entry], original: Version, lang: str) -> None:
    """Entries whose translation is still the original's text are not translated."""
    for entry in entries:
        if entry.translation and still_original(
            entry.segment.text, entry.translation, original.lang, lang, original.source.body
        ):
            entry.translation, entry.fuzzy, entry.previous = "", False, None
            entry.comments = [c for c in entry.comments if not c.startswith(MEMORY_NOTE)]


def copied_segments(original: Version, version: Version) -> int:
    """How many of the original's segments ``version`` still holds as the original's text."""
    current, target = segments_of(original), segments_of(version)
    copied = 0
    for i, j in pair_segments(current, target).items():
        text, _ = renumber(current[i], target[j])
        copied += still_original(current[i].text, text, original.lang, version.lang, original.source.body)
    return copied


def fill_from_memory(entries: list[Entry], memory: dict) -> int:
    filled = 0
    for entry in entries:
        if entry.translation or not entry.segment.text.strip():
            continue
        found = memory.get(_memory_key(entry.segment))
        if found:
            entry.translation, entry.fuzzy = found[0], True
            entry.comments.append(f"{MEMORY_NOTE} {found[1]}")
            filled += 1
    return filled


def glossary_comments(entries: list[Entry], terms, source_lang: str, lang: str) -> None:
    if terms is None:
        return
    for entry in entries:
        for term, phrase in terms.used_in(source_lang, entry.segment.text):
            wanted = " / ".join(term.phrases.get(lang, ())) or "(no phrase for this language yet)"
            entry.comments.append(f'glossary: "{phrase}" = {lang}: {wanted}')


def catalog_for(kind: str, key: str, lang: str, original: Version, entries: list[Entry], now) -> Catalog:
    try:
        catalog = Catalog(locale=lang.replace("-", "_"), fuzzy=False)
    except (UnknownLocaleError, ValueError):
        catalog = Catalog(locale=None, fuzzy=False)
    catalog.project = f"{kind}/{key} {lang}"
    catalog.version = f"{original.lang}@{original.revision}"
    catalog.header_comment = HEADER_COMMENT.format(kind=kind, key=key, lang=lang, original=original.path)
    catalog.creation_date = now
    catalog.revision_date = now
    for entry in entries:
        comments = [f"segment: {entry.segment.kind}"]
        comments += [f"{{{n}}} = {value}" for n, value in enumerate(entry.segment.values, start=1)]
        comments += entry.comments
        catalog[entry.segment.text] = Message(
            entry.segment.text,
            entry.translation,
            flags=("fuzzy",) if entry.fuzzy and entry.translation else (),
            auto_comments=comments,
            previous_id=entry.previous if entry.fuzzy and entry.previous else (),
            context=entry.context,
        )
    return catalog


def braces(numbers) -> str:
    return ", ".join(f"{{{n}}}" for n in numbers)


def unescape_po(quoted_lines: str) -> str:
    """The text of one or more quoted PO string lines."""
    return denormalize(quoted_lines)


def write_catalog_atomically(catalog: Catalog, path: str) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, no_location=True)
    write_atomically(path, buffer.getvalue())


def write_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def read_catalog(path: str) -> Catalog:
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except FileNotFoundError:
        raise POError(f"{path}: no such file") from None
    except (PoFileError, UnicodeError, ValueError, LookupError) as error:  # LookupError: a bogus charset
        raise POError(
            f"{path} is not a readable PO file ({error}): save it as UTF-8, or export it again "
            "(invoke --help po-export says how)"
        ) from None
    for message in catalog:
        _take_previous_id(message)
    return catalog


def _take_previous_id(message: Message) -> None:
    """Babel reads ``#| msgid "…"`` lines as user comments: make them the previous msgid again."""
    parts: list[str] = []
    kept = []
    for comment in message.user_comments:
        if comment.startswith("| msgid ") or (parts and comment.startswith('| "')):
            quoted = comment[len("| msgid ") :] if comment.startswith("| msgid ") else comment[2:]
            parts.append(quoted.strip())
        elif comment.startswith("|"):
            continue
        else:
            kept.append(comment)
    if parts:
        with contextlib.suppress(ValueError):
            message.previous_id = [unescape_po("\n".join(parts))]
        message.user_comments = kept


def catalog_identity(catalog: Catalog, path: str) -> tuple[str, str, str, str]:
    """(kind, key, lang, revision) recorded in an exported PO file's Project-Id-Version."""
    parts = (catalog.project or "").split()
    match = re.fullmatch(r"(articles|pages|issues)/([a-z0-9][a-z0-9-]*)", parts[0]) if parts else None
    revision = re.fullmatch(r"[A-Za-z0-9_-]+@([0-9a-f]{12})", catalog.version or "")
    if len(parts) != 2 or match is None or revision is None:
        raise POError(
            f"{path}: its Project-Id-Version {catalog.project or ''} {catalog.version or ''!s} does not say "
            "which article and language it translates: use a file that po-export wrote "
            "(invoke --help po-export)"
        )
    return match.group(1), match.group(2), parts[1], revision.group(1)


def export(
    tree: ContentTree,
    content_root: str,
    po_root: str,
    kind: str,
    key: str,
    lang: str,
    *,
    glossary=None,
    now: datetime.datetime | None = None,
    path: str | None = None,
) -> Export:
    """Write (or merge into) the PO file for ``kind/key`` in ``lang``."""
    if lang not in tree.languages:
        raise POError(f"{lang!r} is not in LANGUAGES {tree.languages!r}")
    group = _group(tree, kind, key, content_root)
    original = _original(group)
    if original.lang == lang:
        raise POError(f"{original.path} is the original: there is nothing to translate into {lang}")
    path = path or po_path(po_root, kind, key, lang)
    previous = None
    if os.path.exists(path):
        previous = read_catalog(path)
        found = catalog_identity(previous, path)
        if found[:3] != (kind, key, lang):
            raise POError(
                f"{path} holds {found[0]}/{found[1]} in {found[2]}, not {kind}/{key} in {lang}: move it away"
            )
    entries, _note = build_entries(tree, content_root, group, lang, previous)
    clear_copies(entries, original, lang)
    memory = translation_memory(tree, lang, original.lang, (kind, key))
    fill_from_memory(entries, memory)
    clear_copies(entries, original, lang)  # a memory that is itself a copy fills nothing
    from_memory = sum(
        1 for e in entries if e.translation and any(c.startswith(MEMORY_NOTE) for c in e.comments)
    )
    glossary_comments(entries, glossary, original.lang, lang)
    catalog = catalog_for(kind, key, lang, original, entries, now or datetime.datetime(2000, 1, 1))
    write_catalog_atomically(catalog, path)
    translated = sum(1 for e in entries if e.translation and not e.fuzzy)
    fuzzy = sum(1 for e in entries if e.translation and e.fuzzy)
    return Export(path, len(entries), translated, fuzzy, from_memory)


# -- import ------------------------------------------------------------------------------


@dataclass
class Import:
    path: str
    entries: int
    remaining: int
    stamped: bool
    kept: str | None = None  # the copy kept of the file it replaced (see press.safekeeping)


def check_file_name(po_file: str, kind: str, key: str, lang: str, languages: list[str]) -> None:
    """A PO file named or filed for another article or language than it holds is refused."""
    stem = os.path.splitext(os.path.basename(po_file))[0]
    folders = os.path.normpath(os.path.abspath(po_file)).split(os.sep)[:-1]
    if stem not in (key, f"{kind}-{key}"):
        raise POError(
            f"{po_file} holds {kind}/{key} ({lang}) but is named {stem}.po: was it renamed or copied "
            f"from another article? Export the right one with: invoke po-export {key} {lang}"
        )
    if kind != "articles" and folders and folders[-1] == kind:
        folders = folders[:-1]
    if folders and folders[-1] in languages and folders[-1] != lang:
        raise POError(
            f"{po_file} holds the {lang} translation but lies in a folder for {folders[-1]}: "
            "was it copied from another language? Export the right one with: "
            f"invoke po-export {key} {folders[-1]}"
        )


def import_po(tree: ContentTree, content_root: str, po_file: str) -> Import:
    """Write the translation a PO file holds into content/; stamp it only when it is complete."""
    catalog = read_catalog(po_file)
    kind, key, lang, revision = catalog_identity(catalog, po_file)
    check_file_name(po_file, kind, key, lang, tree.languages)
    if lang not in tree.languages:
        raise POError(f"{po_file} translates into {lang!r}, which is not in LANGUAGES {tree.languages!r}")
    group = tree.group(kind, key)
    if group is None:
        raise POError(f"{po_file} translates {kind}/{key}, which is not in {content_root}")
    original = _original(group)
    if original.lang == lang:
        raise POError(f"{po_file} translates into {lang}, the language of the original {original.path}")
    current = segments_of(original)
    messages = [message for message in catalog if message.id]
    refresh = f"export it again with: invoke po-export {key} {lang} (your translations are kept)"
    if revision != original.revision or len(messages) != len(current):
        if len(messages) != len(current):
            raise POError(
                f"{po_file} has {len(messages)} entries but {original.path} now has {len(current)} segments: "
                f"the original changed since the export; {refresh}"
            )
        raise POError(
            f"{po_file} was exported from revision {revision} of {original.path}, "
            f"now {original.revision}: {refresh}"
        )
    texts: list[str | None] = []
    remaining = 0
    for message, segment in zip(messages, current, strict=True):
        where = f"{po_file}, entry {message.context or '?'}"
        if _string_id(message.id) != segment.text:
            raise POError(f"{where}: its msgid is not the original's text any more: {refresh}")
        string = _string(message)
        if not string.strip():
            remaining += 1
            texts.append(None)
            continue
        remaining += bool(message.fuzzy) or still_original(
            segment.text, string, original.lang, lang, original.source.body
        )
        wanted = set(range(1, len(segment.values) + 1))
        present = set(placeholders_in(string))
        if present - wanted:
            raise POError(
                f"{where}: the translation has {braces(sorted(present - wanted))}, "
                f"which the original does not: use only {braces(sorted(wanted)) or 'no placeholders'}"
            )
        if wanted - present:
            missing = sorted(wanted - present)
            raise POError(
                f"{where}: the translation lacks "
                + ", ".join(f"{{{n}}} ({segment.values[n - 1]})" for n in missing)
                + ": put each placeholder where it belongs in your sentence"
            )
        texts.append(string)
    version = group.versions.get(lang)
    path = os.path.join(content_root, kind, key, f"{lang}.md")
    refusal = safekeeping.linked_file_refusal(path)
    if refusal:
        raise POError(refusal)
    new_text = render_translation(content_root, original, current, version, texts)
    check_structure(po_file, messages, current, texts, new_text)
    if remaining == 0:
        stamp = f"{original.lang}@{original.revision}"
    else:
        recorded = version.translated_from() if version is not None else None
        stamp = f"{recorded[0]}@{recorded[1]}" if recorded else f"{original.lang}@{UNKNOWN_REVISION}"
    new_text = set_translation_of(new_text, stamp)
    old_bytes = None
    if os.path.exists(path):
        with open(path, "rb") as handle:
            old_bytes = handle.read()
    data = new_text.encode("utf-8")
    kept = None
    if data != old_bytes:
        kept = safekeeping.keep_copy_if_unsaved(path)  # edits made in the file itself are not lost
        write_atomically(path, data)
    return Import(path, len(current), remaining, remaining == 0, kept)


BLOCK_START = re.compile(r"^(?:#{1,6}\s|>|[-*+]\s|\d{1,9}[.)]\s|```|~~~|\||={3,}|-{3,})")


def check_structure(po_file: str, messages, current: list[Segment], texts, new_text: str) -> None:
    """Refuse a translation whose text would add or remove a paragraph, heading or list item."""
    expected = sum(1 for segment in current if segment.kind not in HEADER_FIELDS)
    found = len(body_segments(parse_source(new_text).body))
    if found == expected:
        return
    culprits = [
        message.context or "?"
        for message, segment, text in zip(messages, current, texts, strict=True)
        if text is not None
        and segment.kind not in HEADER_FIELDS
        and ("\n\n" in text.strip() or any(BLOCK_START.match(line.strip()) for line in text.split("\n")))
    ]
    where = f"entry {', '.join(culprits)}" if culprits else "an entry"
    raise POError(
        f"{po_file}, {where}: the translation would turn {expected} segments into {found} "
        "(a blank line, or a line starting like a heading, list item, quote or table, starts a new "
        "block): keep each entry one paragraph, without such line starts"
    )


def render_translation(
    content_root: str, original: Version, current: list[Segment], version: Version | None, texts
) -> str:
    """The translation's whole file: its own header block and layout where it can be kept."""
    headers = {s.kind: (i, s) for i, s in enumerate(current) if s.kind in HEADER_FIELDS}
    body_indices = [i for i, s in enumerate(current) if s.kind not in HEADER_FIELDS]
    template_segments: list[Segment] = []
    own: dict[int, tuple[Segment, dict[int, str]]] = {}
    if version is not None and version is not original:
        target = segments_of(version)
        pairs = pair_segments(current, target)
        for i, j in pairs.items():
            _, values = renumber(current[i], target[j])
            own[i] = (target[j], values)
        target_body = [t for t in target if t.kind not in HEADER_FIELDS]
        same_structure = [t.kind for t in target_body] == [current[i].kind for i in body_indices] and all(
            i in own for i in body_indices
        )
    else:
        same_structure = False
    if same_structure:
        body = version.source.body
        template_segments = [own[i][0] for i in body_indices]
    else:
        body = original.source.body
        template_segments = [current[i] for i in body_indices]
    sources: list[str | None] = []
    for position, i in enumerate(body_indices):
        sources.append(_new_source(i, current, own, texts, template_segments[position], same_structure))
    new_body = replace_segments(body, template_segments, sources)
    header_values = {}
    for name, (i, _segment) in headers.items():
        if texts[i] is None and i not in own and name != "title":
            continue  # an untranslated summary or caption is left out, not copied from the original
        header_values[name] = _new_source(i, current, own, texts, None, False)
    return _with_headers(content_root, original, version, header_values, new_body)


def _new_source(i, current, own, texts, template: Segment | None, same_structure: bool) -> str | None:
    """The source text for segment ``i``: the translator's text with the right values filled in."""
    text = texts[i]
    values = {n: v for n, v in enumerate(current[i].values, start=1)}
    if i in own:
        values.update(own[i][1])
    if text is None:
        if i in own:
            return None if same_structure else own[i][0].source
        return None if template is not None else current[i].source
    try:
        return expand(text, values)
    except SegmentError as error:  # checked before; kept as a clear message all the same
        raise POError(str(error)) from None


def _with_headers(
    content_root: str, original: Version, version: Version | None, values: dict[str, str | None], body: str
) -> str:
    if version is not None and version is not original:
        text = _read(content_root, version)
        lines = text.split("\n")
        header_lines = lines[: version.source.body_line - 1]
        for name in HEADER_FIELDS:
            value = values.get(name)
            if value is None:
                continue
            value = " ".join(value.split())
            header = version.source.headers.get(name)
            if header is not None:
                start = header.line - 1
                end = start + 1
                while end < len(header_lines) and re.match(r"^[ ]{4,}\S", header_lines[end]):
                    end += 1
                if " ".join(header.value.split()) != value:
                    header_lines[start:end] = [f"{header_lines[start].split(':', 1)[0]}: {value}"]
            else:
                at = _header_insert_at(header_lines)
                header_lines.insert(at, f"{name.title()}: {value}")
        return "\n".join(header_lines) + "\n" + body
    lines = []
    for name in HEADER_FIELDS:
        value = values.get(name)
        if value:
            lines.append(f"{name.title()}: {' '.join(value.split())}")
    lines.append(f"Translation-Of: {original.lang}@{UNKNOWN_REVISION}")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def _header_insert_at(header_lines: list[str]) -> int:
    for index, line in enumerate(header_lines):
        if re.match(r"^[ ]{0,3}translation-of:", line, re.IGNORECASE):
            return index
    while header_lines and not header_lines[-1].strip():
        return len(header_lines) - 1
    return len(header_lines)


def set_translation_of(text: str, value: str) -> str:
    header_end = text.find("\n\n")
    pattern = re.compile(
        r"^(?P<indent>[ ]{0,3})translation-of:(?P<value>[^\n]*)$", re.IGNORECASE | re.MULTILINE
    )
    match = pattern.search(text, 0, header_end if header_end >= 0 else len(text))
    if match:
        if match.group("value").strip() == value:
            return text
        return text[: match.start()] + f"{match.group('indent')}Translation-Of: {value}" + text[match.end() :]
    first = text.find("\n")
    return text[: first + 1] + f"Translation-Of: {value}\n" + text[first + 1 :]


def _read(content_root: str, version: Version) -> str:
    """The version's file as written (newlines normalised as the tree read them)."""
    with open(os.path.join(content_root, version.path), encoding="utf-8") as handle:
        return normalise_newlines(handle.read())


# -- status --------------------------------------------------------------------------------


def segments_changed(content_root: str, po_root: str, group: Group, version: Version) -> int | None:
    """How many of the original's segments changed since ``version`` was translated (None: unknown)."""
    original = group.original
    recorded = version.translated_from()
    if original is None or recorded is None:
        return None
    if recorded[1] == original.revision:
        return 0
    current = segments_of(original)
    po_file = po_path(po_root, group.kind, group.key, version.lang)
    if os.path.exists(po_file):
        try:
            catalog = read_catalog(po_file)
            exported_from = catalog_identity(catalog, po_file)[3]
            if exported_from == recorded[1]:
                old = [_segment_from_message(m) for m in catalog if m.id]
                return count_changes(old, current)
            if exported_from == original.revision:
                # exported since the change: the entries still to check are the changed ones
                return sum(
                    1 for m in catalog if m.id and (not _string(m).strip() or (m.fuzzy and m.previous_id))
                )
        except POError:
            pass
    old_text = original_at(content_root, original, recorded[1])
    if old_text is None:
        return None
    return count_changes(segments_of_text(old_text), current)


def glossary_for(content_root: str, languages) -> glossary_module.Glossary | None:
    return glossary_module.load(content_root, languages)
