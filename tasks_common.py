"""What every invoke task shares: the one table of options, the task class, the project's settings.

tasks.py and tasks_translators.py both build on this module (neither imports the other).
Importing it does no work: no directory change, no hook, no settings read.

Every option of every task is in :data:`OPTIONS`, with its help and its short flag. A short
flag is given only to an option whose meaning is the same in every task that has it, so
``-o`` is always the output, ``-l`` always a language, ``-s`` always a settings file; an
option whose meaning differs between tasks (``--key``: an article's key, or a public key)
has none. ``"TASK.option"`` entries say what an option means in that one task.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from pathlib import Path

from invoke import Exit, Task

from deploy.tasks_deploy import INVOKED_FROM, user_path
from press.settings import LANG_CODE

PROJECT = Path(__file__).resolve().parent
KINDS = ("articles", "pages", "issues")

_ROOT_HELP = "the deploy root holding releases/ and current (default: $PRESS_DEPLOY_ROOT or /srv/press)"

#: option -> (short flag or "", help); "task.option" -> the same for that task only.
OPTIONS: dict[str, tuple[str, str]] = {
    # the same meaning everywhere: a short flag
    "output": ("o", "output folder (default: the project's output/)"),
    "content": ("c", "content folder (default: the project's content/)"),
    "lang": ("l", "the language (a code such as it or pt-BR)"),
    "kind": ("k", "articles (default), pages or issues"),
    "port": ("p", "port on 127.0.0.1 (default 8000)"),
    "root": ("r", _ROOT_HELP),
    "settings": ("s", "settings file (default: the project's publishconf.py)"),
    "siteurl": (
        "u",
        "the site's real address, e.g. https://press.example.org (default: $PRESS_SITEURL, SITEURL)",
    ),
    "force": ("f", "start an existing translation again (a copy of it is kept; an original never is)"),
    "date": ("d", "the day to show, YYYY-MM-DD (default: today)"),
    "json": ("j", "print JSON"),
    "extra": ("", "more arguments for pelican, e.g. \"-e 'KEY=JSON'\""),
    # options without a short flag (rare, or meaning different things in different tasks)
    "key": ("", "the key (its folder name)"),
    "title": ("", "the article's title"),
    "section": ("", "the section (Category): its key or its name in any language"),
    "html": ("", "write an HTML status page into this folder"),
    "diff": ("", "show what changed in KEY's original since the translation: --diff KEY --lang LANG"),
    "original": ("", "when the key has several originals: the language of the one to keep"),
    "unchanged": ("", "the translation needed no change although its original did: stamp it as it is"),
    "file": ("", "the PO file to write back (e.g. translations/content/it/KEY.po)"),
    "keep": ("", "how many releases to keep (default 5; current and previous always stay)"),
    "rsync": ("", "HOST:PATH (or a local folder) to mirror the release to"),
    "to": ("", "the id of the release to go to (invoke releases lists them); default: the previous one"),
    "source": ("", "a copied folder of the site, or a mirror's address (https://…/)"),
    "path": ("", "where to write the private key: a file outside the repository"),
    "fragments": ("", "also check that #fragments of internal links exist"),
    "vnu": ("", "validate the HTML with the Nu checker (--no-vnu skips it; publishing always validates)"),
    "sizes": ("", "comma-separated NxL sizes, e.g. 250x3 (default 250x3,1000x3,4000x3,1000x6)"),
    "runs": ("", "timed runs per configuration and size (default 3, or 1 for the century)"),
    "configs": ("", "comma-separated configurations (default press,pelican,pelican+pagefind,i18n_subsites)"),
    "when_due": (
        "",
        "publish only if an Embargo has ended since the current release (a timer runs this every minute: "
        "docs/deployment.md)",
    ),
    # what an option means in one task
    "bench.century": (
        "",
        "the archive of a century: 20000x6 (or the largest N x 6 the free memory and disk hold), "
        "clean builds with and without search against vanilla Pelican (+ Pagefind), the rebuild and "
        "the publish after one change; hours on 2 cores (BENCHMARKS.md)",
    ),
    "bench.publish": (
        "",
        "also time a first publish and a publish after one change (python -m deploy.release)",
    ),
    "build.output": ("o", "output folder (default: the project's output/)"),
    "clean.output": ("o", "output folder to remove (default: the project's output/)"),
    "check.output": ("o", "the built site folder to check (default: the project's output/)"),
    "check.settings": (
        "s",
        "settings file for SITEURL and LANGUAGES (default: the project's publishconf.py)",
    ),
    "check.siteurl": ("u", "the address the site was built for (default: $PRESS_SITEURL, SITEURL)"),
    "nginx-conf.output": ("o", "where to write the configuration (default: the project's deploy/nginx.conf)"),
    "nginx-conf.root": ("r", "the deploy root nginx serves ROOT/current/ from (default /srv/press)"),
    "nginx-conf.port": ("p", "the port nginx listens on (default 80)"),
    "nginx-conf.settings": (
        "s",
        "settings file for LANGUAGES and DEFAULT_LANG (default: the project's pelicanconf.py)",
    ),
    "verify.settings": (
        "s",
        "settings file for PRESS_SIGNING_PUBLIC_KEY (default: the project's publishconf.py)",
    ),
    "verify.key": (
        "",
        "the press's public key in base64 (default: PRESS_SIGNING_PUBLIC_KEY of the settings)",
    ),
    "translate.key": ("", "the article's key (its folder name)"),
    "translate.lang": ("l", "the language to translate into"),
    "po-export.key": ("", "the article's key (its folder name)"),
    "po-export.lang": ("l", "the language to translate into"),
    "po-export-all.lang": ("l", "the language to translate into"),
    "stamp.lang": ("l", "the translation to stamp"),
    "new.lang": ("l", "language of the original (default: DEFAULT_LANG)"),
    "new.key": ("", "folder name (default: made from the title)"),
    "status.lang": ("l", "only this language (with --diff: the translation to compare)"),
    "status.kind": ("k", "with --diff: articles (default), pages or issues"),
    "frontpage.lang": ("l", "only this edition"),
    "glossary.lang": ("l", "only this language's phrases and uses"),
    "i18n-init.lang": ("l", "the new language's code, e.g. de"),
    "i18n-update.lang": ("l", "only this language's catalog (default: every catalog)"),
    "i18n-compile.lang": ("l", "only this language's catalog (default: every catalog)"),
}


def option(task_name: str, name: str) -> tuple[str, str] | None:
    """(short flag, help) of ``name`` in the task ``task_name``, from :data:`OPTIONS`."""
    return OPTIONS.get(f"{task_name}.{name}") or OPTIONS.get(name)


def _option_names(body) -> list[str]:
    return list(inspect.signature(body).parameters)[1:]  # the first is invoke's context


class PressTask(Task):
    """A task whose options take their help and short flags from :data:`OPTIONS`."""

    def __init__(self, body, name=None, help=None, **kwargs):
        task_name = name or body.__name__.replace("_", "-")
        given = help or {}
        table = {}
        for option_name in _option_names(body):
            found = option(task_name, option_name)
            # the table first; an option it does not know yet keeps the help its task gave it
            text = found[1] if found else given.get(option_name) or given.get(option_name.replace("_", "-"))
            if text:
                table[option_name] = text
        kwargs["help"] = table
        kwargs["auto_shortflags"] = False
        super().__init__(body, name=name, **kwargs)
        self.short_flags = {
            option_name: found[0]
            for option_name in _option_names(body)
            if (found := option(task_name, option_name)) and found[0]
        }

    @classmethod
    def adopt(cls, task: Task) -> Task:
        """Make a task made by invoke's own ``@task`` (another module's) a :class:`PressTask`:
        short flags from the table only, help from the table where it gave none."""
        task.__class__ = cls
        task.auto_shortflags = False
        task.short_flags = {}
        for option_name in _option_names(task.body):
            found = option(task.name, option_name)
            if found:
                task.help.setdefault(option_name, found[1])
                if found[0]:
                    task.short_flags[option_name] = found[0]
        return task

    def get_arguments(self, ignore_unknown_help=None):
        kept = dict(self.help)  # invoke pops each help text it uses: asked twice, it would have none
        try:
            return super().get_arguments(ignore_unknown_help)
        finally:
            self.help = kept

    def arg_opts(self, name, default, taken_names):
        opts = super().arg_opts(name, default, taken_names)
        short = getattr(self, "short_flags", {}).get(name)
        if short and short not in taken_names:
            opts["names"].append(short)
        return opts


def quiet_stdout() -> None:
    """The reader of our output went away (``| head``): send the rest nowhere, silently."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def user_mistakes_end_cleanly(function):
    """Run a task so that a closed pipe (``| head``) ends it quietly."""

    @functools.wraps(function)
    def run(c, *args, **kwargs):
        try:
            return function(c, *args, **kwargs)
        except BrokenPipeError:
            quiet_stdout()
            raise Exit(code=0) from None

    return run


