"""Time-to-live helpers shared by the implementations: validation and an expiry index."""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

# Rebuild the heap once stale entries (left by refreshed or removed deadlines) exceed
# the live ones by this much, so memory follows the live keys, not the write history.
_COMPACT_SLACK = 64


def check_ttl(ttl: float) -> float:
    """Return ``ttl`` when it is a positive finite number of seconds, else raise ValueError."""
    if not math.isfinite(ttl) or ttl <= 0:
        raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
    return ttl


def to_millis(ttl: float) -> int:
    """A valid TTL in whole milliseconds, rounded up so a tiny TTL never becomes zero."""
    return max(1, math.ceil(check_ttl(ttl) * 1000))


class ExpiryIndex(Generic[K]):
    """Deadlines of keys, finding every due key in O(log n) per key.

    Replacing or discarding a deadline leaves a stale heap entry that is skipped when it
    surfaces; the heap is rebuilt when stale entries dominate.
    """

    def __init__(self) -> None:
        self._deadlines: dict[K, float] = {}
        self._heap: list[tuple[float, int, K]] = []
        # Ties on the deadline are broken by insertion order, so keys are never compared.
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._deadlines)

    @property
    def heap_size(self) -> int:
        """Entries held, stale ones included (bounded by about twice the live keys)."""
        return len(self._heap)

    def get(self, key: K) -> float | None:
        return self._deadlines.get(key)

    def set(self, key: K, deadline: float) -> None:
        self._deadlines[key] = deadline
        heapq.heappush(self._heap, (deadline, next(self._order), key))
        if len(self._heap) > 2 * len(self._deadlines) + _COMPACT_SLACK:
            self._compact()

    def discard(self, key: K) -> None:
        self._deadlines.pop(key, None)

    def pop_due(self, now: float, limit: int) -> list[K]:
        """Forget and return up to ``limit`` keys whose deadline is at or before ``now``."""
        due: list[K] = []
        heap = self._heap
        while heap and heap[0][0] <= now and len(due) < limit:
            deadline, _, key = heapq.heappop(heap)
            if self._deadlines.get(key) == deadline:
                del self._deadlines[key]
                due.append(key)
        return due

    def _compact(self) -> None:
        self._heap = [(d, next(self._order), k) for k, d in self._deadlines.items()]
        heapq.heapify(self._heap)
