"""The translators' and editors' tools behind ``invoke translate/status/stamp/new/frontpage``.

Everything reads the tree through :mod:`press.content.tree` and judges it with
:mod:`press.translation.parity`, exactly as the build does, so the tools never disagree
with the build about what is stale, missing or incomplete.
"""

from __future__ import annotations

import datetime
import difflib
import html
import json
import os
import re
import shutil
from dataclasses import dataclass, field

from press import safekeeping
from press.content import intake, placeholders
from press.content.headers import parse_source, revision_of
from press.content.terms import read_terms
from press.content.tree import ContentTree, Group, key_from, scan_tree
from press.html.render import markdown_options, render_markdown
from press.paper.editions import Editions, build_editions, placement_conflicts, unpublishable_reason
from press.problems import ProblemCollector
from press.settings import SLUG, build_now
from press.translation import glossary, po
from press.translation.parity import RESERVED_KEYS, ParityChecker, version_state

# Pelican's default MARKDOWN setting, for tools run without the settings file.
DEFAULT_MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
    },
    "output_format": "html5",
}


class WorkflowError(Exception):
    """A request the tools cannot carry out; the message says why and what to do."""


@dataclass
class Project:
    """The content folder and the settings the tools need."""

    content: str
    languages: list[str]
    default_lang: str
    publications: dict | None = None  # unused: publications are in content/terms.toml
    preparing: list[str] = field(default_factory=list)  # PRESS_PREPARING
    markdown: dict | None = None  # Pelican's MARKDOWN setting, to compare what readers see
    markdown_engine: str = "gfm"  # PRESS_MARKDOWN

    @property
    def all_languages(self) -> list[str]:
        return self.languages + [lang for lang in self.preparing if lang not in self.languages]

    # {section-key: {lang: name}}: read through known_sections()
    sections: dict = field(default_factory=dict)

    def scan(self) -> tuple[ContentTree, ProblemCollector]:
        problems = ProblemCollector()
        tree = scan_tree(self.content, self.all_languages, problems)
        options = markdown_options(
            {"PRESS_MARKDOWN": self.markdown_engine, "MARKDOWN": self.markdown or DEFAULT_MARKDOWN}
        )
        ParityChecker(
            tree,
            problems,
            now=build_now(),
            terms=read_terms(self.content),
            render=lambda body: render_markdown(options, body),
            preparing=self.preparing,
        ).run()
        glossary.check_tree(tree, self.content, self.all_languages, problems)
        return tree, problems

    def group(self, tree: ContentTree, key: str, kind: str) -> Group:
        group = tree.group(kind, key)
        if group is None:
            raise WorkflowError(f"there is no {kind}/{key}/ folder in {self.content}")
        return group


# -- translators -----------------------------------------------------------------


def translate(
    project: Project,
    key: str,
    lang: str,
    kind: str = "articles",
    force: bool = False,
    kept: list[str] | None = None,
) -> str:
    """Start ``<kind>/<key>/<lang>.md`` from the original, stamped with its revision.

    Never overwrites an original. With ``force``, an existing translation is started
    again; unless git holds it as it is, a copy is kept beside it first (its path is
    appended to ``kept``).
    """
    if lang not in project.all_languages:
        raise WorkflowError(f"{lang!r} is not in LANGUAGES {project.languages!r} nor in PRESS_PREPARING")
    tree, _ = project.scan()
    group = project.group(tree, key, kind)
    original = group.original
    if original is None:
        raise WorkflowError(
            f"'{key}' has {len(group.originals)} originals; it needs exactly one before it can be translated"
        )
    if original.lang == lang:
        others = [code for code in project.all_languages if code != lang]
        raise WorkflowError(
            f"{original.path} is the original of '{key}', in {lang}: it is never overwritten; "
            f"translate it into another language ({', '.join(others) or 'add one to LANGUAGES'})"
        )
    path = os.path.join(project.content, kind, key, f"{lang}.md")
    refuse_link(path)
    existing = group.versions.get(lang)
    if existing is not None and not existing.is_translation:
        raise WorkflowError(
            f"{path} is an original of '{key}' (it has no Translation-Of): it is never overwritten; "
            f"edit it, or make it a translation with invoke stamp {key} {lang}"
            f"{'' if kind == 'articles' else f' --kind {kind}'} --original {original.lang}"
        )
    if os.path.lexists(path) and not force:
        raise WorkflowError(
            f"{path} exists already: edit it, or start it again with invoke translate {key} {lang}"
            f"{'' if kind == 'articles' else f' --kind {kind}'} --force (a copy of it is kept)"
        )
    # A value continued on further lines keeps its four-space indent, or the header block would end there.
    lines = [f"Title: {continued(original.title)}"]
    for name in ("summary", "share"):
        value = original.source.value(name)
        if value:
            lines.append(f"{name.title()}: {continued(value)}")
    lines.append(f"Translation-Of: {original.lang}@{original.revision}")
    text = "\n".join(lines) + "\n\n" + original.source.body.strip("\n") + "\n"
    copy = safekeeping.keep_copy_if_unsaved(path)
    if copy is not None and kept is not None:
        kept.append(copy)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def continued(value: str) -> str:
    """A header value as written in a file: each further line indented, as a continuation."""
    return "\n    ".join(value.split("\n"))


