"""Safe HTML: raw HTML in bodies, summaries and captions may format text, nothing more (contract §3).

:func:`unsafe_parts` finds what HTML may not do (run scripts, embed frames,
load from another host) so that it can be reported as ``unsafe-html`` with
its line; :func:`clean_html` is what every page and feed gets, whatever the
build: the HTML passed through nh3 (the Ammonia sanitizer) with the press's
allow-list, so that nothing unsafe is ever passed through even where the
finder overlooked it.  :func:`plain_text` is what metadata (``og:description``,
feed summaries) gets.  No function here raises, whatever its input.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from press.content.limits import DEFAULT_LIMITS, html_exceeds

#: Elements that format text, tables, figures and media of the site itself.
ALLOWED_TAGS = frozenset(
    nh3.ALLOWED_TAGS
    | {"audio", "video", "source", "track", "picture", "section", "span", "div", "figure", "figcaption"}
)
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "style"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href", "hreflang", "rel", "rev", "name"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "audio": {"src", "controls", "preload", "loop"},
    "video": {"src", "controls", "preload", "loop", "poster", "width", "height", "muted", "playsinline"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "abbr": {"title"},
    "td": {"headers", "align", "rowspan", "colspan"},
    "th": {"headers", "align", "scope", "rowspan", "colspan"},
}
STYLE_PROPERTIES = frozenset(
    {"text-align", "font-weight", "font-style", "text-decoration", "color", "background-color", "width"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Attributes whose URL the browser fetches by itself (a link's href it does not).
LOADING_ATTRIBUTES = frozenset(
    {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "longdesc"}
)
URL_ATTRIBUTES = LOADING_ATTRIBUTES | {
    "href",
    "action",
    "formaction",
    "cite",
    "xlink:href",
    "manifest",
    "icon",
}
#: Elements that run code, embed other documents or load from elsewhere.
FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "portal",
        "fencedframe",
        "base",
        "link",
        "meta",
        "style",
        "form",
        "svg",
        "math",
        "template",
        "param",
    }
)
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "ping", "formaction", "action"})
SCRIPT_SCHEMES = (
    "javascript:",
    "vbscript:",
    "livescript:",
    "data:text/html",
    "data:application",
    "data:image/svg",
)
CSS_LOADS = re.compile(r"url\s*\(|@import|expression\s*\(|image-set\s*\(", re.IGNORECASE)
# Cheap test first: most bodies have nothing the finder needs to look at.  Only
# tags can do harm, so only the text of each tag (quotes respected) is searched.
TAG_TEXT = re.compile(r"""<[a-zA-Z/!?](?:[^>"']|"[^"]*"|'[^']*')*>?""")
SUSPECT_TAG = re.compile(
    r"^<\s*/?\s*(?:" + "|".join(sorted(FORBIDDEN_TAGS)) + r")\b|^<!|\son[a-z]+\s*=|script\s*:|srcdoc|ping\s*="
    r"|(?:src|srcset|poster|data|background|lowsrc|dynsrc|longdesc|action)\s*=\s*[\"']?\s*"
    r"(?:[a-z][a-z0-9+.-]*:|//|\\\\)|style\s*=|xlink:href|data:|&#|&[a-z]+;",
)


def suspect(markup: str) -> bool:
    """Whether any tag of ``markup`` might do what content HTML may not (a fast, generous test)."""
    for match in TAG_TEXT.finditer(markup):
        text = match.group()
        if len(text) > 4 and SUSPECT_TAG.search(text.lower()):
            return True
    return False


@dataclass(frozen=True)
class Unsafe:
    """One thing the HTML may not do: what it is, and text to find it by in the source.

    ``needle`` is one text, or several tried in turn (the tag as written, then
    the attribute): the first that the source holds gives the line.
    """

    what: str
    needle: str | tuple[str, ...]


def _compact(value: str) -> str:
    """A URL as a browser reads it: without the blanks and controls it ignores."""
    return re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()


def loads_from_another_host(value: str) -> bool:
    """``https://x/…``, ``//x/…`` (or a srcset naming one): fetched from elsewhere."""
    for candidate in value.split(","):
        url = _compact(candidate.strip().split(" ", 1)[0]) if candidate.strip() else ""
        url = url.replace("\\", "/")
        if url.startswith("//"):
            return True
        try:
            parts = urlsplit(url)
        except ValueError:
            return True
        if parts.scheme and parts.scheme != "data":
            return True
    return False


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unsafe] = []

    def handle_starttag(self, tag, attrs) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if tag in FORBIDDEN_TAGS:
            self.found.append(Unsafe(f"a <{tag}> element", f"<{tag}"))
        # The tag as written finds its line; a word alone ("style") may come earlier in the text.
        written = (self.get_starttag_text() or "").strip()
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            compact = _compact(value)
            if name.startswith("on"):
                self.found.append(Unsafe(f"an event attribute ({name}= on <{tag}>)", (written, name)))
            elif name in FORBIDDEN_ATTRIBUTES:
                self.found.append(Unsafe(f"a {name}= attribute on <{tag}>", (written, name)))
            elif name in URL_ATTRIBUTES and compact.startswith(SCRIPT_SCHEMES):
                scheme = compact.split(":", 1)[0]
                self.found.append(Unsafe(f"a {scheme}: URL in {name}= on <{tag}>", (written, f"{scheme}:")))
            elif name in LOADING_ATTRIBUTES and loads_from_another_host(value):
                self.found.append(
                    Unsafe(
                        f"<{tag} {name}> loading {value.strip()[:80]!r} from another host",
                        (written, value.strip()[:80]),
                    )
                )
            elif name == "style" and CSS_LOADS.search(html.unescape(value)):
                self.found.append(
                    Unsafe(f"a style= on <{tag}> that loads or runs something", (written, value, "style="))
                )


def unsafe_parts(markup: str) -> list[Unsafe]:
    """Everything in ``markup`` that HTML in content may not do; never raises."""
    if not markup or not suspect(markup):
        return []
    return _find_unsafe(markup)


def _find_unsafe(markup: str) -> list[Unsafe]:
    finder = _Finder()
    try:
        finder.feed(markup)
        finder.close()
    except Exception:
        finder.found.append(Unsafe("HTML the press cannot read", "<"))
    return list(dict.fromkeys(finder.found))


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name in LOADING_ATTRIBUTES and loads_from_another_host(value):
        return None
    return value


_cleaners: dict[bool, nh3.Cleaner] = {}


def _cleaner(filtered: bool) -> nh3.Cleaner:
    """The allow-list, built once per process (building it costs more than cleaning a page)."""
    cleaner = _cleaners.get(filtered)
    if cleaner is None:
        cleaner = _cleaners[filtered] = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags={"script", "style", "template", "noscript"},
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=_keep_attribute if filtered else None,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(URL_SCHEMES),
            filter_style_properties=set(STYLE_PROPERTIES),
        )
    return cleaner


