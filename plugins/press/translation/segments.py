"""A version's translatable segments, and putting translated segments back byte for byte.

A segment is one unit a translator works on: the title, the summary, the share caption, and in
the body each paragraph, heading, list item, quote paragraph, table cell and the text of an image
that stands alone.  The body is parsed with markdown-it-py (CommonMark plus tables) only to find
where each segment lies in the source; nothing is re-rendered.  Writing a translation back copies
the template's bytes and replaces only the segments whose text changed, so a translation that
went through a PO file unchanged comes back identical to the byte.

Inside a segment, what a translator should not touch is hidden behind numbered placeholders
``{1}``, ``{2}``, …: link and image destinations (``](dest "title")``, ``][ref]``), autolinks and
inline HTML tags (``<…>``), and any literal ``{n}`` already in the text.  :attr:`Segment.values`
says what each placeholder stands for; :func:`expand` puts them back.

Pure: no Pelican, no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from press.translation.alignment import Block, make_block

HEADER_FIELDS = ("title", "summary", "share")
PLACEHOLDER = re.compile(r"\{(\d+)\}")
TAG_OR_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*|[^<>\s@]+@[^<>\s@]+|/?[A-Za-z!?][^<>]*)>")
HARD_BREAK = re.compile(r"(?:\\| {2,})$")
CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CODE_SPAN = re.compile(r"`+([^`]+)`+")
DESTINATION = re.compile(r"^[(\[]\s*<?([^\s>)\]]*)")
# The kinds of segment as the block alignment (press.translation.alignment) names blocks.
BLOCK_KINDS = {"table cell": "table row"}

_PARSER = MarkdownIt("commonmark").enable("table")


class SegmentError(ValueError):
    """A translated text that cannot be put back (e.g. a broken placeholder)."""


@dataclass(frozen=True)
class Segment:
    """One translatable unit of a version."""

    kind: str  # title, summary, share, heading, paragraph, list item, quote, table cell, image
    text: str  # what the translator sees: placeholders instead of destinations and tags
    values: tuple[str, ...]  # what {1}, {2}, … stand for, in order
    start: int = 0  # span of the segment's source in the body (header fields: unused)
    end: int = 0
    continuation: str = ""  # what starts each further line of this segment

    @property
    def source(self) -> str:
        """The segment's text with its placeholders filled in."""
        return expand(self.text, self.values)

    @property
    def identity(self) -> tuple[str, str, tuple[str, ...]]:
        """What decides whether two segments say the same thing."""
        return (self.kind, self.text, self.values)


def expand(text: str, values: tuple[str, ...] | list[str] | dict[int, str]) -> str:
    """``text`` with each ``{n}`` replaced by what it stands for."""
    lookup = values if isinstance(values, dict) else {i + 1: v for i, v in enumerate(values)}

    def fill(match: re.Match) -> str:
        number = int(match.group(1))
        if number not in lookup:
            raise SegmentError(f"placeholder {{{number}}} stands for nothing")
        return lookup[number]

    return PLACEHOLDER.sub(fill, text)


def placeholders_in(text: str) -> list[int]:
    return [int(number) for number in PLACEHOLDER.findall(text)]


def hide_markup(source: str) -> tuple[str, tuple[str, ...]]:
    """Replace destinations, tags and literal ``{n}`` in inline Markdown with placeholders."""
    values: list[str] = []
    out: list[str] = []
    index = 0
    length = len(source)

    def hold(value: str) -> None:
        values.append(value)
        out.append(f"{{{len(values)}}}")

    while index < length:
        char = source[index]
        if char == "\\" and index + 1 < length:
            out.append(source[index : index + 2])
            index += 2
            continue
        if char == "`":
            run = len(source[index:]) - len(source[index:].lstrip("`"))
            closing = source.find("`" * run, index + run)
            if closing >= 0:
                out.append(source[index : closing + run])
                index = closing + run
                continue
        if char == "]" and index + 1 < length and source[index + 1] in "([":
            end = _destination_end(source, index + 1)
            if end is not None:
                out.append("]")
                hold(source[index + 1 : end])
                index = end
                continue
        if char == "<":
            match = TAG_OR_AUTOLINK.match(source, index)
            if match:
                hold(match.group(0))
                index = match.end()
                continue
        if char == "{":
            match = PLACEHOLDER.match(source, index)
            if match:
                hold(match.group(0))
                index = match.end()
                continue
        out.append(char)
        index += 1
    return "".join(out), tuple(values)


def _destination_end(source: str, index: int) -> int | None:
    """End of ``(dest "title")`` or ``[ref]`` starting at ``index``, or None."""
    opener = source[index]
    closer = ")" if opener == "(" else "]"
    depth = 0
    position = index
    quote = None
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if quote:
            if char == quote:
                quote = None
        elif opener == "(" and char in "\"'" and source[position - 1].isspace():
            quote = char
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return position + 1
        elif char == "\n" and opener == "[":
            return None
        position += 1
    return None


def header_segments(source) -> list[Segment]:
    """Title, summary and share caption of a parsed source, in that order, when present."""
    segments = []
    for name in HEADER_FIELDS:
        value = source.value(name)
        if value and value.strip():
            text, values = hide_markup(value.strip())
            segments.append(Segment(name, text, values))
    return segments


