"""Generate a deterministic multilingual content tree for the benchmarks.

The tree follows the press's contract (``/work/shared/contract.md`` §1 and §3)::

    content/articles/<key>/<lang>.md    N articles, one file per language
    content/articles/<key>/figure.png   a tiny image in some article folders
    content/issues/<key>/<lang>.md      a few issues of "communist-left"
    content/pages/about/<lang>.md       the about page

The first language is always the original; every other version is a
translation carrying ``Translation-Of: <origlang>@<revision>``, where the
revision comes from the project's own ``press.content.headers`` so that a freshly
generated tree has no stale translation.  Translations mirror the original's
structure (headings, lists, quotes, links, image) at a similar length, so that
the press's ``incomplete`` check stays quiet too.

Everything is derived from string-seeded ``random.Random`` instances, so the
same arguments always give byte-identical files.  Standard library only, no
network.

Usage::

    python bench/generate.py OUT --articles 250 --languages 3 [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

from press.content.headers import parse_source, revision_of  # noqa: E402

logger = logging.getLogger("bench.generate")

LANGUAGE_ORDER = ("en", "it", "sv", "fa", "de", "fr")
PUBLICATION = "communist-left"
IMAGE_NAME = "figure.png"

CATEGORIES = (
    "Party Press",
    "Translation",
    "Strikes",
    "Security Online",
    "Housing",
    "International",
    "Theory",
    "History",
)

TAGS = (
    "dockworkers",
    "rent",
    "inflation",
    "logistics",
    "teachers",
    "nurses",
    "railways",
    "wages",
    "migration",
    "war",
    "elections",
    "unions",
    "assemblies",
    "encryption",
    "surveillance",
    "archives",
    "pamphlets",
    "printing",
    "youth",
    "pensions",
    "energy",
    "agriculture",
    "shipyards",
    "platform-work",
)

# Words for running text, one pool per language.  Realism matters only in so
# far as word lengths, scripts and diacritics resemble real copy.
VOCABULARY = {
    "en": """
        workers strike union assembly wage rent housing council delegate
        factory port dock warehouse railway shift contract employer police
        state party press newspaper editorial committee meeting comrades
        struggle movement demand picket solidarity district city region
        country border war crisis inflation price bread energy winter
        tenants landlord eviction building neighbourhood school hospital
        nurse teacher driver cleaner courier platform algorithm manager
        deadline overtime pension history tradition pamphlet archive
        printing leaflet translation reader question answer report week
        month year history lesson defeat victory organisation network
        security phone message encryption account password meeting place
        the of and to in for with on against without after before during
        between among under over through across because while although
        strong long short new old small large public private common open
        closed early late first last next real whole local national
    """,
    "it": """
        lavoratori sciopero sindacato assemblea salario affitto casa
        consiglio delegato fabbrica porto magazzino ferrovia turno
        contratto padrone polizia stato partito stampa giornale comitato
        riunione compagni lotta movimento richiesta picchetto solidarietà
        quartiere città regione paese confine guerra crisi inflazione
        prezzo pane energia inverno inquilini proprietario sfratto
        edificio scuola ospedale infermiera insegnante autista corriere
        piattaforma pensione storia tradizione opuscolo archivio stampa
        volantino traduzione lettore domanda risposta rapporto settimana
        mese anno lezione sconfitta vittoria organizzazione rete sicurezza
        telefono messaggio cifratura il la di e a in per con su contro
        senza dopo prima durante tra sotto sopra attraverso perché mentre
        sebbene forte lungo breve nuovo vecchio piccolo grande pubblico
        privato comune aperto chiuso presto tardi primo ultimo prossimo
    """,
    "sv": """
        arbetare strejk fackförening möte lön hyra bostad råd ombud
        fabrik hamn lager järnväg skift avtal arbetsgivare polis stat
        parti press tidning ledare kommitté sammanträde kamrater kamp
        rörelse krav strejkvakt solidaritet stadsdel stad region land
        gräns krig kris inflation pris bröd energi vinter hyresgäster
        hyresvärd vräkning byggnad skola sjukhus sjuksköterska lärare
        förare städare budbärare plattform chef övertid pension historia
        tradition broschyr arkiv tryckeri flygblad översättning läsare
        fråga svar rapport vecka månad år lärdom nederlag seger
        organisering nätverk säkerhet telefon meddelande kryptering och
        att i för med på mot utan efter före under mellan genom över
        eftersom medan fast stark lång kort ny gammal liten stor
        offentlig privat gemensam öppen stängd tidig sen första sista
    """,
    "fa": """
        کارگران اعتصاب سندیکا مجمع دستمزد اجاره مسکن شورا نماینده
        کارخانه بندر انبار راه‌آهن شیفت قرارداد کارفرما پلیس دولت حزب
        مطبوعات روزنامه سرمقاله کمیته جلسه رفقا مبارزه جنبش مطالبه
        همبستگی محله شهر منطقه کشور مرز جنگ بحران تورم قیمت نان انرژی
        زمستان مستاجران صاحبخانه تخلیه ساختمان مدرسه بیمارستان پرستار
        معلم راننده پیک پلتفرم مدیر اضافه‌کاری بازنشستگی تاریخ سنت
        جزوه بایگانی چاپخانه اعلامیه ترجمه خواننده پرسش پاسخ گزارش
        هفته ماه سال درس شکست پیروزی سازمان شبکه امنیت تلفن پیام
        رمزنگاری و از به در برای با بر علیه بدون پس پیش میان زیر
        روی چون اگرچه قوی بلند کوتاه نو کهنه کوچک بزرگ عمومی خصوصی
        مشترک باز بسته زود دیر نخست آخرین
    """,
    "de": """
        Arbeiter Streik Gewerkschaft Versammlung Lohn Miete Wohnung Rat
        Delegierte Fabrik Hafen Lager Eisenbahn Schicht Vertrag Chef
        Polizei Staat Partei Presse Zeitung Leitartikel Ausschuss Treffen
        Genossen Kampf Bewegung Forderung Streikposten Solidarität Viertel
        Stadt Region Land Grenze Krieg Krise Inflation Preis Brot Energie
        Winter Mieter Vermieter Räumung Gebäude Schule Krankenhaus
        Pflegerin Lehrerin Fahrer Kurier Plattform Überstunden Rente
        Geschichte Tradition Broschüre Archiv Druckerei Flugblatt
        Übersetzung Leser Frage Antwort Bericht Woche Monat Jahr Lehre
        Niederlage Sieg Organisation Netzwerk Sicherheit Telefon Nachricht
        Verschlüsselung der die das und zu in für mit auf gegen ohne nach
        vor während zwischen unter über durch weil obwohl stark lang kurz
        neu alt klein groß öffentlich privat gemeinsam offen geschlossen
    """,
    "fr": """
        travailleurs grève syndicat assemblée salaire loyer logement
        conseil délégué usine port entrepôt chemin-de-fer équipe contrat
        patron police État parti presse journal éditorial comité réunion
        camarades lutte mouvement revendication piquet solidarité quartier
        ville région pays frontière guerre crise inflation prix pain
        énergie hiver locataires propriétaire expulsion immeuble école
        hôpital infirmière enseignante chauffeur coursier plateforme
        retraite histoire tradition brochure archives imprimerie tract
        traduction lecteur question réponse rapport semaine mois année
        leçon défaite victoire organisation réseau sécurité téléphone
        message chiffrement le la les de et à en pour avec sur contre
        sans après avant pendant entre sous par parce que tandis fort
        long court nouveau vieux petit grand public privé commun ouvert
    """,
}

# Translated bodies run a little longer or shorter than the English original.
LENGTH_FACTOR = {"en": 1.0, "it": 1.12, "sv": 0.95, "fa": 1.05, "de": 0.93, "fr": 1.15}

ABOUT_TITLE = {
    "en": "About",
    "it": "Chi siamo",
    "sv": "Om oss",
    "fa": "درباره ما",
    "de": "Über uns",
    "fr": "À propos",
}
PUBLICATION_NAME = {
    "en": "The Communist Left",
    "it": "La Sinistra Comunista",
    "sv": "Kommunistiska vänstern",
    "fa": "چپ کمونیست",
    "de": "Die Kommunistische Linke",
    "fr": "La Gauche communiste",
}
NUMBER_LABEL = {
    "en": "no.",
    "it": "n.",
    "sv": "nr",
    "fa": "شماره",
    "de": "Nr.",
    "fr": "n°",
}

FIRST_DATE = datetime.datetime(2019, 1, 7, 8, 0)
LAST_DATE = datetime.datetime(2024, 12, 31, 12, 0)  # before the runner's "now"
DATE_SPAN_MINUTES = int((LAST_DATE - FIRST_DATE).total_seconds() // 60)


def _words(lang: str) -> tuple[str, ...]:
    return tuple(VOCABULARY[lang].split())


WORDS = {lang: _words(lang) for lang in VOCABULARY}


# --------------------------------------------------------------------------
# The skeleton: the language-independent shape of a body.


@dataclass(frozen=True)
class Block:
    """One block of a body: its kind, sizes in words, and link targets.

    ``kind`` is ``paragraph``, ``heading``, ``list``, ``quote`` or ``image``;
    ``sizes`` holds one word count (or one per list item); ``links`` holds the
    article keys linked from the block (for a list: one entry per item, ``""``
    for an item without a link).
    """

    kind: str
    sizes: tuple[int, ...] = ()
    links: tuple[str, ...] = ()


@dataclass
class Skeleton:
    """The blocks of one body, shared by every language version."""

    blocks: list[Block] = field(default_factory=list)

    def words(self) -> int:
        """Approximate number of words in the original."""
        return sum(sum(block.sizes) for block in self.blocks)


def article_skeleton(
    rng: random.Random, others: list[str], with_image: bool, target_words: int = 900
) -> Skeleton:
    """Draw the shape of a ~``target_words``-word article.

    Sections of ``##`` heading, paragraphs, sometimes a bullet list or a block
    quote; three to six links to ``others``; an image after the lead paragraph
    when ``with_image``.
    """
    link_count = min(len(others), rng.randint(3, 6))
    link_targets = rng.sample(others, link_count) if link_count else []
    skeleton = Skeleton()
    skeleton.blocks.append(Block("paragraph", (rng.randint(60, 100),)))
    if with_image:
        skeleton.blocks.append(Block("image", (rng.randint(4, 9),)))
    linkable: list[int] = []
    while skeleton.words() < target_words:
        skeleton.blocks.append(Block("heading", (rng.randint(2, 6),)))
        for _ in range(rng.randint(1, 3)):
            linkable.append(len(skeleton.blocks))
            skeleton.blocks.append(Block("paragraph", (rng.randint(50, 110),)))
        if rng.random() < 0.5:
            items = tuple(rng.randint(6, 14) for _ in range(rng.randint(3, 6)))
            linkable.append(len(skeleton.blocks))
            skeleton.blocks.append(Block("list", items, ("",) * len(items)))
        if rng.random() < 0.35:
            skeleton.blocks.append(Block("quote", (rng.randint(20, 45),)))
    # Spread the links over the paragraphs and list items.
    for target in link_targets:
        index = rng.choice(linkable)
        block = skeleton.blocks[index]
        if block.kind == "list":
            slots = [i for i, key in enumerate(block.links) if not key]
            if slots:
                links = list(block.links)
                links[rng.choice(slots)] = target
                skeleton.blocks[index] = Block("list", block.sizes, tuple(links))
                continue
            index = linkable[0]
            block = skeleton.blocks[index]
        skeleton.blocks[index] = Block(block.kind, block.sizes, (*block.links, target))
    return skeleton


def short_skeleton(rng: random.Random) -> Skeleton:
    """The shape of an issue's or a page's short body (two sections)."""
    skeleton = Skeleton()
    skeleton.blocks.append(Block("paragraph", (rng.randint(50, 90),)))
    for _ in range(2):
        skeleton.blocks.append(Block("heading", (rng.randint(2, 5),)))
        skeleton.blocks.append(Block("paragraph", (rng.randint(40, 80),)))
    items = tuple(rng.randint(4, 9) for _ in range(rng.randint(3, 5)))
    skeleton.blocks.append(Block("list", items, ("",) * len(items)))
    return skeleton


# --------------------------------------------------------------------------
# Rendering a skeleton in one language.


def scaled(count: int, lang: str) -> int:
    """A word count adjusted to the language's usual length."""
    return max(1, round(count * LENGTH_FACTOR[lang]))


