"""What a page of the site shows: cards for listings, links between versions.

Plain data built from the editions and Pelican's content objects, handed to
the theme's templates; the templates only lay it out.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from pelican.urlwrappers import Category, Tag

from press import i18n
from press.editions import Editions, Entry, IssueEntry
from press.memo import per_instance_cache
from press.settings import localized


def relative(from_path: str, target: str) -> str:
    """A link from the page written at ``from_path`` to the site path ``target``."""
    depth = from_path.count("/")
    link = "../" * depth + target
    return link or "./"


def page_target(path: str) -> str:
    """The link target of an output file: ``en/key/index.html`` -> ``en/key/``."""
    return path[: -len("index.html")] if posixpath.basename(path) == "index.html" else path


@dataclass
class Alternate:
    """The same content in another language."""

    lang: str
    target: str
    title: str = ""

    @property
    def name(self) -> str:
        return i18n.language_name(self.lang)


@dataclass
class Card:
    """An entry as a listing shows it in one edition."""

    key: str
    title: str
    summary: str
    target: str
    lang: str  # the language of the version shown
    marked: bool  # shown in another language than the edition's
    date: object
    section: SectionLink | None
    slot: str | None = None
    draft: bool = False  # Status: draft, shown only by a development build


@dataclass(frozen=True)
class SectionLink:
    slug: str
    name: str
    target: str


@dataclass
class Issued:
    """'Published in: The Communist Left No. 55'."""

    publication: str
    number: int
    target: str


@dataclass
class SitePage:
    """A written page, for the sitemap, the search index and the checks."""

    path: str
    lang: str
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> target


class PageModel:
    """Builds cards and links for one build's editions."""

    def __init__(self, editions: Editions, settings: dict, contents: dict) -> None:
        self.editions = editions
        self.settings = settings
        self.contents = contents  # source path -> Pelican content
        self.languages = editions.languages
        self.default_lang = editions.default_lang

    def content(self, version):
        return self.contents.get(version.path) if version else None

    @per_instance_cache  # cache on the instance: dies with this run
    def section_slug(self, name: str) -> str:
        return Category(name, self.settings).slug

    @per_instance_cache  # cache on the instance: dies with this run
    def tag_slug(self, name: str) -> str:
        return Tag(name, self.settings).slug

    def section_name(self, slug: str, fallback: str, lang: str) -> str:
        names = self.settings["PRESS_SECTIONS"].get(slug)
        return localized(names, lang, self.default_lang) if names else fallback

    def section_link(self, category: str | None, lang: str) -> SectionLink | None:
        if not category:
            return None
        slug = self.section_slug(category)
        return SectionLink(slug, self.section_name(slug, category, lang), f"{lang}/section/{slug}/")

    @per_instance_cache  # cache on the instance: dies with this run
    def sections(self, lang: str) -> list[SectionLink]:
        names = sorted(
            {
                entry.category
                for entry in self.editions.in_edition(self.editions.articles, lang)
                if entry.category
            }
        )
        links = [self.section_link(name, lang) for name in names]
        return sorted(links, key=lambda link: link.name.lower())

    def publication_name(self, publication: str, lang: str) -> str:
        names = self.settings["PRESS_PUBLICATIONS"].get(publication)
        return localized(names, lang, self.default_lang) if names else publication

    def card(self, entry: Entry, lang: str) -> Card | None:
        version = entry.shown_in(lang, self.languages, self.default_lang)
        content = self.content(version)
        if content is None:
            return None
        return Card(
            key=entry.key,
            title=content.title,
            summary=getattr(content, "summary", "") or "",
            target=content.url,
            lang=version.lang,
            marked=version.lang != lang,
            date=entry.date,
            section=self.section_link(entry.category, lang),
            slot=entry.ranked().slot(self.editions.now.date()) if entry.kind == "articles" else None,
            draft=bool(getattr(content, "press_draft", "")),
        )

    def cards(self, entries: list[Entry], lang: str) -> list[Card]:
        return [card for card in (self.card(entry, lang) for entry in entries) if card]

    def versions(self, entry: Entry) -> list[Alternate]:
        """Every published version of an entry, in the order of LANGUAGES."""
        alternates = []
        for lang in self.languages:
            content = self.content(entry.published.get(lang))
            if content is not None:
                alternates.append(Alternate(lang, content.url, content.title))
        return alternates

    def issued_in(self, entry: Entry, lang: str) -> list[Issued]:
        issued = []
        for issue in self.editions.issues_carrying(entry.key):
            version = issue.shown_in(lang, self.languages, self.default_lang)
            content = self.content(version)
            if content is None:
                continue
            issued.append(Issued(self.publication_name(issue.publication, lang), issue.number, content.url))
        return issued

    def publication_target(self, issue: IssueEntry, lang: str) -> str:
        return f"{lang}/publications/{issue.publication}/"


def join_site(siteurl: str, target: str) -> str:
    return posixpath.join(siteurl.rstrip("/") + "/", target) if siteurl else target