def refuse_link(path: str) -> None:
    """A version is written as a regular file, never through a symbolic link."""
    refusal = safekeeping.linked_file_refusal(path)
    if refusal:
        raise WorkflowError(refusal)


def stamp(
    project: Project,
    key: str,
    lang: str,
    kind: str = "articles",
    original_lang: str | None = None,
    unchanged: bool = False,
) -> tuple[str, str]:
    """Record that a translation is up to date with the original's current revision.

    ``original_lang`` names the original when a key has several versions without
    ``Translation-Of``: the stamped one becomes a translation of it. A stale
    translation whose text has not changed since the original did is refused
    unless ``unchanged`` (the translator confirms nothing needed changing).
    """
    tree, _ = project.scan()
    group = project.group(tree, key, kind)
    version = group.versions.get(lang)
    kind_option = "" if kind == "articles" else f" --kind {kind}"
    if version is None:
        raise WorkflowError(
            f"there is no {kind}/{key}/{lang}.md to stamp: invoke translate {key} {lang}{kind_option}"
        )
    original = group.original
    if original_lang is not None:
        chosen = group.versions.get(original_lang)
        if chosen is None or chosen.is_translation:
            originals = ", ".join(v.lang for v in group.originals) or "none"
            raise WorkflowError(
                f"{kind}/{key}/{original_lang}.md is not an original of '{key}' (originals: {originals})"
            )
        original = chosen
    if original is None:
        originals = ", ".join(v.lang for v in group.originals) or "none"
        raise WorkflowError(
            f"'{key}' has no single original (originals: {originals}), so there is nothing to stamp "
            f"against: name the one to keep, e.g. invoke stamp {key} {lang}{kind_option} --original "
            f"{next((v.lang for v in group.originals if v.lang != lang), lang)}"
        )
    if version is original:
        raise WorkflowError(f"{version.path} is the original: only translations are stamped")
    recorded = version.translated_from()
    if (
        not unchanged
        and original_lang is None
        and recorded is not None
        and recorded != (original.lang, original.revision)
        and untouched_since(project.content, original, version, recorded[1])
    ):
        raise WorkflowError(
            f"{version.path} has not changed since {original.path} did (it was translated from "
            f"revision {recorded[1]}, now {original.revision}): bring it up to date first (invoke status "
            f"--diff {key} --lang {lang}{kind_option} shows what changed); if nothing needed changing, "
            f"confirm it with invoke stamp {key} {lang}{kind_option} --unchanged"
        )
    path = os.path.join(project.content, version.path)
    refuse_link(path)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    value = f"{original.lang}@{original.revision}"
    header = re.compile(r"^(?P<indent>[ ]{0,3})translation-of:[^\n]*$", re.IGNORECASE | re.MULTILINE)
    header_block_end = text.find("\n\n")
    match = header.search(text, 0, header_block_end if header_block_end >= 0 else len(text))
    if match:
        text = text[: match.start()] + f"{match.group('indent')}Translation-Of: {value}" + text[match.end() :]
    else:
        # after the first header and the lines that continue it (a title on two lines stays whole)
        lines = text.split("\n")
        after = 1
        while after < len(lines) and re.match(r"[ ]{4,}\S", lines[after]):
            after += 1
        text = "\n".join([*lines[:after], f"Translation-Of: {value}", *lines[after:]])
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path, value


