"""The press's Markdown reader."""

from __future__ import annotations

import dataclasses
import logging
import os
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from markupsafe import Markup, escape
from pelican.readers import BaseReader
from pelican.urlwrappers import Category, Tag
from pelican.utils import SafeDatetime

from press import build
from press.candidates import blank_run_start, positions_of, substitute_from
from press.content.intake import refused_reference, refused_reference_problems, resolve_reference
from press.content.limits import Exceeded, limits_from_settings, text_exceeds
from press.content.tree import KINDS, Group, Version, parse_date, split_list, version_named
from press.files import relative_to_folder
from press.html.anchors import add_heading_ids
from press.html.plaintext import as_html, summary_from_body
from press.html.render import RenderCache, markdown_options
from press.html.sanitize import checked_and_cleaned, line_of, plain_text
from press.parallel import map_in_workers, runs_in_parallel, worker_count
from press.pipeline import pelican_seams
from press.pipeline.carried import CarriedBodies, CarriedFindings, CarriedReadings
from press.pipeline.session import current_session
from press.problems import add_internal_error, failure_place

logger = logging.getLogger(__name__)

LINK_NAMES = ("href", "src")
LINK_ATTRIBUTE = re.compile(
    rf"""(?P<space>\s*)(?P<attr>\b(?:{"|".join(LINK_NAMES)})=)(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""",
    re.IGNORECASE,
)
LINK_NAME_LENGTHS = frozenset(len(name) for name in LINK_NAMES)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#|\{(?:index|tag|category|author)\})", re.I)
INLINE_FIELDS = ("summary",)

_render_cache: RenderCache | None = None


def render_cache(settings: dict) -> RenderCache:
    """The render cache, kept across autoreload runs: it is content-addressed."""
    global _render_cache
    options = markdown_options(settings)
    cache_dir = settings.get("CACHE_PATH") if settings.get("PRESS_RENDER_CACHE") else None
    if _render_cache is None or _render_cache.options != options or _render_cache.cache_dir != cache_dir:
        _render_cache = RenderCache(options, cache_dir, worker_count(settings))
    return _render_cache


def add_reader(readers) -> None:
    """Read ``.md`` files with the press's reader (``readers_init``); the others are off."""
    readers.reader_classes["md"] = PressReader


def list_scanned_versions(generator) -> None:
    """``article_generator_init`` / ``page_generator_init``: the files to read are the
    versions the scan accepted, listed from the tree rather than by walking the folders
    again (Pelican's ``get_files`` matches every file against ``IGNORE_FILES``).

    Set on this generator object only, never on Pelican's class.
    """
    tree = build.of(generator.settings).tree

    def get_files(paths, exclude=None, extensions=None) -> set[str]:
        if extensions not in (None, False) and "md" not in extensions:
            return set()
        folders = {paths} if isinstance(paths, str) else set(paths)
        folders -= set(exclude or ())
        return {
            version.path.replace("/", os.sep)
            for version in tree.versions()
            if version.path.split("/", 1)[0] in folders
        }

    pelican_seams.replace_file_listing(generator, get_files)
    pelican_seams.skip_static_link_collection(generator)
    if hasattr(generator, "generate_tags"):  # the articles generator: none of its pages is written
        pelican_seams.skip_article_pages(generator)


def prewarm_render_cache(generator) -> None:
    """Render every body not yet cached, compare translations with their originals,
    and prepare the bodies Pelican is about to read, on every core
    (``article_generator_init``), before Pelican reads the files one by one."""
    current = build.of(generator.settings)
    cache = render_cache(generator.settings)
    # With cmark-gfm, prewarming renders nothing (one by one is faster) and only marks every
    # text as used, for the preview's next run to keep in memory: the first run of a process
    # renders only what the carried records (press.pipeline.carried) do not hold, as it reads it.
    session = current_session()
    if cache.path is not None or (session is not None and session.runs > 1):
        texts = []
        for version in current.tree.versions():
            texts.append(version.source.body)
            texts.extend(version.source.value(name) or "" for name in INLINE_FIELDS)
        rendered = cache.prewarm(text for text in texts if text)
        if rendered:
            logger.info("Rendered %d Markdown bodies on %d cores", rendered, cache.workers)
    # every body is rendered now: compare translations with originals as readers see them
    # (each key's findings are kept in the session's memory, and in CACHE_PATH for the next process)
    remembered = CarriedFindings(current, generator.settings, session)
    current.check_translations(cache.render, remembered=remembered)
    remembered.save()
    queue_body_preparation(current, generator.settings)


