"""What the browser tests share: a sample-like site, a local web server, Chromium and axe-core.

The site is built from its own tree (never content/): a front page's worth of
articles in en, it, sv, fa (right to left) and zh (CJK), one with an Italian
original, a lead, an editorial and features, sections, tags, two issues and
the about page, so every kind of page exists in every language (the lead with
a picture, the mirrors page of a signed site); one Persian
article has no other version yet, so the other editions show it marked.

Chromium is Debian's, at /usr/bin/chromium, driven by the Python playwright
package (``playwright install`` is never used); axe-core comes from npm
(``npm ci`` at the project root).  When either is missing the tests fail and
say how to get it: a skipped accessibility test proves nothing.

Module name: not ``conftest``, which would shadow tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import threading
from pathlib import Path

import pytest
from sitebuild import PROJECT, article, build_module_site, png, terms_document, translation

from press.content.terms import slugify

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
HOST = "127.0.0.1"
LANGS = ["en", "it", "sv", "fa", "zh"]
FILLERS = 22  # with the three below: more than a front page holds (PRESS_FRONT_PAGE_SIZE = 20)

# Words that only one language's articles use, for the search tests.
ITALIAN_WORD = "scaricatori"
ENGLISH_WORD = "dockworkers"
PERSIAN_WORD = "بندرگاه"
CHINESE_WORD = "码头"
# A Persian original with no other version yet: marked in every other edition.
UNTRANSLATED = "tehran-letter"

TITLES = {
    "dock-strike": {
        "en": "Dockworkers Hold the Line",
        "it": "I portuali tengono duro",
        "sv": "Hamnarbetarna håller linjen",
        "fa": "کارگران بندرگاه ایستادگی می‌کنند",
        "zh": "码头工人坚守阵线",
    },
    "school-strike": {
        "it": "La scuola si ferma",
        "en": "The School Stops",
        "sv": "Skolan stannar",
        "fa": "مدرسه می‌ایستد",
        "zh": "学校停课了",
    },
    "metadata": {
        "en": "What Metadata Tells",
        "it": "Che cosa rivelano i metadati",
        "sv": "Vad metadata avslöjar",
        "fa": "فراداده چه می‌گوید",
        "zh": "元数据透露了什么",
    },
}
CAPTIONS = {
    "en": "The dockworkers held the port for nine days: read how, and pass it on.",
    "it": "I portuali hanno tenuto il porto per nove giorni: leggi come, e fallo girare.",
    "sv": "Hamnarbetarna höll hamnen i nio dagar: läs hur, och skicka vidare.",
    "fa": "کارگران بندرگاه نه روز بندر را نگه داشتند: بخوانید چگونه، و آن را پخش کنید.",
    "zh": "码头工人守住港口整整九天：读一读他们是怎样做到的，并把它传出去。",
}
# The lead's picture caption per version (Caption: is per version; the alt text too).
PICTURE_CAPTIONS = {
    "en": "Pickets at the container gate on the third morning of the strike.",
    "it": "Il picchetto al varco dei container, il terzo mattino dello sciopero.",
    "sv": "Strejkvakter vid containergrinden den tredje morgonen av strejken.",
    "fa": "صف اعتصابیون کنار دروازه‌ی کانتینرها در سومین صبح اعتصاب.",
    "zh": "罢工第三天清晨，纠察队守在集装箱码头的大门口。",
}
# A paragraph of ordinary prose per language, for bodies of a realistic length.
PROSE = {
    "en": (
        "The branch met on Tuesday evening to discuss the distribution of the paper in the "
        "neighbourhood, the collections for the strike fund and the reports from the workplaces. "
        "Every comrade took a bundle and a list of readers, and the meeting closed with the plan "
        "for the next issue."
    ),
    "it": (
        "La sezione si è riunita martedì sera per discutere la diffusione del giornale nel "
        "quartiere, le collette per la cassa di resistenza e le corrispondenze dai luoghi di "
        "lavoro. Ogni compagno ha preso un pacco e un elenco di lettori, e la riunione si è chiusa "
        "con il piano del prossimo numero."
    ),
    "sv": (
        "Avdelningen möttes på tisdagskvällen för att diskutera spridningen av tidningen i "
        "området, insamlingarna till strejkkassan och rapporterna från arbetsplatserna. Varje "
        "kamrat tog ett paket och en lista över läsare, och mötet avslutades med planen för nästa "
        "nummer."
    ),
    "fa": (
        "شاخه سه‌شنبه شب گرد آمد تا درباره‌ی پخش نشریه در محله، جمع‌آوری کمک برای صندوق اعتصاب و "
        "گزارش‌های محل‌های کار گفت‌وگو کند. هر رفیق یک بسته و فهرستی از خوانندگان برداشت و نشست "
        "با برنامه‌ی شماره‌ی بعد پایان یافت."
    ),
    "zh": (
        "支部在星期二晚上开会，讨论报纸在街区的发行、为罢工基金进行的募捐以及来自各个工作场所的报告。"
        "每一位同志都领取了一捆报纸和一份读者名单，会议最后讨论了下一期报纸的计划。"
        "大家还约定，下个星期要把报纸送到每一个车间和每一个工地，并把读者的意见和来信带回支部。"
    ),
}
HEADINGS = {
    "en": "At the branch",
    "it": "Nella sezione",
    "sv": "På avdelningen",
    "fa": "در شاخه",
    "zh": "在支部",
}
# An ordered list in every body: Persian pages must number it in Persian digits.
STEPS = {
    "en": ("Collect the bundles", "Visit the readers"),
    "it": ("Ritirare i pacchi", "Visitare i lettori"),
    "sv": ("Hämta paketen", "Besök läsarna"),
    "fa": ("بسته‌ها را بگیرید", "به خوانندگان سر بزنید"),
    "zh": ("领取报纸", "拜访读者"),
}
FILLER_TITLES = {
    "en": "Branch report",
    "it": "Resoconto di sezione",
    "sv": "Avdelningsrapport",
    "fa": "گزارش شاخه",
    "zh": "支部报告",
}
SECTIONS = ["Party Press", "Strikes", "Translation", "Security Online"]


def body(lang: str, extra: str = "") -> str:
    """A body with a heading, paragraphs and a list, the same shape in every language."""
    prose = PROSE[lang]
    first, second = STEPS[lang]
    return (
        f"## {HEADINGS[lang]}\n\n{extra}{prose}\n\n1. *{first}*\n2. {second}\n\n{prose}\n\n"
        f"- {prose[:60]}\n- {prose[60:120]}\n\n{prose}\n"
    )


def versions(
    key: str, original_lang: str, titles: dict[str, str], extras=None, shares=None, captions=None, **headers
):
    """Every language version of one article, the original first."""
    extras = extras or {}
    shares = shares or {}
    captions = captions or {}

    def own(lang: str) -> dict[str, str]:
        values = {"summary": f"{titles[lang]}: {PROSE[lang][:140]}"}
        if lang in shares:
            values["share"] = shares[lang]
        if lang in captions:
            values["caption"] = captions[lang]
        return values

    original = article(
        titles[original_lang],
        body(original_lang, extras.get(original_lang, "")),
        **own(original_lang),
        **headers,
    )
    files = {f"articles/{key}/{original_lang}.md": original}
    for lang in LANGS:
        if lang == original_lang:
            continue
        files[f"articles/{key}/{lang}.md"] = translation(
            original,
            original_lang,
            titles[lang],
            body(lang, extras.get(lang, "")),
            **own(lang),
        )
    return files


def harbour_picture(size: tuple[int, int] = (1200, 800)) -> bytes:
    """A photo-like PNG (dawn sky, sea, cranes, containers), so screenshots show a real picture."""
    from PIL import Image, ImageDraw

    width, height = size
    horizon = height * 3 // 5
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):  # sky from dusk blue to dawn orange, then a darker sea
        if y < horizon:
            t = y / horizon
            colour = (int(40 + 200 * t), int(60 + 100 * t), int(120 - 40 * t))
        else:
            t = (y - horizon) / (height - horizon)
            colour = (int(30 + 20 * t), int(70 - 30 * t), int(100 - 40 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    sun = width * 2 // 3
    quay = horizon - height // 12
    draw.ellipse([sun - 70, quay - 200, sun + 70, quay - 60], fill=(250, 200, 120))
    draw.rectangle([0, quay, width, horizon], fill=(45, 40, 50))
    palette = [(163, 18, 27), (30, 90, 140), (200, 140, 30), (60, 110, 70)]
    for i, x in enumerate(range(40, width - 120, 130)):  # stacked containers on the quay
        for level in range(1 + i % 3):
            top = quay - (level + 1) * 38
            draw.rectangle([x, top, x + 110, top + 34], fill=palette[(i + level) % len(palette)])
    for x in (width // 6, width // 2, width * 5 // 6):  # cranes against the sky
        draw.rectangle([x, quay - 330, x + 14, quay], fill=(25, 25, 35))
        draw.rectangle([x - 160, quay - 330, x + 120, quay - 316], fill=(25, 25, 35))
        draw.line([(x + 7, quay - 400), (x - 150, quay - 322)], fill=(25, 25, 35), width=4)
    for y in range(horizon + 12, height, 22):  # light on the water
        draw.line([(sun - 60 + y % 50, y), (sun + 60 - y % 40, y)], fill=(220, 160, 100), width=2)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def site_tree() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    dock_words = {
        "en": f"The {ENGLISH_WORD} stopped the port for nine days. ",
        "it": f"Gli {ITALIAN_WORD} hanno fermato il porto per nove giorni. ",
        "sv": "Hamnarbetarna stoppade hamnen i nio dagar. ",
        "fa": f"کارگران {PERSIAN_WORD} نه روز بندر را متوقف کردند. ",
        "zh": f"{CHINESE_WORD}工人让港口停工了整整九天。",
    }
    files.update(
        versions(
            "dock-strike",
            "en",
            TITLES["dock-strike"],
            dock_words,
            CAPTIONS,
            PICTURE_CAPTIONS,
            date="2026-05-01 09:00",
            category="Strikes",
            tags="docks, strikes",
            placement="lead",
            image="pickets.png",
        )
    )
    files["articles/dock-strike/pickets.png"] = harbour_picture()
    files.update(
        versions(
            "school-strike",
            "it",
            TITLES["school-strike"],
            date="2026-04-20",
            category="Strikes",
            tags="schools",
            placement="editorial",
        )
    )
    image = {lang: f"![{TITLES['metadata'][lang]}]({{static}}chart.png)\n\n" for lang in LANGS}
    files.update(
        versions(
            "metadata",
            "en",
            TITLES["metadata"],
            image,
            date="2026-04-10",
            category="Security Online",
            placement="feature",
            order="1",
        )
    )
    files["articles/metadata/chart.png"] = png((40, 30))
    for number in range(1, FILLERS + 1):
        titles = {lang: f"{FILLER_TITLES[lang]} {number}" for lang in LANGS}
        placement = {"placement": "feature", "order": "2"} if number == 1 else {}
        files.update(
            versions(
                f"report-{number:02d}",
                "en",
                titles,
                date=f"2026-03-{number:02d}",
                category=SECTIONS[number % len(SECTIONS)],
                tags="branches",
                **placement,
            )
        )
    files[f"articles/{UNTRANSLATED}/fa.md"] = article(
        "نامه‌ای از تهران",
        body("fa"),
        summary=f"نامه‌ای از تهران: {PROSE['fa'][:140]}",
        date="2026-04-25",
        category="Party Press",
    )
    issue = article(
        "The Communist Left No. 7",
        "The spring issue: the docks, the schools and the branches.\n",
        date="2026-05-02",
        publication="communist-left",
        number="7",
        contents="dock-strike, school-strike, metadata",
    )
    files["issues/cl-7/en.md"] = issue
    issue_titles = {
        "it": "La Sinistra Comunista n. 7",
        "sv": "Kommunistiska vänstern nr 7",
        "fa": "چپ کمونیست شماره‌ی ۷",
        "zh": "共产主义左派 第7期",
    }
    issue_bodies = {
        "it": "Il numero di primavera: i porti, le scuole e le sezioni.\n",
        "sv": "Vårnumret: hamnarna, skolorna och avdelningarna.\n",
        "fa": "شماره‌ی بهار: بندرها، مدرسه‌ها و شاخه‌ها را می‌خوانید.\n",
        "zh": "春季号：本期报道码头的罢工、学校的停课，以及各个支部的工作和斗争。\n",
    }
    for lang, title in issue_titles.items():
        files[f"issues/cl-7/{lang}.md"] = translation(issue, "en", title, issue_bodies[lang])
    # the issue before: the issue pages link to their previous and next issue
    winter = article(
        "The Communist Left No. 6",
        "The winter issue: reports from the branches.\n",
        date="2026-03-25",
        publication="communist-left",
        number="6",
        contents="report-01, report-02",
    )
    files["issues/cl-6/en.md"] = winter
    winter_versions = {
        "it": ("La Sinistra Comunista n. 6", "Il numero d'inverno: le corrispondenze delle sezioni.\n"),
        "sv": ("Kommunistiska vänstern nr 6", "Vinternumret: rapporter från avdelningarna.\n"),
        "fa": ("چپ کمونیست شماره‌ی ۶", "شماره‌ی زمستان: گزارش‌های شاخه‌ها را می‌خوانید.\n"),
        "zh": ("共产主义左派 第6期", "冬季号：本期刊登来自各个支部、各个工作场所的报告和通讯。\n"),
    }
    for lang, (title, text) in winter_versions.items():
        files[f"issues/cl-6/{lang}.md"] = translation(winter, "en", title, text)
    about = article(
        "About the press", "An anonymous paper of the party, in every language its members read.\n"
    )
    files["pages/about/en.md"] = about
    about_versions = {
        "it": ("Chi siamo", "Un giornale anonimo del partito, in ogni lingua dei suoi membri.\n"),
        "sv": ("Om tidningen", "En anonym tidning för partiet, på varje språk medlemmarna läser.\n"),
        "fa": ("درباره‌ی ما", "نشریه‌ای بی‌نام از حزب، به هر زبانی که اعضایش می‌خوانند.\n"),
        "zh": (
            "关于我们",
            "这是党的一份不署名的报纸，以党员们阅读的每一种语言同时出版、印刷和发行，不论他们身在何处。\n",
        ),
    }
    for lang, (title, text) in about_versions.items():
        files[f"pages/about/{lang}.md"] = translation(about, "en", title, text)
    files["terms.toml"] = terms_document(sections=SECTION_NAMES, tags=TAGS, publications=PUBLICATIONS)
    return files


# Sections, tags and publications with a name in every edition, Chinese included (contract §3).
PUBLICATIONS = {
    "communist-left": {
        "en": "The Communist Left",
        "it": "La Sinistra Comunista",
        "sv": "Kommunistiska vänstern",
        "fa": "چپ کمونیست",
        "zh": "共产主义左派",
    }
}
SECTION_NAMES = {
    "party-press": {
        "en": "Party Press",
        "it": "Stampa di partito",
        "sv": "Partipress",
        "fa": "مطبوعات حزبی",
        "zh": "党的报刊",
    },
    "translation": {
        "en": "Translation",
        "it": "Traduzione",
        "sv": "Översättning",
        "fa": "ترجمه",
        "zh": "翻译",
    },
    "strikes": {"en": "Strikes", "it": "Scioperi", "sv": "Strejker", "fa": "اعتصاب‌ها", "zh": "罢工"},
    "security-online": {
        "en": "Security Online",
        "it": "Sicurezza in rete",
        "sv": "Säkerhet på nätet",
        "fa": "امنیت آنلاین",
        "zh": "网络安全",
    },
}
TAGS = {
    "docks": {"en": "docks", "it": "porti", "sv": "hamnar", "fa": "بنادر", "zh": "港口"},
    "strikes": {"en": "strikes", "it": "scioperi", "sv": "strejker", "fa": "اعتصاب", "zh": "罢工潮"},
    "schools": {"en": "schools", "it": "scuole", "sv": "skolor", "fa": "مدارس", "zh": "学校"},
    "branches": {"en": "branches", "it": "sezioni", "sv": "avdelningar", "fa": "شعبه‌ها", "zh": "支部"},
}
# Each edition's section and tag pages are at its own language's names (content/terms.toml).
STRIKES = {lang: slugify(name) for lang, name in SECTION_NAMES["strikes"].items()}
BRANCHES = {lang: slugify(name) for lang, name in TAGS["branches"].items()}

# The project's names, with Chinese ones for the Chinese edition.
SETTINGS = {
    "LANGUAGES": LANGS,
    # the public address (canonical links, the printed address); pages never load from it
    "SITEURL": "https://press.example.org",
    "PRESS_SITE_NAME": {
        "en": "The Central Organ",
        "it": "L'Organo Centrale",
        "sv": "Centralorganet",
        "fa": "ارگان مرکزی",
        "zh": "中央机关报",
    },
    # the mirrors page as a signed site shows it: addresses, the key, its fingerprint
    "PRESS_MIRRORS": [
        {"url": "https://mirror.example.net/"},
        {"url": "http://" + "b" * 56 + ".onion"},
    ],
    "PRESS_SIGNING_PUBLIC_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


def build_site(root: Path) -> Path:
    """Build the sample-like site under ``root``; returns the output folder."""
    built = build_module_site(root, site_tree(), overrides=SETTINGS | {"CACHE_PATH": str(root / "cache")})
    # the one article with no translation yet is reported missing, and nothing else
    expected = {("missing", UNTRANSLATED, lang) for lang in LANGS if lang != "fa"}
    assert {(p["kind"], p["key"], p["lang"]) for p in built.report["problems"]} == expected, built.report
    return built.output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="press-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def require_browser_tools() -> None:
    """Fail (not skip) with instructions when Chromium or axe-core is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run .ci/run, which installs it "
            "(or apt-get install chromium); the browser tests never download a browser.",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE}): run .ci/run, or `npm ci` at the project root.", pytrace=False
        )


def launch(playwright):
    require_browser_tools()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
