"""The press's settings: one table of defaults, validated once at start-up.

Contract settings (``DEFAULT_LANG``, ``LANGUAGES``, ``PRESS_STRICT``,
``PRESS_REPORT``) and the project's own ``PRESS_*`` settings are checked here,
so that a bad value stops the build with a message naming the key and the
value instead of a traceback somewhere in a template.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

LANG_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


def _is_per_language_names(value: Any) -> bool:
    """``{slug: {lang: name}}``"""
    return isinstance(value, Mapping) and all(
        isinstance(slug, str)
        and SLUG.match(slug)
        and isinstance(names, Mapping)
        and all(isinstance(lang, str) and isinstance(name, str) for lang, name in names.items())
        for slug, names in value.items()
    )


def _is_name_or_per_language(value: Any) -> bool:
    return _is_str(value) or (isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()))


@dataclass(frozen=True)
class Setting:
    default: Any
    valid: Callable[[Any], bool]
    expected: str


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
    "PRESS_RENDER_CACHE": Setting(True, _is_bool, "True or False"),
    "PRESS_WORKERS": Setting(
        0, lambda v: isinstance(v, int) and v >= 0, "0 (one per core) or a whole number"
    ),
    # press_search: build the Pagefind index; how long Pagefind may take, in seconds
    "PRESS_SEARCH": Setting(True, _is_bool, "True or False"),
    "PRESS_SEARCH_TIMEOUT": Setting(600, _is_positive_int, "a positive whole number of seconds"),
}


def validate(settings: dict[str, Any]) -> None:
    """Fill in defaults and check every press setting; raise SettingsError."""
    for key, setting in DEFAULTS.items():
        if key not in settings or settings[key] is None:
            settings[key] = setting.default
        value = settings[key]
        if not setting.valid(value):
            raise SettingsError(f"setting {key} = {value!r} is not valid: expected {setting.expected}")
    settings["LANGUAGES"] = list(settings["LANGUAGES"])
    if settings["DEFAULT_LANG"] not in settings["LANGUAGES"]:
        raise SettingsError(
            f"setting DEFAULT_LANG = {settings['DEFAULT_LANG']!r} is not valid: "
            f"it must be one of LANGUAGES {settings['LANGUAGES']!r}"
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
