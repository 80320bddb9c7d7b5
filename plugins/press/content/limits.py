"""Bounded input: what one Markdown text may hold before the press refuses to render it.

A few kilobytes of hostile or broken Markdown can cost a build minutes and
gigabytes downstream of the renderer: ten thousand nested quotes or list
items exhaust the recursion of every HTML parser that reads the page (the
editions, WeasyPrint), a table of a million cells or a megabyte of bare
links fills the memory of every stage after it.  Each text is therefore
checked, in linear time, before it is rendered (its size, and the nesting
its line starts announce: ``>``, ``-``, ``1.``), and its rendering after
(how many elements it has, how deep they nest, raw HTML included, and how
many cells a table has).  A text over a limit is not rendered at all: the page shows nothing of
it and no later stage sees it; the reader reports it as ``unsafe-file``.

The limits are settings (``PRESS_MAX_BODY_BYTES``, ``PRESS_MAX_NESTING``,
``PRESS_MAX_TABLE_CELLS``, ``PRESS_MAX_ELEMENTS``, docs/settings.md).  No Pelican here; nothing here
recurses or raises on any input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # about ten times the longest article of the test corpus (47 KB, 350 elements)
    body_bytes: int = 500_000
    nesting: int = 32
    table_cells: int = 5_000
    # each element costs the PDF edition about 10 ms: 10,000 is under two minutes
    elements: int = 10_000


DEFAULT_LIMITS = Limits()


def limits_from_settings(settings: dict) -> Limits:
    return Limits(
        body_bytes=settings.get("PRESS_MAX_BODY_BYTES") or DEFAULT_LIMITS.body_bytes,
        nesting=settings.get("PRESS_MAX_NESTING") or DEFAULT_LIMITS.nesting,
        table_cells=settings.get("PRESS_MAX_TABLE_CELLS") or DEFAULT_LIMITS.table_cells,
        elements=settings.get("PRESS_MAX_ELEMENTS") or DEFAULT_LIMITS.elements,
    )


@dataclass(frozen=True)
class Exceeded:
    """Why a text was not rendered: ``line`` counts from the text's first line (None: unknown)."""

    what: str  # "it is 1,600,000 bytes long"
    setting: str  # the setting that sets the limit
    fix: str  # what the editor can do
    line: int | None = None

    def message(self, first_line: int = 1) -> str:
        place = f"line {first_line + self.line - 1}: " if self.line is not None else ""
        return (
            f"{place}the text was not rendered because {self.what}. {self.fix} "
            f"(the limit is the setting {self.setting}, docs/settings.md)."
        )


# Container markers at the start of a line: quotes (``>``) and list items
# (``-``, ``+``, ``*``, ``1.``, ``1)`` followed by a space or the line's end).
CONTAINER_MARKER = r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))"
THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# A GFM table's delimiter row: | --- | :--: | (at least one pipe or two cells)
DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.M)
BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
# An escaped character, a bracket, or a blank line (which ends a paragraph and its brackets).
BRACKET = re.compile(r"\\.|[\[\]]|\n[ \t]*(?=\n)")


@functools.lru_cache(maxsize=8)
def _deeper_than(levels: int) -> re.Pattern:
    """A line that starts with more than ``levels`` container markers."""
    return re.compile(rf"^(?:{CONTAINER_MARKER}){{{levels + 1}}}", re.M)


def source_exceeds(text: str, limits: Limits, brackets: bool = True) -> Exceeded | None:
    """Whether the Markdown ``text`` is over a limit, judged from its lines alone.

    ``brackets``: whether link brackets may not nest deeper than the limit
    either (Python-Markdown's time grows with their square; cmark's does not).

    Each check is one pass of a regular expression over the text (linear),
    so that an ordinary body costs a few microseconds per kilobyte.
    """
    if len(text) * 4 > limits.body_bytes:  # (a character is at most four bytes)
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limits.body_bytes:
            return Exceeded(
                f"it is {size:,} bytes long, more than {limits.body_bytes:,}",
                "PRESS_MAX_BODY_BYTES",
                "Split it into several articles, or remove what does not belong in it",
            )
    for match in _deeper_than(limits.nesting).finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.start())
        if THEMATIC_BREAK.match(text[line_start : line_end if line_end >= 0 else len(text)]):
            continue  # * * * * … is a line across the page
        return Exceeded(
            f"its quotes and lists nest more than {limits.nesting} levels deep",
            "PRESS_MAX_NESTING",
            "Nest fewer quotes ('>') and lists in one another",
            text.count("\n", 0, match.start()) + 1,
        )
    if brackets and text.count("[") > limits.nesting:
        exceeded = _brackets_exceed(text, limits)
        if exceeded is not None:
            return exceeded
    return _table_exceeds(text, limits) if "|" in text else None


