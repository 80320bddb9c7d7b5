"""Settings for previews and development builds (contract §2).

Any setting here can be overridden on the command line with
``pelican CONTENT -s pelicanconf.py -e 'KEY=JSON'``.
"""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent

PATH = "content"
OUTPUT_PATH = "output"

SITENAME = "The Central Organ"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "UTC"

DEFAULT_LANG = "en"
LANGUAGES = ["en", "it", "sv", "fa"]

PRESS_STRICT = False
# Issues' PDF, booklet and EPUB, and the offline copies (contract §4: an issue page links them);
# the preview (--autoreload) leaves them out, and an unchanged edition is copied from CACHE_PATH.
PRESS_EDITIONS = True
PRESS_REPORT = "press-report.json"
PRESS_SITE_NAME = {
    "en": "The Central Organ",
    "it": "L'Organo Centrale",
    "sv": "Centralorganet",
    "fa": "ارگان مرکزی",
}
# Sections, tags and publications (names per language) are in content/terms.toml.

# The press writes its own per-language Atom feeds; Pelican's are off (author
# feeds too: the press names no one).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

THEME = str(PROJECT / "theme")
PRESS_TRANSLATIONS = str(PROJECT / "translations")
# The press is one plugin, installed into the environment (requirements.txt: -e .).
PLUGINS = ["press"]
