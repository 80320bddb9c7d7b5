"""The translation-parity rules (contract §3, §6), applied to the whole tree at once.

Every rule adds problems to the collector and never raises: one build tells
editors and translators everything that is wrong, each with the file and what
to do about it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from press.content import newsroom
from press.content.intake import draft_key
from press.content.metadata import title_problem, unaccepted_date
from press.content.terms import TERMS_FILE, Terms, check_terms
from press.content.tree import (
    DATED_KINDS,
    EDITORIAL_HEADERS,
    ContentTree,
    Group,
    Version,
    parse_date,
    repeated_items,
    split_list,
)
from press.problems import ProblemCollector
from press.translation import fidelity

PLACEMENTS = ("lead", "editorial", "feature")
PERSON_HEADERS = ("author", "authors")
# Folders of every edition that the site's own pages use: a key may not take them.
RESERVED_KEYS = ("archive", "issues", "page", "publications", "search", "section", "tag")


@dataclass(frozen=True)
class Placement:
    """An original's front-page placement, as written."""

    kind: str | None
    order: int
    until: datetime.date | None

    def active_on(self, day: datetime.date) -> bool:
        return self.kind is not None and (self.until is None or day <= self.until)


def read_placement(group: Group, languages: list[str]) -> Placement:
    """The placement of a key, with unreadable parts left out (they are reported)."""
    kind = (group.editorial("placement", languages) or "").strip().lower() or None
    if kind not in PLACEMENTS:
        kind = None
    try:
        order = int((group.editorial("order", languages) or "0").strip())
    except ValueError:
        order = 0
    until_date = parse_date(group.editorial("until", languages))
    return Placement(kind, order, until_date.date() if until_date else None)


def version_state(group: Group, lang: str) -> str:
    """What a translator sees in a cell: original, ok, stale, orphan, missing, invalid, conflict."""
    version = group.versions.get(lang)
    if version is None:
        return "missing"
    if not version.is_translation:
        return "original"
    recorded = version.translated_from()
    if recorded is None:
        return "invalid"
    if recorded[0] not in group.versions:
        return "orphan"
    original = group.original
    if original is None:
        return "conflict"  # several originals (or none): nothing to be in step with
    if recorded != (original.lang, original.revision):
        return "stale"
    return "ok"


