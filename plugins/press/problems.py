"""The problem collector: every problem of a build, reported at once (contract §6)."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import traceback
from collections import defaultdict
from dataclasses import asdict, dataclass

from press.files import atomic_write

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
    "edition",
    "untranslated",
    "untranslated-term",
    # The project's own kind (docs/problems.md): the text invoke new wrote is still there.
    "placeholder",
)
# How many problems of each kind the log shows; the report holds every one.
LOGGED_PER_KIND = 5


def error_text(error: BaseException) -> str:
    """An exception's text for a problem's message, without the objects it names
    (Pillow's "cannot identify image file <_io.BytesIO object at 0x7f…>"), whose
    addresses would make two reports of one input differ."""
    return OBJECT_NAME.sub("", str(error)).strip() or type(error).__name__


OBJECT_NAME = re.compile(r"\s*<[^<>]*\bat 0x[0-9a-fA-F]+>")


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
        self._left_out: dict[str, frozenset[str] | None] = {}

    def leave_out(self, languages, kinds=None) -> None:
        """Record no problem of these languages (of these kinds only, if given): editions being prepared."""
        for lang in languages:
            self._left_out[lang] = frozenset(kinds) if kinds is not None else None

    def add(self, kind: str, *, key: str, lang: str, path: str, message: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown problem kind {kind!r}")
        if lang in self._left_out:
            kinds = self._left_out[lang]
            if kinds is None or kind in kinds:
                return
        self._problems[Problem(path=path, kind=kind, key=key, lang=lang, message=message)] = None

    def add_for(self, kind: str, version, message: str) -> None:
        """``add`` for one version of the tree (its key, language and path)."""
        self.add(kind, key=version.key, lang=version.lang, path=version.path, message=message)

    def __len__(self) -> int:
        return len(self._problems)

    def added_since(self, count: int) -> list[Problem]:
        """The problems added after the first ``count``, in the order they came.

        The preview session keeps what reading one file reported, to report it
        again when it hands that file's content back without reading it.
        """
        return list(self._problems)[count:]

    def take_since(self, count: int) -> list[Problem]:
        """The problems added after the first ``count``, taken out (to be added again by whoever
        reports them: the reader, when it takes a body prepared ahead of it)."""
        taken = self.added_since(count)
        for problem in taken:
            del self._problems[problem]
        return taken

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

    def log_summary(self, strict: bool, report_path: str | None = None) -> None:
        """Counts per kind and per language, then the first problems of each kind.

        A partly translated archive can have tens of thousands of problems: the
        log stays readable, the JSON report and ``invoke status`` hold the rest.
        """
        if not self._problems:
            return
        log = logger.error if strict else logger.warning
        by_kind: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.sorted():
            by_kind[problem.kind].append(problem)
        kinds = sorted(by_kind, key=lambda kind: (KINDS.index(kind), kind))
        files = len({problem.path for problem in self._problems})
        lines = [f"{len(self._problems)} problem(s) in {files} file(s):"]
        for kind in kinds:
            per_lang: dict[str, int] = defaultdict(int)
            for problem in by_kind[kind]:
                per_lang[problem.lang] += 1
            langs = ", ".join(f"{lang} {count}" for lang, count in sorted(per_lang.items()))
            lines.append(f"  {kind}: {len(by_kind[kind])} ({langs})")
        for kind in kinds:
            problems = by_kind[kind]
            lines.append(f"{kind}:")
            lines.extend(
                f"  {problem.path or '(the whole build)'}: {problem.message}"
                for problem in problems[:LOGGED_PER_KIND]
            )
            if len(problems) > LOGGED_PER_KIND:
                lines.append(f"  … and {len(problems) - LOGGED_PER_KIND} more {kind} problem(s)")
        where = f"the report {report_path}" if report_path else "the JSON report (PRESS_REPORT)"
        lines.append(
            f"Every problem is in {where}; 'invoke status' (or 'invoke status --lang LANG') shows "
            "each translation's state."
        )
        log("%s", "\n".join(lines))


def write_json_atomically(path: str, data: dict) -> None:
    """Write ``data`` to ``path`` as JSON through :func:`press.files.atomic_write`.

    Each writer has a unique temporary name, so two builds sharing one report
    path never write into each other's file; the last ``os.replace`` wins whole.
    Only a regular file is ever replaced (:func:`report_path_problem`).
    """
    reason = report_path_problem(path)
    if reason:
        raise OSError(f"{path} {reason}")
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


NOT_REGULAR = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def report_path_problem(path: str) -> str | None:
    """Why the report cannot be written at ``path``, or None.

    The report replaces a regular file or makes a new one; a device
    (``PRESS_REPORT=/dev/full``), a folder, a pipe or a symbolic link at the
    path is never replaced by a regular file.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot be examined ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in NOT_REGULAR if test(mode)), "a special file")
    return f"is {what}, not a regular file: the report is never written there"


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
