"""`incomplete` and `untranslated` judged on rendered bodies (issue 12): planted defects, pure functions."""

from __future__ import annotations

import textwrap

import pytest

from press.content.terms import slugify
from press.html.anchors import add_heading_ids, listing_fragment
from press.html.render import markdown_options, render_markdown
from press.translation.fidelity import lacks, missing_destinations, read_html, untranslated

# Pelican's default MARKDOWN setting, as the build hands it to the renderer
MARKDOWN = markdown_options(
    {
        "MARKDOWN": {
            "extension_configs": {
                "markdown.extensions.codehilite": {"css_class": "highlight"},
                "markdown.extensions.extra": {},
            },
            "output_format": "html5",
        }
    }
)


def reading(body: str):
    return read_html(render_markdown(MARKDOWN, textwrap.dedent(body)))


ORIGINAL = """
## Why the paper

The paper is the scaffolding of the party: it ties the branches together, it carries
the [resolutions](https://example.org/en/resolutions/) and the [BIP](https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki)
to every [reader][r], and it is read aloud in the assemblies[^1].

- it is printed every week
- it is sold by the branches
- it reports every strike

> A newspaper is not only a collective propagandist and agitator.

Read also [the previous issue]({filename}../issue-54/en.md#summary) and the
[blips](https://github.com/lightning/blips).

[r]: https://example.org/readers

[^1]: As the congress resolved.
"""

ITALIAN = """
## Perché il giornale

Il giornale è l'impalcatura del partito: lega le sezioni tra loro, porta le
[risoluzioni](https://example.org/it/resolutions/) e il
[BIP](https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki) a ogni
[lettore](https://example.org/readers), e viene letto ad alta voce nelle assemblee[^1].

- è stampato ogni settimana
- è venduto dalle sezioni
- racconta ogni sciopero

> Un giornale non è solo un propagandista e un agitatore collettivo.

Leggi anche [il numero precedente]({filename}../issue-54/it.md#sommario) e i [blips](http://www.github.com/lightning/blips/).

[^1]: Come ha deciso il congresso.
"""


def test_a_faithful_translation_lacks_nothing():
    assert lacks(reading(ORIGINAL), reading(ITALIAN), "en", "it") == []


def test_rewrapped_lines_and_markdown_spelling_are_never_problems():
    rewrapped = ORIGINAL.replace("\n", " \n").replace(
        "together, it carries\nthe", "together,\nit carries the"
    )
    # a list written without a blank line before it, reference links written inline, emphasis moved
    respelled = (
        ORIGINAL.replace("\n\n- it is printed", "\n- it is printed")
        .replace("[reader][r]", "[*reader*](https://example.org/readers)")
        .replace("[r]: https://example.org/readers\n", "")
    )
    for body in (rewrapped, respelled):
        assert lacks(reading(ORIGINAL), reading(body), "en", "en") == []


def test_a_dropped_link_destination_is_named_with_the_count():
    dropped = ITALIAN.replace("[BIP](https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki)", "BIP")
    found = lacks(reading(ORIGINAL), reading(dropped), "en", "it")
    assert len(found) == 1
    assert "lacks the links to https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki" in found[0]
    assert "(1 of 5)" in found[0]


def test_two_dropped_links_are_both_named():
    dropped = ITALIAN.replace("[blips](http://www.github.com/lightning/blips/)", "blips").replace(
        "[BIP](https://github.com/bitcoin/bips/blob/master/bip-0174.mediawiki)", "BIP"
    )
    (found,) = lacks(reading(ORIGINAL), reading(dropped), "en", "it")
    assert "bip-0174" in found and "https://github.com/lightning/blips and" not in found
    assert found.endswith("(2 of 5)") and "lightning/blips" in found


@pytest.mark.parametrize(
    "original, translation",
    [
        ("{filename}../x/en.md", "{filename}../x/it.md"),
        ("{filename}../x/en.md#a-heading", "{filename}../x/it.md#un-titolo"),
        ("https://example.org/en/page/", "https://example.org/it/page"),
        ("https://en.wikipedia.org/wiki/General_strike", "https://it.wikipedia.org/wiki/Sciopero_generale"),
        ("https://example.org/page?lang=en", "https://example.org/page?lang=it"),
        ("https://example.org/docs/guide.en.html", "https://example.org/docs/guide.it.html"),
        ("https://example.org/zh-CN/", "https://example.org/it/"),
    ],
)
def test_localized_destinations_are_the_same_destination(original, translation):
    languages = ("zh" if "zh" in original else "en", "it")
    assert missing_destinations((original,), (translation,), languages) == []


