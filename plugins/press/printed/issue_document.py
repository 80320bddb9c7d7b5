"""One issue of a periodical in one language, as the print and e-book editions set it.

Plain data (no Pelican): the pipeline step (``press.pipeline.printed``) fills an
:class:`IssueDocument` from the written site, and :mod:`press.printed.print_edition`
and :mod:`press.printed.epub_edition` turn it into a PDF and an EPUB.  Bodies arrive
as the site's HTML with every site link made absolute under :data:`SITE_ROOT`;
:func:`prepare_fragment` parses them once into XHTML elements, resolves images
to files of the output folder and turns links into addresses a reader of a
printed or carried copy can use (the site's public address, or none).
"""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinyhtml5

from press.problems import error_text

#: The neutral root under which the site's links are written while an edition is made.
SITE_ROOT = "https://press.invalid"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Image types an EPUB reader must show (EPUB 3 core media types); others are re-encoded as PNG.
CORE_IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "GIF": ("image/gif", "gif")}
# Elements whose content is dropped from an edition: nothing runs, nothing embeds.
DROPPED = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "noscript", "template"}
# Numeral systems for CSS counters, by the digits the site writes (press.paper.i18n.localize_digits).
COUNTER_STYLES = {"arab": "arabic-indic", "arabext": "persian", "beng": "bengali", "deva": "devanagari"}
# Elements nested deeper than this inside a body are flattened into their ancestor at this depth:
# the serializer, the tagger and WeasyPrint's layout all recurse once per level.
MAX_DEPTH = 24
# Characters XML 1.0 (and so every EPUB reader) refuses, and Unicode's noncharacters.
NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    + "]"
)


