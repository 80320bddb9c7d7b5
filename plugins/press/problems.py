"""The problem collector: every problem of a build, reported at once (contract §6)."""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from dataclasses import asdict, dataclass

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
    "edition",
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
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        temporary = f"{path}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(self.report(), handle, ensure_ascii=False, indent=2, sort_keys=False)
            handle.write("\n")
        os.replace(temporary, path)

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
            lines.append(f"  {path}")
            lines.extend(f"    [{problem.kind}] {problem.message}" for problem in problems)
        log("%s", "\n".join(lines))
