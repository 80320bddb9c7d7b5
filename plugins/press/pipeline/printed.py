"""The editions beyond the web: per issue and language a PDF, a booklet, an EPUB; per language a zip.

Made after the site is written (``finalized``), by every build but the preview
(``PRESS_EDITIONS = True`` in both settings files; ``--autoreload`` turns it off,
see ``core.apply_settings``) and on demand (``invoke editions``).  Files::

    <lang>/issues/<key>/<key>-<lang>.pdf     the print edition
    <lang>/issues/<key>/<key>-<lang>-booklet.pdf   the same, A5 pages imposed on A4 sheets to fold
    <lang>/issues/<key>/<key>-<lang>.epub    the e-book edition
    offline/<lang>.zip                       the language's site, readable from disk

Incremental: each edition's fingerprint is the document it sets (every
article's title, standfirst, text and images, the issue's own text, the
labels) plus the settings and the code that set it; an edition whose
fingerprint is in the cache (``CACHE_PATH/press-editions/``) is copied from
there instead of being set again.

What keeps an edition from being right is a problem of kind ``edition`` in the
report, naming the file and the fix: an image that cannot be read (left out),
a font that lacks the language's letters (no PDF is written rather than one
with empty boxes).  An article of the issue with no version in the language is
printed in the one the web shows, marked with its language; that it lacks one
is the build's ``missing`` problem, not a second one.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from press import build
from press.content import newsroom
from press.files import PACKAGE_FOLDER, hash_files
from press.paper import i18n, scripts
from press.pipeline import pelican_seams
from press.pipeline.carried import writable_cache_folder
from press.printed.edition_fonts import coverage_problem, font_families
from press.printed.issue_document import (
    SITE_ROOT,
    EditionArticle,
    EditionInputError,
    FragmentPreparer,
    IssueDocument,
    counter_style,
    letters,
    plain_text,
)
from press.settings import localized

logger = logging.getLogger(__name__)

CACHE_FOLDER = "press-editions"
OFFLINE_FOLDER = "offline"
# The code that sets an edition: a change to any of it sets every edition again.


def issue_files(lang: str, key: str) -> dict[str, str]:
    """Site paths of an issue's PDF, booklet PDF and EPUB in ``lang``."""
    folder = f"{lang}/issues/{key}/"
    return {
        "pdf": f"{folder}{key}-{lang}.pdf",
        "booklet": f"{folder}{key}-{lang}-booklet.pdf",
        "epub": f"{folder}{key}-{lang}.epub",
    }


def add_template_globals(pelican) -> None:
    """``issue_editions(lang, key)`` for issue.html: the files' paths, or None when none are made."""
    settings = pelican.settings
    enabled = bool(settings.get("PRESS_EDITIONS"))

    def issue_editions(lang: str, key: str) -> dict[str, str] | None:
        return issue_files(lang, key) if enabled and printing_ready(settings) else None

    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "issue_editions": issue_editions}


def remember_site_model(generators) -> None:
    """Keep the press generator's page model for :func:`write_editions` (``all_generators_finalized``)."""
    for generator in generators:
        model = getattr(generator, "model", None)
        if model is not None and hasattr(model, "content"):
            build.of(generator.settings).site_model = model


def printing_ready(settings: dict) -> bool:
    """Whether this build's editions can be set on this machine (asked once per build, when the
    first issue page is written, so a site without issues never loads WeasyPrint).

    WeasyPrint needs Pango, a system library: on a machine without it a development build makes
    no editions and says so in the log (the site is still written, its issue pages link none); a
    publishing build reports an ``edition`` problem, which fails it.
    """
    current = build.of(settings)
    if current.printing_unavailable is None:
        current.printing_unavailable = printing_unavailable() or ""
        if current.printing_unavailable and current.publishing:
            current.problems.add("edition", key="*", lang="*", path="", message=current.printing_unavailable)
        elif current.printing_unavailable:
            logger.warning("No print editions in this build: %s", current.printing_unavailable)
    return not current.printing_unavailable


