"""Translators' tasks for paragraph-level work: ``po-export``, ``po-import`` and ``glossary``.

Imported by tasks.py. Paths the user types are taken relative to the folder invoke was started
from; a mistake ends with one line saying what to do, never a traceback.
"""

from __future__ import annotations

import functools
import os
import sys

from invoke import Exit, task

from deploy.tasks_deploy import INVOKED_FROM, user_path
from press import glossary, po, safekeeping
from press.settings import build_now

KINDS = ("articles", "pages", "issues")


def quiet_on_closed_pipe(function):
    """``invoke glossary | head`` ends quietly when the reader goes away."""

    @functools.wraps(function)
    def run(c, *args, **kwargs):
        try:
            return function(c, *args, **kwargs)
        except BrokenPipeError:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise Exit(code=0) from None

    return run


def shown(path: str | os.PathLike[str]) -> str:
    """A path as the user should read it: tidied (no ``..``), relative to where they stand
    when that is shorter."""
    tidy = os.path.normpath(os.path.join(INVOKED_FROM, path))
    relative = os.path.relpath(tidy, INVOKED_FROM)
    return relative if not relative.startswith(os.pardir + os.sep + os.pardir) else tidy


def project_and_tree():
    from tasks import press_project

    project = press_project()
    tree, _ = project.scan()
    return project, tree


@task(
    name="po-export",
    help={
        "key": "the article's key (its folder name)",
        "lang": "the language to translate into",
        "kind": "articles, pages or issues",
    },
)
def po_export(c, key, lang, kind="articles"):
    """Write translations/content/LANG/KEY.po: the original's segments, what is translated, what changed."""
    if kind not in KINDS:
        raise Exit(f"error: --kind {kind!r} is not one of {', '.join(KINDS)}", code=2)
    export_po_files(lang, [(kind, key)])


@task(name="po-export-all", help={"lang": "the language to translate into"})
def po_export_all(c, lang):
    """Write a PO file for every article, page and issue of LANG (invoke cannot mix KEY LANG with --all)."""
    export_po_files(lang, None)


def export_po_files(lang: str, targets: list[tuple[str, str]] | None) -> None:
    project, tree = project_and_tree()
    if lang not in project.languages:
        raise Exit(f"error: {lang!r} is not in LANGUAGES {project.languages!r} (pelicanconf.py)", code=2)
    terms = glossary.load(project.content, project.languages)
    po_root = po.po_root_for(project.content)
    if targets is None:
        targets = [
            (group.kind, group.key)
            for _, group in sorted(tree.groups.items())
            if group.original is not None
            and group.original.lang != lang
            and lang in group.editions(project.languages)
        ]
    for target_kind, target_key in targets:
        try:
            result = po.export(
                tree, project.content, po_root, target_kind, target_key, lang, glossary=terms, now=build_now()
            )
        except po.POError as error:
            raise Exit(f"error: {error}", code=1) from None
        left = result.entries - result.translated
        print(
            f"wrote {shown(result.path)}: {result.entries} segments, {result.translated} translated, "
            f"{result.fuzzy} fuzzy ({result.from_memory} from the translation memory), {left} to do"
        )


@task(name="po-import", help={"file": "the PO file to write back (e.g. translations/content/it/KEY.po)"})
def po_import(c, file):
    """Write a PO file back into content/KEY/LANG.md; stamp Translation-Of only when it is complete."""
    project, tree = project_and_tree()
    try:
        result = po.import_po(tree, project.content, os.path.normpath(user_path(file)))
    except po.POError as error:
        raise Exit(f"error: {error}", code=1) from None
    if result.kept:
        print(safekeeping.kept_line(shown(result.path), shown(result.kept)))
    if result.stamped:
        print(f"wrote {shown(result.path)}: all {result.entries} segments translated; Translation-Of stamped")
    else:
        print(
            f"wrote {shown(result.path)}: {result.remaining} of {result.entries} segments still "
            "untranslated or fuzzy; Translation-Of keeps its old revision (the translation stays "
            "stale) until none is left"
        )


@task(name="glossary", help={"lang": "only this language's phrases and uses"})
@quiet_on_closed_pipe
def glossary_terms(c, lang=None):
    """The paper's fixed terms (content/glossary.toml) and where each is used."""
    project, tree = project_and_tree()
    if lang is not None and lang not in project.languages:
        raise Exit(f"error: {lang!r} is not in LANGUAGES {project.languages!r} (pelicanconf.py)", code=2)
    terms = glossary.load(project.content, project.languages)
    if terms is None:
        print(f"there is no {os.path.join(project.content, glossary.FILE_NAME)}: see docs/translators.md")
        return
    print(workflow_glossary_report(tree, terms, [lang] if lang else project.languages))
    for entry, message in terms.errors:
        print(f"error: {glossary.FILE_NAME} [{entry}]: {message}")
    if terms.errors:
        raise Exit(code=1)


def workflow_glossary_report(tree, terms, languages) -> str:
    lines = []
    for term in terms.terms.values():
        lines.append(f"{term.key}")
        for lang in languages:
            phrases = term.phrases.get(lang)
            if not phrases:
                lines.append(f"  {lang}: (no phrase yet)")
                continue
            uses = [
                version.path
                for version in tree.versions()
                if version.lang == lang and term.found_in(lang, glossary.version_text(version))
            ]
            lines.append(f"  {lang}: {' / '.join(phrases)}")
            lines.extend(f"      {path}" for path in uses)
            if not uses:
                lines.append("      (not used)")
    return "\n".join(lines)