class ParityChecker:
    """Applies every content rule to a tree; results go to a ProblemCollector."""

    def __init__(
        self,
        tree: ContentTree,
        problems: ProblemCollector,
        *,
        now: datetime.datetime,
        publications: dict[str, dict[str, str]] | None = None,
        render: Callable[[str], str] | None = None,
        preparing: list[str] | tuple[str, ...] = (),
        terms: Terms | None = None,
        published: list[str] | None = None,
        correction_grace: int = 2,
    ) -> None:
        self.tree = tree
        self.problems = problems
        self.languages = tree.languages
        self.now = now
        self.publications = (
            {key: term.names for key, term in terms.publications.items()}
            if terms is not None
            else publications
        )
        self.render = render
        self.preparing = tuple(preparing)
        self.terms = terms
        # the languages whose editions this build publishes (terms need a name in each)
        self.published = list(published) if published is not None else list(self.languages)
        self.correction_grace = correction_grace  # days (PRESS_CORRECTION_GRACE)

    def run(self) -> None:
        """Every rule; the reader's comparison too when a renderer was given (else see check_fidelity)."""
        for group in self.tree.groups.values():
            self.check_group(group)
            self.check_key(group)
        self.check_placements()
        self.check_issues()
        if self.terms is not None:
            self.check_terms()
        if self.render is not None:
            self.check_fidelity(self.render)

    def check_fidelity(self, render: Callable[[str], str], groups: Iterable[Group] | None = None) -> None:
        """``incomplete`` and ``untranslated``: each translation's rendered body against its original's
        (in ``groups``, default every key of the tree)."""
        readings: dict[str, fidelity.Reading] = {}

        def reading(version: Version) -> fidelity.Reading:
            found = readings.get(version.path)
            if found is None:
                found = readings[version.path] = fidelity.read_html(render(version.source.body))
            return found

        for group in self.tree.groups.values() if groups is None else groups:
            original = group.original
            if original is None:
                continue
            for version in group.versions.values():
                recorded = version.translated_from() if version.is_translation else None
                if recorded is None or recorded[0] != original.lang:
                    continue
                if newsroom.correction_grace(group, version, self.languages, self.now, self.correction_grace):
                    continue  # it lags behind a correction by design: its notice says so
                self.compare_with_original(original, version, reading(original), reading(version), render)

    # -- helpers -------------------------------------------------------------

    def add(self, kind: str, version: Version, message: str) -> None:
        self.problems.add(kind, key=version.key, lang=version.lang, path=version.path, message=message)

    def add_to_each(self, kind: str, versions: list[Version], message: str) -> None:
        """One problem per file that takes part in a clash, each naming all of them."""
        for version in versions:
            self.add(kind, version, message)

    # -- per key -------------------------------------------------------------

    def check_group(self, group: Group) -> None:
        for version in group.versions.values():
            self.check_headers(version)
        if len(group.originals) > 1:
            langs = ", ".join(v.path for v in group.originals)
            self.add_to_each(
                "multiple-originals",
                group.originals,
                f"{len(group.originals)} versions of '{group.key}' have no Translation-Of "
                f"header ({langs}); keep exactly one original and add "
                "'Translation-Of: <lang>@<revision>' to the others "
                f"({_stamp_hints(group)} writes it).",
            )
        self.check_original(group)
        for version in group.versions.values():
            if version.is_translation:
                self.check_translation(group, version)
        self.check_has_original(group)
        if draft_key(group, self.languages):
            return  # a draft is not published yet: its editions need nothing so far
        for lang in group.editions(self.languages):
            if lang not in group.versions and lang not in self.preparing:
                self.report_missing(group, lang)  # a language being prepared has gaps by design

    def check_has_original(self, group: Group) -> None:
        """Every version says Translation-Of and each names an existing version: a cycle."""
        if group.originals:
            return
        recorded = [version.translated_from() for version in group.versions.values()]
        if any(entry is None or entry[0] not in group.versions for entry in recorded):
            return  # reported as orphan or unreadable already
        self.add_to_each(
            "invalid-metadata",
            list(group.versions.values()),
            f"no version of '{group.key}' is its original: every one has a Translation-Of "
            "header. Remove Translation-Of from the version that was written first.",
        )

    def check_key(self, group: Group) -> None:
        """Articles and pages share each edition's folder: their keys must not collide."""
        clash = key_clash(self.tree, group)
        if clash:
            self.add_to_each(
                "invalid-metadata",
                list(group.versions.values()),
                f"the key '{group.key}' cannot be used here: {clash}. Rename the folder "
                f"{group.kind}/{group.key}/ (e.g. to {group.key}-{group.kind[:-1]}).",
            )

    def report_missing(self, group: Group, lang: str) -> None:
        source = group.source_of_truth(self.languages)
        origin = f" from {source.path}" if source else ""
        path = f"{group.kind}/{group.key}/{lang}.md"
        self.problems.add(
            "missing",
            key=group.key,
            lang=lang,
            path=path,
            message=(
                f"'{group.key}' has no {lang} version, but the {lang} edition needs one: "
                f"translate it{origin} into {path} (invoke translate {group.key} {lang}"
                f"{_kind_option(group.kind)} starts the file for you), or narrow the original's "
                "Languages header."
            ),
        )

    def check_headers(self, version: Version) -> None:
        source = version.source
        for line, message in source.errors:
            self.add(
                "invalid-metadata",
                version,
                f"{message}. Headers are 'Key: value' lines followed by one blank line; "
                f"fix line {line} or put a blank line before the body.",
            )
        for name, line in source.duplicates:
            self.add(
                "invalid-metadata",
                version,
                f"the header {name.title()} is written twice (again on line {line}): keep one.",
            )
        title_header = source.headers.get("title")
        missing_title = title_problem(version.title, title_header.line if title_header else None)
        if missing_title:
            self.add("invalid-metadata", version, missing_title)
        for name in PERSON_HEADERS:
            header = source.headers.get(name)
            if header:
                self.add(
                    "invalid-metadata",
                    version,
                    f"line {header.line}: the press is anonymous, so no version may name a "
                    f"person: remove the {name.title()} header.",
                )
        lang_header = source.headers.get("lang")
        if lang_header and lang_header.value.strip() != version.lang:
            self.add(
                "invalid-metadata",
                version,
                f"line {lang_header.line}: Lang says {lang_header.value.strip()!r} but the file "
                f"name says {version.lang!r}; the file name decides: remove the Lang header or "
                f"rename the file.",
            )
        if version.is_translation and version.translated_from() is None:
            header = source.headers["translation-of"]
            self.add(
                "invalid-metadata",
                version,
                f"line {header.line}: Translation-Of {header.value!r} is not "
                "'<lang>@<12-hex revision>': write e.g. 'Translation-Of: en@0123456789ab' "
                f"(invoke stamp {version.key} {version.lang}"
                f"{_kind_option(version.path.split('/')[0])} writes it).",
            )

    def check_original(self, group: Group) -> None:
        source = group.source_of_truth(self.languages)
        if source is None:
            return
        headers = source.source.headers
        date_header = headers.get("date")
        if group.kind in DATED_KINDS:
            if date_header is None:
                self.add(
                    "invalid-metadata",
                    source,
                    "the Date header is missing: add 'Date: YYYY-MM-DD' (or 'YYYY-MM-DD HH:MM'). "
                    "Until then no version of this key is published.",
                )
            elif parse_date(date_header.value) is None:
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {date_header.line}: Date {date_header.value!r} "
                    f"{unaccepted_date(date_header.value)}; it is never guessed. Until then no "
                    "version of this key is published.",
                )
        # An optional header written empty (as `invoke new` writes them) is not set.
        placement = headers.get("placement")
        if placement and placement.value.strip() and placement.value.strip().lower() not in PLACEMENTS:
            self.add(
                "invalid-metadata",
                source,
                f"line {placement.line}: Placement {placement.value!r} is unknown: use one of "
                f"{', '.join(PLACEMENTS)}, or remove the header.",
            )
        order = headers.get("order")
        if order and order.value.strip():
            try:
                int(order.value.strip())
            except ValueError:
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {order.line}: Order {order.value!r} is not a whole number: write e.g. 'Order: 2'.",
                )
        until = headers.get("until")
        if until and until.value.strip() and parse_date(until.value) is None:
            self.add(
                "invalid-metadata",
                source,
                f"line {until.line}: Until {until.value!r} {unaccepted_date(until.value)}; "
                "the placement lapses after that day.",
            )
        languages = headers.get("languages")
        if languages and languages.value.strip():
            named = split_list(languages.value)
            unknown = [lang for lang in named if lang not in self.languages]
            spaced = languages.value.split()
            if unknown and len(spaced) > 1 and all(lang.strip(",") in self.languages for lang in spaced):
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {languages.line}: Languages {languages.value.strip()!r} is read as one "
                    "language code, which is not in LANGUAGES: separate the languages with commas "
                    f"(Languages: {', '.join(lang.strip(',') for lang in spaced)}).",
                )
            elif unknown or not named:
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {languages.line}: Languages names {', '.join(unknown) or 'nothing'}, "
                    f"which is not in LANGUAGES {self.languages!r}: list only published "
                    "languages, or remove the header to publish in all of them.",
                )
        attachments = self.tree.attachments.get((group.kind, group.key), [])
        for found in newsroom.check_original(group, source, attachments):
            self.add(found.kind, source, found.message)

    def check_translation(self, group: Group, version: Version) -> None:
        recorded = version.translated_from()
        if recorded is None:
            return  # reported by check_headers
        from_lang, revision = recorded
        if from_lang not in group.versions:
            fix = (
                f"write the language code in lower case: Translation-Of: {from_lang.lower()}@{revision}"
                if from_lang.lower() in group.versions
                else "point Translation-Of at the original's language and revision, or restore "
                f"{group.kind}/{group.key}/{from_lang}.md"
            )
            self.add(
                "orphan",
                version,
                f"Translation-Of names {from_lang!r}, but '{group.key}' has no {from_lang} version: {fix}.",
            )
            return
        original = group.original
        if original is None:
            return  # multiple originals, or none: reported elsewhere
        if from_lang != original.lang:
            self.add(
                "stale",
                version,
                f"Translation-Of names {from_lang!r}, but the original of '{group.key}' is "
                f"{original.path}: translate from the original and record "
                f"'Translation-Of: {original.lang}@{original.revision}'.",
            )
        elif revision != original.revision and not newsroom.correction_grace(
            group, version, self.languages, self.now, self.correction_grace
        ):
            self.add(
                "stale",
                version,
                f"the original {original.path} has changed since this translation was made "
                f"(translated from revision {revision}, the original is now at "
                f"{original.revision}): bring the translation up to date (invoke status --diff "
                f"{group.key} --lang {version.lang}{_kind_option(group.kind)} shows what changed), then run "
                f"invoke stamp {group.key} {version.lang}{_kind_option(group.kind)}.",
            )
        self.check_inherited_headers(original, version)
        in_step = (from_lang, revision) == (original.lang, original.revision)
        for found in newsroom.check_translation(original, version, in_step):
            self.add(found.kind, version, found.message)

    def check_inherited_headers(self, original: Version, version: Version) -> None:
        for name in EDITORIAL_HEADERS:
            header = version.source.headers.get(name)
            if header is None:
                continue
            theirs = original.source.headers.get(name)
            if theirs is not None and same_value(name, theirs.value, header.value):
                continue
            if theirs is not None and self.same_terms(
                name, theirs.value, original.lang, header.value, version.lang
            ):
                continue  # the same section or tags, named in the translation's language
            stated = f"{theirs.value!r}" if theirs else "nothing"
            self.add(
                "mismatch",
                version,
                f"line {header.line}: {name.title()} is {header.value!r} here but the original "
                f"{original.path} says {stated}; editorial headers belong to the original: "
                f"remove {name.title()} from this translation.",
            )

    def same_terms(self, name: str, first: str, first_lang: str, second: str, second_lang: str) -> bool:
        """Whether a Category or Tags header names the same terms as the original's, in any language."""
        kind = {"category": "sections", "tags": "tags"}.get(name)
        if kind is None or self.terms is None:
            return False
        firsts = split_list(first) if kind == "tags" else [first]
        seconds = split_list(second) if kind == "tags" else [second]
        mine = [self.terms.find(kind, written, first_lang) for written in firsts]
        yours = [self.terms.find(kind, written, second_lang) for written in seconds]
        if None in mine or None in yours:
            return False
        return sorted(term.key for term in mine) == sorted(term.key for term in yours)

    def compare_with_original(
        self,
        original: Version,
        version: Version,
        theirs: fidelity.Reading,
        mine: fidelity.Reading,
        render: Callable[[str], str],
    ) -> None:
        words = None
        if version.title.casefold() == original.title.casefold():
            words = fidelity.text_words(render(version.source.body))
        copied = fidelity.untranslated(
            theirs, mine, original.title, version.title, words or set(), original.lang, version.lang
        )
        if copied:
            self.add(
                "untranslated",
                version,
                f"compared with {original.path}: {'; '.join(copied)}. Translate it into "
                f"{version.lang} (names, numbers, code and URLs may stay as they are).",
            )
            if any("body" in reason for reason in copied):
                return  # a copy lacks nothing: saying so would only repeat it
        lacking = fidelity.lacks(theirs, mine, original.lang, version.lang)
        if lacking:
            self.add(
                "incomplete",
                version,
                f"compared with {original.path}, as a reader sees it: {'; '.join(lacking)}. "
                "Add what is missing from the original to this translation.",
            )

    # -- terms (contract §3) ---------------------------------------------------

    def check_terms(self) -> None:
        terms = self.terms
        for kind, _table, key, lang, message in terms.errors:
            self.problems.add(kind, key=key, lang=lang, path=TERMS_FILE, message=message)
        for kind, key, lang, message in check_terms(terms, self.published):
            self.problems.add(kind, key=key, lang=lang, path=TERMS_FILE, message=message)
        for group in self.tree.groups.values():
            source = group.source_of_truth(self.languages)
            if source is None:
                continue
            category = source.source.headers.get("category")
            if category and category.value.strip():
                self.check_term_named(source, "sections", category.line, "Category", category.value.strip())
            tags = source.source.headers.get("tags")
            for tag in split_list(tags.value if tags else None):
                self.check_term_named(source, "tags", tags.line, "Tags", tag)

    def check_term_named(self, source: Version, kind: str, line: int, header: str, written: str) -> None:
        if self.terms.find(kind, written, source.lang) is not None:
            return
        known = ", ".join(list(self.terms.of(kind))[:12]) or "none yet"
        self.add(
            "invalid-metadata",
            source,
            f"line {line}: {header} names {written!r}, which {TERMS_FILE} does not know "
            f"(its {kind}: {known}): use a key or the {source.lang} name of one of them, or add "
            f'[{kind}.<key>] with a name per language (e.g. {source.lang} = "{written}") to {TERMS_FILE}.',
        )

    # -- across keys ---------------------------------------------------------

    def check_placements(self) -> None:
        today = self.now.date()
        active: dict[str, list[Version]] = {"lead": [], "editorial": []}
        for group in self.tree.of_kind("articles"):
            source = group.source_of_truth(self.languages)
            if source is None or draft_key(group, self.languages):
                continue
            date = parse_date(group.editorial("date", self.languages))
            if date is None or date > self.now:
                continue
            placement = read_placement(group, self.languages)
            if placement.kind in active and placement.active_on(today):
                active[placement.kind].append(source)
        for kind, versions in active.items():
            if len(versions) < 2:
                continue
            self.add_to_each(
                "placement-conflict",
                versions,
                f"{len(versions)} articles are the active {kind} on {today.isoformat()} "
                f"({', '.join(v.path for v in versions)}); the front page has one {kind}: remove "
                "Placement from all but one, or give the others an Until date that has passed.",
            )

    def check_issues(self) -> None:
        numbers: dict[tuple[str, int], list[Version]] = {}
        article_keys = {group.key for group in self.tree.of_kind("articles")}
        for group in self.tree.of_kind("issues"):
            source = group.source_of_truth(self.languages)
            if source is None:
                continue
            headers = source.source.headers
            publication = headers.get("publication")
            if publication is None or not publication.value.strip():
                self.add(
                    "invalid-metadata",
                    source,
                    "an issue needs 'Publication: <key>' naming one of the [publications.<key>] of "
                    f"{TERMS_FILE} "
                    f"({', '.join(sorted(self.publications)) or 'none configured'}).",
                )
            elif publication.value.strip() not in self.publications:
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {publication.line}: Publication {publication.value.strip()!r} is not "
                    f"in {TERMS_FILE} ({', '.join(sorted(self.publications)) or 'none configured'}): "
                    "use one of those keys, or add [publications.<key>] with a name per language to "
                    f"{TERMS_FILE}.",
                )
            number = headers.get("number")
            number_value = parse_issue_number(number.value if number else None)
            if number_value is None:
                where = f"line {number.line}: Number {number.value!r} is" if number else "Number is"
                self.add(
                    "invalid-metadata",
                    source,
                    f"{where} not a whole number: an issue needs 'Number: <n>', e.g. 'Number: 55'.",
                )
            elif publication is not None:
                numbers.setdefault((publication.value.strip(), number_value), []).append(source)
            contents = headers.get("contents")
            for key in repeated_items(contents.value if contents else None):
                self.add(
                    "invalid-metadata",
                    source,
                    f"line {contents.line}: Contents names {key!r} more than once; an article has one "
                    "place in an issue's table of contents: remove the repeat.",
                )
            for key in split_list(contents.value if contents else None):
                if key not in article_keys:
                    self.add(
                        "invalid-metadata",
                        source,
                        f"line {contents.line}: Contents names {key!r}, but there is no "
                        f"articles/{key}/ folder: correct the key or remove it from Contents.",
                    )
        for (publication, number), versions in sorted(numbers.items()):
            if len(versions) < 2:
                continue
            self.add_to_each(
                "invalid-metadata",
                versions,
                f"{len(versions)} issues are {publication} No. {number} "
                f"({', '.join(v.path for v in versions)}): give each issue its own Number.",
            )


