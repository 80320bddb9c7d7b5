"""What a build carries to the next process: each file's parse, each key's comparison, each body's page HTML.

Comparing every translation with its original and preparing every body's page
HTML (rendered, sanitised, links resolved, headings named) are most of a
build's work before it writes, and what they make of a key or a version
depends only on its key's token (``key_inputs``: its files, its attachments, the
clock's verdict, the files at the top of ``content/``, which versions of the keys
it links to exist and are published), the settings that shape a reading, and the
press's own code.  The preview keeps them in memory
(``session.py``); a build in a new process reads them from ``CACHE_PATH``, so
after one original changed only that key is compared and prepared again.
The scan of ``content/`` is carried the same way: each version file's parse
(``press.content.tree.ParsedFile``, what the preview keeps between its runs) by
the file's stat, so only the files whose stat changed are opened again.

Each record is JSON, keyed by those digests and signed by the settings and the
code it was made with; a record that cannot be read, or was made otherwise, is
ignored (everything is made again) and replaced whole.  The records of one kind
that grow with the archive (parses, comparisons, bodies, readings) are spread
over several files by a hash of the path or key (``ShardedRecord``), each read
when first asked and written again only when its entries changed, so that one
change rewrites a few small files, not the archive's.  A ``CACHE_PATH`` that
cannot be written costs one warning in all (``keep_record``); one that names a
file is refused at the run's start (``refuse_unusable_cache_path``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import zlib

from press import build
from press.content.tree import ParsedFile, parsed_file_from_record
from press.files import PACKAGE_FOLDER, atomic_write, hash_files, output_cache_path
from press.files import hash_parts as _hash
from press.paper import i18n
from press.pipeline import key_inputs
from press.problems import Problem
from press.records import read_record, record_bytes
from press.settings import SettingsError

logger = logging.getLogger(__name__)

FINDINGS_FILE = "press-findings-{output}/{shard}.json"
FINDINGS_SHARDS = 64
BODIES_FILE = "press-bodies-{output}/{shard}.json"
BODIES_SHARDS = 256
# what the bodies and findings were kept in before they were spread: removed once replaced
WHOLE_FINDINGS_FILE = "press-findings-{output}.json"
WHOLE_BODIES_FILE = "press-bodies-{output}.json"
SCAN_FILE = "press-scan-{output}/{shard}.json"
THEME_MESSAGES_FILE = "press-theme-messages-{output}.json"
SCAN_SHARDS = 256
RECORD_FORMAT = 1
# Pelican settings that change how a body reads (every PRESS_ setting counts, but these).
READING_SETTINGS = ("LANGUAGES", "DEFAULT_LANG", "MARKDOWN", "SITEURL", "TIMEZONE")
NOT_READING_SETTINGS = ("PRESS_REPORT", "PRESS_WORKERS", "PRESS_RENDER_CACHE", "PRESS_SEARCH_TIMEOUT")


def reading_settings(settings: dict) -> str:
    chosen = [(name, repr(settings.get(name))) for name in READING_SETTINGS]
    chosen += sorted(
        (name, repr(value))
        for name, value in settings.items()
        if name.startswith("PRESS_") and name not in NOT_READING_SETTINGS
    )
    return repr(chosen)


@functools.lru_cache(maxsize=1)
def press_code_digest() -> str:
    """The press's own code (one process runs one version of it)."""
    return hash_files([PACKAGE_FOLDER], (".py",))


def record_signature(settings: dict) -> str:
    """What every record is made with: its format, the press's code, the settings that shape a reading."""
    return _hash(str(RECORD_FORMAT), press_code_digest(), reading_settings(settings))


def problems_from(entries) -> list[Problem] | None:
    try:
        return [Problem(**entry) for entry in entries]
    except TypeError:
        return None


def problem_entries(problems: list[Problem]) -> list[dict[str, str]]:
    return [problem.as_report_entry() for problem in problems]


def cache_folder(settings: dict) -> str:
    return settings.get("CACHE_PATH") or "cache"


def refuse_unusable_cache_path(settings: dict) -> None:
    """Raise SettingsError (one line, exit 2) if CACHE_PATH, or a folder it lies in, is not a folder.

    Every kind of record (and the render cache, the page record, the editions)
    would fail to be written there, some at the end of the build; a read-only
    folder is not refused: records that cannot be written cost time only.
    """
    folder = os.path.abspath(cache_folder(settings))
    existing = folder
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if os.path.lexists(existing) and not os.path.isdir(existing):
        what = "a file" if os.path.isfile(existing) else "a broken link or a device"
        named = f"is {what}" if existing == folder else f"lies in {existing}, which is {what}"
        raise SettingsError(
            f"CACHE_PATH {folder} {named}, not a folder: name a folder for the build's records "
            "(e.g. cache) or move that away"
        )


