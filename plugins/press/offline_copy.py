"""The offline copy: one zip per language of that edition's pages and assets, readable from disk.

Opened under ``file://`` a folder shows as a listing, so inside the copy every
link to a page names its file (``../key/index.html``).  The copy holds the
language's folder (pages, feeds, the issues' PDFs and EPUBs), the theme's
assets and the attachments its pages show; links to what it does not hold (the
other languages, the search index) point to the site's public address when
``SITEURL`` is set.  Search needs a web server (Pagefind fetches its index), so
the copy's search page says that search works on the website only and leads to
the archive instead.

Written to ``offline/<lang>.zip`` with fixed time stamps and a fixed order, so
the same site gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import os
import posixpath
import re
import shutil
import zipfile
from pathlib import Path

logger = logging.getLogger(__name__)

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
OFFLINE_FOLDER = "offline"
ASSETS = "assets"
LINK_ATTRIBUTE = re.compile(
    r"""(?P<attr>\s(?:href|src|action|poster)=)(?P<quote>["'])(?P<value>[^"']*)(?P=quote)"""
)
SRCSET = re.compile(r"""(?P<attr>\ssrcset=)(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
SEARCH_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc=["'][^"']*(?:pagefind|search)[^"']*["'][^>]*>\s*</script>"""
)
SEARCH_BOX = re.compile(r"""<div\b[^>]*\bid=["']search["'][^>]*>.*?</div>""", re.S)
NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S)
MAIN_OPEN = re.compile(r"<main\b[^>]*>")
SKIPPED_SUFFIXES = (".gz", ".br", ".tmp")


def offline_zip_path(lang: str) -> str:
    return f"{OFFLINE_FOLDER}/{lang}.zip"


class OfflineCopy:
    """The files of one language's offline copy, with their links made to work from disk."""

    def __init__(self, output: Path, lang: str, site_url: str, notice_html: str) -> None:
        self.output = output
        self.lang = lang
        self.site_url = site_url.rstrip("/")
        self.notice_html = notice_html
        self.files: dict[str, bytes] = {}
        self.wanted: list[str] = []
        self._kinds: dict[str, str] = {}

    def kind(self, path: str) -> str:
        """``dir``, ``file`` or ``none`` for a path of the output (looked up once)."""
        if path not in self._kinds:
            full = self.output / path
            self._kinds[path] = "dir" if full.is_dir() else "file" if full.is_file() else "none"
        return self._kinds[path]

    def collect(self) -> dict[str, bytes]:
        for folder in (self.lang, ASSETS):
            base = self.output / folder
            for root, subfolders, names in os.walk(base):
                subfolders.sort()
                for name in sorted(names):
                    if not name.endswith(SKIPPED_SUFFIXES):
                        self.wanted.append(Path(root, name).relative_to(self.output).as_posix())
        self.included = set(self.wanted)
        while self.wanted:
            path = self.wanted.pop(0)
            data = (self.output / path).read_bytes()
            if path.endswith(".html"):
                data = self.rewrite_page(path, data.decode("utf-8")).encode("utf-8")
            self.files[path] = data
        self.files["index.html"] = self.root_page().encode("utf-8")
        return self.files

    def rewrite_page(self, path: str, text: str) -> str:
        folder = posixpath.dirname(path)

        def link(value: str) -> str:
            if not value or EXTERNAL.match(value):
                return value
            target, hash_mark, fragment = value.partition("#")
            target, question, query = target.partition("?")
            resolved = posixpath.normpath(posixpath.join(folder, target)) if target else path
            if resolved.startswith("../") or resolved == "..":
                return value
            if resolved == ".":
                resolved = ""
            is_folder = target.endswith("/") or target in {"", ".", ".."} or self.kind(resolved) == "dir"
            if target and is_folder:
                resolved = posixpath.join(resolved, "index.html") if resolved else "index.html"
            elif not target:
                return value
            if (
                resolved not in self.included
                and self.kind(resolved) == "file"
                and not resolved.endswith(".html")
                and not resolved.startswith(("pagefind/", f"{OFFLINE_FOLDER}/"))
            ):
                self.included.add(resolved)
                self.wanted.append(resolved)
            if resolved in self.included or resolved == "index.html":
                relative = posixpath.relpath(resolved, folder or ".")
                return (
                    relative
                    + (question + query if question else "")
                    + (hash_mark + fragment if hash_mark else "")
                )
            if self.site_url:
                public = resolved[: -len("index.html")] if resolved.endswith("index.html") else resolved
                return f"{self.site_url}/{public}" + (hash_mark + fragment if hash_mark else "")
            return value

        def attribute(match: re.Match) -> str:
            value = html.escape(link(html.unescape(match["value"])))
            return f"{match['attr']}{match['quote']}{value}{match['quote']}"

        def srcset(match: re.Match) -> str:
            parts = []
            for candidate in html.unescape(match["value"]).split(","):
                url, _, size = candidate.strip().partition(" ")
                parts.append(f"{link(url)} {size}".strip())
            return f"{match['attr']}{match['quote']}{html.escape(', '.join(parts))}{match['quote']}"

        if path == f"{self.lang}/search/index.html":
            text = self.search_page(text)
        text = LINK_ATTRIBUTE.sub(attribute, text)
        return SRCSET.sub(srcset, text)

    def search_page(self, text: str) -> str:
        """The search page of the copy: the notice instead of a search box that needs a server."""
        text = SEARCH_SCRIPT.sub("", text)
        text = NOSCRIPT.sub("", text)
        notice = f'<div class="offline-notice" id="offline-search">{self.notice_html}</div>'
        if SEARCH_BOX.search(text):
            return SEARCH_BOX.sub(lambda _match: notice, text, count=1)
        match = MAIN_OPEN.search(text)
        if match:
            return text[: match.end()] + notice + text[match.end() :]
        return text

    def root_page(self) -> str:
        target = f"{self.lang}/index.html"
        return (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={target}"><title>{self.lang}</title></head>'
            f'<body><p><a href="{target}">{target}</a></p></body></html>\n'
        )


