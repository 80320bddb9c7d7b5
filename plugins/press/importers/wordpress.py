"""A WordPress export (WXR) into a content folder.

The export is read with the standard library's XML parser through defusedxml: a DOCTYPE
(which any entity expansion needs) is refused, as is a text node over
:data:`~.writer.MAX_BODY_BYTES` (counted while parsing, so a huge body is never held whole).
Posts and pages become articles and pages; WPML's (``_wpml_import_*`` post meta,
``_icl_lang_duplicate_of``) and Polylang's (``language`` and ``post_translations`` terms)
translation groups become one key with a file per language; categories and tags become terms,
Polylang's ``term_translations`` tying their names across languages.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import TreeBuilder

from press.importers import markup
from press.importers.sitefiles import image_link, is_remote
from press.importers.writer import (
    MAX_BODY_BYTES,
    ContentPlan,
    Entry,
    ImportRefused,
    ImportReport,
    Version,
    attachment_name,
    file_inside,
    format_date,
    language_code,
    relative_link,
    safe_relative,
    too_large,
)

CHUNK = 1024 * 1024
DRAFT_STATUSES = frozenset({"draft", "pending", "private"})
PUBLISHED_STATUSES = frozenset({"publish", "future"})
UPLOADS = "/wp-content/uploads/"
# One "lang => term id" pair of a PHP-serialised array (the id an integer or a numeric string).
PHP_PAIR = re.compile(r's:\d+:"(?P<lang>[^"]+)";(?:i:(?P<id>\d+)|s:\d+:"(?P<quoted>\d+)");')


class _LimitedBuilder(TreeBuilder):
    """A tree builder that refuses any one text node over the limit while the parser feeds it."""

    def __init__(self, shown: str):
        super().__init__()
        self.shown = shown
        self.length = 0

    def start(self, tag, attrs):
        self.length = 0
        return super().start(tag, attrs)

    def end(self, tag):
        self.length = 0
        return super().end(tag)

    def data(self, data):
        self.length += len(data.encode("utf-8", "surrogatepass"))
        if self.length > MAX_BODY_BYTES:
            raise ImportRefused(too_large(self.shown))
        return super().data(data)


def parse_export(path: str, shown: str):
    """The export's root element; refuses entities, DOCTYPEs, bad XML and oversized text."""
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    builder = _LimitedBuilder(shown)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                parser.feed(chunk)
        return parser.close()
    except defusedxml.DefusedXmlException:
        raise ImportRefused(
            f"{shown} declares a DOCTYPE or XML entities (entity expansion is refused; a WordPress "
            "export has none); nothing was written"
        ) from None
    except ParseError as error:
        raise ImportRefused(f"{shown} is not well-formed XML ({error}); nothing was written") from None
    except OSError as error:
        raise ImportRefused(f"{shown} cannot be read ({error.strerror})") from None


def _local(tag: str) -> tuple[str, str]:
    """(namespace kind, local name): kinds are wp, excerpt, content, dc or ''."""
    if not tag.startswith("{"):
        return "", tag
    namespace, local = tag[1:].split("}", 1)
    if "wordpress.org/export/" in namespace:
        return ("excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"), local
    if "purl.org/rss/1.0/modules/content" in namespace:
        return "content", local
    if "purl.org/dc/elements" in namespace:
        return "dc", local
    return namespace, local


def _fields(element) -> dict[tuple[str, str], list]:
    found: dict[tuple[str, str], list] = {}
    for child in element:
        found.setdefault(_local(child.tag), []).append(child)
    return found


def _text(fields: dict, kind: str, name: str) -> str:
    elements = fields.get((kind, name))
    return (elements[0].text or "").strip() if elements else ""


@dataclass
class Post:
    id: str
    kind: str  # articles or pages
    slug: str
    title: str
    html: str
    excerpt: str
    status: str
    date: str
    link: str
    guid: str
    lang: str = ""
    group: str = ""
    source_lang: str = ""  # WPML: the original's language, on a translation
    categories: list[str] = field(default_factory=list)  # nicenames
    tags: list[str] = field(default_factory=list)
    thumbnail: str = ""
    creator: str = ""
    comments: int = 0
    shown: str = ""


