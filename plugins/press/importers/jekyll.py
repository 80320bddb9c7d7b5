"""A Jekyll site into a content folder.

Posts (``_posts``, ``_drafts`` as drafts, and the collections ``_config.yml`` declares) become
articles; Markdown pages elsewhere become pages. A file's language is its ``lang`` (or
``language``) front matter, else a language folder (``_posts/de/…``, ``de/about.md``), else a
suffix (``about.de.md``), else the site's ``default_lang``/``lang``. Versions are tied by
``ref``/``lang_ref``/``translation_key``/``page_id``, else by ``permalink`` (jekyll-polyglot), else
by their path without the language. ``{% highlight %}`` blocks become fenced code; ``{% post_url %}``
and ``{% link %}`` become ``{filename}`` links; other Liquid tags are kept and listed.
"""

from __future__ import annotations

import os
import posixpath
import re

from press.importers import markup
from press.importers.sitefiles import (
    LINK_NOT_FOLLOWED,
    SiteImport,
    SourceFile,
    file_date,
    lowered,
    safe_yaml,
    split_front_matter,
    walk,
)
from press.importers.writer import ContentPlan, ImportRefused, ImportReport, language_code, read_text_limited

SKIPPED_FOLDERS = frozenset(
    {"_site", "_includes", "_layouts", "_sass", "_data", "_plugins", "vendor", "node_modules"}
)
PAGE_SUFFIXES = (".md", ".markdown")
POST_SUFFIXES = (".md", ".markdown", ".html")
GROUP_KEYS = ("ref", "lang_ref", "lang-ref", "translation_key", "translationkey", "page_id", "translations")
HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+(?P<lang>[\w+-]+)[^%]*%\}\n?(?P<code>.*?)\{%-?\s*endhighlight\s*-?%\}", re.S
)
POST_URL = re.compile(r"\{%-?\s*post_url\s+(?P<name>[^\s%]+)\s*-?%\}")
LINK_TAG = re.compile(r"\{%-?\s*link\s+(?P<path>[^\s%]+)\s*-?%\}")
RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<text>.*?)\{%-?\s*endraw\s*-?%\}", re.S)


def read_config(source: str) -> dict:
    path = os.path.join(source, "_config.yml")
    if not os.path.isfile(path):
        return {}
    try:
        data = safe_yaml(read_text_limited(path, path), path)
    except ValueError as error:
        raise ImportRefused(f"{path} cannot be read ({error})") from None
    return data if isinstance(data, dict) else {}


def convert_liquid(body: str) -> str:
    """What Markdown says without loss: highlight blocks as fences, post_url/link as paths, raw as text."""
    body = HIGHLIGHT.sub(lambda m: f"```{m.group('lang')}\n{m.group('code').rstrip()}\n```", body)
    body = RAW.sub(lambda m: m.group("text"), body)
    body = POST_URL.sub(lambda m: f"post_url:{m.group('name')}", body)
    return LINK_TAG.sub(lambda m: m.group("path"), body)


def remaining_liquid(body: str):
    """The Liquid tags :func:`convert_liquid` leaves (those inside {% raw %} are text, not tags)."""
    for pattern in (RAW, POST_URL, LINK_TAG):
        body = pattern.sub("", body)
    body = HIGHLIGHT.sub(lambda m: m.group("code"), body)
    return markup.liquid_tags(body)


