"""Template filters for the sharing metadata of article pages.

Open Graph wants ``og:locale`` as ``language_TERRITORY`` (``it_IT``); the press
knows languages only.  The territory comes from CLDR's likely subtags through
Babel (``it`` -> ``it_IT``, ``fa`` -> ``fa_IR``, ``sv`` -> ``sv_SE``); a code
Babel does not know stays as it is.
"""

from __future__ import annotations

import functools

from babel.core import get_global, parse_locale
from markupsafe import Markup

from press.html.anchors import label_footnotes
from press.paper.i18n import localize_digits


@functools.lru_cache(maxsize=128)
def og_locale(lang: str) -> str:
    """``it`` -> ``it_IT``; a code with a territory keeps it; unknown codes unchanged."""
    try:
        language, territory, _script, _variant = parse_locale(lang.replace("-", "_"))
    except ValueError:
        return lang
    if not territory:
        likely = get_global("likely_subtags").get(language)
        if not likely:
            return lang
        territory = parse_locale(likely)[1]
    return f"{language}_{territory}" if territory else lang


def is_absolute_url(value: str | None) -> bool:
    """Whether a link names its scheme and host (Open Graph URLs must)."""
    return bool(value) and "://" in value


def footnote_labels(body, label: str, lang: str) -> Markup:
    """A body (HTML) whose notes read in ``lang``: their ways back named ``label`` (the
    template's translation), their references numbered in the language's digits."""
    return Markup(label_footnotes(str(body), label, lambda text: localize_digits(text, lang)))


def add_template_filters(pelican) -> None:
    """Offer the filters to every template (``initialized``); the settings dict is replaced, not changed."""
    settings = pelican.settings
    settings["JINJA_FILTERS"] = {
        **settings.get("JINJA_FILTERS", {}),
        "og_locale": og_locale,
        "footnote_labels": footnote_labels,
    }
    settings["JINJA_TESTS"] = {**settings.get("JINJA_TESTS", {}), "absolute_url": is_absolute_url}
