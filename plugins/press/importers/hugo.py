"""A Hugo site into a content folder.

Languages come from the site configuration (``hugo.*`` or ``config.*``, also under
``config/_default/``): ``defaultContentLanguage`` and ``languages.<lang>.contentDir``. A file's
language is its language's content folder, else a first folder named after a language
(``content/fr/…``), else its name's suffix (``about.fr.md``), else the default language.
Versions are tied by ``translationKey`` or, as Hugo does, by their path without the language.
Files in a blog-like section (``post``, ``posts``, ``blog``, ``news``, ``articles``) become
articles, the rest pages; ``ref``/``relref`` links become ``{filename}`` links.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tomllib

from press.importers import markup
from press.importers.sitefiles import (
    LINK_NOT_FOLLOWED,
    SiteImport,
    SourceFile,
    lowered,
    safe_yaml,
    split_front_matter,
    walk,
)
from press.importers.writer import (
    ContentPlan,
    ImportRefused,
    ImportReport,
    language_code,
    read_text_limited,
    safe_relative,
)

CONFIG_NAMES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
ARTICLE_SECTIONS = frozenset({"post", "posts", "blog", "news", "articles", "article"})
CONTENT_SUFFIXES = (".md", ".markdown", ".html")
REF = re.compile(r"\{\{[<%]\s*(?:rel)?ref\s+\"?(?P<path>[^\"\s>%]+)\"?\s*[>%]\}\}")


def read_config(source: str) -> dict:
    for folder in ("", "config/_default"):
        for name in CONFIG_NAMES:
            path = os.path.join(source, folder, name)
            if os.path.isfile(path):
                text = read_text_limited(path, path)
                try:
                    if name.endswith(".toml"):
                        return tomllib.loads(text)
                    if name.endswith(".json"):
                        data = json.loads(text)
                        return data if isinstance(data, dict) else {}
                    data = safe_yaml(text, path)
                    return data if isinstance(data, dict) else {}
                except (ValueError, RecursionError) as error:  # TOML's and JSON's errors are ValueErrors
                    raise ImportRefused(f"{path} cannot be read ({str(error).splitlines()[0]})") from None
    return {}


def import_hugo(source: str, target: str, shown: str | None = None) -> ImportReport:
    shown = shown or source
    if not os.path.isdir(source):
        raise ImportRefused(f"{shown} is not a folder: give the Hugo site's folder (the one with content/)")
    plan = ContentPlan(target, source)
    config = {key.lower(): value for key, value in read_config(source).items()}
    default = language_code(config.get("defaultcontentlanguage") or "en") or "en"
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    known = {language_code(lang): settings for lang, settings in languages.items() if language_code(lang)}
    roots: list[tuple[str, str | None]] = []
    for lang, settings in known.items():
        folder = (lowered(settings).get("contentdir") if isinstance(settings, dict) else None) or ""
        if folder:
            roots.append((safe_relative(folder, f"{shown} (languages.{lang}.contentDir)"), lang))
    if not roots:
        roots.append((safe_relative(str(config.get("contentdir") or "content"), shown), None))
    site = SiteImport(plan, source, default)
    site.find_tags = lambda body: markup.hugo_shortcodes(REF.sub("", body))
    site.absolute_roots = ["static", ""]
    site.convert_tags = lambda body: REF.sub(lambda match: match.group("path"), body)
    places: dict[str, list[SourceFile]] = {}
    for folder, root_lang in roots:
        base = os.path.join(source, folder)
        if not os.path.isdir(base):
            plan.report.could_not(posixpath.join(shown, folder), "no such content folder")
            continue
        links: list[str] = []
        for relative in walk(base, lambda path: posixpath.basename(path).startswith("."), links):
            file_shown = posixpath.join(shown, folder, relative)
            if not relative.endswith(CONTENT_SUFFIXES):
                continue
            file = read_file(
                os.path.join(base, relative), file_shown, relative, root_lang, set(known), default
            )
            if isinstance(file, str):
                plan.report.could_not(file_shown, file)
                continue
            if file is None:
                continue
            site.add(file)
            for place in file.places:
                places.setdefault(place, []).append(file)
        for link in links:
            plan.report.could_not(posixpath.join(shown, folder, link), LINK_NOT_FOLLOWED)

    def resolve(destination: str, file: SourceFile) -> SourceFile | None:
        path = destination.split("#", 1)[0].split("?", 1)[0]
        if not path or re.match(r"^[a-z]+:", path):
            return None
        if not path.startswith("/"):
            here = posixpath.dirname(file.places[0]) if file.places else ""
            candidates = [normal_place(posixpath.normpath(posixpath.join(here, path))), normal_place(path)]
        else:
            candidates = [normal_place(path)]
        for candidate in candidates:
            found = places.get(candidate)
            if found:
                return next((f for f in found if f.lang == file.lang), found[0])
        return None

    site.finish(resolve)
    return plan.finish([default])


def normal_place(path: str) -> str:
    """A link target or file path as Hugo's page path: no slashes around, no extension or index."""
    path = path.strip("/")
    path = re.sub(r"\.(md|markdown|html)$", "", path)
    path = re.sub(r"(^|/)_?index$", "", path)
    return path.strip("/")


def read_file(path, shown, relative, root_lang, known: set[str], default: str) -> SourceFile | str | None:
    """One content file, or why it is not imported (a string), or None when it is not content."""
    parts = relative.split("/")
    lang = root_lang
    if lang is None and len(parts) > 1 and parts[0] in known:
        lang, parts = parts[0], parts[1:]
    stem, extension = posixpath.splitext(parts[-1])
    head, dot, suffix = stem.rpartition(".")
    if dot and language_code(suffix) and (language_code(suffix) in known or not known):
        lang, stem = language_code(suffix), head
    lang = lang or default
    folders = parts[:-1]
    bundle = stem in ("index", "_index")
    page_path = "/".join(folders if bundle else [*folders, stem])
    try:
        meta, body = split_front_matter(read_text_limited(path, shown), shown)
    except ValueError as error:
        return str(error)
    if stem == "_index" and folders and not body.strip():
        return None  # a section's list page with no text of its own: Hugo makes it, the press does too
    data = lowered(meta)
    kind = (
        "articles"
        if folders and folders[0].lower() in ARTICLE_SECTIONS and page_path != folders[0]
        else "pages"
    )
    group = str(data.get("translationkey") or "")
    slug = str(data.get("slug") or (folders[-1] if bundle and folders else ("home" if bundle else stem)))
    file = SourceFile(
        path=path,
        shown=shown,
        kind=kind,
        lang=lang,
        group=f"key:{group}" if group else f"path:{page_path or '/'}",
        meta=meta,
        body=body,
        body_format="html" if extension == ".html" else "markdown",
        slug=slug,
    )
    file.places = [page_path]
    if isinstance(data.get("url"), str):
        file.places.append(normal_place(data["url"]))
    if data.get("slug"):
        file.places.append("/".join([*folders[: -1 if bundle else None], str(data["slug"])]).strip("/"))
    return file
