"""The last step of every build: the whole report, then the one strict gate (contract §6).

Every other step records what went wrong in the build's problem collector
(``build.of(settings).problems``): the tree's problems when the run starts, an
image that could not be cleaned, a search index that could not be built.
No other step ends a build that runs to its end; this step, connected last to
``finalized`` by :func:`press.register`, writes ``PRESS_REPORT`` and exits once
with status 1: in strict mode if there is any problem, in any mode if there is
an ``internal-error``.  (A step that raises is caught by ``intake.guard_build``,
which writes the report with an ``internal-error`` instead.)
"""

from __future__ import annotations

import logging
import os
import sys

from press import build
from press.problems import ProblemCollector, report_path_problem, write_json_atomically
from press.settings import DEFAULTS, lies_in_content

logger = logging.getLogger(__name__)


def report_path(settings: dict) -> str:
    """PRESS_REPORT, absolute (its default too: the guard may need it before settings are checked)."""
    path = settings.get("PRESS_REPORT") or DEFAULTS["PRESS_REPORT"].default
    return path if os.path.isabs(path) else os.path.abspath(path)


def write_stopped_report(settings: dict, reason: str) -> None:
    """The report of a build that stops on its settings before it reads the content.

    Contract §6: every build rewrites the report, and no earlier build's report is ever
    left in its place (a CI job would read an earlier clean report as this build's).
    Nothing is written where the report may not go: a PRESS_REPORT that is itself the bad
    setting, a device, folder or link, or a file inside the content folder.
    """
    if not isinstance(settings.get("PRESS_REPORT"), str | None):
        return
    path = report_path(settings)
    if report_path_problem(path) is not None or lies_in_content(settings, path):
        return
    write_one_problem_report(
        path, f"the build stopped before it read the content: {reason}; fix that and build again."
    )


def write_one_problem_report(path: str, message: str) -> None:
    """A report of one ``internal-error`` (a build that stopped, or has not finished yet)."""
    problems = ProblemCollector()
    problems.add("internal-error", key="", lang="", path="", message=message)
    try:
        write_json_atomically(path, problems.report())
    except OSError as error:
        logger.error("Could not write the report %s: %s", path, error)


def unwrap_log_when_not_a_terminal(_pelican) -> None:
    """One log record, one line, when the log goes to a file or a pipe.

    Pelican logs through rich, which lays every record out in columns the width
    of a terminal (80 when there is none) and wraps a problem's path or message
    over lines that no one can grep. Without a terminal, rich's handler gives
    way to a plain one on the same stream: ``WARNING  message``.
    """
    try:
        from rich.logging import RichHandler
    except ImportError:  # no rich: nothing wraps
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if not isinstance(handler, RichHandler) or handler.console.is_terminal:
            continue
        plain = logging.StreamHandler(handler.console.file)
        plain.setLevel(handler.level)
        plain.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))
        for log_filter in handler.filters:
            plain.addFilter(log_filter)
        root.removeHandler(handler)
        root.addHandler(plain)


def finish_build(pelican) -> None:
    """Write PRESS_REPORT, log the problems by kind, exit non-zero if strict (``finalized``, last)."""
    current = build.of(pelican.settings)
    current.check_translations()
    problems = current.problems
    strict = bool(pelican.settings["PRESS_STRICT"])
    path = report_path(pelican.settings)
    problems.write_report(path)
    problems.log_summary(strict, path)
    if not len(problems):
        logger.info("No problems; report written to %s", path)
        return
    if problems.of_kind("internal-error"):
        logger.error(
            "The build failed inside (an internal-error in %s says where); nothing is to be published", path
        )
        sys.exit(1)
    if strict:
        logger.error(
            "Strict build failed: %d problem(s), counted above, all listed in %s", len(problems), path
        )
        # SystemExit, not an exception: Pelican would print a traceback for that.
        sys.exit(1)
    logger.warning("%d problem(s) reported in %s; the site was still written", len(problems), path)
