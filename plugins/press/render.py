"""Markdown bodies rendered once: a content-addressed cache, filled in parallel.

The key of a rendered body is the SHA-256 of the Markdown configuration and
the body itself, so an unchanged file is never rendered twice, whatever its
name or date, and a changed configuration never reuses an old rendering.
Bodies that are not in the cache are rendered on every core by the press's
parallel engine (``press.parallel``) before Pelican reads the files one by one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
from collections.abc import Iterable

from markdown import Markdown

from .files import atomic_write
from .parallel import map_in_workers, runs_in_parallel

logger = logging.getLogger(__name__)

CACHE_FILE = "press-render-cache.pickle"
CACHE_FORMAT = 1
META_EXTENSION = "markdown.extensions.meta"


def markdown_options(settings: dict) -> dict:
    """Pelican's MARKDOWN setting without the meta extension (headers are ours)."""
    options = dict(settings.get("MARKDOWN") or {})
    options["extensions"] = [e for e in options.get("extensions", []) if e != META_EXTENSION]
    configs = dict(options.get("extension_configs") or {})
    configs.pop(META_EXTENSION, None)
    options["extension_configs"] = configs
    for name in configs:
        if name not in options["extensions"]:
            options["extensions"].append(name)
    return options


_converters: dict[str, Markdown] = {}


def render_markdown(options: dict, body: str) -> str:
    """Markdown to HTML with one reused converter per configuration and process.

    Building a converter (extensions, patterns) costs more than converting a
    short text; ``reset()`` between texts gives the same output as a new one.
    """
    signature = json.dumps(options, sort_keys=True, default=repr)
    converter = _converters.get(signature)
    if converter is None:
        converter = _converters[signature] = Markdown(**options)
    return converter.reset().convert(body)


class RenderCache:
    """Rendered HTML by content hash, kept in memory and on disk between builds."""

    def __init__(self, options: dict, cache_dir: str | None, workers: int = 1) -> None:
        self.options = options
        self.salt = json.dumps(options, sort_keys=True, default=repr).encode()
        self.path = os.path.join(cache_dir, CACHE_FILE) if cache_dir else None
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
        if not runs_in_parallel(len(pending), self.workers):
            return 0  # rendered one by one as Pelican reads the files
        keys = list(pending)
        render = functools.partial(render_markdown, self.options)
        rendered = map_in_workers(render, [pending[key] for key in keys], self.workers)
        for key, html in zip(keys, rendered, strict=True):
            self.entries[key] = html
        self.changed = True
        return len(keys)

    def release(self) -> None:
        """Forget the rendered texts once they are saved: every reader has its copy.

        The next run (autoreload) loads them again from disk, which is cheap;
        keeping them would only add to the build's peak memory.
        """
        if self.path:
            self.entries = {}
            self.used = set()
            self.changed = False
            self._loaded = False

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