def queue_body_preparation(current: build.Build, settings: dict) -> None:
    """Make the page HTML of every body the reader will ask for, on every core.

    Rendering, the sanitizer, the links and the heading ids are most of reading
    a file, and Pelican reads them one by one; a version the preview session
    hands back unchanged is not prepared, nor one an earlier process prepared
    from the same file in the same tree (``CACHE_PATH``, press.pipeline.carried).
    What preparing a body reports (unsafe HTML, a link out of content/) is
    recorded when the reader takes it, so that the session keeps it with the file.
    """
    session = current_session()
    # after the preview's first run its session knows every body: the record is not read again
    carried = CarriedBodies(current, settings, session) if session is None or session.runs <= 1 else None
    versions = [
        version
        for version in current.tree.versions()
        if current.publishable(current.tree.group(version.kind, version.key), version)
        and not (session is not None and session.can_reuse(current, version.path))
    ]
    prepared: dict[str, tuple[str, list]] = {}
    pending = []
    for version in versions:
        found = carried.prepared(version) if carried is not None else None
        if found is None:
            pending.append(version)
        else:
            prepared[version.path] = found
    reused = len(prepared)
    if carried is not None or runs_in_parallel(len(pending), worker_count(settings)):

        def prepare(version: Version) -> tuple[str, list]:
            # what preparing reports is taken out of the collector, here or in a worker: the
            # reader adds it when it takes the body, so the session keeps it with the file
            before = len(current.problems)
            html = body_html(current, settings, version)
            return html, current.problems.take_since(before)

        made = map_in_workers(prepare, pending, worker_count(settings))
        for version, (html, problems) in zip(pending, made, strict=True):
            prepared[version.path] = (html, problems)
            if carried is not None:
                carried.remember(version, html, problems)
        current.prepared_bodies = prepared
    # else (a later run of the preview, few bodies): prepared one by one as Pelican reads them
    if carried is not None:
        carried.save(reused)
        # what reading the headers makes of each version: carried too, or made here once
        prepare_readings(current, settings, session, versions, prepared)


def prepare_readings(current: build.Build, settings: dict, session, versions, prepared: dict) -> None:
    """Add to each prepared body its version's Pelican metadata, as JSON fields (``CACHE_PATH``),
    and what reading its headers reported; the reader takes both with the body."""
    readings = CarriedReadings(current, settings, session)
    for version in versions:
        body = prepared.get(version.path)
        if body is None:
            continue
        group = current.tree.group(version.kind, version.key)
        found = readings.reading(group, version)
        if found is None:
            before = len(current.problems)
            metadata = version_metadata(current, settings, group, version, body[0])
            problems = current.problems.take_since(before)
            fields = metadata_fields(metadata)
            if fields is not None:
                readings.remember(group, version, fields, problems)
            # the reader takes the metadata made here as it is, or makes it again if it cannot be carried
            found = (fields, problems, metadata if fields is not None else None)
        prepared[version.path] = (*body[:2], *found)
    readings.save()


def metadata_fields(metadata: dict) -> dict | None:
    """Pelican's metadata of a version as JSON; None when a value is of no kind carried."""
    fields: dict[str, list] = {}
    for name, value in metadata.items():
        if isinstance(value, Markup):
            fields[name] = ["markup", str(value)]
        elif isinstance(value, str):
            fields[name] = ["text", value]
        elif value is None or isinstance(value, bool | int):
            fields[name] = ["json", value]
        elif isinstance(value, SafeDatetime) and value.tzinfo is None and not value.microsecond:
            fields[name] = ["date", list(value.timetuple()[:6])]
        elif isinstance(value, Category):
            fields[name] = ["category", value.name]
        elif isinstance(value, list) and all(isinstance(tag, Tag) for tag in value):
            fields[name] = ["tags", [tag.name for tag in value]]
        else:
            return None
    return fields


