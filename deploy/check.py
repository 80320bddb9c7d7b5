"""Check a built site folder before it is published.

``check_site(output_dir)`` returns every failure found, never only the first:

- every internal reference (``a href``, ``link href``, ``img src``/``srcset``,
  ``script src``, ``source``, ``video``/``audio``/``track``, ``iframe``,
  ``object data``, ``form action``, ``meta http-equiv=refresh``, CSS ``url()``
  and ``@import``) resolves to a file of the output; a link to a folder
  resolves to its ``index.html``; queries are ignored, fragments are checked
  only with ``check_fragments=True``;
- internal links are relative, so that the site works wherever it is
  mirrored: a root-relative (``/x``) or site-absolute (``SITEURL/x``) URL is
  a failure, except in ``<link rel=canonical|alternate>`` (hreflang and feed
  discovery), which may be absolute to ``siteurl`` and must then resolve, and
  in ``404.html`` pages, which the server shows at any depth;
- nothing is loaded from another host (``script``, ``img``, ``iframe``,
  ``link rel=stylesheet|icon|preload|preconnect…``, media, CSS ``url()``);
  plain ``<a href>`` links to other sites are allowed;
- no Pelican placeholder (``{filename}``, ``{static}``, ``{attach}``,
  ``{tag}``, ``{category}``…) is left in an attribute, a CSS URL or a feed;
- nothing runs or embeds what the press refuses in content: no inline
  ``<script>``, no ``on…`` event attributes, no ``javascript:`` URLs, no
  ``ping`` or ``srcdoc``, no frames, objects or embeds (in pages and in feed
  entries);
- every file is something a site publishes: no hidden files (``.well-known``
  aside), no editors' leftovers (``~``, ``.bak``, ``.orig``, ``.swp``,
  ``#…#``), no sources or secrets (``.md``, ``.env``, ``.py``…), no symbolic
  link leading outside the output folder;
- every ``*.xml`` file is well-formed; an Atom feed has ``id``, ``title``,
  ``updated`` and a ``link`` for itself and for each entry, and every such
  link resolves (absolute URLs that start with ``siteurl`` are mapped onto
  the output folder); a sitemap's ``loc`` URLs resolve the same way; any
  other XML root is a failure (feeds are Atom);
- every HTML file is valid for the W3C Nu HTML checker (``vnu.jar``, run once
  for the whole folder); a missing ``java`` or ``vnu.jar`` is a failure.

The HTML is parsed with the standard library's :mod:`html.parser`, once per
file; the whole check is linear in the number and size of the files.

Command line: ``python -m deploy.check OUTPUT [--siteurl URL] [--fragments]``;
exit status 0 when clean, 1 when anything failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from deploy.manifest import open_regular

logger = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parent.parent
#: Where ``npm ci --prefix deploy`` puts the Nu checker (see deploy/package.json).
DEFAULT_VNU_JAR = PROJECT / "deploy" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_INSTALL_HINT = "run `npm ci --prefix deploy --ignore-scripts` (bash .ci/run does it) or set PRESS_VNU_JAR"
VNU_TIMEOUT = 1800
#: How often (in pages) the link check says how far it got.
PROGRESS_EVERY = 2000

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

#: Pelican's link placeholders, as written (``{x}``), URL-quoted (``%7Bx%7D``)
#: or in the legacy ``|x|`` syntax.
PLACEHOLDER_RE = re.compile(
    r"(?:\{|%7B|\|)(filename|static|attach|tag|category|author|index)(?:\}|%7D|\|)",
    re.IGNORECASE,
)

#: ``<link rel=…>`` values that make the browser fetch the target by itself.
RESOURCE_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
        "prefetch",
        "prerender",
        "preconnect",
        "dns-prefetch",
    }
)

#: (tag, attribute) -> kind; the kinds are:
#: ``nav``: must resolve when internal, must be relative, may go to another site;
#: ``resource``: loaded by the browser, must resolve, must never be on another host;
#: ``srcset``: like resource, the value is a srcset list.
_REFERENCES: dict[tuple[str, str], str] = {
    ("a", "href"): "nav",
    ("area", "href"): "nav",
    ("form", "action"): "nav",
    ("blockquote", "cite"): "nav",
    ("q", "cite"): "nav",
    ("del", "cite"): "nav",
    ("ins", "cite"): "nav",
    ("img", "src"): "resource",
    ("img", "srcset"): "srcset",
    ("source", "src"): "resource",
    ("source", "srcset"): "srcset",
    ("script", "src"): "resource",
    ("iframe", "src"): "resource",
    ("frame", "src"): "resource",
    ("embed", "src"): "resource",
    ("video", "src"): "resource",
    ("video", "poster"): "resource",
    ("audio", "src"): "resource",
    ("track", "src"): "resource",
    ("object", "data"): "resource",
    ("input", "src"): "resource",
    ("image", "href"): "resource",
    ("image", "xlink:href"): "resource",
    ("use", "href"): "resource",
    ("use", "xlink:href"): "resource",
}

_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL_RE = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"""
    r"""|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
_REFRESH_URL_RE = re.compile(r"""^\s*\d*(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"]*)""", re.I)
#: Pages a server shows at any URL depth (error pages): their links may be
#: root-relative or absolute to the site (they must still resolve).
ABSOLUTE_OK_PAGES = frozenset({"404.html"})
_HARMLESS_SCHEMES = frozenset({"mailto", "tel", "sms", "data", "about", "blob", "javascript"})


