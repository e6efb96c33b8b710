"""In-process key-value store with expiry, for the embedded single-process run."""

from __future__ import annotations

import re
import time

from rapat.bus.errors import BusUnavailableError
from rapat.bus.expiry import ExpiryIndex, check_ttl
from rapat.bus.interfaces import Clock

# Redis accepts exactly this form for counters; matching it keeps both stores alike.
_INTEGER = re.compile(rb"-?(0|[1-9][0-9]*)")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# Expired keys removed per operation at most, so one call never stalls the event loop;
# what is left is removed by the next calls (and every access checks its own key).
SWEEP_BATCH = 256


def parse_counter(value: bytes) -> int:
    """The 64-bit integer a counter holds, or ValueError as Redis would refuse it."""
    if _INTEGER.fullmatch(value) is None:
        raise ValueError(f"value is not an integer: {value[:32]!r}")
    number = int(value)
    check_int64(number)
    return number


def check_int64(number: int) -> int:
    if not _INT64_MIN <= number <= _INT64_MAX:
        raise ValueError("counter would leave the 64-bit range")
    return number


class MemoryKeyValue:
    """Keys live in a dict; deadlines in an ``ExpiryIndex``.

    Expired keys are dropped lazily when touched and, amortised, a batch of due keys on
    every call, so memory follows the live keys.
    """

    def __init__(self, clock: Clock = time.monotonic, *, sweep_batch: int = SWEEP_BATCH) -> None:
        self._clock = clock
        self._sweep_batch = sweep_batch
        self._values: dict[str, bytes] = {}
        self._expiry: ExpiryIndex[str] = ExpiryIndex()
        self._closed = False

    def __len__(self) -> int:
        """Keys held right now, expired ones not yet swept included."""
        return len(self._values)

    async def get(self, key: str) -> bytes | None:
        return self._live(key, self._tick())

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        self._store(key, value, ttl, self._tick())

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        now = self._tick()
        if self._live(key, now) is not None:
            return False
        self._store(key, value, ttl, now)
        return True

    async def delete(self, key: str) -> bool:
        now = self._tick()
        existed = self._live(key, now) is not None
        self._drop(key)
        return existed

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        now = self._tick()
        if ttl is not None:
            check_ttl(ttl)
        current = self._live(key, now)
        if current is None:
            value = check_int64(amount)
            self._store(key, str(value).encode(), ttl, now)
            return value
        value = check_int64(parse_counter(current) + amount)
        self._values[key] = str(value).encode()  # the deadline stays as it was
        return value

    async def expire(self, key: str, ttl: float) -> bool:
        now = self._tick()
        check_ttl(ttl)
        if self._live(key, now) is None:
            return False
        self._expiry.set(key, now + ttl)
        return True

    async def ttl(self, key: str) -> float | None:
        now = self._tick()
        if self._live(key, now) is None:
            return None
        deadline = self._expiry.get(key)
        return None if deadline is None else deadline - now

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True
        self._values.clear()
        self._expiry = ExpiryIndex()

    def _tick(self) -> float:
        if self._closed:
            raise BusUnavailableError("the key-value store is closed")
        now = self._clock()
        for key in self._expiry.pop_due(now, self._sweep_batch):
            self._values.pop(key, None)
        return now

    def _live(self, key: str, now: float) -> bytes | None:
        deadline = self._expiry.get(key)
        if deadline is not None and deadline <= now:
            self._drop(key)
            return None
        return self._values.get(key)

    def _store(self, key: str, value: bytes, ttl: float | None, now: float) -> None:
        if ttl is None:
            self._expiry.discard(key)
        else:
            self._expiry.set(key, now + check_ttl(ttl))
        self._values[key] = value

    def _drop(self, key: str) -> None:
        self._values.pop(key, None)
        self._expiry.discard(key)
