"""A Pelican site made multilingual with i18n_subsites into a content folder.

SOURCE is the Pelican project (its ``pelicanconf.py`` is read as text, never run: ``PATH``,
``DEFAULT_LANG``, ``AUTHOR``, ``PAGE_PATHS``) or its content folder. Markdown files' headers
are read as the press reads its own; reStructuredText files (title, then ``:field:`` lines) are
turned into HTML by docutils (file insertion and raw HTML off) and then into Markdown where
lossless (see :mod:`.markup`). Versions are tied as Pelican ties them: by ``slug`` (given, or
made from the title), the one marked ``translation: true`` never the original. Files under
the page paths become pages; ``{filename}``/``{static}``/``{attach}`` references are followed
inside the content folder only.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from urllib.parse import unquote

from press.content.headers import parse_source
from press.importers.sitefiles import LINK_NOT_FOLLOWED, SiteImport, SourceFile, walk
from press.importers.writer import (
    ContentPlan,
    ImportRefused,
    ImportReport,
    key_from,
    language_code,
    read_text_limited,
    safe_relative,
)

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
RST_FIELD = re.compile(r"^:(?P<name>[A-Za-z][\w -]*):\s*(?P<value>.*)$")
UNDERLINE = re.compile(r"^([=\-`:'\"~^_*+#<>])\1+\s*$")
LINK_PREFIX = re.compile(r"^(?:\{(?:filename|static|attach)\}|\|(?:filename|static|attach)\|)")


def setting(text: str, name: str) -> str:
    match = re.search(rf"^{name}\s*=\s*[\"'](?P<value>[^\"']*)[\"']", text, re.M)
    return match.group("value") if match else ""


def setting_list(text: str, name: str) -> list[str]:
    match = re.search(rf"^{name}\s*=\s*[\[(](?P<items>[^\])]*)[\])]", text, re.M)
    return re.findall(r"[\"']([^\"']*)[\"']", match.group("items")) if match else []


def split_rst(text: str) -> tuple[str, dict, str]:
    """(title, fields, body) of a Pelican reStructuredText file."""
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    title = ""
    if index + 1 < len(lines) and UNDERLINE.match(lines[index]) and index + 2 < len(lines):
        index += 1  # an overline
    if index + 1 < len(lines) and UNDERLINE.match(lines[index + 1]) and lines[index].strip():
        title = lines[index].strip()
        index += 2
    fields: dict[str, str] = {}
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        match = RST_FIELD.match(lines[index])
        if not match:
            break
        fields[match.group("name").strip().lower()] = match.group("value").strip()
        index += 1
    return title, fields, "\n".join(lines[index:])


def rst_to_html(body: str) -> str:
    from docutils.core import publish_parts

    overrides = {
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "report_level": 5,
        "halt_level": 5,
        "_disable_config": True,
        "doctitle_xform": False,
        "input_encoding": "unicode",
    }
    try:
        return publish_parts(body, writer="html5", settings_overrides=overrides)["body"]
    except Exception:
        raise ValueError("its reStructuredText cannot be read by docutils") from None


def import_pelican(source: str, target: str, shown: str | None = None) -> ImportReport:
    shown = shown or source
    if not os.path.isdir(source):
        raise ImportRefused(
            f"{shown} is not a folder: give the Pelican project (with pelicanconf.py) or its content"
        )
    plan = ContentPlan(target, source)
    settings_path = os.path.join(source, "pelicanconf.py")
    settings = read_text_limited(settings_path, settings_path) if os.path.isfile(settings_path) else ""
    content_folder = safe_relative(setting(settings, "PATH") or ("content" if settings else "."), shown)
    content = os.path.join(source, content_folder)
    if not os.path.isdir(content):
        raise ImportRefused(f"{posixpath.join(shown, content_folder)} is not a folder: where is the content?")
    default = language_code(setting(settings, "DEFAULT_LANG")) or "en"
    subsites = re.search(r"^I18N_SUBSITES\s*=\s*\{(?P<body>.*?)^\}", settings, re.M | re.S)
    languages = (
        [
            language_code(code)
            for code in re.findall(r"^\s{1,8}[\"']([^\"']+)[\"']\s*:\s*\{", subsites.group("body"), re.M)
        ]
        if subsites
        else []
    )
    page_paths = [path.strip("/") for path in setting_list(settings, "PAGE_PATHS")] or ["pages"]
    site = SiteImport(plan, content, default)
    if setting(settings, "AUTHOR"):
        site.authors.add(setting(settings, "AUTHOR"))
    places: dict[str, SourceFile] = {}
    skipped: Counter = Counter()
    links: list[str] = []
    for relative in walk(content, lambda path: posixpath.basename(path).startswith("."), links):
        file_shown = posixpath.join(shown, content_folder, relative).replace("/./", "/")
        if relative.endswith((".html", ".htm")):
            plan.report.could_not(
                file_shown, "an HTML content file is not imported: turn it into Markdown first"
            )
            continue
        if not relative.endswith((*MARKDOWN_SUFFIXES, ".rst")):
            skipped[posixpath.splitext(relative)[1] or "no extension"] += 1
            continue
        text = read_text_limited(os.path.join(content, relative), file_shown)
        if relative.endswith(".rst"):
            title, meta, body = split_rst(text)
            meta.setdefault("title", title)
            body_format = "rst"
        else:
            parsed = parse_source(text)
            meta = {name: header.value for name, header in parsed.headers.items()}
            body, body_format = parsed.body, "markdown"
        lang = language_code(meta.get("lang", "")) or default
        slug = (
            meta.get("slug") or key_from(meta.get("title", "")) or key_from(posixpath.splitext(relative)[0])
        )
        kind = "pages" if any(relative.startswith(path + "/") for path in page_paths if path) else "articles"
        status = meta.get("status", "").lower()
        if status == "hidden":
            plan.report.could_not(
                file_shown, "status 'hidden' has no equivalent: imported as a published page"
            )
        translation = str(meta.get("translation", "")).lower() == "true"
        file = SourceFile(
            path=os.path.join(content, relative),
            shown=file_shown,
            kind=kind,
            lang=lang,
            group=f"slug:{slug}",
            meta={key: value for key, value in meta.items() if key not in ("status", "slug")}
            | ({"draft": True} if status == "draft" else {}),
            body=body,
            body_format=body_format,
            slug=slug,
            translation=translation,
        )
        if body_format == "rst":
            try:
                file.body = rst_to_html(body)
            except ValueError as error:
                plan.report.could_not(file_shown, str(error))
                continue
        site.add(file)
        places[relative] = file
    for link in links:
        plan.report.could_not(
            posixpath.join(shown, content_folder, link).replace("/./", "/"), LINK_NOT_FOLLOWED
        )
    if skipped:
        listed = ", ".join(f"{extension} ({count})" for extension, count in sorted(skipped.items()))
        plan.report.notes.append(
            f"files that are not content ({listed}) are copied only where a body uses them"
        )

    def resolve(destination: str, file: SourceFile) -> SourceFile | None:
        destination = unquote(destination)
        if not LINK_PREFIX.match(destination):
            return None
        path = LINK_PREFIX.sub("", destination).split("#", 1)[0].split("?", 1)[0]
        here = posixpath.dirname(os.path.relpath(file.path, content).replace(os.sep, "/"))
        candidate = (
            path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join(here, path))
        )
        return places.get(candidate)

    site.finish(resolve)
    return plan.finish([default, *languages])
