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
  matching every number the interface prints (:func:`press.paper.i18n.localize_digits`);
- the calendars a language dates by, first one first (the Solar Hijri date, then
  the Gregorian in brackets, on Persian pages; ``PRESS_CALENDARS`` chooses);
- the separator of short lists (``، `` in Persian, ``、`` in Chinese).

No Pelican here: the site generator hands these values to the templates.
"""

from __future__ import annotations

import datetime
import functools

from press.paper.i18n import locale_for, localize_digits, script_of

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
    # scripts set upright like the ones above, in the reader's fonts (no family rules of their own)
    **dict.fromkeys(
        ("Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Laoo", "Khmr", "Mymr", "Tibt"),
        "upright",
    ),
    **dict.fromkeys(("Ethi", "Geor", "Armn"), "upright"),
    "Grek": "latn",
    "Cyrl": "latn",
    "Latn": "latn",
}
# Families whose text is never set in italics or obliques.
UPRIGHT_FAMILIES = frozenset({"arab", "hebr", "cjk", "kore", "deva", "beng", "thai", "upright"})

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
def script_family(lang: str) -> str:
    """The theme's name for the script family of ``lang`` (the ``data-script`` value)."""
    return SCRIPT_FAMILIES.get(script_of(lang) or "Latn", "other")


def upright(lang: str) -> bool:
    """True when the language's script has no italics (Arabic script, CJK, Indic…)."""
    return script_family(lang) in UPRIGHT_FAMILIES


@functools.lru_cache(maxsize=128)
def numerals(lang: str) -> str:
    """The language's default numbering system (``latn``, ``arabext``, ``arab``…)."""
    return locale_for(lang).default_numbering_system or "latn"


def solar_hijri_parts(value: datetime.date | datetime.datetime) -> tuple[int, int, int]:
    """``2026-06-21`` -> ``(1405, 3, 31)``: year, month, day in the Solar Hijri calendar."""
    import jdatetime

    day = value.date() if isinstance(value, datetime.datetime) else value
    jalali = jdatetime.date.fromgregorian(date=day)
    return jalali.year, jalali.month, jalali.day


def solar_hijri_date(value: datetime.date | datetime.datetime, form: str = "long") -> str:
    """``2026-06-21`` -> ``۳۱ خرداد ۱۴۰۵`` (``short``: ``۱۴۰۵/۳/۳۱``; ``full`` adds the weekday)."""
    from babel.dates import format_date

    year, month, day = solar_hijri_parts(value)
    if form == "short":
        text = f"{year}/{month}/{day}"
    else:
        text = f"{day} {SOLAR_HIJRI_MONTHS[month - 1]} {year}"
        if form == "full":
            text = f"{format_date(value, 'EEEE', locale='fa')} {text}"
    return localize_digits(text, "fa")


def gregorian_date(value: datetime.date | datetime.datetime, lang: str, form: str = "long") -> str:
    """The date as ``lang`` writes it in the Gregorian calendar (CLDR), in its digits."""
    from babel.dates import format_date, format_datetime

    locale = locale_for(lang)
    if form == "iso":
        return value.strftime("%Y-%m-%d")
    if form == "datetime":
        return localize_digits(format_datetime(value, "medium", locale=locale), lang)
    return localize_digits(format_date(value, form, locale=locale), lang)


# The calendars a date can be shown in.  PRESS_CALENDARS names, per language, the
# calendars its pages show, the first one first and the others in brackets.
CALENDARS = ("gregorian", "solar-hijri")
# Readers of Persian date by the Solar Hijri calendar (Iran's and Afghanistan's civil
# calendar); the Gregorian date follows in brackets for the rest of the paper.
DEFAULT_CALENDARS = {"fa": ("solar-hijri", "gregorian")}


def calendars_of(lang: str, chosen: dict | None = None) -> tuple[str, ...]:
    """The calendars ``lang``'s pages show, the first one first (``PRESS_CALENDARS``, then the table)."""
    base = lang.split("-")[0].split("_")[0]
    chosen = chosen or {}
    return tuple(chosen.get(lang) or chosen.get(base) or DEFAULT_CALENDARS.get(base) or ("gregorian",))


class Dates:
    """How one edition writes dates: in its calendars, in its digits."""

    def __init__(self, lang: str, calendars: tuple[str, ...] = ("gregorian",)) -> None:
        self.lang = lang
        self.calendars = calendars or ("gregorian",)
        self.written: dict[tuple, str] = {}  # CLDR's formatting is slow; a paper writes few dates

    def in_calendar(self, calendar: str, value, form: str = "long") -> str:
        # by the text of the value: two equal instants in two time zones are two dates
        key = (calendar, form, value.isoformat())
        text = self.written.get(key)
        if text is None:
            if calendar == "solar-hijri" and form not in ("iso", "datetime"):
                text = solar_hijri_date(value, form)
            else:
                text = gregorian_date(value, self.lang, form)
            self.written[key] = text
        return text

    def first(self, value, form: str = "long") -> str:
        """The date in the edition's first calendar ('' for no date)."""
        return self.in_calendar(self.calendars[0], value, form) if value is not None else ""

    def others(self, value, form: str = "long") -> str:
        """The date in the edition's other calendars, for the brackets ('' where there are none)."""
        if value is None:
            return ""
        form = "long" if form == "full" else form  # the weekday once is enough
        return " · ".join(self.in_calendar(calendar, value, form) for calendar in self.calendars[1:])

    def both(self, value, form: str = "long") -> str:
        """``first (others)``, as plain text (search results, feeds, the editions' covers)."""
        first, others = self.first(value, form), self.others(value, form)
        return f"{first} ({others})" if others else first

    def period(self, value) -> tuple[int, int]:
        """(year, month) of ``value`` in the first calendar: what the archive groups by."""
        if self.calendars[0] == "solar-hijri":
            year, month, _day = solar_hijri_parts(value)
            return year, month
        return value.year, value.month

    def month_name(self, year: int, month: int) -> str:
        """The month's name (and year) in the first calendar, as a heading of the archive."""
        if self.calendars[0] == "solar-hijri":
            return localize_digits(f"{SOLAR_HIJRI_MONTHS[month - 1]} {year}", "fa")
        from babel.dates import format_skeleton

        first_day = datetime.date(year, month, 1)
        return localize_digits(format_skeleton("yMMMM", first_day, locale=locale_for(self.lang)), self.lang)


# Separators between the items of a short list (an article's tags), by script, where
# the language's CLDR list pattern joins them with a conjunction rather than punctuation.
LIST_SEPARATORS = {"arab": "، ", "cjk": "、"}


@functools.lru_cache(maxsize=128)
def list_separator(lang: str) -> str:
    """What separates a list's items in ``lang``: ``, `` in English, ``، `` in Persian, ``、`` in Chinese."""
    pattern = locale_for(lang).list_patterns.get("standard", {}).get("middle", "{0}, {1}")
    between = pattern.replace("{0}", "").replace("{1}", "").replace("\u200f", "")
    if not between.strip() or any(character.isalpha() for character in between):
        return LIST_SEPARATORS.get(script_family(lang), ", ")
    return between


def page_attributes(lang: str) -> dict[str, str]:
    """What the root (or a foreign-language) element carries for the stylesheet."""
    return {"data-script": script_family(lang), "data-numerals": numerals(lang)}
