"""Writes every language's site in one pass over content read once.

Pelican has read each file once (press_reader); this generator renders, per
language, the front page, sections, tags, archive, issues, publications,
articles, pages, search, 404 and an Atom feed.  Cost grows with the pages
written, not with pages times languages.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import logging
import os
from collections import defaultdict
from itertools import groupby
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from feedgenerator import Atom1Feed
from markupsafe import Markup
from pelican.generators import Generator

from press import build
from press.content import newsroom
from press.html.sanitize import plain_text
from press.memo import per_instance_cache
from press.paper import i18n, mirrors, scripts
from press.paper.editions import Entry, IssueEntry
from press.parallel import map_in_workers, worker_count
from press.pipeline import images, pelican_seams, search
from press.pipeline.session import current_session
from press.pipeline.site.incremental import PageFingerprints
from press.pipeline.site.pages import Alternate, PageModel, SitePage, join_site, page_target, relative
from press.pipeline.written import announce_feed_written, announce_written, wants_written_files
from press.settings import localized
from press.translation.parity import version_state

logger = logging.getLogger(__name__)

ASSETS_DIR = "assets"
# Shown, in the edition's own language, by a switcher entry for a missing version;
# base.html uses the same message, so it is in every catalog.
MISSING_VERSION_NOTE = "not translated yet: read the original"


def foreign_attributes(code: str) -> Markup:
    """``lang``, ``dir`` and the script data of an element holding another language's text."""
    attributes = {"lang": code, "dir": i18n.direction(code), **scripts.page_attributes(code)}
    return Markup("".join(f' {name}="{value}"' for name, value in attributes.items()))


class LazyHTML:
    """HTML computed when the template shows it, in the process that renders the page."""

    def __init__(self, function, *args) -> None:
        self.function = function
        self.args = args

    def __html__(self) -> str:
        return self.function(*self.args)

    __str__ = __html__


