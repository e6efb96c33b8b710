"""The seams of the bus: key-value with expiry, pub/sub and presence.

Each has two implementations: in-process (``memory_*``) for the embedded single-process
run, and Redis (``redis_*``) for several nodes. Both pass the same contract tests.
Errors are ``BusError`` / ``BusUnavailableError`` (``rapat.bus.errors``); a value
that is not allowed (such as a TTL that is not positive) raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

Clock = Callable[[], float]
"""Seconds from an arbitrary fixed origin (``time.monotonic`` in production)."""


class KeyValue(Protocol):
    """Byte values under string keys, each with an optional time to live in seconds.

    An expired key behaves exactly as an absent one. TTLs must be positive.
    """

    async def get(self, key: str) -> bytes | None:
        """The value, or None when the key is absent."""
        ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        """Store the value; without a TTL the key never expires (any old TTL is cleared)."""
        ...

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        """Store only if the key is absent; True when this call stored it."""
        ...

    async def delete(self, key: str) -> bool:
        """Remove the key; True when it existed."""
        ...

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        """Atomically add to an integer counter and return the new value.

        An absent key starts at 0 and, when ``ttl`` is given, gets that TTL; an existing
        key keeps its TTL (a fixed rate-limit window). A value that is not a 64-bit
        integer raises ``ValueError`` and is left unchanged.
        """
        ...

    async def expire(self, key: str, ttl: float) -> bool:
        """Set a new TTL on an existing key; False when the key is absent."""
        ...

    async def ttl(self, key: str) -> float | None:
        """Seconds left, or None when the key is absent or never expires."""
        ...

    async def ping(self) -> bool:
        """True when the store answers; never raises (for readiness checks)."""
        ...

    async def close(self) -> None:
        """Release what this adapter holds; calling it twice is harmless."""
        ...


class Subscription(Protocol):
    """The messages of one channel for one subscriber, in publish order.

    Iterate with ``async for``; iteration ends when the subscription or its adapter is
    closed. Delivery is at most once: a subscriber that falls behind its bounded inbox
    loses the oldest messages (counted in ``dropped``). A subscription is never silently
    cut: when the adapter loses it (with Redis, the connection dropped, so messages
    published until it is back are lost), iteration yields what arrived before and then
    raises ``BusUnavailableError``; the subscriber subscribes again and reloads whatever
    state it cannot afford to have missed.
    """

    @property
    def channel(self) -> str:
        """The channel name as given to ``subscribe``."""
        ...

    @property
    def dropped(self) -> int:
        """How many messages were discarded because the inbox was full."""
        ...

    def __aiter__(self) -> Self: ...

    async def __anext__(self) -> bytes: ...

    async def close(self) -> None:
        """Stop delivery, discard queued messages and free the slot; idempotent."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class PubSub(Protocol):
    """Fan-out of byte messages to every current subscriber of a channel (on every node)."""

    async def publish(self, channel: str, message: bytes) -> None:
        """Send to the channel's current subscribers; nobody listening is not an error."""
        ...

    async def subscribe(self, channel: str) -> Subscription:
        """Start receiving; every message published after this returns is delivered."""
        ...

    async def ping(self) -> bool:
        """True when publishing and receiving work right now; never raises."""
        ...

    async def close(self) -> None:
        """End every subscription and release the connection; idempotent."""
        ...


class Presence(Protocol):
    """Named groups of members, each member with its own expiry ("who is online/in a room").

    A member that is not touched again within its TTL drops out by itself, so a crashed
    node cannot leave people present forever.
    """

    async def touch(self, group: str, member: str, ttl: float) -> None:
        """Add the member, or refresh it, to expire ``ttl`` seconds from now."""
        ...

    async def remove(self, group: str, member: str) -> None:
        """Take the member out now; absent members are ignored."""
        ...

    async def members(self, group: str) -> set[str]:
        """The unexpired members."""
        ...

    async def is_member(self, group: str, member: str) -> bool:
        """True when the member is present and unexpired."""
        ...

    async def ping(self) -> bool:
        """True when the store answers; never raises."""
        ...

    async def close(self) -> None:
        """Release what this adapter holds; idempotent."""
        ...
