"""What Hugo, Jekyll and Pelican sites share: files with front matter, grouped into keys.

Each of those importers finds its source files and says, per file, its kind, language,
translation group and links it knows; this module reads front matter (YAML, TOML or JSON;
YAML with ``safe_load`` only), maps what the press knows to its headers (docs/headers.md),
rewrites internal links to ``{filename}`` links, copies attachments the bodies reference
from inside the source folder, lists template tags, and hands entries to the writer.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from press.importers import markup
from press.importers.writer import (
    ContentPlan,
    Entry,
    ImportRefused,
    Version,
    attachment_name,
    file_inside,
    format_date,
    relative_link,
)

#: Front matter keys the press reads (the rest are counted in one note, not carried over).
KNOWN_KEYS = frozenset(
    {
        "title",
        "date",
        "draft",
        "published",
        "status",
        "summary",
        "description",
        "excerpt",
        "category",
        "categories",
        "tags",
        "lang",
        "language",
        "slug",
        "translationkey",
        "translation_key",
        "ref",
        "lang_ref",
        "lang-ref",
        "translations",
        "translation",
        "permalink",
        "url",
        "author",
        "authors",
    }
)
MARKDOWN_LINK = re.compile(r"(?P<head>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*)(?P<dest><[^>\n]*>|[^)\s]+)")
REFERENCE_LINK = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]]+\]:[ \t]*)(?P<dest>\S+)", re.M)
SITE_PREFIX = re.compile(r"^\{\{-?\s*(?P<name>site\.baseurl|site\.url|\.Site\.BaseURL)[^}]*\}\}")
#: Fenced code blocks and code spans of a Markdown body.
CODE = re.compile(
    r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^[ ]{0,3}(?P=fence)[ \t]*$|`[^`\n]+`", re.M | re.S
)
#: A link or image address in raw HTML inside a Markdown body.
HTML_ADDRESS = re.compile(r"(?P<head>\b(?:href|src)\s*=\s*\")(?P<dest>[^\"]*)")


@dataclass
class SourceFile:
    """One file of the source site, read."""

    path: str  # absolute
    shown: str  # as the report names it
    kind: str  # articles or pages
    lang: str
    group: str  # files of one group are one key
    meta: dict
    body: str
    body_format: str = "markdown"  # markdown, html (converted) or rst (converted)
    slug: str = ""  # the key's wish
    date: str = ""
    translation: bool = False  # the source marks it a translation (Pelican's ``translation: true``)
    places: list[str] = field(default_factory=list)  # link targets that mean this file


def split_front_matter(text: str, shown: str) -> tuple[dict, str]:
    """(front matter, body) of a Hugo or Jekyll file; refuses nothing, raises ValueError if unreadable."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if text.startswith("---\n") or text == "---":
        end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.M)
        if not end:
            raise ValueError("its YAML front matter has no closing ---")
        data = safe_yaml(text[4 : 4 + end.start()], shown) or {}
        return _as_dict(data), text[4 + end.end() :]
    if text.startswith("+++\n"):
        end = re.search(r"^\+\+\+[ \t]*$", text[4:], re.M)
        if not end:
            raise ValueError("its TOML front matter has no closing +++")
        try:
            data = tomllib.loads(text[4 : 4 + end.start()])
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"its TOML front matter cannot be read ({error})") from None
        return data, text[4 + end.end() :]
    if text.startswith("{"):
        try:
            data, index = json.JSONDecoder().raw_decode(text)
        except RecursionError:
            raise ValueError("its JSON front matter is nested too deeply to be read") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"its JSON front matter cannot be read ({error})") from None
        return _as_dict(data), text[index:]
    return {}, text


def safe_yaml(text: str, shown: str):
    """YAML read with ``safe_load``; aliases (how a few lines expand into gigabytes) are refused.

    Raises :class:`ImportRefused` for aliases (hostile: nothing is written) and ValueError for
    YAML that cannot be read (that file is listed and left out).
    """
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ImportRefused(
                    f"{shown}: its YAML uses aliases (*name), which can expand a few lines into gigabytes; "
                    "write the values out. Nothing was written"
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"its YAML cannot be read ({str(error).splitlines()[0]})") from None
    except RecursionError:
        raise ValueError("its YAML is nested too deeply to be read") from None


