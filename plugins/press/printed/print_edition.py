"""The print edition: one issue in one language as a newspaper a branch can print (WeasyPrint).

Page one is a front page: the masthead, the issue's number and date (the Solar
Hijri date first in Persian), the lead article (the first of ``Contents``) with
its headline as the largest text on the page, its picture (``Image``) and
caption and its opening, then "continued on page N"; below it the other
articles' headlines with their page numbers, and a short contents box.  The
inside pages follow without forced page breaks: the issue's introduction, the
rest of the lead, then every other article, each a headline across the page
over its text in two columns (three on A3), with captioned pictures and the
``>`` quotes set as pull quotes.  Running heads carry the number and the date,
folios are written in the language's numerals (a CSS counter style, e.g.
``persian``); text is 10-11 pt, hyphenated where Pyphen knows the language and
justified only in scripts where that does not harm reading (Latin, Greek,
Cyrillic); right-to-left languages are set right to left with Pango's shaping.
Everything is black, grey or white: it prints on a black-and-white laser.

The PDF is tagged (WeasyPrint's ``pdf/ua-1`` variant): headings, paragraphs,
lists, figures with their alternative text, in reading order, with the
document's language.

The booklet (:func:`render_booklet`) is the same paper set on A5 pages, padded
to a multiple of four pages with the contents, a notes page and a house notice
(never blank pages), then imposed two pages per side of an A4 sheet in booklet
order, so that the printed sheets folded in the middle read in order.

Reproducible and private: the PDF is dated by the edition's date
(``SOURCE_DATE_EPOCH``), names no person, and holds no path of the machine:
the document's base URL is a neutral one, images are embedded as ``data:``
URLs, and the URL fetcher refuses everything else, so nothing is fetched from
anywhere.  Fonts are the system's free Noto families (see ``press.printed.edition_fonts``),
embedded as subsets.
"""

from __future__ import annotations

import base64
import contextlib
import html
import logging
import math

from press.printed.edition_fonts import css_family_list
from press.printed.issue_document import (
    SITE_ROOT,
    EditionArticle,
    IssueDocument,
    serialize,
    serialize_inline,
    xml_safe,
)

logger = logging.getLogger(__name__)

PAGE_SIZES = {"A4", "A5", "A3", "B5", "letter", "legal", "tabloid"}
# CSS names of the sizes CSS calls otherwise (tabloid: 11 x 17 in).
CSS_SIZES = {"tabloid": "ledger"}
# The sizes set like A3: three columns, larger type.
LARGE_SIZES = {"A3", "tabloid"}
# Text columns of the inside pages, by page size.
COLUMNS = {"A3": 3, "tabloid": 3}
# Sizes (pt) by page size: body text, lead headline, masthead, other headlines.
TYPE_SIZES = {
    "A3": {"text": 11, "lead": 40, "masthead": 30, "headline": 22},
    "A5": {"text": 10, "lead": 22, "masthead": 17, "headline": 15},
}
DEFAULT_TYPE = {"text": 10.5, "lead": 30, "masthead": 23, "headline": 18}
# Scripts justified across the column: elsewhere (Arabic script, CJK, Indic…) stretched spaces or
# letters harm reading, so lines stay ragged.
JUSTIFIED_SCRIPTS = {"latn"}
# Upright scripts have no italics: emphasis is bold there.
UPRIGHT_SCRIPTS = {"arab", "hebr", "cjk", "kore", "deva", "beng", "thai"}
# The lead's opening on the front page: whole blocks filling about this many lines of its columns
# (estimated from the characters a line holds: a CJK character is about twice as wide).
OPENING_LINES = {"A5": 12, "A3": 66, "tabloid": 60}
DEFAULT_OPENING_LINES = 30
CHARACTERS_PER_LINE = {"A5": 30, "A3": 50, "tabloid": 48}
SCRIPT_WIDTH = {"cjk": 0.5, "kore": 0.6}
# What the opening on the front page stops before.
OPENING_STOPS = {"img", "figure", "table", "pre", "section", "hr"}
# Headlines teased on the front page (the contents box lists every article).
TEASERS = {"A5": 2, "A3": 9, "tabloid": 9}
DEFAULT_TEASERS = 6
# The booklet's filler pages, in the order they are used (ids filler-<name> in the HTML).
FILLERS = ("contents", "notes", "house")

