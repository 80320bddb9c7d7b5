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
import pickle
import re
from collections.abc import Iterable
from urllib.parse import unquote

import cffi
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options as CmarkOptions
from markdown import Markdown

from .files import atomic_write
from .parallel import map_in_workers, runs_in_parallel

logger = logging.getLogger(__name__)

CACHE_FILE = "press-render-cache.pickle"
CACHE_FORMAT = 1
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


def markdown_options(settings: dict) -> dict:
    """The engine and its configuration: ``PRESS_MARKDOWN``, and Pelican's
    ``MARKDOWN`` without the meta extension (headers are ours) for Python-Markdown."""
    if (settings.get("PRESS_MARKDOWN") or "gfm") == "gfm":
        return {"engine": "gfm", "extensions": list(GFM_EXTENSIONS)}
    options = dict(settings.get("MARKDOWN") or {})
    options["extensions"] = [e for e in options.get("extensions", []) if e != META_EXTENSION]
    configs = dict(options.get("extension_configs") or {})
    configs.pop(META_EXTENSION, None)
    options["extension_configs"] = configs
    for name in configs:
        if name not in options["extensions"]:
            options["extensions"].append(name)
    options["engine"] = "python-markdown"
    return options


def is_fast(options: dict) -> bool:
    """Whether rendering again costs less than keeping renderings on disk or forking workers."""
    return options.get("engine") == "gfm"


class _CmarkMemory:
    """cmark's ``cmark_node_free`` and libc's ``free``, which cmarkgfm leaves out.

    cmarkgfm's own wrapper never frees the parsed document nor the rendered
    string: about 60 KB lost per body, hundreds of megabytes in a build and
    more at every preview run. Both functions are exported by its module.
    """

    def __init__(self) -> None:
        self.ffi = cffi.FFI()
        self.ffi.cdef("void cmark_node_free(void *node); void free(void *ptr);")
        self.cmark = self.ffi.dlopen(_cmark.__file__)
        self.libc = self.ffi.dlopen(None)
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
                    self.libc.free(self.pointer(raw))
            finally:
                self.cmark.cmark_node_free(self.pointer(root))
        finally:
            lib.cmark_parser_free(parser)


@functools.lru_cache(maxsize=1)
def _cmark_memory() -> _CmarkMemory:
    return _CmarkMemory()


def render_gfm(body: str) -> str:
    html = _cmark_memory().render(body).rstrip("\n")  # as Python-Markdown ends it
    if "%" in html:
        html = GFM_PLACEHOLDER.sub(_placeholder, html)
        html = GFM_DESTINATION.sub(_decoded_destination, html)
    if "data-footnote-backref" in html:
        html = GFM_BACKREF_LABEL.sub("", html)
    return html


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


def render_markdown(options: dict, body: str) -> str:
    """Markdown to HTML with the configured engine.

    Python-Markdown: one reused converter per configuration and process;
    building one (extensions, patterns) costs more than converting a short
    text, and ``reset()`` between texts gives the same output as a new one.
    """
    if options.get("engine") == "gfm":
        return render_gfm(body)
    signature = json.dumps(options, sort_keys=True, default=repr)
    converter = _converters.get(signature)
    if converter is None:
        settings = {name: value for name, value in options.items() if name != "engine"}
        converter = _converters[signature] = Markdown(**settings)
    return converter.reset().convert(body)


class RenderCache:
    """Rendered HTML by content hash, kept in memory and on disk between builds."""

    def __init__(self, options: dict, cache_dir: str | None, workers: int = 1) -> None:
        self.options = options
        self.salt = json.dumps(options, sort_keys=True, default=repr).encode()
        self.cache_dir = cache_dir
        self.path = os.path.join(cache_dir, CACHE_FILE) if cache_dir and not is_fast(options) else None
        self.workers = workers
        self.entries: dict[str, str] = {}
        self.used: set[str] = set()
        self.changed = False
        self._loaded = False
        self._load()

    def key(self, body: str) -> str:
        return hashlib.sha256(self.salt + b"\0" + body.encode("utf-8")).hexdigest()

    def render(self, body: str) -> str:
        self.ensure_loaded()
        key = self.key(body)
        html = self.entries.get(key)
        if html is None:
            html = render_markdown(self.options, body)
            self.entries[key] = html
            self.changed = True
        self.used.add(key)
        return html

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
            if key not in self.entries:
                pending.setdefault(key, body)
        if is_fast(self.options) or not runs_in_parallel(len(pending), self.workers):
            return 0  # rendered one by one as Pelican reads the files
        keys = list(pending)
        render = functools.partial(render_markdown, self.options)
        rendered = map_in_workers(render, [pending[key] for key in keys], self.workers)
        for key, html in zip(keys, rendered, strict=True):
            self.entries[key] = html
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
            with open(self.path, "rb") as handle:
                stored = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            logger.warning("Ignoring an unreadable render cache at %s", self.path)
            return
        if isinstance(stored, dict) and stored.get("format") == CACHE_FORMAT:
            self.entries = stored.get("entries", {})

    def save(self) -> None:
        """Keep only what this build used, written atomically."""
        if not self.path:
            return
        if not self.changed and len(self.used) == len(self.entries):
            return
        kept = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        atomic_write(self.path, pickle.dumps({"format": CACHE_FORMAT, "entries": kept}, protocol=5))
