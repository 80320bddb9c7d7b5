"""Baseline "pelican": vanilla Pelican reading the press's content tree.

Pelican's own translation linking (``ARTICLE_TRANSLATION_ID = "slug"``), with
the slug and the language taken from the path ``<section>/<key>/<lang>.md``,
per-language URLs ``<lang>/<key>/``, the built-in ``simple`` theme, no plugins
and no caching.  ``DEFAULT_LANG`` comes from the command line
(``-e 'DEFAULT_LANG="en"'``), like the press's build.

Vanilla Pelican has no notion of inherited headers: translations carry no
``Date`` or ``Category`` in the press's layout, so they get ``DEFAULT_DATE``
and ``DEFAULT_CATEGORY`` (Pelican would otherwise skip an article without a
date).  Issues are read as pages, since vanilla Pelican has nothing closer.
"""

from pathlib import Path

import pelican

SITENAME = "Benchmark press (vanilla Pelican)"
SITEURL = ""
FEED_DOMAIN = "https://press.example"
RELATIVE_URLS = True
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

THEME = str(Path(pelican.__file__).resolve().parent / "themes" / "simple")
# An explicit empty list: with PLUGINS unset Pelican would load every
# installed namespace plugin, i18n_subsites included.
PLUGINS: list[str] = []

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages", "issues"]
STATIC_PATHS = ["articles"]  # the images beside the articles
PATH_METADATA = r"(?:articles|pages|issues)/(?P<slug>[a-z0-9][a-z0-9-]*)/(?P<lang>[a-z]{2,3})\.md"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Uncategorised"
DEFAULT_DATE = "2024-12-31"
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"

ARTICLE_URL = "{lang}/{slug}/"
ARTICLE_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_URL = "{lang}/pages/{slug}/"
PAGE_SAVE_AS = "{lang}/pages/{slug}/index.html"
PAGE_LANG_URL = "{lang}/pages/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/pages/{slug}/index.html"

# Feeds: everything, and one per language.
FEED_ALL_ATOM = "feeds/all.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# No caching: every build starts from nothing.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
