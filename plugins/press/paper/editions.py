"""Editions: what each language's site lists, built from the tree alone.

An entry is one published key.  In every edition the key belongs to it takes
its place, shown in that language's version, or, where there is none yet, in
an available version marked with that version's language (contract §5).  The
site generator, the sitemap and the editors' ``invoke frontpage`` all use this
one model.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from press.content import newsroom
from press.content.intake import draft_key, is_draft
from press.content.terms import Terms, slugify
from press.content.tree import DATED_KINDS, ContentTree, Group, Version, parse_date, split_list
from press.memo import per_instance_cache
from press.paper.frontpage import Ranked, front_page_order, newest_first
from press.translation.parity import Placement, key_clash, parse_issue_number, read_placement


@dataclass
class Entry:
    """A published key with its editorial decisions."""

    group: Group
    date: datetime.datetime | None
    category: str | None
    tags: list[str]
    placement: Placement
    editions: list[str]
    published: dict[str, Version]  # lang -> publishable version
    embargo: datetime.datetime | None = None  # still to come: shown only by a development build
    correction: datetime.datetime | None = None  # when the original was corrected
    image: str | None = None  # the picture's file name in the key's folder (Image)

    @property
    def key(self) -> str:
        return self.group.key

    @property
    def kind(self) -> str:
        return self.group.kind

    def shown_in(self, lang: str, languages: list[str], default_lang: str) -> Version | None:
        """The version readers of ``lang`` see: theirs, else the best available."""
        if lang in self.published:
            return self.published[lang]
        source = self.group.source_of_truth(languages)
        for candidate in (source.lang if source else None, default_lang, *languages):
            if candidate in self.published:
                return self.published[candidate]
        return None

    def ranked(self) -> Ranked[Entry]:
        return Ranked(self, self.key, self.date or datetime.datetime.min, self.placement)

    def slot(self, today: datetime.date) -> str | None:
        """``self.ranked().slot(today)`` without making a Ranked (every card asks)."""
        return self.placement.kind if self.placement.active_on(today) else None


@dataclass
class IssueEntry(Entry):
    publication: str = ""
    number: int = 0
    contents: list[str] = field(default_factory=list)


@dataclass
class Editions:
    """Every published key, and what each language lists."""

    languages: list[str]
    default_lang: str
    now: datetime.datetime
    articles: list[Entry]
    pages: list[Entry]
    issues: list[IssueEntry]

    def in_edition(self, entries: list[Entry], lang: str) -> list[Entry]:
        return [entry for entry in entries if lang in entry.editions and entry.published]

    def front_page(self, lang: str, category: str | None = None) -> list[Entry]:
        """The articles of ``lang``'s front page (or one section's) in order."""
        return [
            entry
            for entry in self._front_page_order(self.now.date())
            if lang in entry.editions and entry.published and (category is None or entry.category == category)
        ]

    def chronological(self, lang: str) -> list[Entry]:
        return list(self._chronological(lang))

    # Both orders are sorts by a key that is total (it ends with the key) and stable: an
    # edition's (or section's) order is the run's order of every article with the others left
    # out.  So each is sorted once a run, not once a listing (a rebuild asks for them per page).

    @per_instance_cache  # cache on the instance: dies with this run
    def _front_page_order(self, today: datetime.date) -> tuple[Entry, ...]:
        ranked = front_page_order((entry.ranked() for entry in self.articles), today)
        return tuple(item.item for item in ranked)

    @per_instance_cache  # cache on the instance: dies with this run
    def _newest_first(self) -> tuple[Entry, ...]:
        return tuple(item.item for item in newest_first(entry.ranked() for entry in self.articles))

    @per_instance_cache  # cache on the instance: dies with this run
    def _chronological(self, lang: str) -> tuple[Entry, ...]:
        return tuple(entry for entry in self._newest_first() if lang in entry.editions and entry.published)

    def issues_of(self, lang: str, publication: str | None = None) -> list[IssueEntry]:
        return list(self._issues_of(lang, publication))

    @per_instance_cache  # every page of an edition asks (has_publications, the masthead)
    def _issues_of(self, lang: str, publication: str | None) -> tuple[IssueEntry, ...]:
        issues = [
            issue
            for issue in self.in_edition(self.issues, lang)
            if publication is None or issue.publication == publication
        ]
        return tuple(sorted(issues, key=lambda issue: (issue.publication, -issue.number, issue.key)))

    def issues_carrying(self, key: str) -> list[IssueEntry]:
        """The issues whose Contents name ``key``, oldest first."""
        return list(self._issues_by_content().get(key, ()))

    @per_instance_cache  # every article's page asks: one pass over the issues a run
    def _issues_by_content(self) -> dict[str, tuple[IssueEntry, ...]]:
        carrying: dict[str, list[IssueEntry]] = {}
        for issue in self.issues:
            for key in dict.fromkeys(issue.contents):
                carrying.setdefault(key, []).append(issue)
        return {
            key: tuple(sorted(issues, key=lambda issue: (issue.date or datetime.datetime.min, issue.number)))
            for key, issues in carrying.items()
        }

    def article(self, key: str) -> Entry | None:
        return self._articles_by_key().get(key)

    @per_instance_cache  # cache on the instance: dies with this run
    def _articles_by_key(self) -> dict[str, Entry]:
        by_key: dict[str, Entry] = {}
        for entry in self.articles:
            by_key.setdefault(entry.key, entry)  # the first, as a search of the list finds
        return by_key

    @per_instance_cache  # every page of an edition asks (its footer links the Corrections page)
    def corrected(self, lang: str) -> list[Entry]:
        """The corrected articles and pages of ``lang``'s edition, the latest correction first."""
        entries = [
            entry
            for entry in self.in_edition(self.articles + self.pages, lang)
            if entry.correction is not None
        ]
        return sorted(entries, key=lambda entry: (entry.correction, entry.key), reverse=True)


