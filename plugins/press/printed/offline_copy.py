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

Only what the build wrote goes in (contract §1): the output folder is listed
once (:class:`WrittenFiles`: its regular files by their site paths, symbolic
links only where they stay inside it), and a link in a page is looked up in
that list, never on the file system.  A link such as ``/proc/self/environ``
(or ``src='/etc/passwd'`` in a sentence, which the pages' text may hold)
names no file of the list and is left as written; nothing outside the output
folder, and no special file, is ever opened.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import os
import posixpath
import re
import stat
import zipfile
from pathlib import Path

from press.files import atomic_write

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


class WrittenFiles:
    """The output folder's own files, listed once by their site paths (``en/key/index.html``).

    A regular file is listed; a symbolic link only when it leads to a regular
    file inside the output folder (listed under its own path, read at its
    target); a special file (a FIFO, a device) and a link leading out never.
    """

    def __init__(self, output: Path) -> None:
        self.output = Path(output)
        self.real_output = os.path.realpath(self.output)
        self.files: dict[str, str] = {}  # site path -> the site path its bytes are read at
        self.folders: set[str] = {""}
        self._list("")

    def _list(self, folder: str) -> None:
        try:
            entries = sorted(os.scandir(self.output / folder), key=lambda entry: entry.name)
        except OSError as error:
            logger.warning("Cannot list %s for the offline copy (%s): left out", self.output / folder, error)
            return
        for entry in entries:
            path = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_symlink():
                    self._add_link(path)
                elif entry.is_dir(follow_symlinks=False):
                    self.folders.add(path)
                    self._list(path)
                elif entry.is_file(follow_symlinks=False):
                    self.files[path] = path
            except OSError:
                continue

    def _add_link(self, path: str) -> None:
        target = os.path.realpath(self.output / path)
        if not target.startswith(self.real_output.rstrip(os.sep) + os.sep):
            return  # leads out of the output folder: never read
        inside = os.path.relpath(target, self.real_output).replace(os.sep, "/")
        mode = os.lstat(target).st_mode
        if stat.S_ISREG(mode):
            self.files[path] = inside

    def kind(self, path: str) -> str:
        """``dir``, ``file`` or ``none`` for a site path (from the list, never the file system)."""
        return "file" if path in self.files else "dir" if path in self.folders else "none"

    def under(self, folder: str) -> list[str]:
        """The listed files under ``folder``, in a fixed order."""
        prefix = folder.rstrip("/") + "/"
        return sorted(path for path in self.files if path.startswith(prefix))

    def read(self, path: str) -> bytes:
        """The bytes of a listed file, opened beneath the output folder without following any link."""
        parts = self.files[path].split("/")
        folder = os.open(self.output, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for part in parts[:-1]:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
                os.close(folder)
                folder = inner
            handle = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
        finally:
            os.close(folder)
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise OSError(f"{path} is not a regular file")
            return stream.read()


class OfflineCopy:
    """The files of one language's offline copy, with their links made to work from disk."""

    def __init__(
        self, output: Path, lang: str, site_url: str, notice_html: str, written: WrittenFiles | None = None
    ) -> None:
        self.output = output
        self.lang = lang
        self.site_url = site_url.rstrip("/")
        self.notice_html = notice_html
        self.written = written if written is not None else WrittenFiles(output)
        self.files: dict[str, bytes] = {}
        self.wanted: list[str] = []

    def kind(self, path: str) -> str:
        """``dir``, ``file`` or ``none`` for a site path: what the build wrote there."""
        return self.written.kind(path)

    def collect(self) -> dict[str, bytes]:
        for folder in (self.lang, ASSETS):
            self.wanted.extend(
                path for path in self.written.under(folder) if not path.endswith(SKIPPED_SUFFIXES)
            )
        self.included = set(self.wanted)
        while self.wanted:
            path = self.wanted.pop(0)
            try:
                data = self.written.read(path)
            except OSError as error:
                logger.warning("Leaving %s out of the offline copy: %s", path, error)
                self.included.discard(path)
                continue
            if path.endswith(".html"):
                data = self.rewrite_page(path, data.decode("utf-8", "replace")).encode("utf-8")
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
            if target.startswith("/"):
                # A path from the site's root: a site path, looked up among the written files.
                resolved = posixpath.normpath(target.lstrip("/")) if target.strip("/") else "."
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target)) if target else path
            if resolved.startswith("../") or resolved == ".." or resolved.startswith("/"):
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
    written = WrittenFiles(output)
    for lang in current.editions.languages:
        if written.kind(f"{lang}/index.html") != "file":
            continue
        notice = render_notice(current.templates_dir, translations_of(lang), lang)
        files = OfflineCopy(output, lang, site_url, notice, written).collect()
        cached = cache / f"offline-{lang}-{files_fingerprint(files)}.zip"
        used.add(cached.name)
        data = cached.read_bytes() if cached.is_file() else None
        if data is None:
            data = zip_files(files, lang)
            atomic_write(cached, data)
        # Replaces (never writes through) whatever is at the target.
        atomic_write(output / offline_zip_path(lang), data)
    return used
