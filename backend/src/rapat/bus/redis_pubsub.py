"""Redis pub/sub: one subscriber connection per adapter, shared by all local subscribers.

Channels live under ``<prefix>pubsub:``. A reader task owns the connection: it connects,
subscribes every channel that has local subscribers, and hands each message to their
inboxes (``subscription.Fanout``). The first local subscriber of a channel sends
SUBSCRIBE, the last one to close sends UNSUBSCRIBE.

The connection is driven directly instead of through redis-py's ``PubSub``, whose
recovery reconnects from whichever task meets the error; with one task reading and
others subscribing, that races. Here only the reader reconnects: other tasks send
commands while the connection is up and otherwise leave the channel to the reader, which
on every (re)connect subscribes the full set again, backing off from ``reconnect_delay``
doubling up to ``max_reconnect_delay``. Messages published while disconnected are lost
(Redis pub/sub is at most once). Works over RESP2 and RESP3 (redis-py's default).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any

import redis.asyncio as redis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import RedisError

from rapat.bus.errors import BusUnavailableError
from rapat.bus.redis_support import ping, translated_errors
from rapat.bus.subscription import DEFAULT_INBOX_SIZE, Fanout, QueueSubscription

log = logging.getLogger(__name__)


class RedisPubSub:
    """The client (and its pool) belongs to the caller; ``close`` returns the connection."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "rapat:",
        *,
        inbox_size: int = DEFAULT_INBOX_SIZE,
        subscribe_timeout: float = 5.0,
        reconnect_delay: float = 0.05,
        max_reconnect_delay: float = 2.0,
    ) -> None:
        self._client = client
        self._prefix = f"{prefix}pubsub:"
        self._inbox_size = inbox_size
        self._subscribe_timeout = subscribe_timeout
        self._reconnect_delay = reconnect_delay
        self._max_reconnect_delay = max_reconnect_delay
        self._fanout = Fanout()
        # Set once the server confirmed the channel's SUBSCRIBE on the current connection.
        self._ready: dict[str, asyncio.Event] = {}
        # SUBSCRIBE replies still to come on the current connection, per channel.
        self._unacked: dict[str, int] = {}
        # Orders SUBSCRIBE/UNSUBSCRIBE between tasks and against the reader's resubscribe.
        self._lock = asyncio.Lock()
        self._connection: AbstractConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False
        self.connects = 0
        """Connections the reader has set up (more than one means it recovered)."""

    async def publish(self, channel: str, message: bytes) -> None:
        self._check_open()
        with translated_errors():
            await self._client.publish(self._name(channel), message)

    async def subscribe(self, channel: str) -> QueueSubscription:
        self._check_open()
        subscription = QueueSubscription(channel, self._inbox_size, self._release)
        async with self._lock:
            if self._fanout.add(subscription):
                self._ready[channel] = asyncio.Event()
                await self._send("SUBSCRIBE", channel)
            ready = self._ready[channel]
            if self._reader is None:
                self._reader = asyncio.create_task(self._run(), name="rapat-bus-pubsub-reader")
        try:
            async with asyncio.timeout(self._subscribe_timeout):
                await ready.wait()
        except TimeoutError:
            await subscription.close()
            raise BusUnavailableError(f"redis did not confirm subscribing to {channel!r}") from None
        if self._closed:
            raise BusUnavailableError("pub/sub is closed")
        return subscription

    async def ping(self) -> bool:
        if self._closed:
            return False
        if self._reader is not None and self._connection is None:
            return False  # the reader is between connections: nothing is being received
        return await ping(self._client)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._fanout.end_all()
        for ready in self._ready.values():
            ready.set()  # wake subscribe() calls still waiting, which then see the close
        self._ready.clear()

    async def _release(self, subscription: QueueSubscription) -> None:
        async with self._lock:
            if self._fanout.remove(subscription):
                self._ready.pop(subscription.channel, None)
                await self._send("UNSUBSCRIBE", subscription.channel)

    async def _send(self, command: str, channel: str) -> None:
        """Send on the live connection; with none, the reader's next connect catches up."""
        connection = self._connection
        # Checked right before the write: a disconnected connection must not be reopened
        # here, behind the reader's back.
        if connection is None or not connection.is_connected:
            return
        if command == "SUBSCRIBE":
            self._unacked[channel] = self._unacked.get(channel, 0) + 1
        try:
            await connection.send_command(command, self._name(channel), check_health=False)
        except (RedisError, OSError) as exc:
            log.warning(
                "pub/sub %s %r failed, the reader will resubscribe: %s", command, channel, exc
            )

    async def _run(self) -> None:
        delay = self._reconnect_delay
        while True:
            connection: AbstractConnection | None = None
            try:
                pool = self._client.connection_pool
                connection = await pool.get_connection()  # type: ignore[no-untyped-call]
                await self._resubscribe(connection)
                delay = self._reconnect_delay
                while True:
                    # push_request: over RESP3 pub/sub replies are pushes, which would
                    # otherwise go to a logging handler instead of being returned.
                    reply = await connection.read_response(
                        disable_decoding=True, timeout=math.inf, push_request=True
                    )
                    self._dispatch(reply)
            except (RedisError, OSError) as exc:
                log.warning("pub/sub connection lost, reconnecting in %.2fs: %s", delay, exc)
            finally:
                self._connection = None
                if connection is not None:
                    await _give_back(self._client, connection)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_reconnect_delay)

    async def _resubscribe(self, connection: AbstractConnection) -> None:
        async with self._lock:
            channels = self._fanout.channels()
            self._unacked = dict.fromkeys(channels, 1)
            for channel in channels:
                self._ready[channel].clear()
            if channels:
                names = [self._name(channel) for channel in channels]
                await connection.send_command("SUBSCRIBE", *names, check_health=False)
            self._connection = connection
            self.connects += 1

    def _dispatch(self, reply: Any) -> None:
        if not isinstance(reply, list) or len(reply) != 3:
            return
        kind, name, payload = reply
        channel = self._channel(name)
        if channel is None:
            return
        if kind == b"message":
            self._fanout.deliver(channel, bytes(payload))
        elif kind == b"subscribe":
            left = self._unacked.get(channel, 0) - 1
            if left > 0:
                self._unacked[channel] = left
                return
            self._unacked.pop(channel, None)
            ready = self._ready.get(channel)
            if ready is not None:
                ready.set()

    def _check_open(self) -> None:
        if self._closed:
            raise BusUnavailableError("pub/sub is closed")

    def _name(self, channel: str) -> str:
        return self._prefix + channel

    def _channel(self, name: bytes) -> str | None:
        text = name.decode(errors="replace")
        return text[len(self._prefix) :] if text.startswith(self._prefix) else None


async def _give_back(client: redis.Redis, connection: AbstractConnection) -> None:
    # Disconnect first: a connection still subscribed must never serve other commands.
    with contextlib.suppress(RedisError, OSError):
        await connection.disconnect(nowait=True)
    await client.connection_pool.release(connection)
