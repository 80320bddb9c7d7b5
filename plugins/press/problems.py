"""The problem collector: every problem of a build, reported at once (contract §6)."""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass

from .files import atomic_write

logger = logging.getLogger(__name__)

KINDS = (
    "missing",
    "stale",
    "orphan",
    "multiple-originals",
    "mismatch",
    "unknown-language",
    "invalid-metadata",
    "incomplete",
    "placement-conflict",
    "untranslated-strings",
    "unknown-header",
    "unsafe-file",
    "unsafe-html",
    "internal-error",
    "terminology",
    # The project's own kind (docs/problems.md): Pagefind could not index the site.
    "search-index",
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor or translator has to fix."""

    path: str
    kind: str
    key: str
    lang: str
    message: str

    def as_report_entry(self) -> dict[str, str]:
        entry = asdict(self)
        return {name: entry[name] for name in ("kind", "key", "lang", "path", "message")}


class ProblemCollector:
    """Collects problems during one build; duplicates are dropped."""

    def __init__(self) -> None:
        self._problems: dict[Problem, None] = {}

    def add(self, kind: str, *, key: str, lang: str, path: str, message: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown problem kind {kind!r}")
        self._problems[Problem(path=path, kind=kind, key=key, lang=lang, message=message)] = None

    def __len__(self) -> int:
        return len(self._problems)

    def added_since(self, count: int) -> list[Problem]:
        """The problems added after the first ``count``, in the order they came.

        The preview session keeps what reading one file reported, to report it
        again when it hands that file's content back without reading it.
        """
        return list(self._problems)[count:]

    def add_again(self, problems: list[Problem]) -> None:
        for problem in problems:
            self._problems[problem] = None

    def __iter__(self):
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        """Grouped by file, then by kind: the same order every build."""
        return sorted(self._problems)

    def of_kind(self, kind: str) -> list[Problem]:
        return [problem for problem in self.sorted() if problem.kind == kind]

    def report(self) -> dict:
        return {"problems": [problem.as_report_entry() for problem in self.sorted()]}

    def write_report(self, path: str) -> None:
        """Write the JSON report atomically, so a reader never sees half of it."""
        write_json_atomically(path, self.report())

    def log_summary(self, strict: bool) -> None:
        """A readable summary in the log, grouped by file."""
        if not self._problems:
            return
        by_path: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.sorted():
            by_path[problem.path].append(problem)
        log = logger.error if strict else logger.warning
        lines = [f"{len(self._problems)} problem(s) in {len(by_path)} file(s):"]
        for path, problems in by_path.items():
            lines.append(f"  {path or '(the whole build)'}")
            lines.extend(f"    [{problem.kind}] {problem.message}" for problem in problems)
        log("%s", "\n".join(lines))


def write_json_atomically(path: str, data: dict) -> None:
    """Write ``data`` to ``path`` as JSON through :func:`press.files.atomic_write`.

    Each writer has a unique temporary name, so two builds sharing one report
    path never write into each other's file; the last ``os.replace`` wins whole.
    """
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def internal_error_problem(error: BaseException, where: str = "") -> Problem:
    """An ``internal-error`` problem naming where the build failed (contract §6)."""
    place = where or failure_place(error)
    message = (
        f"the build failed inside {place}: {type(error).__name__}: {error}. Nothing was published "
        "from this build. This is a fault of the press, its theme or its settings, not of an "
        "editor's file (unless another problem in this report names one): run pelican again with "
        "--debug to see the traceback, and report it to the maintainers."
    )
    return Problem(path="", kind="internal-error", key="", lang="", message=message)


def failure_place(error: BaseException) -> str:
    """``module.function (file.py:line)`` of the innermost frame of the press, else of the last frame."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    if not frames:
        return "the build"
    package = os.path.dirname(os.path.abspath(__file__))
    ours = [frame for frame in frames if os.path.abspath(frame.filename).startswith(package + os.sep)]
    frame = (ours or frames)[-1]
    relative = os.path.relpath(frame.filename, os.path.dirname(package)) if ours else frame.filename
    return f"{frame.name} ({relative.replace(os.sep, '/')}:{frame.lineno})"


def add_internal_error(problems: ProblemCollector, error: BaseException, where: str = "") -> None:
    problem = internal_error_problem(error, where)
    problems.add(problem.kind, key=problem.key, lang=problem.lang, path=problem.path, message=problem.message)