def untouched_since(content: str, original, version, revision: str) -> bool:
    """Whether ``version``'s text is the one it had when its original left ``revision``.

    Read from git: the translation (but its Translation-Of) as it was just before the
    commit that changed the original from that revision (HEAD when the change is not
    committed yet), against the translation now. Outside git, or when that revision is
    not in the history, nobody can tell: False.
    """
    original_path = os.path.abspath(os.path.join(content, original.path))
    top = (safekeeping.git(os.path.dirname(original_path), "rev-parse", "--show-toplevel") or "").strip()
    if not top:
        return False
    relative = os.path.relpath(original_path, top)
    commits = (safekeeping.git(top, "log", "--format=%H", "--follow", "--", relative) or "").split()

    def had_revision(commit: str) -> bool:
        text = safekeeping.git(top, "show", f"{commit}:{relative}")
        return text is not None and revision_of(parse_source(text).body) == revision

    index = next((i for i, commit in enumerate(commits) if had_revision(commit)), None)
    if index is None:
        return False
    before_change = f"{commits[index - 1]}^" if index > 0 else "HEAD"
    translation = os.path.relpath(os.path.abspath(os.path.join(content, version.path)), top)
    then = safekeeping.git(top, "show", f"{before_change}:{translation}")
    if then is None:
        return False
    with open(os.path.join(content, version.path), encoding="utf-8", errors="replace") as handle:
        now = handle.read()
    return _without_stamp(then) == _without_stamp(now)