class PressFeed(Atom1Feed):
    """An Atom feed whose 'updated' never depends on the clock."""

    def __init__(self, *args, fallback_date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fallback_date = fallback_date

    def latest_post_date(self):
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        return max((d for d in dates if d), default=self.fallback_date)


def corrected_on(date, correction):
    """A feed entry's ``updated``: its correction when there is one (the site's clock is UTC)."""
    if correction is None or date is None:
        return date
    if date.tzinfo is not None:
        correction = correction.replace(tzinfo=datetime.UTC)
    return max(date, correction)


class PressSiteGenerator(Generator):
    """One generator for every language's pages."""

    def generate_context(self) -> None:
        self.build = build.of(self.settings)
        self.dates_by_lang: dict[str, scripts.Dates] = {}
        session = current_session()
        if session is not None:
            # The preview's compiled templates, kept between its runs.  Only this generator's:
            # the compiled code of {% trans %} depends on the environment's gettext style, which
            # the bytecode cache's key does not name, and this environment always uses newstyle.
            self.env.bytecode_cache = session.templates
        self.editions = self.build.editions
        self.model = PageModel(
            self.editions, self.settings, self.context["generated_content"], self.build.terms
        )
        self.siteurl = self.settings.get("SITEURL", "") or ""
        self.assets = {}
        self.build.pages = []
        self.fingerprints = PageFingerprints(self.build, self.settings, self.theme, self.output_path)
        # parts of pages that every page of an edition at one depth shows alike (shared_fragment)
        self.fragments: dict[tuple[str, str, str], Markup] = {}

    # -- writing -------------------------------------------------------------

    def generate_output(self, writer) -> None:
        # What the run has read lives until its end: frozen, the collector's passes skip it.
        # Collection is on again (if it was before the run, core.start_build) for what writing
        # makes: the pages' garbage (the templates' cycles) is collected as it is made, in the
        # page workers too, instead of piling up until the run ends.
        gc.freeze()
        if self.build.collecting:
            gc.enable()
        self.write_site()

    def write_site(self) -> None:
        self.write_assets()
        self.make_pictures()
        indexer = search.start_indexing(self.build, self.settings, self.output_path)
        # One language at a time: the pages of one edition are queued, then
        # rendered on every core, and their contexts dropped before the next
        # edition's are made (a build's peak memory holds one edition's, not all).
        # Pagefind indexes each edition as soon as it is written, while the
        # next one is rendered and Pelican copies the attachments.
        try:
            for lang in self.editions.languages:
                self.jobs: list[tuple[str, str, str, dict]] = []
                self.write_edition(lang)
                self.run_jobs()
                self.fingerprints.remove_unwritten(f"{lang}/")  # before Pagefind reads the edition
                # what each edition shows, for whoever derives something from it (the search index)
                self.build.edition_tokens[lang] = self.fingerprints.edition_token(lang)
                if indexer is not None:
                    indexer.queue_edition(lang, self.build.edition_tokens[lang])
        except BaseException:
            if indexer is not None:
                indexer.close(abandon=True)  # stops the running Pagefind; nothing more is indexed
            raise
        if indexer is not None:
            indexer.close()
        self.jobs = []
        self.write_root()
        self.run_jobs()
        self.env.install_null_translations(newstyle=True)
        self.fingerprints.finish()

    def run_jobs(self) -> None:
        """Render and write the queued pages, on every core; then tell other plugins."""
        map_in_workers(self.run_job, self.jobs, worker_count(self.settings))
        self.announce_pages()
        self.jobs = []

    def announce_pages(self) -> None:
        """``content_written`` for every page this build wrote, in the order they were queued."""
        if not wants_written_files():
            return
        for _lang, path, _template, values in self.jobs:
            announce_written(self.output_path, path, {**self.context, **values})

    def run_job(self, job: tuple[str, str, str, dict]) -> None:
        """Render one page (in whichever process runs it) and write it."""
        lang, path, template, values = job
        if getattr(self, "_installed_lang", None) != lang:
            self.env.install_gettext_translations(self.build.translations(lang), newstyle=True)
            self._installed_lang = lang
        html = self.env.get_template(template).render(values)
        self.write_bytes(path, html.encode("utf-8"))

    def write_edition(self, lang: str) -> None:
        self.write_front_pages(lang)
        self.write_sections(lang)
        self.write_tags(lang)
        self.write_archive(lang)
        for entry in self.editions.articles:
            self.write_entry(entry, lang, "article.html")
        for entry in self.editions.pages:
            self.write_entry(entry, lang, "page.html")
        for issue in self.editions.issues:
            self.write_issue(issue, lang)
        self.write_publications(lang)
        self.write_corrections(lang)
        self.write_simple(lang, f"{lang}/search/index.html", "search.html")
        mirrors.write_mirror_page(self, lang)
        latest = self.editions.chronological(lang)[: self.settings["PRESS_LATEST_ON_404"]]
        self.write_simple(
            lang,
            f"{lang}/404.html",
            "404.html",
            absolute_links=True,
            cards=self.model.cards(latest, lang, f"{lang}/404.html"),
        )
        self.write_feed(lang)

    def write_assets(self) -> None:
        """Theme files under assets/, named by their content so they can be cached forever."""
        static = os.path.join(self.theme, "static")
        for folder, _subfolders, files in sorted(os.walk(static)):
            for name in sorted(files):
                source = os.path.join(folder, name)
                relative_name = os.path.relpath(source, static).replace(os.sep, "/")
                with open(source, "rb") as handle:
                    data = handle.read()
                stem, dot, extension = relative_name.rpartition(".")
                digest = hashlib.sha256(data).hexdigest()[:8]
                target = f"{ASSETS_DIR}/{stem}.{digest}.{extension}" if dot else relative_name
                self.assets[relative_name] = target
                if not self.fingerprints.unchanged(target, digest):
                    self.write_bytes(target, data)

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write a page, unless the file holds these bytes already: a page made again the
        same (its key changed, not what it shows) keeps its modification time."""
        full = os.path.join(self.output_path, path)
        try:
            with open(full, "rb") as handle:
                if handle.read() == data:
                    return
        except OSError:
            pass
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(data)

    def needed(self, path: str, lang: str, alternates: list[Alternate], token: str | None = None) -> bool:
        """Record a page of this build; False when the previous build wrote it identically.

        ``token`` names what the page depends on; by default, every key's card.
        """
        self.build.pages.append(
            SitePage(path, lang, {alternate.lang: alternate.target for alternate in alternates})
        )
        # By default a page depends on every key's card (a listing), not on the bodies.
        return not self.fingerprints.unchanged(path, token or self.fingerprints.cards_token)

    def render(
        self,
        path: str,
        template: str,
        lang: str,
        *,
        alternates,
        recorded=False,
        absolute_links=False,
        **context,
    ):
        """Render ``template`` to ``path`` with what every page needs."""
        alternates = list(alternates)
        if not recorded and not self.needed(path, lang, alternates):
            return
        if absolute_links:
            # From the site's root, whatever folder the server shows it at (the 404 page): the
            # path of SITEURL only, never its host, so a mirror's copy loads nothing from the
            # original's host (a request to another host, and a broken page where it is blocked).
            root = urlsplit(self.siteurl).path.rstrip("/") + "/" if self.siteurl else "/"

            def url(target: str) -> str:
                return root + target

        else:

            def url(target: str) -> str:
                return relative(path, target)

        def absolute(target: str) -> str:
            return join_site(self.siteurl, target) if self.siteurl else url(target)

        here = next((a for a in alternates if a.lang == lang), None)
        canonical = absolute(here.target) if here else None
        available = {a.lang: a for a in alternates}
        switcher = self.switcher(lang, available, context.get("original"), context.get("original_lang"))
        x_default = available.get(self.editions.default_lang) or (alternates[0] if alternates else None)
        dates = self.dates(lang)
        values = {
            "lang": lang,
            "dir": i18n.direction(lang),
            "site_name": localized(self.settings["PRESS_SITE_NAME"], lang, self.editions.default_lang),
            "url": url,
            "absolute": absolute,
            "asset": lambda name: url(self.assets.get(name, name)),
            "canonical": canonical,
            "alternates": alternates,
            "x_default": x_default,
            "switcher": switcher,
            "sections": self.model.sections(lang),
            "here": self.nav_place(lang, path),
            "language_name": i18n.language_name,
            "direction": i18n.direction,
            # dates in the edition's first calendar; its others go in brackets (PRESS_CALENDARS)
            "format_date": dates.first,
            "second_date": dates.others,
            "full_date": dates.both,
            "list_separator": scripts.list_separator(lang),
            "script": scripts.page_attributes(lang),
            "foreign": foreign_attributes,
            "today": self.build.now,
            "current_issues": self.model.current_issues(lang),
            "footer_pages": self.model.standalone_pages(lang),
            "publications": self.model.publications(lang),
            "format_number": lambda value: i18n.localize_digits(
                format_decimal(value, locale=i18n.locale_for(lang), group_separator=False), lang
            ),
            "feed": f"{lang}/feed.xml",
            "has_publications": bool(self.editions.issues_of(lang)),
            "page_path": path,
            "preview": lang in self.build.preparing,
            "has_corrections": bool(self.editions.corrected(lang)),
            "shared": self.shared_fragment,
            **context,
        }
        self.jobs.append((lang, path, template, values))

    def shared_fragment(self, name: str, lang: str, base: str, caller) -> Markup:
        """``{% call shared(name, lang, url("")) %}…{% endcall %}``: the masthead and the
        colophon are the same on every page of an edition whose links start with
        ``base``; they are rendered once per run (and process) and reused."""
        key = (name, lang, base)
        html = self.fragments.get(key)
        if html is None:
            html = self.fragments[key] = Markup(caller())
        return html

    def switcher(self, lang: str, available: dict, original, original_lang: str | None) -> list[dict]:
        """The language switcher: each edition's version, or, where a version is
        missing, a note in that language that it is not translated yet and a link
        to the original (never a silent jump to that edition's front page)."""
        choices = []
        for code in self.editions.languages:
            choice = {
                "lang": code,
                "name": i18n.language_name(code),
                "target": available[code].target if code in available else f"{code}/",
                "current": code == lang,
                "available": code in available,
                "note": "",
            }
            if code not in available and original is not None and original_lang:
                choice["target"] = original.url
                choice["target_lang"] = original_lang
                choice["note"] = self.build.translations(code).gettext(MISSING_VERSION_NOTE)
            choices.append(choice)
        return choices

    @per_instance_cache  # cache on the instance: dies with this run
    def navigation_token(self, lang: str) -> str:
        """What every page of a language shows around its content."""
        sections = [(link.key, link.slug, link.name) for link in self.model.sections(lang)]
        around = (self.model.current_issues(lang), self.model.standalone_pages(lang))
        # the footer links the Corrections page once the edition has one
        corrected = bool(self.editions.corrected(lang))
        return repr((lang, sections, bool(self.editions.issues_of(lang)), around, corrected))

    def nav_place(self, lang: str, path: str) -> str:
        """The place in the masthead's nav that ``path`` is in (a section, the archive, search), or ''."""
        return next((place for place in self.nav_places(lang) if path.startswith(place)), "")

    @per_instance_cache  # every page of the edition asks
    def nav_places(self, lang: str) -> tuple[str, ...]:
        places = [section.target for section in self.model.sections(lang)]
        return (*places, f"{lang}/archive/", f"{lang}/search/")

    def dates(self, lang: str) -> scripts.Dates:
        """How ``lang``'s pages write dates (its calendars, its digits): one for the run, which
        remembers each date it wrote (a listing page writes the dates its neighbours wrote)."""
        if lang not in self.dates_by_lang:
            calendars = scripts.calendars_of(lang, self.settings.get("PRESS_CALENDARS"))
            self.dates_by_lang[lang] = scripts.Dates(lang, calendars)
        return self.dates_by_lang[lang]

    def every_language(self, target_for) -> list[Alternate]:
        """The alternates of a page that exists in every language it has content in."""
        alternates = []
        for lang in self.editions.languages:
            target = target_for(lang)
            if target:
                alternates.append(Alternate(lang, target))
        return alternates

    # -- listings -------------------------------------------------------------

    def paginate(self, items: list, size: int) -> list[list]:
        return [items[start : start + size] for start in range(0, len(items), size)] or [[]]

    def write_front_pages(self, lang: str) -> None:
        self.write_listing(
            f"{lang}/",
            "index.html",
            lang,
            self.editions.front_page(lang),
            size=self.settings["PRESS_FRONT_PAGE_SIZE"],
            alternates=self.every_language(lambda code: f"{code}/"),
            **self.front_issue(lang),
        )

    def front_issue(self, lang: str) -> dict:
        """The newest issue of the edition and its contents, promoted on the front page."""
        issues = self.editions.issues_of(lang)
        if not issues:
            return {}
        newest = max(issues, key=lambda issue: (issue.date or datetime.datetime.min, issue.number))
        contents = [entry for entry in (self.editions.article(key) for key in newest.contents) if entry]
        return {
            "front_issue": self.model.card(newest, lang, f"{lang}/index.html"),
            "front_issue_number": newest.number,
            "front_issue_publication": self.model.publication_name(newest.publication, lang),
            "front_issue_contents": self.model.cards(contents, lang, f"{lang}/index.html"),
        }

    def write_listing(
        self, base, template, lang, entries, *, size, alternates, token=None, **context
    ) -> None:
        """Entries over as many pages as it takes: ``base``, ``base/page/2/``, …"""
        chunks = self.paginate(entries, size)
        for number, chunk in enumerate(chunks, start=1):
            path = f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"
            page_alternates = alternates if number == 1 else [Alternate(lang, page_target(path))]
            if not self.needed(path, lang, page_alternates, token):
                continue
            self.render(
                path,
                template,
                lang,
                recorded=True,
                alternates=page_alternates,
                cards=self.listing_cards(chunk, lang, path, front=template == "index.html" and number == 1),
                pagination=self.pagination(base, number, len(chunks)),
                is_front=number == 1,
                **context,
            )

    def listing_cards(self, entries: list[Entry], lang: str, page: str, front: bool) -> list:
        """The cards of a listing at ``page``; on the front page the lead comes with its picture."""
        if not front:
            return self.model.cards(entries, lang, page)
        cards = []
        for entry in entries:
            lead = entry.slot(self.editions.now.date()) == "lead"
            card = self.model.lead_card(entry, lang, page) if lead else self.model.card(entry, lang, page)
            if card:
                cards.append(card)
        return cards

    def pagination(self, base: str, number: int, count: int) -> dict:
        def target(page: int) -> str:
            return base if page == 1 else f"{base}page/{page}/"

        return {
            "number": number,
            "count": count,
            "previous": target(number - 1) if number > 1 else None,
            "next": target(number + 1) if number < count else None,
        }

    def write_sections(self, lang: str) -> None:
        front_page = self.editions.front_page(lang)
        for section in self.model.sections(lang):
            entries = [entry for entry in front_page if entry.category == section.key]

            def exists_in(code: str, key: str = section.key) -> str | None:
                links = {link.key: link.target for link in self.model.sections(code)}
                return links.get(key)

            alternates = self.every_language(exists_in)
            token = self.fingerprints.cards_listing_token(
                [entry.group for entry in entries],
                self.navigation_token(lang) + repr([a.lang for a in alternates]),
            )
            self.write_listing(
                section.target,
                "section.html",
                lang,
                entries,
                size=self.settings["PRESS_LISTING_PAGE_SIZE"],
                alternates=alternates,
                token=token,
                section=section,
            )

    @per_instance_cache  # cache on the instance: dies with this run
    def tags_in(self, lang: str) -> frozenset[str]:
        """The tags (keys) of the articles in an edition."""
        return frozenset(tag for entry in self.editions.chronological(lang) for tag in entry.tags)

    def write_tags(self, lang: str) -> None:
        tagged: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.editions.chronological(lang):
            for tag in entry.tags:
                tagged[tag].append(entry)
        for tag, entries in sorted(tagged.items()):
            path = f"{self.model.tag_target(tag, lang)}index.html"

            def exists_in(code: str, key: str = tag) -> str | None:
                return self.model.tag_target(key, code) if key in self.tags_in(code) else None

            alternates = self.every_language(exists_in)
            token = self.fingerprints.cards_listing_token(
                [entry.group for entry in entries],
                self.navigation_token(lang) + repr([a.lang for a in alternates]),
            )
            if not self.needed(path, lang, alternates, token):
                continue
            self.render(
                path,
                "tag.html",
                lang,
                recorded=True,
                alternates=alternates,
                tag=self.model.tag_name(tag, lang),
                cards=self.model.cards(entries, lang, path),
            )

    def write_archive(self, lang: str) -> None:
        path = f"{lang}/archive/index.html"
        alternates = self.every_language(lambda code: f"{code}/archive/")
        if not self.needed(path, lang, alternates):
            return  # before its cards are made: every entry of the edition is one
        cards = self.model.cards(self.editions.chronological(lang), lang, path)
        # grouped by year and month of the edition's first calendar (Solar Hijri in Persian)
        dates = self.dates(lang)
        years = []
        for year, in_year in groupby(cards, key=lambda card: dates.period(card.date)[0]):
            months = [
                (dates.month_name(*period), list(items))
                for period, items in groupby(in_year, key=lambda card: dates.period(card.date))
            ]
            years.append((year, months))
        self.render(
            path,
            "archive.html",
            lang,
            recorded=True,
            alternates=alternates,
            years=years,
            issues=self.editions.issues_of(lang),
            issue_cards=self.model.cards(self.editions.issues_of(lang), lang, path),
        )

    # -- single pieces of content ---------------------------------------------

    def content_values(self, entry: Entry, lang: str, content, path: str) -> dict:
        """What every page of one piece of content shows besides its own parts."""
        original = entry.group.original
        version = entry.published.get(lang)
        # a translation that lags behind a correction, within PRESS_CORRECTION_GRACE: a notice, not "stale"
        pending = (
            newsroom.correction_grace(
                entry.group,
                version,
                self.editions.languages,
                self.build.now,
                self.settings.get("PRESS_CORRECTION_GRACE", 2),
            )
            if version is not None
            else None
        )
        note = (version.source.value("correction-note") or "").strip() if version else ""
        return {
            "item": content,
            "body": LazyHTML(pelican_seams.resolved_content, content, relative(path, "").rstrip("/") or "."),
            "other_versions": [a for a in self.model.versions(entry) if a.lang != lang],
            "stale": version_state(entry.group, lang) == "stale" and pending is None,
            "original": self.model.content(original) if original else None,
            "original_lang": original.lang if original else None,
            "embargoed_until": entry.embargo,
            "correction": entry.correction if note and pending is None else None,
            "correction_note": note,
            "correction_pending": pending,
            "picture": self.model.picture(entry, version),
            "picture_caption": plain_text((version.source.value("caption") or "").strip()) if version else "",
        }

    def make_pictures(self) -> None:
        """Each published entry's ``Image`` in the widths its pages show (an unreadable one: unsafe-file)."""
        for entry in (*self.editions.articles, *self.editions.pages):
            if not entry.image:
                continue
            attachments = self.build.tree.attachments.get((entry.kind, entry.key), [])
            if newsroom.image_problem(entry.image, attachments) is not None:
                continue  # reported by the parity checks
            site_path = f"{entry.kind}/{entry.key}/{entry.image}"
            if site_path not in self.build.tree.published_files:
                continue  # rejected by the scan, reported there
            source = os.path.join(self.build.content_path, site_path)
            try:
                sizes = images.picture_sizes(source, site_path, self.output_path, self.picture_cache())
            except (images.ImageError, *images.UNREADABLE) as error:
                version = entry.group.source_of_truth(self.editions.languages)
                self.build.problems.add(
                    "unsafe-file",
                    key=entry.key,
                    lang="",
                    path=site_path,
                    message=(
                        f"{site_path} cannot be read as a picture ({error}), so "
                        f"{version.path if version else 'the article'} shows none: save it again as a "
                        "plain JPEG or PNG."
                    ),
                )
                continue
            self.model.pictures[(entry.kind, entry.key)] = sizes
            self.build.picture_files.update(target for target, _width in (*sizes.srcset, *sizes.webp))

    def picture_cache(self) -> str | None:
        """Where the sizes of pictures are kept between builds (under CACHE_PATH)."""
        cache = self.settings.get("CACHE_PATH")
        return os.path.join(cache, "press-pictures") if cache else None

    def write_corrections(self, lang: str) -> None:
        """The edition's corrections, the latest first: each article, its date and its note."""
        entries = self.editions.corrected(lang)
        if not entries:
            return
        path = f"{lang}/corrections/index.html"
        corrections = []
        for entry in entries:
            card = self.model.card(entry, lang, path)
            version = entry.shown_in(lang, self.editions.languages, self.editions.default_lang)
            if card is None or version is None:
                continue
            note = (version.source.value("correction-note") or "").strip()
            corrections.append((card, entry.correction, note))

        def exists_in(code: str) -> str | None:
            return f"{code}/corrections/" if self.editions.corrected(code) else None

        self.render(
            path,
            "corrections.html",
            lang,
            alternates=self.every_language(exists_in),
            corrections=corrections,
        )

    def write_entry(self, entry: Entry, lang: str, template: str) -> None:
        content = self.model.content(entry.published.get(lang))
        if content is None:
            return
        path = f"{content.url}index.html"
        token = self.fingerprints.entry_token(
            entry.group,
            self.navigation_token(lang),
            (issue.group for issue in self.editions.issues_carrying(entry.key)),
        )
        alternates = self.model.versions(entry)
        needed = self.needed(path, lang, alternates, token)
        # the sitemap's lastmod: the date, or the correction when there is one
        self.build.pages[-1].lastmod = max(filter(None, (entry.date, entry.correction)), default=None)
        if not needed:
            return
        self.render(
            path,
            template,
            lang,
            alternates=alternates,
            recorded=True,
            **self.content_values(entry, lang, content, path),
            entry=entry,
            section=self.model.section_link(entry.category, lang),
            tags=[(self.model.tag_name(tag, lang), self.model.tag_target(tag, lang)) for tag in entry.tags],
            issued=self.model.issued_in(entry, lang),
            share=getattr(content, "share", "") or plain_text(getattr(content, "summary", "")),
        )

    def write_issue(self, issue: IssueEntry, lang: str) -> None:
        content = self.model.content(issue.published.get(lang))
        if content is None:
            return
        path = f"{content.url}index.html"
        toc = [entry for entry in (self.editions.article(key) for key in issue.contents) if entry]
        alternates = self.model.versions(issue)
        older, newer = self.model.issue_neighbours(issue, lang)
        token = self.fingerprints.listing_token(
            [issue.group, *(entry.group for entry in toc), *(n.group for n in (older, newer) if n)],
            self.navigation_token(lang),
        )
        if not self.needed(path, lang, alternates, token):
            return
        self.render(
            path,
            "issue.html",
            lang,
            recorded=True,
            alternates=alternates,
            **self.content_values(issue, lang, content, path),
            issue=issue,
            publication_name=self.model.publication_name(issue.publication, lang),
            publication_target=self.model.publication_target(issue, lang),
            cards=self.model.cards(toc, lang, path),
            previous_issue=self.model.card(older, lang, path) if older else None,
            next_issue=self.model.card(newer, lang, path) if newer else None,
        )

    def write_publications(self, lang: str) -> None:
        publications = sorted({issue.publication for issue in self.editions.issues_of(lang)})
        for publication in publications:
            issues = self.editions.issues_of(lang, publication)
            path = f"{lang}/publications/{publication}/index.html"

            def exists_in(code: str, name: str = publication) -> str | None:
                return f"{code}/publications/{name}/" if self.editions.issues_of(code, name) else None

            self.render(
                path,
                "publication.html",
                lang,
                alternates=self.every_language(exists_in),
                publication_name=self.model.publication_name(publication, lang),
                issues=list(zip(issues, self.model.cards(issues, lang, path), strict=False)),
            )

    def write_simple(
        self, lang: str, path: str, template: str, absolute_links: bool = False, **context
    ) -> None:
        suffix = path[len(lang) + 1 :]
        self.render(
            path,
            template,
            lang,
            alternates=self.every_language(lambda code: page_target(f"{code}/{suffix}")),
            absolute_links=absolute_links,
            **context,
        )

    def write_root(self) -> None:
        default = self.editions.default_lang
        self.render(
            "index.html",
            "root.html",
            default,
            alternates=self.every_language(lambda code: f"{code}/"),
            target=f"{default}/",
        )

    # -- feeds ----------------------------------------------------------------

    def write_feed(self, lang: str) -> None:
        """An Atom feed of the language's own versions, newest first: never by placement."""
        path = f"{lang}/feed.xml"
        entries = [entry for entry in self.editions.chronological(lang) if lang in entry.published][
            : self.settings["PRESS_FEED_SIZE"]
        ]
        # the entries it holds, not every key: an edit to an older article leaves it alone;
        # an empty feed is dated by the build's clock
        token = self.fingerprints.feed_token(
            [entry.group for entry in entries],
            self.navigation_token(lang) + ("" if entries else self.build.now.isoformat()),
        )
        if self.fingerprints.unchanged(path, token):
            return
        site_name = localized(self.settings["PRESS_SITE_NAME"], lang, self.editions.default_lang)
        base = join_site(self.siteurl, "") if self.siteurl else ""

        def link(target: str) -> str:
            return join_site(self.siteurl, target) if self.siteurl else relative(path, target)

        feed = PressFeed(
            fallback_date=self.build.now.replace(tzinfo=datetime.UTC),
            title=site_name,
            link=link(f"{lang}/"),
            feed_url=link(path),
            description="",
            language=lang,
            feed_guid=f"urn:press:{lang}:feed",
        )
        for entry in entries:
            content = self.model.content(entry.published[lang])
            root = base.rstrip("/") if base else relative(path, "").rstrip("/") or "."
            feed.add_item(
                title=Markup(content.title).striptags(),
                link=link(content.url),
                unique_id=f"urn:press:{lang}:{entry.key}",
                description=plain_text(getattr(content, "summary", None) or "") or None,
                content=pelican_seams.resolved_content(content, root),
                categories=[self.model.section_name(entry.category, lang)] if entry.category else None,
                pubdate=content.date,
                updateddate=corrected_on(content.date, entry.correction),
            )
        self.write_bytes(path, feed.writeString("utf-8").encode("utf-8"))
        announce_feed_written(self.output_path, path, {**self.context, "lang": lang}, feed)
