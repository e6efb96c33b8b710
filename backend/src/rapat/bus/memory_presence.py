"""In-process presence: groups of members with their own deadlines."""

from __future__ import annotations

import time

from rapat.bus.errors import BusUnavailableError
from rapat.bus.expiry import ExpiryIndex, check_ttl
from rapat.bus.interfaces import Clock
from rapat.bus.memory_kv import SWEEP_BATCH


class MemoryPresence:
    """Expired members are skipped on read and swept in batches on every call; a group
    disappears with its last member, so memory follows who is present now.
    """

    def __init__(self, clock: Clock = time.monotonic, *, sweep_batch: int = SWEEP_BATCH) -> None:
        self._clock = clock
        self._sweep_batch = sweep_batch
        self._groups: dict[str, set[str]] = {}
        self._expiry: ExpiryIndex[tuple[str, str]] = ExpiryIndex()
        self._closed = False

    @property
    def group_count(self) -> int:
        """Groups held right now, including ones whose members expired but are not swept."""
        return len(self._groups)

    async def touch(self, group: str, member: str, ttl: float) -> None:
        now = self._tick()
        self._expiry.set((group, member), now + check_ttl(ttl))
        self._groups.setdefault(group, set()).add(member)

    async def remove(self, group: str, member: str) -> None:
        self._tick()
        self._forget(group, member)

    async def members(self, group: str) -> set[str]:
        now = self._tick()
        return {m for m in self._groups.get(group, ()) if self._alive(group, m, now)}

    async def is_member(self, group: str, member: str) -> bool:
        now = self._tick()
        return member in self._groups.get(group, ()) and self._alive(group, member, now)

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True
        self._groups.clear()
        self._expiry = ExpiryIndex()

    def _tick(self) -> float:
        if self._closed:
            raise BusUnavailableError("presence is closed")
        now = self._clock()
        for group, member in self._expiry.pop_due(now, self._sweep_batch):
            self._forget(group, member)
        return now

    def _alive(self, group: str, member: str, now: float) -> bool:
        deadline = self._expiry.get((group, member))
        return deadline is not None and deadline > now

    def _forget(self, group: str, member: str) -> None:
        self._expiry.discard((group, member))
        members = self._groups.get(group)
        if members is None:
            return
        members.discard(member)
        if not members:
            del self._groups[group]
