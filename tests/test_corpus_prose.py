"""The gate's false positives on honest input: a fourth real corpus, of long prose
(tests/corpus_prose: The Debian Administrator's Handbook, en -> fr, es, it, de, pt-br, ru, zh, ar,
ja, nb, ca), every report read by hand, and what the handbook's other translations taught the gate.

The 40 translations of the corpus are complete (no paragraph left in English): the gate reports
none of them. `build.py --all` makes every page of the handbook in the eleven languages (1,540
translations, made from PO files: every paragraph is there, some still in English where the
translation lags); `build.py --report` on it found the false positives fixed below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_block_alignment import ENGINES, body_of, reading
from test_corpus_world import check_corpus, long_paragraphs_deleted

from press.problems import ProblemCollector
from press.translation.fidelity import lacks, missing_destinations, untranslated

HERE = Path(__file__).parent
PROSE = HERE / "corpus_prose"
LANGUAGES = ["en", "fr", "es", "it", "de", "pt-br", "ru", "zh", "ar", "ja", "nb", "ca"]

# -- the corpus as it is -------------------------------------------------------------------------

# Translations of tests/corpus_prose that really lack what the message names: none (each was made
# from the same English, paragraph for paragraph, and none is left partly in English).
PROSE_KNOWN_OMISSIONS: set[str] = set()


def check_prose(engine) -> tuple[ProblemCollector, int]:
    return check_corpus(PROSE, LANGUAGES, engine)


@ENGINES
def test_the_prose_corpus_reports_only_what_translations_lack(engine):
    problems, translations = check_prose(engine)
    assert translations == 40
    assert {p.path for p in problems.of_kind("incomplete")} == PROSE_KNOWN_OMISSIONS
    assert not problems.of_kind("untranslated")
    # each key has one translation, so the other ten editions miss it; README.md and build.py
    # stand where a content folder holds only articles/…: nothing else is reported
    kinds = {p.kind for p in problems}
    assert kinds == {"missing", "unsafe-file"}, kinds
    assert len(problems.of_kind("missing")) == 40 * 10


# -- a paragraph left in English in a Chinese or Japanese translation -------------------------------

# The handbook's Japanese "10.9. Network Diagnosis Tools" (its first paragraph not yet translated)
LEFT_IN_ENGLISH = """
When a network application does not run as expected, it is important to be able to look under the
hood. Even when everything seems to run smoothly, running a network diagnosis can help ensure
everything is working as it should. Several diagnosis tools exists for this purpose; each one
operates on a different level.

## 10.9.1. {heading}

{paragraph}
"""
DIAGNOSIS_EN = LEFT_IN_ENGLISH.format(
    heading="Local Diagnosis: netstat",
    paragraph="Let's first mention the netstat command (in the net-tools package); it displays an "
    "instant summary of a machine's network activity. When invoked with no argument, this command "
    "lists all open connections; this list can be very verbose since it includes many Unix-domain "
    "sockets (widely used by daemons) which do not involve the network at all (for example, dbus "
    "communication, X11 traffic, and communications between virtual filesystems and the desktop).",
)
DIAGNOSIS_JA = LEFT_IN_ENGLISH.format(
    heading="ローカルの診断、netstat",
    paragraph="最初に netstat コマンド (net-tools パッケージに含まれます) を紹介しましょう。netstat "
    "コマンドはマシンのその瞬間のネットワーク活動の要約を表示します。引数を付けずに実行した場合、"
    "netstat コマンドはすべての開かれた接続を表示します。ネットワークをまったく使わない Unix "
    "ドメインソケット (デーモンが多用しています) も含まれるため、このリストは非常に冗長になる可能性が"
    "あります (たとえば、dbus 通信、X11 トラフィック、仮想ファイルシステムとデスクトップ間の通信など)。",
)


@ENGINES
def test_a_paragraph_left_in_english_is_not_a_third_of_itself(engine):
    """In Chinese and Japanese text, a block without CJK characters is words, not characters:
    weighed as characters (2.6 a word in Japanese), the English paragraph was "38% of the usual
    length" and named as mostly missing (22 of the handbook's Japanese pages)."""
    assert lacks(reading(DIAGNOSIS_EN, engine), reading(DIAGNOSIS_JA, engine), "en", "ja") == []


@ENGINES
def test_a_paragraph_deleted_beside_one_left_in_english_is_still_reported(engine):
    without = DIAGNOSIS_JA.replace(DIAGNOSIS_JA.strip().split("\n\n")[-1], "")
    found = "; ".join(lacks(reading(DIAGNOSIS_EN, engine), reading(without, engine), "en", "ja"))
    assert "which begins 'Let's first mention the netstat command" in found


def test_a_few_paragraphs_left_in_english_do_not_make_a_chinese_body_mostly_english():
    """The share of a body still in the original's words is weighed in English-word equivalents
    where the translation has CJK: in characters, two English paragraphs of eight made more than
    half of the handbook's Chinese preface (and 33 Chinese and 33 Japanese pages "mostly" English)."""
    folder = PROSE / "articles/handbook-preface-zh"
    english, chinese = body_of(folder / "en.md"), body_of(folder / "zh.md")
    english_paragraphs, chinese_paragraphs = english.split("\n\n"), chinese.split("\n\n")
    assert len(english_paragraphs) == len(chinese_paragraphs) == 8

    def with_english(numbers):
        body = "\n\n".join(english_paragraphs[i] if i in numbers else chinese_paragraphs[i] for i in range(8))
        rendered = reading(body)
        return untranslated(reading(english), rendered, "Preface", "序", set(), "en", "zh")

    assert with_english({2, 3}) == []
    assert with_english({0, 2, 3, 4, 5}) == ["92% of its body is still the original's text, word for word"]


