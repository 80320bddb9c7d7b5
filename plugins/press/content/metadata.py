"""The headers the press knows, and how it reads a date (contract §3).

:data:`HEADERS` is the one table of every header a version may carry: its
name, who may set it and what it means.  The unknown-header check, the
documentation (``docs/headers.md``) and the editors' tools all read it; a
header that is not in it is an ``unknown-header`` problem whose message names
the closest known one.

Dates are read exactly as written, never guessed: :data:`DATE_FORMS` lists
what is accepted; anything else is ``invalid-metadata``.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass

ORIGINAL = "original"  # the original only; translations inherit it (a different value is a mismatch)
ISSUE = "issue original"  # the original of an issue (content/issues/<key>/) only
EVERY = "every version"  # each version states its own
TRANSLATION = "translation"  # translations only


@dataclass(frozen=True)
class HeaderSpec:
    """One header of a content file."""

    name: str  # as documented (the press reads names in any case)
    who: str  # ORIGINAL, ISSUE, EVERY or TRANSLATION
    meaning: str


#: Every header of a content file, in the order the documentation lists them.
HEADERS: tuple[HeaderSpec, ...] = (
    HeaderSpec("Title", EVERY, "The version's title, as plain text (required)."),
    HeaderSpec(
        "Summary", EVERY, "A short summary shown on cards and in feeds; Markdown, shown as text in metadata."
    ),
    HeaderSpec("Share", EVERY, "The official caption for sharing the article in this language (plain text)."),
    HeaderSpec(
        "Caption",
        EVERY,
        "The caption of the article's picture (`Image`) in this language; a translation lacking it when "
        "the original has one is `incomplete`.",
    ),
    HeaderSpec(
        "Correction-Note",
        EVERY,
        "What was corrected, in this language (with `Correction` on the original); a translation in step "
        "with a corrected original lacking it is `incomplete`.",
    ),
    HeaderSpec(
        "Status",
        EVERY,
        "`draft` keeps the version out of the publishing build (on an original: the whole key); "
        "`published` (the default) publishes it.",
    ),
    HeaderSpec("Lang", EVERY, "The version's language; optional, and it must agree with the file name."),
    HeaderSpec(
        "Translation-Of",
        TRANSLATION,
        "`<lang>@<revision>`: the original this translation was made from (what `invoke stamp` writes).",
    ),
    HeaderSpec(
        "Date",
        ORIGINAL,
        "Publication date: `YYYY-MM-DD`, optionally ` HH:MM[:SS]` (or `T…`) and an offset (`Z`, `+03:30`).",
    ),
    HeaderSpec("Category", ORIGINAL, "The section the key belongs to."),
    HeaderSpec("Tags", ORIGINAL, "Tags, separated by commas."),
    HeaderSpec("Placement", ORIGINAL, "Front-page slot: `lead`, `editorial` or `feature`."),
    HeaderSpec("Order", ORIGINAL, "Order among the features (a whole number, default 0)."),
    HeaderSpec("Until", ORIGINAL, "The placement lapses after this date (same forms as Date)."),
    HeaderSpec("Languages", ORIGINAL, "The editions the key belongs to (default: all of LANGUAGES)."),
    HeaderSpec(
        "Image",
        ORIGINAL,
        "The article's picture: the name of an attachment in its folder (`photo.jpg`).",
    ),
    HeaderSpec(
        "Embargo",
        ORIGINAL,
        "A date and time (same forms as Date; the offset is honoured) before which nothing of the key "
        "exists in any output of a publishing build.",
    ),
    HeaderSpec("Correction", ORIGINAL, "The date the original was corrected (same forms as Date)."),
    HeaderSpec("Publication", ISSUE, "The periodical this issue belongs to (a key of the publications)."),
    HeaderSpec("Number", ISSUE, "The issue's number (a whole number)."),
    HeaderSpec("Contents", ISSUE, "The issue's table of contents: article keys, separated by commas."),
)

KNOWN_HEADERS: dict[str, HeaderSpec] = {spec.name.lower(): spec for spec in HEADERS}
#: Headers that are reported for what they are (the press is anonymous), not as unknown.
REFUSED_HEADERS = ("author", "authors")
STATUSES = ("published", "draft")

DATE_FORMS = (
    "YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (a T may stand for the space), "
    "optionally followed by an offset such as Z or +03:30, with a year from 1000 to 9999"
)
DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r" ?(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)
MIN_YEAR, MAX_YEAR = 1000, 9999


def unaccepted_date(value: str, forms: str = DATE_FORMS) -> str:
    """Why a header's date is refused, to follow its value in a message: a day the calendar does
    not have ("2026-13-01": month must be in 1..12) is told so, anything else the forms."""
    shape = re.match(r"(\d{4})-(\d{2})-(\d{2})(?!\d)", value.strip())
    if shape:
        try:
            datetime.date(*(int(part) for part in shape.groups()))
        except ValueError as error:
            return f"is not a day of the calendar ({error})"
    return f"is not a date the press accepts ({forms})"


def closest_header(name: str) -> str | None:
    """The known header an unknown one was probably meant to be (``Catgory`` -> ``Category``)."""
    matches = difflib.get_close_matches(name.lower(), list(KNOWN_HEADERS), n=1, cutoff=0.6)
    return KNOWN_HEADERS[matches[0]].name if matches else None


def nearest_header(name: str) -> str:
    """The known header most like ``name``, however unlike it (``Slug`` -> ``Lang``): an unknown
    header's message always names one (contract §3); ties go to the first in :data:`HEADERS`."""
    lowered = name.lower()
    return max(
        HEADERS, key=lambda spec: difflib.SequenceMatcher(None, lowered, spec.name.lower()).ratio()
    ).name