def body_segments(body: str) -> list[Segment]:
    """Every translatable segment of a Markdown body, in reading order."""
    lines = body.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    tokens = _PARSER.parse(body)
    segments: list[Segment] = []
    containers: list[str] = []
    row_cells: list[tuple[int, int]] = []
    for position, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers.append(token.type)
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif token.type == "tr_open" and token.map:
            row_cells = _cell_spans(lines[token.map[0]], offsets[token.map[0]])
        elif token.type == "inline":
            opener = tokens[position - 1]
            if opener.type in ("th_open", "td_open"):
                if row_cells:
                    start, end = row_cells.pop(0)
                    if end > start:
                        text, values = hide_markup(body[start:end])
                        segments.append(Segment("table cell", text, values, start, end, ""))
                continue
            if not token.map or not token.content.strip():
                continue
            segment = _block_segment(body, lines, offsets, token, opener, containers)
            if segment is not None:
                segments.append(segment)
    return segments


def _cell_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each cell's stripped content in a table row."""
    bounds = []
    start = 0
    index = 0
    in_code = False
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            bounds.append((start, index))
            start = index + 1
        index += 1
    bounds.append((start, len(line)))
    if bounds and not line[bounds[0][0] : bounds[0][1]].strip() and line.lstrip().startswith("|"):
        bounds = bounds[1:]
    if bounds and not line[bounds[-1][0] : bounds[-1][1]].strip() and line.rstrip().endswith("|"):
        bounds = bounds[:-1]
    spans = []
    for cell_start, cell_end in bounds:
        cell = line[cell_start:cell_end]
        lead = len(cell) - len(cell.lstrip())
        trail = len(cell.rstrip())
        spans.append((offset + cell_start + lead, offset + cell_start + max(trail, lead)))
    return spans


def _block_segment(body, lines, offsets, token, opener, containers) -> Segment | None:
    content_lines = token.content.split("\n")
    first_line = token.map[0]
    if opener.type == "heading_open":
        kind = "heading"
    elif "blockquote_open" in containers:
        kind = "quote"
    elif containers:
        kind = "list item"
    else:
        kind = "paragraph"
    # Where the content starts and ends in the source.
    first = content_lines[0].lstrip()
    column = lines[first_line].find(first)
    if column < 0:
        return None
    last_index = first_line + len(content_lines) - 1
    last = content_lines[-1].rstrip()
    search_from = column if last_index == first_line else 0
    last_column = lines[last_index].find(last, search_from) if last else -1
    if last_column < 0:
        return None
    start = offsets[first_line] + column
    end = offsets[last_index] + last_column + len(last)
    if len(content_lines) > 1:
        second = content_lines[1].lstrip()
        continuation = lines[first_line + 1][: max(lines[first_line + 1].find(second), 0)]
    else:
        continuation = re.sub(r"[^>\s]", " ", lines[first_line][:column])
    children = token.children or []
    if kind == "paragraph" and len(children) == 1 and children[0].type == "image":
        alt_start = body.find("![", start, end)
        alt_end = _destination_start(body, alt_start + 1, end) if alt_start >= 0 else None
        if alt_end is None or alt_end <= alt_start + 2:
            return None
        text, values = hide_markup(body[alt_start + 2 : alt_end])
        return Segment("image", text, values, alt_start + 2, alt_end, "")
    raw_lines = content_lines
    pieces = []
    for index, raw in enumerate(raw_lines):
        piece = raw.strip() if not HARD_BREAK.search(raw) else raw.lstrip()
        if index + 1 < len(raw_lines):
            piece += "\n" if HARD_BREAK.search(raw) else " "
        pieces.append(piece)
    text, values = hide_markup("".join(pieces))
    return Segment(kind, text, values, start, end, continuation)


def segment_blocks(segments: list[Segment]) -> list[Block]:
    """Body segments as the block alignment compares them (the gate compares rendered blocks alike).

    Lengths are words, CJK characters counted as 1/1.7 of a word, in whatever language: the
    alignment compares them at the ratio of the two whole bodies.
    """
    blocks = []
    for segment in segments:
        text = PLACEHOLDER.sub(" ", segment.text)
        anchors = {"code:" + code for code in CODE_SPAN.findall(text)}
        for value in segment.values:
            destination = DESTINATION.match(value)
            if destination and destination.group(1):
                anchors.add("link:" + destination.group(1).rstrip("/"))
        cjk = len(CJK_CHARACTER.findall(text)) if not text.isascii() else 0
        words = len(CJK_CHARACTER.sub(" ", text).split()) if cjk else len(text.split())
        emphasis = len(re.findall(r"(?<![*_\w])[*_]{1,2}(?=\S)", text))
        kind = BLOCK_KINDS.get(segment.kind, segment.kind)
        blocks.append(make_block(kind, text, words + cjk / 1.7, anchors, emphasis))
    return blocks


def _destination_start(body: str, bracket: int, limit: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at ``bracket``."""
    depth = 0
    index = bracket
    while index < limit:
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def render_text(segment: Segment, text: str) -> str:
    """A translated segment's text as it goes into the body at ``segment``'s place."""
    if segment.kind in ("heading", "table cell", "image"):
        text = " ".join(part.strip() for part in text.split("\n"))
        if segment.kind == "table cell":
            text = re.sub(r"(?<!\\)\|", r"\\|", text)
        return text
    return ("\n" + segment.continuation).join(text.split("\n"))


def replace_segments(body: str, segments: list[Segment], sources: list[str | None]) -> str:
    """``body`` with each segment whose new source is given replaced by it.

    ``sources[i]`` is the new source text (placeholders already expanded) for
    ``segments[i]``, or None to keep the bytes that are there.
    """
    pieces = []
    position = 0
    for segment, source in zip(segments, sources, strict=True):
        if source is None or source == segment.source:
            continue
        pieces.append(body[position : segment.start])
        pieces.append(render_text(segment, source))
        position = segment.end
    pieces.append(body[position:])
    return "".join(pieces)