# -- the same page in the translation's language -------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "original", "translation"),
    [
        # the handbook's French: Debian's pages in French, as its server names them
        ("fr", "https://www.debian.org/Bugs/", "https://www.debian.org/Bugs/index.fr.html"),
        (
            "fr",
            "https://www.debian.org/Bugs/Developer#severities",
            "https://www.debian.org/Bugs/Developer.fr.html#severities",
        ),
        # Catalan: the page's copy in Catalan, by content negotiation
        (
            "ca",
            "https://www.debian.org/releases/stable/amd64/ch05s01#boot-tftp-x86",
            "https://www.debian.org/releases/stable/amd64/ch05s01.ca#boot-tftp-x86",
        ),
        # Norwegian Bokmål (nb): Wikipedia's Norwegian is "no"
        (
            "nb",
            "https://en.wikipedia.org/wiki/Regular_expression",
            "https://no.wikipedia.org/wiki/Regul%C3%A6rt_uttrykk",
        ),
        # German: the same page, written with its extension
        (
            "de",
            "https://www.debian.org/releases/stable/amd64/ch08s06",
            "https://www.debian.org/releases/stable/amd64/ch08s06.html",
        ),
    ],
)
def test_a_page_in_the_translations_language_is_the_same_destination(lang, original, translation):
    assert missing_destinations((original,), (translation,), ("en", lang)) == []


@pytest.mark.parametrize(
    ("lang", "original", "translation"),
    [
        # the handbook's Brazilian Portuguese links the next section; its French, a broken address
        (
            "pt-br",
            "https://www.debian.org/releases/stable/amd64/ch08s06",
            "https://www.debian.org/releases/stable/amd64/ch08s07",
        ),
        ("fr", "https://linuxmint.com/", "https:/linuxmint.com/"),
        # a page in a third language is not the reader's (the handbook's Norwegian links Swedish)
        (
            "nb",
            "https://en.wikipedia.org/wiki/Sender_Policy_Framework",
            "https://sv.wikipedia.org/wiki/Sender_Policy_Framework",
        ),
        ("fr", "https://www.debian.org/Bugs/", "https://www.debian.org/Bugs/index.de.html"),
        ("fr", "https://www.debian.org/Bugs/Developer", "https://www.debian.org/Bugs/Developer.de"),
        # a page's copy in the translation's language is not another page of its folder
        ("fr", "https://www.debian.org/Bugs/", "https://www.debian.org/Bugs/Developer.fr.html"),
    ],
)
def test_another_page_is_still_a_missing_destination(lang, original, translation):
    assert missing_destinations((original,), (translation,), ("en", lang)) == [original]


# -- omissions planted in the corpus -------------------------------------------------------------

# Paragraphs of 40 words or more whose deletion the gate does not report (14 of 296): pages of
# paragraphs of like length with nothing to anchor them (no code, link or number), where the
# deletion is absorbed by a join whose translation is short but not under half the usual length
# (the preface: 8 paragraphs of 50 to 90 words), or a paragraph of a list of thanks.
KNOWN_MISSED_DELETIONS = {
    ("handbook-acknowledgments-de", "Einen besonderen Dank möchte ich an Rola"),
    ("handbook-book-structure-pt-br", "Nós adicionamos algumas notas e observaç"),
    ("handbook-debian-internals-1-ca", "La Normativa ofereix una considerable qu"),
    ("handbook-follow-debian-news-ca", "També es pot trobar una font més informa"),
    ("handbook-foreword-de", "Der Zweck dieses Buches ist es, Ihnen be"),
    ("handbook-kernel-role-and-tasks-nb", "Det finnes også nettverksfilsystem, slik"),
    ("handbook-preface-ar", "نحن نجتمع معا لإنتاج نظام تشغيل حر من ال"),
    ("handbook-preface-ar", "هذا الكتاب هو وسيلة ممتازة لاستكشاف ديبي"),
    ("handbook-preface-ru", "Debian гибка. Да, она предоставляет отли"),
    ("handbook-preface-zh", "Debian 是灵活的。是的，Debian 是一个出色的开箱即用的通用型操作系统"),
    ("handbook-preface-zh", "Debian 社区为形形色色的个人和兴趣提供了交流机会：来自最大的企业的开发者和"),
    ("handbook-preface-zh", "我们聚在一起是为了创造一个世界级的免费的操作系统。没有哪家公司控制 Debian"),
    ("handbook-user-space-de", "Das einfachste IPC-System besteht darin,"),
    ("handbook-who-is-this-book-for-ja", "最後に、既に Debian に関する知識をある程度持っており Debian の背"),
}

# Deletions reported, but the message quotes a neighbour of the paragraph deleted (the preface's
# paragraphs are too alike in length to tell which one of two is gone).
KNOWN_MISNAMED_DELETIONS = {
    ("handbook-preface-ar", "دبيان مرن. نعم، يوفر نظام تشغيل ممتاز لل"),
    ("handbook-preface-ru", "Эта книга — отличный путь изучения Debia"),
}


def test_deleting_any_paragraph_of_40_words_is_incomplete_and_quotes_it():
    planted, missed, misnamed = long_paragraphs_deleted(PROSE, PROSE_KNOWN_OMISSIONS)
    assert len(planted) >= 290
    assert missed <= KNOWN_MISSED_DELETIONS, missed
    assert misnamed <= KNOWN_MISNAMED_DELETIONS, misnamed
