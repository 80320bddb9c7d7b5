"""Markdown bodies rendered once: two engines and a content-addressed cache.

The press renders bodies as GitHub Flavored Markdown with cmark-gfm
(``PRESS_MARKDOWN = "gfm"``, the default): CommonMark with tables,
strikethrough, autolinks and footnotes, what translators know from GitHub
and Weblate, and about a hundred times faster than Python-Markdown, which
was most of a build's time.  ``PRESS_MARKDOWN = "python-markdown"`` renders
with Python-Markdown and Pelican's ``MARKDOWN`` setting instead, for a site
that relies on its extensions (``attr_list``, ``abbr``, ``def_list``).

Raw HTML is passed through by both (GFM's tag filter is off) so that the
sanitizer sees it, reports it as ``unsafe-html`` and removes it.

Every text is checked against the limits on input first (``press.content.limits``:
size, nesting, table cells, elements): one over a limit is not rendered, and
:func:`render_checked` says why.  Both engines' autolinks end where the URL
ends, in every script (``press.html.autolinks``).  cmark-gfm's memory is freed by
its own allocator; when its library cannot be loaded so, Python-Markdown
renders instead, with one log line.

The key of a rendered body is the SHA-256 of the engine's configuration and
the body itself, so an unchanged file is never rendered twice, whatever its
name or date, and a changed configuration never reuses an old rendering.
Python-Markdown's renderings are kept on disk between builds and, when many
are missing, rendered on every core by the press's parallel engine
(``press.parallel``) before Pelican reads the files; cmark-gfm renders a
body in a few microseconds, faster than the cache could load it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable
from urllib.parse import unquote

import cffi
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options as CmarkOptions
from markdown import Markdown

from press.content.limits import (
    DEFAULT_LIMITS,
    Exceeded,
    Limits,
    html_exceeds,
    limits_from_settings,
    source_exceeds,
)
from press.files import atomic_write
from press.html.autolinks import end_autolinks_at_url
from press.parallel import map_in_workers, runs_in_parallel

logger = logging.getLogger(__name__)

CACHE_FILE = "press-render-cache.json"
CACHE_FORMAT = 2  # JSON: {"format": 2, "entries": {key: html}}
META_EXTENSION = "markdown.extensions.meta"
GFM_EXTENSIONS = ("table", "strikethrough", "autolink")
# UNSAFE: raw HTML reaches the sanitizer, which reports it (a filter would hide it).
GFM_OPTIONS = CmarkOptions.CMARK_OPT_UNSAFE | CmarkOptions.CMARK_OPT_FOOTNOTES
# cmark percent-encodes a destination; Pelican's placeholders and the paths of
# files beside the article must read as written.  (A colon before the first
# escape is a URL's scheme: those stay encoded.)  Both patterns start with a
# literal, which the regular expression engine finds fast.
GFM_PLACEHOLDER = re.compile(r'="%7B(filename|static|attach|index|tag|category|author)%7D')
GFM_DESTINATION = re.compile(r'="(?!//)([^"%:]*%[0-9A-F]{2}[^"]*)"')
# cmark-gfm's back-reference label is English on every edition's page.
GFM_BACKREF_LABEL = re.compile(r' aria-label="Back to reference [^"]*"')


# Pelican's default MARKDOWN, for Python-Markdown when cmark-gfm cannot be loaded.
FALLBACK_MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
# Keys of the options that are the press's, not Python-Markdown's.
ENGINE_KEYS = ("engine", "limits")


def markdown_options(settings: dict) -> dict:
    """The engine and its configuration: ``PRESS_MARKDOWN``, the limits of
    ``press.content.limits``, and Pelican's ``MARKDOWN`` without the meta extension
    (headers are ours) for Python-Markdown, which also renders when cmark-gfm
    cannot be loaded."""
    limits = limits_from_settings(settings)
    requested_gfm = (settings.get("PRESS_MARKDOWN") or "gfm") == "gfm"
    if requested_gfm and gfm_available():
        options = {"engine": "gfm", "extensions": list(GFM_EXTENSIONS)}
    elif requested_gfm:
        options = python_markdown_options(settings.get("MARKDOWN") or FALLBACK_MARKDOWN)
    else:
        options = python_markdown_options(settings.get("MARKDOWN") or {})
    if limits != DEFAULT_LIMITS:
        options["limits"] = [limits.body_bytes, limits.nesting, limits.table_cells, limits.elements]
    return options


def python_markdown_options(markdown: dict) -> dict:
    options = dict(markdown)
    options["extensions"] = [e for e in options.get("extensions", []) if e != META_EXTENSION]
    configs = dict(options.get("extension_configs") or {})
    configs.pop(META_EXTENSION, None)
    options["extension_configs"] = configs
    for name in configs:
        if name not in options["extensions"]:
            options["extensions"].append(name)
    options["engine"] = "python-markdown"
    return options


def limits_of(options: dict) -> Limits:
    """The limits the options carry (the defaults unless settings changed them)."""
    stated = options.get("limits")
    return Limits(*stated) if stated else DEFAULT_LIMITS


def is_fast(options: dict) -> bool:
    """Whether rendering again costs less than keeping renderings on disk or forking workers."""
    return options.get("engine") == "gfm"


CMARK_MEMORY_CDEF = """
typedef struct cmark_mem {
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
} cmark_mem;
cmark_mem *cmark_get_default_mem_allocator(void);
void cmark_node_free(void *node);
"""


class _CmarkMemory:
    """cmark's ``cmark_node_free`` and its allocator's ``free``, which cmarkgfm leaves out.

    cmarkgfm's own wrapper never frees the parsed document nor the rendered
    string: about 60 KB lost per body, hundreds of megabytes in a build and
    more at every preview run.  The string is freed by the allocator that
    made it, ``cmark_get_default_mem_allocator()->free`` (libc's ``free``
    found another way would corrupt the heap of a cmark built with another
    allocator, and cannot be found at all on some systems).
    """

    def __init__(self) -> None:
        self.ffi = cffi.FFI()
        self.ffi.cdef(CMARK_MEMORY_CDEF)
        self.cmark = self.ffi.dlopen(_cmark.__file__)
        self.free = self.cmark.cmark_get_default_mem_allocator().free
        if self.free == self.ffi.NULL:
            raise OSError("cmark's default allocator has no free function")
        cmark.core_extensions_ensure_registered()
        self.extensions = [cmark.find_syntax_extension(name) for name in GFM_EXTENSIONS]

    def pointer(self, cdata):
        return self.ffi.cast("void *", int(_cmark.ffi.cast("uintptr_t", cdata)))

    def render(self, body: str) -> str:
        lib = _cmark.lib
        parser = lib.cmark_parser_new(GFM_OPTIONS)
        try:
            for extension in self.extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            data = body.encode("utf-8")
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            try:
                extensions = lib.cmark_parser_get_syntax_extensions(parser)
                raw = lib.cmark_render_html(root, GFM_OPTIONS, extensions)
                try:
                    return _cmark.ffi.string(raw).decode("utf-8")
                finally:
                    self.free(self.pointer(raw))
            finally:
                self.cmark.cmark_node_free(self.pointer(root))
        finally:
            lib.cmark_parser_free(parser)


@functools.lru_cache(maxsize=1)
def _cmark_memory() -> _CmarkMemory | None:
    """cmark with its memory freed, or None when its library cannot be loaded that way."""
    try:
        return _CmarkMemory()
    except (OSError, AttributeError, cffi.CDefError, cffi.FFIError) as error:
        logger.warning(
            "Rendering Markdown with Python-Markdown: cmark-gfm's library (%s) could not be loaded "
            "with its memory allocator (%s); reinstall cmarkgfm to render with GFM again",
            getattr(_cmark, "__file__", "cmarkgfm"),
            error,
        )
        return None


def gfm_available() -> bool:
    """Whether the GFM engine can render (the press falls back to Python-Markdown otherwise)."""
    return _cmark_memory() is not None


def render_gfm(body: str) -> str:
    """GFM with cmark-gfm (Python-Markdown if cmark-gfm cannot be loaded); no limits here."""
    memory = _cmark_memory()
    if memory is None:
        return render_python_markdown(python_markdown_options(FALLBACK_MARKDOWN), body)
    html = memory.render(body).rstrip("\n")  # as Python-Markdown ends it
    if "%" in html:
        html = GFM_PLACEHOLDER.sub(_placeholder, html)
        html = GFM_DESTINATION.sub(_decoded_destination, html)
    if "data-footnote-backref" in html:
        html = GFM_BACKREF_LABEL.sub("", html)
    return end_autolinks_at_url(html)


def _in_link(match: re.Match) -> bool:
    """Whether the attribute value matched is a link's or an image's destination."""
    before = match.string[max(0, match.start() - 4) : match.start()]
    return before == "href" or before.endswith("src")


def _placeholder(match: re.Match) -> str:
    return f'="{{{match.group(1)}}}' if _in_link(match) else match.group(0)


def _decoded_destination(match: re.Match) -> str:
    if not _in_link(match):
        return match.group(0)
    return '="' + unquote(match.group(1)).replace('"', "&quot;") + '"'


_converters: dict[str, Markdown] = {}


def render_python_markdown(options: dict, body: str) -> str:
    """Python-Markdown: one reused converter per configuration and process;
    building one (extensions, patterns) costs more than converting a short
    text, and ``reset()`` between texts gives the same output as a new one."""
    signature = json.dumps(options, sort_keys=True, default=repr)
    converter = _converters.get(signature)
    if converter is None:
        settings = {name: value for name, value in options.items() if name not in ENGINE_KEYS}
        converter = _converters[signature] = Markdown(**settings)
    return end_autolinks_at_url(converter.reset().convert(body))


def render_checked(options: dict, body: str) -> tuple[str, Exceeded | None]:
    """Markdown to HTML with the configured engine, within the configured limits.

    A text over a limit (``press.content.limits``) is not rendered: its HTML is empty,
    and the second value says why.
    """
    limits = limits_of(options)
    gfm = options.get("engine") == "gfm"
    exceeded = source_exceeds(body, limits, brackets=not gfm)
    if exceeded is not None:
        return "", exceeded
    try:
        html = render_gfm(body) if gfm else render_python_markdown(options, body)
    except RecursionError:  # Python-Markdown reads nested blocks recursively
        return "", Exceeded(
            "it nests deeper than Python-Markdown can read (quotes, lists, emphasis)",
            "PRESS_MAX_NESTING",
            "Nest fewer quotes ('>'), lists and emphasis in one another",
        )
    exceeded = html_exceeds(html, limits)
    if exceeded is not None:
        return "", exceeded
    return html, None


def render_markdown(options: dict, body: str) -> str:
    """Markdown to HTML with the configured engine; empty for a text over a limit."""
    return render_checked(options, body)[0]


class RenderCache:
    """Rendered HTML by content hash, kept in memory and on disk between builds."""

    def __init__(self, options: dict, cache_dir: str | None, workers: int = 1) -> None:
        self.options = options
        self.salt = json.dumps(options, sort_keys=True, default=repr).encode()
        self.cache_dir = cache_dir
        self.path = os.path.join(cache_dir, CACHE_FILE) if cache_dir and not is_fast(options) else None
        self.workers = workers
        self.entries: dict[str, str] = {}
        # Texts over a limit (press.content.limits), by key: never rendered, never saved.
        self.refusals: dict[str, Exceeded] = {}
        self.used: set[str] = set()
        self.changed = False
        self._loaded = False
        self._load()

    def key(self, body: str) -> str:
        return hashlib.sha256(self.salt + b"\0" + body.encode("utf-8")).hexdigest()

    def render(self, body: str) -> str:
        """The HTML of ``body``; empty for a text over a limit (:meth:`refusal` says why)."""
        self.ensure_loaded()
        key = self.key(body)
        self.used.add(key)
        html = self.entries.get(key)
        if html is None:
            if key in self.refusals:
                return ""
            html = render_markdown(self.options, body)
            # only an empty rendering may be a refusal: ask why (rare, so done twice)
            exceeded = render_checked(self.options, body)[1] if not html else None
            if exceeded is not None:
                self.refusals[key] = exceeded
                return ""
            self.entries[key] = html
            self.changed = True
        return html

    def refusal(self, body: str) -> Exceeded | None:
        """Why ``body`` was not rendered (over a limit), or None; after :meth:`render`."""
        return self.refusals.get(self.key(body)) if self.refusals else None

    def prewarm(self, bodies: Iterable[str]) -> int:
        """Render every body not yet cached, on all cores; returns how many."""
        self.ensure_loaded()
        pending: dict[str, str] = {}
        for body in bodies:
            key = self.key(body)
            # Every body of the tree counts as used, read or not: the preview
            # session hands back unchanged articles without reading them, and
            # save() must not drop their renderings from the disk cache.
            self.used.add(key)
            if key not in self.entries and key not in self.refusals:
                pending.setdefault(key, body)
        if is_fast(self.options) or not runs_in_parallel(len(pending), self.workers):
            return 0  # rendered one by one as Pelican reads the files
        keys = list(pending)
        render = functools.partial(render_checked, self.options)
        rendered = map_in_workers(render, [pending[key] for key in keys], self.workers)
        for key, (html, exceeded) in zip(keys, rendered, strict=True):
            if exceeded is None:
                self.entries[key] = html
            else:
                self.refusals[key] = exceeded
        self.changed = True
        return len(keys)

    def release(self) -> None:
        """Forget what the next run (autoreload) will not need.

        Python-Markdown's renderings are saved: the next run loads them again
        from disk, which is cheap, and keeping them would only add to the
        build's peak memory.  cmark-gfm's are not saved: those this run used
        stay in memory for the next one.
        """
        if self.path:
            self.entries = {}
            self._loaded = False
        else:
            self.entries = {key: self.entries[key] for key in self.used if key in self.entries}
        self.refusals = {key: self.refusals[key] for key in self.used if key in self.refusals}
        self.used = set()
        self.changed = False

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self._load()

    def _load(self) -> None:
        self._loaded = True
        if not self.path or not os.path.exists(self.path):
            return
        try:
            with open(self.path, encoding="utf-8") as handle:
                stored = json.load(handle)
        except (OSError, ValueError):
            logger.warning("Ignoring an unreadable render cache at %s", self.path)
            return
        current = isinstance(stored, dict) and stored.get("format") == CACHE_FORMAT
        entries = stored.get("entries") if current else None
        if isinstance(entries, dict) and all(isinstance(html, str) for html in entries.values()):
            self.entries = entries

    def save(self) -> None:
        """Keep only what this build used, written atomically."""
        if not self.path:
            return
        if not self.changed and len(self.used) == len(self.entries):
            return
        kept = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        try:
            atomic_write(self.path, json.dumps({"format": CACHE_FORMAT, "entries": kept}, ensure_ascii=False))
        except OSError as error:  # the next build renders again: time, not correctness
            logger.debug("Could not keep the render cache %s: %s", self.path, error)