def _as_dict(data) -> dict:
    if not isinstance(data, dict):
        raise ValueError("its front matter is not a mapping of keys to values")
    return {str(key): value for key, value in data.items()}


def words(value) -> list[str]:
    """Categories or tags as a list: a YAML/TOML list, or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value)
    parts = text.split(",") if "," in text else text.split()
    return [part.strip() for part in parts if part.strip()]


def lowered(meta: dict) -> dict:
    return {key.lower(): value for key, value in meta.items()}


def is_draft(meta: dict) -> bool:
    meta = lowered(meta)
    if meta.get("draft") is True or str(meta.get("draft", "")).lower() == "true":
        return True
    if meta.get("published") is False or str(meta.get("published", "")).lower() == "false":
        return True
    return str(meta.get("status", "")).lower() == "draft"


def summary_of(meta: dict) -> str:
    meta = lowered(meta)
    for name in ("summary", "description", "excerpt"):
        value = meta.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


Resolver = Callable[[str, SourceFile], "SourceFile | None"]


class SiteImport:
    """Group read files into entries, convert bodies, rewrite links, and write the plan."""

    def __init__(self, plan: ContentPlan, root: str, default_lang: str):
        self.plan = plan
        self.report = plan.report
        self.root = os.path.realpath(root)
        self.default_lang = default_lang
        plan.default_lang = default_lang
        self.files: list[SourceFile] = []
        self.unknown_keys: Counter = Counter()
        self.authors: set[str] = set()
        self.keys: dict[int, tuple[str, str]] = {}  # id(file) -> (kind, key)
        self.key_langs: dict[tuple[str, str], set[str]] = {}
        self.resolved_prefixes: Counter = Counter()
        # What the source's template language can say losslessly in Markdown, and what is left of it.
        self.convert_tags: Callable[[str], str] = lambda body: body
        self.find_tags: Callable[[str], Counter] = lambda body: Counter()
        # Folders (relative to the site) that a link starting with / is read from.
        self.absolute_roots: list[str] = [""]

    def add(self, file: SourceFile) -> None:
        self.files.append(file)

    def finish(self, resolve: Resolver):
        groups: dict[tuple[str, str], list[SourceFile]] = {}
        for file in self.files:
            groups.setdefault((file.kind, file.group), []).append(file)
        planned = []
        for (kind, _), files in groups.items():
            files.sort(key=lambda f: (f.lang != self.default_lang, f.translation, f.shown))
            lead = files[0]
            key = self.plan.unique_key(kind, lead.slug, lead.group)
            entry = Entry(kind, key)
            originals = [f for f in files if not f.translation]
            if originals and any(f.translation for f in files):
                entry.original = originals[0].lang
            kept = []
            for file in files:
                if file.lang in {f.lang for f in kept}:
                    self.report.could_not(
                        file.shown, f"a second {file.lang} version of {kind}/{key}: not imported"
                    )
                    continue
                kept.append(file)
                self.keys[id(file)] = (kind, key)
                self.key_langs.setdefault((kind, key), set()).add(file.lang)
            self.plan.add(entry)
            planned.append((entry, kept))
        for entry, files in planned:
            for file in files:
                entry.versions[file.lang] = self.version(entry, file, resolve)
        self.notes()

    def notes(self) -> None:
        if self.authors:
            count = len(self.authors)
            self.report.notes.append(
                f"{count} author{'s' if count != 1 else ''} dropped: the press is anonymous, no Author "
                "header is written"
            )
        if self.unknown_keys:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(self.unknown_keys.items()))
            self.report.notes.append(f"front matter the press has no header for, not carried over: {listed}")

    def version(self, entry: Entry, file: SourceFile, resolve: Resolver) -> Version:
        meta = lowered(file.meta)
        for name in meta:
            if name not in KNOWN_KEYS:
                self.unknown_keys[name] += 1
        for name in ("author", "authors"):
            for author in (
                words(meta.get(name)) if not isinstance(meta.get(name), dict) else [str(meta[name])]
            ):
                self.authors.add(author)
        title = str(meta.get("title") or "").strip()
        if not title:
            title = file.slug.replace("-", " ").strip() or posixpath.basename(file.shown)
            self.report.could_not(file.shown, f"no title: written as {title!r}, give it a real one")
        self.resolved_prefixes = Counter()
        body = self.rewrite(entry, file, self.convert_tags(file.body), resolve)
        # The site-address prefixes of links that now lead to imported files are gone, not lost.
        found = self.find_tags(file.body) - self.resolved_prefixes
        if found:
            self.report.could_not(
                file.shown, f"template tags kept as text, to redo by hand: {markup.describe(found)}"
            )
        if file.body_format in ("html", "rst") and body.strip():
            body, _ = markup.convert_html(body)
        version = Version(
            lang=file.lang,
            title=title,
            body=body,
            source=file.shown,
            date=file.date or format_date(meta.get("date")),
            fallback_date=format_date(
                datetime.datetime.fromtimestamp(os.path.getmtime(file.path), datetime.UTC)
            ),
            draft=is_draft(meta),
            summary=summary_of(meta),
        )
        # Named in this version's language; the writer makes them terms of the original and gives
        # them the translations' names (docs/importing.md).
        version.section_names = words(meta.get("categories")) or words(meta.get("category"))
        version.tag_names = words(meta.get("tags"))
        if len(version.section_names) > 1 and not file.translation:
            self.report.could_not(
                file.shown,
                f"one section per article: {version.section_names[0]!r} kept, the others became tags",
            )
        return version

    # links and attachments

    def rewrite(self, entry: Entry, file: SourceFile, body: str, resolve: Resolver) -> str:
        def replace(destination: str) -> str | None:
            bare = destination.strip("<>")
            prefix = SITE_PREFIX.match(bare)
            bare = SITE_PREFIX.sub("", bare)
            target = resolve(bare, file)
            if target is not None and id(target) in self.keys:
                kind, key = self.keys[id(target)]
                # The same language's version of the target when it has one (as the press links).
                lang = file.lang if file.lang in self.key_langs[(kind, key)] else target.lang
                new = "{filename}" + relative_link(entry.kind, kind, key, lang)
            else:
                new = self.attachment(entry, file, bare)
            if new and prefix:
                self.resolved_prefixes[f"{{{{ {prefix.group('name')} }}}}"] += 1
            return new

        elsewhere: list[str] = []

        def remote(destination: str) -> bool:
            if not is_remote(destination):
                return False
            elsewhere.append(destination)
            return True

        body = self.rewrite_body(body, file, replace, remote)
        self.report.remote_images(file.shown, elsewhere)
        return body

    def rewrite_body(self, body: str, file: SourceFile, replace, remote) -> str:
        if file.body_format in ("html", "rst"):
            return self.rewrite_html(body, replace, remote)

        def in_markdown(match: re.Match) -> str:
            head, destination = match.group("head"), match.group("dest")
            if head.startswith("!") and remote(destination.strip("<>")):
                return head[1:] + destination
            new = replace(destination)
            return head + new if new else match.group(0)

        def in_html(match: re.Match) -> str:
            new = replace(match.group("dest"))
            return match.group("head") + new if new else match.group(0)

        def outside_code(text: str) -> str:
            text = MARKDOWN_LINK.sub(in_markdown, text)
            text = REFERENCE_LINK.sub(in_markdown, text)
            return HTML_ADDRESS.sub(in_html, text) if "<" in text else text

        # Code shows addresses as text: only what lies outside fenced blocks and code spans is a link.
        pieces, start = [], 0
        for match in CODE.finditer(body):
            pieces += [outside_code(body[start : match.start()]), match.group(0)]
            start = match.end()
        return "".join([*pieces, outside_code(body[start:])])

    @staticmethod
    def rewrite_html(body: str, replace, remote) -> str:
        if "href" not in body and "src" not in body:
            return body
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(body, "html.parser")
        for tag in soup.find_all(["a", "img"]):
            attribute = "href" if tag.name == "a" else "src"
            url = tag.get(attribute)
            if not isinstance(url, str) or not url:
                continue
            if tag.name == "img" and remote(url):
                tag.replace_with(image_link(soup, tag, url))
                continue
            new = replace(url)
            if new:
                tag[attribute] = new
        return str(soup)

    def attachment(self, entry: Entry, file: SourceFile, destination: str) -> str | None:
        """A file the body references inside the source folder, copied beside the entry."""
        # docutils writes {filename} as %7Bfilename%7D; a space in a name is %20.
        parts = urlsplit(unquote(destination))
        if parts.scheme or parts.netloc or not parts.path or destination.startswith("#"):
            return None
        path = parts.path
        for prefix in ("{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|"):
            if path.startswith(prefix):
                path = path[len(prefix) :]
        if path.startswith("/"):
            candidates = [posixpath.join(root, path.lstrip("/")) for root in self.absolute_roots]
        else:
            here = posixpath.dirname(os.path.relpath(file.path, self.root).replace(os.sep, "/"))
            candidates = [posixpath.normpath(posixpath.join(here, path))]
        for candidate in candidates:
            if candidate.startswith("../") or candidate == "..":
                raise ImportRefused(
                    f"{file.shown}: the reference {destination!r} leads outside the site's folder; nothing "
                    "was written"
                )
            found = file_inside(self.root, candidate)
            if found and not found.endswith((".md", ".markdown", ".rst", ".html")):
                for name, existing in entry.attachments.items():
                    if existing == found:
                        return name
                name = attachment_name(candidate, entry.attachments)
                if name is None:
                    self.report.could_not(
                        file.shown, f"{destination}: the press does not publish this type of file"
                    )
                    return None
                entry.attachments[name] = found
                return name
        if re.search(r"\.(png|jpe?g|gif|webp|svg|pdf)$", path, re.I):
            self.report.could_not(file.shown, f"{destination} is not in the source folder: not copied")
        return None


def is_remote(url: str) -> bool:
    """An address on another host (which a page of the press may link to, never load)."""
    return url.startswith("//") or urlsplit(url).scheme in ("http", "https")


def image_link(soup, tag, url: str):
    """A link in place of an image that would load from another host."""
    link = soup.new_tag("a", href=url)
    link.string = tag.get("alt") or posixpath.basename(urlsplit(url).path) or url
    return link


def file_date(name: str) -> str:
    """The date a Jekyll post's file name starts with (``2015-9-19-title.md``), or ''."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})-", name)
    if not match:
        return ""
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


#: What the report says of a symbolic link in a source (never followed: it may lead anywhere).
LINK_NOT_FOLLOWED = (
    "a symbolic link, not followed (it may lead outside the site): copy what it holds into the "
    "site if it is meant to be imported"
)


def walk(root: str, skip: Callable[[str], bool], links: list[str] | None = None) -> list[str]:
    """Files under ``root`` (relative POSIX paths, sorted), skipping what ``skip`` says; no link
    followed, each one not skipped added to ``links`` so that the report can name it."""
    found = []

    def kept(folder: str, relative_folder: str, names: list[str]) -> list[str]:
        """The names neither skipped nor links (each link not skipped goes to ``links``)."""
        chosen = []
        for name in sorted(names):
            relative = posixpath.join(relative_folder, name)
            if skip(relative):
                continue
            if os.path.islink(os.path.join(folder, name)):
                if links is not None:
                    links.append(relative)
                continue
            chosen.append(name)
        return chosen

    for folder, folders, files in os.walk(root):
        relative_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        relative_folder = "" if relative_folder == "." else relative_folder
        folders[:] = kept(folder, relative_folder, folders)
        found.extend(posixpath.join(relative_folder, name) for name in kept(folder, relative_folder, files))
    return found