def printing_unavailable() -> str:
    """Why WeasyPrint cannot run here ("" when it can)."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (ImportError, OSError) as error:
        return (
            f"the print and e-book editions need WeasyPrint and Pango, which cannot be loaded here "
            f"({error}): install Pango (Debian: apt install libpango-1.0-0 libpangoft2-1.0-0) "
            "and the Noto fonts (fonts-noto-core, fonts-noto-cjk)"
        )
    return ""


def write_editions(pelican) -> None:
    """Every issue's PDF and EPUB in every language, then each language's offline copy."""
    settings = pelican.settings
    if not settings.get("PRESS_EDITIONS"):
        return
    current = build.of(settings)
    model = current.site_model
    if model is None:
        return
    output = Path(pelican.output_path).resolve()
    maker = EditionMaker(current, model, settings, output)
    started = time.monotonic()
    for lang in current.editions.languages:
        issues = current.editions.issues_of(lang)
        if issues and printing_ready(settings):  # the offline copies need no WeasyPrint
            for issue in issues:
                maker.make_issue(issue, lang)
    from press.printed.offline_copy import write_offline_copies

    maker.used |= write_offline_copies(current, settings, output, maker.translations, maker.cache)
    maker.finish()
    logger.info(
        "Editions: %d made, %d from the cache, in %.1f s",
        maker.made,
        maker.reused,
        time.monotonic() - started,
    )


class EditionMaker:
    """Sets the editions of one build, reusing those whose fingerprint did not change."""

    def __init__(self, current: build.Build, model, settings: dict, output: Path) -> None:
        self.build = current
        self.model = model
        self.settings = settings
        self.output = output
        self.site_url = settings.get("SITEURL") or ""
        self.cache = Path(settings.get("CACHE_PATH") or "cache").resolve() / CACHE_FOLDER
        self.scratch = None
        if not writable_cache_folder(current, str(self.cache)):
            # the editions are still made, in a folder of this run's own: the next build makes them again
            self.scratch = tempfile.TemporaryDirectory(prefix="press-editions-")
            self.cache = Path(self.scratch.name)
        self.used: set[str] = set()
        self.made = 0
        self.reused = 0
        self.timings: list[tuple[str, str, float]] = []
        # the editions' own code (press/printed/): a new version makes every edition again
        self.code_digest = hash_files([os.path.join(PACKAGE_FOLDER, "printed")], (".py",))

    def translations(self, lang: str):
        return self.build.translations(lang)

    def problem(self, path: str, key: str, lang: str, message: str) -> None:
        # A picture that cannot be read is reported once: by the web build (unsafe-file) or by
        # the first edition that meets it, not again in every language.
        if not path.endswith(".md") and any(problem.path == path for problem in self.build.problems):
            return
        self.build.problems.add("edition", key=key, lang=lang, path=path, message=message)

    # -- one issue in one language -----------------------------------------------

    def make_issue(self, issue, lang: str) -> None:
        started = time.monotonic()
        version = issue.published.get(lang)
        content = self.model.content(version)
        if content is None:
            return
        try:
            document = self.document(issue, lang, version, content)
        except EditionInputError as error:
            self.problem(
                error.path,
                issue.key,
                lang,
                f"the print and e-book editions of {version.path} in {lang} were not made: {error}",
            )
            return
        families = font_families(lang, self.settings.get("PRESS_EDITION_FONTS"))
        page_size = self.settings.get("PRESS_EDITION_PAGE_SIZE", "A4")
        from press.printed.print_edition import edition_html

        fingerprint = hashlib.sha256(
            "\0".join(
                [
                    self.code_digest,
                    page_size,
                    repr(families),
                    edition_html(document, page_size=page_size, families=families),
                ]
            ).encode("utf-8")
        ).hexdigest()
        files = issue_files(lang, issue.key)
        cached_pdf = self.cache / f"{fingerprint}.pdf"
        cached_booklet = self.cache / f"{fingerprint}-booklet.pdf"
        cached_epub = self.cache / f"{fingerprint}.epub"
        self.used.update({cached_pdf.name, cached_booklet.name, cached_epub.name})
        if cached_pdf.exists() and cached_booklet.exists() and cached_epub.exists():
            self.copy(cached_pdf, files["pdf"])
            self.copy(cached_booklet, files["booklet"])
            self.copy(cached_epub, files["epub"])
            self.reused += 1
            return
        reason = coverage_problem(letters(document.all_text()), families)
        if reason:
            self.problem(
                version.path,
                issue.key,
                lang,
                f"the print edition of {version.path} in {lang} was not made: {reason}",
            )
            self.remove(files["pdf"])
            self.remove(files["booklet"])
        else:
            from press.printed.print_edition import render_booklet, render_pdf

            self.store(render_pdf(document, page_size=page_size, families=families), cached_pdf, files["pdf"])
            printed = time.monotonic()
            self.store(render_booklet(document, families=families), cached_booklet, files["booklet"])
            logger.debug(
                "Edition %s (%s): PDF in %.1f s, booklet in %.1f s",
                issue.key,
                lang,
                printed - started,
                time.monotonic() - printed,
            )
        from press.printed.epub_edition import epub_bytes

        self.store(epub_bytes(document), cached_epub, files["epub"])
        self.made += 1
        self.timings.append((issue.key, lang, time.monotonic() - started))
        logger.info("Edition %s (%s) made in %.1f s", issue.key, lang, time.monotonic() - started)

    def document(self, issue, lang: str, version, content) -> IssueDocument:
        translations = self.translations(lang)
        locale = i18n.locale_for(lang)
        publication = self.model.publication_name(issue.publication, lang)
        number = i18n.localize_digits(
            format_decimal(issue.number, locale=locale, group_separator=False), lang
        )
        number_label = translations.gettext("%(name)s No. %(number)s") % {
            "name": publication,
            "number": number,
        }
        date = issue.date or self.build.now
        date_label = edition_date_label(date, lang, self.settings)
        images: dict = {}
        preparer = FragmentPreparer(self.output, self.site_url, images, Path(self.build.content_path))
        articles = []
        for key in issue.contents:
            entry = self.build.editions.article(key)
            if entry is None or lang not in entry.editions:
                continue
            shown = entry.shown_in(lang, self.build.editions.languages, self.build.editions.default_lang)
            shown_content = self.model.content(shown)
            if shown_content is None:
                continue
            # An article without a version in ``lang`` is printed in the one shown on the web,
            # marked with its language; that it lacks one is the build's ``missing`` problem.
            printed = self.article(key, shown, shown_content, preparer)
            printed.picture = self.picture(entry, shown, preparer)
            if shown.lang != lang:
                printed.language_note = i18n.language_name(shown.lang, lang)
            articles.append(printed)
        return IssueDocument(
            key=issue.key,
            lang=lang,
            direction=i18n.direction(lang),
            site_name=localized(self.settings["PRESS_SITE_NAME"], lang, self.build.default_lang),
            publication=publication,
            number_label=number_label,
            date_label=date_label,
            title=content.title,
            intro=self.body(content, version.path, preparer),
            articles=articles,
            contents_label=translations.gettext("In this issue"),
            script=scripts.script_family(lang),
            labels={
                "continued_on": translations.gettext("Continued on page %(page)s"),
                "continued_from": translations.gettext("Continued from page %(page)s"),
                "notes": translations.gettext("Notes"),
                "house_notice": translations.gettext("Read it, then pass it on."),
            },
            date=edition_date(date),
            numerals=counter_style(locale.default_numbering_system),
            site_url=self.site_url,
            images=images,
            source_path=version.path,
        )

    def article(self, key: str, version, content, preparer: FragmentPreparer) -> EditionArticle:
        return EditionArticle(
            key=key,
            lang=version.lang,
            title=content.title,
            # Text only: an automatic summary holds the body's markup and pictures.
            standfirst=plain_text(getattr(content, "summary", "") or ""),
            body=self.body(content, version.path, preparer),
            source_path=version.path,
            direction=i18n.direction(version.lang),
            caption=plain_text(version.source.value("caption") or ""),
        )

    def picture(self, entry, version, preparer: FragmentPreparer):
        """The article's picture (its ``Image`` header, a file of its folder), or None."""
        name = (getattr(entry, "image", None) or "").strip()
        if not name:
            return None
        if "/" in name or "\\" in name or name.startswith("."):  # a file of the folder, nothing else
            # a path out of the folder is the build's unsafe-file already (newsroom): said once
            if newsroom.image_problem(name, [name]) is None:
                self.problem(
                    version.path,
                    entry.key,
                    version.lang,
                    f"the Image header of {version.path} names {name!r}, which is not a file of the "
                    "article's folder: give the name of a picture beside the article (Image: photo.jpg)",
                )
            return None
        site_path = f"articles/{entry.key}/{name}"
        try:
            return preparer.load_image(site_path, version.path)
        except EditionInputError as error:
            self.problem(
                error.path, entry.key, version.lang, f"{error}; the editions leave it out until then"
            )
            return None

    def body(self, content, source_path: str, preparer: FragmentPreparer):
        try:
            return preparer.prepare(pelican_seams.resolved_content(content, SITE_ROOT), source_path)
        except EditionInputError as error:
            self.problem(
                error.path,
                content.metadata.get("press_key", ""),
                content.lang,
                f"{error}; the editions leave it out until then",
            )
            text = pelican_seams.resolved_content(content, SITE_ROOT)
            return preparer.prepare(_without_images(text), source_path)

    # -- files -------------------------------------------------------------------

    def store(self, data: bytes, cached: Path, site_path: str) -> None:
        temporary = cached.with_suffix(cached.suffix + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, cached)
        self.copy(cached, site_path)

    def copy(self, cached: Path, site_path: str) -> None:
        target = self.output / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)

    def remove(self, site_path: str) -> None:
        (self.output / site_path).unlink(missing_ok=True)

    def finish(self) -> None:
        """Forget cached editions no issue of this build uses."""
        if self.scratch is not None:
            self.scratch.cleanup()
            return
        for path in self.cache.iterdir():
            if path.name not in self.used and path.suffix in {".pdf", ".epub", ".zip"}:
                path.unlink(missing_ok=True)


def edition_date_label(date: datetime.datetime, lang: str, settings: dict) -> str:
    """The issue's date in the language's calendars, the one its readers live by first
    (Solar Hijri, then the Gregorian in brackets, in Persian)."""
    if hasattr(scripts, "Dates") and hasattr(scripts, "calendars_of"):  # PRESS_CALENDARS honoured
        return scripts.Dates(lang, scripts.calendars_of(lang, settings.get("PRESS_CALENDARS"))).both(date)
    gregorian = i18n.localize_digits(format_date(date, "long", locale=i18n.locale_for(lang)), lang)
    if lang.split("-")[0].split("_")[0] == "fa":
        return f"{scripts.solar_hijri_date(date)} ({gregorian})"
    return gregorian


def edition_date(issue_date: datetime.datetime) -> datetime.datetime:
    """The instant an edition is dated: SOURCE_DATE_EPOCH when set, else the issue's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).replace(tzinfo=None)
    return (
        issue_date.replace(tzinfo=None) if issue_date.tzinfo is None else issue_date.astimezone(datetime.UTC)
    )


def _without_images(html: str) -> str:
    import re

    return re.sub(r"<img\b[^>]*>", "", html)
