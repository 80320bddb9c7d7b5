"""The sitemap: every HTML page the site generator wrote, with its language versions.

Each page is listed once with an ``<xhtml:link rel="alternate" hreflang>`` for
every version of its content and an ``x-default`` (the default language's
version, else the first one), the same links its ``<head>`` carries.  404 pages
and the root redirect are left out.  Pages are ordered by the order of
``LANGUAGES``, then by address, so the file only changes when the site does.

Sitemaps want absolute URLs, and only ``SITEURL`` says where the site lives.
Without it (previews, pelicanconf.py) the sitemap lists paths relative to the
site root, where it is written, and says so in the log; publishconf.py sets
``SITEURL``.  ``robots.txt`` points crawlers to the sitemap and away from the
search bundle.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

from press import build
from press.files import hash_parts
from press.pipeline.carried import CarriedOutputs
from press.pipeline.images import output_stat_of
from press.pipeline.site.pages import page_target
from press.pipeline.written import announce_written

logger = logging.getLogger(__name__)

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ROOT_PAGE = "index.html"
NOT_FOUND_PAGE = "404.html"
SEARCH_BUNDLE = "pagefind/"
SITEMAP_RECORD = "press-sitemap-{output}.json"
SITEMAP_FORMAT = "1"  # render_sitemap's layout: a new one writes the sitemap again


def write_sitemap(pelican) -> None:
    """Write sitemap.xml and robots.txt at the output root (connected to ``finalized``)."""
    current = build.of(pelican.settings)
    siteurl = (pelican.settings.get("SITEURL") or "").rstrip("/")
    preparing = set(getattr(current, "preparing", ()))  # previews are never announced to crawlers
    pages = listed_pages([page for page in current.pages if page.lang not in preparing], current.languages)
    if not siteurl:
        logger.info(
            "SITEURL is not set: %s lists paths relative to the site root "
            "(set SITEURL, as publishconf.py does, for the absolute URLs crawlers need)",
            SITEMAP,
        )
    output = pelican.output_path
    written = []
    # What the sitemap lists, named once: a build that lists the same leaves the file alone
    # (its bytes and its modification time), and renders nothing.
    record = CarriedOutputs(current, pelican.settings, output, SITEMAP_RECORD)
    inputs = sitemap_inputs(pages, siteurl, current.default_lang)
    target = os.path.join(output, SITEMAP)
    entry = record.previous(SITEMAP)
    stat = output_stat_of(target)
    if entry is None or entry.get("digest") != inputs or entry.get("output") != stat or stat is None:
        write_text(target, render_sitemap(pages, siteurl, current.default_lang))
        written.append(SITEMAP)
        logger.info("Sitemap written with %d pages", len(pages))
    else:
        logger.info("Sitemap unchanged (%d pages)", len(pages))
    stat = output_stat_of(target)
    if stat is not None:
        record.keep(SITEMAP, {"digest": inputs, "output": stat})
    record.save()
    if write_if_different(os.path.join(output, ROBOTS), render_robots(siteurl)):
        written.append(ROBOTS)
    for name in written:
        announce_written(output, name, dict(pelican.settings))


def sitemap_inputs(pages, siteurl: str, default_lang: str) -> str:
    """Everything render_sitemap reads, as one digest."""
    listed = [(page.path, page.lang, page.alternates, getattr(page, "lastmod", None)) for page in pages]
    return hash_parts(SITEMAP_FORMAT, siteurl, default_lang, repr(listed))


def listed_pages(pages, languages: list[str]) -> list:
    """The pages a sitemap lists, in a stable order."""
    order = {lang: index for index, lang in enumerate(languages)}
    kept = [
        page for page in pages if page.path != ROOT_PAGE and os.path.basename(page.path) != NOT_FOUND_PAGE
    ]
    return sorted(
        kept, key=lambda page: (order.get(page.lang, len(order)), page.lang, page_target(page.path))
    )


def locate(siteurl: str, target: str) -> str:
    """The URL of a site path: absolute under SITEURL, else relative to the site root."""
    path = quote(target, safe="/-._~")
    return f"{siteurl}/{path}" if siteurl else path


def hreflang(lang: str) -> str:
    return lang.replace("_", "-")


def render_sitemap(pages, siteurl: str, default_lang: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for page in pages:
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(locate(siteurl, page_target(page.path)))}</loc>")
        lastmod = getattr(page, "lastmod", None)
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod:%Y-%m-%dT%H:%M:%S}Z</lastmod>")
        alternates = dict(page.alternates) or {page.lang: page_target(page.path)}
        default = alternates.get(default_lang) or next(iter(alternates.values()))
        links = [*((hreflang(lang), target) for lang, target in alternates.items()), ("x-default", default)]
        for code, target in links:
            href = quoteattr(locate(siteurl, target))
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{code}" href={href}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_robots(siteurl: str) -> str:
    prefix = urlsplit(siteurl).path.rstrip("/") if siteurl else ""
    sitemap = f"{siteurl}/{SITEMAP}" if siteurl else f"/{SITEMAP}"
    return f"User-agent: *\nDisallow: {prefix}/{SEARCH_BUNDLE}\n\nSitemap: {sitemap}\n"


def write_if_different(path: str, text: str) -> bool:
    """Write a small text unless the file holds it already; whether it was written."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            if handle.read() == text:
                return False
    except (OSError, ValueError):
        pass
    write_text(path, text)
    return True


def write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
