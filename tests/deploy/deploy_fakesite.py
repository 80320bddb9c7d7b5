"""A small hand-made site with the build's output layout, for the deploy tests.

(No conftest.py here on purpose: tests/ modules import names from sitebuild and
take their fixtures from tests/conftest.py, which a second conftest would shadow.)

The tests do not run the Pelican build: ``make_site(folder)`` writes a few
pages per language the way the build lays them out (relative links,
absolute canonical/hreflang links to SITEURL, Atom feeds, fingerprinted
assets, a pagefind folder), valid for the Nu HTML checker.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

PROJECT = Path(__file__).resolve().parents[2]

SITEURL = "https://press.example"
LANGUAGES = ("en", "it", "sv", "fa")
DEFAULT_LANG = "en"
CSS = "assets/press.0a1b2c3d.css"
JS = "assets/search.4e5f6a7b.js"
FONT = "assets/fonts/serif.9c8d7e6f.woff2"
PHOTO = "articles/strike-funds/photo.png"
PHOTO_2X = "articles/strike-funds/photo@2x.png"
PERSIAN_SLUG = "صندوق-اعتصاب"
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
TITLES = {"en": "The Central Organ", "it": "L'Organo Centrale", "sv": "Centralorganet", "fa": "ارگان مرکزی"}
NOT_FOUND = {
    "en": "Page not found",
    "it": "Pagina non trovata",
    "sv": "Sidan finns inte",
    "fa": "صفحه پیدا نشد",
}

# Every page of one language: path inside the language folder -> (title, key for
# the hreflang alternates or None).
PAGES = {
    "index.html": ("Front page", "index.html"),
    "page/2/index.html": ("Front page, page 2", "page/2/index.html"),
    "strike-funds/index.html": ("Strike funds", "strike-funds/index.html"),
    "about/index.html": ("About", "about/index.html"),
    "section/strikes/index.html": ("Strikes", "section/strikes/index.html"),
    "tag/dockers/index.html": ("Dockers", "tag/dockers/index.html"),
    "archive/index.html": ("Archive", "archive/index.html"),
    "issues/2026-01/index.html": ("Issue 2026-01", "issues/2026-01/index.html"),
    "publications/communist-left/index.html": ("The Communist Left", None),
    "search/index.html": ("Search", "search/index.html"),
    "404.html": (None, None),
}


def _url_dir(rel: str) -> str:
    """The URL a page is linked by: a folder for index.html."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def relative(from_file: str, to: str) -> str:
    """A relative URL from output file ``from_file`` to output path ``to``."""
    depth = from_file.count("/")
    return "../" * depth + quote(to) if (to or depth) else "./"


def page_html(lang: str, rel: str, title: str | None, *, marker: str = "v1", extra: str = "") -> str:
    """One page of the fake site; ``rel`` is its path inside the language folder."""
    me = f"{lang}/{rel}"
    key = PAGES.get(rel, (None, None))[1]
    direction = "rtl" if lang == "fa" else "ltr"
    title = title or NOT_FOUND[lang]
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title} · {TITLES[lang]}</title>",
    ]
    if key:
        head.append(f'<link rel="canonical" href="{SITEURL}/{lang}/{_url_dir(key)}">')
        for other in LANGUAGES:
            head.append(f'<link rel="alternate" hreflang="{other}" href="{SITEURL}/{other}/{_url_dir(key)}">')
    head += [
        f'<link rel="alternate" type="application/atom+xml" title="{TITLES[lang]}" '
        f'href="{relative(me, f"{lang}/feed.xml")}">',
        f'<link rel="stylesheet" href="{relative(me, CSS)}">',
        f'<link rel="icon" href="{relative(me, "assets/icon.1f2e3d4c.svg")}">',
    ]
    if rel == "search/index.html":
        head.append(f'<link rel="stylesheet" href="{relative(me, "pagefind/pagefind-ui.css")}">')
    switcher = "".join(
        f'<li><a href="{relative(me, other + "/" + _url_dir(key or "index.html"))}" hreflang="{other}" '
        f'lang="{other}">{other}</a></li>'
        for other in LANGUAGES
        if other != lang
    )
    nav = "".join(
        f'<li><a href="{relative(me, f"{lang}/{target}")}">{label}</a></li>'
        for target, label in (
            ("section/strikes/", "Strikes"),
            ("archive/", "Archive"),
            ("search/", "Search"),
            ("about/", "About"),
        )
    )
    main = [f"<h1>{title}</h1>", f'<p class="marker">{marker}</p>']
    if rel == "index.html":
        main.append(f'<p><a href="{relative(me, f"{lang}/strike-funds/")}">Strike funds</a></p>')
        main.append(f'<p><a href="{relative(me, f"{lang}/page/2/")}">Older</a></p>')
        if lang == "fa":
            main.append(f'<p><a href="{quote(PERSIAN_SLUG)}/">{PERSIAN_SLUG}</a></p>')
    if rel == "strike-funds/index.html":
        main.append(
            f'<figure><img src="{relative(me, PHOTO)}" '
            f'srcset="{relative(me, PHOTO)} 1x, {relative(me, PHOTO_2X)} 2x" alt="A picket" '
            'width="1" height="1"></figure>'
        )
        main.append(f'<p><a href="{relative(me, f"{lang}/tag/dockers/")}">dockers</a></p>')
        main.append(
            f'<p><a href="{relative(me, f"{lang}/issues/2026-01/")}#contents">In issue 2026-01</a></p>'
        )
        main.append('<p><a href="https://example.org/report">An outside report</a> (a plain link).</p>')
        main.append('<p><a href="mailto:editors@press.example">Write to us</a></p>')
    if rel == "issues/2026-01/index.html":
        main.append('<h2 id="contents">Contents</h2>')
        main.append(f'<p><a href="{relative(me, f"{lang}/publications/communist-left/")}">The paper</a></p>')
    scripts = ""
    if rel == "search/index.html":
        main.append('<div id="search"></div>')
        scripts = (
            f'<script src="{relative(me, "pagefind/pagefind-ui.js")}" defer></script>\n'
            f'<script src="{relative(me, JS)}" defer></script>\n'
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="{direction}">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + '<a class="skip" href="#main">Skip</a>\n'
        + f'<header><p><a href="{relative(me, f"{lang}/")}">{TITLES[lang]}</a></p>\n'
        + f"<nav><ul>{nav}</ul></nav>\n<nav><ul>{switcher}</ul></nav></header>\n"
        + '<main id="main">\n'
        + "\n".join(main)
        + extra
        + "\n</main>\n"
        + f'<footer><p><a href="{relative(me, f"{lang}/feed.xml")}">Atom feed</a></p></footer>\n'
        + scripts
        + "</body>\n</html>\n"
    )


