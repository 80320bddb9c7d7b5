"""The preview session: what one process keeps between the runs of ``pelican --autoreload``.

``invoke serve`` runs ``pelican DIR -s pelicanconf.py -o OUT --autoreload``:
one process, one Pelican instance, ``run()`` again after every edit.  A run
starts from nothing (a new :class:`press.build.Build`, new generators), so
that it can never see the previous run's problems; what is *expensive* and
depends only on the files is kept here instead, keyed by what it was made
from, and re-made only when that changed:

- **Pelican's content objects** (``Article``/``Page``): the press's reader
  rewrites links, inlines the summary, resolves the editorial headers of the
  original; Pelican then builds the object.  A version whose inputs are
  unchanged (its key's token, ``press.pipeline.key_inputs``: its files, its
  attachments, the clock's verdict, which versions of the keys it links to exist
  and are published) is handed back to the generator as
  it was, through the generator's own cache hook (``get_cached_data`` /
  ``cache_data``, what ``CONTENT_CACHING_LAYER = "generator"`` uses).
- **The ``{filename}`` links of each file**, by the file's digest (the keys'
  tokens and the page fingerprints need them for every key of every run).
- **The search index being built**: after its first run, the preview writes
  the edited pages and returns; Pagefind indexes the changed language in a
  background thread, after the previous run's (``search.EditionIndexer``).
- **The compiled templates**: every run's generators get a new Jinja2
  environment, which would compile every template again (~1 s); they share one
  in-memory bytecode cache, whose entries Jinja2 checks against the template's
  source.

Everything here is keyed by content, never by run: a clean build in a new
process, and a run in the preview after any edit, produce the same objects,
so the output is byte-identical (``tests/test_incremental.py``).

Memory stays flat (``tests/test_memory.py``): the session keeps one entry per
current file, dropping those the run did not use; nothing holds a previous
run's ``Build``, generator or context.  Pelican's own ``@memoized``
``Content.get_content`` and ``get_summary`` keep every content object they
ever rendered in class-level dicts (vanilla Pelican's preview grows too);
those are emptied at the start and the end of every run.
"""

from __future__ import annotations

import logging
import os
import resource
import threading

import jinja2
import jinja2.bccache

from press import build
from press.files import hash_parts as _hash
from press.files import relative_to_folder
from press.pipeline import key_inputs, pelican_seams

logger = logging.getLogger(__name__)


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, one entry per template (Jinja2 checks the source)."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.stored.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