def metadata_from_fields(fields, settings: dict) -> dict | None:
    """The metadata :func:`metadata_fields` carried; None when the record says something else."""
    if not isinstance(fields, dict):
        return None
    metadata: dict = {}
    for name, field in fields.items():
        if not (isinstance(field, list) and len(field) == 2):
            return None
        kind, value = field
        if kind == "markup" and isinstance(value, str):
            metadata[name] = Markup(value)
        elif (kind == "text" and isinstance(value, str)) or kind == "json":
            metadata[name] = value
        elif kind == "date" and isinstance(value, list) and len(value) == 6:
            metadata[name] = SafeDatetime(*value)
        elif kind == "category" and isinstance(value, str):
            metadata[name] = run_label(build.of(settings), Category, value)
        elif kind == "tags" and isinstance(value, list):
            metadata[name] = [run_label(build.of(settings), Tag, tag) for tag in value]
        else:
            return None
    return metadata


def run_label(current: build.Build, kind: type, name: str):
    """The run's one ``Category`` or ``Tag`` object named ``name``.

    Pelican groups articles by these objects, hashed by their slug, which each
    object makes once: one object per name makes one slug per name, not one per
    article and tag (a tenth of reading an unchanged archive).
    """
    found = current.labels.get((kind.__name__, name))
    if found is None:
        found = current.labels[(kind.__name__, name)] = kind(name, current.settings)
    return found


def body_html(current: build.Build, settings: dict, version: Version) -> str:
    """A version's body as its page shows it: rendered, made safe, links resolved, headings named.

    A body over a limit (press.content.limits) is reported and shows nothing.
    """
    cache = render_cache(settings)
    html = cache.render(version.source.body)
    exceeded = cache.refusal(version.source.body)
    if exceeded is not None:
        report_refused(current, version, exceeded, version.source.body_line)
        return ""
    html = safe_html(current, version, html, version.source.body, version.source.body_line)
    return add_heading_ids(rewrite_links(current, version, html))


def report_refused(
    current: build.Build, version: Version, exceeded: Exceeded, first_line: int, header: bool = False
) -> None:
    """An ``unsafe-file`` problem for a text over a limit; a header's always names its line."""
    if header and exceeded.line is None:
        exceeded = dataclasses.replace(exceeded, line=1)
    current.problems.add_for("unsafe-file", version, exceeded.message(first_line))


def save_render_cache(_pelican) -> None:
    """Keep the rendered bodies for the next build (``all_generators_finalized``)."""
    if _render_cache is not None:
        _render_cache.save()
        _render_cache.release()


def publishable_date(current: build.Build, group: Group) -> SafeDatetime | None:
    parsed = parse_date(group.editorial("date", current.languages))
    return SafeDatetime(*parsed.timetuple()[:6]) if parsed else None


def version_url(version: Version) -> str:
    if version.kind == "issues":
        return f"{version.lang}/issues/{version.key}/"
    return f"{version.lang}/{version.key}/"


class PressReader(BaseReader):
    """Reads ``<kind>/<key>/<lang>.md`` from the tree that press_core scanned."""

    enabled = True
    file_extensions = ("md",)

    def read(self, source_path: str):
        current = build.of(self.settings)
        relative = relative_to_folder(current.content_path, source_path)
        try:
            return self.read_version(current, relative)
        except Exception as error:
            add_internal_error(current.problems, error, f"reading {relative} ({failure_place(error)})")
            logger.error(
                "Could not read %s: %s: %s (listed in the report)", relative, type(error).__name__, error
            )
            return None, {"status": "skip"}

    def read_version(self, current: build.Build, relative: str):
        version = current.tree.version_at(relative)
        if version is None:
            return None, {"status": "skip"}  # rejected by the scan, already reported
        group = current.tree.group(version.kind, version.key)
        reason = current.unpublishable_reason(group, version)
        if reason:
            logger.info("Not publishing %s: %s", relative, reason)
            return None, {"status": "skip"}
        prepared = current.prepared_bodies.pop(version.path, None)
        if prepared is None:
            html, reading = body_html(current, self.settings, version), ()
        else:
            html, problems, *reading = prepared
            current.problems.add_again(problems)
        metadata = None
        if reading:
            made = reading[2] if len(reading) > 2 else None
            metadata = made if made is not None else metadata_from_fields(reading[0], self.settings)
        if metadata is None:
            return html, self.metadata_for(current, group, version, html)
        current.problems.add_again(reading[1])  # what reading the headers reported, carried or made ahead
        return html, metadata

    def metadata_for(self, current: build.Build, group: Group, version: Version, html: str) -> dict:
        """Pelican's metadata of a version; ``html`` is its body as the page shows it."""
        return version_metadata(current, self.settings, group, version, html)


