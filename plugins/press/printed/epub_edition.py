"""The e-book edition: one issue in one language as an EPUB 3, written as a plain zip.

Layout: ``mimetype`` first and stored, ``META-INF/container.xml``, then under
``EPUB/``: the package document, the navigation document (the table of contents
in ``Contents`` order), a title page, one XHTML file per article, the stylesheet
and the images.  The language and direction are set on the package, the spine
(``page-progression-direction``) and every document.  The metadata names the
press (the publisher), never a person.

Reproducible bytes: every entry has the same fixed time stamp and permissions,
entries are written in a fixed order, and the modification date is the
edition's date (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import html
import io
import zipfile

from press.printed.issue_document import IssueDocument, serialize, serialize_inline, text_of_html, xml_safe

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STYLESHEET = """body { font-family: serif; line-height: 1.5; margin: 0 4%; }
h1, h2, h3 { line-height: 1.25; }
.cover { text-align: center; }
.cover .publication { font-size: 1.8em; font-weight: bold; color: #a3121b; }
.standfirst { font-style: italic; }
figure { margin: 1em 0; }
figcaption { font-size: 0.85em; }
.version { font-size: 0.85em; color: #555; }
img { max-width: 100%; height: auto; }
nav ol { list-style: none; padding: 0; }
"""
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def xhtml_page(
    document: IssueDocument,
    title: str,
    body: str,
    *,
    lang: str | None = None,
    direction: str | None = None,
    nav: bool = False,
) -> str:
    lang = lang or document.lang
    direction = direction or document.direction
    epub_ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if nav else ""
    return xml_safe(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{epub_ns} lang="{lang}" xml:lang="{lang}" '
        f'dir="{direction}">\n<head>\n<meta charset="UTF-8"/>\n<title>{html.escape(title)}</title>\n'
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def article_file(index: int, key: str) -> str:
    return f"article-{index:03d}-{key}.xhtml"


def plain(html_text: str) -> str:
    """Text of inline HTML, for <title> and metadata (only characters XML allows)."""
    return " ".join(text_of_html(html_text).split())


def epub_bytes(document: IssueDocument) -> bytes:
    """The EPUB's bytes: the same document gives the same bytes."""
    files: list[tuple[str, bytes]] = []
    title = plain(document.title) or document.number_label
    cover_body = (
        '<section class="cover" epub:type="titlepage">'
        f'<p class="publication">{html.escape(document.publication)}</p>'
        f'<p class="number">{html.escape(document.number_label)}</p>'
        f'<p class="date">{html.escape(document.date_label)}</p>'
        f"<h1>{serialize_inline(document.title)}</h1>"
        f"{serialize(document.intro)}</section>"
    )
    files.append(("EPUB/cover.xhtml", xhtml_page(document, title, cover_body, nav=True).encode("utf-8")))
    items = []
    for index, article in enumerate(document.articles, start=1):
        name = article_file(index, article.key)
        body = (
            f'<section epub:type="chapter" id="{article.key}">'
            f"<h1>{serialize_inline(article.title)}</h1>"
            + (f'<p class="standfirst">{html.escape(article.standfirst)}</p>' if article.standfirst else "")
            + _picture(document, article)
            + (
                f'<p class="version">{html.escape(article.language_note)}</p>'
                if article.language_note
                else ""
            )
            + serialize(article.body)
            + "</section>"
        )
        page = xhtml_page(
            document, plain(article.title), body, lang=article.lang, direction=article.direction, nav=True
        )
        files.append((f"EPUB/{name}", page.encode("utf-8")))
        items.append((name, article))
    toc = "".join(
        f'<li><a href="{name}">{serialize_inline(article.title)}</a></li>' for name, article in items
    )
    nav_body = (
        f'<nav epub:type="toc" id="toc"><h1>{html.escape(document.contents_label)}</h1>'
        f'<ol><li><a href="cover.xhtml">{html.escape(document.number_label)}</a></li>{toc}</ol></nav>'
    )
    files.append(
        ("EPUB/nav.xhtml", xhtml_page(document, document.contents_label, nav_body, nav=True).encode("utf-8"))
    )
    files.append(("EPUB/style.css", STYLESHEET.encode("utf-8")))
    for image in sorted(document.images.values(), key=lambda image: image.name):
        files.append((f"EPUB/images/{image.name}", image.data))
    files.insert(0, ("EPUB/package.opf", package_document(document, title, items).encode("utf-8")))
    return zip_bytes(files)


def _picture(document: IssueDocument, article) -> str:
    """The article's picture (``Image``) with its caption, when the edition holds it."""
    picture = article.picture
    if picture is None or picture not in document.images.values():
        return ""
    alt = html.escape(article.caption or plain(article.title))
    caption = f"<figcaption>{html.escape(article.caption)}</figcaption>" if article.caption else ""
    return f'<figure><img src="images/{picture.name}" alt="{alt}"/>{caption}</figure>'


def package_document(document: IssueDocument, title: str, items: list) -> str:
    escape = html.escape
    modified = document.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
    ]
    spine = ['<itemref idref="cover"/>', '<itemref idref="nav"/>']
    for index, (name, _article) in enumerate(items, start=1):
        manifest.append(f'<item id="article-{index:03d}" href="{name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="article-{index:03d}"/>')
    for number, image in enumerate(sorted(document.images.values(), key=lambda image: image.name), start=1):
        manifest.append(
            f'<item id="image-{number:03d}" href="images/{image.name}" media-type="{image.media_type}"/>'
        )
    direction = f' page-progression-direction="{document.direction}"'
    return xml_safe(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{document.lang}" dir="{document.direction}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="uid">{escape(document.identifier)}</dc:identifier>\n'
        f"<dc:title>{escape(title)}</dc:title>\n"
        f"<dc:language>{escape(document.lang)}</dc:language>\n"
        f"<dc:publisher>{escape(document.site_name)}</dc:publisher>\n"
        f"<dc:date>{document.date.strftime('%Y-%m-%d')}</dc:date>\n"
        f'<meta property="dcterms:modified">{modified}</meta>\n'
        "</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + f"\n</manifest>\n<spine{direction}>\n"
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )


def zip_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """An EPUB container: ``mimetype`` first and stored, then the files in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        _add(archive, "META-INF/container.xml", CONTAINER.encode("utf-8"), zipfile.ZIP_DEFLATED)
        for name, data in files:
            _add(archive, name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes, compression: int) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    info.create_system = 3
    archive.writestr(info, data, compress_type=compression, compresslevel=9 if compression else None)
