"""The header block of a content file, and the revision of its body.

Headers follow Python-Markdown's ``meta`` extension, which is what Pelican's
Markdown reader uses: ``Key: value`` lines at the top of the file, a value
continued on lines indented by four spaces, ended by a blank line.  The body is
everything after the header block; its revision (contract §3) is what a
translation records in ``Translation-Of``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

HEADER_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION_LINE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
#: A first line meant as a header but not written as one: ``Title : x``, ``Title： x`` (a full-width
#: colon), ``Title - x``, ``Title\tx`` (no colon).
LOOSE_HEADER = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9_-]*)(\s*[:：]|\s+[:：-]|\t)")
LEADING_WORD = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s+\S")
YAML_FENCE_START = re.compile(r"^-{3}(\s.*)?$")
YAML_FENCE_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
REVISION_LENGTH = 12


@dataclass(frozen=True)
class Header:
    """One header as written: its value and the 1-based line it starts on."""

    name: str
    value: str
    line: int
    written: str = ""  # the name as the file spells it (``Catgory``)


@dataclass
class ParsedSource:
    """A content file split into its headers and its body."""

    headers: dict[str, Header] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    # (line, message) for header lines that could not be read
    errors: list[tuple[int, str]] = field(default_factory=list)
    # headers written more than once: (name, line of the repeat)
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def value(self, name: str, default: str | None = None) -> str | None:
        header = self.headers.get(name.lower())
        return header.value if header else default


def normalise_newlines(text: str) -> str:
    """Drop a byte-order mark and turn CRLF (and lone CR) into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


def parse_source(text: str) -> ParsedSource:
    """Split ``text`` into headers and body; never raises."""
    lines = normalise_newlines(text).split("\n")
    parsed = ParsedSource()
    index = 0
    fenced = bool(lines) and YAML_FENCE_START.match(lines[0]) is not None
    if fenced:
        index = 1
    current: Header | None = None
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if fenced and YAML_FENCE_END.match(line):
            index += 1
            break
        if not line.strip():
            if index == 0 and not fenced:
                report_headers_after_blank_lines(lines, parsed)
            index += 1
            break
        header_match = HEADER_LINE.match(line)
        continuation_match = CONTINUATION_LINE.match(line)
        if continuation_match and current is not None:
            joined = f"{current.value}\n{continuation_match.group('value').strip()}"
            current = Header(current.name, joined.strip(), current.line, current.written)
            parsed.headers[current.name] = current
        elif header_match:
            name = header_match.group("key").lower()
            current = Header(name, header_match.group("value").strip(), number, header_match.group("key"))
            if name in parsed.headers:
                parsed.duplicates.append((name, number))
            else:
                parsed.headers[name] = current
        else:
            meant = LOOSE_HEADER.match(line) or known_name_first(line)
            hint = f" (write the name, then a colon at once: '{meant.group('key')}: …')" if meant else ""
            if parsed.headers or fenced:
                # A line inside the header block that is not a header: Markdown
                # would start the body here and show the line to readers.
                parsed.errors.append(
                    (number, f"line {number} is not a 'Key: value' header: {line.strip()[:60]!r}{hint}")
                )
            elif meant:
                # No header block at all: the first line looks like a header, so say which line and why.
                parsed.errors.append(
                    (
                        number,
                        f"line {number} is not a 'Key: value' header: {line.strip()[:60]!r}{hint}, so the "
                        "whole file is read as the body",
                    )
                )
            break
        index += 1
    parsed.body_line = index + 1
    parsed.body = "\n".join(lines[index:])
    return parsed


def known_name_first(line: str) -> re.Match | None:
    """The name of a header the press knows that ``line`` begins with, then a blank (``Title x``)."""
    from press.content.metadata import KNOWN_HEADERS  # metadata's table; it imports nothing of ours

    match = LEADING_WORD.match(line)
    return match if match is not None and match.group("key").lower() in KNOWN_HEADERS else None


def report_headers_after_blank_lines(lines: list[str], parsed: ParsedSource) -> None:
    """A file that begins with blank lines has no header block: its headers would be shown as text."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if HEADER_LINE.match(line):
                parsed.errors.append(
                    (
                        number,
                        f"line {number} is read as the body, not as a header, because the file begins "
                        "with a blank line: remove the blank lines above the headers",
                    )
                )
            return


def canonical_body(body: str) -> str:
    """The body as the revision sees it (contract §3)."""
    lines = [line.rstrip() for line in normalise_newlines(body).split("\n")]
    return "\n".join(lines).strip("\n")


def revision_of(body: str) -> str:
    """First 12 hex digits of the SHA-256 of the canonical body."""
    digest = hashlib.sha256(canonical_body(body).encode("utf-8"))
    return digest.hexdigest()[:REVISION_LENGTH]
