"""The print edition: one issue in one language as a print-ready PDF (WeasyPrint).

A cover (publication, number, date, title and the issue's introduction), the
table of contents in ``Contents`` order with page numbers, then every article
(title, standfirst, text) from a new page.  Running heads carry the article's
title, page numbers are written in the language's numerals (a CSS counter
style, e.g. ``persian``); text is hyphenated where Pyphen knows the language,
set right to left with Pango's shaping where the language is.

Reproducible and private: the PDF is dated by the edition's date
(``SOURCE_DATE_EPOCH``), names no person, and holds no path of the machine:
the document's base URL is a neutral one, images are embedded as ``data:``
URLs, and the URL fetcher refuses everything else, so nothing is fetched from
anywhere.  Fonts are the system's free Noto families (see ``press.edition_fonts``),
embedded as subsets.
"""

from __future__ import annotations

import base64
import html
import logging

from .edition_fonts import css_family_list
from .issue_document import SITE_ROOT, IssueDocument, serialize, serialize_inline

logger = logging.getLogger(__name__)

PAGE_SIZES = {"A4", "A5", "A3", "B5", "letter", "legal"}

STYLESHEET = """
@page {
  size: %(size)s;
  margin: 20mm 18mm 22mm 18mm;
  @top-center { content: string(running); font-size: 8pt; color: #555; }
  @bottom-center { content: counter(page, %(numerals)s); font-size: 9pt; }
}
@page :first {
  @top-center { content: none; }
  @bottom-center { content: none; }
}
html { font-family: %(fonts)s; font-size: 10.5pt; line-height: 1.5; color: #111; }
body { margin: 0; hyphens: auto; text-align: justify; }
h1, h2, h3, h4 { hyphens: manual; text-align: start; line-height: 1.25; }
.cover { text-align: center; break-after: page; padding-top: 35mm; }
.cover .publication { font-size: 30pt; font-weight: bold; margin: 0 0 6mm; color: #a3121b; }
.cover .number { font-size: 16pt; margin: 0 0 2mm; }
.cover .date { font-size: 12pt; margin: 0 0 18mm; }
.cover h1 { font-size: 18pt; margin: 0 0 8mm; }
.cover .intro { text-align: justify; font-size: 10.5pt; }
.cover .site { margin-top: 12mm; font-size: 9pt; color: #555; }
nav.toc { break-after: page; }
nav.toc h2 { font-size: 16pt; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0 0 3mm; text-align: start; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page, %(numerals)s); }
article { break-before: page; }
nav.toc + article { break-before: auto; }
article h2.title { font-size: 17pt; margin: 0 0 3mm; string-set: running content(text); bookmark-level: 1; }
article .standfirst { font-size: 11.5pt; font-style: italic; margin: 0 0 6mm; text-align: start; }
[dir=rtl] .standfirst, [dir=rtl] blockquote { font-style: normal; font-weight: bold; }
article .version { font-size: 8.5pt; color: #555; margin: 0 0 4mm; }
article h2, article h3, article h4 { bookmark-level: none; }
img { max-width: 100%%; height: auto; }
blockquote { margin: 0 8mm; font-style: italic; }
table { border-collapse: collapse; }
td, th { border: 0.5pt solid #999; padding: 1mm 2mm; }
a { color: inherit; }
pre, code { font-family: "Noto Sans Mono", monospace; font-size: 9pt; white-space: pre-wrap; }
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


def edition_html(document: IssueDocument, *, page_size: str, families: list[str]) -> str:
    """The HTML WeasyPrint sets (images as ``data:`` URLs, no link to the machine)."""
    css = STYLESHEET % {"size": page_size, "numerals": document.numerals, "fonts": css_family_list(families)}
    escape = html.escape
    moment = document.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    toc = "".join(
        f'<li><a href="#article-{article.key}">{serialize_inline(article.title)}</a></li>'
        for article in document.articles
    )
    articles = []
    for article in document.articles:
        lang_attrs = (
            "" if article.lang == document.lang else f' lang="{article.lang}" dir="{article.direction}"'
        )
        standfirst = serialize_inline(article.standfirst)
        note = f'<p class="version">{escape(article.language_note)}</p>' if article.language_note else ""
        articles.append(
            f'<article id="article-{article.key}"{lang_attrs}>'
            f'<h2 class="title">{serialize_inline(article.title)}</h2>'
            + (f'<p class="standfirst">{standfirst}</p>' if standfirst else "")
            + note
            + f'<div class="text">{_with_data_images(serialize(article.body), document)}</div></article>'
        )
    return (
        f'<!DOCTYPE html><html lang="{escape(document.lang)}" dir="{document.direction}"><head>'
        f'<meta charset="utf-8"><title>{escape(document.number_label)}</title>'
        f'<meta name="dcterms.created" content="{moment}">'
        f'<meta name="dcterms.modified" content="{moment}">'
        f'<meta name="generator" content="{escape(document.site_name)}">'
        f"<style>{css}</style></head><body>"
        f'<section class="cover"><p class="publication">{escape(document.publication)}</p>'
        f'<p class="number">{escape(document.number_label)}</p>'
        f'<p class="date">{escape(document.date_label)}</p>'
        f"<h1>{serialize_inline(document.title)}</h1>"
        f'<div class="intro">{_with_data_images(serialize(document.intro), document)}</div>'
        f'<p class="site">{escape(document.site_name)}</p></section>'
        f'<nav class="toc"><h2>{escape(document.contents_label)}</h2><ol>{toc}</ol></nav>'
        + "".join(articles)
        + "</body></html>"
    )


def _with_data_images(text: str, document: IssueDocument) -> str:
    for image in document.images.values():
        data = base64.b64encode(image.data).decode("ascii")
        text = text.replace(f'src="images/{image.name}"', f'src="data:{image.media_type};base64,{data}"')
    return text


def render_pdf(document: IssueDocument, *, page_size: str, families: list[str]) -> bytes:
    """The PDF's bytes: the same document gives the same bytes, wherever it is built."""
    from weasyprint import HTML

    source = edition_html(document, page_size=page_size, families=families)
    weasy_logger = logging.getLogger("weasyprint")
    level = weasy_logger.level
    weasy_logger.setLevel(logging.ERROR)
    try:
        pdf = HTML(string=source, base_url=SITE_ROOT + "/", url_fetcher=NothingFetched()).write_pdf(
            pdf_identifier=document.identifier.encode("utf-8"),
            custom_metadata=False,
        )
    finally:
        weasy_logger.setLevel(level)
    return pdf