def version_metadata(current: build.Build, settings: dict, group: Group, version: Version, html: str) -> dict:
    """Pelican's metadata of a version; ``html`` is its body as the page shows it."""
    languages = current.languages
    metadata = {
        # A title is text: "Wages < profits > rents" is shown as written, never read as tags.
        "title": escape(version.title),
        "lang": version.lang,
        "slug": version.key,
        "url": version_url(version),
        "save_as": "",
        "press_kind": version.kind,
        "press_key": version.key,
        "press_revision": version.revision,
        "translation": "true" if version.is_translation else "false",
        "status": "published",
    }
    date = publishable_date(current, group)
    if date is not None:
        metadata["date"] = date
    category = group.editorial("category", languages)
    if category and category.strip():
        metadata["category"] = run_label(current, Category, category.strip())
    tags = split_list(group.editorial("tags", languages))
    if tags:
        metadata["tags"] = [run_label(current, Tag, tag) for tag in tags]
    for name in ("summary", "share"):
        header = version.source.headers.get(name)
        if header and header.value:
            if name in INLINE_FIELDS:
                value = inline_markdown(current, settings, version, header)
            elif refused_text(current, settings, version, header):
                continue  # reported; no sanitizer reads it
            else:
                value = header.value
            value = safe_html(current, version, value, header.value, header.line)
            # A summary is shown as HTML on cards; a caption is text wherever it goes.
            metadata[name] = (
                rewrite_links(current, version, value) if name in INLINE_FIELDS else plain_text(value)
            )
    if "summary" not in metadata:
        # Summary is optional: the standfirst is then the body's first words, as text
        # (HTML-escaped, as templates take a summary), never the body's markup.
        metadata["summary"] = as_html(
            summary_from_body(
                html,
                settings.get("SUMMARY_MAX_LENGTH") or 50,
                settings.get("SUMMARY_END_SUFFIX", "…"),
            )
        )
    if current.is_draft(group, version):
        metadata["press_draft"] = "true"
    return metadata


def refused_text(current: build.Build, settings: dict, version: Version, header) -> bool:
    """Whether a header's text (HTML allowed) is over a limit, which is then reported."""
    exceeded = text_exceeds(header.value, limits_from_settings(settings))
    if exceeded is not None:
        report_refused(current, version, exceeded, header.line, header=True)
    return exceeded is not None


def inline_markdown(current: build.Build, settings: dict, version: Version, header) -> str:
    """A header's Markdown (the summary) as inline HTML; a text over a limit is reported."""
    cache = render_cache(settings)
    html = cache.render(header.value)
    exceeded = cache.refusal(header.value)
    if exceeded is not None:
        report_refused(current, version, exceeded, header.line, header=True)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def safe_html(current: build.Build, version: Version, html: str, source: str, first_line: int) -> str:
    """Report what the HTML may not do (unsafe-html, and unsafe-file for a reference to a file
    outside content/, each with its line); return it cleaned."""
    folder = f"{version.kind}/{version.key}"
    for message in refused_reference_problems(html, source, first_line, folder, current.tree.languages):
        current.problems.add_for("unsafe-file", version, message)
    found, cleaned = checked_and_cleaned(html)
    for unsafe in found:
        line = line_of(source, unsafe.needle, first_line)
        current.problems.add_for(
            "unsafe-html",
            version,
            (
                f"line {line}: {unsafe.what}: HTML in content may format text, but not run scripts, "
                "embed frames or load anything from another host; it is removed from the page. "
                "Remove it from the file (put images and media beside the article)."
            ),
        )
    return cleaned


