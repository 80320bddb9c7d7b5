"""The editions sort each order once a run and filter it per edition and section.

Every listing must keep the order a sort of that listing's own entries gives,
ties included (same date, same feature Order, a lapsed placement), and a cached
order handed out must not be one a caller can spoil for the next.
"""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

from press.paper.editions import Editions, Entry, IssueEntry
from press.paper.frontpage import front_page_order, newest_first
from press.translation.parity import Placement

NOW = datetime.datetime(2024, 5, 10, 12, 0)
LANGUAGES = ["en", "it", "sv"]


def entry(key, date, *, category=None, placement=None, editions=LANGUAGES, kind="articles", **extra):
    published = {lang: SimpleNamespace(lang=lang) for lang in editions}
    cls = IssueEntry if kind == "issues" else Entry
    return cls(
        group=SimpleNamespace(kind=kind, key=key),
        date=date,
        category=category,
        tags=[],
        placement=placement or Placement(None, 0, None),
        editions=list(editions),
        published=published,
        **extra,
    )


def tied_articles(seed: int) -> list[Entry]:
    """Articles with many ties: three dates, two sections, features of equal Order, lapsed slots."""
    rng = random.Random(seed)
    dates = [datetime.datetime(2024, 5, day, 9, 0) for day in (1, 2, 3)]
    placements = [
        Placement(None, 0, None),
        Placement("feature", 1, None),
        Placement("feature", 1, None),
        Placement("feature", 2, None),
        Placement("lead", 0, datetime.date(2024, 5, 1)),  # lapsed: ranks by date
        Placement("editorial", 0, datetime.date(2024, 5, 1)),
    ]
    subsets = [LANGUAGES, ["en"], ["it", "sv"], ["sv"], LANGUAGES]
    articles = [
        entry(
            f"k{index:03d}-{rng.choice('abc')}",
            rng.choice(dates),
            category=rng.choice(["politics", "culture", None]),
            placement=rng.choice(placements),
            editions=rng.choice(subsets),
        )
        for index in range(60)
    ]
    articles.append(entry("zz-lead", dates[0], placement=Placement("lead", 0, None)))
    articles.append(entry("no-version", dates[1], editions=[]))  # published nowhere
    articles[-1].editions = list(LANGUAGES)
    articles.sort(key=lambda item: item.key)
    return articles


def editions_of(articles, issues=()) -> Editions:
    return Editions(
        languages=LANGUAGES,
        default_lang="en",
        now=NOW,
        articles=articles,
        pages=[],
        issues=list(issues),
    )


def sorted_alone(editions: Editions, lang: str, category=None):
    """The order a sort of one listing's own entries gives (what each listing did before)."""
    entries = editions.in_edition(editions.articles, lang)
    if category is not None:
        entries = [item for item in entries if item.category == category]
    front = [ranked.item for ranked in front_page_order((e.ranked() for e in entries), NOW.date())]
    chronological = [ranked.item for ranked in newest_first(e.ranked() for e in entries)]
    return front, chronological


def test_every_listing_keeps_the_order_of_sorting_its_own_entries_ties_included():
    for seed in range(5):
        editions = editions_of(tied_articles(seed))
        for lang in LANGUAGES:
            for category in (None, "politics", "culture"):
                front, chronological = sorted_alone(editions, lang, category)
                assert [e.key for e in editions.front_page(lang, category)] == [e.key for e in front]
                if category is None:
                    assert [e.key for e in editions.chronological(lang)] == [e.key for e in chronological]


def test_an_order_handed_out_cannot_be_spoiled_by_its_caller():
    issue = entry("i1", NOW, kind="issues", publication="left", number=1, contents=["k001-a"])
    editions = editions_of(tied_articles(1), [issue])
    first = editions.chronological("en")
    expected = [e.key for e in first]
    first.reverse()
    first.pop()
    assert [e.key for e in editions.chronological("en")] == expected
    front = editions.front_page("it")
    keys = [e.key for e in front]
    front.clear()
    assert [e.key for e in editions.front_page("it")] == keys
    listed = editions.issues_of("en")
    listed.clear()
    assert editions.issues_of("en") == [issue]
    carrying = editions.issues_carrying("k001-a")
    carrying.clear()
    assert editions.issues_carrying("k001-a") == [issue]


def test_issues_carrying_and_article_answer_as_a_search_of_the_lists_does():
    articles = tied_articles(2)
    one, two = articles[1].key, articles[2].key
    day = datetime.datetime(2024, 4, 1)
    issues = [
        entry("i1", day, kind="issues", publication="left", number=2, contents=[one, two, one]),
        entry("i2", day, kind="issues", publication="left", number=1, contents=[one]),
        entry("i3", None, kind="issues", publication="dawn", number=7, contents=[two]),
        entry("i4", day, kind="issues", publication="dawn", number=2, contents=[], editions=["sv"]),
    ]
    editions = editions_of(articles, issues)
    for item in articles:
        expected = sorted(
            (issue for issue in issues if item.key in issue.contents),
            key=lambda issue: (issue.date or datetime.datetime.min, issue.number),
        )
        assert editions.issues_carrying(item.key) == expected
        assert editions.article(item.key) is next(a for a in articles if a.key == item.key)
    assert [i.key for i in editions.issues_carrying(one)] == ["i2", "i1"]
    assert editions.article("nowhere") is None
    for lang in LANGUAGES:
        assert [i.key for i in editions.issues_of(lang)] == [
            i.key
            for i in sorted(
                editions.in_edition(issues, lang),
                key=lambda issue: (issue.publication, -issue.number, issue.key),
            )
        ]
    assert [i.key for i in editions.issues_of("sv", "dawn")] == ["i3", "i4"]