def build_editions(
    tree: ContentTree,
    *,
    now: datetime.datetime,
    default_lang: str,
    publishable,
    languages: list[str] | None = None,
    terms: Terms | None = None,
) -> Editions:
    """The editions of a tree; ``publishable(group, version)`` says what can be published.

    ``languages``: the editions to build (default: the tree's); ``terms``: to
    turn the sections and tags an original names into term keys.
    """
    languages = list(languages) if languages is not None else tree.languages
    kinds: dict[str, list] = {"articles": [], "pages": [], "issues": []}
    for group in tree.groups.values():
        published = {lang: version for lang, version in group.versions.items() if publishable(group, version)}
        if not published:
            continue
        source = group.source_of_truth(languages)
        source_lang = source.lang if source else None
        category = (group.editorial("category", languages) or "").strip() or None
        common = {
            "group": group,
            "date": parse_date(group.editorial("date", languages)),
            "category": term_key(terms, "sections", category, source_lang) if category else None,
            "tags": list(
                dict.fromkeys(
                    term_key(terms, "tags", tag, source_lang)
                    for tag in split_list(group.editorial("tags", languages))
                )
            ),
            "placement": read_placement(group, languages),
            "editions": group.editions(languages),
            "published": published,
            "embargo": newsroom.under_embargo(group, languages, now),
            "correction": newsroom.correction_of(group, languages),
            "image": newsroom.image_name(group, languages),
        }
        if group.kind == "issues":
            entry = IssueEntry(
                **common,
                publication=(group.editorial("publication", languages) or "").strip(),
                number=parse_issue_number(group.editorial("number", languages)) or 0,
                contents=split_list(group.editorial("contents", languages)),
            )
        else:
            entry = Entry(**common)
        kinds[group.kind].append(entry)
    for entries in kinds.values():
        entries.sort(key=lambda entry: entry.key)
    return Editions(
        languages=languages,
        default_lang=default_lang,
        now=now,
        articles=kinds["articles"],
        pages=kinds["pages"],
        issues=kinds["issues"],
    )


def term_key(terms: Terms | None, kind: str, written: str, lang: str | None) -> str:
    """The key of the term an original names; an unknown one (reported) by its slug."""
    term = terms.find(kind, written, lang) if terms is not None else None
    return term.key if term is not None else (slugify(written) or written)