@dataclass(frozen=True, order=True)
class Failure:
    """One problem found in the output: where, what, and why."""

    file: str
    """The output file, relative to the output folder (``/`` separators)."""
    target: str
    """The link, URL or item at fault (or a short detail)."""
    message: str
    """What is wrong, in words."""
    line: int | None = None
    """The line in ``file``, when known."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.target}: {self.message}" if self.target else f"{where}: {self.message}"


@dataclass(frozen=True)
class _Ref:
    line: int
    what: str  # e.g. "a href"
    url: str
    kind: str  # nav | resource | alt


class _PageParser(HTMLParser):
    """Collects every reference, id and CSS snippet of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[_Ref] = []
        self.ids: set[str] = set()
        self.css: list[tuple[int, str, str]] = []  # (line, where, css text)
        self.placeholders: list[tuple[int, str, str]] = []  # (line, where, value)
        self._style_line: int | None = None
        self._style_parts: list[str] = []
        self.unsafe: list[tuple[int, str, str]] = []  # (line, target, message)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: (value or "") for name, value in attrs}
        for name, value in values.items():
            # Attributes checked as references or CSS report their own placeholders.
            handled = (tag, name) in _REFERENCES or name == "style" or (tag, name) == ("link", "href")
            if not handled and PLACEHOLDER_RE.search(value):
                self.placeholders.append((line, f"{tag} {name}", value))
        self.unsafe.extend((line, target, message) for target, message in unsafe_markup(tag, values))
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if "style" in values:
            self.css.append((line, f"{tag} style", values["style"]))
        if tag == "style":
            self._style_line = line
            self._style_parts = []
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            if rels & RESOURCE_RELS:
                kind = "resource"
            elif rels & {"canonical", "alternate"}:
                kind = "alt"
            else:
                kind = "nav"
            what = "link href"
            if values.get("hreflang"):
                what = f"hreflang={values['hreflang']} link href"
            elif rels:
                what = f"link rel={' '.join(sorted(rels))} href"
            self.refs.append(_Ref(line, what, values["href"], kind))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_URL_RE.match(values.get("content", ""))
            if match and match.group(1).strip():
                self.refs.append(_Ref(line, "meta refresh", match.group(1).strip(), "nav"))
        for name, value in values.items():
            kind = _REFERENCES.get((tag, name))
            if kind is None:
                continue
            if kind == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0] if candidate.strip() else ""
                    if url:
                        self.refs.append(_Ref(line, f"{tag} {name}", url, "resource"))
            else:
                self.refs.append(_Ref(line, f"{tag} {name}", value, kind))

    def handle_data(self, data: str) -> None:
        if self._style_line is not None:
            self._style_parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._style_line is not None:
            self.css.append((self._style_line, "style", "".join(self._style_parts)))
            self._style_line = None


#: Elements that run code or embed other documents: a built page never has them.
EMBEDDING_TAGS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
)
#: Attributes that run code, fetch in the background or carry a whole document.
UNSAFE_ATTRIBUTES = frozenset({"srcdoc", "ping"})
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background", "xlink:href"}
)
_SCRIPT_URL_RE = re.compile(r"^(?:javascript|vbscript|livescript):", re.IGNORECASE)
#: Script types that browsers do not run (data blocks).
_DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json", "text/plain"})
#: An editor's leftovers: backups, swap files, merge remnants (``#x#`` lock files too).
LEFTOVER_RE = re.compile(r"(?:~|\.bak|\.orig|\.rej|\.swp|\.swo|\.swx|\.tmp|\.old)$|^#.*#$", re.IGNORECASE)
#: Files that are sources or secrets, never pages of a site.
NOT_CONTENT_SUFFIXES = (
    *(".md", ".markdown", ".mkd", ".rst"),
    *(".py", ".pyc", ".sh", ".php", ".env", ".pem", ".key"),
)
#: Hidden paths a server may legitimately serve.
ALLOWED_HIDDEN = frozenset({".well-known"})


def unsafe_markup(tag: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """(target, message) for what a built page may not carry (contract §3: unsafe HTML)."""
    found = []
    if tag in EMBEDDING_TAGS:
        found.append((f"<{tag}>", f"<{tag}> embeds another document: the press publishes no frames"))
    inline = tag == "script" and not values.get("src", "").strip()
    if inline and values.get("type", "").strip().lower() not in _DATA_SCRIPT_TYPES:
        found.append(("<script>", "inline <script>: scripts must be files of the site (script src)"))
    for name, value in values.items():
        if name.startswith("on"):
            found.append((f"{name}=", f"inline event attribute {name}= on <{tag}> runs a script"))
        elif name in UNSAFE_ATTRIBUTES:
            found.append((f"{name}=", f"{name}= on <{tag}> is refused (it fetches or runs a document)"))
        elif name in _URL_ATTRIBUTES and _SCRIPT_URL_RE.match(re.sub(r"[\x00-\x20]+", "", value)):
            found.append((value[:80], f"{name}= on <{tag}> is a script URL"))
    return found


def not_content_file(rel: str) -> str | None:
    """Why a file of the output is not something a site publishes, or None."""
    parts = rel.split("/")
    hidden = [part for part in parts if part.startswith(".") and part not in ALLOWED_HIDDEN]
    if hidden:
        return "a hidden file (editor settings, secrets such as .env) is not content: remove it"
    name = parts[-1]
    if LEFTOVER_RE.search(name):
        return "an editor's leftover (backup, swap or merge file) is not content: remove it"
    if name.lower().endswith(NOT_CONTENT_SUFFIXES):
        return "a source file or secret is not content: remove it"
    return None


class _Checker:
    def __init__(
        self,
        root: Path,
        siteurl: str | None,
        check_fragments: bool,
    ) -> None:
        self.root = root
        self.check_fragments = check_fragments
        self.failures: list[Failure] = []
        self.files: set[str] = set()
        self.dirs: set[str] = {"."}
        self.ids: dict[str, set[str]] = {}
        self.pending_fragments: list[tuple[str, int, str, str, str]] = []
        self.site = None
        if siteurl:
            parts = urlsplit(siteurl.strip())
            if not parts.netloc:
                raise ValueError(f"siteurl must be an absolute URL, not {siteurl!r}")
            self.site = (parts.netloc.lower(), parts.path.rstrip("/"))

    def fail(self, file: str, target: str, message: str, line: int | None = None) -> None:
        self.failures.append(Failure(file, target, message, line))

    # -- walking ---------------------------------------------------------

    def scan(self) -> None:
        real_root = os.path.realpath(self.root)
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in dirnames:
                self.dirs.add(posixpath.normpath(posixpath.join(rel_dir, name)))
            for name in filenames:
                rel = posixpath.normpath(posixpath.join(rel_dir, name))
                self.files.add(rel)
                reason = not_content_file(rel)
                if reason:
                    self.fail(rel, "", reason)
            for name in [*dirnames, *filenames]:
                full = os.path.join(dirpath, name)
                rel = posixpath.normpath(posixpath.join(rel_dir, name))
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if target != real_root and not target.startswith(real_root + os.sep):
                        self.fail(rel, "", "a symbolic link that leads outside the output folder")
                    else:
                        # a build writes files; verify names every link of a copy as altered
                        self.fail(rel, "", "a symbolic link: a published site holds files, never links")
                elif name in filenames and not stat.S_ISREG(os.lstat(full).st_mode):
                    self.fail(rel, "", "not a regular file (a FIFO, socket or device): remove it")

    def read(self, rel: str) -> str | None:
        try:
            # never through a link or from a FIFO or device (scan names those)
            with os.fdopen(open_regular(self.root / rel), "rb") as handle:
                return handle.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.fail(rel, "", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        except OSError as exc:
            self.fail(rel, "", f"cannot be read: {exc.strerror or exc}")
        return None

    # -- URLs -------------------------------------------------------------

    def map_siteurl(self, parts) -> str | None:
        """The output-relative path of an absolute URL on the site, or None."""
        if self.site is None or parts.netloc.lower() != self.site[0]:
            return None
        path = parts.path
        base = self.site[1]
        if base:
            if path == base:
                path = ""
            elif path.startswith(base + "/"):
                path = path[len(base) :]
            else:
                return None
        return path.lstrip("/") or "."

    def check_url(self, source: str, line: int | None, what: str, url: str, kind: str) -> None:
        """Check one reference found in ``source``; record any failure."""
        url = url.strip()
        if not url:
            return
        if PLACEHOLDER_RE.search(url):
            self.fail(source, url, f"leftover Pelican placeholder in {what} (unresolved link)", line)
            return
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            self.fail(source, url, f"malformed URL in {what}: {exc}", line)
            return
        scheme = parts.scheme.lower()
        if scheme in _HARMLESS_SCHEMES:
            if kind == "resource" and scheme not in {"data", "blob", "about"}:
                self.fail(source, url, f"{what} loads a {scheme}: URL", line)
            return
        if scheme and scheme not in {"http", "https"}:
            if kind == "resource":
                self.fail(source, url, f"{what} loads a resource from another host ({scheme}:)", line)
            return
        absolute = bool(scheme) or url.startswith("//")
        if absolute:
            path = self.map_siteurl(parts)
            if path is None:
                if kind == "resource":
                    self.fail(source, url, f"{what} loads a resource from another host", line)
                elif kind == "alt" and self.site is not None:
                    self.fail(source, url, f"{what} points to another site than {self.site_label()}", line)
                elif kind == "alt":
                    self.fail(
                        source,
                        url,
                        f"{what} is absolute and cannot be resolved: give the site's URL (--siteurl)",
                        line,
                    )
                return
            if kind != "alt" and self.must_be_relative(source):
                self.fail(source, url, f"{what} is absolute: internal links must be relative (mirrors)", line)
            target = self.resolve_path(unquote(path), "", parts.path.endswith("/"))
        elif url.startswith("/"):
            if kind != "alt" and self.must_be_relative(source):
                self.fail(
                    source, url, f"{what} is root-relative: internal links must be relative (mirrors)", line
                )
            target = self.resolve_path(unquote(parts.path).lstrip("/") or ".", "", parts.path.endswith("/"))
        elif not parts.path:
            target = source  # "#frag" or "?query": this very document
        else:
            target = self.resolve_path(
                unquote(parts.path), posixpath.dirname(source), parts.path.endswith("/")
            )
        if target is None:
            self.fail(source, url, f"{what} points outside the output folder", line)
            return
        if target.startswith("!"):
            self.fail(source, url, f"broken {what}: no file {target[1:]} in the output", line)
            return
        if self.check_fragments and parts.fragment and target.endswith((".html", ".htm")):
            self.pending_fragments.append((source, line or 0, url, target, unquote(parts.fragment)))

    @staticmethod
    def must_be_relative(source: str) -> bool:
        """HTML links must be relative, except in a not-found page (shown at any depth)."""
        return source.endswith((".html", ".htm")) and posixpath.basename(source) not in ABSOLUTE_OK_PAGES

    def resolve_path(self, path: str, base_dir: str, is_dir: bool) -> str | None:
        """The output file a path designates; None outside the output; '!missing' when absent."""
        joined = posixpath.normpath(posixpath.join(base_dir or ".", path))
        if joined == ".." or joined.startswith("../") or joined.startswith("/"):
            return None
        if is_dir or joined == "." or joined in self.dirs:
            index = posixpath.normpath(posixpath.join(joined, "index.html"))
            if index in self.files:
                return index
            if joined in self.dirs or is_dir:
                return "!" + index
        if joined in self.files:
            return joined
        return "!" + joined

    def site_label(self) -> str:
        assert self.site is not None
        return f"//{self.site[0]}{self.site[1]}"

    # -- files --------------------------------------------------------------

    def check_html(self, rel: str) -> None:
        text = self.read(rel)
        if text is None:
            return
        parser = _PageParser()
        try:
            parser.feed(text)
            parser.close()
        except Exception as exc:  # html.parser is lenient; guard against the odd crash
            self.fail(rel, "", f"cannot be parsed as HTML: {exc}")
            return
        self.ids[rel] = parser.ids
        for line, what, value in parser.placeholders:
            self.fail(rel, value, f"leftover Pelican placeholder in {what}", line)
        for line, target, message in parser.unsafe:
            self.fail(rel, target, message, line)
        for ref in parser.refs:
            self.check_url(rel, ref.line, ref.what, ref.url, ref.kind)
        for line, where, css in parser.css:
            self.check_css_text(rel, css, where, line)

    def check_css_text(self, rel: str, css: str, where: str, first_line: int = 1) -> None:
        css = _CSS_COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), css)
        for match in _CSS_URL_RE.finditer(css):
            url = next((g for g in match.groups() if g is not None), "")
            line = first_line + css.count("\n", 0, match.start())
            kind = "@import" if match.group(0).startswith("@") else "url()"
            self.check_url(rel, line, f"{where} {kind}".strip(), url, "resource")

    def check_css(self, rel: str) -> None:
        text = self.read(rel)
        if text is not None:
            self.check_css_text(rel, text, "css")

    def check_xml(self, rel: str) -> None:
        try:
            tree = ET.parse(self.root / rel)
        except ET.ParseError as exc:
            self.fail(rel, "", f"not well-formed XML: {exc}", exc.position[0])
            return
        except OSError as exc:
            self.fail(rel, "", f"cannot be read: {exc.strerror}")
            return
        root = tree.getroot()
        if root.tag == ATOM + "feed":
            self.check_feed(rel, root)
        elif root.tag in (SITEMAP_NS + "urlset", SITEMAP_NS + "sitemapindex"):
            for loc in root.iter(SITEMAP_NS + "loc"):
                url = (loc.text or "").strip()
                if not url:
                    self.fail(rel, "<loc>", "empty sitemap location")
                elif self.site is not None or not urlsplit(url).netloc:
                    self.check_url(rel, None, "sitemap loc", url, "alt")
        else:
            self.fail(
                rel, root.tag, "not an Atom feed: the root element must be {http://www.w3.org/2005/Atom}feed"
            )

    def check_feed(self, rel: str, feed: ET.Element) -> None:
        for name in ("id", "title", "updated"):
            if not (feed.findtext(ATOM + name) or "").strip():
                self.fail(rel, f"feed/{name}", f"the feed has no <{name}>")
        for link in feed.findall(ATOM + "link"):
            self.check_feed_link(rel, "feed link", link)
        entries = feed.findall(ATOM + "entry")
        for number, entry in enumerate(entries, 1):
            label = (entry.findtext(ATOM + "id") or "").strip() or f"entry #{number}"
            for name in ("id", "title", "updated"):
                if not (entry.findtext(ATOM + name) or "").strip():
                    self.fail(rel, label, f"feed entry #{number} has no <{name}>")
            links = entry.findall(ATOM + "link")
            if not any(link.get("href") for link in links):
                self.fail(rel, label, f"feed entry #{number} has no <link href>")
            for link in links:
                self.check_feed_link(rel, f"entry #{number} link", link)
            for name in ("content", "summary"):
                element = entry.find(ATOM + name)
                if element is not None and element.text and element.get("type") in ("html", "xhtml"):
                    markup = _PageParser()
                    markup.feed(element.text)
                    markup.close()
                    for _line, target, message in markup.unsafe:
                        self.fail(rel, target, f"entry #{number} {name}: {message}")
                if element is not None and element.text and PLACEHOLDER_RE.search(element.text):
                    parser = _PageParser()
                    parser.feed(element.text)
                    parser.close()
                    found = [(what, value) for _line, what, value in parser.placeholders]
                    found += [(r.what, r.url) for r in parser.refs if PLACEHOLDER_RE.search(r.url)]
                    for what, value in found:
                        self.fail(
                            rel, value, f"leftover Pelican placeholder in entry #{number} {name}: {what}"
                        )

    def check_feed_link(self, rel: str, what: str, link: ET.Element) -> None:
        href = link.get("href")
        if href is None:
            self.fail(rel, what, "<link> without href")
            return
        self.check_url(rel, None, what, href, "alt")

    def check_fragments_now(self) -> None:
        for source, line, url, target, fragment in self.pending_fragments:
            ids = self.ids.get(target)
            if ids is not None and fragment not in ids and fragment != "top":
                self.fail(source, url, f"no element with id {fragment!r} in {target}", line or None)