def keep_record(current: build.Build, path: str, text: str | bytes) -> bool:
    """Write one record of ``CACHE_PATH``; False if it could not be written.

    After the first record of a run that cannot be written (a read-only folder),
    the run writes no other and says so once: one warning in all, not one per record.
    """
    if current.records_unwritable:
        return False
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        atomic_write(path, text)
    except OSError as error:  # a cache that cannot be written costs time, not correctness
        give_up_records(current, path, error)
        return False
    return True


def writable_cache_folder(current: build.Build, folder: str) -> bool:
    """Whether ``folder`` (in ``CACHE_PATH``) can be made and written; warned of as
    :func:`keep_record` does, once a run, if not."""
    if current.records_unwritable:
        return False
    probe = os.path.join(folder, ".press-probe")
    try:
        os.makedirs(folder, exist_ok=True)
        atomic_write(probe, "")
        os.unlink(probe)
    except OSError as error:
        give_up_records(current, folder, error)
        return False
    return True


def give_up_records(current: build.Build, path: str, error: OSError) -> None:
    """The run keeps no more records; the one warning of it."""
    current.records_unwritable = True
    logger.warning(
        "Could not keep %s for the next build: %s; this build keeps none of its records, so the "
        "next one does all its work again (make CACHE_PATH, %s, a folder the build can write)",
        path,
        error.strerror or error,
        os.path.abspath(cache_folder(current.settings)),
    )


class CarriedRecord:
    """One JSON record of ``CACHE_PATH``: what the previous process made, and what this one keeps.

    The file is read when its entries are first asked for (``previous``).
    """

    def __init__(
        self, current: build.Build, settings: dict, pattern: str, signature: str | None = None
    ) -> None:
        self.current = current
        self.path = output_cache_path(cache_folder(settings), current.content_path, pattern)
        self.signature = signature or record_signature(settings)
        self._previous: dict | None = None
        self.kept: dict[str, object] = {}
        self.reused = 0

    @property
    def previous(self) -> dict:
        if self._previous is None:
            self._previous = self._load()
        return self._previous

    def _load(self) -> dict:
        try:
            record = read_record(self.path)
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or record.get("signature") != self.signature:
            return {}
        entries = record.get("entries")
        return entries if isinstance(entries, dict) else {}

    def previous_entry(self, token: str):
        return self.previous.get(token)

    def keep(self, token: str, entry) -> None:
        self.kept[token] = entry

    def save(self) -> bool:
        """Keep this run's entries (only those of files that still exist) for the next process.

        False if the record could not be written (``keep_record`` says why, once a run).
        """
        if self.current.records_unwritable:
            return False  # another record could not be written: this one is not even made
        if self.kept == self.previous:
            return True  # nothing changed: the record on disk is this run's already
        record = {"signature": self.signature, "entries": self.kept}
        return keep_record(self.current, self.path, record_bytes(record))


class ShardedRecord:
    """One kind of record spread over ``count`` files by a hash of a name (a path, a key).

    A change rewrites only the files whose entries changed (or lost an entry no
    longer used); each file is read only when one of its names is first asked for.
    """

    def __init__(
        self,
        current: build.Build,
        settings: dict,
        pattern: str,
        count: int,
        signature: str | None = None,
        replaces: str | None = None,
    ) -> None:
        signature = signature or record_signature(settings)
        self.parts = [
            CarriedRecord(current, settings, pattern.replace("{shard}", f"{shard:02x}"), signature)
            for shard in range(count)
        ]
        self.replaced = (
            output_cache_path(cache_folder(settings), current.content_path, replaces) if replaces else None
        )

    def part_of(self, name: str) -> CarriedRecord:
        return self.parts[shard_of(name, len(self.parts))]

    def save(self) -> None:
        for part in self.parts:
            if not part.save():
                return
        if self.replaced is not None:
            with contextlib.suppress(OSError):
                os.remove(self.replaced)  # the whole record this one replaced (an older press's)


def shard_of(name: str, count: int) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % count


