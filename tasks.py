"""Maintainers', editors' and translators' tasks: ``invoke --list`` shows them all.

Each task is thin: the work is done by the press package (the same code the build uses),
deploy/ (checks and releases) and bench/ (the benchmark).
"""

from __future__ import annotations

import datetime
import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

# invoke puts this folder on sys.path (bench/, deploy/); the press is installed (requirements.txt).
from bench import tasks_bench
from deploy import tasks_deploy
from press import i18n, workflow

PROJECT = Path(__file__).resolve().parent


PELICAN = f"{shlex.quote(sys.executable)} -m pelican"
TEMPLATES = str(PROJECT / "theme" / "templates")
TRANSLATIONS = str(PROJECT / "translations")


def project_settings(settings_file: str = "pelicanconf.py") -> dict:
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))


def press_project(content: str | None = None) -> workflow.Project:
    settings = project_settings()
    return workflow.Project(
        content=content or settings["PATH"],
        languages=list(settings["LANGUAGES"]),
        default_lang=settings["DEFAULT_LANG"],
        preparing=list(settings.get("PRESS_PREPARING") or []),
        markdown=settings.get("MARKDOWN"),
    )


def run_workflow(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except workflow.WorkflowError as error:
        raise Exit(f"error: {error}", code=1) from None


def pelican_command(settings_file: str, output: str, extra: str = "", content: str = "content") -> str:
    return f"{PELICAN} {shlex.quote(content)} -s {settings_file} -o {shlex.quote(output)} {extra}".strip()


# -- building ----------------------------------------------------------------------


@task(help={"output": "output folder", "extra": "more arguments for pelican, e.g. \"-e 'KEY=JSON'\""})
def build(c, output="output", extra=""):
    """Build every language's site into output/ (development settings)."""
    c.run(pelican_command("pelicanconf.py", output, extra), pty=False)


@task(help={"port": "port on 127.0.0.1", "output": "output folder"})
def serve(c, port=8000, output="output"):
    """Preview on http://127.0.0.1:PORT/, rebuilding whenever content or theme change."""
    c.run(f"{pelican_command('pelicanconf.py', output)} --autoreload --listen --bind 127.0.0.1 --port {port}")


@task
def clean(c, output="output"):
    """Remove the output folder and the caches."""
    for folder in (output, "cache"):
        shutil.rmtree(PROJECT / folder, ignore_errors=True)


# -- translators ---------------------------------------------------------------------


@task(help={"kind": "articles, pages or issues", "force": "overwrite an existing file"})
def translate(c, key, lang, kind="articles", force=False):
    """Start KEY's LANG version from the original, stamped with its revision."""
    path = run_workflow(workflow.translate, press_project(), key, lang, kind=kind, force=force)
    print(f"wrote {path}: translate the title, summary, share caption and body")


@task(
    help={
        "lang": "only this language",
        "json": "print JSON",
        "html": "write an HTML status page into this folder",
        "diff": "show what changed in KEY's original since the translation: --diff KEY --lang LANG",
    }
)
def status(c, lang=None, json=False, html=None, diff=None):
    """Translation status: keys × languages (ok / stale / missing / incomplete / untranslated)."""
    project = press_project()
    if diff:
        key, _, diff_lang = diff.partition(":")
        diff_lang = diff_lang or lang
        if not diff_lang:
            raise Exit("error: say which translation: --diff KEY --lang LANG", code=2)
        print(run_workflow(workflow.diff, project, key, diff_lang))
        return
    matrix = run_workflow(workflow.status, project, only_lang=lang)
    if html:
        print(f"wrote {workflow.status_html(project, matrix, html)}")
    print(workflow.status_json(matrix) if json else workflow.format_status(matrix))


@task(help={"kind": "articles, pages or issues"})
def stamp(c, key, lang, kind="articles"):
    """Record that KEY's LANG translation is up to date with its original."""
    path, value = run_workflow(workflow.stamp, press_project(), key, lang, kind=kind)
    print(f"{path}: Translation-Of: {value}")


# -- editors -------------------------------------------------------------------------


@task(help={"section": "the section (Category)", "lang": "language of the original", "key": "folder name"})
def new(c, title, section, lang=None, key=None):
    """Create a new article's folder and original with every header filled in."""
    path = run_workflow(workflow.new_article, press_project(), title, section, lang=lang, key=key)
    print(f"wrote {path}")


@task(help={"date": "the day to show, YYYY-MM-DD (default: today)", "lang": "only this edition"})
def frontpage(c, date=None, lang=None):
    """Print the front page as readers will see it on a day, and what lacks a translation."""
    day = datetime.date.fromisoformat(date) if date else None
    print(workflow.format_front_page(workflow.front_page(press_project(), day), lang))


# -- interface catalogs ---------------------------------------------------------------


@task(name="i18n-extract")
def i18n_extract(c):
    """Extract the theme's messages into translations/messages.pot."""
    print(f"wrote {i18n.extract(TEMPLATES, TRANSLATIONS)}")


@task(name="i18n-init")
def i18n_init(c, lang):
    """Start the catalog of a new language: translations/LANG/LC_MESSAGES/messages.po."""
    print(f"wrote {i18n.init_catalog(TEMPLATES, TRANSLATIONS, lang)}")


@task(name="i18n-update")
def i18n_update(c):
    """Merge new theme messages into every language's catalog."""
    i18n.extract(TEMPLATES, TRANSLATIONS)
    for path in i18n.update_catalogs(TEMPLATES, TRANSLATIONS, project_settings()["LANGUAGES"]):
        print(f"updated {path}")


@task(name="i18n-compile")
def i18n_compile(c):
    """Compile the catalogs to .mo files (the build also compiles them in memory)."""
    for path in i18n.compile_catalogs(TRANSLATIONS, project_settings()["LANGUAGES"]):
        print(f"compiled {path}")


# -- publishing (deploy/) and the benchmark (bench/) ---------------------------------

check = task(tasks_deploy.check)
publish = task(tasks_deploy.publish)
rollback = task(tasks_deploy.rollback)
nginx_conf = task(tasks_deploy.nginx_conf, name="nginx-conf")
bench = task(tasks_bench.bench, help=tasks_bench.BENCH_HELP)

os.chdir(PROJECT)