def check_site(
    output_dir: str | os.PathLike[str],
    *,
    siteurl: str | None = None,
    languages: list[str] | tuple[str, ...] | None = None,
    check_fragments: bool = False,
    validate_html: bool = True,
    java: str | None = None,
    vnu_jar: str | os.PathLike[str] | None = None,
    only: Collection[str] | None = None,
    validate_only: Collection[str] | None = None,
) -> list[Failure]:
    """Check the built site in ``output_dir``; return every failure, sorted.

    ``siteurl`` is the publish build's SITEURL: absolute links that start with it
    (canonical, hreflang alternates, feed entries, sitemap) are mapped onto the
    output folder. ``languages``, when given, makes ``L/index.html``,
    ``L/404.html`` and ``L/feed.xml`` required for each. ``validate_html=False``
    leaves out the Nu HTML checker (for quick local runs only; publishing
    always validates). ``java`` and ``vnu_jar`` default to ``$JAVA`` or the
    ``java`` on PATH and to ``$PRESS_VNU_JAR`` or deploy/node_modules.

    ``only`` (relative paths) limits the reading of pages, feeds and style sheets
    to those files, and ``validate_only`` the Nu checker's: a publish passes the
    files that changed since a release that passed the same check
    (:func:`checker_version`). The whole folder is still listed, so links from
    those files resolve against every file, and the required files, hidden files
    and links are checked everywhere.
    """
    root = Path(output_dir).resolve()
    if not root.is_dir():
        return [Failure(str(output_dir), "", "the output folder does not exist")]
    checker = _Checker(root, siteurl, check_fragments)
    checker.scan()
    required = ["index.html"]
    for lang in languages or ():
        required += [f"{lang}/index.html", f"{lang}/404.html", f"{lang}/feed.xml"]
    for rel in required:
        if rel not in checker.files:
            checker.fail(rel, "", "required file is missing from the output")
    all_html = sorted(f for f in checker.files if f.endswith((".html", ".htm")))
    chosen = sorted(checker.files if only is None else checker.files.intersection(only))
    html_files = [f for f in chosen if f.endswith((".html", ".htm"))]
    validated = all_html if validate_only is None else sorted(set(all_html).intersection(validate_only))
    if only is not None or validate_only is not None:
        logger.info(
            "checking %d of %d pages and validating %d (the others are unchanged since a checked release)",
            len(html_files),
            len(all_html),
            len(validated),
        )
    # The validator (a JVM, the slow part) works while Python checks the links.
    vnu = None
    if validate_html and validated:
        vnu = _VnuRun(root, java, vnu_jar, None if len(validated) == len(all_html) else validated)
    try:
        for count, rel in enumerate(html_files, 1):
            checker.check_html(rel)
            if count % PROGRESS_EVERY == 0:
                logger.info("checked the links of %d of %d pages", count, len(html_files))
        for rel in chosen:
            if rel.endswith(".css"):
                checker.check_css(rel)
            elif rel.endswith(".xml"):
                checker.check_xml(rel)
        if check_fragments:
            checker.check_fragments_now()
    except BaseException:
        if vnu is not None:
            vnu.cancel()
        raise
    failures = checker.failures
    if vnu is not None:
        if vnu.proc is not None and vnu.proc.poll() is None:
            logger.info("waiting for the Nu HTML checker (%d pages)…", len(validated))
        failures += vnu.result()
    logger.info(
        "checked %d files (%d HTML) in %s: %d failure(s)",
        len(chosen),
        len(html_files),
        root,
        len(failures),
    )
    return sorted(set(failures), key=lambda f: (f.file, f.line or 0, f.target, f.message))