STYLESHEET = """
@page {
  size: %(size)s;
  margin: 16mm 14mm 18mm 14mm;
  @top-left { content: string(number); font-size: 8pt; }
  @top-right { content: string(date); font-size: 8pt; }
  @bottom-center { content: counter(page, %(numerals)s); font-size: 9pt; }
}
@page :first {
  @top-left { content: none; }
  @top-right { content: none; }
  @bottom-center { content: none; }
}
html { font-family: %(fonts)s; font-size: %(text)spt; line-height: 1.4; color: #000; }
body { margin: 0; hyphens: auto; text-align: %(align)s; orphans: 2; widows: 2; }
h1, h2, h3, h4, h5, h6 { hyphens: manual; text-align: start; line-height: 1.15; break-after: avoid; }
a { color: inherit; text-decoration: none; }
p { margin: 0 0 0.6em; }
img { max-width: 100%%; height: auto; }
figure { margin: 0 0 3mm; break-inside: avoid; }
figcaption, .caption { font-size: 8.5pt; line-height: 1.3; color: #333; margin-top: 1mm; text-align: start; }
pre, code { font-family: %(fonts)s; font-size: 9pt; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 9pt; }
td, th { border: 0.5pt solid #000; padding: 0.8mm 1.5mm; }
hr { border: 0; border-top: 0.5pt solid #000; }

.masthead { text-align: center; border-bottom: 2.5pt solid #000; margin: 0 0 4mm; padding: 0 0 1.5mm; }
.masthead .site { font-size: 8.5pt; letter-spacing: 0.08em; margin: 0 0 1mm; }
.masthead .publication { font-size: %(masthead)spt; font-weight: bold; line-height: 1.1; margin: 0;
  hyphens: manual; }
.masthead .dateline { font-size: 9pt; border-top: 0.75pt solid #000; margin: 1.5mm 0 0; padding-top: 1mm; }
.masthead .dateline .number { string-set: number content(text); }
.masthead .dateline .date { string-set: date content(text); }
.lead h1 { font-size: %(lead)spt; font-weight: bold; margin: 0 0 3mm; line-height: 1.05; }
.lead .standfirst { font-size: 12pt; font-weight: bold; margin: 0 0 3mm; text-align: start; }
.lead figure img { max-height: %(picture)s; }
.lead .opening { columns: %(columns)s; column-gap: 6mm; }
.jump { font-size: 9pt; font-weight: bold; text-align: end; margin: 1mm 0 3mm; }
.jump a::after, .jumped a::after { content: %(continued_on)s; }
.jumped { font-size: 8.5pt; font-weight: bold; margin: 0 0 1mm; }
.jumped a::after { content: %(continued_from)s; }
.index { border-top: 1.5pt solid #000; padding-top: 2mm; break-inside: avoid; }
.teasers { columns: %(columns)s; column-gap: 6mm; }
.teaser { break-inside: avoid; margin: 0 0 3mm; }
.teaser h2 { font-size: 12.5pt; margin: 0 0 1mm; }
.teaser p { font-size: 9pt; margin: 0; text-align: start; }
.page-ref { font-weight: bold; white-space: nowrap; }
.page-ref::before { content: " \\2014\\00a0" target-counter(attr(href), page, %(numerals)s); }
.contents-box { border: 0.75pt solid #000; padding: 2mm 3mm; margin-top: 2mm; break-inside: avoid; }
.contents-box h2 { font-size: 10pt; margin: 0 0 1mm; text-transform: uppercase; letter-spacing: 0.05em; }
.contents-box ol { list-style: none; margin: 0; padding: 0; font-size: 9pt; }
.contents-box li { margin: 0 0 0.5mm; text-align: start; }
.contents-box a::after { content: leader('.') target-counter(attr(href), page, %(numerals)s); }

.inside { break-before: page; }
.inside article, .inside section.intro { margin: 0 0 5mm; border-top: 1.5pt solid #000; padding-top: 1.5mm; }
.inside h2.headline { font-size: %(headline)spt; margin: 0 0 2mm; bookmark-level: 1; }
.inside .standfirst { font-size: 11pt; font-weight: bold; text-align: start; margin: 0 0 2mm; }
.inside .version { font-size: 8.5pt; margin: 0 0 2mm; }
.text { columns: %(columns)s; column-gap: 6mm; column-rule: 0.5pt solid #777; }
.text h2, .text h3, .text h4 { font-size: 11.5pt; margin: 2mm 0 1mm; bookmark-level: none; }
blockquote { font-size: 12.5pt; font-weight: bold; line-height: 1.25; text-align: start; hyphens: manual;
  border-top: 1.5pt solid #000; border-bottom: 1.5pt solid #000; margin: 2mm 0 3mm; padding: 2mm 0;
  break-inside: avoid; }
blockquote p { margin: 0; }
blockquote blockquote { font-size: 1em; border: 0; margin: 0; padding: 0 0 0 0; }
ul, ol { padding-inline-start: 5mm; margin: 0 0 2mm; }
/* deep lists stop indenting: a column is narrow, and nesting has no bound in the source */
:is(ul, ol) :is(ul, ol) :is(ul, ol) :is(ul, ol) { padding-inline-start: 0; }
.footnotes, section[data-footnotes] { font-size: 8.5pt; border-top: 0.5pt solid #000; }
.filler { break-before: page; }
.filler h2 { font-size: 16pt; }
.filler.notes .line { border-bottom: 0.5pt solid #777; height: 8mm; }
.filler.house { text-align: center; padding-top: 40mm; }
.filler.house .publication { font-size: 18pt; font-weight: bold; }
.filler .contents-box { border: 0; padding: 0; }
.filler .contents-box ol { font-size: 10pt; }
"""
ITALIC = """
.lead .standfirst, .inside .standfirst { font-weight: normal; font-style: italic; }
blockquote { font-style: italic; }
figcaption, .caption { font-style: italic; }
"""


