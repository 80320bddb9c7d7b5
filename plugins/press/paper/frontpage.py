"""Editorial priority: the order of the front page, the same in every edition (contract §5).

The lead, then the editorial, then the features by ``Order`` (ties: newer
first), then every other article newest first.  A placement whose ``Until``
day has passed no longer counts; the article then ranks by its date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from press.translation.parity import Placement

T = TypeVar("T")

RANK = {"lead": 0, "editorial": 1, "feature": 2}
UNPLACED = 3


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """An item with what the front page orders it by."""

    item: T
    key: str
    date: datetime.datetime
    placement: Placement

    def slot(self, today: datetime.date) -> str | None:
        """'lead', 'editorial', 'feature' while the placement is active, else None."""
        return self.placement.kind if self.placement.active_on(today) else None


def front_page_order(items: Iterable[Ranked[T]], today: datetime.date) -> list[Ranked[T]]:
    """Every item in front-page order; a new list, the input is left alone."""

    def sort_key(ranked: Ranked[T]):
        slot = ranked.slot(today)
        rank = RANK.get(slot, UNPLACED) if slot else UNPLACED
        order = ranked.placement.order if slot == "feature" else 0
        # newest first: negate the timestamp; the key breaks exact ties stably
        return (rank, order, -ranked.date.timestamp(), ranked.key)

    return sorted(items, key=sort_key)


def newest_first(items: Iterable[Ranked[T]]) -> list[Ranked[T]]:
    return sorted(items, key=lambda ranked: (-ranked.date.timestamp(), ranked.key))
