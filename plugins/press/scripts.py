"""Script-aware typography: what a language's script asks of the page.

One table, driven by the language code through Babel's CLDR data (the likely
script of a language, its default numbering system), gives the theme what it
needs to set type correctly in every script without hand-written exceptions
per page:

- ``data-script`` (``arab``, ``cjk``, ``kore``, ``deva``, …): the stylesheet picks
  a font stack that covers the script, never slants Arabic-script or CJK text
  (those scripts have no italics; the browser would fake an oblique) and uses
  bold or emphasis marks instead, and keeps Korean words whole;
- ``data-numerals`` (``arabext`` for Persian, ``arab``, ``deva``, …): ordered lists are
  numbered in the language's own digits (CSS ``list-style-type: persian``…),
  matching every number the interface prints (:func:`press.i18n.localize_digits`);
- a second calendar beside the Gregorian date where readers expect one (the
  Solar Hijri date on Persian pages).

No Pelican here: the site generator hands these values to the templates.
"""

from __future__ import annotations

import datetime
import functools

from babel.core import get_global

from .i18n import locale_for, localize_digits

# CLDR script codes -> the theme's script families (the values of data-script).
SCRIPT_FAMILIES = {
    "Arab": "arab",
    "Hebr": "hebr",
    "Hans": "cjk",
    "Hant": "cjk",
    "Jpan": "cjk",
    "Kore": "kore",
    "Deva": "deva",
    "Beng": "beng",
    "Thai": "thai",
    "Grek": "latn",
    "Cyrl": "latn",
    "Latn": "latn",
}
# Families whose text is never set in italics or obliques.
UPRIGHT_FAMILIES = frozenset({"arab", "hebr", "cjk", "kore", "deva", "beng", "thai"})

# The Solar Hijri months, as Persian writes them.
SOLAR_HIJRI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


@functools.lru_cache(maxsize=128)
def script_of(lang: str) -> str:
    """The ISO 15924 script a language is usually written in (``fa`` -> ``Arab``)."""
    locale = locale_for(lang)
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return next((part for part in parts[1:] if len(part) == 4 and part.istitle()), "Latn")


@functools.lru_cache(maxsize=128)
def script_family(lang: str) -> str:
    """The theme's name for the script family of ``lang`` (the ``data-script`` value)."""
    return SCRIPT_FAMILIES.get(script_of(lang), "other")


def upright(lang: str) -> bool:
    """True when the language's script has no italics (Arabic script, CJK, Indic…)."""
    return script_family(lang) in UPRIGHT_FAMILIES


@functools.lru_cache(maxsize=128)
def numerals(lang: str) -> str:
    """The language's default numbering system (``latn``, ``arabext``, ``arab``…)."""
    return locale_for(lang).default_numbering_system or "latn"


def solar_hijri_date(value: datetime.date | datetime.datetime) -> str:
    """``2026-06-21`` -> ``۳۱ خرداد ۱۴۰۵``."""
    import jdatetime

    day = value.date() if isinstance(value, datetime.datetime) else value
    jalali = jdatetime.date.fromgregorian(date=day)
    text = f"{jalali.day} {SOLAR_HIJRI_MONTHS[jalali.month - 1]} {jalali.year}"
    return localize_digits(text, "fa")


# language -> the calendar its readers expect beside the Gregorian date
SECOND_CALENDARS = {"fa": solar_hijri_date}


def second_calendar_date(value: datetime.date | datetime.datetime | None, lang: str) -> str:
    """The date in the language's second calendar, or '' where it has none."""
    convert = SECOND_CALENDARS.get(lang.split("-")[0].split("_")[0])
    return convert(value) if convert and value is not None else ""


def page_attributes(lang: str) -> dict[str, str]:
    """What the root (or a foreign-language) element carries for the stylesheet."""
    return {"data-script": script_family(lang), "data-numerals": numerals(lang)}