def checker_version(
    validate_html: bool = True,
    java: str | None = None,
    vnu_jar: str | os.PathLike[str] | None = None,
    **options: object,
) -> str:
    """What decides this check's verdict: this module's code, the Nu checker and the options.

    A release checked by another version is checked again in full by the next publish.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    parts: list[object] = [sorted((k, repr(v)) for k, v in options.items()), bool(validate_html)]
    if validate_html:
        jar = find_vnu_jar(vnu_jar)
        try:
            info = jar.stat()
            parts += [str(jar), info.st_size, info.st_mtime_ns]
        except OSError:
            parts.append(f"no {jar}")
        parts.append(find_java(java) or "no java")
    digest.update(json.dumps(parts, default=str).encode("utf-8"))
    return digest.hexdigest()[:16]


def find_java(java: str | None = None) -> str | None:
    candidate = java or os.environ.get("JAVA") or "java"
    return shutil.which(candidate)


def find_vnu_jar(vnu_jar: str | os.PathLike[str] | None = None) -> Path:
    """The given jar, else $PRESS_VNU_JAR, else deploy/node_modules, else the project's node_modules."""
    chosen = vnu_jar or os.environ.get("PRESS_VNU_JAR")
    if chosen:
        return Path(chosen)
    fallback = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return fallback if not DEFAULT_VNU_JAR.is_file() and fallback.is_file() else DEFAULT_VNU_JAR


