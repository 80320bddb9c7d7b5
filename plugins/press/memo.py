"""Memoised methods whose cache lives on the instance, and dies with it.

``functools.cache`` on a method keeps its cache on the *function*, keyed by
``self``: every instance it ever saw stays alive for the life of the process.
In the preview server (``pelican --autoreload``), which builds a new ``Build``,
generator and page model on every run, that grew memory by ~15 MiB a run.
``per_instance_cache`` keeps the same cache in the instance's ``__dict__``
instead, so it goes when the run's objects go.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def per_instance_cache(method: Callable[..., Result]) -> Callable[..., Result]:
    """Cache ``method(self, *args)`` (hashable positional arguments) on ``self``."""
    slot = f"_cache_{method.__name__}"

    @functools.wraps(method)
    def cached(self, *args):
        cache = self.__dict__.get(slot)
        if cache is None:
            cache = self.__dict__[slot] = {}
        try:
            return cache[args]
        except KeyError:
            value = cache[args] = method(self, *args)
            return value

    return cached