def unpublishable_reason(
    tree: ContentTree,
    group: Group,
    version: Version,
    now: datetime.datetime,
    *,
    show_drafts: bool = False,
    show_embargoed: bool = False,
) -> str | None:
    """Why a version is not published (each reason but a draft or an embargo is also a reported problem).

    ``show_embargoed``: a development build shows a key under embargo (marked); a
    publishing build leaves out everything of it until the instant.
    """
    languages = tree.languages
    if not version.title:
        return "it has no title"
    if not show_drafts:
        if draft_key(group, languages):
            return "its key is a draft (Status: draft on the original)"
        if is_draft(version):
            return "this version is a draft (Status: draft)"
    clash = key_clash(tree, group)
    if clash:
        return clash
    if group.kind in DATED_KINDS:
        date = parse_date(group.editorial("date", languages))
        if date is None:
            return "its key has no readable date"
        if date > now:
            return f"it is dated {date:%Y-%m-%d %H:%M}, after now"
    if not show_embargoed:
        embargo = newsroom.embargo_of(group, languages)
        header = group.editorial("embargo", languages)
        if embargo is None and header and header.strip():
            return "its Embargo cannot be read: it is held back until that is corrected"
        if embargo is not None and now < embargo:
            return f"it is under embargo until {embargo:%Y-%m-%d %H:%M} UTC"
    return None


#: The placements a front page has at most one of.
SINGLE_PLACEMENTS = ("lead", "editorial")


@dataclass(frozen=True)
class PlacementConflict:
    """A front-page slot that is not the same in every edition (contract §5)."""

    kind: str  # lead or editorial
    entries: tuple[Entry, ...]  # the articles holding the slot
    editions_without: tuple[str, ...]  # editions that publish articles but have no such slot
    message: str

    @property
    def keys(self) -> set[str]:
        return {entry.key for entry in self.entries}


def placement_conflicts(editions: Editions) -> list[PlacementConflict]:
    """Every lead or editorial that is active twice, or in some editions and not in others.

    An edition that publishes articles and lacks the slot another edition has (because
    the holder's ``Languages`` leaves it out) would show a different front page: that is a
    conflict. A press that places nothing at all has none.
    """
    today = editions.now.date()
    publishing = [lang for lang in editions.languages if editions.in_edition(editions.articles, lang)]
    conflicts = []
    for kind in SINGLE_PLACEMENTS:
        holders = [entry for entry in editions.articles if entry.slot(today) == kind]
        if len(holders) > 1:
            names = ", ".join(f"{entry.kind}/{entry.key}" for entry in holders)
            conflicts.append(
                PlacementConflict(
                    kind,
                    tuple(holders),
                    (),
                    f"{len(holders)} articles are the active {kind} on {today.isoformat()} ({names}); "
                    f"the front page has one {kind}: remove Placement from all but one.",
                )
            )
        if not holders:
            continue
        having = [lang for lang in publishing if any(lang in entry.editions for entry in holders)]
        lacking = [lang for lang in publishing if lang not in having]
        if not lacking:
            continue
        names = ", ".join(f"{entry.kind}/{entry.key}" for entry in holders)
        conflicts.append(
            PlacementConflict(
                kind,
                tuple(holders),
                tuple(lacking),
                f"the active {kind} ({names}) is on the front page of the {', '.join(having)} "
                f"edition(s) but not of the {', '.join(lacking)} edition(s), which publish articles "
                f"and have no {kind} because its Languages header leaves them out; every edition "
                f"shows the same front page: add {', '.join(lacking)} to Languages (or remove the "
                "header), or remove the Placement.",
            )
        )
    return conflicts


def report_edition_placements(editions: Editions, problems) -> None:
    """Report slots some editions lack as ``placement-conflict`` (two holders: see parity)."""
    languages = editions.languages
    for conflict in placement_conflicts(editions):
        if not conflict.editions_without:
            continue  # two active leads or editorials: parity's check_placements reports them
        for entry in conflict.entries:
            version = entry.group.source_of_truth(languages)
            if version is None:
                continue
            problems.add(
                "placement-conflict",
                key=entry.key,
                lang=version.lang,
                path=version.path,
                message=conflict.message,
            )