def offline_zip_bytes(output: Path, lang: str, *, site_url: str, notice_html: str) -> bytes:
    """The zip of ``lang``'s offline copy; the same site gives the same bytes."""
    return zip_files(OfflineCopy(output, lang, site_url, notice_html).collect(), lang)


def files_fingerprint(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def zip_files(files: dict[str, bytes], lang: str) -> bytes:
    top = f"offline-{lang}/"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(top + name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def render_notice(templates_dir: str, translations, lang: str) -> str:
    """The translated notice of the copy's search page (theme/templates/offline_notice.html)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(templates_dir),
        extensions=["jinja2.ext.i18n"],
        autoescape=select_autoescape(default=True),
    )
    env.install_gettext_translations(translations, newstyle=True)
    return env.get_template("offline_notice.html").render(lang=lang, archive="../archive/index.html").strip()


def write_offline_copies(current, settings: dict, output: Path, translations_of, cache: Path) -> set[str]:
    """``offline/<lang>.zip`` for every language of the build; returns the cache files used.

    A zip whose files did not change since a previous build is copied from ``cache``
    (named by the fingerprint of its files) instead of being compressed again.
    """
    site_url = settings.get("SITEURL") or ""
    used = set()
    for lang in current.editions.languages:
        if not (output / lang / "index.html").is_file():
            continue
        notice = render_notice(current.templates_dir, translations_of(lang), lang)
        files = OfflineCopy(output, lang, site_url, notice).collect()
        cached = cache / f"offline-{lang}-{files_fingerprint(files)}.zip"
        used.add(cached.name)
        if not cached.exists():
            temporary = cached.with_suffix(".tmp")
            temporary.write_bytes(zip_files(files, lang))
            os.replace(temporary, cached)
        target = output / offline_zip_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return used