def _without_stamp(text: str) -> str:
    """A version's text without its Translation-Of line, white space at line ends ignored."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept = [line.rstrip() for line in lines if not re.match(r"\s*translation-of\s*:", line, re.IGNORECASE)]
    return "\n".join(kept).strip("\n")


def status(project: Project, only_lang: str | None = None) -> dict:
    """The matrix of keys × languages with per-language completion."""
    tree, problems = project.scan()
    incomplete = {(p.path) for p in problems.of_kind("incomplete")}
    terminology: dict[str, list[str]] = {}
    for problem in problems.of_kind("terminology"):
        terminology.setdefault(problem.path, []).append(problem.message)
    untranslated = {p.path for p in problems.sorted() if p.kind == "untranslated"}
    po_root = po.po_root_for(project.content)
    if only_lang and only_lang not in project.all_languages:
        raise WorkflowError(f"{only_lang!r} is not in LANGUAGES {project.languages!r} nor in PRESS_PREPARING")
    languages = [only_lang] if only_lang else project.all_languages
    rows = []
    totals = {lang: {"required": 0, "done": 0} for lang in languages}
    for (kind, key), group in sorted(tree.groups.items()):
        editions = group.editions(project.all_languages)
        cells = {}
        changed: dict[str, int | None] = {}
        copied: dict[str, int] = {}
        terms: dict[str, list[str]] = {}
        # a draft key is not published yet: nothing of it is missing or to do
        key_is_draft = intake.draft_key(group, project.all_languages)
        for lang in languages:
            if lang not in editions:
                cells[lang] = "n/a"
                continue
            state = version_state(group, lang)
            version = group.versions.get(lang)
            if key_is_draft:
                cells[lang] = "original" if state == "original" else "draft"
                continue
            if state == "ok" and version is not None and version.path in untranslated:
                state = "untranslated"
            elif state == "ok" and version is not None and version.path in incomplete:
                state = "incomplete"
            elif state == "ok" and version is not None and group.original is not None:
                # po-export counts a segment still holding the original's text as to do: so does status
                copied[lang] = po.copied_segments(group.original, version)
                if copied[lang]:
                    state = "untranslated"
                else:
                    del copied[lang]
            if version is not None and version.is_translation and intake.is_draft(version):
                state = "draft"  # held back until approved: to do, not missing
            if state == "stale" and version is not None:
                changed[lang] = po.segments_changed(project.content, po_root, group, version)
            if version is not None and version.path in terminology:
                terms[lang] = terminology[version.path]
            cells[lang] = state
            totals[lang]["required"] += 1
            totals[lang]["done"] += state in ("ok", "original")
        paths = {lang: version.path for lang, version in group.versions.items()}
        rows.append(
            {
                "kind": kind,
                "key": key,
                "states": cells,
                "paths": paths,
                "original": group.original.lang if group.original else None,
                "changed": changed,
                "copied": copied,
                "terminology": terms,
            }
        )
    completion = {
        lang: round(100 * total["done"] / total["required"], 1) if total["required"] else 100.0
        for lang, total in totals.items()
    }
    preparing = [lang for lang in languages if lang in project.preparing]
    return {"languages": languages, "rows": rows, "completion": completion, "preparing": preparing}


def cell_label(row: dict, lang: str) -> str:
    """A cell as the text table shows it: ``stale 3/`` segments changed, ``+term`` problems."""
    label = row["states"][lang]
    changed = row.get("changed", {})
    if lang in changed:
        label += f" ({'?' if changed[lang] is None else changed[lang]} seg)"
    if row.get("copied", {}).get(lang):
        label += f" ({row['copied'][lang]} seg)"
    if row.get("terminology", {}).get(lang):
        label += " +term"
    return label


def format_status(matrix: dict) -> str:
    languages = matrix["languages"]
    preparing = [lang for lang in matrix.get("preparing", [])]
    width = max([len(f"{row['kind'][:-1]}/{row['key']}") for row in matrix["rows"]] + [10])
    cell = max([len(cell_label(row, lang)) + 2 for row in matrix["rows"] for lang in languages] + [11])
    lines = ["".join([f"{'key':<{width}}  ", *(f"{lang:<{cell}}" for lang in languages)])]
    for row in matrix["rows"]:
        name = f"{row['kind'][:-1]}/{row['key']}"
        lines.append(
            "".join([f"{name:<{width}}  ", *(f"{cell_label(row, lang):<{cell}}" for lang in languages)])
        )
    lines.append(
        "".join(
            [
                f"{'complete':<{width}}  ",
                *(f"{str(matrix['completion'][lang]) + '%':<{cell}}" for lang in languages),
            ]
        )
    )
    for lang in preparing:
        lines.append(
            f"{lang} is being prepared (PRESS_PREPARING): {matrix['completion'][lang]}% done; it is built "
            "in development only and never blocks a publish."
        )
    if any(row.get("changed") for row in matrix["rows"]):
        lines.append("stale (n seg): segments of the original changed since the translation")
    if any(row.get("copied") for row in matrix["rows"]):
        lines.append("untranslated (n seg): segments still holding the original's text")
    if any(row.get("changed") or row.get("copied") for row in matrix["rows"]):
        row = next(row for row in matrix["rows"] if row.get("changed") or row.get("copied"))
        lang = next(iter(row.get("changed") or row.get("copied")))
        kind = "" if row["kind"] == "articles" else f" --kind {row['kind']}"
        lines.append(f"export them for a PO editor, e.g. invoke po-export {row['key']} {lang}{kind}")
    if any(row.get("terminology") for row in matrix["rows"]):
        lines.append("+term: the translation drops a glossary term (content/glossary.toml); invoke glossary")
    return "\n".join(lines)


def status_json(matrix: dict) -> str:
    return json.dumps(matrix, ensure_ascii=False, indent=2)


def status_html(project: Project, matrix: dict, folder: str) -> str:
    """A page translators can open or publish internally: per language, what is done and what is left.

    ``folder`` gets ``index.html`` and ``po/<lang>/…po``, a fresh PO file for every translation
    (merged with the working file under translations/content when there is one). Every link is
    relative to the page, so the folder can be copied or served anywhere.
    """
    os.makedirs(folder, exist_ok=True)
    folder = os.path.abspath(folder)
    languages = matrix["languages"]
    content = os.path.abspath(project.content)
    tree, _ = project.scan()
    po_root = po.po_root_for(project.content)
    terms = glossary.load(project.content, project.languages)

    def link(target: str) -> str:
        return html.escape(os.path.relpath(target, folder).replace(os.sep, "/"), quote=True)

    def download(row: dict, lang: str) -> str | None:
        if row["original"] in (None, lang) or row["states"][lang] == "n/a":
            return None
        target = os.path.join(folder, "po", lang, f"{row['kind']}-{row['key']}.po")
        working = po.po_path(po_root, row["kind"], row["key"], lang)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.exists(working):
            shutil.copyfile(working, target)
        elif os.path.exists(target):
            os.unlink(target)
        try:
            po.export(
                tree, project.content, po_root, row["kind"], row["key"], lang, glossary=terms, path=target
            )
        except po.POError:
            return None
        return link(target)

    summary = {
        lang: {"complete": 0, "stale": 0, "changed": 0, "untranslated": 0, "terminology": 0}
        for lang in languages
    }

    def cell(row: dict, lang: str) -> str:
        state = row["states"][lang]
        if state == "n/a":
            return '<td class="na">n/a</td>'
        counts = summary[lang]
        if state in ("ok", "original"):
            counts["complete"] += 1
        elif state == "stale":
            counts["stale"] += 1
            counts["changed"] += row["changed"].get(lang) or 0
        elif state in ("missing", "untranslated"):
            counts["untranslated"] += 1
        path = row["paths"].get(lang) or f"{row['kind']}/{row['key']}/{lang}.md"
        label = html.escape(state)
        if lang in row.get("changed", {}):
            number = row["changed"][lang]
            label += f" <small>({'?' if number is None else number} segments changed)</small>"
        problems = row.get("terminology", {}).get(lang, [])
        counts["terminology"] += len(problems)
        parts = [f'<a href="{link(os.path.join(content, path))}">{label}</a>']
        if problems:
            titles = html.escape(" ".join(problems), quote=True)
            parts.append(f'<span class="term" title="{titles}">{len(problems)} terminology</span>')
        po_link = download(row, lang)
        if po_link:
            parts.append(f'<a class="po" href="{po_link}" download>PO</a>')
        css = state.replace("/", "") + (" has-term" if problems else "")
        return f'<td class="{css}">{" ".join(parts)}</td>'

    head = "".join(f"<th scope='col'>{html.escape(lang)}</th>" for lang in languages)
    body = "\n".join(
        f"<tr><th scope='row'>{html.escape(row['kind'][:-1])}/{html.escape(row['key'])}</th>"
        + "".join(cell(row, lang) for lang in languages)
        + "</tr>"
        for row in matrix["rows"]
    )
    totals = "".join(f"<td>{matrix['completion'][lang]}%</td>" for lang in languages)
    overview = "\n".join(
        f"<tr><th scope='row'>{html.escape(lang)}</th><td>{counts['complete']}</td>"
        f"<td>{counts['stale']} ({counts['changed']} segments changed)</td>"
        f"<td>{counts['untranslated']}</td><td>{counts['terminology']}</td>"
        f"<td>{matrix['completion'][lang]}%</td></tr>"
        for lang, counts in summary.items()
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Translation status</title>
<style>
body {{ font-family: sans-serif; margin: 2rem; }} table {{ border-collapse: collapse; margin-bottom: 2rem; }}
th, td {{ border: 1px solid #999; padding: .3rem .6rem; text-align: start; }}
.ok, .original {{ background: #d8f0d8; }} .stale, .incomplete {{ background: #fbe7b5; }}
.missing, .orphan, .untranslated {{ background: #f6c6c6; }} .na {{ color: #777; }}
.term {{ color: #8a1c1c; font-weight: bold; }} .po {{ margin-inline-start: .4rem; }}
</style></head><body>
<h1>Translation status</h1>
<h2>Per language</h2>
<table><thead><tr><th scope="col">language</th><th scope="col">complete</th>
<th scope="col">stale</th><th scope="col">untranslated</th>
<th scope="col">terminology problems</th><th scope="col">done</th></tr></thead>
<tbody>
{overview}
</tbody></table>
<h2>Per article</h2>
<p>Each cell links to the file; <b>PO</b> downloads the translation as a PO file for Poedit, Weblate,
OmegaT or Lokalize (write it back with <code>invoke po-import FILE</code>).</p>
<table><thead><tr><th scope="col">key</th>{head}</tr></thead>
<tbody>
{body}
</tbody><tfoot><tr><th scope="row">complete</th>{totals}</tr></tfoot></table>
</body></html>
"""
    path = os.path.join(folder, "index.html")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return path


