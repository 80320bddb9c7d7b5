"""Where the press reaches into Pelican (and the libraries Pelican drives) past their public API.

Every patch of a Pelican object and every private attribute the press touches is here, and
nowhere else: a run wrapped, a generator's file listing and content cache replaced, a
content object's context, raw body and link resolution, Pelican's memo, the spinner's
thread. Each seam says why it is needed, and ``tests/test_pelican_seams.py`` fails when
an upgrade of Pelican or rich changes what it relies on, rather than letting the build go
wrong quietly. ``pyproject.toml`` bounds Pelican to the release line they were written for.
"""

from __future__ import annotations

import logging

from pelican.settings import DEFAULT_CONFIG

logger = logging.getLogger(__name__)


def stop_status_animation(_pelican=None) -> None:
    """Stop the thread that animates Pelican's "Generating..." spinner (``get_generators``).

    ``pelican.main`` runs the whole build inside ``console.status(…)``, a rich
    ``Live`` display whose ``_RefreshThread`` redraws it ten times a second.
    The press forks its page workers during the build, and a fork while that
    thread holds a lock (the console's, logging's, malloc's) can leave the
    child deadlocked (``press.parallel``).  The display stays (it is redrawn
    when something is logged); only its timer thread ends, and ``Live.stop``
    skips a refresh thread that is None.
    """
    try:
        from pelican.log import console
    except ImportError:
        return
    for live in list(getattr(console, "_live_stack", ())):
        thread = getattr(live, "_refresh_thread", None)
        if thread is None:
            continue
        thread.stop()
        thread.join()
        live._refresh_thread = None
        logger.debug("Pelican's status display is no longer animated: the build forks workers")


def replace_run(pelican, make_run) -> None:
    """Replace this Pelican instance's ``run`` with ``make_run(run)`` (``intake.guard_build``).

    Pelican has no signal around a whole run, and a failure inside must still leave the
    report written: the instance's bound method is wrapped, never Pelican's class.
    """
    pelican.run = make_run(pelican.run)


def replace_file_listing(generator, get_files) -> None:
    """The files this generator reads are ``get_files(paths, exclude, extensions)``.

    ``Generator.get_files`` walks the folders again and matches every file against
    ``IGNORE_FILES``; the press lists the versions its scan accepted instead
    (``reader.list_scanned_versions``). Set on the generator object, not its class.
    """
    generator.get_files = get_files


def skip_static_link_collection(generator) -> None:
    """This generator does not scan each content object's HTML for ``{static}``/``{attach}`` links.

    ``Generator.add_static_links`` adds what ``Content.get_static_links`` finds to
    ``context["static_links"]``, for the static generator to copy beside ``STATIC_PATHS``.
    The press's ``STATIC_PATHS`` hold every folder an accepted attachment can be in
    (the kinds' folders and ``images/``), and ``core.keep_only_attachments`` keeps only
    what the scan accepted, so the links found add nothing; scanning every body for them
    cost a tenth of a rebuild. Set on the generator object, not its class.
    """
    generator.add_static_links = lambda _content: None


def skip_article_pages(generator) -> None:
    """This articles generator writes none of Pelican's own pages.

    ``ArticlesGenerator.generate_pages`` writes the articles, archives, tags,
    categories, authors and drafts pages, every one of which the press switches
    off (``press.pelican_mechanics``: their ``*_SAVE_AS`` are empty); but it
    still works out each tag's and category's dated list first, scanning every
    article for each of them: minutes of a century's archive, for nothing
    written.  Its feeds and ``article_writer_finalized`` still run.  Set on the
    generator object, not its class.
    """
    generator.generate_pages = lambda _writer: None


def replace_content_cache(generator, get, remember) -> None:
    """The preview's content objects, through Pelican's cache hooks of one generator.

    ``Generator.get_cached_data(path, default)`` and ``cache_data(path, data)`` are what
    Pelican's own content cache (``CACHE_CONTENT``) uses; the preview session answers them
    from memory (``session.attach_to_generator``).
    """
    generator.get_cached_data = get
    generator.cache_data = remember


def point_content_at(content, context: dict) -> None:
    """A content object reused from an earlier run resolves its links against this run's context.

    ``Content._context`` is where ``{filename}`` and ``{static}`` links are looked up.
    """
    content._context = context


def content_html(content) -> str:
    """A content object's body as its reader gave it, before Pelican resolves its links
    (``Content._content``): what a listing's summary is made from."""
    return content._content or ""


def resolved_content(content, siteurl: str) -> str:
    """``content.get_content(siteurl)``: the body with its ``{filename}`` links resolved for a page
    at ``siteurl``, without Pelican's pass over a body that holds none.

    That pass (``Content._update_content``) tries a backtracking pattern at every tag,
    0.4 ms a body, for every page that shows it; a match needs a ``{`` or a ``|``
    (``INTRASITE_LINK_REGEX``), so a body with neither is already what it returns.
    """
    pattern = content.settings.get("INTRASITE_LINK_REGEX")
    if pattern == DEFAULT_CONFIG["INTRASITE_LINK_REGEX"] and not hasattr(content, "_get_content"):
        html = content._content or ""
        if "{" not in html and "|" not in html:
            return html
    return content.get_content(siteurl)


def resolve_content_links(content, html: str, siteurl: str) -> str:
    """``{filename}``/``{static}`` links of ``html`` resolved as ``content`` would resolve its own
    (``Content._update_content``), for a fragment shown on another page."""
    return content._update_content(html, siteurl)


def forget_content_memos() -> None:
    """Empty Pelican's class-level ``@memoized`` caches (``get_content``, ``get_summary``).

    They are dicts on the classes, keyed by content object: every object ever rendered,
    with the context of its run, would stay alive in a long-running preview otherwise.
    """
    from pelican.contents import Content
    from pelican.utils import memoized

    classes = [Content]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        for value in vars(cls).values():
            if isinstance(value, memoized):
                value.cache.clear()
