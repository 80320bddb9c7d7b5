"""The state of one build, shared by the press's plugins and reset every run.

The run's first step (``press.pipeline.core.start_build``, when Pelican asks for
its generators: once per run, autoreload included) creates a :class:`Build`, which
reads nothing, then runs its named check (:meth:`Build.check`: the scan of
``content/`` and every check of the tree).  Every later step finds it through
:func:`of` (the run's settings dict holds it, the one object every step
is handed); the steps hand each other what they
make through its typed fields.  Nothing about a build lives anywhere else, so a
rebuild never sees the previous run's tree or problems.
"""

from __future__ import annotations

import datetime
import functools
import gettext
import logging
import os
import time

from press.content import intake, placeholders
from press.content.terms import Terms, read_terms
from press.content.tree import ContentTree, Group, Version, scan_tree
from press.html.render import markdown_options, render_markdown
from press.html.sanitize import unsafe_parts
from press.memo import per_instance_cache
from press.paper import i18n
from press.paper.editions import Editions, build_editions, report_edition_placements, unpublishable_reason
from press.parallel import map_in_workers, worker_count
from press.problems import ProblemCollector
from press.settings import build_now, note_missing_site_names
from press.translation import glossary
from press.translation.parity import ParityChecker

logger = logging.getLogger(__name__)


class Build:
    """One run of the press: the tree, the problems, the catalogs, 'now'."""

    def __init__(self, settings: dict) -> None:
        """The run's settings and clock; nothing is read until :meth:`check`."""
        self.settings = settings
        self.content_path: str = settings["PATH"]
        # LANGUAGES are published; PRESS_PREPARING editions only in development builds (contract §2)
        self.public_languages: list[str] = list(settings["LANGUAGES"])
        self.preparing: list[str] = [
            lang for lang in settings.get("PRESS_PREPARING") or [] if lang not in self.public_languages
        ]
        self.strict = bool(settings.get("PRESS_STRICT"))
        # publishconf.py (PRESS_PUBLISHING), whatever -e PRESS_STRICT says, and any strict build
        self.publishing = bool(settings.get("PRESS_PUBLISHING")) or self.strict
        self.languages: list[str] = self.public_languages + ([] if self.publishing else self.preparing)
        self.default_lang: str = settings["DEFAULT_LANG"]
        self.now: datetime.datetime = build_now()
        self.problems = ProblemCollector()
        # a language being prepared has gaps by design; a publishing build leaves it out altogether
        self.problems.leave_out(self.preparing, None if self.publishing else ("missing",))
        self.terms: Terms = read_terms(self.content_path)
        self._translations_checked = False
        self.show_drafts: bool = intake.drafts_shown(settings)
        # a key under embargo: marked in a development build, absent from a publishing one
        self.show_embargoed: bool = not self.publishing
        self._unpublishable: dict[str, str | None] = {}
        # Filled by press_site as it writes: every page, and what each edition shows.
        self.pages: list = []
        # version path -> (its body as the page shows it, what preparing it reported),
        # made on every core before Pelican reads the files (press.pipeline.reader)
        self.prepared_bodies: dict[str, tuple[str, list]] = {}
        self.edition_tokens: dict[str, str] = {}
        # why this machine cannot set the print editions ("" when it can), once asked
        # (press.pipeline.printed.printing_ready)
        self.printing_unavailable: str | None = None
        # whether Python's collector was on when the run began (press.pipeline.core.start_build)
        self.collecting = True
        # what each key's carried work depends on (press.pipeline.key_inputs.of_run)
        self.key_inputs = None
        # the run's Category and Tag objects, one per name (press.pipeline.reader.run_label)
        self.labels: dict[tuple[str, str], object] = {}
        # set once a record of CACHE_PATH could not be written: the run writes no other (carried.keep_record)
        self.records_unwritable = False
        # the search index being built as the editions are written (press.pipeline.search)
        self.search_indexer = None
        self.search_started = False
        # the photos Pelican copied (press.pipeline.images) and the site's model for the
        # editions (press.pipeline.printed): what one step hands a later one
        self.copied_images: list = []
        # what this run puts under the kinds' folders of the output (articles/<key>/…): the
        # attachments copied and the pictures' sizes; anything else there is withdrawn
        self.attachment_files: set[str] = set()
        self.picture_files: set[str] = set()
        self.site_model = None
        self.templates_dir = os.path.join(settings["THEME"], "templates")
        self.translations_dir: str = os.path.abspath(settings["PRESS_TRANSLATIONS"])
        self.tree: ContentTree | None = None

    def check(self, parsed_files: dict | None = None, theme_messages: list | None = None) -> None:
        """Scan ``content/`` and run every check of the tree (the run's first step, ``core.start_build``).

        ``parsed_files``: files parsed before whose stat is unchanged, not read again: the
        previous run's ``tree.parsed`` (the preview) or the previous process's (``CACHE_PATH``,
        ``press.pipeline.carried``, which the run's first step hands over); ``theme_messages``
        likewise, the theme's interface messages an earlier process extracted.
        """
        settings = self.settings
        self.tree = scan_tree(
            self.content_path, self.public_languages + self.preparing, self.problems, parsed_files
        )
        self.checker = ParityChecker(
            self.tree,
            self.problems,
            now=self.now,
            terms=self.terms,
            preparing=self.preparing,
            published=self.languages,
            correction_grace=settings.get("PRESS_CORRECTION_GRACE", 2),
        )
        self.checker.run()
        glossary.check_tree(
            self.tree,
            self.content_path,
            self.public_languages + self.preparing,
            self.problems,
        )
        i18n.check_catalogs(
            self.translations_dir, self.templates_dir, self.languages, self.problems, theme_messages
        )
        intake.check_headers(self.tree, self.problems)
        report_unsafe_text_headers(self.tree, self.problems)
        placeholders.check_tree(self.tree, self.problems)
        intake.report_draft_translations(self.tree, self.problems)
        note_missing_site_names(settings)
        report_edition_placements(self.editions, self.problems)
        self.withhold_attachments()

    def withhold_attachments(self) -> None:
        """A key no version of which is published copies none of its files (their names reveal it)."""
        withheld = {
            (group.kind, group.key)
            for group in self.tree.groups.values()
            if not any(self.publishable(group, version) for version in group.versions.values())
        }
        if withheld:
            self.tree.published_files = {
                path for path in self.tree.published_files if tuple(path.split("/")[:2]) not in withheld
            }

    def check_translations(self, render=None, remembered=None) -> None:
        """``incomplete`` and ``untranslated``, once per run, on the rendered bodies, on every core.

        Called as soon as the render cache holds every body (``render`` is its
        lookup), so nothing is rendered twice; a run that never warmed the
        cache renders here.  A key's findings depend on its own files only:
        ``remembered`` (the preview session) gives back those of keys it has
        seen unchanged, and is told the new ones.
        """
        if self._translations_checked:
            return
        self._translations_checked = True
        if render is None:
            options = markdown_options(self.settings)

            def render(body: str) -> str:
                return render_markdown(options, body)

        started = time.perf_counter()
        groups = [group for group in self.tree.groups.values() if len(group.versions) > 1]
        pending = []
        for group in groups:
            known = remembered.findings(group) if remembered is not None else None
            if known is None:
                pending.append(group)
            else:
                self.problems.add_again(known)

        def compare(group: Group) -> None:
            self.checker.check_fidelity(render, [group])

        for group, (_, found) in zip(pending, self.map_recording_problems(compare, pending), strict=True):
            self.problems.add_again(found)
            if remembered is not None:
                remembered.remember_findings(group, found)
        logger.info(
            "Compared every translation with its original as readers see them in %.2f s (%d keys)",
            time.perf_counter() - started,
            len(pending),
        )

    def map_recording_problems(self, function, items: list) -> list[tuple]:
        """``(function(item), the problems it recorded)`` for each item, on every core.

        In a worker, ``self.problems`` is a forked copy: what a call records there
        comes back with its result.  Nothing is added here; the caller records
        the problems when it uses the result.
        """

        def run(item):
            before = len(self.problems)
            result = function(item)
            return result, self.problems.added_since(before)

        return map_in_workers(run, items, worker_count(self.settings))

    def unpublishable_reason(self, group: Group, version: Version) -> str | None:
        if version.lang not in self.languages:
            return f"{version.lang} is an edition being prepared (PRESS_PREPARING): not in a publishing build"
        if version.path not in self._unpublishable:
            self._unpublishable[version.path] = unpublishable_reason(
                self.tree,
                group,
                version,
                self.now,
                show_drafts=self.show_drafts,
                show_embargoed=self.show_embargoed,
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
            self.tree,
            now=self.now,
            default_lang=self.default_lang,
            publishable=self.publishable,
            languages=self.languages,
            terms=self.terms,
        )

    @per_instance_cache  # cache on the instance: dies with this run
    def translations(self, lang: str) -> gettext.NullTranslations:
        return i18n.load_translations(self.translations_dir, lang)