class NothingFetched:
    """WeasyPrint URL fetcher that serves ``data:`` URLs and refuses every other address."""

    def __new__(cls):
        from weasyprint.urls import URLFetcher

        class _Fetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                raise ValueError(f"the print edition fetches nothing: {url} refused")

        return _Fetcher(allowed_protocols={"data"}, allow_redirects=False)


def css_string(text: str) -> str:
    """A CSS string literal (every character but ASCII letters, digits and spaces escaped)."""
    kept = (
        char if (char.isascii() and char.isalnum()) or char == " " else f"\\{ord(char):x} " for char in text
    )
    return '"' + "".join(kept) + '"'


def page_reference_content(label: str, numerals: str) -> str:
    """CSS ``content`` for a label with ``%(page)s``: the text around the target's page number."""
    before, _, after = label.partition("%(page)s")
    parts = [css_string(before)] if before else []
    parts.append(f"target-counter(attr(href), page, {numerals})")
    if after:
        parts.append(css_string(after))
    return " ".join(parts)


def stylesheet(document: IssueDocument, page_size: str, families: list[str]) -> str:
    sizes = TYPE_SIZES.get("A3" if page_size in LARGE_SIZES else page_size, DEFAULT_TYPE)
    labels = document.labels
    css = STYLESHEET % {
        "size": CSS_SIZES.get(page_size, page_size),
        "numerals": document.numerals,
        "fonts": css_family_list(families),
        "align": "justify" if document.script in JUSTIFIED_SCRIPTS else "start",
        "columns": COLUMNS.get(page_size, 2),
        "picture": "110mm" if page_size in LARGE_SIZES else {"A5": "40mm"}.get(page_size, "70mm"),
        "continued_on": page_reference_content(
            labels.get("continued_on", "Continued on page %(page)s"), document.numerals
        ),
        "continued_from": page_reference_content(
            labels.get("continued_from", "Continued from page %(page)s"), document.numerals
        ),
        **sizes,
    }
    return css if document.script in UPRIGHT_SCRIPTS else css + ITALIC


