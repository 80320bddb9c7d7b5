"""Importing an existing site and starting a new paper: ``import-*`` and ``init``.

Imported by tasks.py. The work is done by ``press.importers`` (docs/importing.md); a task
only takes the paths the user typed relative to where they stand, prints the report, and
ends a refusal with one line, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

from invoke import Exit, task

from deploy.tasks_deploy import user_path
from press.importers import ImportRefused, run_import

PROJECT = Path(__file__).resolve().parent


def quiet_on_closed_pipe(function):
    """``invoke import-hugo … | head`` ends quietly when the reader goes away."""

    @functools.wraps(function)
    def run(c, *args, **kwargs):
        try:
            return function(c, *args, **kwargs)
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise Exit(code=0) from None

    return run


def run_and_print(kind: str, source: str, target: str, **options) -> None:
    if not source or not target:
        raise Exit(f"error: give the source and the target: invoke import-{kind} SOURCE TARGET", code=2)
    source_path, target_path = user_path(source), user_path(target)
    if not source_path.exists():
        raise Exit(f"error: {source} does not exist", code=1)
    try:
        report = run_import(kind, str(source_path), str(target_path), shown=source, **options)
    except ImportRefused as refusal:
        raise Exit(f"error: {refusal}", code=1) from None
    for line in report.lines():
        print(line)
    default = report.languages[0] if report.languages else "en"
    print(
        f"Build it with: pelican {target} -s pelicanconf.py -o OUTPUT "
        f"-e 'LANGUAGES={_json(report.languages)}' 'DEFAULT_LANG=\"{default}\"'"
    )


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@task(
    name="import-wordpress",
    help={
        "file": "the WordPress export (Tools > Export, a WXR .xml file)",
        "target": "a new or empty folder that becomes the content folder",
        "uploads": "WordPress's wp-content/uploads folder, to copy the attachments posts use",
    },
)
@quiet_on_closed_pipe
def import_wordpress(c, file, target, uploads=None):
    """Import a WordPress export (posts, pages, WPML/Polylang translations, terms) into TARGET."""
    run_and_print("wordpress", file, target, uploads=str(user_path(uploads)) if uploads else None)


@task(name="import-hugo", help={"dir": "the Hugo site's folder", "target": "a new or empty folder"})
@quiet_on_closed_pipe
def import_hugo(c, dir, target):
    """Import a Hugo site (content/<lang>/…, name.<lang>.md, translationKey) into TARGET."""
    run_and_print("hugo", dir, target)


@task(name="import-jekyll", help={"dir": "the Jekyll site's folder", "target": "a new or empty folder"})
@quiet_on_closed_pipe
def import_jekyll(c, dir, target):
    """Import a Jekyll site (_posts, collections, lang/ref front matter, polyglot) into TARGET."""
    run_and_print("jekyll", dir, target)


@task(
    name="import-pelican",
    help={"dir": "the Pelican project or its content", "target": "a new or empty folder"},
)
@quiet_on_closed_pipe
def import_pelican(c, dir, target):
    """Import a Pelican site made multilingual with i18n_subsites into TARGET."""
    run_and_print("pelican", dir, target)


@task(
    help={
        "folder": "a new or empty folder, outside this project",
        "languages": "the paper's languages, the first its main one, e.g. en,fa",
        "name": "the paper's name",
    }
)
def init(c, folder, languages="en", name="The Paper"):
    """Start a new paper in FOLDER: settings, content (one article, one issue per language), README."""
    from press.importers.skeleton import write_skeleton

    target = user_path(folder).resolve()
    if target == PROJECT or PROJECT in target.parents:
        raise Exit(f"error: {folder} is inside the press project: give a folder of its own", code=1)
    try:
        notes = write_skeleton(
            str(target), [code.strip() for code in languages.split(",")], name, str(PROJECT), sys.executable
        )
    except ImportRefused as refusal:
        raise Exit(f"error: {refusal}", code=1) from None
    print(f"A new paper in {folder}: read {Path(folder) / 'README.md'} for the two build commands.")
    for note in notes:
        print(f"Note: {note}")