def feed_xml(lang: str) -> str:
    entries = "".join(
        f"""  <entry>
    <title>{title}</title>
    <link href="{SITEURL}/{lang}/{_url_dir(rel)}" rel="alternate"/>
    <id>tag:press.example,2026-01-10:/{lang}/{_url_dir(rel)}</id>
    <updated>2026-01-10T12:00:00Z</updated>
    <content type="html">&lt;p&gt;{title}&lt;/p&gt;</content>
  </entry>
"""
        for rel, title in (("strike-funds/index.html", "Strike funds"), ("about/index.html", "About"))
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
  <title>{TITLES[lang]}</title>
  <link href="{SITEURL}/{lang}/" rel="alternate"/>
  <link href="{SITEURL}/{lang}/feed.xml" rel="self"/>
  <id>{SITEURL}/{lang}/</id>
  <updated>2026-01-10T12:00:00Z</updated>
{entries}</feed>
"""


def make_site(out: Path, *, marker: str = "v1") -> Path:
    """Write the fake site into ``out`` (created); return ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def write(rel: str, text: str | bytes) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    write(
        "index.html",
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={DEFAULT_LANG}/">\n'
        f"<title>{TITLES[DEFAULT_LANG]}</title>\n</head>\n<body>\n"
        f'<p><a href="{DEFAULT_LANG}/">{TITLES[DEFAULT_LANG]}</a></p>\n</body>\n</html>\n',
    )
    write(
        CSS,
        "/* press stylesheet */\n"
        '@font-face { font-family: "Press"; src: url("fonts/serif.9c8d7e6f.woff2") format("woff2"); }\n'
        "body { font-family: Press, serif; }\n"
        ".masthead { background: url(data:image/gif;base64,R0lGODlhAQABAAAAACw=); }\n",
    )
    write(FONT, b"wOF2-fake-font")
    write(JS, "document.documentElement.classList.add('js');\n")
    write("assets/icon.1f2e3d4c.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n')
    write(PHOTO, PNG)
    write(PHOTO_2X, PNG)
    write("pagefind/pagefind-ui.js", "window.PagefindUI = function () {};\n")
    write("pagefind/pagefind-ui.css", ".pagefind-ui { display: block; }\n")
    write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {SITEURL}/sitemap.xml\n")
    locs = "".join(
        f"  <url><loc>{SITEURL}/{lang}/{_url_dir(key)}</loc></url>\n"
        for lang in LANGUAGES
        for key in ("index.html", "strike-funds/index.html")
    )
    write(
        "sitemap.xml",
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{locs}</urlset>\n',
    )
    for lang in LANGUAGES:
        for rel, (title, _key) in PAGES.items():
            write(f"{lang}/{rel}", page_html(lang, rel, title, marker=f"{marker} {lang}"))
        write(f"{lang}/feed.xml", feed_xml(lang))
    write(
        f"fa/{PERSIAN_SLUG}/index.html",
        page_html("fa", f"{PERSIAN_SLUG}/index.html", "صندوق اعتصاب", marker=f"{marker} fa"),
    )
    return out


def require_tool(name: str, package: str) -> str:
    """The path of ``name``; fail (never skip) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run `bash .ci/run` (it installs {package}) "
            f"or `apt-get install -y {package}`",
            pytrace=False,
        )
    return path