def rewrite_links(current: build.Build, version: Version, html: str) -> str:
    """Same-language ``{filename}`` targets and shared attachments."""
    folder = f"{version.kind}/{version.key}"
    attachments = set(current.tree.attachments.get((version.kind, version.key), ()))

    def replace(match: re.Match) -> str:
        value = match.group("value")
        if refused_reference(value, folder, current.tree.languages):
            value = "#"  # reported with its line by safe_html
        elif value.startswith("{filename}"):
            target = same_language_target(current, version, value[10:])
            if target is None:
                # a version not published in this build (dated later, a draft, under embargo, or
                # gone): the words stay, the link goes (a reader would get a dead link, and its
                # address would name a key not yet public); it comes back when its target is out
                return ""
            value = "{filename}" + target
        elif value.startswith(("{static}", "{attach}")):
            target = file_target(current, version, value[8:])
            if target is None:
                return ""  # a file that is not there: the words stay (warned, naming the file)
            value = "{static}" + target
        elif not EXTERNAL.match(value) and not value.startswith("{"):
            path = value.split("#")[0].split("?")[0]
            if path in attachments:
                value = "{static}" + value
        return (
            f"{match.group('space')}{match.group('attr')}{match.group('quote')}{value}{match.group('quote')}"
        )

    return substitute_from(LINK_ATTRIBUTE, replace, html, link_starts(html))


def link_starts(html: str) -> Iterator[int]:
    """Where a match of LINK_ATTRIBUTE can begin (press.candidates): the first of the blanks
    before a name that ends at a ``=``, or the name itself.

    A match at any other blank of the run would hold the same name, quote and value, and one
    there fails if the first fails; a previous match ends on a quote, never inside the run.
    Trying every blank cost the square of the run: a code block of 8,000 spaces and a ``=``
    took 0.74 s, one of the 500,000 bytes a body may have would take most of an hour.
    """
    for equals in positions_of(html, "="):
        for length in LINK_NAME_LENGTHS:
            name_start = equals - length
            if name_start >= 0:
                yield blank_run_start(html, name_start)
                yield name_start


def same_language_target(current: build.Build, version: Version, target: str) -> str | None:
    """Point a link of ``version`` to another key's version at the version in its language if there
    is one.

    None when it names a version of which no version is published in this build, or a
    version file that is not there; a link to anything else (an attachment) is kept.
    """
    folder = f"{version.kind}/{version.key}"
    path, separator, fragment = target.partition("#")
    resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path))
    named = version_named(resolved)
    if named is None or named[0] not in KINDS:
        return file_target(current, version, target)  # not a version: an attachment
    kind, key, lang = named
    group = current.tree.group(kind, key)
    if group is None:
        logger.warning(
            "%s: the link to %s leads to no article or page (no folder %s/%s): its words are shown "
            "without the link; correct the link or remove it",
            version.path,
            target,
            kind,
            key,
        )
        return None
    # the version named, or any other of its key (a translator may name a version that does not exist)
    preferred = [version.lang, lang, current.default_lang, *current.languages]
    for candidate in preferred:
        other = group.versions.get(candidate)
        if other is not None and current.publishable(group, other):
            return relative_path(other.path, folder) + separator + fragment
    return None


def file_target(current: build.Build, version: Version, target: str) -> str | None:
    """``target`` (a ``{static}``, ``{attach}`` or ``{filename}`` link to a file that is not a
    version) when it names a file the build publishes; else None, with a warning naming the
    file: Pelican would leave the placeholder itself in the page, a dead link."""
    resolved = resolve_reference(f"{version.kind}/{version.key}", target)
    published = current.tree.published_files
    # as Pelican finds it: the path as written, else unquoted (my%C3%BC.pdf)
    if resolved is not None and (resolved in published or unquote(resolved) in published):
        return target
    logger.warning(
        "%s: the link to %s leads to no file of the content folder (%s is not there, or is not "
        "published): its words are shown without the link; correct the link or remove it",
        version.path,
        target,
        resolved,
    )
    return None


def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath`` for two normalised paths relative to the content folder.

    The same answer without ``relpath``'s ``abspath`` calls (a ``getcwd`` each),
    which took a third of the reader's time on a tree with many links.
    """
    target, base = path.split("/"), start.split("/")
    common = 0
    while common < min(len(target), len(base)) and target[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "."
