"""A regular expression's matches, tried only where one can begin.

The press reads every rendered body for attribute-like text (``src=``,
``href=``, ``file:``) with case-insensitive patterns that start with a
lookbehind or a run of blanks: Python's engine cannot skip ahead on such a
pattern and tries it at every character, about 0.4 ms for a body of 8,000
characters, a tenth of a clean build.  Every match of those patterns holds a
``=`` or a ``:`` at a distance known from the pattern, and ``str.find`` finds
those in microseconds; the pattern itself is then tried only at the positions
they allow.  The matches are those of ``pattern.finditer``, the same spans and
groups (``tests/test_candidates.py`` compares them on random and hostile
text): a position is left out only where no match can begin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def positions_of(text: str, char: str) -> Iterator[int]:
    """Every index of ``char`` in ``text``, in order."""
    index = text.find(char)
    while index != -1:
        yield index
        index = text.find(char, index + 1)


def blank_run_start(text: str, end: int) -> int:
    """Where the run of blanks (``\\s``) that ends at ``end`` begins (``end`` if there is none)."""
    start = end
    while start and text[start - 1].isspace():  # str.isspace is the engine's \s for text
        start -= 1
    return start


def finditer_from(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, trying ``pattern`` only at ``starts``.

    ``starts`` must hold every position at which a match of ``pattern`` can begin
    (more do no harm); ``pattern`` must not match the empty string.  As
    ``finditer`` does, each match is looked for from the end of the previous one,
    and a lookbehind still sees the text before it.
    """
    end = 0
    for start in sorted(set(starts)):
        if start < end or start < 0:
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def substitute_from(pattern: re.Pattern, replace, text: str, starts: Iterable[int]) -> str:
    """``pattern.sub(replace, text)``, trying ``pattern`` only at ``starts`` (as :func:`finditer_from`)."""
    pieces = []
    done = 0
    for match in finditer_from(pattern, text, starts):
        pieces.append(text[done : match.start()])
        pieces.append(replace(match))
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
