"""Maintainers', editors' and translators' tasks: ``invoke --list`` shows them all.

Each task is thin: the work is done by the press package (the same code the build uses),
deploy/ (checks and releases) and bench/ (the benchmark). Every task runs the tools of
the environment it was started from (``sys.executable -m pelican``), takes the paths the
user types relative to where they stand, and ends a user's mistake with one line saying
what to do, never a traceback. docs/tasks.md describes every task.

The tasks are one flat list: this module's, tasks_translators.py's and tasks_import.py's (imported
here), and deploy/'s and bench/'s (registered here). Every option's help and short flag comes
from one table (tasks_common.OPTIONS). Importing this module does no work; only when the
``invoke`` command loads it are invoke's own errors made one line and ``invoke TASK --help``
turned into ``invoke --help TASK``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from invoke import Exit, Task

# invoke puts this folder on sys.path (bench/, deploy/); the press is installed (requirements.txt).
from bench import tasks_bench
from deploy import tasks_deploy
from deploy.tasks_deploy import user_path
from press import safekeeping, workflow
from press.paper import i18n
from press.settings import output_over_content
from tasks_common import (  # noqa: F401 - press_project and project_settings: for tests and tools
    PREPARED_TOO,
    PROJECT,
    PressTask,
    check_kind,
    check_lang,
    press_project,
    press_task,
    project_settings,
    quiet_stdout,
    shown,
    user_mistakes_end_cleanly,
)
from tasks_import import import_hugo, import_jekyll, import_pelican, import_wordpress, init  # noqa: F401 - tasks
from tasks_translators import glossary_terms, po_export, po_export_all, po_import  # noqa: F401 - tasks

PELICAN = f"{shlex.quote(sys.executable)} -m pelican"
TEMPLATES = str(PROJECT / "theme" / "templates")
TRANSLATIONS = str(PROJECT / "translations")


def run_workflow(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except workflow.WorkflowError as error:
        raise Exit(f"error: {error}", code=1) from None


def pelican_command(settings_file: str, output: str, extra: str = "", content: str = "content") -> str:
    return f"{PELICAN} {shlex.quote(content)} -s {settings_file} -o {shlex.quote(output)} {extra}".strip()


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise Exit(
            f"error: --date {value!r} is not a date: write it as YYYY-MM-DD, e.g. "
            f"{datetime.date.today().isoformat()}",
            code=2,
        ) from None


# -- building ----------------------------------------------------------------------


@press_task()
def build(c, output=None, extra=""):
    """Build every language's site into output/ (development settings)."""
    folder = str(user_path(output)) if output else "output"
    refuse_output_over_content(folder)
    with c.cd(str(PROJECT)):  # pelican reads settings, content and PRESS_REPORT from the project
        c.run(pelican_command("pelicanconf.py", folder, extra), pty=False)


@press_task()
def editions(c, output=None, extra=""):
    """Build the site with every issue's PDF and EPUB and the offline zips (the preview has none)."""
    folder = str(user_path(output)) if output else "output"
    refuse_output_over_content(folder)
    with c.cd(str(PROJECT)):
        c.run(pelican_command("pelicanconf.py", folder, f"-e PRESS_EDITIONS=true {extra}"), pty=False)


def refuse_output_over_content(output: str, content: str | None = None) -> None:
    """A build writes (and tidies) its output folder: one that is the content folder, lies inside
    it, or is the project itself would have its articles replaced or removed (--output content)."""
    written = (PROJECT / output).resolve()
    source = (PROJECT / (content or project_settings()["PATH"])).resolve()
    # the same test as the build's own (press.settings), said before Pelican starts
    where = (
        "is the project's folder"
        if written == PROJECT.resolve()
        else output_over_content(str(source), str(written))
    )
    if where:
        raise Exit(
            f"error: --output {shown(written)} {where}: a build would replace and remove its files; "
            "give a folder of its own, e.g. --output output",
            code=2,
        )