def test_another_page_is_not_the_same_destination():
    assert missing_destinations(("{filename}../x/en.md",), ("{filename}../y/it.md",), ("en", "it")) == [
        "{filename}../x/en.md"
    ]
    assert missing_destinations(("https://example.org/a",), ("https://example.org/b",), ("en", "it"))


def test_dropped_structure_is_named():
    shortened = ITALIAN.replace("- racconta ogni sciopero\n", "").replace("> Un giornale", "Un giornale")
    shortened = shortened.replace("## Perché il giornale", "Perché il giornale")
    found = lacks(reading(ORIGINAL), reading(shortened), "en", "it")
    text = "; ".join(found)
    assert "has 0 of the original's 1 heading" in text
    assert "has 2 of the original's 3 list items" in text
    assert "has 0 of the original's 1 quotation" in text


LONG_EN = " ".join(["The workers of the port held the line for nine days against the company."] * 12)
LONG_ZH = "港口工人顶住了公司的压力，坚持了九天。" * 12
LONG_JA = "港の労働者たちは会社に対して九日間持ちこたえた。" * 12


@pytest.mark.parametrize("lang, text", [("zh", LONG_ZH), ("ja", LONG_JA)])
def test_a_cjk_translation_of_normal_length_is_not_short(lang, text):
    assert lacks(reading(LONG_EN), reading(text), "en", lang) == []