def phrase(rng: random.Random, lang: str, count: int) -> list[str]:
    """``count`` words of running text in ``lang``."""
    pool = WORDS[lang]
    return [rng.choice(pool) for _ in range(count)]


def capitalised(word: str) -> str:
    """The word with its first letter in upper case (a no-op for Persian)."""
    return word[:1].upper() + word[1:]


def title_text(rng: random.Random, lang: str, low: int = 4, high: int = 9) -> str:
    """A headline of ``low``..``high`` words."""
    words = phrase(rng, lang, rng.randint(low, high))
    return capitalised(" ".join(words))


def sentence_text(rng: random.Random, lang: str, count: int) -> str:
    """One sentence of ``count`` words, capitalised and ended by a stop."""
    return capitalised(" ".join(phrase(rng, lang, count))) + "."


def link_target(key: str, original_lang: str) -> str:
    """The Markdown target of a link to another article's original."""
    return f"{{filename}}../{key}/{original_lang}.md"


def prose(
    rng: random.Random,
    lang: str,
    count: int,
    links: tuple[str, ...],
    original_lang: str,
) -> str:
    """Running text of about ``count`` words with the given links woven in.

    Sentences of 7-18 words; the odd word in ``*emphasis*``; each link wraps a
    two-to-four-word span.
    """
    words = phrase(rng, lang, count)
    for index in range(len(words)):
        if rng.random() < 0.02:
            words[index] = f"*{words[index]}*"
    for key in links:
        span = rng.randint(2, 4)
        for _ in range(20):  # a span that does not cut into an earlier link
            start = rng.randrange(0, max(1, len(words) - span))
            if not any(word.startswith("[") for word in words[start : start + span]):
                break
        else:
            start, span = len(words), 2
            words += phrase(rng, lang, span)
        text = " ".join(word.strip("*") for word in words[start : start + span])
        words[start : start + span] = [f"[{text}]({link_target(key, original_lang)})"]
    sentences: list[str] = []
    index = 0
    while index < len(words):
        length = rng.randint(7, 18)
        chunk = words[index : index + length]
        sentences.append(capitalised(" ".join(chunk)) + ".")
        index += length
    return " ".join(sentences)