def clean_html(markup: str) -> str:
    """``markup`` through the allow-list: what a page or a feed may show; never raises.

    A page whose tags cannot load anything (no URL with a scheme or ``//``, see
    :func:`suspect`) skips the per-attribute host filter, which is slow.
    """
    return _clean(markup, suspect(markup)) if markup else ""


def _clean(markup: str, suspected: bool) -> str:
    try:
        return _cleaner(suspected).clean(markup)
    except Exception:
        return html.escape(plain_text(markup))


def checked_and_cleaned(markup: str) -> tuple[list[Unsafe], str]:
    """:func:`unsafe_parts` and :func:`clean_html` at once (the fast test made once)."""
    if not markup:
        return [], ""
    suspected = suspect(markup)
    return (_find_unsafe(markup) if suspected else []), _clean(markup, suspected)


_text_cleaners: list[nh3.Cleaner] = []


def _text_cleaner() -> nh3.Cleaner:
    if not _text_cleaners:
        _text_cleaners.append(
            nh3.Cleaner(tags=set(), clean_content_tags={"script", "style", "template", "noscript"})
        )
    return _text_cleaners[0]


def plain_text(markup: str) -> str:
    """The text of ``markup``, without tags (scripts and styles dropped), unescaped; never raises."""
    if not markup:
        return ""
    try:
        if "<" not in markup:
            text = markup
        elif html_exceeds(markup, DEFAULT_LIMITS) is not None:
            # nh3's time grows with the square of the nesting it reads (100,000 divs: 100 s)
            text = re.sub(r"<[^>]*>?", "", markup)
        else:
            text = _text_cleaner().clean(markup)
    except Exception:
        text = re.sub(r"<[^>]*>?", "", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def line_of(text: str, needle: str | tuple[str, ...], first_line: int = 1) -> int:
    """The 1-based line of ``text`` (which starts at ``first_line``) where ``needle`` first appears.

    Several needles are tried in turn; the first found gives the line.
    """
    lowered = text.lower()
    for candidate in (needle,) if isinstance(needle, str) else needle:
        index = lowered.find(candidate.lower()) if candidate else -1
        if index >= 0:
            return first_line + lowered.count("\n", 0, index)
    return first_line
