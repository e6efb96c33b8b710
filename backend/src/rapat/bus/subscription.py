"""A subscriber's bounded inbox and the channel registry that fans messages out to them.

Both pub/sub implementations deliver through these; Redis only adds the network hop.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from rapat.bus.errors import BusUnavailableError

DEFAULT_INBOX_SIZE = 1024


class QueueSubscription:
    """One subscriber's inbox of at most ``maxsize`` messages.

    Overflow policy: a publisher never waits for a slow subscriber. When the inbox is
    full the oldest message is dropped and counted in ``dropped``, so a subscriber that
    catches up sees the most recent state, and one stuck consumer cannot stall a channel.
    """

    def __init__(
        self,
        channel: str,
        maxsize: int,
        release: Callable[[QueueSubscription], Awaitable[None]],
    ) -> None:
        if maxsize < 1:
            raise ValueError(f"inbox size must be at least 1, got {maxsize}")
        self._channel = channel
        self._maxsize = maxsize
        self._release = release
        self._inbox: deque[bytes] = deque()
        self._wakeup = asyncio.Event()
        self._ended = False
        self._lost = False
        self._dropped = 0

    @property
    def channel(self) -> str:
        return self._channel

    @property
    def dropped(self) -> int:
        return self._dropped

    @property
    def pending(self) -> int:
        """Messages received and not yet read."""
        return len(self._inbox)

    def deliver(self, message: bytes) -> None:
        """Queue a message without ever blocking the publisher (see the overflow policy)."""
        if self._ended:
            return
        if len(self._inbox) >= self._maxsize:
            self._inbox.popleft()
            self._dropped += 1
        self._inbox.append(message)
        self._wakeup.set()

    def end(self) -> None:
        """Stop delivery and finish iteration, without telling the adapter (it is closing)."""
        self._ended = True
        self._inbox.clear()
        self._wakeup.set()

    def lose(self) -> None:
        """The bus lost this subscription (its connection dropped): what was received
        before is still read, then iteration raises ``BusUnavailableError``, so the
        subscriber knows that it may have missed messages. Already released."""
        self._ended = True
        self._lost = True
        self._wakeup.set()

    @property
    def lost(self) -> bool:
        return self._lost

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> bytes:
        while not self._inbox:
            if self._lost:
                raise BusUnavailableError(f"the subscription to {self._channel!r} was lost")
            if self._ended:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._inbox.popleft()

    async def close(self) -> None:
        if self._ended:
            self._inbox.clear()  # lost, or ended by the adapter: nothing to release
            return
        self.end()
        await self._release(self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class Fanout:
    """Which local subscriptions listen to which channel."""

    def __init__(self) -> None:
        self._channels: dict[str, set[QueueSubscription]] = {}

    def add(self, subscription: QueueSubscription) -> bool:
        """Register; True when it is the channel's first subscriber."""
        subscribers = self._channels.setdefault(subscription.channel, set())
        subscribers.add(subscription)
        return len(subscribers) == 1

    def remove(self, subscription: QueueSubscription) -> bool:
        """Unregister; True when it was registered."""
        subscribers = self._channels.get(subscription.channel)
        if subscribers is None or subscription not in subscribers:
            return False
        subscribers.discard(subscription)
        if not subscribers:
            del self._channels[subscription.channel]
        return True

    def deliver(self, channel: str, message: bytes) -> int:
        """Give the message to every subscriber of the channel; returns how many."""
        subscribers = self._channels.get(channel, ())
        for subscription in subscribers:
            subscription.deliver(message)
        return len(subscribers)

    def channels(self) -> list[str]:
        return list(self._channels)

    def has(self, channel: str) -> bool:
        return channel in self._channels

    def lose_all(self) -> list[QueueSubscription]:
        """Unregister every subscription as lost (see ``QueueSubscription.lose``)."""
        lost = [s for subscribers in self._channels.values() for s in subscribers]
        self._channels.clear()
        for subscription in lost:
            subscription.lose()
        return lost

    def end_all(self) -> None:
        for subscribers in self._channels.values():
            for subscription in subscribers:
                subscription.end()
        self._channels.clear()