def press_task(*args, **kwargs):
    """``@task`` for the press: :class:`PressTask`, with :func:`user_mistakes_end_cleanly` around the body."""

    def decorate(function):
        return PressTask(user_mistakes_end_cleanly(function), *args, **kwargs)

    return decorate


def shown(path: str | os.PathLike[str]) -> str:
    """A path as the user should read it: tidied (no ``..``), relative to where they stand
    when that is shorter."""
    tidy = os.path.normpath(os.path.join(INVOKED_FROM, path))
    relative = os.path.relpath(tidy, INVOKED_FROM)
    return relative if not relative.startswith(os.pardir + os.sep + os.pardir) else tidy


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise Exit(f"error: --kind {kind!r} is not one of {', '.join(KINDS)}", code=2)
    return kind


def project_settings(settings_file: str = "pelicanconf.py") -> dict:
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))


def press_project(content: str | None = None):
    """The press's view of the project (its content folder, or ``content``) for the tools."""
    from press import workflow

    settings = project_settings()
    return workflow.Project(
        content=str(user_path(content)) if content else settings["PATH"],
        languages=list(settings["LANGUAGES"]),
        default_lang=settings["DEFAULT_LANG"],
        preparing=list(settings.get("PRESS_PREPARING") or []),
        markdown=settings.get("MARKDOWN"),
        markdown_engine=settings.get("PRESS_MARKDOWN") or "gfm",
    )


# The settings that name a language translators work in: a language being prepared is translated too
PREPARED_TOO = "LANGUAGES or PRESS_PREPARING"


def check_lang(lang: str, known: list[str] | None = None, listed: str = "LANGUAGES") -> str:
    """``lang``, or exit 2 with one line: not among ``known`` (the codes the setting(s) ``listed``
    name), or not a language code at all."""
    if known is not None and lang not in known:
        raise Exit(f"error: {lang!r} is not in {listed} {known!r} (pelicanconf.py)", code=2)
    if not LANG_CODE.match(lang):
        raise Exit(f"error: {lang!r} is not a language code such as 'de' or 'pt-BR'", code=2)
    return lang