def render_body(skeleton: Skeleton, lang: str, rng: random.Random, original_lang: str) -> str:
    """The Markdown body of ``skeleton`` in ``lang``."""
    parts: list[str] = []
    for block in skeleton.blocks:
        if block.kind == "paragraph":
            parts.append(prose(rng, lang, scaled(block.sizes[0], lang), block.links, original_lang))
        elif block.kind == "heading":
            parts.append("## " + title_text(rng, lang, block.sizes[0], block.sizes[0]))
        elif block.kind == "list":
            items = [
                "- " + prose(rng, lang, scaled(size, lang), (key,) if key else (), original_lang)
                for size, key in zip(block.sizes, block.links, strict=True)
            ]
            parts.append("\n".join(items))
        elif block.kind == "quote":
            text = prose(rng, lang, scaled(block.sizes[0], lang), (), original_lang)
            parts.append("> " + text)
        elif block.kind == "image":
            caption = " ".join(phrase(rng, lang, block.sizes[0]))
            parts.append(f"![{capitalised(caption)}]({{static}}{IMAGE_NAME})")
        else:  # pragma: no cover - the skeleton only makes the kinds above
            raise ValueError(f"unknown block kind {block.kind!r}")
    return "\n\n".join(parts) + "\n"


def document(headers: list[tuple[str, str]], body: str) -> str:
    """A content file: ``Key: value`` lines, a blank line, the body."""
    head = "".join(f"{name}: {value}\n" for name, value in headers)
    return f"{head}\n{body}"


