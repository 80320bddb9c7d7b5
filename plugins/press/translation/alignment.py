"""One block alignment of an original and its translation (issue 22).

The gate (:mod:`press.translation.fidelity`, on rendered bodies) and the PO export
(:mod:`press.translation.po`, on Markdown segments) both need to know which block of a
translation renders which block of its original.  Both describe their blocks
as :class:`Block` and call :func:`align`; there is no second alignment.

A block is a paragraph, heading, list item, quotation, table row, caption or
footnote, with its length in English-word equivalents (the caller weighs each
language) and its *anchors*: what a translation keeps as it is (numbers, link
destinations, code spans, images, names in Latin script inside another script,
emphasis count, the code block a paragraph leads into), and its number of sentences.  The alignment is a
dynamic-programming search over the two sequences, in reading order, with
these steps and costs:

- one block for one block: the kinds (a heading stays a heading), the length
  against the expected ratio (that of the two whole bodies, within
  RATIO_RANGE), the sentences, and how far their anchors agree;
- one block of the original with nothing (an omission), or of the
  translation with nothing (a translator's note): a fixed price;
- several blocks for one, or one for several (paragraphs joined or split by
  the translator, a list item and the paragraphs an engine put after it): a
  price growing with their number, plus the cost of the whole as one pair;
- two paragraphs for two, the break between them moved (a translator who ends
  the first paragraph with the second's opening sentence, or starts a new
  paragraph at a note): more than the price of an omission, plus the cost of
  the whole as one pair.

Human translations keep the original's blocks almost always, so the blocks
are first paired from both ends for as long as each pair is plausible; the
search runs only over the stretch in between, where something differs.  On a
complete translation that is nothing at all, which keeps the gate cheap.

Pure: no Pelican, no files.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

# Cost of leaving a block of either side without a counterpart.
SKIP = 3.0
# Cost of a join or split, over what the joined blocks cost as one pair
# (up to eight: Python-Markdown ends a list item at a paragraph indented by two spaces, where
# GitHub Flavored Markdown and a translation written otherwise keep them in the item)
JOIN = {k: 1.2 + 1.4 * (k - 2) for k in range(2, 9)}
# Paragraphs are joined and split; list items, headings and table rows rarely are (but a
# list item may take in the paragraphs after it).
JOIN_STRUCTURED = 2.0
JOINABLE = frozenset({"paragraph", "quote", "footnote", "table cell"})
# Cost of two paragraphs for two with the break between them moved, over what the four cost as
# one pair: more than an omission, less than the other way to read it (an omission and a
# translator's addition), so that it is taken only where the two pairs do not fit alone
MOVED_BREAK = 4.0
# How far a block's length may drift from the expected one: the log of the
# ratio is weighed by 1 / (2 * SPREAD**2); SMOOTHING words are added to both
# sides so that short blocks (a heading, a list item of three words) are not
# judged by their length.
SPREAD = 0.2
SMOOTHING = 4.0
ANCHOR_WEIGHT = 1.6
SENTENCE_WEIGHT = 2.0
SENTENCE_CAP = 1.0  # some translators join sentences with commas (Arabic, Persian): a weak signal
HEADING_MISMATCH = 3.0
KIND_MISMATCH = 0.8
# The stretch searched around where the two sides stop agreeing, and the band
# around its diagonal.
MARGIN = 3
BAND = 12
# The expected length ratio is the two bodies', kept within this range: a translator
# who writes more concisely throughout is not judged block by block for it, and a
# translation that lacks much still is.
RATIO_RANGE = (0.8, 1.25)
# A pair taken without searching: as plausible as this, at most.
PLAUSIBLE = 2.0

DIGITS = re.compile(r"\d+")
DIGIT_PAIR = re.compile(r"\d\d")
# The end of a sentence in any script: . ! ? ؟ 。 ！ ？ । ۔ followed by a space or the end.
SENTENCE_END = re.compile(r"[.!?\u061f\u3002\uff01\uff1f\u0964\u06d4](?:\s|$)|[\u3002\uff01\uff1f]")
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'-]+")
# Letters of the scripts other than Latin (Greek and Cyrillic onwards: Hebrew, Arabic, Indic, CJK…)
OTHER_SCRIPT = re.compile(r"[\u0370-\u1dbf\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufeff]")
OTHER_SCRIPT_SHARE = 0.3


@dataclass(frozen=True)
class Block:
    """One block of a body, as the alignment compares it.

    What only a search needs (numbers, sentences, names) is read from the text when first
    asked: a complete translation is aligned from its kinds, lengths and links alone.
    """

    kind: str  # paragraph, heading, list item, quote, table row, caption, footnote; table cell, image
    text: str  # plain text, for quoting
    length: float  # in English-word equivalents (the caller weighs its language)
    kept: frozenset[str] = frozenset()  # link destinations, images, code: what the markup keeps
    emphasis: int = 0  # emphasised spans: the same number is a hint, another number says nothing
    part: int = -1  # the list item it belongs to, when a nested list splits the item's text

    @functools.cached_property
    def anchors(self) -> frozenset[str]:
        """What a translation keeps as it is: the markup's, and the numbers of the text."""
        return self.kept | number_anchors(self.text) if DIGIT_PAIR.search(self.text) else self.kept

    @functools.cached_property
    def sentences(self) -> int:
        """Translators keep most sentences whole: a weak anchor of its own."""
        return max(1, len(SENTENCE_END.findall(self.text)))

    @functools.cached_property
    def latin(self) -> frozenset[str]:
        """In a block written mostly in another script, its words in Latin script: names."""
        text = self.text
        if text.isascii() or len(OTHER_SCRIPT.findall(text)) <= OTHER_SCRIPT_SHARE * len(text):
            return frozenset()
        return latin_words(text)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Its Latin-script words, case-folded (asked of an original's blocks only, when needed)."""
        return latin_words(self.text)


@dataclass
class Alignment:
    """Groups of original block indices with the translation block indices that render them."""

    pairs: list[tuple[tuple[int, ...], tuple[int, ...]]]
    ratio: float = 1.0  # the translation's length per original length it was aligned at

    def unmatched(self) -> list[int]:
        """The original's blocks with no counterpart."""
        return [mine[0] for mine, theirs in self.pairs if mine and not theirs]

    def one_to_one(self) -> dict[int, int]:
        return {mine[0]: theirs[0] for mine, theirs in self.pairs if len(mine) == 1 and len(theirs) == 1}

    def counterpart_before(self, index: int) -> int | None:
        """The last translation block matched to an original block before ``index``."""
        found = None
        for mine, theirs in self.pairs:
            if mine and mine[0] >= index:
                break
            if mine and theirs:
                found = theirs[-1]
        return found


def number_anchors(text: str) -> set[str]:
    """Numbers of two digits or more, in any script's digits, as ASCII (``۲۰۲۴`` is ``2024``)."""
    found = set()
    for run in DIGITS.findall(text):
        if len(run) < 2:
            continue
        if not run.isascii():
            run = "".join(str(unicodedata.digit(char, 0)) for char in run)
        found.add("#" + run.lstrip("0"))
    return found


def latin_words(text: str) -> frozenset[str]:
    """The words of a text written in Latin script, case-folded."""
    return frozenset(word.casefold() for word in LATIN_WORD.findall(text))


def make_block(
    kind: str,
    text: str,
    length: float,
    kept: set[str] | frozenset[str] = frozenset(),
    emphasis: int = 0,
    part: int = -1,
) -> Block:
    return Block(kind, text, length, frozenset(kept), emphasis, part)


# -- costs ----------------------------------------------------------------------------------------


def length_cost(mine: float, theirs: float, ratio: float) -> float:
    drift = math.log((theirs + SMOOTHING) / (mine * ratio + SMOOTHING))
    return drift * drift / (2 * SPREAD * SPREAD)


def anchor_cost(mine: list[Block], theirs: list[Block], emphasis: bool = True) -> float:
    """From ``-ANCHOR_WEIGHT`` (all kept) to ``+ANCHOR_WEIGHT`` (none kept); 0 when neither has any.

    ``emphasis=False`` (a quick look): the markup's anchors only, no numbers, emphasis or names.
    """
    if not emphasis:
        a, b = mine[0].kept, theirs[0].kept
        if not a and not b:
            return 0.0
        shared, total = len(a & b), len(a | b)
        return ANCHOR_WEIGHT * min(1.0, total / 2) * (1 - 2 * shared / total)
    a = frozenset().union(*(b.anchors for b in mine)) if len(mine) > 1 else mine[0].anchors
    b = frozenset().union(*(t.anchors for t in theirs)) if len(theirs) > 1 else theirs[0].anchors
    shared = len(a & b)
    total = len(a | b)
    if emphasis:
        # as the anchor "em:<count>" on each side that has emphasis
        mine_em = sum(m.emphasis for m in mine)
        theirs_em = sum(t.emphasis for t in theirs)
        if mine_em and mine_em == theirs_em:
            shared += 1
            total += 1
        else:
            total += (mine_em > 0) + (theirs_em > 0)
    # names in Latin script kept inside another script: found among the original's words
    names = frozenset().union(*(t.latin for t in theirs)) if len(theirs) > 1 else theirs[0].latin
    if names:
        words = frozenset().union(*(m.words for m in mine)) if len(mine) > 1 else mine[0].words
        if words:
            shared += len(names & words)
            total += len(names)
    if not total:
        return 0.0
    weight = min(1.0, total / 2)
    return ANCHOR_WEIGHT * weight * (1 - 2 * shared / total)


def kind_cost(mine: Block, theirs: Block) -> float:
    if mine.kind == theirs.kind:
        return 0.0
    if mine.kind == "heading" or theirs.kind == "heading":
        return HEADING_MISMATCH
    return KIND_MISMATCH


def sentence_cost(mine: list[Block], theirs: list[Block]) -> float:
    a = sum(b.sentences for b in mine)
    b = sum(t.sentences for t in theirs)
    return min(SENTENCE_WEIGHT * abs(math.log((b + 1) / (a + 1))), SENTENCE_CAP)


def pair_cost(mine: list[Block], theirs: list[Block], ratio: float) -> float:
    length = length_cost(sum(b.length for b in mine), sum(b.length for b in theirs), ratio)
    return kind_cost(mine[0], theirs[0]) + length + anchor_cost(mine, theirs) + sentence_cost(mine, theirs)


def plausible(mine: Block, theirs: Block, ratio: float) -> bool:
    """A pair that needs no search: same kind, length in range, anchors not against it."""
    if mine.kind != theirs.kind:
        return False
    if length_cost(mine.length, theirs.length, ratio) > PLAUSIBLE:
        return False
    # (emphasis moved or dropped is no reason to look further)
    return anchor_cost([mine], [theirs], emphasis=False) <= 0.5


# -- the alignment -------------------------------------------------------------------------------

# (2, 2): two paragraphs whose break the translator moved; neither pair alone fits, the two do
STEPS = ((1, 1), (1, 0), (0, 1), *((k, 1) for k in JOIN), *((1, k) for k in JOIN), (2, 2))


def align(original: list[Block], translation: list[Block], ratio: float | None = None) -> Alignment:
    """Pair the blocks of ``original`` with those of ``translation``.

    Lengths are compared at ``ratio`` (translation per original), by default the
    ratio of the two whole bodies within RATIO_RANGE: a translator who writes
    more concisely throughout is not judged block by block for it.
    """
    n, m = len(original), len(translation)
    if ratio is None:
        mine, theirs = sum(b.length for b in original), sum(b.length for b in translation)
        ratio = min(max(theirs / mine, RATIO_RANGE[0]), RATIO_RANGE[1]) if mine else 1.0
    head = 0
    while head < min(n, m) and plausible(original[head], translation[head], ratio):
        head += 1
    tail = 0
    while tail < min(n, m) - head and plausible(original[n - 1 - tail], translation[m - 1 - tail], ratio):
        tail += 1
    if head == n and head == m:
        return Alignment([((i,), (i,)) for i in range(n)], ratio)
    start = max(0, head - MARGIN)
    tail = max(0, tail - MARGIN)
    pairs = [((i,), (i,)) for i in range(start)]
    pairs += _search(original, translation, start, n - tail, start, m - tail, ratio)
    pairs += [((n - tail + k,), (m - tail + k,)) for k in range(tail)]
    return Alignment(pairs, ratio)


def _search(original, translation, o1, o2, t1, t2, ratio):
    """The cheapest alignment of ``original[o1:o2]`` with ``translation[t1:t2]``, in a band."""
    n, m = o2 - o1, t2 - t1
    if n == 0 or m == 0:
        return [((o1 + i,), ()) for i in range(n)] + [((), (t1 + j,)) for j in range(m)]
    width = BAND + abs(n - m)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = i * m / n
        low = max(0, int(centre - width))
        high = min(m, int(centre + width) + 1)
        row = cost[i]
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                continue
            best, step = inf, None
            for di, dj in STEPS:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                before = cost[pi][pj]
                if before == inf:
                    continue
                if di == 0 or dj == 0:
                    value = before + SKIP
                elif di == 1 and dj == 1:
                    value = before + pair_cost([original[o1 + pi]], [translation[t1 + pj]], ratio)
                else:
                    mine = original[o1 + pi : o1 + i]
                    theirs = translation[t1 + pj : t1 + j]
                    if di > 1 and dj > 1 and any(b.kind not in JOINABLE for b in (*mine, *theirs)):
                        continue  # a moved break is one between paragraphs
                    value = before + (MOVED_BREAK if di > 1 and dj > 1 else JOIN[max(di, dj)]) - ANCHOR_WEIGHT
                    if value >= best:
                        continue
                    # two items or headings made one; an item and the paragraphs that follow it
                    # (indented too little for one engine) are one item to the other
                    group, single = (mine, theirs[0]) if di > 1 else (theirs, mine[0])
                    # (a paragraph is not an item and the paragraph after it: the group begins
                    # with a block of the kind it stands for)
                    if group[0].kind != single.kind or any(b.kind not in JOINABLE for b in group[1:]):
                        value += JOIN_STRUCTURED
                    if value >= best:
                        continue  # cannot be cheaper: the anchors take off ANCHOR_WEIGHT at most
                    value += pair_cost(mine, theirs, ratio) + ANCHOR_WEIGHT
                if value < best:
                    best, step = value, (di, dj)
            row[j] = best
            back[i][j] = step
    pairs = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        if step is None:  # outside the band: cannot happen with the band around the diagonal
            step = (1, 0) if i else (0, 1)
        di, dj = step
        pairs.append((tuple(range(o1 + i - di, o1 + i)), tuple(range(t1 + j - dj, t1 + j))))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs
