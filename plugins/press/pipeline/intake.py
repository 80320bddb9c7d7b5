"""Pelican-facing parts of the intake checks (press.content.intake): term slugs, and the build guard.

``check_term_slugs`` gives every section and tag the slug Pelican gives its
page and reports names that would share a page, or have none (contract §3).

``guard_build`` wraps a run so that whatever fails inside still leaves this
build's report, holding an ``internal-error`` problem that says where, and the
build exits non-zero with one clear line instead of only a traceback (§6).
"""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import re
import sys

from pelican.urlwrappers import Category, Tag

from press import build
from press.content.slugs import slug_clashes
from press.content.tree import split_list
from press.pipeline import pelican_seams
from press.pipeline.report import report_path, write_one_problem_report
from press.problems import ProblemCollector, add_internal_error, report_path_problem

logger = logging.getLogger(__name__)


def check_term_slugs(pelican) -> None:
    """Sections and tags whose pages would share a path, or have none (``get_generators``)."""
    current = build.of(pelican.settings)
    languages = current.languages
    terms = getattr(current, "terms", None)

    def known(kind: str, name: str, lang: str) -> bool:
        """A term of terms.toml: its pages' paths are checked there, per language (press.content.terms)."""
        return terms is not None and terms.find(kind, name, lang) is not None

    used: dict[tuple[str, str], list] = {}  # (what, name) -> originals using it
    for group in current.tree.groups.values():
        source = group.source_of_truth(languages)
        if source is None:
            continue
        category = (group.editorial("category", languages) or "").strip()
        if category and not known("sections", category, source.lang):
            used.setdefault(("section", category), []).append(source)
        for tag in split_list(group.editorial("tags", languages)):
            if not known("tags", tag, source.lang):
                used.setdefault(("tag", tag), []).append(source)
    for what, wrapper in (("section", Category), ("tag", Tag)):
        names = sorted(name for kind, name in used if kind == what)
        pairs = [(name, wrapper(name, pelican.settings).slug) for name in names]
        for clash in slug_clashes(pairs):
            message = f"{clash.describe(what)}."
            for name in clash.names:
                for version in used[(what, name)]:
                    current.problems.add_for(
                        "invalid-metadata",
                        version,
                        f"{'Category' if what == 'section' else 'Tags'} names {name!r}: {message}",
                    )


def guard_build(pelican) -> None:
    """Wrap this Pelican's ``run`` so that a failure inside still writes the report (``initialized``)."""
    if getattr(pelican.run, "press_guarded", False):
        return
    refuse_unusable_report_path(pelican.settings)
    pelican_seams.replace_run(pelican, lambda run: guarded(pelican, run))


def guarded(pelican, run):
    """``run``, writing the report whatever happens inside it."""

    @functools.wraps(run)
    def guarded_run(*args, **kwargs):
        path = refuse_unusable_report_path(pelican.settings)
        build.forget(pelican.settings)
        _write_unfinished_report(path)
        try:
            return run(*args, **kwargs)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:
            report_internal_error(pelican.settings, error)
            message = (
                f"The build failed inside ({type(error).__name__}: {error}); nothing was published. "
                f"The report {path} says where; run pelican with --debug for the traceback."
            )
            logger.error("%s", message)
            if autoreloading():
                raise InternalError(message) from None  # the preview waits for the next change
            raise SystemExit(1) from None
        finally:
            # The run's Build ends with it: the preview's session keeps content
            # objects (and through them these settings) for its next run.
            current = pelican.settings.get(build.SETTINGS_KEY)
            build.forget(pelican.settings)
            # the collector as the run found it (core.start_build paused it), even on failure
            gc.unfreeze()
            if current is not None and current.collecting:
                gc.enable()
            atexit.unregister(skip_final_collection)  # registered once, whatever the number of runs
            atexit.register(skip_final_collection)

    guarded_run.press_guarded = True
    return guarded_run


def skip_final_collection() -> None:
    """At the process's exit, leave what it read out of the interpreter's last garbage collection.

    That collection walks every object still alive (a whole archive's content objects,
    caches and the session) only to free memory the exit hands back anyway: 0.2 s of a
    rebuild at 1000 x 3.  Nothing is skipped that needs doing: files are closed by their
    ``with`` blocks and logging flushes its handlers in its own exit hook, which runs after
    this one.
    """
    gc.freeze()


def refuse_unusable_report_path(settings: dict) -> str:
    """PRESS_REPORT, absolute; exit 2 with one line if it names a device, a folder or a link."""
    path = report_path(settings)
    reason = report_path_problem(path)
    if reason:
        logger.error(
            "PRESS_REPORT %s %s; name a new file or a regular one (e.g. press-report.json)", path, reason
        )
        sys.exit(2)
    return path


class InternalError(RuntimeError):
    """The build failed inside; the report says where."""

    exitcode = 1


def report_internal_error(settings: dict, error: BaseException, where: str = "") -> None:
    """This build's report: what it found so far, and the internal error."""
    try:
        problems = build.of(settings).problems
    except RuntimeError:
        problems = ProblemCollector()
    add_internal_error(problems, error, where)
    try:
        problems.write_report(report_path(settings))
    except OSError as write_error:
        logger.error("Could not write the report %s: %s", report_path(settings), write_error)


def _write_unfinished_report(path: str) -> None:
    """Replace an earlier build's report at once: until this build finishes, it says so."""
    write_one_problem_report(
        path,
        "the build that writes this report has not finished (or was stopped before it could "
        "write it): build again and read the new report.",
    )


def autoreloading() -> bool:
    """Whether pelican runs with --autoreload (-r): a failed run must not stop the preview."""
    for argument in sys.argv[1:]:
        if argument == "--autoreload" or re.fullmatch(r"-[a-zA-Z]*r[a-zA-Z]*", argument):
            return True
    return False