class PreviewSession:
    """What the runs of one Pelican instance share (see the module's docstring)."""

    def __init__(self, signature: str) -> None:
        self.signature = signature
        self.runs = 0
        self.parsed_files: dict = {}  # the last scan's parsed files (press.content.tree.ParsedFile)
        # source path (relative to the content folder) -> (inputs token, content object,
        # the problems reading it reported: reported again when it is reused)
        self.contents: dict[str, tuple[str, object, list]] = {}
        self.reading: dict[str, int] = {}  # path being read -> problems counted before
        # source path -> its inputs token in this run: made once per file a run, asked up to three times
        self.tokens: dict[str, str | None] = {}
        # (generator's folder, path Pelican gave) -> source path, of each file being read
        self.relatives: dict[tuple[str, str], str] = {}
        self.reused = 0
        self.used: set[str] = set()
        # file digest -> the {filename} targets in it
        self.links: dict[str, tuple[str, ...]] = {}
        self.links_used: set[str] = set()
        # key token -> what comparing its translations with the original found
        self.fidelity: dict[str, list] = {}
        self.fidelity_used: set[str] = set()
        self.templates = TemplateBytecode()
        self.background: threading.Thread | None = None

    # -- a run ---------------------------------------------------------------

    def begin_run(self, current: build.Build) -> None:
        self.runs += 1
        self.reused = 0
        self.used = set()
        self.reading = {}
        self.tokens = {}
        self.relatives = {}
        self.links_used = set()
        self.fidelity_used = set()
        self.parsed_files = current.tree.parsed

    def end_run(self) -> None:
        """Forget what this run did not use (deleted files, old digests)."""
        self.contents = {path: entry for path, entry in self.contents.items() if path in self.used}
        self.tokens = {}
        self.relatives = {}
        self.links = {digest: links for digest, links in self.links.items() if digest in self.links_used}
        self.fidelity = {
            token: found for token, found in self.fidelity.items() if token in self.fidelity_used
        }
        if self.reused:
            logger.info("Preview: %d content files unchanged since the last run, not read again", self.reused)

    # -- work left to finish after a run -------------------------------------------

    def run_in_background(self, name: str, work) -> None:
        """Run ``work`` in a thread, after the previous background work; the exit waits for it."""
        previous = self.background

        def after_previous() -> None:
            if previous is not None:
                previous.join()
            work()

        self.background = threading.Thread(target=after_previous, name=name)
        self.background.start()

    def wait_for_background(self) -> None:
        if self.background is not None:
            self.background.join()
            self.background = None

    # -- content objects ---------------------------------------------------------

    def inputs_token(self, current: build.Build, relative: str) -> str | None:
        """What the reader's output for ``relative`` depends on; None if not a version.

        Made once per file a run (the tree and its shape do not change within one).
        """
        if relative in self.tokens:
            return self.tokens[relative]
        version = current.tree.version_at(relative)
        token = None
        if version is not None:
            group = current.tree.group(version.kind, version.key)
            token = _hash(key_inputs.of_run(current, self).token(group), relative)
        self.tokens[relative] = token
        return token

    def can_reuse(self, current: build.Build, relative: str) -> bool:
        """Whether the last run's object for ``relative`` will be handed back unread."""
        entry = self.contents.get(relative)
        # nothing kept for it (a build's first run): no token to compare with
        return entry is not None and entry[0] == self.inputs_token(current, relative)

    def cached_content(self, generator, path: str, default=None):
        """``generator.get_cached_data``: the object of the last run, if its inputs are unchanged."""
        current = build.of(generator.settings)
        relative = _relative(current, generator.path, path)
        entry = self.contents.get(relative)
        if entry is None or entry[0] != self.inputs_token(current, relative):
            self.reading[relative] = len(current.problems)
            self.relatives[generator.path, path] = relative  # for remember_content, once read
            return default
        _token, content, problems = entry
        # What reading it reported (unsafe HTML, a link out of content/) is still true.
        current.problems.add_again(problems)
        # Links ({filename}, {static}) resolve against the context of the run
        # that shows the object: point it at this run's, not the one it was read in.
        pelican_seams.point_content_at(content, generator.context)
        self.used.add(relative)
        self.reused += 1
        return content

    def remember_content(self, generator, path: str, content) -> None:
        """``generator.cache_data``: keep a freshly read object for the next run."""
        current = build.of(generator.settings)
        relative = self.relatives.pop((generator.path, path), None)
        if relative is None:
            relative = _relative(current, generator.path, path)
        token = self.inputs_token(current, relative)
        before = self.reading.pop(relative, None)
        if token is not None and before is not None:
            problems = current.problems.added_since(before)
            self.contents[relative] = (token, content, problems)
            self.used.add(relative)

    # -- comparisons of translations ------------------------------------------------

    def findings(self, token: str) -> list | None:
        """What comparing a key's versions found in the last run, if its token is unchanged."""
        found = self.fidelity.get(token)
        if found is not None:
            self.fidelity_used.add(token)
        return found

    def remember_findings(self, token: str, found: list) -> None:
        self.fidelity[token] = found
        self.fidelity_used.add(token)

    # -- links -----------------------------------------------------------------

    def filename_links(self, digest: str, text) -> tuple[str, ...]:
        """The ``{filename}`` targets of a file (``text()`` makes what is searched), found once per file."""
        self.links_used.add(digest)
        links = self.links.get(digest)
        if links is None:
            links = self.links[digest] = tuple(key_inputs.FILENAME_LINK.findall(text()))
        return links


def _relative(current: build.Build, root: str, path: str) -> str:
    full = path if os.path.isabs(path) else os.path.join(root, path)
    return relative_to_folder(current.content_path, full)


def settings_signature(settings: dict) -> str:
    """Settings that shape what is read: another set starts another session."""
    return _hash(
        repr(sorted((name, repr(value)) for name, value in settings.items() if name != build.SETTINGS_KEY))
    )


_session: PreviewSession | None = None


def current_session() -> PreviewSession | None:
    return _session


# -- signal receivers (connected in press.register) ------------------------------


def begin_run(pelican) -> None:
    """Every run (``get_generators``): forget Pelican's memo, start or continue the session."""
    global _session
    forget_pelican_memo()
    signature = settings_signature(pelican.settings)
    if _session is None or _session.signature != signature:
        if _session is not None:
            _session.wait_for_background()
        _session = PreviewSession(signature)
    _session.begin_run(build.of(pelican.settings))


def attach_to_generator(generator) -> None:
    """``article_generator_init`` / ``page_generator_init``: serve unchanged objects from the session.

    The hooks are set on this generator object only, never on Pelican's classes.
    """
    if _session is None:
        return
    session = _session
    pelican_seams.replace_content_cache(
        generator,
        lambda path, default=None: session.cached_content(generator, path, default),
        lambda path, data: session.remember_content(generator, path, data),
    )


def end_run(_pelican) -> None:
    """``finalized``: drop what this run no longer needed."""
    if _session is not None:
        _session.end_run()
    forget_pelican_memo()
    # The benchmark reads this line: the Python process's own peak, apart from Pagefind's.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    logger.info("Peak memory of the build process: %.0f MiB", peak / 1024)


def forget_pelican_memo() -> None:
    """Pelican's memo of every content object rendered, emptied (``pelican_seams``)."""
    pelican_seams.forget_content_memos()