def import_wordpress(
    source: str, target: str, uploads: str | None = None, shown: str | None = None
) -> ImportReport:
    shown = shown or source
    plan = ContentPlan(target, source)
    if uploads is not None and not os.path.isdir(uploads):
        raise ImportRefused(
            f"--uploads {uploads} is not a folder: give WordPress's wp-content/uploads folder"
        )
    root = parse_export(source, shown)
    channel = root.find("channel")
    if channel is None or _local(root.tag)[1] != "rss":
        raise ImportRefused(f"{shown} is not a WordPress export (no <rss><channel>); nothing was written")
    return WordPressImport(plan, channel, shown, uploads).run()


class WordPressImport:
    def __init__(self, plan: ContentPlan, channel, shown: str, uploads: str | None):
        self.plan = plan
        self.report = plan.report
        self.channel = channel
        self.shown = shown
        self.uploads = uploads
        self.hosts: set[str] = set()
        self.terms: dict[str, tuple[str, str, str]] = {}  # term_id -> (taxonomy, slug, name)
        self.term_ids: dict[tuple[str, str], str] = {}  # (taxonomy, slug) -> term_id
        self.term_lang: dict[str, str] = {}  # term_id -> lang (Polylang)
        self.term_group: dict[str, str] = {}  # term_id -> group (Polylang term_translations)
        self.group_terms: dict[str, dict[str, str]] = {}  # group -> lang -> term_id
        self.attachments: dict[str, str] = {}  # attachment post id -> relative path under uploads
        self.attachment_urls: dict[str, str] = {}  # an attachment's address -> relative path
        self.posts: list[Post] = []
        self.skipped: Counter = Counter()
        self.places: dict[str, tuple[str, str, str]] = {}  # normalised URL -> (kind, key, lang)
        self.export_date = ""

    # reading

    def run(self) -> ImportReport:
        fields = _fields(self.channel)
        # The site's own addresses: links to them are internal, images under them attachments.
        self.hosts.add(urlsplit(_text(fields, "", "link")).netloc)
        for name in ("base_site_url", "base_blog_url"):
            self.hosts.add(urlsplit(_text(fields, "wp", name)).netloc)
        self.hosts.discard("")
        site_lang = language_code((_text(fields, "", "language") or "").split("-")[0])
        self.export_date = _rfc822_date(_text(fields, "", "pubDate"))
        self.read_terms(fields)
        authors = len(fields.get(("wp", "author"), []))
        for item in fields.get(("", "item"), []):
            self.read_item(item, site_lang)
        languages = Counter(post.lang for post in self.posts)
        default = (
            site_lang if site_lang in languages else (languages.most_common(1)[0][0] if languages else "")
        )
        self.plan.default_lang = default
        self.build_entries()
        creators = {post.creator for post in self.posts if post.creator}
        dropped = max(authors, len(creators))
        if dropped:
            self.report.notes.append(
                f"{dropped} author{'s' if dropped != 1 else ''} dropped: the press is anonymous, no Author "
                "header is written"
            )
        comments = sum(post.comments for post in self.posts)
        if comments:
            self.report.notes.append(f"{comments} comments not imported (the press has none)")
        for kind, count in sorted(self.skipped.items()):
            self.report.notes.append(f"{count} item{'s' if count != 1 else ''} of type {kind!r} not imported")
        return self.plan.finish([default] if default else None)

    def read_terms(self, fields: dict) -> None:
        for element in fields.get(("wp", "category"), []):
            own = _fields(element)
            self.add_term(_text(own, "wp", "term_id"), "category", own, "category_nicename", "cat_name")
        for element in fields.get(("wp", "tag"), []):
            own = _fields(element)
            self.add_term(_text(own, "wp", "term_id"), "post_tag", own, "tag_slug", "tag_name")
        for element in fields.get(("wp", "term"), []):
            own = _fields(element)
            taxonomy = _text(own, "wp", "term_taxonomy")
            if taxonomy == "term_translations":
                group = _text(own, "wp", "term_slug")
                for match in PHP_PAIR.finditer(_text(own, "wp", "term_description")):
                    lang = language_code(match.group("lang"))
                    term_id = match.group("id") or match.group("quoted")
                    if lang:
                        self.term_lang[term_id] = lang
                        self.term_group[term_id] = group
                        self.group_terms.setdefault(group, {})[lang] = term_id
            elif taxonomy in ("category", "post_tag"):
                self.add_term(_text(own, "wp", "term_id"), taxonomy, own, "term_slug", "term_name")

    def add_term(self, term_id: str, taxonomy: str, own: dict, slug_field: str, name_field: str) -> None:
        slug = _text(own, "wp", slug_field)
        name = html.unescape(_text(own, "wp", name_field)) or slug
        if term_id and slug:
            self.terms[term_id] = (taxonomy, slug, name)
            self.term_ids[(taxonomy, slug)] = term_id

    def read_item(self, item, site_lang: str) -> None:
        fields = _fields(item)
        post_type = _text(fields, "wp", "post_type")
        post_id = _text(fields, "wp", "post_id")
        status = _text(fields, "wp", "status")
        meta = {}
        for element in fields.get(("wp", "postmeta"), []):
            own = _fields(element)
            meta.setdefault(_text(own, "wp", "meta_key"), _text(own, "wp", "meta_value"))
        slug = _text(fields, "wp", "post_name")
        shown = f"{self.shown}: item {post_id or '?'} ({post_type or 'no type'} {slug!r})"
        if post_type == "attachment":
            url = _text(fields, "wp", "attachment_url")
            # Where the file lies under uploads: the meta, else the address (a CDN's is year/month/name).
            relative = meta.get("_wp_attached_file") or _uploads_path(url) or urlsplit(url).path.lstrip("/")
            if relative:
                self.attachments[post_id] = safe_relative(relative, shown)
                if url:  # uploads served from another host (a CDN) are still the site's own
                    self.attachment_urls[_bare_url(url)] = self.attachments[post_id]
            return
        if post_type not in ("post", "page"):
            self.skipped[post_type or "unknown"] += 1
            return
        if status not in PUBLISHED_STATUSES | DRAFT_STATUSES:
            self.report.could_not(shown, f"status {status or 'none'!r} (trash, auto-draft…) is not imported")
            return
        post = Post(
            id=post_id,
            kind="articles" if post_type == "post" else "pages",
            slug=_text(fields, "wp", "post_name"),
            title=html.unescape(_text(fields, "", "title")),
            html=_text(fields, "content", "encoded"),
            excerpt=_text(fields, "excerpt", "encoded"),
            status=status,
            date=format_date(_text(fields, "wp", "post_date_gmt"))
            or format_date(_text(fields, "wp", "post_date")),
            link=_text(fields, "", "link"),
            guid=_text(fields, "", "guid"),
            thumbnail=meta.get("_thumbnail_id", ""),
            creator=_text(fields, "dc", "creator"),
            comments=len(fields.get(("wp", "comment"), [])),
            shown=shown,
        )
        if _text(fields, "wp", "post_password"):
            post.status = "private"  # a protected post was never public: a draft, and listed
            self.report.could_not(shown, "password-protected: imported as a draft")
        if "/" in post.slug or ".." in post.slug:
            safe_relative(post.slug, shown)  # refuses a slug that would leave the folder
        for element in fields.get(("", "category"), []):
            domain = element.get("domain", "")
            nicename = element.get("nicename", "")
            if domain == "language":
                post.lang = language_code(nicename)
            elif domain == "post_translations":
                post.group = "pll:" + nicename
            elif domain == "category":
                post.categories.append(nicename)
            elif domain == "post_tag":
                post.tags.append(nicename)
            if domain in ("category", "post_tag") and (domain, nicename) not in self.term_ids:
                self.terms[f"{domain}:{nicename}"] = (
                    domain,
                    nicename,
                    html.unescape(element.text or nicename),
                )
                self.term_ids[(domain, nicename)] = f"{domain}:{nicename}"
        if meta.get("_wpml_import_language_code"):
            post.lang = language_code(meta["_wpml_import_language_code"])
        if meta.get("_wpml_import_translation_group"):
            post.group = "wpml:" + meta["_wpml_import_translation_group"]
            post.source_lang = language_code(meta.get("_wpml_import_source_language_code", ""))
        elif meta.get("_icl_lang_duplicate_of"):
            post.group = "post:" + meta["_icl_lang_duplicate_of"]
        if not post.lang:
            post.lang = site_lang or "en"
        self.posts.append(post)

    # planning

    def build_entries(self) -> None:
        groups: dict[tuple[str, str], list[Post]] = {}
        by_id = {post.id: post for post in self.posts}
        for post in self.posts:
            group = post.group or f"post:{post.id}"
            if group.startswith("post:") and group[5:] in by_id and by_id[group[5:]].group:
                group = by_id[group[5:]].group
            groups.setdefault((post.kind, group), []).append(post)
        planned = []
        for (kind, _), posts in groups.items():
            originals = [post for post in posts if not post.source_lang]
            first = (
                next((p for p in originals if p.lang == self.plan.default_lang), None)
                or (originals or posts)[0]
            )
            key = self.plan.unique_key(kind, first.slug, first.title or f"post-{first.id}")
            entry = Entry(kind, key)
            explicit = next((post.source_lang for post in posts if post.source_lang), "")
            if explicit and any(post.lang == explicit for post in posts):
                entry.original = explicit
            kept = []
            for post in sorted(posts, key=lambda p: int(p.id) if p.id.isdigit() else 0):
                if post.lang in {p.lang for p in kept}:
                    self.report.could_not(
                        post.shown, f"a second {post.lang} version of {kind}/{key}: not imported"
                    )
                    continue
                kept.append(post)
                for url in (post.link, post.guid, f"?p={post.id}", f"?page_id={post.id}"):
                    place = self.normalised(url)
                    if place:
                        self.places[place] = (kind, key, post.lang)
            self.plan.add(entry)
            planned.append((entry, kept))
        for entry, posts in planned:
            for post in posts:
                entry.versions[post.lang] = self.version(entry, post)

    def normalised(self, url: str) -> str:
        """A URL of the site as a comparable string (path without trailing slash, or ?p=ID); else ''."""
        if not url:
            return ""
        parts = urlsplit(url.strip())
        if parts.netloc and parts.netloc not in self.hosts:
            return ""
        query = parse_qs(parts.query)
        for name in ("p", "page_id"):
            if query.get(name):
                return f"?{name}={query[name][0]}"
        path = parts.path.rstrip("/")
        return path if path else ""

    def version(self, entry: Entry, post: Post) -> Version:
        title = post.title.strip()
        if not title:
            title = post.slug.replace("-", " ").strip() or f"Untitled {post.id}"
            self.report.could_not(post.shown, f"no title: written as {title!r}, give it a real one")
        found = markup.wordpress_shortcodes(post.html)
        if found:
            self.report.could_not(
                post.shown, f"shortcodes kept as text, to redo by hand: {markup.describe(found)}"
            )
        body_html = self.rewrite(entry, post)
        body, _ = markup.convert_html(body_html) if body_html.strip() else ("", "markdown")
        version = Version(
            lang=post.lang,
            title=title,
            body=body,
            source=post.shown,
            date=post.date,
            draft=post.status in DRAFT_STATUSES,
            summary=_plain(post.excerpt) if post.excerpt else "",
            order=int(post.id) if post.id.isdigit() else 0,
            fallback_date=self.export_date,
        )
        sections = [
            self.term_key("category", "sections", nicename, post.lang) for nicename in post.categories
        ]
        tags = [self.term_key("post_tag", "tags", nicename, post.lang) for nicename in post.tags]
        if sections:
            version.category = sections[0]
        for extra in post.categories[1:]:
            tags.append(self.term_key("category", "tags", extra, post.lang))
        if len(sections) > 1:
            self.report.could_not(
                post.shown, f"one section per article: {sections[0]} kept, the other categories became tags"
            )
        version.tags = list(dict.fromkeys(tags))
        if post.thumbnail and post.thumbnail in self.attachments:
            name = self.attach(entry, self.attachments[post.thumbnail], post.shown)
            if name:
                version.image = name
        return version

    def term_key(self, taxonomy: str, kind: str, nicename: str, post_lang: str) -> str:
        term_id = self.term_ids.get((taxonomy, nicename), "")
        _, slug, name = self.terms.get(term_id, (taxonomy, nicename, nicename))
        group = self.term_group.get(term_id)
        if group:
            members = self.group_terms[group]
            lead = members.get(self.plan.default_lang) or next(iter(members.values()))
            key_basis = self.terms.get(lead, (taxonomy, slug, name))[1]
            key = self.plan.term(kind, key_basis, self.term_lang[term_id], name)
            for lang, other in members.items():
                if other in self.terms:
                    self.plan.terms[kind].setdefault(key, {}).setdefault(lang, self.terms[other][2])
            return key
        return self.plan.term(kind, slug, post_lang, name)

    # bodies

    def rewrite(self, entry: Entry, post: Post) -> str:
        """The body with internal links turned into {filename} links and uploads into attachments."""
        if not post.html or ("href" not in post.html and "src" not in post.html):
            return post.html
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(post.html, "html.parser")
        elsewhere: list[str] = []
        for tag in soup.find_all(["a", "img"]):
            attribute = "href" if tag.name == "a" else "src"
            url = tag.get(attribute)
            if not isinstance(url, str) or not url:
                continue
            relative = (
                (_uploads_path(url) if self.own_url(url) else "")
                or self.attachment_urls.get(_bare_url(url), "")
                or self.attachment_urls.get(_bare_url(re.sub(r"-\d+x\d+(\.\w+)$", r"\1", _bare_url(url))), "")
            )
            if tag.name == "img" and not relative and is_remote(url) and not self.own_url(url):
                elsewhere.append(url)
                tag.replace_with(image_link(soup, tag, url))
                continue
            if relative:
                name = self.attach(entry, safe_relative(relative, post.shown), post.shown)
                if name:
                    tag[attribute] = name
                    tag.attrs.pop("srcset", None)
                elif tag.name == "img":
                    tag.replace_with(image_link(soup, tag, url))
                continue
            place = self.places.get(self.normalised(url)) if tag.name == "a" else None
            if place:
                kind, key, lang = place
                tag["href"] = "{filename}" + relative_link(entry.kind, kind, key, lang)
        self.report.remote_images(post.shown, elsewhere)
        return str(soup)

    def own_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return not parts.netloc or parts.netloc in self.hosts

    def attach(self, entry: Entry, relative: str, shown: str) -> str | None:
        """Copy ``relative`` (under --uploads) beside the entry; None (and listed) when it cannot be."""
        if self.uploads is None:
            self.report.could_not(shown, f"attachment {relative} not copied (give --uploads FOLDER)")
            return None
        path = file_inside(self.uploads, relative) or file_inside(
            self.uploads, re.sub(r"-\d+x\d+(\.\w+)$", r"\1", relative)
        )
        if path is None:
            self.report.could_not(shown, f"attachment {relative} is not in {self.uploads}")
            return None
        for name, existing in entry.attachments.items():
            if existing == path:
                return name
        name = attachment_name(relative, entry.attachments)
        if name is None:
            self.report.could_not(
                shown, f"attachment {relative}: the press does not publish this type of file"
            )
            return None
        entry.attachments[name] = path
        return name


def _rfc822_date(value: str) -> str:
    """The export's own date (``Sat, 30 Jan 2016 17:23:50 +0000``) as the contract writes dates."""
    from email.utils import parsedate_to_datetime

    try:
        return format_date(parsedate_to_datetime(value)) if value else ""
    except (TypeError, ValueError):
        return ""


def _bare_url(url: str) -> str:
    """An address without scheme, query or fragment, to compare an image with an attachment."""
    parts = urlsplit(url or "")
    return f"{parts.netloc}{parts.path}"


def _uploads_path(url: str) -> str:
    """The part of an uploads URL under wp-content/uploads/, or ''."""
    path = urlsplit(url or "").path
    index = path.find(UPLOADS)
    return path[index + len(UPLOADS) :] if index >= 0 else ""


def _plain(markup_text: str) -> str:
    from press.html.sanitize import plain_text

    return plain_text(markup_text)
