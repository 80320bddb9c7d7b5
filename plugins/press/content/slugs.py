"""Terms whose pages would share a path (contract §3): a pure check on (name, slug) pairs.

Sections and tags get one page each, at a path made from their slug.  Two
names with one slug (``C`` and ``C++``, ``!!!`` and ``🔥``) would silently share
a page, and a name with no usable slug would get a page at ``tag//``.  Whoever
resolves terms (today the reader's Category/Tag, later ``content/terms.toml``)
hands the pairs to :func:`slug_clashes` and reports what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

USABLE_SLUG = re.compile(r"^[^/\\\s?#%]+$")


@dataclass(frozen=True)
class SlugClash:
    """Names that cannot each have their own page: a shared slug, or none at all."""

    slug: str
    names: tuple[str, ...]

    @property
    def unusable(self) -> bool:
        return not usable_slug(self.slug)

    def describe(self, what: str) -> str:
        if self.unusable:
            shown = " and ".join(f"{name!r}" for name in self.names)
            plural = "s have" if len(self.names) > 1 else " has"
            return (
                f"the {what}{plural} no usable slug: {shown} would have no page of their own "
                f"({what}/{self.slug}/); use names with letters or digits"
            )
        shown = " and ".join(f"{name!r}" for name in self.names)
        return (
            f"the {what}s {shown} would share one page ({what}/{self.slug}/): "
            "rename one of them so that their slugs differ"
        )


def usable_slug(slug: str) -> bool:
    return bool(slug) and slug not in (".", "..") and USABLE_SLUG.match(slug) is not None


def slug_clashes(pairs: Iterable[tuple[str, str]]) -> list[SlugClash]:
    """Every slug shared by two or more distinct names, and every unusable slug; sorted."""
    by_slug: dict[str, set[str]] = {}
    for name, slug in pairs:
        by_slug.setdefault(slug, set()).add(name)
    clashes = []
    for slug, names in sorted(by_slug.items()):
        if not usable_slug(slug) or len(names) > 1:
            clashes.append(SlugClash(slug, tuple(sorted(names))))
    return clashes