def import_jekyll(source: str, target: str, shown: str | None = None) -> ImportReport:
    shown = shown or source
    if not os.path.isdir(source):
        raise ImportRefused(
            f"{shown} is not a folder: give the Jekyll site's folder (the one with _config.yml)"
        )
    plan = ContentPlan(target, source)
    config = read_config(source)
    languages = [language_code(lang) for lang in config.get("languages") or [] if language_code(str(lang))]
    default = language_code(str(config.get("default_lang") or config.get("lang") or "")) or (
        languages[0] if languages else "en"
    )
    known = set(languages) | {default}
    collections = config.get("collections") or {}
    article_folders = {"_posts", "_drafts"} | {f"_{name}" for name in collections if name != "posts"}
    excluded = {str(name).strip("/") for name in config.get("exclude") or []}
    site = SiteImport(plan, source, default)
    site.find_tags = remaining_liquid
    site.convert_tags = convert_liquid
    places: dict[str, list[SourceFile]] = {}

    def skip(path: str) -> bool:
        name = posixpath.basename(path)
        top = path.split("/", 1)[0]
        if name.startswith(".") or path in excluded or top in SKIPPED_FOLDERS:
            return True
        return top.startswith("_") and top not in article_folders

    links: list[str] = []
    for relative in walk(source, skip, links):
        parts = relative.split("/")
        is_post = parts[0] in article_folders
        if not relative.endswith(POST_SUFFIXES if is_post else PAGE_SUFFIXES) or (
            not is_post
            and len(parts) == 1
            and parts[0].upper().startswith(("README", "LICENSE", "CHANGELOG"))
        ):
            continue
        file_shown = posixpath.join(shown, relative)
        try:
            meta, body = split_front_matter(
                read_text_limited(os.path.join(source, relative), file_shown), file_shown
            )
        except ValueError as error:
            plan.report.could_not(file_shown, str(error))
            continue
        if not is_post and not meta:
            continue  # Jekyll publishes a page only with front matter; without, it is a plain file
        file = source_file(
            os.path.join(source, relative), file_shown, parts, meta, body, is_post, known, default
        )
        site.add(file)
        for place in file.places:
            places.setdefault(place, []).append(file)
    for link in links:  # the ones that may hold posts or pages; a linked asset is not named
        if link.endswith(POST_SUFFIXES) or os.path.isdir(os.path.join(source, link)):
            plan.report.could_not(posixpath.join(shown, link), LINK_NOT_FOLLOWED)

    def resolve(destination: str, file: SourceFile) -> SourceFile | None:
        path = destination.split("#", 1)[0].split("?", 1)[0]
        if path.startswith("post_url:"):
            candidates = [path]
        elif not path or re.match(r"^[a-z]+:", path):
            return None
        else:
            candidates = [
                normal_place(path),
                normal_place(posixpath.join(posixpath.dirname(file.places[-1]), path)),
            ]
        for candidate in candidates:
            found = places.get(candidate)
            if found:
                return next((f for f in found if f.lang == file.lang), found[0])
        return None

    site.finish(resolve)
    return plan.finish([default, *languages])


def normal_place(path: str) -> str:
    path = path.strip("/")
    path = re.sub(r"\.(md|markdown|html)$", "", path)
    return re.sub(r"(^|/)index$", "", path).strip("/")


def source_file(path, shown, parts, meta, body, is_post, known, default) -> SourceFile:
    data = lowered(meta)
    lang = language_code(str(data.get("lang") or data.get("language") or ""))
    folders = parts[1:-1] if is_post else parts[:-1]
    if folders and language_code(folders[0]) in known:
        lang = lang or language_code(folders[0])
        folders = folders[1:]
    stem, extension = posixpath.splitext(parts[-1])
    head, dot, suffix = stem.rpartition(".")
    if dot and language_code(suffix) in known:
        lang, stem = lang or language_code(suffix), head
    lang = lang or default
    date = file_date(stem) if is_post else ""
    slug = str(data.get("slug") or (re.sub(r"^\d{4}-\d{1,2}-\d{1,2}-", "", stem) if is_post else stem))
    page_path = "/".join([*folders, stem])
    group = next((str(data[name]) for name in GROUP_KEYS if isinstance(data.get(name), str | int)), "")
    permalink = data.get("permalink") if isinstance(data.get("permalink"), str) else ""
    if group:
        group = f"ref:{group}"
    elif permalink and not is_post:
        group = f"permalink:{normal_place(permalink)}"
    else:
        group = f"{'post' if is_post else 'page'}:{page_path}"
    file = SourceFile(
        path=path,
        shown=shown,
        kind="articles" if is_post else "pages",
        lang=lang,
        group=group,
        meta=meta,
        body=body,
        body_format="html" if extension == ".html" else "markdown",
        slug=slug if slug != "index" else (folders[-1] if folders else "home"),
        date=date,
    )
    if parts[0] == "_drafts":
        file.meta = {**meta, "draft": True}
    file.places = [f"post_url:{'/'.join([*folders, stem])}", normal_place("/".join(parts))] if is_post else []
    if permalink:
        file.places.append(normal_place(permalink))
    if date:
        file.places.append(f"{date.replace('-', '/')}/{slug}")  # the "date" and "pretty" permalinks
    file.places.append(normal_place(page_path))
    return file
