"""Bodies: HTML into Markdown where that is lossless, else sanitised HTML; template tags found.

The choice is made per body (docs/importing.md): the HTML is converted with markdownify, the
Markdown is rendered again with the press's own renderer, and the two are compared element by
element (tags, the attributes that matter, text). When they agree, and the HTML used nothing
Markdown cannot say (classes, styles, figures, spans…), the body is Markdown; otherwise it is
kept as HTML, passed through the press's allow-list (:func:`press.html.sanitize.clean_html`), so
that it renders exactly as before minus what the press never publishes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

from press.html.render import render_gfm
from press.html.sanitize import clean_html

#: Elements Markdown can say, with the attributes that carry meaning (b/i are strong/em).
MARKDOWN_ELEMENTS = {
    "p": (),
    "h1": (),
    "h2": (),
    "h3": (),
    "h4": (),
    "h5": (),
    "h6": (),
    "ul": (),
    "ol": (),
    "li": (),
    "blockquote": (),
    "pre": (),
    "code": (),
    "em": (),
    "strong": (),
    "a": ("href",),
    "img": ("src", "alt"),
    "hr": (),
    "br": (),
}
SAME_AS = {"b": "strong", "i": "em"}
#: Attributes that change nothing a reader sees once the page is the press's (``class`` was read
#: only by the old site's stylesheet, which the press does not have).
IGNORED_ATTRIBUTES = frozenset(
    {"class", "title", "rel", "target", "loading", "decoding", "width", "height", "srcset", "sizes"}
)
BLOCK_TAG = re.compile(
    r"<(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|section|address|form|iframe)\b", re.I
)
#: WordPress shortcodes: [name …], [/name]; not a Markdown link's text ([text](url)) nor a footnote.
WP_SHORTCODE = re.compile(r"\[(?P<name>[A-Za-z_][\w-]*)(?=[\s\]/])[^\[\]\n]*\](?!\()")
#: Hugo shortcodes: {{< name … >}} and {{% name … %}}.
HUGO_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*(?P<name>[\w/.-]+)[^}]*?[>%]\}\}")
#: Liquid tags and outputs: {% name … %}, {{ expression }}.
LIQUID_TAG = re.compile(r"\{%-?\s*(?P<name>[\w]+)[^%]*?-?%\}")
LIQUID_OUTPUT = re.compile(r"\{\{-?\s*(?P<name>[^}\s|]+)[^}]*?-?\}\}")
GUTENBERG_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*-->\n?")


def wordpress_shortcodes(text: str) -> Counter:
    return Counter(match.group("name") for match in WP_SHORTCODE.finditer(text))


def hugo_shortcodes(text: str) -> Counter:
    return Counter(match.group("name") for match in HUGO_SHORTCODE.finditer(text))


def liquid_tags(text: str) -> Counter:
    found = Counter(f"{{% {match.group('name')} %}}" for match in LIQUID_TAG.finditer(text))
    found.update(f"{{{{ {match.group('name')} }}}}" for match in LIQUID_OUTPUT.finditer(text))
    return found


def describe(found: Counter) -> str:
    return ", ".join(f"{name} ({count})" if count > 1 else name for name, count in sorted(found.items()))


def autop(text: str) -> str:
    """Paragraphs of a WordPress body written without them (what WordPress's wpautop does, simply).

    Blank lines separate paragraphs; a single line break inside a paragraph is a <br>.
    Chunks that already start with a block element are left as they are.
    """
    text = GUTENBERG_COMMENT.sub("", text.replace("\r\n", "\n"))
    if re.search(r"<p\b", text, re.I):
        return text
    chunks = re.split(r"\n\s*\n", text.strip())
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_TAG.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


class _Shape(HTMLParser):
    """What a reader sees of some HTML: (tag, meaningful attributes) and text, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.unsayable: set[str] = set()
        self.text: list[str] = []
        self.in_pre = 0

    def _flush(self):
        if self.text:
            text = "".join(self.text)
            text = text.strip("\n") if self.in_pre else re.sub(r"\s+", " ", text).strip()
            if text:
                self.items.append(("text", text))
            self.text = []

    def handle_starttag(self, tag, attrs):
        self._flush()
        tag = SAME_AS.get(tag, tag)
        if tag not in MARKDOWN_ELEMENTS:
            self.unsayable.add(f"<{tag}>")
            return
        kept = MARKDOWN_ELEMENTS[tag]
        meaningful = []
        for name, value in attrs:
            if name in kept:
                meaningful.append((name, html.unescape(value or "")))
            elif name not in IGNORED_ATTRIBUTES:
                self.unsayable.add(f'{name}="…"')
        if tag == "pre":
            self.in_pre += 1
        self.items.append((tag, tuple(sorted(meaningful))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._flush()
        tag = SAME_AS.get(tag, tag)
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1
        if tag in MARKDOWN_ELEMENTS and tag not in ("img", "br", "hr"):
            self.items.append(("/" + tag,))

    def handle_data(self, data):
        self.text.append(data)

    def close(self):
        super().close()
        self._flush()


def shape(markup: str) -> _Shape:
    parser = _Shape()
    parser.feed(markup)
    parser.close()
    return parser


def _comparable(items: list[tuple]) -> list[tuple]:
    """Drop the <code> inside <pre> (Markdown adds it) and merge adjacent text."""
    out: list[tuple] = []
    for item in items:
        if item[0] == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + " " + item[1])
        else:
            out.append(item)
    cleaned = []
    for index, item in enumerate(out):
        previous = out[index - 1][0] if index else ""
        following = out[index + 1][0] if index + 1 < len(out) else ""
        if item[0] == "code" and previous == "pre":
            continue
        if item[0] == "/code" and following == "/pre":
            continue
        cleaned.append(item)
    return cleaned


def html_to_markdown(markup: str) -> str:
    from markdownify import markdownify

    converted = markdownify(
        markup,
        heading_style="ATX",
        bullets="-",
        newline_style="BACKSLASH",
        strong_em_symbol="*",
        escape_underscores=False,
        escape_misc=False,
        code_language="",
    )
    converted = re.sub(r"[ \t]+\n", "\n", converted)
    return re.sub(r"\n{3,}", "\n\n", converted).strip() + "\n"


def convert_html(markup: str) -> tuple[str, str]:
    """(body, "markdown" or "html"): Markdown when the conversion loses nothing, else sanitised HTML."""
    markup = autop(markup)
    original = shape(markup)
    if not original.unsayable:
        converted = html_to_markdown(markup)
        if _comparable(shape(render_gfm(converted)).items) == _comparable(original.items):
            return converted, "markdown"
    return html_block(clean_html(markup)), "html"


def html_block(markup: str) -> str:
    """Sanitised HTML that Markdown passes through whole: no blank line outside <pre> ends it early."""
    parts = re.split(r"(<pre\b.*?</pre>)", markup, flags=re.S | re.I)
    joined = []
    for index, part in enumerate(parts):
        if index % 2:
            joined.append("\n" + part + "\n")
        else:
            joined.append(re.sub(r"\n\s*\n", "\n", part))
    text = "".join(joined).strip()
    return re.sub(r"\n\s*\n", "\n", text) if "<pre" not in text.lower() else text
