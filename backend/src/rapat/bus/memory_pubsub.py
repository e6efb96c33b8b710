"""In-process pub/sub: each subscriber has its own bounded inbox."""

from __future__ import annotations

from rapat.bus.errors import BusUnavailableError
from rapat.bus.subscription import DEFAULT_INBOX_SIZE, Fanout, QueueSubscription


class MemoryPubSub:
    """Publishing copies the message reference into every subscriber's inbox, synchronously,
    so per-channel order is the order of ``publish`` calls and a publisher never waits.
    """

    def __init__(self, *, inbox_size: int = DEFAULT_INBOX_SIZE) -> None:
        self._inbox_size = inbox_size
        self._fanout = Fanout()
        self._closed = False

    async def publish(self, channel: str, message: bytes) -> None:
        self._check_open()
        self._fanout.deliver(channel, message)

    async def subscribe(self, channel: str) -> QueueSubscription:
        self._check_open()
        subscription = QueueSubscription(channel, self._inbox_size, self._release)
        self._fanout.add(subscription)
        return subscription

    def subscriber_channels(self) -> list[str]:
        """Channels with at least one subscriber (to check that closing frees them)."""
        return self._fanout.channels()

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True
        self._fanout.end_all()

    async def _release(self, subscription: QueueSubscription) -> None:
        self._fanout.remove(subscription)

    def _check_open(self) -> None:
        if self._closed:
            raise BusUnavailableError("pub/sub is closed")
