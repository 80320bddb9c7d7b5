"""What a Markdown body is made of, to tell an incomplete translation (contract §6)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields

from .headers import canonical_body

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d{1,9}[.)])\s+\S")
QUOTE = re.compile(r"^\s{0,3}>")
IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]|<img\b", re.IGNORECASE)
LINK = re.compile(r"(?<!!)\[[^\]^][^\]]*\]\s*[(\[]|<a\s[^>]*href|<https?://[^>]+>", re.IGNORECASE)
FOOTNOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^[^\]]+\]:")
TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")


@dataclass(frozen=True)
class Structure:
    """Counts of the parts a faithful translation keeps."""

    headings: int = 0
    list_items: int = 0
    quotes: int = 0
    images: int = 0
    links: int = 0
    footnotes: int = 0
    tables: int = 0

    def lacks(self, original: Structure) -> list[str]:
        """What the original has more of: 'original has 3 headings, translation 1'."""
        differences = []
        for part in fields(self):
            have, want = getattr(self, part.name), getattr(original, part.name)
            if have < want:
                label = part.name.replace("_", " ")
                differences.append(f"original has {want} {label}, translation {have}")
        return differences


@functools.lru_cache(maxsize=4096)
def measure(body: str) -> tuple[int, Structure]:
    """The body's length in characters and its structure; code blocks are skipped."""
    text = canonical_body(body)
    counts = dict.fromkeys((part.name for part in fields(Structure)), 0)
    in_fence = False
    in_quote = False
    previous = ""
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if QUOTE.match(line):
            if not in_quote:
                counts["quotes"] += 1
            in_quote = True
        elif not line.strip():
            in_quote = False
        if ATX_HEADING.match(line) or (
            previous.strip() and SETEXT_UNDERLINE.match(line) and not LIST_ITEM.match(previous)
        ):
            counts["headings"] += 1
        if LIST_ITEM.match(line) and not SETEXT_UNDERLINE.match(line):
            counts["list_items"] += 1
        if FOOTNOTE_DEFINITION.match(line):
            counts["footnotes"] += 1
        if "-" in line and TABLE_DELIMITER.match(line):
            counts["tables"] += 1
        if "[" in line or "<" in line:  # most lines have neither: skip the regexes
            counts["images"] += len(IMAGE.findall(line))
            counts["links"] += len(LINK.findall(line))
        previous = line
    return len(text), Structure(**counts)
