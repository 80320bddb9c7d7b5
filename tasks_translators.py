"""Translators' tasks for paragraph-level work: ``po-export``, ``po-import`` and ``glossary``.

Registered by tasks.py's import of them; built on tasks_common (this module does not import
tasks.py). Paths the user types are taken relative to the folder invoke was started
from; a mistake ends with one line saying what to do, never a traceback.
"""

from __future__ import annotations

import os

from invoke import Exit

from deploy.tasks_deploy import user_path
from press import safekeeping
from press.settings import build_now
from press.translation import glossary, po
from tasks_common import KINDS, PREPARED_TOO, check_lang, press_project, press_task, shown


def project_and_tree():
    project = press_project()
    tree, _ = project.scan()
    return project, tree


@press_task(name="po-export")
def po_export(c, key, lang, kind="articles"):
    """Write translations/content/LANG/KEY.po: the original's segments, what is translated, what changed."""
    if kind not in KINDS:
        raise Exit(f"error: --kind {kind!r} is not one of {', '.join(KINDS)}", code=2)
    export_po_files(lang, [(kind, key)])


@press_task(name="po-export-all")
def po_export_all(c, lang):
    """Write a PO file for every article, page and issue of LANG (invoke cannot mix KEY LANG with --all)."""
    export_po_files(lang, None)


def export_po_files(lang: str, targets: list[tuple[str, str]] | None) -> None:
    project, tree = project_and_tree()
    check_lang(lang, project.all_languages, PREPARED_TOO)  # a language being prepared is translated too
    terms = glossary.load(project.content, project.all_languages)
    po_root = po.po_root_for(project.content)
    if targets is None:
        targets = [
            (group.kind, group.key)
            for _, group in sorted(tree.groups.items())
            if group.original is not None
            and group.original.lang != lang
            and lang in group.editions(project.all_languages)
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


@press_task(name="po-import")
def po_import(c, file):
    """Write a PO file back into content/KEY/LANG.md; stamp Translation-Of only when it is complete."""
    path = os.path.normpath(user_path(file))
    if os.path.isdir(path):
        raise Exit(
            f"error: {file} is a folder: give the PO file po-export wrote, e.g. "
            "invoke po-import translations/content/LANG/KEY.po",
            code=2,
        )
    project, tree = project_and_tree()
    try:
        result = po.import_po(tree, project.content, path)
    except po.POError as error:
        raise Exit(f"error: {error}", code=1) from None
    except OSError as error:
        raise Exit(f"error: {file} cannot be read ({error.strerror or error})", code=1) from None
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


@press_task(name="glossary")
def glossary_terms(c, lang=None):
    """The paper's fixed terms (content/glossary.toml) and where each is used."""
    project, tree = project_and_tree()
    if lang is not None:
        check_lang(lang, project.all_languages, PREPARED_TOO)  # a language being prepared is translated too
    terms = glossary.load(project.content, project.all_languages)
    if terms is None:
        print(f"there is no {os.path.join(project.content, glossary.FILE_NAME)}: see docs/translators.md")
        return
    print(workflow_glossary_report(tree, terms, [lang] if lang else project.all_languages))
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