def diff(project: Project, key: str, lang: str, kind: str = "articles") -> str:
    """What changed in the original since the revision a translation was made from."""
    tree, _ = project.scan()
    group = project.group(tree, key, kind)
    version = group.versions.get(lang)
    original = group.original
    if version is None or not version.is_translation:
        raise WorkflowError(f"{kind}/{key}/{lang}.md is not a translation")
    if original is None:
        raise WorkflowError(f"'{key}' has no single original to compare with")
    recorded = version.translated_from()
    if recorded is None:
        raise WorkflowError(f"{version.path} has no readable Translation-Of header")
    if recorded[1] == original.revision:
        return f"{version.path} is up to date with {original.path} (revision {original.revision})."
    old_body = find_revision_in_history(os.path.join(project.content, original.path), recorded[1])
    if old_body is None:
        raise WorkflowError(
            f"revision {recorded[1]} of {original.path} is not in the git history available here "
            "(not a git checkout, a shallow clone, or the text was never committed): compare the "
            "translation with the original by hand, then run "
            f"invoke stamp {key} {lang}{'' if kind == 'articles' else f' --kind {kind}'}"
        )
    return "".join(
        difflib.unified_diff(
            old_body.strip("\n").splitlines(keepends=True),
            original.source.body.strip("\n").splitlines(keepends=True),
            fromfile=f"{original.path}@{recorded[1]}",
            tofile=f"{original.path}@{original.revision}",
        )
    )