def run_in_own_process_group(argv: list[str], cwd: Path) -> int:
    """Run ``argv`` in a process group of its own and stop the whole group when we are stopped.

    Ctrl-C (SIGINT), SIGTERM and SIGHUP all end every process the command started
    (Pelican's autoreloader, its web server, its workers), not only the first one.
    """
    process = subprocess.Popen(argv, cwd=cwd, start_new_session=True)

    class Stopped(Exception):
        pass

    def stop(signum, _frame):
        raise Stopped(signum)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, stop) for signum in handled}
    status = 0
    try:
        status = process.wait()
    except (Stopped, KeyboardInterrupt):
        status = 0
    finally:
        for signum in handled:  # a second signal while stopping must not leave the group behind
            signal.signal(signum, signal.SIG_IGN)
        stop_process_group(process)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return status


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM to the group, then SIGKILL to whatever is left of it (stragglers included)."""
    group = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    process.wait()


@press_task()
def serve(c, port=8000, output=None, content=None):
    """Preview on http://127.0.0.1:PORT/, rebuilding whenever content or theme change.

    Ctrl-C (or SIGTERM) stops every process the preview started. Its problem report is
    cache/preview-report.json (a publish's report is never overwritten by the preview).
    """
    port = int(port)
    if not 0 < port < 65536:
        raise Exit(
            f"error: --port {port} is not a port: give one from 1 to 65535, e.g. invoke serve --port 8000",
            code=2,
        )
    if content and not user_path(content).is_dir():
        raise Exit(f"error: --content {content} is not a folder: give the content folder to preview", code=2)
    refuse_output_over_content(
        str(user_path(output)) if output else "output", str(user_path(content)) if content else None
    )
    busy = port_in_use(port)
    if busy:
        same_options = "".join(
            f" --{name} {shlex.quote(shown(value))}"
            for name, value in (("content", content), ("output", output))
            if value
        )
        free = next((other for other in range(port + 1, port + 50) if not port_in_use(other)), 0)
        raise Exit(
            f"error: port {port} on 127.0.0.1 is in use ({busy}): stop what uses it, or preview on "
            f"another port: invoke serve --port {free or 'PORT'}{same_options}",
            code=1,
        )
    PREVIEW_REPORT.parent.mkdir(parents=True, exist_ok=True)
    print(f"preview on http://127.0.0.1:{port}/ (problems in {shown(PREVIEW_REPORT)}); Ctrl-C stops it")
    argv = [
        sys.executable,
        "-m",
        "pelican",
        str(user_path(content)) if content else "content",
        "-s",
        "pelicanconf.py",
        "-o",
        str(user_path(output)) if output else "output",
        "--autoreload",
        "--listen",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "-e",
        f"PRESS_REPORT={json.dumps(str(PREVIEW_REPORT))}",
    ]
    status = run_in_own_process_group(argv, PROJECT)
    if status not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise Exit(code=status if status > 0 else 1)


#: The preview's own problem report (a build's or a publish's is PRESS_REPORT).
PREVIEW_REPORT = PROJECT / "cache" / "preview-report.json"


def port_in_use(port: int) -> str | None:
    """Why nothing can listen on 127.0.0.1:``port`` (None: it is free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            return error.strerror or str(error)
    return None


@press_task()
def clean(c, output=None):
    """Remove the output folder and the caches."""
    folder = user_path(output) if output else PROJECT / "output"
    refusal = not_a_built_site(folder)
    if refusal:
        raise Exit(f"error: --output {shown(folder)} is not removed: {refusal}", code=2)
    for removed in (folder, PROJECT / "cache"):
        shutil.rmtree(removed, ignore_errors=True)


def not_a_built_site(folder: Path) -> str | None:
    """Why ``invoke clean`` must not remove ``folder`` (a typo such as ``--output .`` or
    ``--output content`` would lose work), or None when it is a site a build wrote, empty or absent."""
    real = folder.resolve()
    for kept, what in ((PROJECT, "the project"), (Path.home(), "your home folder")):
        if real == kept.resolve() or kept.resolve().is_relative_to(real):
            return f"it holds {what}; give the folder a build wrote (invoke clean --output OUTPUT)"
    if real.is_dir() and any(real.iterdir()) and not (real / "index.html").is_file():
        return "it is not a site a build wrote (it has no index.html); remove it yourself if you mean to"
    if real.exists() and not real.is_dir():
        return "it is not a folder"
    return None


# -- translators ---------------------------------------------------------------------


@press_task()
def translate(c, key, lang, kind="articles", force=False):
    """Start KEY's LANG version from the original, stamped with its revision."""
    kept: list[str] = []
    path = run_workflow(
        workflow.translate, press_project(), key, lang, kind=check_kind(kind), force=force, kept=kept
    )
    for copy in kept:
        print(safekeeping.kept_line(shown(path), shown(copy)))
    print(f"wrote {shown(path)}: translate the title, summary, share caption and body")


@press_task()
def status(c, lang=None, json=False, html=None, diff=None, kind="articles"):
    """Translation status: keys × languages (ok / stale / missing / incomplete / untranslated)."""
    project = press_project()
    if lang:
        check_lang(lang, project.all_languages, PREPARED_TOO)  # workflow.status lists those too
    if diff:
        key, _, diff_lang = diff.partition(":")
        diff_lang = diff_lang or lang
        if not diff_lang:
            tree, _ = project.scan()
            group = tree.group(check_kind(kind), key)
            translated = sorted(v.lang for v in group.versions.values() if v.is_translation) if group else []
            kind_option = "" if kind == "articles" else f" --kind {kind}"
            raise Exit(
                f"error: say which translation: invoke status --diff {key} --lang "
                f"{translated[0] if translated else 'LANG'}{kind_option}"
                + (f" (its translations: {', '.join(translated)})" if translated else ""),
                code=2,
            )
        print(run_workflow(workflow.diff, project, key, diff_lang, kind=check_kind(kind)))
        return
    matrix = run_workflow(workflow.status, project, only_lang=lang)
    if html:
        folder = user_path(html)
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise Exit(f"error: --html {html} is not a folder: give a folder to write the page into", code=2)
        if Path(folder).resolve().is_relative_to(Path(project.content).resolve()):
            # its index.html and PO files would be reported as files that are not content
            raise Exit(f"error: --html {html} is inside the content folder: give a folder outside it", code=2)
        try:
            written = workflow.status_html(project, matrix, str(folder))
        except OSError as error:
            raise Exit(
                f"error: --html {html}: cannot write there ({error.strerror or error})", code=1
            ) from None
        print(f"wrote {shown(written)}")
    print(workflow.status_json(matrix) if json else workflow.format_status(matrix))


@press_task()
def stamp(c, key, lang, kind="articles", original=None, unchanged=False):
    """Record that KEY's LANG translation is up to date with its original."""
    path, value = run_workflow(
        workflow.stamp,
        press_project(),
        key,
        lang,
        kind=check_kind(kind),
        original_lang=original,
        unchanged=unchanged,
    )
    print(f"{shown(path)}: Translation-Of: {value}")
    if unchanged:
        message = f"{kind}/{key}/{lang}.md: stamped {value} unchanged (nothing in it needed changing)"
        print(f"commit it with: git commit -m {shlex.quote(message)} -- {shlex.quote(shown(path))}")


# -- editors -------------------------------------------------------------------------


@press_task()
def new(c, title, section, lang=None, key=None):
    """Create a new article's folder and original with every editorial header."""
    path = run_workflow(workflow.new_article, press_project(), title, section, lang=lang, key=key)
    print(f"wrote {shown(path)}")
    print(
        "replace its body and the Summary and Share it repeats from the title: the publishing build "
        "refuses them as written (a placeholder problem)"
    )
    print("optional headers are written empty (an empty header is not set); fill in those you need:")
    for name, meaning in workflow.OPTIONAL_HEADERS:
        print(f"  {name + ':':<11} {meaning}")


@press_task()
def frontpage(c, date=None, lang=None):
    """Print the front page as readers will see it on a day, what lacks a translation, every conflict."""
    day = parse_day(date) if date else None
    project = press_project()
    if lang:
        check_lang(lang, project.languages)
    print(workflow.format_front_page(workflow.front_page(project, day), lang))


# -- interface catalogs ---------------------------------------------------------------


def read_catalog_file(path: str, lang: str | None = None):
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, locale=lang.replace("-", "_") if lang else None)


def catalog_messages(catalog) -> list[tuple]:
    """What a catalog says, leaving out what changes without any message changing:
    the dates of its header, the line numbers of the template locations, the order."""

    def entry(message, obsolete: bool) -> tuple:
        string = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string or ""
        previous = tuple(message.previous_id) if message.previous_id else ()
        return (
            obsolete,
            message.context or "",
            str(message.id),
            string,
            tuple(sorted(message.flags)),
            previous,
        )

    entries = [entry(message, False) for message in catalog if message.id]
    entries += [entry(message, True) for message in catalog.obsolete.values()]
    return sorted(entries, key=repr)


def extract_template() -> tuple[str, bool]:
    """Write translations/messages.pot when the theme's messages differ from it: (path, written)."""
    path = os.path.join(TRANSLATIONS, "messages.pot")
    template = i18n.template_catalog(TEMPLATES)
    if os.path.exists(path) and catalog_messages(read_catalog_file(path)) == catalog_messages(template):
        return path, False
    i18n.write_catalog(template, path)
    return path, True


@press_task(name="i18n-extract")
def i18n_extract(c):
    """Extract the theme's messages into translations/messages.pot (rewritten only when they changed)."""
    path, written = extract_template()
    print(f"{'wrote' if written else 'unchanged:'} {shown(path)}")


@press_task(name="i18n-init")
def i18n_init(c, lang):
    """Start the catalog of a new language: translations/LANG/LC_MESSAGES/messages.po."""
    check_lang(lang)
    try:
        path = i18n.init_catalog(TEMPLATES, TRANSLATIONS, lang)
    except FileExistsError:
        existing = os.path.relpath(i18n.catalog_path(TRANSLATIONS, lang), PROJECT)
        raise Exit(
            f"{existing} exists already: translate it there (invoke i18n-update --lang {lang} adds "
            "the theme's new messages to it)",
            code=1,
        ) from None
    print(f"wrote {shown(path)}")


def catalog_languages(lang: str | None) -> list[str]:
    """``lang``'s catalog (which must exist), or every catalog under translations/."""
    if lang:
        check_lang(lang)
        if not os.path.exists(i18n.catalog_path(TRANSLATIONS, lang)):
            raise Exit(
                f"error: there is no catalog for {lang}: start it with invoke i18n-init {lang}", code=1
            )
        return [lang]
    return sorted(
        name for name in os.listdir(TRANSLATIONS) if os.path.exists(i18n.catalog_path(TRANSLATIONS, name))
    )


@press_task(name="i18n-update")
def i18n_update(c, lang=None):
    """Merge new theme messages into every language's catalog (or LANG's)."""
    languages = catalog_languages(lang)
    extract_template()
    template = i18n.template_catalog(TEMPLATES)
    for code in languages:
        path = i18n.catalog_path(TRANSLATIONS, code)
        if not i18n.needs_catalog(code) or not os.path.exists(path):
            continue
        catalog = read_catalog_file(path, code)
        before = catalog_messages(catalog)
        catalog.update(template, no_fuzzy_matching=False)
        # a catalog whose messages did not change is left as it is, so that a translator's
        # diff shows only translations (no new dates, line numbers or reflowed lines)
        if catalog_messages(catalog) == before:
            print(f"unchanged {shown(path)}: no new or changed message")
            continue
        i18n.write_catalog(catalog, path)
        print(f"updated {shown(path)}")


@press_task(name="i18n-compile")
def i18n_compile(c, lang=None):
    """Compile the catalogs to .mo files (the build also compiles them in memory)."""
    for path in i18n.compile_catalogs(TRANSLATIONS, catalog_languages(lang)):
        print(f"compiled {shown(path)}")


# -- publishing (deploy/) and the benchmark (bench/) ---------------------------------

# Registered from their own modules; their options' help and short flags come from the one
# table (tasks_common.OPTIONS), the modules' own help only for an option the table lacks.
check = press_task(help=tasks_deploy.CHECK_HELP)(tasks_deploy.check)
publish = press_task(help=tasks_deploy.PUBLISH_HELP)(tasks_deploy.publish)
rollback = press_task(help=tasks_deploy.ROLLBACK_HELP)(tasks_deploy.rollback)
releases = press_task(help=tasks_deploy.RELEASES_HELP)(tasks_deploy.releases)
schedule = press_task(help=tasks_deploy.SCHEDULE_HELP)(tasks_deploy.schedule)


def nginx_conf_from_here(c, root="/srv/press", output=None, port=80, settings=None):
    """Write the nginx configuration for the site's LANGUAGES (serves ROOT/current/)."""
    # paths as the user typed them, from where they stand, tidied: nginx needs an absolute root
    root = os.path.normpath(user_path(root))
    output = os.path.normpath(user_path(output)) if output else None
    settings_file = os.path.normpath(user_path(settings)) if settings else str(PROJECT / "pelicanconf.py")
    try:
        project_settings_of(settings_file)
    except ValueError as error:  # e.g. a PATH that does not exist: Pelican's own words
        raise Exit(f"error: {shown(settings_file)} cannot be used: {error}", code=1) from None
    target = output or str(PROJECT / "deploy" / "nginx.conf")
    if os.path.isdir(target):
        raise Exit(
            f"error: --output {shown(target)} is a folder: give the file to write, e.g. "
            f"--output {shown(os.path.join(target, 'nginx.conf'))}",
            code=2,
        )
    before = Path(target).read_bytes() if os.path.isfile(target) else None
    copy = safekeeping.keep_copy_if_unsaved(target)  # a configuration edited by hand is not lost
    try:
        tasks_deploy.nginx_conf(c, root=root, output=output, port=port, settings=settings_file)
    except ValueError as error:
        if copy:
            os.unlink(copy)
        raise Exit(f"error: {error}", code=1) from None
    except OSError as error:
        raise Exit(f"error: cannot write {shown(target)} ({error.strerror or error})", code=1) from None
    if copy and Path(target).read_bytes() == before:
        os.unlink(copy)  # nothing was lost: no copy needed
    elif copy:
        print(safekeeping.kept_line(shown(target), shown(copy), in_content=False))


def project_settings_of(path: str) -> dict:
    """Pelican's settings from a file that exists (ValueError: they cannot be used)."""
    from pelican.settings import read_settings

    if not os.path.isfile(path):
        raise Exit(f"error: there is no settings file {shown(path)}", code=1)
    return read_settings(path)


nginx_conf = press_task(name="nginx-conf", help=tasks_deploy.NGINX_CONF_HELP)(nginx_conf_from_here)
verify = press_task(help=tasks_deploy.VERIFY_HELP)(tasks_deploy.verify)
signing_key = press_task(name="signing-key", help=tasks_deploy.SIGNING_KEY_HELP)(tasks_deploy.signing_key)
bench = press_task(help=tasks_bench.BENCH_HELP)(tasks_bench.bench)


def same_flags_everywhere(namespace: dict) -> None:
    """Tasks registered from other modules with invoke's own ``@task`` (the importers) take their
    short flags from the same table, so that one letter means one thing in every task."""
    for value in namespace.values():
        if isinstance(value, Task) and not isinstance(value, PressTask):
            PressTask.adopt(value)


same_flags_everywhere(globals())


# -- how invoke itself meets user mistakes ----------------------------------------------


def _quiet_broken_pipe(hook):
    """invoke's own failures on a user's mistake: a closed pipe (``invoke --list | head``), a
    value of the wrong type (``--port x``): one line or nothing, no traceback."""

    def excepthook(kind, value, traceback):
        if issubclass(kind, BrokenPipeError):
            quiet_stdout()
            return
        if issubclass(kind, ValueError) and _raised_by_invoke_parser(traceback):
            # e.g. --port x: invoke converts the value to the default's type and raises
            given = str(value).rpartition(": ")[2]
            named = next((token for token in sys.argv[1:] if token in _task_names()), None)
            see = f" (see invoke --help {named})" if named else ""
            print(f"error: {given} is not a whole number, which that option takes{see}", file=sys.stderr)
            return
        hook(kind, value, traceback)

    return excepthook


def _raised_by_invoke_parser(traceback) -> bool:
    while traceback is not None:
        if f"{os.sep}invoke{os.sep}parser{os.sep}" in traceback.tb_frame.f_code.co_filename:
            return True
        traceback = traceback.tb_next
    return False


def _task_names() -> set[str]:
    return {t.name for t in globals().values() if isinstance(t, Task)}


def _help_after_task_name() -> None:
    """``invoke new --help``: invoke would take ``--help`` for the title; show the task's help.

    invoke reads a task's positional arguments before its flags, so ``--help`` after
    a task with positional arguments never reaches invoke's help; ask for it the
    way invoke understands, ``invoke --help TASK``.
    """
    names = _task_names()
    argv = sys.argv[1:]
    for index, token in enumerate(argv):
        if token in names and any(later in ("--help", "-h") for later in argv[index + 1 :]):
            os.execv(sys.executable, [sys.executable, "-m", "invoke", *argv[:index], "--help", token])


def run_by_invoke() -> bool:
    """Whether this module was loaded by the ``invoke`` command (not imported by a test or a tool)."""
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    return program in ("invoke", "inv") or (program == "__main__.py" and "invoke" in sys.argv[0])


if run_by_invoke():
    # Only for invoke's own command line, which parses after loading this module: invoke's
    # errors on a user's mistake become one line, and "invoke TASK --help" shows TASK's help.
    sys.excepthook = _quiet_broken_pipe(sys.excepthook)
    _help_after_task_name()
