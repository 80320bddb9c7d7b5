"""The search index: Pagefind run over the finished site, one index per language.

Pagefind reads every written HTML page, indexes only the regions marked
``data-pagefind-body`` (articles, pages, issues; never listings), and splits
the index by each page's ``<html lang>``, so a reader searching the Italian
edition only finds Italian pages.  Each language gets a bundle of its own,
``pagefind/<lang>/``, built by its own Pagefind run over that language's pages
only: a run needs a third of the memory at three languages.

Pagefind has no incremental mode, so a large edition is split into shards:
more than ``PRESS_SEARCH_SHARD_PAGES`` searchable pages make 2, 4, 8… shards
(a power of two, so the count changes rarely as an archive grows), each its
own Pagefind bundle.  A page's shard follows from a hash of its path, so an
added, edited or removed page changes one shard, and a rebuild runs Pagefind
only over the shards whose pages changed; the others' files keep their bytes
and dates.  The first shard that holds a page is ``pagefind/<lang>/`` itself
(a small site has only that one, as before); the others are
``pagefind/<lang>/<n>/``, listed in ``pagefind/<lang>/press-shards.json``,
which the search page reads to merge them (Pagefind's ``mergeIndex``).  A
change of the count re-indexes the whole edition.

The binary comes from the ``pagefind`` Python package (``pagefind_bin_extended``
ships it; ``PAGEFIND_BINARY_PATH`` overrides it), so no network is needed.

Pagefind writes ``pagefind-entry.json`` with its languages in hash-map order,
which changes from run to run; every other file of the bundle depends only on
the pages.  The entry file is rewritten with its languages sorted, so two builds
of the same input give a byte-identical bundle (contract §2).

A failed index is a ``search-index`` problem of the build (no traceback): the
final step reports it and, in strict mode, fails the build; a development
build (and the preview) goes on without search.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from press import build
from press.files import output_cache_path
from press.paper.pagefind_filters import FormatError, normalise_filters
from press.parallel import worker_count
from press.pipeline.carried import keep_record
from press.pipeline.session import current_session
from press.records import read_record, record_bytes

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
# The other shards of an edition, beside its first bundle (read by theme/static/search.js).
SHARDS_FILE = "press-shards.json"
# Only articles, pages and issues carry data-pagefind-body: Pagefind need not
# read the listings at all (<lang>/<key>/ and <lang>/issues/<key>/).
INDEXED_PAGES = "{lang}/{{*,issues/*}}/index.html"
TOKENS_FILE = "press-search-{output}.json"
# Each shard's pages as Pagefind reads them, kept between builds (hard links to the output's pages)
SITES_FOLDER = "press-search-sites-{output}"
TOKENS_FORMAT = 3  # 3: a page is searchable only when its marked body holds text
BODY_MARKER = b"data-pagefind-body"
BODY_ELEMENT = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\bdata-pagefind-body\b[^>]*>")
# Blanks and tags (comments too, roughly): what an element with no text a reader sees is made of.
NO_TEXT = re.compile(rb"(?:\s+|<[^>]*>)*")
OUTPUT_TAIL = 20  # lines of Pagefind's output shown when it fails
YIELDING_NICENESS = 10  # the preview's background index gives way to the next run
TAIL_PAGEFINDS = 4  # Pagefinds side by side once every page is written (each a few hundred MB at most)
# What Pagefind reads of a page that has a data-pagefind-body: the body, every element that
# carries one of its attributes (meta, filter, sort; not ignore), the language and what it
# takes a result's title and image from when the page names none.
READ_BY_PAGEFIND = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\bdata-pagefind-(?!ignore\b)[^>]*>")
FALLBACKS = tuple(
    re.compile(pattern, re.S | re.I)
    for pattern in (rb"<html\b[^>]*>", rb"<title\b.*?</title>", rb"<h1\b.*?</h1>", rb"<img\b[^>]*>")
)
VOID_ELEMENTS = frozenset(b"area base br col embed hr img input link meta source track wbr".split())
# What makes a bundle besides its pages: this module and the filters' ordering.
CODE_FILES = (
    __file__,
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "paper", "pagefind_filters.py"),
)


class SearchIndexError(Exception):
    """Pagefind could not build the index; the message says why."""


@dataclass
class Shard:
    """One Pagefind bundle of an edition: the searchable pages whose path hashes to it."""

    lang: str
    number: int
    count: int
    folder: str  # the bundle, relative to the output: pagefind/<lang> or pagefind/<lang>/<n>
    pages: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.lang if self.count == 1 else f"{self.lang} shard {self.number + 1} of {self.count}"


def searchable_digest(data: bytes) -> str:
    """A digest of what Pagefind reads of a page: a page whose other parts change (a notice
    that the translation is stale, the latest articles beside it) keeps its shard's index."""
    digest = hashlib.sha256()
    for pattern in FALLBACKS:
        found = pattern.search(data)
        digest.update((found.group(0) if found else b"") + b"\0")
    position = 0
    while (found := READ_BY_PAGEFIND.search(data, position)) is not None:
        end = element_end(data, found)
        digest.update(data[found.start() : end] + b"\0")
        position = end
    return digest.hexdigest()[:32]  # 128 bits: the record holds one per page


