"""The one kind of cache services keep: small, bounded, thread-safe, per process, and keyed by
content stamps (a checksum, or an id with its version and ``updated_at``), so that a key never
names stale content and replicas never disagree.

The caches, all instances of ``Lru``: ``editions.PARSED`` (parsed editions by checksum),
``scored.FROZEN_SCORES`` (scores of validated and published assessments),
``insights.COMPARISONS`` (whole comparisons), ``downloads.REPORTS`` (country reports, keyed by
the last audit entry) and the comparison page's ``VIEWS`` (its charts).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

DEFAULT_SIZE = 64


class Lru:
    """A small thread-safe least-recently-used cache of values that never change for their key."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: tuple) -> object | None:
        """The value for ``key``, or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def values(self) -> list[object]:
        """Every value kept now."""
        with self._lock:
            return list(self._items.values())

    def clear(self) -> None:
        """Forget everything (benchmarks measure the work the cache saves)."""
        with self._lock:
            self._items.clear()

    def put(self, key: tuple, value: object) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used beyond the size."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
