"""Pelican settings the press relies on, forced so that no settings file can break them.

Pelican reads the content (``articles/``, ``issues/``, ``pages/``) and copies
attachments; the press writes every page itself, per language, so Pelican's own
single-language outputs are all switched off.  A settings file that gives one
of these another value gets one log line per setting saying so
(:func:`overridden_settings`).
"""

from __future__ import annotations

OFF = ""

PELICAN_MECHANICS = {
    "ARTICLE_PATHS": ["articles", "issues"],
    "ARTICLE_EXCLUDES": [],
    "PAGE_PATHS": ["pages"],
    "PAGE_EXCLUDES": [],
    "STATIC_PATHS": ["articles", "issues", "pages", "images"],
    "STATIC_EXCLUDES": [],
    "STATIC_EXCLUDE_SOURCES": True,
    "STATIC_SAVE_AS": "{path}",
    "STATIC_URL": "{path}",
    "THEME_STATIC_PATHS": [],
    # The press groups versions itself (press.content.tree); Pelican's grouping
    # (process_translations) is quadratic in the number of articles: 11 s of
    # every build of a century's archive, for lists nothing of the press reads.
    "ARTICLE_TRANSLATION_ID": None,
    "PAGE_TRANSLATION_ID": None,
    "ARTICLE_URL": "{lang}/{slug}/",
    "ARTICLE_LANG_URL": "{lang}/{slug}/",
    "PAGE_URL": "{lang}/{slug}/",
    "PAGE_LANG_URL": "{lang}/{slug}/",
    "DIRECT_TEMPLATES": [],
    "PAGINATED_TEMPLATES": {},
    "TEMPLATE_PAGES": {},
    "DEFAULT_DATE": None,
    "WITH_FUTURE_DATES": True,
    "OUTPUT_SOURCES": False,
    "LOAD_CONTENT_CACHE": False,
    "CACHE_CONTENT": False,
    # Only the press's reader reads content: <lang>.md, nothing else.
    "READERS": {ext: None for ext in ("rst", "html", "htm", "markdown", "mkd", "mdown")},
    "JINJA_ENVIRONMENT": {
        "trim_blocks": True,
        "lstrip_blocks": True,
        "autoescape": True,
        "extensions": ["jinja2.ext.i18n"],
    },
    **{
        name: OFF
        for name in (
            "ARTICLE_SAVE_AS",
            "ARTICLE_LANG_SAVE_AS",
            "DRAFT_SAVE_AS",
            "DRAFT_LANG_SAVE_AS",
            "DRAFT_PAGE_SAVE_AS",
            "DRAFT_PAGE_LANG_SAVE_AS",
            "PAGE_SAVE_AS",
            "PAGE_LANG_SAVE_AS",
            "TAG_SAVE_AS",
            "TAGS_SAVE_AS",
            "CATEGORY_SAVE_AS",
            "CATEGORIES_SAVE_AS",
            "AUTHOR_SAVE_AS",
            "AUTHORS_SAVE_AS",
            "ARCHIVES_SAVE_AS",
            "YEAR_ARCHIVE_SAVE_AS",
            "MONTH_ARCHIVE_SAVE_AS",
            "DAY_ARCHIVE_SAVE_AS",
        )
    },
    **{
        name: None
        for name in (
            "FEED_ATOM",
            "FEED_RSS",
            "FEED_ALL_ATOM",
            "FEED_ALL_RSS",
            "CATEGORY_FEED_ATOM",
            "CATEGORY_FEED_RSS",
            "TAG_FEED_ATOM",
            "TAG_FEED_RSS",
            "AUTHOR_FEED_ATOM",
            "AUTHOR_FEED_RSS",
            "TRANSLATION_FEED_ATOM",
            "TRANSLATION_FEED_RSS",
        )
    },
}


# Pelican adds each kind's content folders to the other kind's excludes by itself.
AUTOMATIC_EXCLUDES = {"ARTICLE_EXCLUDES": "PAGE_PATHS", "PAGE_EXCLUDES": "ARTICLE_PATHS"}


def overridden_settings(settings: dict, defaults: dict) -> list[tuple[str, object, object]]:
    """``(name, value set, value forced)`` for each forced setting the user set otherwise.

    A value equal to Pelican's default (``defaults``) counts as not set: only a
    choice the settings file (or a ``-e`` override) made is worth a word.
    """
    overridden = []
    for name, forced in PELICAN_MECHANICS.items():
        if name not in settings:
            continue
        value = settings[name]
        if name in AUTOMATIC_EXCLUDES:
            added = settings.get(AUTOMATIC_EXCLUDES[name]) or []
            value = [path for path in value if path not in added]
        if value != forced and (name not in defaults or value != defaults[name]):
            overridden.append((name, value, forced))
    return overridden