def lead_split(article: EditionArticle, page_size: str = "A4", script: str = "latn") -> tuple[list, list]:
    """The lead's opening (whole blocks filling about :data:`OPENING_LINES` lines of the front page's
    columns) and the rest of its text.

    The opening stops before a picture, a table or code (they belong inside) and never ends on a
    heading.
    """
    from press.printed.issue_document import text_of

    budget = OPENING_LINES.get(page_size, DEFAULT_OPENING_LINES)
    per_line = CHARACTERS_PER_LINE.get(page_size, 47) * SCRIPT_WIDTH.get(script, 1.0)
    used = 0.0
    end = len(article.body)
    for index, element in enumerate(article.body):
        if element.tag in OPENING_STOPS or any(child.tag in OPENING_STOPS for child in element.iter()):
            end = index
            break
        if element.tag in {"ul", "ol"}:
            lines = sum(math.ceil(len(text_of(item)) / per_line) for item in element) + 1
        elif element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            lines = 3
        elif element.tag == "blockquote":
            lines = math.ceil(len(text_of(element)) / (per_line * 0.8)) + 2
        else:
            lines = math.ceil(len(text_of(element)) / per_line) + 0.6
        if used and used + lines > budget:
            end = index
            break
        used += lines
    while end and article.body[end - 1].tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        end -= 1
    return article.body[:end], article.body[end:]


def edition_html(
    document: IssueDocument, *, page_size: str, families: list[str], filler_pages: int = 0
) -> str:
    """The HTML WeasyPrint sets (images as ``data:`` URLs, no link to the machine).

    ``filler_pages`` (0-3) adds the booklet's last pages: the contents, a notes page, a house notice.
    """
    escape = html.escape
    moment = document.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    lead, others = (document.articles[0], document.articles[1:]) if document.articles else (None, [])
    parts = [
        '<header class="masthead">',
        f'<p class="site">{escape(document.site_name)}</p>',
        f'<p class="publication">{escape(document.publication)}</p>',
        f'<p class="dateline"><span class="number">{escape(document.number_label)}</span> \u00b7 '
        f'<span class="date">{escape(document.date_label)}</span></p></header>',
    ]
    rest: list = []
    if lead is not None:
        opening, rest = lead_split(lead, page_size, document.script)
        parts.append(f'<article class="lead" id="lead"{_lang_attributes(lead, document)}>')
        parts.append(f"<h1>{serialize_inline(lead.title)}</h1>")
        if lead.standfirst:
            parts.append(f'<p class="standfirst">{escape(lead.standfirst)}</p>')
        parts.append(_language_note(lead) + _picture(lead, document))
        parts.append(f'<div class="opening">{_with_data_images(serialize(opening), document)}</div>')
        if rest:
            parts.append(f'<p class="jump"><a href="#continued-{lead.key}"></a></p>')
        parts.append("</article>")
    parts.append('<section class="index">')
    teased = others[: TEASERS.get(page_size, DEFAULT_TEASERS)]
    if teased:
        parts.append('<div class="teasers">')
        for article in teased:
            parts.append(
                f'<div class="teaser"{_lang_attributes(article, document)}>'
                f'<h2><a href="#article-{article.key}">{serialize_inline(article.title)}</a>'
                f'<a class="page-ref" href="#article-{article.key}"></a></h2>'
                + (
                    f"<p>{escape(_shortened(article.standfirst))}</p>"
                    if article.standfirst and page_size != "A5"
                    else ""
                )
                + "</div>"
            )
        parts.append("</div>")
    parts.append(_contents_box(document, rest))
    parts.append("</section>")

    parts.append('<div class="inside">')
    if document.intro:
        parts.append(
            f'<section class="intro"><h2 class="headline">{serialize_inline(document.title)}</h2>'
            f'<div class="text">{_with_data_images(serialize(document.intro), document)}</div></section>'
        )
    if lead is not None and rest:
        parts.append(
            f'<article class="continued" id="continued-{lead.key}"{_lang_attributes(lead, document)}>'
            f'<p class="jumped"><a href="#lead"></a></p>'
            f'<h2 class="headline">{serialize_inline(lead.title)}</h2>'
            f'<div class="text">{_with_data_images(serialize(rest), document)}</div></article>'
        )
    for article in others:
        parts.append(
            f'<article id="article-{article.key}"{_lang_attributes(article, document)}>'
            f'<h2 class="headline">{serialize_inline(article.title)}</h2>'
            + (f'<p class="standfirst">{escape(article.standfirst)}</p>' if article.standfirst else "")
            + _language_note(article)
            + _picture(article, document)
            + f'<div class="text">{_with_data_images(serialize(article.body), document)}</div></article>'
        )
    parts.append("</div>")
    parts.extend(_filler(document, rest)[:filler_pages])
    body = "".join(parts)
    source = (
        f'<!DOCTYPE html><html lang="{escape(document.lang)}" dir="{document.direction}"><head>'
        f'<meta charset="utf-8"><title>{escape(document.number_label)}</title>'
        f'<meta name="dcterms.created" content="{moment}">'
        f'<meta name="dcterms.modified" content="{moment}">'
        f'<meta name="generator" content="{escape(document.site_name)}">'
        f"<style>{stylesheet(document, page_size, families)}</style></head><body>{body}</body></html>"
    )
    return xml_safe(source)