def find_revision_in_history(path: str, revision: str) -> str | None:
    """The body of ``path`` at the commit where its revision was ``revision``."""
    text = po.text_in_history(path, revision)
    return parse_source(text).body if text is not None else None


# -- editors -------------------------------------------------------------------------


def known_sections(project: Project) -> dict[str, dict[str, str]]:
    """The sections an article may name: ``{key: {lang: name}}``.

    Read from ``content/terms.toml`` (``[sections.<key>]``), in its order.
    """
    sections = {key: dict(term.names) for key, term in read_terms(project.content).sections.items()}
    return sections or dict(project.sections or {})


def resolve_section(project: Project, section: str, lang: str) -> str:
    """The ``Category`` value for ``section`` (a key or a name in any language).

    Written as the section's name in ``lang`` (its key when it has none there).
    Refuses an unknown section, listing the known ones. A project that defines no
    sections accepts any.
    """
    sections = known_sections(project)
    if not sections:
        return section.strip()
    wanted = section.strip().casefold()
    for key, names in sections.items():
        if wanted == key.casefold() or any(wanted == name.casefold() for name in names.values()):
            return names.get(lang) or key
    listing = ", ".join(
        f"{key} ({names.get(lang) or names.get(project.default_lang) or key})"
        for key, names in sections.items()
    )
    raise WorkflowError(f"there is no section {section!r}: use one of {listing}")


#: The optional editorial headers ``new_article`` writes empty, with what each takes.
OPTIONAL_HEADERS = (
    ("Tags", "terms, comma-separated"),
    ("Placement", "lead, editorial or feature"),
    ("Order", "a whole number, for features (default 0)"),
    ("Until", "YYYY-MM-DD, the day the placement lapses after"),
    ("Languages", "the editions, comma-separated (default: all)"),
    # the contract's other editorial headers of an article (§3), so that every one is there
    ("Image", "the article's picture: a file in its folder, e.g. picture.jpg"),
    ("Embargo", "YYYY-MM-DD HH:MM, before which nothing of the article is published"),
    ("Correction", "YYYY-MM-DD, the day the original was corrected (say what in Correction-Note)"),
)


