"""Baseline "i18n_subsites": Pelican with the i18n_subsites plugin.

Everything in ``vanilla_settings.py`` plus the ``i18n_subsites`` namespace
plugin (``pelican.plugins.i18n_subsites`` from the pelican-i18n-subsites
package), which builds one sub-site per non-default language under
``OUTPUT/<lang>/`` and cross-links the translations.  The runner passes the
sub-sites on the command line, e.g.
``-e 'I18N_SUBSITES={"it": {}, "sv": {}}'``, since they depend on the
languages being measured.

Within each (sub-)site an article is written at ``<key>/``; the sub-site adds
the ``<lang>/`` prefix, so the layout matches the press's ``<lang>/<key>/``
for every language but the default one.
"""

import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("vanilla_settings.py"))).items()
        if name.isupper()
    }
)

SITENAME = "Benchmark press (i18n_subsites)"
SITEURL = ""
RELATIVE_URLS = False
PLUGINS = ["i18n_subsites"]
I18N_SUBSITES: dict[str, dict] = {}
I18N_UNTRANSLATED_ARTICLES = "hide"
I18N_UNTRANSLATED_PAGES = "hide"

ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
ARTICLE_LANG_URL = "{slug}/"
ARTICLE_LANG_SAVE_AS = "{slug}/index.html"
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"
PAGE_LANG_URL = "pages/{slug}/"
PAGE_LANG_SAVE_AS = "pages/{slug}/index.html"

# Each (sub-)site has its own feed of everything in its language.
TRANSLATION_FEED_ATOM = None
