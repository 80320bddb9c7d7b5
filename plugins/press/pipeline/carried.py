"""What a build carries to the next process: each key's comparison of its translations.

Comparing every translation with its original block by block is the costliest
check of a build, and what it finds about a key depends only on that key's
files, the tree's shape (which versions exist and are published, the files at
the top of ``content/``), the settings that shape a reading, and the press's
own code.  The preview keeps the findings in memory (``session.py``); a build
in a new process reads them from ``CACHE_PATH`` instead, so after one
original changed only that key is compared again.  The record is JSON, keyed
by those digests; a record that cannot be read is ignored (everything is
compared again) and is replaced whole.
"""

from __future__ import annotations

import functools
import json
import logging
import os

import press
from press import build
from press.files import atomic_write, output_cache_path
from press.files import hash_parts as _hash
from press.problems import Problem

from .session import group_token_of, tree_shape

logger = logging.getLogger(__name__)

RECORD_FILE = "press-findings-{output}.json"
RECORD_FORMAT = 1
# Settings that change how a body reads, or how two readings compare.
READING_SETTINGS = ("LANGUAGES", "DEFAULT_LANG", "MARKDOWN", "PRESS_MARKDOWN", "PRESS_PREPARING")


@functools.lru_cache(maxsize=1)
def press_code_digest() -> str:
    """The press's own code (one process runs one version of it)."""
    root = os.path.dirname(press.__file__)
    parts = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    parts.append(f"{os.path.relpath(path, root)}:{_hash(handle.read().hex())}")
    return _hash(*parts)


class CarriedFindings:
    """Each key's findings from the previous process, and this run's, to be kept for the next."""

    def __init__(self, current: build.Build, settings: dict, session=None) -> None:
        # the preview session's memory is asked first: after its first run it knows every key
        self.session = session
        self.path = output_cache_path(settings.get("CACHE_PATH"), current.content_path, RECORD_FILE)
        self.shape = tree_shape(current)
        self.signature = _hash(
            str(RECORD_FORMAT),
            press_code_digest(),
            repr([(name, repr(settings.get(name))) for name in READING_SETTINGS]),
        )
        self.previous = self._load()
        self.kept: dict[str, list[dict]] = {}
        self.reused = 0

    def _load(self) -> dict[str, list[dict]]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                record = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or record.get("signature") != self.signature:
            return {}
        findings = record.get("findings")
        return findings if isinstance(findings, dict) else {}

    def findings(self, group) -> list[Problem] | None:
        """What comparing this key's versions found before, if nothing it depends on changed."""
        token = group_token_of(self.shape, group)
        found = self.session.findings(group) if self.session is not None else None
        if found is None:
            entries = self.previous.get(token)
            if not isinstance(entries, list):
                return None
            try:
                found = [Problem(**entry) for entry in entries]
            except TypeError:
                return None
            self.reused += 1
            if self.session is not None:
                self.session.remember_findings(group, found)
        self.kept[token] = [problem.as_report_entry() for problem in found]
        return found

    def remember_findings(self, group, found: list[Problem]) -> None:
        if self.session is not None:
            self.session.remember_findings(group, found)
        self.kept[group_token_of(self.shape, group)] = [problem.as_report_entry() for problem in found]

    def save(self) -> None:
        """Keep this run's findings (only those of keys that still exist) for the next process."""
        if self.reused:
            logger.info(
                "%d keys unchanged since the last build: their translations not compared again", self.reused
            )
        record = {"signature": self.signature, "findings": self.kept}
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            atomic_write(self.path, json.dumps(record, sort_keys=True, ensure_ascii=False))
        except OSError as error:  # a cache that cannot be written costs time, not correctness
            logger.warning("Could not keep the comparisons for the next build in %s: %s", self.path, error)