def revision_of_text(text: str) -> str:
    """The contract revision of a whole content file's body."""
    return revision_of(parse_source(text).body)


# --------------------------------------------------------------------------
# A tiny PNG, written with zlib and struct only.


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG with a simple diagonal pattern in colour ``rgb``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            on = (x + y) % 4 < 2
            rows.extend(rgb if on else (255, 255, 255))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------
# The tree.


@dataclass
class TreeStats:
    """What :func:`generate_tree` wrote."""

    content: Path
    languages: list[str]
    article_keys: list[str]
    issue_keys: list[str]
    files: int = 0
    images: int = 0
    bytes: int = 0
    original_words: int = 0

    def original_path(self, key: str) -> Path:
        """The original (first-language) file of article ``key``."""
        return self.content / "articles" / key / f"{self.languages[0]}.md"


def make_keys(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct article keys made of two to four English words."""
    pool = [word for word in WORDS["en"] if len(word) > 3]
    keys: list[str] = []
    seen: set[str] = set()
    while len(keys) < count:
        key = "-".join(rng.sample(pool, rng.randint(2, 4)))
        candidate, suffix = key, 2
        while candidate in seen:
            candidate, suffix = f"{key}-{suffix}", suffix + 1
        seen.add(candidate)
        keys.append(candidate)
    return keys


def placements(count: int) -> dict[int, tuple[str, int]]:
    """Front-page placements by article index: one lead, one editorial, features."""
    chosen: dict[int, tuple[str, int]] = {}
    if count >= 1:
        chosen[0] = ("lead", 0)
    if count >= 2:
        chosen[1] = ("editorial", 0)
    for order, index in enumerate(range(2, min(count, 7)), start=1):
        chosen[index] = ("feature", order)
    return chosen


def default_issue_count(articles: int) -> int:
    """A few issues: one per fifty articles, between 2 and 20."""
    return max(2, min(20, articles // 50))


# The bench's "now" (bench/run.py's SOURCE_DATE_EPOCH), and every generated file's modification time.
BENCH_EPOCH = int(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC).timestamp())
GENERATED_MTIME_NS = BENCH_EPOCH * 1_000_000_000


class TreeWriter:
    """Writes files under ``content/`` and keeps count."""

    def __init__(self, stats: TreeStats) -> None:
        self.stats = stats

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to ``content/<relative>``."""
        path = self.stats.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        # Dated long before any build, as a real archive's files are: a file written in the two
        # seconds before a build is read again by the next one (press.content.tree.RACY_NS, as git
        # does), which made the bench's first rebuild re-read most of a freshly generated tree.
        os.utime(path, ns=(GENERATED_MTIME_NS, GENERATED_MTIME_NS))
        self.stats.files += 1
        self.stats.bytes += len(data)

    def versions(
        self,
        folder: str,
        key: str,
        skeleton: Skeleton,
        original_headers: list[tuple[str, str]],
        translation_headers: dict[str, list[tuple[str, str]]],
        seed: int,
    ) -> None:
        """Write the original and every translation of one key."""
        languages = self.stats.languages
        original_lang = languages[0]
        rng = random.Random(f"{seed}:{folder}:{key}:{original_lang}:body")
        body = render_body(skeleton, original_lang, rng, original_lang)
        text = document(original_headers, body)
        self.write(f"{folder}/{key}/{original_lang}.md", text.encode("utf-8"))
        revision = revision_of_text(text)
        for lang in languages[1:]:
            rng = random.Random(f"{seed}:{folder}:{key}:{lang}:body")
            body = render_body(skeleton, lang, rng, original_lang)
            headers = [
                *translation_headers[lang],
                ("Translation-Of", f"{original_lang}@{revision}"),
            ]
            self.write(f"{folder}/{key}/{lang}.md", document(headers, body).encode("utf-8"))


def generate_tree(
    root: Path,
    articles: int,
    languages: int,
    seed: int = 0,
    issues: int | None = None,
) -> TreeStats:
    """Write ``root/content`` with ``articles`` keys in the first ``languages``.

    ``root/content`` must not exist yet.  Returns what was written.
    """
    if not 1 <= languages <= len(LANGUAGE_ORDER):
        raise ValueError(f"languages must be 1..{len(LANGUAGE_ORDER)}, not {languages}")
    if articles < 1:
        raise ValueError(f"articles must be at least 1, not {articles}")
    content = root / "content"
    if content.exists():
        raise FileExistsError(f"{content} already exists")
    langs = list(LANGUAGE_ORDER[:languages])
    original_lang = langs[0]
    content.mkdir(parents=True)
    write_terms(content / "terms.toml", langs)
    tree_rng = random.Random(f"{seed}:tree:{articles}")
    keys = make_keys(tree_rng, articles)
    issue_total = default_issue_count(articles) if issues is None else issues
    stats = TreeStats(content, langs, keys, [])
    writer = TreeWriter(stats)
    placed = placements(articles)

    dates: list[datetime.datetime] = []
    for index, key in enumerate(keys):
        rng = random.Random(f"{seed}:article:{key}")
        date = FIRST_DATE + datetime.timedelta(minutes=rng.randrange(DATE_SPAN_MINUTES))
        dates.append(date)
        with_image = rng.random() < 0.2
        others = keys[:index] + keys[index + 1 :]
        skeleton = article_skeleton(rng, others, with_image)
        stats.original_words += skeleton.words()
        tags = rng.sample(TAGS, rng.randint(2, 4))
        headers = [
            ("Title", title_text(rng, original_lang)),
            ("Date", date.strftime("%Y-%m-%d %H:%M")),
            ("Category", rng.choice(CATEGORIES)),
            ("Tags", ", ".join(tags)),
            ("Summary", sentence_text(rng, original_lang, rng.randint(14, 28))),
            ("Share", sentence_text(rng, original_lang, rng.randint(8, 16))),
        ]
        if index in placed:
            placement, order = placed[index]
            headers += [("Placement", placement), ("Order", str(order))]
        translated = {
            lang: [
                ("Title", title_text(rng, lang)),
                (
                    "Summary",
                    sentence_text(rng, lang, scaled(rng.randint(14, 28), lang)),
                ),
                ("Share", sentence_text(rng, lang, scaled(rng.randint(8, 16), lang))),
            ]
            for lang in langs[1:]
        }
        writer.versions("articles", key, skeleton, headers, translated, seed)
        if with_image:
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            writer.write(f"articles/{key}/{IMAGE_NAME}", png_bytes(16, 12, colour))
            stats.images += 1

    issue_rng = random.Random(f"{seed}:issues:{articles}")
    newest = max(dates)
    for number in range(1, issue_total + 1):
        key = f"{PUBLICATION}-{number}"
        stats.issue_keys.append(key)
        date = FIRST_DATE + (newest - FIRST_DATE) * number / (issue_total + 1)
        contents = issue_rng.sample(keys, min(len(keys), issue_rng.randint(6, 10)))
        skeleton = short_skeleton(issue_rng)
        headers = [
            (
                "Title",
                f"{PUBLICATION_NAME[original_lang]} {NUMBER_LABEL[original_lang]} {number}",
            ),
            ("Date", date.strftime("%Y-%m-%d %H:%M")),
            ("Publication", PUBLICATION),
            ("Number", str(number)),
            ("Contents", ", ".join(contents)),
            ("Summary", sentence_text(issue_rng, original_lang, 16)),
        ]
        translated = {
            lang: [
                ("Title", f"{PUBLICATION_NAME[lang]} {NUMBER_LABEL[lang]} {number}"),
                ("Summary", sentence_text(issue_rng, lang, scaled(16, lang))),
            ]
            for lang in langs[1:]
        }
        writer.versions("issues", key, skeleton, headers, translated, seed)

    page_rng = random.Random(f"{seed}:pages")
    translated = {lang: [("Title", ABOUT_TITLE[lang])] for lang in langs[1:]}
    writer.versions(
        "pages",
        "about",
        short_skeleton(page_rng),
        [("Title", ABOUT_TITLE[original_lang])],
        translated,
        seed,
    )
    return stats


def write_terms(path: Path, langs: list[str]) -> None:
    """content/terms.toml: every section, tag and the publication, named in every language."""
    lines = ["# Generated by bench/generate.py: every term named in every language.", ""]
    for kind, names in (("sections", CATEGORIES), ("tags", TAGS)):
        for name in names:
            lines.append(f"[{kind}.{name.lower().replace(' ', '-')}]")
            lines += [f'{lang} = "{name if lang == "en" else f"{name} {lang}"}"' for lang in langs]
            lines.append("")
    lines.append(f"[publications.{PUBLICATION}]")
    lines += [f'{lang} = "The Communist Left{"" if lang == "en" else f" ({lang})"}"' for lang in langs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one tree and log what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write content/ into")
    parser.add_argument("--articles", "-n", type=int, default=250, help="article keys (250)")
    parser.add_argument(
        "--languages",
        "-l",
        type=int,
        default=3,
        help=f"languages, the first L of {', '.join(LANGUAGE_ORDER)} (3)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--issues", type=int, default=None, help="issues (default: N/50, 2..20)")
    parser.add_argument("--force", action="store_true", help="replace an existing OUT/content")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    content = args.out / "content"
    if content.exists():
        if not args.force:
            parser.error(f"{content} exists; pass --force to replace it")
        shutil.rmtree(content)
    stats = generate_tree(args.out, args.articles, args.languages, args.seed, args.issues)
    logger.info(
        "wrote %d files (%d images, %.1f MiB) in %s: %d articles x %s, %d issues, "
        "about %d words per original",
        stats.files,
        stats.images,
        stats.bytes / 2**20,
        content,
        len(stats.article_keys),
        "/".join(stats.languages),
        len(stats.issue_keys),
        stats.original_words // max(1, len(stats.article_keys)),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