def _lang_attributes(article: EditionArticle, document: IssueDocument) -> str:
    if article.lang == document.lang:
        return ""
    return f' lang="{html.escape(article.lang)}" dir="{article.direction}"'


def _language_note(article: EditionArticle) -> str:
    return f'<p class="version">{html.escape(article.language_note)}</p>' if article.language_note else ""


def _picture(article: EditionArticle, document: IssueDocument) -> str:
    picture = article.picture
    if picture is None:
        return ""
    alt = article.caption or html.unescape(_text(article.title))
    caption = f"<figcaption>{html.escape(article.caption)}</figcaption>" if article.caption else ""
    data = base64.b64encode(picture.data).decode("ascii")
    return (
        f'<figure><img src="data:{picture.media_type};base64,{data}" alt="{html.escape(alt)}"/>'
        f"{caption}</figure>"
    )


def _text(inline_html: str) -> str:
    from press.printed.issue_document import text_of_html

    return html.escape(text_of_html(inline_html))


def _shortened(text: str, limit: int = 160) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.\u060c") + "\u2026"


def _contents_box(document: IssueDocument, rest: list) -> str:
    items = []
    for index, article in enumerate(document.articles):
        target = "lead" if index == 0 else f"article-{article.key}"
        items.append(
            f'<li{_lang_attributes(article, document)}><a href="#{target}">'
            f"{serialize_inline(article.title)}</a></li>"
        )
    return (
        f'<nav class="contents-box"><h2>{html.escape(document.contents_label)}</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def _filler(document: IssueDocument, rest: list) -> list[str]:
    """The booklet's last pages, in the order they are added: contents, notes, house notice."""
    escape = html.escape
    labels = document.labels
    notes = labels.get("notes", "Notes")
    notice = labels.get("house_notice", "Read it, then pass it on.")
    lines = '<div class="line"></div>' * 18
    return [
        f'<section class="filler contents" id="filler-contents">{_contents_box(document, rest)}</section>',
        f'<section class="filler notes" id="filler-notes"><h2>{escape(notes)}</h2>{lines}</section>',
        '<section class="filler house" id="filler-house">'
        f'<p class="publication">{escape(document.publication)}</p>'
        f"<p>{escape(notice)}</p><p>{escape(document.site_url or document.site_name)}</p></section>",
    ]


def _with_data_images(text: str, document: IssueDocument) -> str:
    for image in document.images.values():
        data = base64.b64encode(image.data).decode("ascii")
        text = text.replace(f'src="images/{image.name}"', f'src="data:{image.media_type};base64,{data}"')
    return text


def _quiet_weasyprint():
    """Silence WeasyPrint's warnings (about CSS it ignores) while a document is set."""

    @contextlib.contextmanager
    def quiet():
        weasy_logger = logging.getLogger("weasyprint")
        level = weasy_logger.level
        weasy_logger.setLevel(logging.CRITICAL)
        try:
            yield
        finally:
            weasy_logger.setLevel(level)

    return quiet()


def _document(source: str):
    from weasyprint import HTML

    return HTML(string=source, base_url=SITE_ROOT + "/", url_fetcher=NothingFetched()).render()


@contextlib.contextmanager
def _languages_tagged():
    """While a PDF is written, tag every element that states its language with ``/Lang``.

    WeasyPrint 70 sets the document's language only; an article printed in another version's
    language must be read in that language.  Its tagger builds the structure tree with one
    recursive function, looked up by name at each level: wrapping it for the length of one
    ``write_pdf`` adds the language to the structure elements of boxes whose element has one.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build_with_language(box, *arguments):
        element = getattr(box, "element", None)
        language = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            language = element.get("lang")
        for structure in original(box, *arguments):
            if language and "Lang" not in structure:
                structure["Lang"] = pydyf.String(language)
            yield structure

    tags._build_box_tree = build_with_language
    try:
        yield
    finally:
        tags._build_box_tree = original


def render_pdf(document: IssueDocument, *, page_size: str, families: list[str]) -> bytes:
    """The tagged PDF's bytes: the same document gives the same bytes, wherever it is built."""
    source = edition_html(document, page_size=page_size, families=families)
    with _quiet_weasyprint(), _languages_tagged():
        return _document(source).write_pdf(
            pdf_identifier=document.identifier.encode("utf-8"),
            pdf_variant="pdf/ua-1",
            custom_metadata=False,
        )


def booklet_order(count: int, *, right_to_left: bool = False) -> list[tuple[int, int]]:
    """The pages (0-based, left then right) on each side of the sheets, outer sheet first.

    ``count`` is a multiple of 4.  Folded in the middle and stacked, the sheets read 1, 2, …, count;
    a right-to-left booklet is bound on the right, so every side is mirrored.
    """
    sides = []
    for sheet in range(count // 4):
        front = (count - 1 - 2 * sheet, 2 * sheet)
        back = (2 * sheet + 1, count - 2 - 2 * sheet)
        if right_to_left:
            front, back = front[::-1], back[::-1]
        sides += [front, back]
    return sides


def render_booklet(document: IssueDocument, *, families: list[str]) -> bytes:
    """The booklet: A5 pages padded to a multiple of 4 with filler pages, imposed 2-up on A4 sheets.

    One layout: the paper is set with every filler page at its end, then only the fillers needed
    are kept (the contents first, then notes, then the house notice).
    """
    with _quiet_weasyprint():
        layout = _document(edition_html(document, page_size="A5", families=families, filler_pages=3))
        pages = list(layout.pages)
        starts = [
            next((index for index, page in enumerate(pages) if f"filler-{name}" in page.anchors), len(pages))
            for name in FILLERS
        ]
        kept = pages[: starts[0]]
        groups = [pages[start:end] for start, end in zip(starts, [*starts[1:], len(pages)], strict=True)]
        for group in groups:
            if len(kept) % 4 and len(group) <= -len(kept) % 4:
                kept += group
        # A filler page that ran over one page: repeat the house notice until the count is right.
        while len(kept) % 4:
            kept.append(pages[-1])
        layout = layout.copy(kept)
        order = booklet_order(len(kept), right_to_left=document.direction == "rtl")
        return layout.write_pdf(
            pdf_identifier=(document.identifier + ":booklet").encode("utf-8"),
            custom_metadata=False,
            finisher=lambda _document, pdf: impose(pdf, order),
        )


def impose(pdf, order: list[tuple[int, int]]) -> None:
    """Replace the PDF's pages by sheets carrying two of them side by side (WeasyPrint finisher).

    Each page's content stream becomes a form XObject; each sheet draws two forms.  Links,
    outlines and named destinations pointed at the single pages, so they go.
    """
    import pydyf

    numbers = list(pdf.pages["Kids"][::3])
    forms = []
    width = height = 0.0
    for number in numbers:
        page = pdf.objects[number]
        contents = pdf.objects[_object_number(page["Contents"])]
        left, top, right, bottom = (float(value) for value in page["MediaBox"])
        width, height = right - left, bottom - top
        contents.extra.update(
            {
                "Type": "/XObject",
                "Subtype": "/Form",
                "BBox": pydyf.Array([left, top, right, bottom]),
                "Resources": page["Resources"],
            }
        )
        forms.append(contents)
    pdf.pages["Kids"] = pydyf.Array()
    pdf.pages["Count"] = 0
    for left_page, right_page in order:
        stream = pydyf.Stream(compress=True)
        for position, index in enumerate((left_page, right_page)):
            stream.push_state()
            stream.set_matrix(1, 0, 0, 1, position * width, 0)
            stream.draw_x_object(f"P{index}")
            stream.pop_state()
        pdf.add_object(stream)
        resources = pydyf.Dictionary(
            {
                "XObject": pydyf.Dictionary(
                    {f"P{index}": forms[index].reference for index in (left_page, right_page)}
                )
            }
        )
        pdf.add_object(resources)
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": pydyf.Array([0, 0, 2 * width, height]),
                    "Contents": stream.reference,
                    "Resources": resources.reference,
                }
            )
        )
    for name in ("Outlines", "Names", "PageMode", "Dests"):
        pdf.catalog.pop(name, None)


def _object_number(reference) -> int:
    text = reference.decode("ascii") if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])