class _VnuRun:
    """The Nu HTML checker running in the background over a whole folder."""

    def __init__(
        self,
        root: Path,
        java: str | None,
        vnu_jar: str | os.PathLike[str] | None,
        files: list[str] | None = None,
    ) -> None:
        self.root = root
        self.failures: list[Failure] = []
        self.proc: subprocess.Popen[bytes] | None = None
        java_path = find_java(java)
        self.jar = find_vnu_jar(vnu_jar)
        if java_path is None:
            self.failures.append(
                Failure(
                    "(html validation)",
                    java or os.environ.get("JAVA") or "java",
                    "java is not installed: the HTML cannot be validated; "
                    "install default-jre-headless (bash .ci/run does it)",
                )
            )
            return
        if not self.jar.is_file():
            self.failures.append(
                Failure(
                    "(html validation)",
                    str(self.jar),
                    f"vnu.jar (the Nu HTML checker) is missing: {VNU_INSTALL_HINT}",
                )
            )
            return
        command = [
            java_path,
            "-Xss16m",
            "-jar",
            str(self.jar),
            "--errors-only",
            "--no-langdetect",
            "--format",
            "json",
            "--stdout",
            "--skip-non-html",
        ]
        # the whole folder, or the pages named (those that changed since a checked release)
        command += [str(root)] if files is None else [str(root / rel) for rel in files]
        # Java reads non-ASCII file names only under a UTF-8 locale: under plain C
        # it would skip a folder such as fa/مقاله/ without a word.
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        # Files, not pipes: a long report must not stall the checker while we work.
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - closed in result()
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in result()
        logger.info(
            "validating %s under %s with %s",
            "the HTML" if files is None else f"{len(files)} changed page(s)",
            root,
            self.jar.name,
        )
        try:
            self.proc = subprocess.Popen(command, stdout=self.out, stderr=self.err, env=env)
        except OSError as exc:
            self.out.close()
            self.err.close()
            self.failures.append(
                Failure("(html validation)", str(self.jar), f"the Nu HTML checker could not run: {exc}")
            )

    def cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def result(self, timeout: float = VNU_TIMEOUT) -> list[Failure]:
        if self.proc is None:
            return self.failures
        try:
            returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return [Failure("(html validation)", str(self.jar), f"the Nu HTML checker took over {timeout} s")]
        finally:
            self.out.seek(0)
            self.err.seek(0)
            stdout = self.out.read().decode("utf-8", "replace")
            stderr = self.err.read().decode("utf-8", "replace")
            self.out.close()
            self.err.close()
        return self._parse(returncode, stdout, stderr)

    def _parse(self, returncode: int, stdout: str, stderr: str) -> list[Failure]:
        try:
            report = json.loads(stdout)
        except json.JSONDecodeError:
            detail = (stderr or stdout or "").strip().splitlines()
            return [
                Failure(
                    "(html validation)",
                    str(self.jar),
                    f"the Nu HTML checker gave no report (exit {returncode}): "
                    + (detail[-1] if detail else "no output"),
                )
            ]
        failures = []
        for message in report.get("messages", []):
            kind = message.get("type")
            if kind == "info":
                continue
            url = message.get("url", "")
            path = unquote(urlsplit(url).path) if url.startswith("file:") else url
            try:
                rel = Path(path).resolve().relative_to(self.root).as_posix()
            except ValueError:
                rel = path or "(html validation)"
            extract = " ".join((message.get("extract") or "").split())
            text = message.get("message", "").strip()
            if kind == "non-document-error":
                text = f"the Nu HTML checker could not check it: {text}"
            else:
                text = f"invalid HTML: {text}"
            failures.append(Failure(rel, extract, text, message.get("lastLine") or message.get("firstLine")))
        if returncode != 0 and not failures:
            failures.append(
                Failure(
                    "(html validation)",
                    str(self.jar),
                    f"the Nu HTML checker failed (exit {returncode}): {stderr.strip()[-300:]}",
                )
            )
        return failures


