"""A tiny periodical in en, it and fa for the edition tests: one issue of three articles.

The issue's ``Contents`` order (strike, school, metadata) is neither the keys'
order nor the dates' order, so a test that finds the titles in that order proves
the editions follow ``Contents``.  Module name: not ``conftest``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sitebuild import article, png, terms_document, translation

LANGS = ["en", "it", "fa"]
CONTENTS = ["dock-strike", "school-strike", "metadata"]
TITLES = {
    "dock-strike": {
        "en": "Dockworkers Hold the Line",
        "it": "I portuali tengono duro",
        "fa": "کارگران بندر ایستادند",
    },
    "school-strike": {"en": "The School Stops", "it": "La scuola si ferma", "fa": "مدرسه تعطیل شد"},
    "metadata": {
        "en": "What Metadata Tells",
        "it": "Che cosa rivelano i metadati",
        "fa": "فراداده چه می‌گوید",
    },
}
SUMMARIES = {
    "en": "Nine days on the docks and what they teach.",
    "it": "Nove giorni al porto e che cosa insegnano.",
    "fa": "نه روز در بندر و آنچه به ما آموخت.",
}
PROSE = {
    "en": (
        "The branch met on Tuesday evening to discuss the distribution of the paper in the "
        "neighbourhood, the collections for the strike fund and the reports from the workplaces. "
        "Every comrade took a bundle and a list of readers."
    ),
    "it": (
        "La sezione si è riunita martedì sera per discutere la diffusione del giornale nel "
        "quartiere, le collette per la cassa di sciopero e i rapporti dai luoghi di lavoro. "
        "Ogni compagno ha preso un pacco e un elenco di lettori."
    ),
    "fa": (
        "شاخه سه‌شنبه شب گرد آمد تا دربارهٔ پخش نشریه در محله، جمع‌آوری کمک برای صندوق اعتصاب "
        "و گزارش‌های محل کار گفتگو کند. هر رفیق یک بسته و فهرستی از خوانندگان برداشت."
    ),
}
# Words of the Persian edition that pdftotext must give back readable (no joiners inside).
PERSIAN_WORDS = ["کارگران", "بندر", "مدرسه", "نشریه", "خوانندگان"]
ISSUE_TITLES = {
    "en": "The Communist Left No. 9",
    "it": "La Sinistra Comunista n. 9",
    "fa": "چپ کمونیست شمارهٔ ۹",
}
PUBLICATIONS = {"cl": {"en": "The Communist Left", "it": "La Sinistra Comunista", "fa": "چپ کمونیست"}}
DATES = {"dock-strike": "2026-05-03", "school-strike": "2026-05-01", "metadata": "2026-05-02"}


def body(key: str, lang: str, paragraphs: int = 1) -> str:
    image = "\n![The port at dawn](port.png)\n" if key == "dock-strike" else ""
    more = "".join(f"\n({number}) {PROSE[lang]}\n" for number in range(2, paragraphs + 1))
    return f"{PROSE[lang]}\n{image}\n{TITLES[key][lang]}: {PROSE[lang]}\n{more}"


def edition_tree(*, persian_missing: str | None = None, paragraphs: int = 1) -> dict[str, str | bytes]:
    """The tree; ``persian_missing`` names an article left without its fa version; ``paragraphs``
    lengthens every article (a long lead continues inside, a booklet has several sheets)."""
    files: dict[str, str | bytes] = {}
    for key in CONTENTS:
        original = article(
            TITLES[key]["en"], body(key, "en", paragraphs), date=DATES[key], summary=SUMMARIES["en"]
        )
        files[f"articles/{key}/en.md"] = original
        for lang in ("it", "fa"):
            if lang == "fa" and key == persian_missing:
                continue
            files[f"articles/{key}/{lang}.md"] = translation(
                original, "en", TITLES[key][lang], body(key, lang, paragraphs), summary=SUMMARIES[lang]
            )
    files["articles/dock-strike/port.png"] = png((40, 24))
    issue = article(
        ISSUE_TITLES["en"],
        "The spring issue of the paper.\n",
        date="2026-05-04",
        publication="cl",
        number="9",
        contents=", ".join(CONTENTS),
    )
    files["issues/cl-9/en.md"] = issue
    files["issues/cl-9/it.md"] = translation(
        issue, "en", ISSUE_TITLES["it"], "Il numero di primavera del giornale.\n"
    )
    files["issues/cl-9/fa.md"] = translation(issue, "en", ISSUE_TITLES["fa"], "شمارهٔ بهاری نشریه.\n")
    files["terms.toml"] = terms_document(publications=PUBLICATIONS)
    return files


def edition_settings(root, **extra) -> dict:
    return {
        "LANGUAGES": LANGS,
        "PRESS_EDITIONS": True,
        "PRESS_SEARCH": False,
        "CACHE_PATH": str(root / "cache"),
        **extra,
    }


def words_by_page(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Every page of a PDF as (width, height, [(xMin, yMin, xMax, yMax, word), …])."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run .ci/run (apt-get install poppler-utils)", pytrace=False)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(x0), float(y0), float(x1), float(y1), html.unescape(text))
            for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                page.group(3),
            )
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages
