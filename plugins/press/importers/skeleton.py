"""A new paper's folder (``invoke init``): settings, a content folder, a README.

The folder holds ``pelicanconf.py`` and ``publishconf.py`` (the installed plugin,
``PLUGINS = ["press"]``, with the press project's theme and interface catalogs), and
``content/`` with ``terms.toml`` (one section, the paper as a publication), ``glossary.toml``
(the paper's name, the same in every language), one article and one issue with a version
per language, the first language's the original and the others stamped. The starter text
exists in the languages of :data:`STARTER`; another language gets the first language's text
and must be translated before a strict build passes (the task says so).
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass

from press.content.headers import revision_of
from press.importers.writer import ImportRefused, check_target, key_from, language_code


@dataclass(frozen=True)
class Starter:
    section: str
    title: str  # {name} is the paper's name
    body: str
    issue_title: str
    issue_body: str


STARTER = {
    "en": Starter(
        "News",
        "Welcome to {name}",
        "This is the first article of {name}. Write your own articles beside it: one folder per "
        "article, one file per language.",
        "{name}: the first issue",
        "The first issue of {name} opens with its first article.",
    ),
    "fa": Starter(
        "اخبار",
        "به {name} خوش آمدید",
        "این نخستین مقالهٔ {name} است. مقاله‌های خودتان را کنار آن بنویسید: برای هر مقاله یک پوشه و "
        "برای هر زبان یک پرونده.",
        "{name}: نخستین شماره",
        "نخستین شمارهٔ {name} با نخستین مقاله‌اش آغاز می‌شود.",
    ),
    "it": Starter(
        "Notizie",
        "Benvenuti a {name}",
        "Questo è il primo articolo di {name}. Scrivete i vostri articoli accanto a questo: una cartella "
        "per articolo, un file per lingua.",
        "{name}: il primo numero",
        "Il primo numero di {name} si apre con il suo primo articolo.",
    ),
    "sv": Starter(
        "Nyheter",
        "Välkommen till {name}",
        "Det här är den första artikeln i {name}. Skriv era egna artiklar bredvid den: en mapp per "
        "artikel, en fil per språk.",
        "{name}: det första numret",
        "Det första numret av {name} inleds med dess första artikel.",
    ),
    "de": Starter(
        "Nachrichten",
        "Willkommen bei {name}",
        "Dies ist der erste Artikel von {name}. Schreibt eure eigenen Artikel daneben: ein Ordner pro "
        "Artikel, eine Datei pro Sprache.",
        "{name}: die erste Ausgabe",
        "Die erste Ausgabe von {name} beginnt mit ihrem ersten Artikel.",
    ),
    "fr": Starter(
        "Actualités",
        "Bienvenue dans {name}",
        "Voici le premier article de {name}. Écrivez vos propres articles à côté : un dossier par "
        "article, un fichier par langue.",
        "{name} : le premier numéro",
        "Le premier numéro de {name} s'ouvre sur son premier article.",
    ),
    "es": Starter(
        "Noticias",
        "Bienvenidos a {name}",
        "Este es el primer artículo de {name}. Escribid vuestros propios artículos a su lado: una "
        "carpeta por artículo, un archivo por idioma.",
        "{name}: el primer número",
        "El primer número de {name} se abre con su primer artículo.",
    ),
    "pt": Starter(
        "Notícias",
        "Bem-vindos ao {name}",
        "Este é o primeiro artigo do {name}. Escrevam os vossos artigos ao lado dele: uma pasta por "
        "artigo, um ficheiro por língua.",
        "{name}: o primeiro número",
        "O primeiro número do {name} abre com o seu primeiro artigo.",
    ),
    "nl": Starter(
        "Nieuws",
        "Welkom bij {name}",
        "Dit is het eerste artikel van {name}. Schrijf je eigen artikelen ernaast: één map per artikel, "
        "één bestand per taal.",
        "{name}: het eerste nummer",
        "Het eerste nummer van {name} opent met zijn eerste artikel.",
    ),
    "ru": Starter(
        "Новости",
        "Добро пожаловать в {name}",
        "Это первая статья {name}. Пишите свои статьи рядом с ней: одна папка на статью, один файл на язык.",
        "{name}: первый номер",
        "Первый номер {name} открывается его первой статьёй.",
    ),
    "tr": Starter(
        "Haberler",
        "{name} yayınına hoş geldiniz",
        "Bu, {name} yayınının ilk makalesidir. Kendi makalelerinizi yanına yazın: her makale için bir "
        "klasör, her dil için bir dosya.",
        "{name}: ilk sayı",
        "{name} yayınının ilk sayısı ilk makalesiyle açılıyor.",
    ),
    "ar": Starter(
        "أخبار",
        "مرحبًا بكم في {name}",
        "هذه هي المقالة الأولى في {name}. اكتبوا مقالاتكم بجانبها: مجلد لكل مقالة، وملف لكل لغة.",
        "{name}: العدد الأول",
        "يفتتح العدد الأول من {name} بمقالته الأولى.",
    ),
}


def write_skeleton(
    folder: str,
    languages: list[str],
    name: str,
    project: str,
    python: str,
    today: datetime.date | None = None,
) -> list[str]:
    """Write a new paper into ``folder`` (absent or empty); returns the notes to print."""
    codes = [language_code(lang) for lang in languages]
    if not codes or not all(codes) or len(set(codes)) != len(codes):
        raise ImportRefused(f"--languages {','.join(languages)}: give distinct codes such as en,fa")
    name = " ".join(name.split())
    if not name:
        raise ImportRefused("--name is empty: give the paper's name, e.g. --name \"The Workers' Paper\"")
    check_target(folder)
    today = today or datetime.datetime.now(datetime.UTC).date()
    key = key_from(name) or "paper"
    notes = []
    missing = [code for code in codes if code.split("-")[0] not in STARTER]
    if missing:
        notes.append(
            f"no starter text in {', '.join(missing)}: those versions hold the {codes[0]} text, marked as "
            "drafts; translate them before a publishing build (starter text exists in "
            f"{', '.join(sorted(STARTER))})"
        )
    files = {
        "pelicanconf.py": pelicanconf(codes, name, project),
        "publishconf.py": PUBLISHCONF,
        "README.md": readme(name, python),
        "content/terms.toml": terms(codes, name, key),
        "content/glossary.toml": glossary(codes, name, key),
    }
    original = codes[0]
    first = STARTER.get(original.split("-")[0], STARTER["en"])
    stamps = {
        "article": f"{original}@{revision_of(first.body.format(name=name))}",
        "issue": f"{original}@{revision_of(first.issue_body.format(name=name))}",
    }
    date = today.isoformat()
    for code in codes:
        starter = STARTER.get(code.split("-")[0])
        text = starter or first
        if code == original:
            article_headers = [f"Date: {date}", "Category: news"]
            issue_headers = [f"Date: {date}", f"Publication: {key}", "Number: 1", "Contents: welcome"]
        else:
            draft = [] if starter else ["Status: draft"]
            article_headers = [*draft, f"Translation-Of: {stamps['article']}"]
            issue_headers = [*draft, f"Translation-Of: {stamps['issue']}"]
        files[f"content/articles/welcome/{code}.md"] = version_file(
            text.title.format(name=name), article_headers, text.body.format(name=name)
        )
        files[f"content/issues/{key}-1/{code}.md"] = version_file(
            text.issue_title.format(name=name), issue_headers, text.issue_body.format(name=name)
        )
    for relative, text in files.items():
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return notes


def version_file(title: str, headers: list[str], body: str) -> str:
    return "\n".join([f"Title: {title}", *headers]) + f"\n\n{body}\n"


def pelicanconf(languages: list[str], name: str, project: str) -> str:
    names = ", ".join(f"{json.dumps(code)}: {json.dumps(name, ensure_ascii=False)}" for code in languages)
    return f'''"""Settings for previews and development builds of {name} (the press's contract, §2).

Any setting can be overridden with ``pelican content -s pelicanconf.py -e 'KEY=JSON'``.
"""

import os
from pathlib import Path

PATH = "content"
OUTPUT_PATH = "output"

SITENAME = {json.dumps(name, ensure_ascii=False)}
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "UTC"

DEFAULT_LANG = {json.dumps(languages[0])}
LANGUAGES = {json.dumps(languages)}

PRESS_STRICT = False
PRESS_REPORT = "press-report.json"
PRESS_SITE_NAME = {{{names}}}
# Sections, tags and publications (a name per language) are in content/terms.toml.

# The press writes its own per-language feeds and names no one.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The press is the installed plugin "press"; its theme and interface translations are those of
# the press project this paper was started from (or PRESS_PROJECT, if it moves).
# (Lower case: a helper, not a setting.)
press_project = Path(os.environ.get("PRESS_PROJECT", {json.dumps(project)}))
THEME = str(press_project / "theme")
PRESS_TRANSLATIONS = str(press_project / "translations")
PLUGINS = ["press"]
'''


PUBLISHCONF = '''"""Settings for publishing: strict, with absolute URLs (the press's contract, §2).

A publishing build needs the site's real address: PRESS_SITEURL=https://… or -e 'SITEURL="https://…"'.
"""

import os
import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
        if name.isupper()
    }
)

SITEURL = os.environ.get("PRESS_SITEURL", "")
PRESS_PUBLISHING = True
PRESS_STRICT = True
PRESS_EDITIONS = True
DELETE_OUTPUT_DIRECTORY = True
'''


def readme(name: str, python: str) -> str:
    return f"""# {name}

A multilingual paper built with the press (a Pelican plugin). Articles are
`content/articles/<key>/<lang>.md`, issues `content/issues/<key>/<lang>.md`; sections,
tags and publications are named per language in `content/terms.toml`, the paper's fixed
terms in `content/glossary.toml`.

Build a preview into `output/` (problems are warnings, listed in `press-report.json`):

    {python} -m pelican content -s pelicanconf.py -o output

Build the site to publish (strict: any problem fails the build), with its real address:

    PRESS_SITEURL=https://paper.example.org {python} -m pelican content -s publishconf.py -o output
"""


def terms(languages: list[str], name: str, key: str) -> str:
    lines = ["# Sections, tags and publications, with a name in every language.", "", "[sections.news]"]
    first = STARTER.get(languages[0].split("-")[0], STARTER["en"])
    for code in languages:
        starter = STARTER.get(code.split("-")[0]) or first
        lines.append(f"{json.dumps(code)} = {json.dumps(starter.section, ensure_ascii=False)}")
    lines += ["", f"[publications.{key}]"]
    lines += [f"{json.dumps(code)} = {json.dumps(name, ensure_ascii=False)}" for code in languages]
    return "\n".join(lines) + "\n"


def glossary(languages: list[str], name: str, key: str) -> str:
    lines = [
        "# The paper's fixed terms: how each reads in every language (one phrase or a list).",
        "# Every build checks that a translation uses its language's phrase wherever the original",
        "# uses the term. The paper's name reads the same in every language.",
        "",
        f"[glossary.{key}]",
    ]
    lines += [f"{json.dumps(code)} = {json.dumps(name, ensure_ascii=False)}" for code in languages]
    return "\n".join(lines) + "\n"