def format_failures(failures: list[Failure], limit: int | None = None) -> str:
    """The failures as text, one a line (at most ``limit`` lines, then a count)."""
    shown = failures if limit is None else failures[:limit]
    lines = [str(f) for f in shown]
    if limit is not None and len(failures) > limit:
        lines.append(f"… and {len(failures) - limit} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.check",
        description="Check a built site folder: links, feeds, foreign resources, placeholders, HTML.",
    )
    parser.add_argument("output", help="the built site folder (e.g. output/)")
    parser.add_argument("--siteurl", help="the publish build's SITEURL, to map absolute links")
    parser.add_argument("--languages", help="comma-separated languages whose index, 404 and feed must exist")
    parser.add_argument("--fragments", action="store_true", help="also check #fragment ids")
    parser.add_argument(
        "--no-vnu",
        action="store_true",
        help="leave out the Nu HTML checker (quick local runs; publish always validates)",
    )
    parser.add_argument("--vnu-jar", help="path to vnu.jar (default: $PRESS_VNU_JAR or deploy/node_modules)")
    parser.add_argument("--java", help="the java command (default: $JAVA or java)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(message)s")
    if args.no_vnu:
        logger.warning("HTML validation left out (--no-vnu)")
    try:
        failures = check_site(
            args.output,
            siteurl=args.siteurl,
            languages=[x for x in (args.languages or "").split(",") if x],
            check_fragments=args.fragments,
            validate_html=not args.no_vnu,
            java=args.java,
            vnu_jar=args.vnu_jar,
        )
    except ValueError as exc:
        parser.error(str(exc))
    for failure in failures:
        print(failure)
    if failures:
        print(f"{len(failures)} failure(s) in {args.output}", file=sys.stderr)
        return 1
    logger.info("%s: no failures", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