def test_a_cjk_translation_of_half_the_text_is_short():
    found = lacks(reading(LONG_EN), reading(LONG_ZH[: len(LONG_ZH) // 3]), "en", "zh")
    assert any("of the length usual for a zh translation" in reason for reason in found)
    # the paragraph translated in part is named too
    assert any("paragraph 1 of 1, which begins 'The workers of the port" in reason for reason in found)


def test_a_truncated_translation_is_short():
    italian = " ".join(["I lavoratori del porto hanno resistito nove giorni contro la compagnia."] * 4)
    found = lacks(reading(LONG_EN), reading(italian), "en", "it")
    assert any("of the length usual" in reason for reason in found)


def test_code_is_not_text():
    original = "Run it:\n\n```\n" + "x = 1\n" * 200 + "```\n\nThat is all there is to do here.\n"
    translation = "Eseguilo:\n\n```\n" + "x = 1\n" * 200 + "```\n\nÈ tutto quello che c'è da fare.\n"
    assert lacks(reading(original), reading(translation), "en", "it") == []


def test_a_verbatim_copy_is_untranslated():
    found = untranslated(
        reading(ORIGINAL), reading(ORIGINAL), "Why the paper", "Why the paper", set(), "en", "it"
    )
    assert "its body is still the original's text" in found
    assert any("title" in reason for reason in found)


def test_a_half_translated_body_is_untranslated():
    paragraphs = [f"Paragraph {n} says something about the strike and the port workers." for n in range(8)]
    half = paragraphs[:4] + [
        f"Il paragrafo {n} dice qualcosa sullo sciopero e i portuali." for n in range(4, 8)
    ]
    (found,) = untranslated(
        reading("\n\n".join(paragraphs)), reading("\n\n".join(half)), "T", "Titolo", set(), "en", "it"
    )
    assert "53% of its body is still the original" in found


def test_a_translation_is_not_untranslated_for_its_names_and_code():
    assert (
        untranslated(reading(ORIGINAL), reading(ITALIAN), "Why the paper", "Perché", set(), "en", "it") == []
    )
    # a title that is only names (words the translated body uses too) may stay as it is
    words = {"bitcoin", "optech"}
    assert (
        untranslated(
            reading(ORIGINAL),
            reading(ITALIAN),
            "Bitcoin Optech #250",
            "Bitcoin Optech #250",
            words,
            "en",
            "it",
        )
        == []
    )
    found = untranslated(
        reading(ORIGINAL), reading(ITALIAN), "Why the paper", "Why the paper", set(), "en", "it"
    )
    assert found == ["its title is the original's title unchanged ('Why the paper')"]


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Paper Ties Branches", True),  # a headline's capitals: the body writes these in lower case
        ("WHY THE PAPER", True),  # shouted
        ("BIP Paper Readers", False),  # holds a name the body writes in capitals
        ("The Party Congress", False),  # the body writes "Congress" within a sentence: a name
        ("Wholly Unknown Words", False),  # words the body never uses: nothing says they are not names
    ],
)
def test_a_title_left_in_headline_capitals_is_untranslated(title, flagged):
    original = reading(ORIGINAL + "\nThe delegates of the Party Congress voted.\n")
    found = untranslated(original, reading(ITALIAN), title, title, set(), "en", "it")
    assert bool(found) is flagged, found


def test_heading_ids_are_stable_unique_and_keep_every_script():
    html = "<h2>Lo sciopero</h2><p>x</p><h2>Lo sciopero</h2><h3>اعتصاب عمومی</h3><h3>总罢工</h3><h2>!!!</h2>"
    ids = [part.split('"')[1] for part in add_heading_ids(html).split(" id=")[1:]]
    assert ids == ["lo-sciopero", "lo-sciopero-2", "اعتصاب-عمومی", "总罢工", "section-5"]
    assert add_heading_ids(html) == add_heading_ids(html)


def test_listing_fragments_keep_no_ids_nor_footnotes():
    html = render_markdown(MARKDOWN, "A summary[^1] with <span id='x'>an id</span>.\n\n[^1]: note\n")
    fragment = listing_fragment(html)
    assert " id=" not in fragment and "footnote" not in fragment and "A summary" in fragment


def test_slugs_keep_letters_of_every_script():
    assert slugify("Sicurezza in rete") == "sicurezza-in-rete"
    assert slugify("اعتصاب‌ها") == "اعتصاب-ها"
    assert slugify("सुरक्षा") == "सुरक्षा"  # vowel signs are kept


# Translations of the corpus that really lack what the message names (checked by hand):
# a link whose reference is defined but never used in the text, an item the original
# gained after the translation was made.
KNOWN_OMISSIONS = {
    "articles/optech-2021-12-22/zh.md",  # the June item condensed: three links to Newsletter #155 gone
    "articles/optech-2022-06-01/hi.md",
    "articles/optech-2022-08-10/de.md",
    "articles/optech-2022-10-19/hi.md",
    "articles/optech-2022-10-19/zh.md",  # half of the item on Bitcoin Core #23549 (block alignment)
    "articles/optech-2024-01-17/zh.md",
    "articles/optech-2024-04-17/zh.md",
    "articles/optech-2024-10-11/cs.md",
    "articles/optech-2025-01-24/zh.md",
    "articles/optech-2025-04-04/de.md",
    "articles/optech-2025-04-04/ja.md",  # defines the link to Newsletter #341 but never uses it
    "articles/optech-2026-01-16/cs.md",
}


def test_real_corpus_false_positive_rate_is_at_most_five_percent():
    import datetime
    import statistics
    from pathlib import Path

    from press.content.tree import scan_tree
    from press.problems import ProblemCollector
    from press.translation.fidelity import english_equivalent
    from press.translation.parity import ParityChecker

    root = Path(__file__).parent / "corpus"
    problems = ProblemCollector()
    tree = scan_tree(str(root), ["en", "zh", "ja", "de", "hi", "cs", "fr"], problems)
    readings = {}

    def render(body):
        return render_markdown(MARKDOWN, body)

    ParityChecker(tree, problems, now=datetime.datetime(2030, 1, 1), render=render).run()
    translations = [v for g in tree.groups.values() for v in g.versions.values() if v.is_translation]
    assert len(translations) >= 60
    flagged = {p.path for p in problems.of_kind("incomplete")}
    false = flagged - KNOWN_OMISSIONS
    assert len(false) / len(translations) <= 0.05, sorted(false)
    # with GitHub Flavored Markdown (the default) none at all; Python-Markdown read a wrapped
    # line of optech-2025-05-09/en.md that starts "#30983]" as a heading, and so found three
    # translations short of one
    assert false == set() and flagged == KNOWN_OMISSIONS
    assert problems.of_kind("untranslated") == []  # human translations, names kept in titles
    # the length table: every pair lands near 1 English-word equivalent per English word
    for group in tree.groups.values():
        original = group.original
        readings[original.path] = reading(original.source.body)
        for version in group.versions.values():
            if version is not original:
                ratio = english_equivalent(reading(version.source.body), version.lang) / english_equivalent(
                    readings[original.path], "en"
                )
                readings[version.path] = ratio
    ratios = [value for value in readings.values() if isinstance(value, float)]
    assert 0.85 <= statistics.median(ratios) <= 1.15
    assert min(ratios) > 0.7
