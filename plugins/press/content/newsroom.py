"""The newsroom's clock and pictures: ``Embargo``, ``Correction`` and ``Image`` (contract §3).

An original may hold its key back until an instant (``Embargo``), say when it
was corrected (``Correction``, with a ``Correction-Note`` in every version),
and name its picture (``Image``, an attachment in its folder; each version
captions it with ``Caption``).  This module reads and checks those headers;
the editions, the pages and the deploy tools use what it reads.
"""

from __future__ import annotations

import datetime
import posixpath
from dataclasses import dataclass

from press.content.metadata import DATE, DATE_FORMS, unaccepted_date
from press.content.tree import Group, Version, parse_date

#: The picture types an ``Image`` may name (the ones the press cleans and resizes).
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def embargo_of(group: Group, languages: list[str]) -> datetime.datetime | None:
    """The instant (UTC, without a zone) before which the key does not exist in a publishing build."""
    return parse_date(group.editorial("embargo", languages))


def correction_of(group: Group, languages: list[str]) -> datetime.datetime | None:
    """When the original was corrected, or None."""
    return parse_date(group.editorial("correction", languages))


def under_embargo(group: Group, languages: list[str], now: datetime.datetime) -> datetime.datetime | None:
    """The embargo instant when it is still to come at ``now``, else None."""
    embargo = embargo_of(group, languages)
    return embargo if embargo is not None and now < embargo else None


def grace_ends(correction: datetime.datetime, days: int) -> datetime.datetime:
    """The instant after which a translation stamped before a correction is ``stale`` again."""
    return correction + datetime.timedelta(days=days)


def image_name(group: Group, languages: list[str]) -> str | None:
    """The picture an original names, as written (checked by :func:`image_problem`)."""
    value = (group.editorial("image", languages) or "").strip()
    return value or None


def image_problem(name: str, attachments: list[str]) -> tuple[str, str] | None:
    """``(kind, why)`` when ``Image: name`` cannot be the key's picture, else None.

    The picture must be a file in the article's own folder: a path that leaves it
    (``../other/x.jpg``, ``/etc/x.jpg``, a URL) is never read (``unsafe-file``).
    """
    normal = posixpath.normpath(name) if name else ""
    if (
        "\\" in name
        or "://" in name
        or name.startswith(("/", "~"))
        or normal.startswith("..")
        or any(part in ("..", ".") for part in name.split("/"))
        or ":" in name.split("/")[0]
    ):
        return "unsafe-file", (
            "it names a file outside the article's folder, which the press never reads; put the "
            "picture in the article's folder and write its file name (Image: photo.jpg)"
        )
    if not name.lower().endswith(PICTURE_SUFFIXES):
        return "invalid-metadata", (
            f"it is not a picture the press publishes ({', '.join(PICTURE_SUFFIXES)}): convert it, or "
            "name another file"
        )
    if name not in attachments:
        return "invalid-metadata", (
            "there is no such file in the article's folder (or it is not published): add it beside "
            "the article's text, or correct the name"
        )
    return None


@dataclass(frozen=True)
class HeaderCheck:
    """One problem with a newsroom header: what ``ParityChecker.add`` takes."""

    kind: str
    message: str


def check_original(group: Group, source: Version, attachments: list[str]) -> list[HeaderCheck]:
    """Problems with the Embargo, Correction and Image headers of the original ``source``."""
    found = []
    headers = source.source.headers
    embargo = headers.get("embargo")
    if embargo and embargo.value.strip():
        match = DATE.fullmatch(embargo.value.strip())
        if parse_date(embargo.value) is None or match is None or match.group("hour") is None:
            found.append(
                HeaderCheck(
                    "invalid-metadata",
                    f"line {embargo.line}: Embargo {embargo.value!r} "
                    + unaccepted_date(
                        embargo.value,
                        f"{DATE_FORMS}, with the time and best an offset: 'Embargo: 2026-05-11 10:00 +02:00'",
                    )
                    + "; it is never guessed, and until it is corrected the key is held back.",
                )
            )
    correction = headers.get("correction")
    if correction and correction.value.strip():
        if parse_date(correction.value) is None:
            found.append(
                HeaderCheck(
                    "invalid-metadata",
                    f"line {correction.line}: Correction {correction.value!r} "
                    f"{unaccepted_date(correction.value)}.",
                )
            )
        elif not (source.source.value("correction-note") or "").strip():
            found.append(
                HeaderCheck(
                    "incomplete",
                    f"line {correction.line}: Correction is set but this version has no Correction-Note: "
                    "add 'Correction-Note: <what was wrong>' so that readers know what was corrected.",
                )
            )
    until, date = headers.get("until"), headers.get("date")
    lapses, dated = parse_date(until.value if until else None), parse_date(date.value if date else None)
    if lapses is not None and dated is not None and lapses.date() < dated.date():
        found.append(
            HeaderCheck(
                "invalid-metadata",
                f"line {until.line}: Until {until.value.strip()!r} is before the Date "
                f"{date.value.strip()!r}, so the placement would never apply: correct the date the "
                "placement lapses after, or remove the Until header.",
            )
        )
    image = headers.get("image")
    if image and image.value.strip():
        problem = image_problem(image.value.strip(), attachments)
        if problem is not None:
            kind, why = problem
            found.append(HeaderCheck(kind, f"line {image.line}: Image {image.value.strip()!r}: {why}."))
    return found


def check_translation(original: Version, version: Version, in_step: bool) -> list[HeaderCheck]:
    """A translation lacking what it must say in its own language: its caption, its correction note."""
    found = []
    mine = version.source
    theirs = original.source
    has_caption = (theirs.value("image") or "").strip() and (theirs.value("caption") or "").strip()
    if has_caption and not (mine.value("caption") or "").strip():
        found.append(
            HeaderCheck(
                "incomplete",
                f"the original {original.path} captions its picture but this translation has no "
                "Caption: add 'Caption: …' in this language.",
            )
        )
    corrected = in_step and parse_date(theirs.value("correction")) is not None
    if corrected and not (mine.value("correction-note") or "").strip():
        found.append(
            HeaderCheck(
                "incomplete",
                f"the original {original.path} was corrected (Correction: "
                f"{theirs.value('correction').strip()}) and this translation is in step with it, "
                "but it has no Correction-Note: add 'Correction-Note: …' saying in this language "
                "what was corrected.",
            )
        )
    return found


def correction_grace(
    group: Group, version: Version, languages: list[str], now: datetime.datetime, days: int
) -> datetime.datetime | None:
    """The original's correction date when ``version`` (a stale translation) is within its grace.

    A translation whose original carries ``Correction`` may lag behind it for
    ``days`` days after that date: it is published with a notice linking the
    original instead of failing as ``stale``.
    """
    if not version.is_translation:
        return None
    correction = correction_of(group, languages)
    if correction is None or now < correction or now >= grace_ends(correction, days):
        return None
    original = group.original
    recorded = version.translated_from()
    if original is None or recorded is None or recorded[0] != original.lang:
        return None
    return correction if recorded[1] != original.revision else None