# The run's Build lives in the run's own settings dict: the one object every
# step of a Pelican run is handed (the reader gets nothing else), created with
# the Pelican instance and dropped with it.  No module global holds a Build.
SETTINGS_KEY = "_press_build"


def begin(settings: dict) -> Build:
    """Start the state of a new run, forgetting the previous one (the run's first step checks it)."""
    current = settings[SETTINGS_KEY] = Build(settings)
    return current


def forget(settings: dict) -> None:
    """Drop the previous run's state (a run that fails before it starts has none)."""
    settings.pop(SETTINGS_KEY, None)


def of(settings: dict) -> Build:
    """The Build of the run these settings belong to."""
    current = settings.get(SETTINGS_KEY)
    if current is None:
        raise RuntimeError("the press plugin is not registered: list it in PLUGINS")
    return current


#: Headers shown as plain text, so that no sanitizer of the pages reads them (contract §3: raw HTML
#: in a caption that runs scripts, embeds frames or loads from another host is still reported).
TEXT_HEADERS = ("caption", "correction-note")


def report_unsafe_text_headers(tree: ContentTree, problems: ProblemCollector) -> None:
    """``unsafe-html`` for HTML in a caption or correction note that may not reach a page."""
    for version, name in ((version, name) for version in tree.versions() for name in TEXT_HEADERS):
        header = version.source.headers.get(name)
        if header is None or "<" not in header.value:
            continue
        for unsafe in unsafe_parts(header.value):
            problems.add_for(
                "unsafe-html",
                version,
                (
                    f"line {header.line}: {unsafe.what} in {header.written or name.title()}: HTML in content "
                    "may format text, but not run scripts, embed frames or load anything from another "
                    "host; it is shown as plain text. Remove it from the header."
                ),
            )