def _stamp_hints(group: Group) -> str:
    """Commands that keep the first original and stamp the others against it."""
    keep, *others = sorted(group.originals, key=lambda v: v.lang)
    kind = _kind_option(group.kind)
    return "; ".join(f"invoke stamp {group.key} {v.lang}{kind} --original {keep.lang}" for v in others)


def _kind_option(kind: str) -> str:
    """What the invoke tasks need to find a page or an issue (articles are the default)."""
    return "" if kind == "articles" else f" --kind {kind}"


def key_clash(tree: ContentTree, group: Group) -> str | None:
    """Why a key cannot be published at <lang>/<key>/, or None."""
    if group.kind == "issues":
        return None
    if group.key in RESERVED_KEYS:
        return f"the site's own {group.key} pages use <lang>/{group.key}/"
    if group.kind == "pages" and tree.group("articles", group.key):
        return f"articles/{group.key}/ is written to the same <lang>/{group.key}/ pages"
    return None


def parse_issue_number(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def same_value(name: str, first: str, second: str) -> bool:
    """Whether two spellings of an editorial header mean the same."""
    if name in ("date", "until", "embargo", "correction"):
        return parse_date(first) == parse_date(second) and parse_date(first) is not None
    if name in ("tags", "languages", "contents"):
        return split_list(first) == split_list(second)
    if name in ("placement", "category"):
        return first.strip().lower() == second.strip().lower()
    if name in ("order", "number"):
        return parse_issue_number(first) == parse_issue_number(second)
    return first.strip() == second.strip()
