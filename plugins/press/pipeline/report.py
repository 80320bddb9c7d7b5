"""The end of a build: the whole report first, then the strict gate (contract §6)."""

from __future__ import annotations

import logging
import os
import sys

from press import build

logger = logging.getLogger(__name__)


def report_path(settings: dict) -> str:
    path = settings["PRESS_REPORT"]
    return path if os.path.isabs(path) else os.path.abspath(path)


def unwrap_log_when_not_a_terminal(_pelican) -> None:
    """Pelican logs through rich, which wraps every line at 80 columns when the
    output is a file or a pipe: a problem's path or message broken over lines
    cannot be searched for. Wrap only for a terminal."""
    try:
        from pelican.log import console
    except ImportError:  # another Pelican: nothing to unwrap
        return
    if not console.is_terminal:
        console.width = 100_000


def finish_build(pelican) -> None:
    """Write PRESS_REPORT, log the problems by kind, exit non-zero if strict."""
    current = build.current()
    current.check_translations()
    problems = current.problems
    strict = bool(pelican.settings["PRESS_STRICT"])
    path = report_path(pelican.settings)
    problems.write_report(path)
    problems.log_summary(strict, path)
    if not len(problems):
        logger.info("No problems; report written to %s", path)
        return
    if strict:
        logger.error(
            "Strict build failed: %d problem(s), counted above, all listed in %s", len(problems), path
        )
        # SystemExit, not an exception: Pelican would print a traceback for that.
        sys.exit(1)
    logger.warning("%d problem(s) reported in %s; the site was still written", len(problems), path)