class EditionInputError(ValueError):
    """Something in the content that keeps an edition from being made (message: file and fix)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class Image:
    """An image of an edition: its bytes, type and name inside the EPUB."""

    name: str
    media_type: str
    data: bytes


@dataclass
class EditionArticle:
    key: str
    lang: str  # the language of the version printed (the edition's, or an available one)
    title: str  # HTML
    standfirst: str  # plain text (the summary, never its markup or pictures), may be empty
    body: list[ET.Element]
    source_path: str  # content-relative, for messages
    direction: str = "ltr"
    language_note: str = ""  # the version's language, when it is not the edition's
    picture: Image | None = None  # the article's picture (its ``Image`` header)
    caption: str = ""  # plain text (``Caption``)


@dataclass
class IssueDocument:
    key: str
    lang: str
    direction: str
    site_name: str
    publication: str
    number_label: str  # "The Communist Left No. 56", in the language
    date_label: str
    title: str  # HTML
    intro: list[ET.Element]
    articles: list[EditionArticle]
    contents_label: str
    date: datetime.datetime  # the instant the edition is dated (SOURCE_DATE_EPOCH, else the issue's date)
    numerals: str = "decimal"  # CSS counter style for page numbers
    site_url: str = ""
    images: dict[str, Image] = field(default_factory=dict)
    source_path: str = ""
    script: str = "latn"  # press.paper.scripts.script_family of the language: how text is set
    # Interface text of the print edition, translated: continued_on and continued_from hold
    # ``%(page)s``; house_notice and notes fill a booklet's last pages.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def identifier(self) -> str:
        return f"urn:press:issue:{self.key}:{self.lang}"

    def all_text(self) -> str:
        """Every character the edition sets, for the font coverage check."""
        parts = [self.site_name, self.publication, self.number_label, self.date_label, self.contents_label]
        parts.append(text_of_html(self.title))
        parts.extend(text_of(element) for element in self.intro)
        parts.extend(self.labels.values())
        tags: set[str] = set()
        for article in self.articles:
            parts += [text_of_html(article.title), article.standfirst, article.caption, article.language_note]
            parts.extend(text_of(element) for element in article.body)
            for element in article.body:
                tags.update(node.tag for node in element.iter() if isinstance(node.tag, str))
        # What the press sets itself: rules' dashes and leaders, the folios' digits, and the
        # markers and quotation marks of the lists and quotes the bodies hold.
        parts.append(ALWAYS_INSERTED + DIGITS.get(self.numerals, "0123456789"))
        parts.extend(characters for tag, characters in INSERTED_FOR.items() if tag in tags)
        return "\n".join(parts)


# What the press itself sets beside the text: list markers (disc, circle, square), quotation marks
# and dashes, the footnotes' back-reference arrow, the digits of folios. The fonts must draw them too.
ALWAYS_INSERTED = "\u2014\u2026\u00b7."
INSERTED_FOR = {"ul": "\u2022\u25e6\u25aa", "q": "\u201c\u201d\u2018\u2019"}
DIGITS = {
    "decimal": "0123456789",
    "persian": "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "arabic-indic": "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
    "devanagari": "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
    "bengali": "\u09e6\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee\u09ef",
}
# Everything above, and the footnotes' back-reference arrow (in the body's text when there is one).
INSERTED = ALWAYS_INSERTED + "".join(INSERTED_FOR.values()) + "\u21a9" + "0123456789"


def counter_style(numbering_system: str) -> str:
    return COUNTER_STYLES.get(numbering_system, "decimal")


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def text_of_html(html: str) -> str:
    return "".join(text_of(element) for element in parse_fragment(html))


def xml_safe(text: str) -> str:
    """``text`` without the characters XML refuses (a U+FFFE in a title must not break a book)."""
    return NOT_XML.sub("", text)


def plain_text(html: str) -> str:
    """The text of an HTML fragment on one line: what an edition prints of a summary or caption."""
    return " ".join(text_of_html(html).split())


def flatten_deep(root: ET.Element, depth: int = 0) -> None:
    """Keep at most :data:`MAX_DEPTH` levels under ``root``: deeper markup becomes its text.

    Iterative on purpose: this runs before anything that recurses over the tree.
    """
    stack = [(root, depth)]
    while stack:
        element, level = stack.pop()
        if level >= MAX_DEPTH and len(element):
            text = "".join(element.itertext())
            for child in list(element):
                element.remove(child)
            element.text = text
            continue
        stack.extend((child, level + 1) for child in element)


def parse_fragment(html: str) -> list[ET.Element]:
    """The top-level elements of an HTML fragment (bare text is wrapped in a paragraph)."""
    root = tinyhtml5.parse(io.StringIO(f"<body>{xml_safe(html)}</body>"), namespace_html_elements=False)
    body = root.find("body")
    elements = []
    if body is None:
        return elements
    flatten_deep(body)
    if body.text and body.text.strip():
        paragraph = ET.Element("p")
        paragraph.text = body.text.strip()
        elements.append(paragraph)
    for child in list(body):
        if child.tail and child.tail.strip():
            extra = ET.Element("span")
            extra.text = child.tail
            child.tail = None
            elements.append(child)
            elements.append(extra)
        else:
            child.tail = None
            elements.append(child)
    return elements


def serialize(elements: list[ET.Element]) -> str:
    """XHTML text of elements (no namespace prefixes: the document sets the default namespace)."""
    return "".join(ET.tostring(element, encoding="unicode", method="xml") for element in elements)


def serialize_inline(html: str) -> str:
    """Inline HTML (a title, a summary) as well-formed XHTML."""
    root = tinyhtml5.parse(
        io.StringIO(f"<body><span>{xml_safe(html)}</span></body>"), namespace_html_elements=False
    )
    span = root.find("body/span")
    if span is None:
        return ""
    flatten_deep(span, 2)
    for child in list(span):
        if not isinstance(child.tag, str) or child.tag in DROPPED:
            _remove_keeping_tail(span, child)
    text = ET.tostring(span, encoding="unicode", method="xml")
    return "" if text.endswith("/>") and text.startswith("<span") and ">" not in text[:-2] else text[6:-7]


class FragmentPreparer:
    """Makes a body's elements fit for an edition: images resolved, links made public, nothing active."""

    def __init__(
        self, output: Path, site_url: str, images: dict[str, Image], content: Path | None = None
    ) -> None:
        self.output = output
        self.content = content
        self.site_url = site_url.rstrip("/")
        self.images = images  # shared by every article of the edition, by site path

    def prepare(self, html: str, source_path: str) -> list[ET.Element]:
        elements = parse_fragment(html)
        for element in elements:
            self._clean(element, source_path)
            _captioned(element)
        return [element for element in elements if element.tag not in DROPPED]

    def _clean(self, element: ET.Element, source_path: str) -> None:
        for child in list(element):
            if not isinstance(child.tag, str) or child.tag in DROPPED:
                _remove_keeping_tail(element, child)
                continue
            self._clean(child, source_path)
        for name in list(element.attrib):
            if name.startswith("on") or ":" in name or name in {"srcset", "sizes", "loading", "decoding"}:
                del element.attrib[name]
        if element.tag == "a":
            self._link(element)
        elif element.tag == "img":
            self._image(element, source_path)

    def _link(self, element: ET.Element) -> None:
        href = element.get("href", "")
        if href.startswith(SITE_ROOT + "/"):
            if self.site_url:
                element.set("href", self.site_url + href[len(SITE_ROOT) :])
            else:
                del element.attrib["href"]
        elif href.startswith("#") or not re.match(r"^(https?|mailto):", href):
            element.attrib.pop("href", None)

    def _image(self, element: ET.Element, source_path: str) -> None:
        src = element.get("src", "")
        site_path = unquote(urlsplit(src).path.lstrip("/")) if src.startswith(SITE_ROOT + "/") else None
        image = self.load_image(site_path, source_path) if site_path else None
        if image is None:
            # An image from elsewhere (or none): an edition fetches nothing, so its text stands in.
            element.tag = "span"
            alt = element.get("alt", "")
            element.attrib.clear()
            element.text = alt
            return
        element.set("src", f"images/{image.name}")
        element.set("alt", element.get("alt", ""))

    def load_image(self, site_path: str, source_path: str) -> Image | None:
        if site_path in self.images:
            return self.images[site_path]
        path = (self.output / site_path).resolve()
        if not path.is_relative_to(self.output.resolve()) or not path.is_file():
            source = (self.content / site_path).resolve() if self.content else None
            if source and source.is_relative_to(self.content.resolve()) and source.is_file():
                # The site left it out (an image it could not clean): say why, if it is unreadable.
                read_image(source, site_path, source_path, 0)
            raise EditionInputError(
                f"the image {site_path!r} used in {source_path} is not among the published files: "
                "put it in the article's folder and refer to it by its file name",
                source_path,
            )
        self.images[site_path] = read_image(path, site_path, source_path, len(self.images))
        return self.images[site_path]


