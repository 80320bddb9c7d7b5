"""What a page of the site shows: cards for listings, links between versions.

Plain data built from the editions and Pelican's content objects, handed to
the theme's templates; the templates only lay it out.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field

from press.content.terms import Term, Terms
from press.html.anchors import listing_fragment
from press.html.plaintext import as_html, summary_from_body
from press.html.sanitize import plain_text
from press.memo import per_instance_cache
from press.paper import i18n
from press.paper.editions import Editions, Entry, IssueEntry
from press.pipeline import pelican_seams


def relative(from_path: str, target: str) -> str:
    """A link from the page written at ``from_path`` to the site path ``target``."""
    depth = from_path.count("/")
    link = "../" * depth + target
    return link or "./"


def page_target(path: str) -> str:
    """The link target of an output file: ``en/key/index.html`` -> ``en/key/``."""
    # posixpath.basename(path) == "index.html", without splitting (every page's record asks)
    is_index = path == "index.html" or path.endswith("/index.html")
    return path[: -len("index.html")] if is_index else path


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
    kind: str = "articles"
    image: Picture | None = None  # the lead's picture, on the front page
    embargo: object = None  # the instant of an embargo still to come (development builds only)


@dataclass(frozen=True)
class Picture:
    """The article's picture (``Image``, else the first image of its text): ``target`` is a site path."""

    target: str
    alt: str
    # made by press.pipeline.images.picture_sizes for an Image: (site path, width) of each size
    srcset: tuple[tuple[str, int], ...] = ()
    webp: tuple[tuple[str, int], ...] = ()
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class NavLink:
    """A link in the masthead or the footer, in the version an edition shows."""

    name: str
    target: str
    lang: str  # the language of ``name``
    number: int | None = None


@dataclass(frozen=True)
class SectionLink:
    slug: str  # in the edition's language
    name: str
    target: str
    key: str = ""  # the section's key in terms.toml


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
    lastmod: object = None  # a datetime: when the content last changed (its date, or its correction)