class CarriedScan:
    """Each version file's parse from an earlier process, and this run's, kept for the next.

    The scan (``press.content.tree.scan_tree``) takes a parse back only while the
    file's path, inode, size, mtime and ctime are what they were, and its mtime was
    safely older than its reading (``tree.RACY_NS``); any other file is read again.
    The parses are kept in SCAN_SHARDS records, each file's by its path, so that a
    change rewrites only the records of the files it changed, not the whole archive.
    """

    def __init__(self, current: build.Build, settings: dict) -> None:
        # the first record of the run: a CACHE_PATH that cannot hold any is refused here, once
        refuse_unusable_cache_path(settings)
        self.record = ShardedRecord(current, settings, SCAN_FILE, SCAN_SHARDS)
        self.loaded: dict[str, ParsedFile] = {}

    def parsed_files(self) -> dict[str, ParsedFile]:
        """What the previous process's scan read, by path (for ``scan_tree``'s ``previous``)."""
        for record in self.record.parts:
            for path, entry in record.previous.items():
                # an entry in another part than its path's is not this record's (ignored)
                parsed = parsed_file_from_record(entry) if self.record.part_of(path) is record else None
                if parsed is not None:
                    self.loaded[path] = parsed
        return self.loaded

    def save(self, parsed: dict[str, ParsedFile]) -> None:
        """Keep this scan's parses; those taken back unchanged keep their entry as it was read."""
        reused = 0
        for path, parsed_file in parsed.items():
            record = self.record.part_of(path)
            if self.loaded.get(path) is parsed_file:
                record.keep(path, record.previous[path])
                reused += 1
            else:
                record.keep(path, parsed_file.record())
        if reused:
            logger.info("%d content files unchanged since the last build: not read again", reused)
        self.record.save()


class CarriedThemeMessages:
    """The theme's interface messages, extracted by an earlier process from the same templates.

    Extracting them parses every template (a tenth of a second, most of a small archive's
    rebuild beside the imports); the record is data only, a list of strings, taken back
    only while every template's bytes are what they were.
    """

    def __init__(self, current: build.Build, settings: dict) -> None:
        self.templates_dir = current.templates_dir
        self.record = CarriedRecord(current, settings, THEME_MESSAGES_FILE)
        self.token = ""
        self.carried: list[i18n.Message] | None = None

    def messages(self) -> list[i18n.Message] | None:
        """The carried messages, or None (the check extracts them, and :meth:`save` keeps them)."""
        try:  # the extraction's options are the press's code, which the record's signature names
            self.token = hash_files([self.templates_dir])
        except OSError:
            return None
        self.carried = i18n.messages_from_record(self.record.previous_entry(self.token))
        if self.carried is not None:
            logger.info("The theme's templates unchanged since the last build: messages not extracted again")
        return self.carried

    def save(self) -> None:
        if not self.token:
            return
        if self.carried is not None:
            entry = self.record.previous_entry(self.token)
        else:
            try:  # extracted by the check already: the extraction keeps its answer for the process
                entry = i18n.messages_record(i18n.theme_messages(self.templates_dir))
            except OSError:
                return
        self.record.keep(self.token, entry)
        self.record.save()


class CarriedFindings:
    """Each key's findings from an earlier process, and this run's, to be kept for the next."""

    def __init__(self, current: build.Build, settings: dict, session=None) -> None:
        # the preview session's memory is asked first: after its first run it knows every key
        self.session = session
        self.inputs = key_inputs.of_run(current, session)
        # spread by key: one key's change rewrites one file
        self.record = ShardedRecord(
            current, settings, FINDINGS_FILE, FINDINGS_SHARDS, replaces=WHOLE_FINDINGS_FILE
        )
        self.reused = 0

    def part_of(self, group) -> CarriedRecord:
        return self.record.part_of(f"{group.kind}/{group.key}")

    def findings(self, group) -> list[Problem] | None:
        """What comparing this key's versions found before, if nothing it depends on changed."""
        token = self.inputs.token(group)
        found = self.session.findings(token) if self.session is not None else None
        if found is None:
            entries = self.part_of(group).previous_entry(token)
            found = problems_from(entries) if isinstance(entries, list) else None
            if found is None:
                return None
            self.reused += 1
            if self.session is not None:
                self.session.remember_findings(token, found)
        self.part_of(group).keep(token, problem_entries(found))
        return found

    def remember_findings(self, group, found: list[Problem]) -> None:
        token = self.inputs.token(group)
        if self.session is not None:
            self.session.remember_findings(token, found)
        self.part_of(group).keep(token, problem_entries(found))

    def save(self) -> None:
        if self.reused:
            logger.info(
                "%d keys unchanged since the last build: their translations not compared again", self.reused
            )
        self.record.save()