def _captioned(element: ET.Element) -> None:
    """A paragraph that is only a picture becomes a figure captioned with its alternative text."""
    if element.tag != "p" or len(element) != 1 or (element.text or "").strip():
        return
    picture = element[0]
    alt = " ".join(picture.get("alt", "").split())
    if picture.tag != "img" or (picture.tail or "").strip() or not alt:
        return
    element.tag = "figure"
    element.attrib.clear()
    caption = ET.SubElement(element, "figcaption")
    caption.text = alt


def read_image(path: Path, site_path: str, source_path: str, number: int) -> Image:
    """An image's bytes in a type every reader shows; EditionInputError if it cannot be read."""
    from PIL import Image as PILImage

    data = path.read_bytes()
    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            picture.load()
            kind = picture.format
            if kind not in CORE_IMAGE_TYPES:
                buffer = io.BytesIO()
                picture.convert("RGBA").save(buffer, "PNG", optimize=False)
                data, kind = buffer.getvalue(), "PNG"
    except Exception as error:  # Pillow raises many kinds for a broken file
        reason = error_text(error)
        raise EditionInputError(
            f"the image {site_path} (used in {source_path}) cannot be read ({reason}): "
            "replace it with a valid JPEG or PNG file",
            site_path,
        ) from None
    media_type, extension = CORE_IMAGE_TYPES[kind]
    stem = re.sub(r"[^a-z0-9-]+", "-", posixpath.splitext(posixpath.basename(site_path))[0].lower()).strip(
        "-"
    )
    return Image(f"{number + 1:03d}-{stem or 'image'}.{extension}", media_type, data)


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    tail = child.tail
    index = list(parent).index(child)
    parent.remove(child)
    if tail:
        if index == 0:
            parent.text = (parent.text or "") + tail
        else:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + tail


def letters(text: str) -> set[str]:
    """The characters of ``text`` a font must draw (not spaces nor invisible format marks)."""
    return {
        char
        for char in text
        if not char.isspace() and unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}
    }