class PageModel:
    """Builds cards and links for one build's editions."""

    def __init__(
        self, editions: Editions, settings: dict, contents: dict, terms: Terms | None = None
    ) -> None:
        self.editions = editions
        self.terms = terms
        self._summaries: dict[tuple[str, str], str] = {}
        self._alternates: dict[tuple[str, str], tuple[Alternate, ...]] = {}
        self.settings = settings
        self.contents = contents  # source path -> Pelican content
        self.languages = editions.languages
        self.default_lang = editions.default_lang
        # (kind, key) -> the sizes of its Image (press.pipeline.images.PictureSizes), set by the generator
        self.pictures: dict = {}

    def content(self, version):
        return self.contents.get(version.path) if version else None

    def term(self, kind: str, key: str) -> Term:
        """A section, tag or publication by key; one terms.toml lacks (reported) shows its key."""
        found = self.terms.of(kind).get(key) if self.terms is not None else None
        return found or Term(kind, key, {})

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def section_slug(self, key: str, lang: str) -> str:
        return self.term("sections", key).slug(lang, self.default_lang)

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def tag_slug(self, key: str, lang: str) -> str:
        return self.term("tags", key).slug(lang, self.default_lang)

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def tag_name(self, key: str, lang: str) -> str:
        return self.term("tags", key).name(lang, self.default_lang)

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def tag_target(self, key: str, lang: str) -> str:
        return f"{lang}/tag/{self.tag_slug(key, lang)}/"

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def section_name(self, key: str, lang: str) -> str:
        return self.term("sections", key).name(lang, self.default_lang)

    @per_instance_cache  # every card and page asks (slugify is slow): once a run
    def section_link(self, category: str | None, lang: str) -> SectionLink | None:
        """``category`` is a section's key (editions resolve what the original wrote)."""
        if not category:
            return None
        slug = self.section_slug(category, lang)
        return SectionLink(slug, self.section_name(category, lang), f"{lang}/section/{slug}/", category)

    @per_instance_cache  # cache on the instance: dies with this run
    def sections(self, lang: str) -> list[SectionLink]:
        """The sections with articles in ``lang``'s edition, in the order terms.toml lists them."""
        used = {
            entry.category
            for entry in self.editions.in_edition(self.editions.articles, lang)
            if entry.category
        }
        order = list(self.terms.sections) if self.terms is not None else []
        keys = [key for key in order if key in used] + sorted(used - set(order))
        return [self.section_link(key, lang) for key in keys]

    def publication_name(self, publication: str, lang: str) -> str:
        return self.term("publications", publication).name(lang, self.default_lang)

    def listing_summary(self, content, page: str) -> str:
        """The summary of ``content`` as a listing page at ``page`` shows it.

        Its links are resolved from that page (relative, so they work in every
        build and on mirrors), and it keeps no ids (many summaries share a page).
        """
        root = relative(page, "").rstrip("/") or "."
        key = (content.source_path, root)
        found = self._summaries.get(key)
        if found is None:
            if "summary" in content.metadata:
                raw = content.metadata["summary"] or ""
            else:  # the reader gives every version a summary; this is for content made otherwise
                raw = as_html(
                    summary_from_body(
                        pelican_seams.content_html(content),
                        self.settings.get("SUMMARY_MAX_LENGTH") or 50,
                        self.settings.get("SUMMARY_END_SUFFIX", "…"),
                    )
                )
            found = self._summaries[key] = listing_fragment(
                pelican_seams.resolve_content_links(content, raw, root)
            )
        return found

    def card(self, entry: Entry, lang: str, page: str | None = None) -> Card | None:
        version = entry.shown_in(lang, self.languages, self.default_lang)
        content = self.content(version)
        if content is None:
            return None
        return Card(
            key=entry.key,
            title=content.title,
            summary=self.listing_summary(content, page) if page else getattr(content, "summary", "") or "",
            target=content.url,
            lang=version.lang,
            marked=version.lang != lang,
            date=entry.date,
            section=self.section_link(entry.category, lang),
            slot=entry.slot(self.editions.now.date()) if entry.kind == "articles" else None,
            kind=entry.kind,
            draft=bool(getattr(content, "press_draft", "")),
            embargo=entry.embargo,
        )

    def lead_card(self, entry: Entry, lang: str, page: str | None = None) -> Card | None:
        """A card with the article's first picture, for the front page's lead."""
        card = self.card(entry, lang, page)
        if card is not None:
            version = entry.shown_in(lang, self.languages, self.default_lang)
            card.image = self.picture(entry, version) or first_picture(self.content(version))
        return card

    def picture(self, entry: Entry, version) -> Picture | None:
        """The entry's ``Image`` as ``version`` shows it: its caption (else its title) is the alt text."""
        sizes = self.pictures.get((entry.kind, entry.key))
        if sizes is None or version is None:
            return None
        alt = plain_text(version.source.value("caption") or "") or version.title
        return Picture(sizes.target, alt, sizes.srcset, sizes.webp, sizes.width, sizes.height)

    def cards(self, entries: list[Entry], lang: str, page: str | None = None) -> list[Card]:
        """The cards of a listing; with ``page`` (its path) summaries link from there."""
        return [card for card in (self.card(entry, lang, page) for entry in entries) if card]

    def versions(self, entry: Entry) -> list[Alternate]:
        """Every published version of an entry, in the order of LANGUAGES."""
        # each edition's page of a key asks: once a run
        found = self._alternates.get((entry.kind, entry.key))
        if found is None:
            found = self._alternates[(entry.kind, entry.key)] = self._versions(entry)
        return list(found)

    def _versions(self, entry: Entry) -> tuple[Alternate, ...]:
        alternates = []
        for lang in self.languages:
            content = self.content(entry.published.get(lang))
            if content is not None:
                alternates.append(Alternate(lang, content.url, content.title))
        return tuple(alternates)

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

    @per_instance_cache  # cache on the instance: dies with this run
    def current_issues(self, lang: str) -> tuple[NavLink, ...]:
        """The newest issue of each publication in the edition, for the masthead."""
        newest: dict[str, IssueEntry] = {}
        for issue in self.editions.issues_of(lang):  # by publication, newest number first
            newest.setdefault(issue.publication, issue)
        links = []
        for publication, issue in newest.items():
            content = self.content(issue.shown_in(lang, self.languages, self.default_lang))
            if content is not None:
                links.append(
                    NavLink(self.publication_name(publication, lang), content.url, lang, issue.number)
                )
        return tuple(links)

    @per_instance_cache  # cache on the instance: dies with this run
    def publications(self, lang: str) -> tuple[NavLink, ...]:
        """Every publication with an issue in the edition, for the footer."""
        names = dict.fromkeys(issue.publication for issue in self.editions.issues_of(lang))
        return tuple(
            NavLink(self.publication_name(name, lang), f"{lang}/publications/{name}/", lang) for name in names
        )

    @per_instance_cache  # cache on the instance: dies with this run
    def standalone_pages(self, lang: str) -> tuple[NavLink, ...]:
        """The standalone pages (About…) in the edition, for the footer, by key."""
        links = []
        for entry in self.editions.in_edition(self.editions.pages, lang):
            version = entry.shown_in(lang, self.languages, self.default_lang)
            content = self.content(version)
            if content is not None:
                links.append(NavLink(content.title, content.url, version.lang))
        return tuple(links)

    def issue_neighbours(self, issue: IssueEntry, lang: str) -> tuple[IssueEntry | None, IssueEntry | None]:
        """The previous (older) and next (newer) issue of the same publication in the edition."""
        issues = self.editions.issues_of(lang, issue.publication)  # newest number first
        index = next((i for i, other in enumerate(issues) if other.key == issue.key), None)
        if index is None:
            return None, None
        older = issues[index + 1] if index + 1 < len(issues) else None
        newer = issues[index - 1] if index > 0 else None
        return older, newer


SITE_ROOT = "press-site-root:"
IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(src|alt)\s*=\s*"([^"]*)"', re.IGNORECASE)


def first_picture(content) -> Picture | None:
    """The first image the article's text shows from the site (never another host)."""
    if content is None:
        return None
    text = pelican_seams.resolved_content(content, SITE_ROOT)
    for tag in IMAGE_TAG.findall(text):
        attributes = {name.lower(): value for name, value in ATTRIBUTE.findall(tag)}
        source = attributes.get("src", "")
        if source.startswith(SITE_ROOT):
            return Picture(source[len(SITE_ROOT) :].lstrip("/"), html.unescape(attributes.get("alt", "")))
    return None


def join_site(siteurl: str, target: str) -> str:
    return posixpath.join(siteurl.rstrip("/") + "/", target) if siteurl else target
