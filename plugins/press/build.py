"""The state of one build, shared by the press's plugins and reset every run.

``press_core`` starts a :class:`Build` when Pelican asks for its generators
(once per run, autoreload included); every other plugin reaches it through
:func:`current`.  Nothing about a build lives anywhere else, so a rebuild never
sees the previous run's tree or problems.
"""

from __future__ import annotations

import datetime
import functools
import gettext
import logging
import os

from . import glossary, i18n, intake
from .editions import Editions, build_editions, report_edition_placements, unpublishable_reason
from .memo import per_instance_cache
from .parity import ParityChecker
from .problems import ProblemCollector
from .settings import build_now, report_missing_site_names
from .tree import ContentTree, Group, Version, scan_tree

logger = logging.getLogger(__name__)


class Build:
    """One run of the press: the tree, the problems, the catalogs, 'now'."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.content_path: str = settings["PATH"]
        self.languages: list[str] = list(settings["LANGUAGES"])
        self.default_lang: str = settings["DEFAULT_LANG"]
        self.now: datetime.datetime = build_now()
        self.problems = ProblemCollector()
        self.show_drafts: bool = intake.drafts_shown(settings)
        self._unpublishable: dict[str, str | None] = {}
        # Filled by press_site as it writes: every page, and what each edition shows.
        self.pages: list = []
        self.edition_tokens: dict[str, str] = {}
        self.tree: ContentTree = scan_tree(self.content_path, self.languages, self.problems)
        self.templates_dir = os.path.join(settings["THEME"], "templates")
        self.translations_dir: str = os.path.abspath(settings["PRESS_TRANSLATIONS"])
        ParityChecker(
            self.tree,
            self.problems,
            now=self.now,
            publications=settings["PRESS_PUBLICATIONS"],
        ).run()
        glossary.check_tree(
            self.tree,
            self.content_path,
            self.languages + list(settings.get("PRESS_PREPARING", [])),
            self.problems,
        )
        i18n.check_catalogs(self.translations_dir, self.templates_dir, self.languages, self.problems)
        intake.check_headers(self.tree, self.problems)
        intake.report_draft_translations(self.tree, self.problems)
        report_missing_site_names(settings, self.problems)
        report_edition_placements(self.editions, self.problems)

    def unpublishable_reason(self, group: Group, version: Version) -> str | None:
        if version.path not in self._unpublishable:
            self._unpublishable[version.path] = unpublishable_reason(
                self.tree, group, version, self.now, show_drafts=self.show_drafts
            )
        return self._unpublishable[version.path]

    def is_draft(self, group: Group, version: Version) -> bool:
        """Whether a published version is a draft, shown only by a development build."""
        return intake.draft_key(group, self.languages) or intake.is_draft(version)

    def publishable(self, group: Group, version: Version) -> bool:
        return self.unpublishable_reason(group, version) is None

    @functools.cached_property
    def editions(self) -> Editions:
        return build_editions(
            self.tree, now=self.now, default_lang=self.default_lang, publishable=self.publishable
        )

    @per_instance_cache  # cache on the instance: dies with this run
    def translations(self, lang: str) -> gettext.NullTranslations:
        return i18n.load_translations(self.translations_dir, lang)


_current: Build | None = None


def begin(settings: dict) -> Build:
    """Start the state of a new run, forgetting the previous one."""
    global _current
    _current = Build(settings)
    return _current


def forget() -> None:
    """Drop the previous run's state (a run that fails before it starts has none)."""
    global _current
    _current = None


def current() -> Build:
    if _current is None:
        raise RuntimeError("the press plugin is not registered: list it in PLUGINS")
    return _current