def parse_header_date(value: str | None) -> datetime.datetime | None:
    """A date exactly as :data:`DATE_FORMS` allows, or None; never raises.

    An offset is honoured: the time is turned into UTC (the site's clock),
    then given without a zone, like every date the press compares.
    """
    if value is None:
        return None
    match = DATE.fullmatch(value.strip())
    if not match:
        return None
    parts = {name: int(text) for name, text in match.groupdict().items() if text and name != "offset"}
    if not MIN_YEAR <= parts["year"] <= MAX_YEAR:
        return None
    try:
        parsed = datetime.datetime(
            parts["year"],
            parts["month"],
            parts["day"],
            parts.get("hour", 0),
            parts.get("minute", 0),
            parts.get("second", 0),
        )
        offset = match.group("offset")
        if offset and offset != "Z":
            digits = offset[1:].replace(":", "")
            delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if delta >= datetime.timedelta(hours=24):
                return None
            parsed -= delta if offset[0] == "+" else -delta
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed


# Letters that show nothing (Hangul fillers, the braille blank): a title of them is empty.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Categories that show nothing by themselves: formats (U+200B, U+202E), separators, marks, controls.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def visible_characters(text: str) -> str:
    """``text`` without what shows nothing: spaces, format characters (U+200B, U+202E), lone marks."""
    return "".join(
        character
        for character in text
        if character not in BLANK_LETTERS and unicodedata.category(character) not in INVISIBLE_CATEGORIES
    )


def title_problem(title: str | None, line: int | None = None) -> str | None:
    """Why a version's ``Title`` is missing (absent, empty, or only invisible characters), or None."""
    if not title or not title.strip():
        return "the Title header is missing or empty: add 'Title: …' at the top of the file."
    if any(
        character not in BLANK_LETTERS and unicodedata.category(character) not in INVISIBLE_CATEGORIES
        for character in title
    ):  # visible_characters(title), stopping at the first (every version's title is checked)
        return None
    codes = ", ".join(
        dict.fromkeys(f"U+{ord(character):04X}" for character in title if not character.isspace())
    )
    where = f"line {line}: " if line else ""
    return (
        f"{where}the title is missing: it holds only invisible characters ({codes}), which show "
        "nothing on the page, in feeds or in the editions. Write the title after 'Title:'."
    )


def header_status(value: str | None) -> str | None:
    """``draft`` / ``published`` as written (any case), or None if it is neither."""
    status = (value or "published").strip().lower() or "published"
    return status if status in STATUSES else None
