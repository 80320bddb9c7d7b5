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
PRESS_REPORT = "press-report.json"
PRESS_SITE_NAME = {
    "en": "The Central Organ",
    "it": "L'Organo Centrale",
    "sv": "Centralorganet",
    "fa": "ارگان مرکزی",
}
PRESS_PUBLICATIONS = {
    "communist-left": {
        "en": "The Communist Left",
        "it": "La Sinistra Comunista",
        "sv": "Kommunistiska vänstern",
        "fa": "چپ کمونیست",
    },
}
PRESS_SECTIONS = {
    "party-press": {"en": "Party Press", "it": "Stampa di partito", "sv": "Partipress", "fa": "مطبوعات حزبی"},
    "translation": {"en": "Translation", "it": "Traduzione", "sv": "Översättning", "fa": "ترجمه"},
    "strikes": {"en": "Strikes", "it": "Scioperi", "sv": "Strejker", "fa": "اعتصاب‌ها"},
    "security-online": {
        "en": "Security Online",
        "it": "Sicurezza in rete",
        "sv": "Säkerhet på nätet",
        "fa": "امنیت آنلاین",
    },
}

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