def new_article(
    project: Project,
    title: str,
    section: str,
    *,
    lang: str | None = None,
    date: datetime.datetime | None = None,
    key: str | None = None,
) -> str:
    """Create ``articles/<key>/<lang>.md`` with every editorial header.

    Required ones are filled in; optional ones (:data:`OPTIONAL_HEADERS`) are
    written with an empty value, which the press reads as "not set": fill one in
    to use it.
    """
    lang = lang or project.default_lang
    if lang not in project.languages:
        raise WorkflowError(f"{lang!r} is not in LANGUAGES {project.languages!r}")
    # A title is one header line: a line break in it would write headers of its own.
    title = " ".join(title.split())
    if not title or intake.has_control_characters(title):
        raise WorkflowError(
            f"{title!r} is not a title: give the article's title as text, e.g. invoke new "
            '"Dockers vote to strike" --section SECTION'
        )
    category = resolve_section(project, section, lang)
    key = key or key_from(title)
    if not SLUG.match(key):
        raise WorkflowError(f"{key!r} is not a valid key: use lower-case letters, digits and hyphens")
    if key in RESERVED_KEYS:
        raise WorkflowError(
            f"the key {key!r} is reserved: the site's own {key} pages use <lang>/{key}/; "
            f"choose another with --key, e.g. --key {key}-{date_or_now(date):%Y}"
        )
    if os.path.exists(os.path.join(project.content, "pages", key)):
        raise WorkflowError(
            f"pages/{key}/ exists already and is written to the same <lang>/{key}/ pages: "
            "choose another title or pass --key"
        )
    folder = os.path.join(project.content, "articles", key)
    if os.path.lexists(folder):
        raise WorkflowError(f"{folder} exists already: choose another title or pass --key")
    date = date or build_now()
    text = "\n".join(
        [
            f"Title: {title}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Category: {category}",
            f"Summary: {title}.",
            f"Share: {title}.",
            *(f"{name}:" for name, _ in OPTIONAL_HEADERS),
            "",
            placeholders.BODY,
            "",
        ]
    )
    os.makedirs(folder)
    path = os.path.join(folder, f"{lang}.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def date_or_now(date: datetime.datetime | None) -> datetime.datetime:
    return date or build_now()


def front_page(project: Project, day: datetime.date | None = None) -> Editions:
    """The editions as they will be at the end of ``day`` (default: now)."""
    tree, _ = project.scan()
    now = datetime.datetime.combine(day, datetime.time(23, 59, 59)) if day is not None else build_now()
    return build_editions(
        tree,
        now=now,
        default_lang=project.default_lang,
        publishable=lambda group, version: unpublishable_reason(tree, group, version, now) is None,
    )


def format_front_page(editions: Editions, lang: str | None = None) -> str:
    languages = [lang] if lang else editions.languages
    lines = []
    reference = languages[0]
    order = editions.front_page(reference)
    lines.append(
        f"Front page on {editions.now:%Y-%m-%d} ({len(order)} articles, same order in every edition):"
    )
    conflicts = placement_conflicts(editions)
    in_conflict = {key for conflict in conflicts for key in conflict.keys}
    for position, entry in enumerate(order, start=1):
        slot = entry.ranked().slot(editions.now.date()) or ""
        shown = entry.shown_in(reference, editions.languages, editions.default_lang)
        title = shown.title if shown else entry.key
        lacking = [code for code in entry.editions if code not in entry.published]
        note = f"  (no version in: {', '.join(lacking)})" if lacking else ""
        mark = "  <- placement-conflict" if entry.key in in_conflict else ""
        lines.append(f"{position:>3}. {slot:<10} {entry.key:<40} {title}{note}{mark}")
    for code in languages[1:]:
        if [e.key for e in editions.front_page(code)] != [e.key for e in order if code in e.editions]:
            lines.append(f"note: the {code} edition lists a different set of articles (Languages headers)")
    lines.extend(f"placement-conflict: {conflict.message}" for conflict in conflicts)
    return "\n".join(lines)
