"""The press's settings: one table of defaults, validated once at start-up.

Contract settings (``DEFAULT_LANG``, ``LANGUAGES``, ``PRESS_STRICT``,
``PRESS_REPORT``) and the project's own ``PRESS_*`` settings are checked here,
so that a bad value stops the build with a message naming the key and the
value instead of a traceback somewhere in a template.
"""

from __future__ import annotations

import base64
import datetime
import difflib
import ipaddress
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from press.files import is_inside

logger = logging.getLogger(__name__)

# \Z, not $: "$" also matches before a final line break
LANG_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*\Z")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")


class SettingsError(ValueError):
    """A setting with a value the press cannot use."""


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_lang_list(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(code, str) and LANG_CODE.match(code) for code in value)
        and len(set(value)) == len(value)
    )


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_count(value: Any) -> bool:
    """A whole number >= 0 (``True`` is not a count)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_per_language_names(value: Any) -> bool:
    """``{slug: {lang: name}}``"""
    return isinstance(value, Mapping) and all(
        isinstance(slug, str)
        and SLUG.match(slug)
        and isinstance(names, Mapping)
        and all(isinstance(lang, str) and isinstance(name, str) for lang, name in names.items())
        for slug, names in value.items()
    )


# What no setting that reaches a page, a header or a URL may hold: C0 and C1 control characters
# (a line break splits a header; XML feeds refuse them), line separators, lone surrogates (not
# UTF-8) and noncharacters.
UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def has_unsafe_text(text: str) -> bool:
    return UNSAFE_TEXT.search(text) is not None


def _is_name(value: Any) -> bool:
    return _is_str(value) and not has_unsafe_text(value)


def _is_name_or_per_language(value: Any) -> bool:
    return _is_name(value) or (
        isinstance(value, Mapping)
        and all(
            isinstance(k, str) and isinstance(v, str) and not has_unsafe_text(v) for k, v in value.items()
        )
    )


# A font family goes into the editions' CSS and a fontconfig pattern: no quotes, colons or braces.
FONT_FAMILY = re.compile(r"[^\W_](?:[\w .+-]*[\w.+])?")


def _is_font_family(value: Any) -> bool:
    return isinstance(value, str) and FONT_FAMILY.fullmatch(value) is not None


ONION_HOST = re.compile(r"(?:[a-z2-7]{56}|[a-z2-7]{16})\.onion")
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")  # ASCII: an IDN host in punycode
MIRROR_KEYS = frozenset({"url", "languages", "onion"})
# never in an address the press writes into a page or a header
_URL_FORBIDDEN = frozenset(" \"'<>\\`{}|^")


def mirror_url_problem(url: Any) -> str | None:
    """Why ``url`` is not a mirror's address (``https://…`` or ``http://….onion``), or None."""
    if not isinstance(url, str) or not url:
        return "it has no 'url'"
    if has_unsafe_text(url) or any(c in _URL_FORBIDDEN for c in url) or not url.isascii():
        return (
            f"{url!r} holds control characters, spaces, quotes or angle brackets "
            "(write it in ASCII: a punycode host, a %-encoded path)"
        )
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return f"{url!r} has a port that is not a number"
    host = parts.hostname or ""
    if parts.username is not None or "@" in parts.netloc:
        return f"{url!r} names a user before its host"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return f"{url!r} has a query or a fragment: give the address of the site's root"
    if parts.scheme == "http" and ONION_HOST.fullmatch(host):
        return None
    if parts.scheme == "https" and (HOST_NAME.fullmatch(host) or _is_ip_address(host)):
        return None
    return f"{url!r} is neither an https:// address nor an http://….onion one"


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def mirrors_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid PRESS_MIRRORS list, or None."""
    if not isinstance(value, list | tuple):
        return "it is not a list"
    for index, mirror in enumerate(value):
        if not isinstance(mirror, Mapping):
            return f"entry {index} is not a {{'url': …}} mapping"
        unknown = sorted(str(key) for key in mirror if key not in MIRROR_KEYS)
        if unknown:
            return f"entry {index} has unknown key(s) {', '.join(unknown)} (known: url, languages, onion)"
        problem = mirror_url_problem(mirror.get("url"))
        if problem:
            return f"entry {index}: {problem}"
        if "languages" in mirror and not _is_lang_list(mirror["languages"]):
            return f"entry {index}: 'languages' is not a list of language codes"
        if "onion" in mirror and not _is_bool(mirror["onion"]):
            return f"entry {index}: 'onion' is not True or False"
    return None


PUBLIC_KEY_TEXT = re.compile(r"[A-Za-z0-9+/]{43}=")  # base64 of the 32 bytes of an Ed25519 key


def public_key_problem(value: Any) -> str | None:
    """Why ``value`` is not an Ed25519 public key in base64 (or "", no key), or None."""
    if value == "":
        return None
    if not isinstance(value, str):
        return "it is not a string"
    if not PUBLIC_KEY_TEXT.fullmatch(value) or len(base64.b64decode(value)) != 32:
        return "an Ed25519 public key is 32 bytes in base64: 44 characters ending in '='"
    return None


@dataclass(frozen=True)
class Setting:
    default: Any
    valid: Callable[[Any], bool]
    expected: str
    why: Callable[[Any], str | None] | None = None  # what exactly is wrong, for the message


# The one table of the press's settings and their defaults.
DEFAULTS: dict[str, Setting] = {
    "DEFAULT_LANG": Setting("en", _is_str, "a language code listed in LANGUAGES, e.g. 'en'"),
    "LANGUAGES": Setting(["en"], _is_lang_list, "a non-empty list of distinct language codes"),
    "PRESS_STRICT": Setting(False, _is_bool, "True or False"),
    "PRESS_REPORT": Setting("press-report.json", _is_str, "a file path"),
    "PRESS_TRANSLATIONS": Setting(
        "translations", _is_str, "the folder of the interface catalogs (<lang>/LC_MESSAGES/messages.po)"
    ),
    "PRESS_SITE_NAME": Setting("The Central Organ", _is_name_or_per_language, "a name, or {lang: name}"),
    # editions being prepared: built in development only, marked as a preview (contract §2)
    "PRESS_PREPARING": Setting(
        [], lambda v: v == [] or v == () or _is_lang_list(v), "a list of language codes not in LANGUAGES"
    ),
    "PRESS_FRONT_PAGE_SIZE": Setting(20, _is_positive_int, "a positive whole number"),
    "PRESS_LISTING_PAGE_SIZE": Setting(30, _is_positive_int, "a positive whole number"),
    "PRESS_FEED_SIZE": Setting(30, _is_positive_int, "a positive whole number"),
    # the calendars each language's pages date by, first one first (press.paper.scripts.DEFAULT_CALENDARS)
    "PRESS_CALENDARS": Setting(
        {},
        lambda v: (
            isinstance(v, Mapping)
            and all(
                isinstance(lang, str)
                and LANG_CODE.match(lang)
                and isinstance(names, list | tuple)
                and names
                and len(set(names)) == len(names)
                and all(name in ("gregorian", "solar-hijri") for name in names)
                for lang, names in v.items()
            )
        ),
        "{lang: ['solar-hijri', 'gregorian'], …} (calendars: 'gregorian', 'solar-hijri')",
    ),
    "PRESS_LATEST_ON_404": Setting(6, _is_positive_int, "a positive whole number of stories"),
    "PRESS_MARKDOWN": Setting(
        "gfm", lambda v: v in ("gfm", "python-markdown"), "'gfm' (the default) or 'python-markdown'"
    ),
    "PRESS_RENDER_CACHE": Setting(True, _is_bool, "True or False"),
    "PRESS_WORKERS": Setting(0, _is_count, "0 (one per core) or a whole number"),
    # press.content.limits: a body or summary over one of these is not rendered (an unsafe-file problem)
    "PRESS_MAX_BODY_BYTES": Setting(500_000, _is_positive_int, "a positive whole number of bytes"),
    "PRESS_MAX_NESTING": Setting(32, _is_positive_int, "a positive whole number of levels"),
    "PRESS_MAX_TABLE_CELLS": Setting(5_000, _is_positive_int, "a positive whole number of cells"),
    "PRESS_MAX_ELEMENTS": Setting(10_000, _is_positive_int, "a positive whole number of elements"),
    # publishconf.py: a build meant to go live; it needs the site's real SITEURL
    "PRESS_PUBLISHING": Setting(False, _is_bool, "True or False"),
    # press_search: build the Pagefind index; how long Pagefind may take, in seconds
    "PRESS_SEARCH": Setting(True, _is_bool, "True or False"),
    "PRESS_SEARCH_TIMEOUT": Setting(600, _is_positive_int, "a positive whole number of seconds"),
    # pages per search shard: an edition with more is split into a power of two of Pagefind bundles
    "PRESS_SEARCH_SHARD_PAGES": Setting(500, _is_positive_int, "a positive whole number of pages"),
    # Status: draft versions: None shows them (marked) in development builds; a strict build never does
    "PRESS_DRAFTS": Setting(None, lambda v: v is None or isinstance(v, bool), "True, False or None"),
    # days a translation stamped before its original's Correction may still be published (with a notice)
    "PRESS_CORRECTION_GRACE": Setting(2, _is_count, "0 or a whole number of days"),
    # press.pipeline.printed: PDF and EPUB per issue and language, offline zip per language
    "PRESS_EDITIONS": Setting(False, _is_bool, "True (publishing build) or False (preview)"),
    "PRESS_EDITION_PAGE_SIZE": Setting(
        "A4",
        lambda v: v in {"A3", "A4", "A5", "B5", "letter", "legal", "tabloid"},
        "one of A3, A4, A5, B5, letter, legal, tabloid",
    ),
    "PRESS_EDITION_FONTS": Setting(
        {},
        lambda v: (
            isinstance(v, Mapping)
            and all(
                isinstance(f, list | tuple) and f and all(_is_font_family(n) for n in f) for f in v.values()
            )
        ),
        "{lang: [font family, …]} (installed families, e.g. 'Noto Serif': letters, digits, spaces, . - +)",
    ),
    # mirrors and signed manifests (deploy.signing, deploy.verify)
    "PRESS_MIRRORS": Setting(
        [],
        lambda v: mirrors_problem(v) is None,
        "[{'url': 'https://…' or 'http://….onion', 'languages': ['en', …] (optional)}, …]",
        mirrors_problem,
    ),
    "PRESS_SIGNING_PUBLIC_KEY": Setting(
        "",
        lambda v: public_key_problem(v) is None,
        "the press's Ed25519 public key in base64 ('invoke signing-key' prints it), or ''",
        public_key_problem,
    ),
}


def closest_setting(name: str) -> str | None:
    """The known press setting ``name`` is most likely a misspelling of."""
    matches = difflib.get_close_matches(
        name, [k for k in DEFAULTS if k.startswith("PRESS_")], n=1, cutoff=0.6
    )
    return matches[0] if matches else None


def check_unknown_settings(settings: Mapping[str, Any]) -> None:
    """A ``PRESS_*`` setting the press does not know is a typo: say which one was meant."""
    unknown = sorted(key for key in settings if key.startswith("PRESS_") and key not in DEFAULTS)
    if not unknown:
        return
    parts = []
    for key in unknown:
        closest = closest_setting(key)
        parts.append(f"{key} (did you mean {closest}?)" if closest else key)
    raise SettingsError(
        f"unknown press setting{'s' if len(unknown) > 1 else ''} {', '.join(parts)}: fix its name "
        "(docs/settings.md lists every setting)"
    )


def site_url_problem(siteurl: Any) -> str | None:
    """Why ``siteurl`` is not the real address of a published site, or None."""
    if not isinstance(siteurl, str) or not siteurl.strip():
        return "SITEURL is not set"
    parts = urlsplit(siteurl.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"SITEURL = {siteurl!r} is not an absolute http(s) address"
    return None


def check_publishing_site_url(settings: Mapping[str, Any]) -> None:
    """A publishing build (PRESS_PUBLISHING) needs the real SITEURL: canonical links, sitemap, feeds."""
    if not settings.get("PRESS_PUBLISHING"):
        return
    problem = site_url_problem(settings.get("SITEURL"))
    if problem:
        raise SettingsError(
            f"a publishing build needs the site's real address, and {problem}: set PRESS_SITEURL="
            "https://… in the environment, pass -e 'SITEURL=\"https://…\"', or set SITEURL in the "
            "settings file"
        )


def validate(settings: dict[str, Any]) -> None:
    """Fill in defaults and check every press setting; raise SettingsError."""
    check_unknown_settings(settings)
    for key, setting in DEFAULTS.items():
        if key not in settings or settings[key] is None:
            settings[key] = setting.default
        value = settings[key]
        if not setting.valid(value):
            why = setting.why(value) if setting.why else None
            detail = f" ({why})" if why else ""
            raise SettingsError(
                f"setting {key} = {value!r} is not valid{detail}: expected {setting.expected}"
            )
    settings["LANGUAGES"] = list(settings["LANGUAGES"])
    if settings["DEFAULT_LANG"] not in settings["LANGUAGES"]:
        raise SettingsError(
            f"setting DEFAULT_LANG = {settings['DEFAULT_LANG']!r} is not valid: "
            f"it must be one of LANGUAGES {settings['LANGUAGES']!r}"
        )
    check_publishing_site_url(settings)
    check_pelican_text_settings(settings)
    check_output_apart_from_content(settings)
    check_written_outside_content(settings)


def check_output_apart_from_content(settings: Mapping[str, Any]) -> None:
    """The output folder and the content folder never hold one another: a build removes from its
    output what it did not write (an article's withdrawn attachments), so an output that is the
    content folder would lose every article's text, and Pelican's DELETE_OUTPUT_DIRECTORY an
    output that holds the content folder would lose all of it."""
    content, output = settings.get("PATH"), settings.get("OUTPUT_PATH")
    if not isinstance(content, str) or not isinstance(output, str):
        return
    content, output = os.path.realpath(content), os.path.realpath(output)
    where = output_over_content(content, output)
    if where:
        raise SettingsError(
            f"the output folder {output} {where} {content}: a build writes and removes files in its "
            "output, so build into a folder of its own beside the content (pelican content -o output)"
        )


def output_over_content(content: str, output: str) -> str | None:
    """How the output folder ``output`` overlaps the content folder ``content`` (both resolved):
    "is the content folder", "lies inside the content folder", "holds the content folder"; or None."""
    if is_inside(content, output):
        return "is the content folder" if output == content else "lies inside the content folder"
    if is_inside(output, content):
        return "holds the content folder"
    return None


def check_written_outside_content(settings: Mapping[str, Any]) -> None:
    """The cache and the report are written outside the content folder: inside it, the next
    build would read each of them as a file that is not content."""
    for key in ("CACHE_PATH", "PRESS_REPORT"):
        value = settings.get(key)
        if isinstance(value, str) and value and lies_in_content(settings, value):
            raise SettingsError(
                f"setting {key} = {value!r} is not valid: it lies inside the content folder "
                f"{os.path.realpath(settings['PATH'])}, where the next build would find it among the "
                "articles; put it beside the content folder"
            )


def lies_in_content(settings: Mapping[str, Any], path: str) -> bool:
    """Whether ``path`` (both resolved) is inside the settings' content folder (PATH)."""
    content = settings.get("PATH")
    return isinstance(content, str) and is_inside(os.path.realpath(content), os.path.realpath(path))


def check_pelican_text_settings(settings: Mapping[str, Any]) -> None:
    """Pelican's own SITEURL and SITENAME reach every page: no control characters or line breaks."""
    for key in ("SITEURL", "SITENAME"):
        value = settings.get(key)
        if isinstance(value, str) and has_unsafe_text(value):
            raise SettingsError(
                f"setting {key} = {value!r} is not valid: it holds control characters or line breaks"
            )
    siteurl = settings.get("SITEURL")
    if isinstance(siteurl, str) and any(c in _URL_FORBIDDEN for c in siteurl.strip()):
        raise SettingsError(
            f"setting SITEURL = {siteurl!r} is not valid: "
            "an address holds no spaces, quotes or angle brackets"
        )


def note_missing_site_names(settings: Mapping[str, Any]) -> None:
    """Name, in the log, the published languages that show another language's site name.

    Not a problem: a paper's name is a name, and many papers keep one name in every
    language, so an honest build that gives no name for some language must not fail.
    Those editions show the default language's name; the log says how to give them theirs.
    """
    names = settings.get("PRESS_SITE_NAME")
    if not isinstance(names, Mapping):
        return  # one name for every language
    unnamed = [
        lang
        for lang in settings["LANGUAGES"]
        if not (isinstance(names.get(lang), str) and names[lang].strip())
    ]
    if unnamed:
        logger.warning(
            "PRESS_SITE_NAME has no name for %s, so those editions show %r: add a name per language to "
            "PRESS_SITE_NAME in pelicanconf.py to give them their own",
            ", ".join(unnamed),
            localized(names, unnamed[0], settings.get("DEFAULT_LANG", "")),
        )


def localized(value: str | Mapping[str, str], lang: str, default_lang: str) -> str:
    """A name given either once or per language."""
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get(default_lang) or next(iter(value.values()), "")


def build_now() -> datetime.datetime:
    """ "Now" for every date decision: SOURCE_DATE_EPOCH when set (contract §2)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise SettingsError(
                f"SOURCE_DATE_EPOCH = {epoch!r} is not valid: expected whole seconds since 1970"
            ) from None
    return datetime.datetime.now()