def _brackets_exceed(text: str, limits: Limits) -> Exceeded | None:
    """Link brackets nested in one paragraph: Python-Markdown's time grows with their square."""
    depth = 0
    for match in BRACKET.finditer(text):
        char = match.group(0)
        if char == "[":
            depth += 1
            if depth > limits.nesting:
                return Exceeded(
                    f"its brackets ('[') nest more than {limits.nesting} levels deep",
                    "PRESS_MAX_NESTING",
                    "Close the brackets you open, or escape them ('\\[')",
                    text.count("\n", 0, match.start()) + 1,
                )
        elif char == "]":
            depth = max(0, depth - 1)
        elif char[0] == "\n":
            depth = 0
    return None


def _table_exceeds(text: str, limits: Limits) -> Exceeded | None:
    """GFM tables: a header row, a delimiter row, then rows up to a blank line."""
    position = 0
    while True:
        match = DELIMITER_ROW.search(text, position)
        if match is None:
            return None
        position = match.end()
        header_start = text.rfind("\n", 0, max(0, match.start() - 1)) + 1
        if "-" not in match.group(0) or "|" not in text[header_start : match.start()]:
            continue
        columns = max(1, match.group(0).strip().strip("|").count("|") + 1)
        blank = BLANK_LINE.search(text, match.end())
        end = blank.start() if blank else len(text)
        rows = text.count("\n", match.start(), end) + 1  # the header, and the rows after the delimiter
        if rows * columns > limits.table_cells:
            return _too_many_cells(rows * columns, limits, text.count("\n", 0, header_start) + 1)
        position = max(position, end)


def _too_many_cells(cells: int, limits: Limits, line: int | None) -> Exceeded:
    return Exceeded(
        f"a table has {cells:,} cells, more than {limits.table_cells:,}",
        "PRESS_MAX_TABLE_CELLS",
        "Publish large data as an attached file (CSV) and show a summary table",
        line,
    )


TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")  # never reads past the next '<'

# Elements without content, and those whose end tag may be left out (a parser
# closes them by itself): neither makes the page deeper.
VOID = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
        *("param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th"),
        *("thead", "tbody", "tfoot", "option", "colgroup", "caption", "rt", "rp"),
    }
)
CELL = frozenset({"td", "th"})


def html_exceeds(html: str, limits: Limits) -> Exceeded | None:
    """Whether rendered HTML has too many elements, nests them too deep or has too large a
    table (linear)."""
    if html.count("<") <= limits.nesting and "<t" not in html:
        return None
    depth, open_by_name = 0, {}
    cells, tables, elements = 0, 0, 0
    for match in TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            elements += 1
            if elements > limits.elements:
                return Exceeded(
                    f"it has more than {limits.elements:,} elements (paragraphs, links, emphasis…)",
                    "PRESS_MAX_ELEMENTS",
                    "Split it into several articles, or publish long lists and data as an attached file",
                )
        if name in CELL and not closing:
            cells += 1
            if cells > limits.table_cells:
                return _too_many_cells(cells, limits, None)
            continue
        if name == "table":
            tables += -1 if closing else 1
            if tables <= 0:
                tables, cells = 0, 0
        if name in VOID:
            continue
        if closing:
            if open_by_name.get(name):
                open_by_name[name] -= 1
                depth -= 1
        elif not match.group(3).rstrip().endswith("/"):
            open_by_name[name] = open_by_name.get(name, 0) + 1
            depth += 1
            if depth > limits.nesting:
                return Exceeded(
                    f"its elements nest more than {limits.nesting} levels deep",
                    "PRESS_MAX_NESTING",
                    "Nest fewer quotes, lists and HTML elements in one another",
                )
    return None


def text_exceeds(text: str, limits: Limits) -> Exceeded | None:
    """Whether a text that is shown as written, HTML allowed (a header), is over a limit.

    The sanitizer's time grows with the square of the nesting it reads: it never sees such a text.
    """
    exceeded = source_exceeds(text, limits)
    if exceeded is None and "<" in text:
        exceeded = html_exceeds(text, limits)
    return exceeded
