"""Incremental rebuilds: a page is rendered and written only when what it shows changed.

Every page names what it depends on (its key's files, the keys it links to, the
issues that carry it, its language's navigation, or, for listings and feeds,
every listed key).  The fingerprint of those inputs, with the theme, the
catalogs, the settings and the press's own code, is kept per output folder; a
page whose fingerprint is unchanged and whose file is still there is skipped.
A page no longer produced is removed, so the result is what a clean build
writes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Iterable

from press.build import Build
from press.content import newsroom
from press.content.tree import Group
from press.files import PACKAGE_FOLDER, hash_files, output_cache_path
from press.files import hash_parts as _hash
from press.memo import per_instance_cache
from press.pipeline import images, key_inputs
from press.pipeline.carried import CarriedOutputs, keep_record
from press.pipeline.session import current_session
from press.records import read_record, record_bytes

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 2
MANIFEST_FILE = "press-pages-{output}.json"
# Press settings that change no page.
NOT_SHOWN_SETTINGS = ("PRESS_REPORT", "PRESS_STRICT", "PRESS_WORKERS", "PRESS_RENDER_CACHE")
FINGERPRINTED_SETTINGS = (
    "LANGUAGES",
    "DEFAULT_LANG",
    "SITEURL",
    "SITENAME",
    "TIMEZONE",
    "MARKDOWN",
    "SLUGIFY_SOURCE",
    "SLUG_REGEX_SUBSTITUTIONS",
    # Another plugin may rewrite the pages it is told about (content_written).
    "PLUGINS",
)


class PageFingerprints:
    """What each page of this build depends on, against the previous build's record."""

    def __init__(self, current: Build, settings: dict, theme: str, output_path: str) -> None:
        self.build = current
        self.output_path = output_path
        self.manifest_path = output_cache_path(settings.get("CACHE_PATH"), output_path, MANIFEST_FILE)
        press_settings = {
            key: repr(value)
            for key, value in sorted(settings.items())
            if key.startswith("PRESS_") and key not in NOT_SHOWN_SETTINGS
        }
        chosen = {key: repr(settings.get(key)) for key in FINGERPRINTED_SETTINGS}
        self.global_token = _hash(
            json.dumps([press_settings, chosen], sort_keys=True),
            current.now.date().isoformat(),
            hash_files([theme]),
            hash_files([current.translations_dir], (".po",)),
            # The press's own code: a new version of the plugin rewrites every page.
            hash_files([PACKAGE_FOLDER], (".py",)),
        )
        self.inputs = key_inputs.of_run(current, current_session())
        self.previous = self._load()
        self.current: dict[str, str] = {}
        self._clock_tokens: dict[tuple[str, str], str] = {}
        self.skipped = 0

    # -- tokens ------------------------------------------------------------------

    @per_instance_cache  # cache on the instance: dies with this run
    def group_token(self, kind: str, key: str) -> str:
        group = self.build.tree.group(kind, key)
        if group is None:
            return "absent"
        parts = sorted(self.build.tree.attachments.get((kind, key), []))
        for lang, version in sorted(group.versions.items()):
            parts.append(f"{lang}:{version.digest}:{self.build.publishable(group, version)}")
        return _hash(*parts, self.clock_token(group))

    def clock_token(self, group: Group) -> str:
        """What the clock decides of a key's pages: an embargo still to come, a correction's grace."""
        # a key's page token and its card token both ask: once a run
        found = self._clock_tokens.get((group.kind, group.key))
        if found is None:
            found = self._clock_tokens[(group.kind, group.key)] = self._clock_token(group)
        return found

    def _clock_token(self, group: Group) -> str:
        return repr((self.inputs.clock(group), self.picture_digest(group)))

    def picture_digest(self, group: Group) -> str:
        """The content of the key's Image: its sizes are named by it, and pages and cards link them."""
        name = newsroom.image_name(group, self.build.languages)
        path = f"{group.kind}/{group.key}/{name}"
        if not name or path not in self.build.tree.published_files:
            return ""
        full = os.path.join(self.build.content_path, path)
        # the digest the attachments' record holds, while the file's stat is as recorded
        entry = self.attachments.previous(path)
        try:
            if entry is not None and entry.get("source") == images.source_stat(os.stat(full)):
                return str(entry.get("digest"))
            with open(full, "rb") as handle:
                return hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            return "unreadable"

    @functools.cached_property
    def attachments(self) -> CarriedOutputs:
        """What the last build copied of each attachment (``images.remember_static_images``)."""
        return CarriedOutputs(self.build, self.build.settings, self.output_path)

    @per_instance_cache  # cache on the instance: dies with this run
    def card_token(self, kind: str, key: str) -> str:
        """What a listing (or a link) shows of a key: its versions' headers, not their bodies.

        A card shows a version's title, summary, date, section and placement,
        all headers; Pelican makes the summary from the body only when there is
        no ``Summary`` header, so then the body counts too.  Editing a body
        therefore rewrites its own pages and the feeds, not every listing.
        """
        group = self.build.tree.group(kind, key)
        if group is None:
            return "absent"
        parts = []
        for lang, version in sorted(group.versions.items()):
            headers = sorted((name, header.value) for name, header in version.source.headers.items())
            body = "" if version.source.value("summary") else version.digest
            parts.append(f"{lang}:{headers!r}:{body}:{self.build.publishable(group, version)}")
        return _hash(*parts, self.clock_token(group))

    @functools.cached_property
    def cards_token(self) -> str:
        """Pages that list every key (front pages, archive) or only show the navigation."""
        return _hash(*(self.card_token(kind, key) for kind, key in sorted(self.build.tree.groups)))

    def cards_listing_token(self, groups: Iterable[Group], navigation: str) -> str:
        """A page that shows the cards of these keys, in this order, and nothing else."""
        return _hash(navigation, *(f"{g.kind}/{g.key}:{self.card_token(g.kind, g.key)}" for g in groups))

    @per_instance_cache  # cache on the instance: every edition's page of a key asks
    def linked_tokens(self, kind: str, key: str) -> list[str]:
        """Tokens of the keys a group's texts link to with {filename}: a link shows the target's address."""
        group = self.build.tree.group(kind, key)
        return sorted({self.card_token(*linked) for linked in self.inputs.linked_keys(group)})

    def feed_token(self, groups: Iterable[Group], navigation: str) -> str:
        """A feed: these keys' entries (their files, what their bodies link to), in this order."""
        return _hash(
            navigation,
            *(f"{g.kind}/{g.key}:{self.entry_token(g, '', ())}" for g in groups),
        )

    @functools.cached_property
    def everything_token(self) -> str:
        """Listings and feeds depend on every key."""
        return _hash(*(self.group_token(kind, key) for kind, key in sorted(self.build.tree.groups)))

    def listing_token(self, groups: Iterable[Group], navigation: str) -> str:
        """A page that lists these keys, in this order, and nothing else."""
        return _hash(navigation, *(f"{g.kind}/{g.key}:{self.group_token(g.kind, g.key)}" for g in groups))

    def edition_token(self, lang: str) -> str:
        """Everything one language's edition shows: its own versions, and the others it falls back on."""
        parts = []
        for (kind, key), group in sorted(self.build.tree.groups.items()):
            version = group.versions.get(lang)
            if version is not None:
                parts.append(f"{kind}/{key}/{lang}:{version.digest}:{self.build.publishable(group, version)}")
            else:
                parts.append(f"{kind}/{key}:{self.group_token(kind, key)}")
        return _hash(self.global_token, *parts)

    def entry_token(self, group: Group, navigation: str, issues: Iterable[Group]) -> str:
        return _hash(
            self.own_token(group.kind, group.key),
            navigation,
            *(self.card_token(issue.kind, issue.key) for issue in issues),  # "published in"
        )

    @per_instance_cache  # every edition's page of a key (and the feeds) ask: hashed once a run
    def own_token(self, kind: str, key: str) -> str:
        """What a key's own pages show of it: its files, and what its bodies link to."""
        return _hash(self.group_token(kind, key), *self.linked_tokens(kind, key))

    # -- decisions ---------------------------------------------------------------

    def unchanged(self, path: str, token: str) -> bool:
        """Record the page; True when the previous build wrote the same thing."""
        fingerprint = _hash(self.global_token, token)
        self.current[path] = fingerprint
        same = self.previous.get(path) == fingerprint and os.path.exists(os.path.join(self.output_path, path))
        self.skipped += same
        return same

    def remove_unwritten(self, prefix: str = "") -> None:
        """Remove the pages under ``prefix`` that the previous build wrote and this one does not."""
        for path in sorted(set(self.previous) - set(self.current)):
            full = os.path.join(self.output_path, path)
            if path.startswith(prefix) and os.path.isfile(full):
                os.remove(full)
                logger.info("Removed %s: this build no longer writes it", path)
                remove_empty_folders(os.path.dirname(full), self.output_path)

    def finish(self) -> None:
        """Remove pages the previous build wrote and this one does not; save the record."""
        self.remove_unwritten()
        keep_record(
            self.build,
            self.manifest_path,
            record_bytes({"format": MANIFEST_FORMAT, "pages": self.current}),
        )
        if self.skipped:
            logger.info("%d of %d pages unchanged since the last build", self.skipped, len(self.current))

    def _load(self) -> dict[str, str]:
        try:
            stored = read_record(self.manifest_path)
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("format") != MANIFEST_FORMAT:
            return {}
        return stored.get("pages", {})


def remove_empty_folders(folder: str, top: str) -> None:
    """Remove ``folder`` and its parents up to ``top`` (kept) while they are empty: a language
    or a key no longer built leaves no empty folder tree behind."""
    top = os.path.abspath(top)
    folder = os.path.abspath(folder)
    while folder != top and folder.startswith(top + os.sep):
        try:
            os.rmdir(folder)
        except OSError:  # not empty (or not ours to remove): stop here
            return
        folder = os.path.dirname(folder)