class CarriedBodies:
    """Each version's page HTML (and what preparing it reported) from an earlier process.

    Spread over BODIES_SHARDS records by the version's path: at 2000 keys in 3
    languages the bodies weigh ~40 MB, and one change rewrites only its version's record.
    """

    def __init__(self, current: build.Build, settings: dict, session=None) -> None:
        self.build = current
        self.inputs = key_inputs.of_run(current, session)
        self.record = ShardedRecord(current, settings, BODIES_FILE, BODIES_SHARDS, replaces=WHOLE_BODIES_FILE)

    def token(self, version) -> str:
        # a body is its own file, with links resolved against the keys it links to
        group = self.build.tree.group(version.kind, version.key)
        return _hash(self.inputs.links_token(group), version.path, version.digest)

    def prepared(self, version) -> tuple[str, list[Problem]] | None:
        token = self.token(version)
        record = self.record.part_of(version.path)
        entry = record.previous_entry(token)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            return None
        problems = problems_from(entry[1]) if isinstance(entry[1], list) else None
        if problems is None:
            return None
        record.keep(token, entry)
        return entry[0], problems

    def remember(self, version, html: str, problems: list[Problem]) -> None:
        self.record.part_of(version.path).keep(self.token(version), [html, problem_entries(problems)])

    def save(self, reused: int) -> None:
        if reused:
            logger.info("%d bodies unchanged since the last build: not prepared again", reused)
        self.record.save()


# -- what the reader made of each version's headers, and which outputs are as recorded ---------

READINGS_FILE = "press-readings-{output}/{shard}.json"
READINGS_SHARDS = 64
STATICS_FILE = "press-statics-{output}.json"
OUTPUTS_FILE = "press-outputs-{output}.json"
# Pelican settings a version's metadata reads besides the reading settings (its standfirst).
METADATA_SETTINGS = ("SUMMARY_MAX_LENGTH", "SUMMARY_END_SUFFIX")


class CarriedReadings:
    """Each version's Pelican metadata (as JSON fields) and what reading its headers reported.

    A version's metadata depends on its own file and on its key's other versions (the
    editorial date, section and tags come from the key's source of truth), and on the
    keys its summary links to: the key's token (``key_inputs``) names all of them.  The entries are kept in
    READINGS_SHARDS records, each version's by its path, so that one change rewrites
    the records of the versions it changed, not the whole archive's.
    """

    def __init__(self, current: build.Build, settings: dict, session=None) -> None:
        self.inputs = key_inputs.of_run(current, session)
        self.record = ShardedRecord(current, settings, READINGS_FILE, READINGS_SHARDS)
        self.chosen = repr([(name, repr(settings.get(name))) for name in METADATA_SETTINGS])
        self.reused = 0

    def token(self, group, version) -> str:
        return _hash(self.inputs.token(group), version.path, self.chosen)  # the key's: made once a run

    def record_of(self, version) -> CarriedRecord:
        return self.record.part_of(version.path)

    def reading(self, group, version) -> tuple[dict, list[Problem]] | None:
        token = self.token(group, version)
        record = self.record_of(version)
        entry = record.previous_entry(token)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], dict)):
            return None
        problems = problems_from(entry[1]) if isinstance(entry[1], list) else None
        if problems is None:
            return None
        record.keep(token, entry)
        self.reused += 1
        return entry[0], problems

    def remember(self, group, version, fields: dict, problems: list[Problem]) -> None:
        self.record_of(version).keep(self.token(group, version), [fields, problem_entries(problems)])

    def save(self) -> None:
        if self.reused:
            logger.info("%d versions' headers unchanged since the last build: not read again", self.reused)
        self.record.save()


class CarriedOutputs:
    """Files of the output as this press last left them: by name, the stat and digest of the
    source each was made from, and the stat of the output (``images``, ``sitemap``).

    An output whose source and own stat are as recorded is left alone (its bytes and its
    modification time); the output itself is never read again to find that out.
    """

    def __init__(
        self, current: build.Build, settings: dict, output_path: str, pattern: str = STATICS_FILE
    ) -> None:
        # one record per content folder and output folder: two outputs of one tree differ
        tag = _hash(os.path.abspath(output_path))[:16]
        self.record = CarriedRecord(current, settings, pattern.replace("{output}", "{output}-" + tag))

    def previous(self, name: str) -> dict | None:
        entry = self.record.previous_entry(name)
        return entry if isinstance(entry, dict) else None

    def keep(self, name: str, entry: dict) -> None:
        self.record.keep(name, entry)

    def save(self) -> None:
        self.record.save()
