"""What a key's bodies, readings and comparisons depend on, beyond its own files.

A version's page HTML, its Pelican metadata and its key's comparisons are made
from the key's own files, the tree's languages, the files at the top of
``content/`` (terms, glossary), the clock's verdict on the key (an embargo still
to come, a correction's grace), and the keys its texts link to with
``{filename}``: which of their versions exist and are published decides where a
link goes (the version in the reader's language, another, or none).  Nothing
else in the tree counts.  A key's token names exactly these, so adding or
publishing one article changes its own token and those of the keys that link
to it, not every key's (a token of the whole tree's shape made one new article
cost the whole archive's reading and comparing again).

One :class:`KeyInputs` a run, made by :func:`of_run`, kept on the run's ``Build``.
"""

from __future__ import annotations

import hashlib
import os
import re

from press import build
from press.content import newsroom
from press.content.tree import Group, Version
from press.files import hash_parts as _hash
from press.files import read_content_file

FILENAME_LINK = re.compile(r"\{filename\}([^)\s\"'#?]+)")


class KeyInputs:
    """Each key's token for this run, and the keys its texts link to."""

    def __init__(self, current: build.Build, session=None) -> None:
        self.build = current
        # the preview session finds a text's links once, not on every run
        self.session = session
        top_files = top_file_digests(current.content_path)
        self.base = _hash(repr(current.languages), current.default_lang, *top_files)
        self.grace = current.settings.get("PRESS_CORRECTION_GRACE", 2)
        self._tokens: dict[tuple[str, str], str] = {}
        self._links_tokens: dict[tuple[str, str], str] = {}
        self._linked: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._clock: dict[tuple[str, str], str] = {}

    def token(self, group: Group) -> str:
        """What this key's readings and comparisons depend on (once a run)."""
        found = self._tokens.get((group.kind, group.key))
        if found is None:
            current = self.build
            parts = [self.links_token(group), group.kind, group.key, self.clock(group)]
            for lang, version in sorted(group.versions.items()):
                parts.append(f"{lang}:{version.digest}:{current.publishable(group, version)}")
            found = self._tokens[(group.kind, group.key)] = _hash(*parts)
        return found

    def links_token(self, group: Group) -> str:
        """What the links of this key's texts resolve against: the tree's languages, the key's
        attachments, the versions of the keys they link to (a body depends on nothing else but
        its own file)."""
        found = self._links_tokens.get((group.kind, group.key))
        if found is None:
            current = self.build
            parts = [self.base, repr(sorted(current.tree.attachments.get((group.kind, group.key), [])))]
            for kind, key in self.linked_keys(group):
                linked = current.tree.group(kind, key)
                if linked is None:
                    parts.append(f"{kind}/{key}:absent")
                    continue
                shown = ",".join(
                    f"{lang}:{current.publishable(linked, version)}"
                    for lang, version in sorted(linked.versions.items())
                )
                parts.append(f"{kind}/{key}:{shown}")
            found = self._links_tokens[(group.kind, group.key)] = _hash(*parts)
        return found

    def clock(self, group: Group) -> str:
        """What the clock decides of a key: an embargo still to come, each version's correction grace."""
        found = self._clock.get((group.kind, group.key))
        if found is None:
            languages, now = self.build.languages, self.build.now
            pending = [
                newsroom.correction_grace(group, version, languages, now, self.grace)
                for _, version in sorted(group.versions.items())
            ]
            found = self._clock[(group.kind, group.key)] = repr(
                (newsroom.under_embargo(group, languages, now), pending)
            )
        return found

    def linked_keys(self, group: Group) -> list[tuple[str, str]]:
        """The (kind, key) of every version a text of this key links to with ``{filename}``, sorted."""
        found = self._linked.get((group.kind, group.key))
        if found is None:
            targets: set[str] = set()  # the versions mostly link the same: each target looked at once
            for version in group.versions.values():
                targets.update(self.links_of(version))
            keys = {linked_key(group.kind, group.key, target) for target in targets}
            keys.discard(None)
            found = self._linked[(group.kind, group.key)] = sorted(keys)
        return found

    def links_of(self, version: Version) -> tuple[str, ...]:
        """The ``{filename}`` targets in a version's body and headers (a summary may link too)."""
        if self.session is not None:
            return self.session.filename_links(version.digest, lambda: linkable_text(version))
        return tuple(FILENAME_LINK.findall(linkable_text(version)))


def of_run(current: build.Build, session=None) -> KeyInputs:
    """The run's :class:`KeyInputs`, made once."""
    if current.key_inputs is None:
        current.key_inputs = KeyInputs(current, session)
    return current.key_inputs


def linkable_text(version: Version) -> str:
    """A version's body and its headers' values: every text a ``{filename}`` link may be in."""
    headers = "\n".join(header.value or "" for header in version.source.headers.values())
    return f"{headers}\n{version.source.body}"


def linked_key(kind: str, key: str, target: str) -> tuple[str, str] | None:
    """The (kind, key) a ``{filename}`` target of a text of ``kind/key`` names, if it names a version.

    ``../other/en.md``, the common form, is read without ``normpath`` (a rebuild asks for
    every key's links).
    """
    parts = target.split("/")
    if (
        len(parts) == 3
        and parts[0] == ".."
        and parts[1] not in ("", ".", "..")
        and parts[2] not in ("", ".", "..")
    ):
        return kind, parts[1]
    parts = os.path.normpath(os.path.join(kind, key, target)).split(os.sep)
    return (parts[0], parts[1]) if len(parts) == 3 else None


def top_file_digests(content_path: str) -> list[str]:
    """Each file beside the kinds' folders (terms.toml, glossary.toml) with its digest: what
    reading a version makes of its headers, and comparing it, may depend on them."""
    digests = []
    for name in sorted(os.listdir(content_path)):
        data = read_content_file(content_path, name)  # never a link out, a pipe or a folder
        if data is not None:
            digests.append(f"{name}:{hashlib.sha256(data).hexdigest()}")
    return digests