def marks_searchable_text(data: bytes) -> bool:
    """Whether a tag of the page carries data-pagefind-body (not the words in an article about Pagefind)."""
    position = data.find(BODY_MARKER)
    while position != -1:
        if data.rfind(b"<", 0, position) > data.rfind(b">", 0, position):
            return True
        position = data.find(BODY_MARKER, position + 1)
    return False


def holds_searchable_text(data: bytes) -> bool:
    """Whether an element marked data-pagefind-body holds any text, the only pages Pagefind indexes.

    A page whose marked body is empty (an article refused unrendered) is one
    Pagefind skips, and an edition or shard of only such pages makes it stop
    with "not able to build an index": such a shard is not given to it.  Any
    character outside a tag counts as text (so a body that only Pagefind
    finds empty, say a script, is still indexed: the safe side).
    """
    if not marks_searchable_text(data):
        return False
    for found in BODY_ELEMENT.finditer(data):
        end = element_end(data, found)
        if NO_TEXT.match(data, found.end(), end).end() < end:
            return True
    return False


def element_end(data: bytes, start: re.Match) -> int:
    """Where the element whose start tag is ``start`` ends: its own closing tag, counting only
    elements of its name (the end of the page if it has none)."""
    name = start.group(1).lower()
    if name in VOID_ELEMENTS or start.group(0).endswith(b"/>"):
        return start.end()
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"\b[^>]*>", re.I)
    depth = 1
    for tag in tags.finditer(data, start.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group(0).endswith(b"/>"):
            depth += 1
    return len(data)


# Every search fetches each shard's entry and index chunks: past 16 shards a
# query costs the reader more requests than a re-index of 1/16 of an edition
# saves the newsroom, so a larger edition grows its shards instead.
MAX_SHARDS = 16


def shard_count(pages: int, shard_pages: int) -> int:
    """How many shards ``pages`` searchable pages make: a power of two, each of at most ``shard_pages``
    on average (or larger, past :data:`MAX_SHARDS`), so the count changes only when the edition
    doubles (or halves)."""
    count = 1
    while pages > count * shard_pages and count < MAX_SHARDS:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at ``path``: its path's hash, so it never moves while the count stays."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count


def plan_shards(lang: str, paths: list[str], shard_pages: int) -> list[Shard]:
    """The non-empty shards of an edition whose searchable pages are ``paths``, by number.

    The first of them is the edition's main bundle, ``pagefind/<lang>/``; the
    others are numbered folders inside it.
    """
    count = shard_count(len(paths), shard_pages)
    members: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(paths):
        members[shard_of(path, count)].append(path)
    base = f"{BUNDLE_DIR}/{lang}"
    shards = []
    for number, pages in enumerate(members):
        if pages:
            folder = base if not shards else f"{base}/{number}"
            shards.append(Shard(lang, number, count, folder, pages))
    return shards


class EditionIndexer:
    """Pagefind over each edition's pages as soon as they are written, one shard at a time.

    The press's page generator writes the editions one after the other and
    hands each to :meth:`queue_edition`, which starts Pagefind over it as a
    child process and returns at once, so the index overlaps the rendering of
    the next edition.  No thread of ours runs meanwhile: the page workers are
    forked while Pagefind runs, and a fork while another thread holds a lock
    (logging's, the import lock, malloc's) can leave the child deadlocked.  So
    the build's own thread drives Pagefind: each call here looks whether the
    running Pagefind is done, finishes its bundle and starts the next.  One
    Pagefind at a time while pages are written (each needs hundreds of
    megabytes at a thousand pages); once every page is written, the shards
    left are indexed side by side on the build's cores (at most
    ``TAIL_PAGEFINDS``): the build has nothing else to do, and a small shard's
    Pagefind uses little more than one core.  Bundles are put in place one at
    a time, here.

    A shard is indexed again only when its token changed: the paths and
    contents of its pages, the shard count, this code and the Pagefind
    binary.  A page's content digest is read again only when its size, date
    or inode changed since the last build (the record keeps them).
    """

    def __init__(self, current: build.Build, settings: dict, output_path: str) -> None:
        self.current = current
        self.settings = settings
        self.output = os.path.abspath(output_path)
        self.shard_pages: int = settings["PRESS_SEARCH_SHARD_PAGES"]
        self.tokens_path = output_cache_path(settings.get("CACHE_PATH"), self.output, TOKENS_FILE)
        # absolute: Pagefind runs in the folder it reads, and CACHE_PATH may be relative
        self.sites_path = os.path.abspath(
            output_cache_path(settings.get("CACHE_PATH"), self.output, SITES_FOLDER)
        )
        self.tokens: dict[str, str] = {}  # bundle folder -> what it was built from
        self.page_records: dict[str, list] = {}  # page path -> [size, mtime_ns, inode, digest, searchable]
        self.editions: dict[str, list[Shard]] = {}  # every shard of each edition planned
        self.unindexed: set[str] = set()  # editions with nothing to search: no bundle
        self.pending: list[Shard] = []
        self.running: list[PagefindRun] = []
        self.side_by_side = 1  # Pagefinds at once: more when every page is written (finish)
        self.indexed: dict[str, int] = {}  # pages indexed per language
        self.indexed_shards = 0
        self.failure: SearchIndexError | None = None
        self.closed = False
        self.abandoned = False
        self.finished = False
        self._code_token: str | None = None
        # after the preview's first run, nobody waits for the index: the next edit goes first
        session = current_session()
        self.yielding = session is not None and session.runs > 1 and not settings["PRESS_STRICT"]
        # read once, now: the previous run's index is complete (start_indexing waited for it)
        previous = read_tokens(self.tokens_path)
        self.previous: dict[str, str] = previous.get("bundles", {})
        self.previous_pages: dict[str, list] = previous.get("pages", {})

    def queue_edition(self, lang: str, token: str = "") -> None:
        """The pages of ``lang`` are written: index the shards whose pages changed.

        ``token`` (what the edition shows, from the page generator) is not
        needed: each shard's own token is made from the pages Pagefind reads.
        """
        if not self.abandoned and self.failure is None:
            try:
                self.pending.extend(self.changed_shards(lang))
            except SearchIndexError as error:
                self.failure = error
            except Exception as error:  # the gate reports it; the build goes on
                self.failure = SearchIndexError(f"{type(error).__name__}: {error}")
        self.advance()

    def changed_shards(self, lang: str) -> list[Shard]:
        """Plan ``lang``'s shards; those whose bundle is missing or out of date."""
        paths = sorted(page.path for page in self.current.pages if is_indexed_page(page.path, lang))
        if not paths:
            logger.info("The %s edition has no page of its own to search yet: no index for it", lang)
            self.unindexed.add(lang)
            return []
        searchable = [path for path in paths if self.page_record(path)[4]]
        if not searchable:
            logger.info("No %s page has text to search (in data-pagefind-body): no index for it", lang)
            self.unindexed.add(lang)
            return []
        shards = self.editions[lang] = plan_shards(lang, searchable, self.shard_pages)
        changed = []
        for shard in shards:
            token = self.tokens[shard.folder] = self.shard_token(shard)
            entry = os.path.join(self.output, shard.folder, ENTRY_FILE)
            if self.previous.get(shard.folder) != token or not os.path.isfile(entry):
                changed.append(shard)
        if not changed:
            logger.debug("No searchable %s page changed: its search index is up to date", lang)
        return changed

    def page_record(self, path: str) -> list:
        """[size, mtime_ns, inode, digest, searchable] of a written page; its content is read only
        when its size, date or inode changed since the previous build."""
        full = os.path.join(self.output, path)
        try:
            stat = os.stat(full)
        except OSError:
            return [0, 0, 0, "", False]
        record = self.previous_pages.get(path)
        if not (
            isinstance(record, list)
            and len(record) == 5
            and record[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        ):
            try:
                with open(full, "rb") as handle:
                    data = handle.read()
            except OSError:
                return [0, 0, 0, "", False]
            searchable = holds_searchable_text(data)
            digest = searchable_digest(data) if searchable else ""
            record = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest, searchable]
        self.page_records[path] = record
        return record

    def shard_token(self, shard: Shard) -> str:
        digest = hashlib.sha256()
        for part in (self.code_token(), shard.folder, str(shard.count), str(shard.number)):
            digest.update(part.encode("utf-8") + b"\0")
        for path in shard.pages:
            digest.update(f"{path}:{self.page_records[path][3]}".encode() + b"\0")
        return digest.hexdigest()

    def code_token(self) -> str:
        """What else a bundle depends on: this code and the Pagefind binary (a missing one: a token
        that matches nothing, so the shard is indexed and the run says what is missing)."""
        if self._code_token is None:
            digest = hashlib.sha256(f"{TOKENS_FORMAT}".encode())
            for path in CODE_FILES:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            try:
                binary = pagefind_binary()
                stat = os.stat(binary)
                digest.update(f"{binary}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            except (SearchIndexError, OSError):
                digest.update(b"no binary")
            self._code_token = digest.hexdigest()
        return self._code_token

    def advance(self, wait: bool = False) -> None:
        """Finish the Pagefinds that are done (or ``wait`` for all), and start the next ones."""
        delay = 0.005
        while True:
            for run in [run for run in self.running if run.poll()]:
                self.running.remove(run)
                try:
                    for lang, count in run.finish().items():
                        self.indexed[lang] = self.indexed.get(lang, 0) + count
                    self.indexed_shards += 1
                except SearchIndexError as error:
                    self.failure = error
            while len(self.running) < self.side_by_side and self.pending:
                shard = self.pending.pop(0)
                if self.abandoned or self.failure is not None:
                    continue
                try:
                    self.running.append(
                        PagefindRun.start(
                            self.output,
                            shard,
                            self.settings["PRESS_SEARCH_TIMEOUT"],
                            self.yielding,
                            # side by side: the main shard's bundle folder holds the others'
                            kept_site=os.path.join(self.sites_path, shard.folder.replace("/", "-")),
                        )
                    )
                except SearchIndexError as error:
                    self.failure = error
                except Exception as error:  # the gate reports it; the build goes on
                    self.failure = SearchIndexError(f"{type(error).__name__}: {error}")
            if not self.running or not wait:
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def close(self, abandon: bool = False) -> None:
        """Every edition is queued.  ``abandon``: the build failed while writing; nothing more is indexed."""
        self.closed = True
        if abandon:
            self.abandoned = True
            self.pending = []
            for run in self.running:
                run.cancel()
            self.running = []
            # whatever was indexed, the next build indexes again
            write_tokens(self.current, self.tokens_path, {})

    def finish(self) -> None:
        """Wait for the queued shards' indexes, then tidy the bundles and log the result."""
        if self.finished or self.abandoned:
            return
        self.finished = True
        if not self.yielding:  # the preview's background index stays one Pagefind, at low priority
            self.side_by_side = max(1, min(TAIL_PAGEFINDS, worker_count(self.settings)))
        self.advance(wait=True)
        failure = self.failure
        if failure is None:
            try:
                root = os.path.join(self.output, BUNDLE_DIR)
                remove_other_bundles(
                    root, [lang for lang in self.current.languages if lang not in self.unindexed]
                )
                for shards in self.editions.values():
                    tidy_edition(self.output, shards)
            except OSError as error:
                failure = SearchIndexError(f"OSError: {error}")
        if failure is not None:
            record_failure(self.current, failure)
            logger.error("The search index was not built: %s", failure)
            write_tokens(self.current, self.tokens_path, {})
            return
        write_tokens(self.current, self.tokens_path, {"bundles": self.tokens, "pages": self.page_records})
        if not self.indexed:
            logger.info("No searchable page changed since the last build: the search index is up to date")
            return
        summary = ", ".join(f"{lang} {count}" for lang, count in self.indexed.items())
        logger.info(
            "Search index written to %s/ (%d of %d shards indexed; pages per language: %s)",
            BUNDLE_DIR,
            self.indexed_shards,
            sum(len(shards) for shards in self.editions.values()),
            summary,
        )


def start_indexing(current: build.Build, settings: dict, output_path: str) -> EditionIndexer | None:
    """The indexer of this run, which the page generator hands each written edition.

    Once per run; None when the site has no search.  In the preview, the
    previous run's index may still be finishing in the background: it is
    waited for here, so that two Pagefinds never write one bundle.
    """
    if current.search_indexer is not None or current.search_started:
        return current.search_indexer
    current.search_started = True
    if not settings["PRESS_SEARCH"]:
        logger.info("PRESS_SEARCH is False: no search index built")
        return None
    session = current_session()
    if session is not None:
        session.wait_for_background()
    indexer = current.search_indexer = EditionIndexer(current, settings, output_path)
    return indexer


def index_site(pelican) -> None:
    """The search index of every language, ``pagefind/<lang>/`` (connected to ``finalized``).

    A build waits here for the indexes its page generator started
    (:class:`EditionIndexer`).  In the preview, after its first run, the edited
    page is already shown and its language's index may follow in the
    background (a thread, started now that every worker of the run has been
    forked): the next run (or the process's exit) waits for it, so the
    bundle is still the one a clean build writes.  A strict build always waits,
    so that its gate sees a failed index.
    """
    current = build.of(pelican.settings)
    indexer = current.search_indexer
    if indexer is None and not current.search_started:  # no page generator ran: index what is there
        indexer = start_indexing(current, pelican.settings, pelican.output_path)
        for lang in current.languages if indexer is not None else ():
            indexer.queue_edition(lang, current.edition_tokens.get(lang, ""))
    if indexer is None:
        return
    indexer.close()
    session = current_session()
    if session is not None and session.runs > 1 and not pelican.settings["PRESS_STRICT"]:
        session.run_in_background("pagefind", indexer.finish)
        return
    indexer.finish()


def record_failure(current: build.Build, error: SearchIndexError) -> None:
    """A search index that could not be built: a problem of the build, not of a file."""
    current.problems.add(
        "search-index",
        key="",
        lang="",
        path="",
        message=(
            f"The search index was not built: {error}. The site has no working search until it is; "
            "fix Pagefind (see the message) or set PRESS_SEARCH = False."
        ),
    )


def is_indexed_page(path: str, lang: str) -> bool:
    """Whether ``path`` is one of the pages INDEXED_PAGES selects for ``lang``."""
    parts = path.split("/")
    return (
        parts[0] == lang
        and parts[-1] == "index.html"
        and (len(parts) == 3 or (len(parts) == 4 and parts[1] == "issues"))
    )


def read_tokens(path: str) -> dict:
    """The previous build's record: each bundle's token and each page's digest (empty if unusable)."""
    try:
        tokens = read_record(path)
    except (OSError, ValueError):
        return {}
    if not isinstance(tokens, dict) or tokens.get("format") != TOKENS_FORMAT:
        return {}
    bundles, pages = tokens.get("bundles"), tokens.get("pages")
    return {
        "bundles": bundles if isinstance(bundles, dict) else {},
        "pages": pages if isinstance(pages, dict) else {},
    }


def write_tokens(current: build.Build, path: str, tokens: dict) -> None:
    """The shards' record for the next build; a CACHE_PATH that cannot be written is warned of once."""
    keep_record(current, path, record_bytes({"format": TOKENS_FORMAT, **tokens}))


def remove_other_bundles(root: str, languages: list[str]) -> None:
    """Only ``languages`` keep an index: one no longer published, or with nothing left to search,
    has none (a clean build would have none), nor does a site with no index at all."""
    if not os.path.isdir(root):
        return
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if name not in languages:
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    if not os.listdir(root):
        os.rmdir(root)


def is_shard_folder(relative: str) -> bool:
    """Whether a path inside an edition's main bundle belongs to another shard (or lists them)."""
    first = relative.split(os.sep, 1)[0]
    return first.isdigit() or first == SHARDS_FILE


def tidy_edition(output: str, shards: list[Shard]) -> None:
    """List the edition's other shards beside its main bundle; drop the folders of shards gone.

    The list is rewritten only when it changed, so its date, like the
    bundles', says when the index last changed.
    """
    main = os.path.join(output, shards[0].folder)
    if not os.path.isdir(main):
        return
    kept = {os.path.basename(shard.folder) for shard in shards[1:]}
    for name in sorted(os.listdir(main)):
        if name.isdigit() and name not in kept:
            shutil.rmtree(os.path.join(main, name))
    listed = json.dumps({"bundles": [f"{os.path.basename(shard.folder)}/" for shard in shards[1:]]})
    path = os.path.join(main, SHARDS_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == listed:
                return
    except OSError:
        pass
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(listed)


def pagefind_binary() -> str:
    """The Pagefind executable shipped by the pagefind Python package."""
    try:
        from pagefind.service import get_executable
    except ImportError as error:
        raise SearchIndexError(
            f"the pagefind Python package is not installed ({error}): "
            "install requirements.txt (pagefind[extended])"
        ) from None
    binary = get_executable()
    if binary is None or not os.path.isfile(binary):
        raise SearchIndexError(
            "no Pagefind binary found: install requirements.txt (pagefind_bin_extended), "
            "or point PAGEFIND_BINARY_PATH at a pagefind executable"
        )
    return str(binary)


class PagefindRun:
    """One Pagefind over one shard's pages, running as a child process.

    Pagefind reads a folder of its own (hard links to the shard's pages, at
    their paths in the output, so the results' addresses are the same), kept
    in ``CACHE_PATH`` between builds so that a rebuild links again only the
    pages that changed (making and removing some 400 folders a shard cost a
    second of every rebuild).  Its
    output goes to a temporary file, which never fills up as a pipe could.
    Its peak memory is the child's high-water mark (``VmHWM`` in ``/proc``),
    sampled whenever the build looks at it: ``ru_maxrss`` would count this
    Python process's memory, which a forked child starts with.
    """

    def __init__(self, output: str, shard: Shard, timeout: int, process, folders, log, binary: str) -> None:
        self.output = output
        self.shard = shard
        self.lang = shard.lang
        self.timeout = timeout
        self.process = process
        self.site, self.fresh = folders  # TemporaryDirectory Pagefind reads, and the one it writes into
        self.log = log
        self.binary = binary
        self.started = time.perf_counter()
        self.deadline = time.monotonic() + timeout
        self.peak_kib = 0
        self.status: int | None = None

    @classmethod
    def start(
        cls, output: str, shard: Shard, timeout: int, yielding: bool = False, kept_site: str | None = None
    ) -> PagefindRun:
        """Start Pagefind over ``shard``'s pages of ``output``.

        ``yielding``: at a lower priority (``nice``), so that the preview's next
        run, which an editor is waiting for, goes first.  ``kept_site``: the
        shard's folder of links kept between builds (a temporary one without it,
        or when it cannot be brought up to date).
        """
        binary = pagefind_binary()
        nice = shutil.which("nice") if yielding else None
        site = KeptSite(kept_site) if kept_site else None
        if site is not None:
            try:
                sync_pages(output, shard.pages, site.name)
            except OSError as error:
                logger.debug("Could not keep %s (%s): a temporary folder instead", kept_site, error)
                shutil.rmtree(kept_site, ignore_errors=True)
                site = None
        if site is None:
            site = tempfile.TemporaryDirectory(prefix="press-pagefind-site-")
            try:
                sync_pages(output, shard.pages, site.name)  # an empty folder: every page linked
            except OSError as error:
                site.cleanup()
                raise SearchIndexError(f"the pages of {shard.label} could not be gathered: {error}") from None
        fresh = tempfile.TemporaryDirectory(prefix="press-pagefind-")
        command = [
            *([nice, "-n", str(YIELDING_NICENESS)] if nice else []),
            binary,
            "--site",
            site.name,
            "--output-path",
            fresh.name,
            "--glob",
            INDEXED_PAGES.format(lang=shard.lang),
        ]
        logger.debug("Running %s", " ".join(command))
        log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while Pagefind runs; closed by close())
        try:
            process = subprocess.Popen(command, cwd=site.name, stdout=log, stderr=subprocess.STDOUT)
        except OSError as error:
            log.close()
            fresh.cleanup()
            site.cleanup()
            raise SearchIndexError(f"Pagefind could not be started ({binary}): {error}") from None
        return cls(output, shard, timeout, process, (site, fresh), log, binary)

    def poll(self) -> bool:
        """Whether Pagefind has ended, without waiting (``EditionIndexer.advance`` waits); past
        the timeout it is killed."""
        self.peak_kib = max(self.peak_kib, high_water_kib(self.process.pid))
        pid, status, _usage = os.wait4(self.process.pid, os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(status)
            return True
        if time.monotonic() > self.deadline:
            self.cancel()
            self.status = -9
            return True
        return False

    def cancel(self) -> None:
        """Stop Pagefind and drop what it wrote."""
        if self.status is None:
            self.process.kill()
            os.wait4(self.process.pid, 0)
            self.status = -9
        self.close()

    def close(self) -> None:
        self.log.close()
        self.fresh.cleanup()
        self.site.cleanup()

    def finish(self) -> dict[str, int]:
        """Put the ended Pagefind's bundle in place; the pages it indexed per language."""
        try:
            self.log.seek(0)
            log = self.log.read().decode("utf-8", errors="replace").strip()
            if self.status == -9 and time.monotonic() > self.deadline:
                raise SearchIndexError(
                    f"Pagefind took longer than PRESS_SEARCH_TIMEOUT = {self.timeout} seconds"
                )
            if self.status != 0:
                tail = "\n".join(log.splitlines()[-OUTPUT_TAIL:])
                raise SearchIndexError(f"Pagefind exited with status {self.status}:\n{tail}")
            logger.debug("Pagefind:\n%s", log)
            try:
                normalise_filters(self.fresh.name)  # filter values in a stable order (byte-identical builds)
            except (FormatError, OSError, KeyError, TypeError, ValueError) as error:
                raise SearchIndexError(
                    f"Pagefind's filter files could not be put in order: {error}"
                ) from None
            # One line per shard, which the benchmark reads (Pagefind's memory apart from ours).
            logger.info(
                "Pagefind indexed %s (%d pages) in %.2f s, peak memory %.0f MiB",
                self.shard.label,
                len(self.shard.pages),
                time.perf_counter() - self.started,
                self.peak_kib / 1024,
            )
            languages = normalise_entry(os.path.join(self.fresh.name, ENTRY_FILE))
            try:
                # the edition's main bundle holds the other shards' folders: they are not its files
                main = self.shard.folder == f"{BUNDLE_DIR}/{self.lang}"
                replace_bundle(
                    self.fresh.name,
                    os.path.join(self.output, self.shard.folder),
                    keep=is_shard_folder if main else None,
                )
            except OSError as error:
                raise SearchIndexError(f"OSError: {error}") from None
            return languages
        finally:
            self.close()


def high_water_kib(pid: int) -> int:
    """A running process's peak resident memory (KiB), 0 where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class KeptSite:
    """A shard's folder of links in ``CACHE_PATH``: like a TemporaryDirectory, but kept."""

    def __init__(self, name: str) -> None:
        self.name = name

    def cleanup(self) -> None:
        """Nothing to remove: the next build links again only the pages that changed."""


def sync_pages(output: str, pages: list[str], site: str) -> None:
    """Make ``site`` hold exactly ``pages`` of ``output``, at the same paths: hard links, or copies
    where the two folders are on different file systems, made again only for the pages whose
    file is no longer the one linked (a page written anew)."""
    wanted = set(pages)
    for path in pages:
        source, target = os.path.join(output, path), os.path.join(site, path)
        found = os.stat(source)
        try:
            kept = os.lstat(target)
        except FileNotFoundError:
            kept = None
        if kept is not None:
            if (kept.st_dev, kept.st_ino) == (found.st_dev, found.st_ino):
                continue  # the very file (a page rewritten in place is still this inode)
            if (kept.st_size, kept.st_mtime_ns) == (found.st_size, found.st_mtime_ns) and kept.st_nlink == 1:
                continue  # a copy (another file system) of the same page
            os.unlink(target)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    for folder, _subfolders, files in os.walk(site):
        for name in files:
            full = os.path.join(folder, name)
            if os.path.relpath(full, site).replace(os.sep, "/") not in wanted:
                os.unlink(full)


def replace_bundle(fresh: str, bundle: str, keep=None) -> None:
    """Make ``bundle`` hold exactly the files of ``fresh``, rewriting only those that changed.

    Unchanged files keep their dates, so an incremental build or an rsync
    deploy only sees what the new index changed; a previous build's fragments
    do not stay behind.  ``keep(relative path)``: files of ``bundle`` that are
    not the bundle's own (the edition's other shards), left alone.
    """
    wanted = set()
    for folder, _subfolders, files in os.walk(fresh):
        for name in files:
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, fresh)
            wanted.add(relative)
            target = os.path.join(bundle, relative)
            with open(source, "rb") as handle:
                data = handle.read()
            if os.path.isfile(target):
                with open(target, "rb") as handle:
                    if handle.read() == data:
                        continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
    for folder, _subfolders, files in os.walk(bundle, topdown=False):
        if keep is not None and folder != bundle and keep(os.path.relpath(folder, bundle)):
            continue
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, bundle)
            if relative not in wanted and not (keep is not None and keep(relative)):
                os.remove(path)
        if folder != bundle and not os.listdir(folder):
            os.rmdir(folder)


def normalise_entry(path: str) -> dict[str, int]:
    """Rewrite Pagefind's entry file with its languages in a stable order."""
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"Pagefind wrote no readable {ENTRY_FILE} ({error})") from None
    entry["languages"] = {lang: languages[lang] for lang in sorted(languages)}
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))
    return {lang: info.get("page_count", 0) for lang, info in entry["languages"].items()}
