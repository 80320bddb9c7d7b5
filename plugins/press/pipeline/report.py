"""The last step of every build: the whole report, then the one strict gate (contract §6).

Every other step records what went wrong in the build's problem collector
(``build.current().problems``): the tree's problems when the run starts, an
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

logger = logging.getLogger(__name__)


def report_path(settings: dict) -> str:
    path = settings["PRESS_REPORT"]
    return path if os.path.isabs(path) else os.path.abspath(path)


def finish_build(pelican) -> None:
    """Write PRESS_REPORT, log every problem by file, exit non-zero if strict (``finalized``, last)."""
    current = build.current()
    problems = current.problems
    strict = bool(pelican.settings["PRESS_STRICT"])
    path = report_path(pelican.settings)
    problems.write_report(path)
    problems.log_summary(strict)
    if not len(problems):
        logger.info("No problems; report written to %s", path)
        return
    if problems.of_kind("internal-error"):
        logger.error(
            "The build failed inside (an internal-error in %s says where); nothing is to be published", path
        )
        sys.exit(1)
    if strict:
        logger.error("Strict build failed: %d problem(s), all listed above and in %s", len(problems), path)
        # SystemExit, not an exception: Pelican would print a traceback for that.
        sys.exit(1)
    logger.warning("%d problem(s) reported in %s; the site was still written", len(problems), path)
