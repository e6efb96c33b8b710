"""Redis pub/sub: one subscriber connection per adapter, shared by all local subscribers.

Channels live under ``<prefix>pubsub:``. A reader task owns the connection: it connects,
subscribes every channel that has local subscribers, and hands each message to their
inboxes (``subscription.Fanout``). The first local subscriber of a channel sends
SUBSCRIBE, the last one to close sends UNSUBSCRIBE.

A new subscriber is attached when the reply to a PING sent after its SUBSCRIBE comes
back. The server answers in order, so from then on it gets exactly what was published
after its SUBSCRIBE took effect: nothing older still in flight to the other subscribers
of the channel, nothing newer missed.

The connection is driven directly instead of through redis-py's ``PubSub``, whose
recovery reconnects from whichever task meets the error; with one task reading and
others subscribing, that races. Here only the reader reconnects: other tasks send
commands while the connection is up and otherwise leave them to the reader, which on
every (re)connect subscribes the full set again, backing off from ``reconnect_delay``
doubling up to ``max_reconnect_delay``. Messages published while disconnected are lost
(Redis pub/sub is at most once), so a dropped connection ends every attached
subscription as *lost*: its subscriber reads what arrived before the drop, then gets
``BusUnavailableError`` and knows to recover (subscribe again, reload state). Joiners not
yet attached are carried over to the next connection: nothing was promised to them yet.
Works over RESP2 and RESP3.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as redis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import RedisError

from rapat.bus.errors import BusUnavailableError
from rapat.bus.redis_support import ping, translated_errors
from rapat.bus.subscription import DEFAULT_INBOX_SIZE, Fanout, QueueSubscription

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Joiner:
    """A subscription waiting for its PING reply before it is attached."""

    subscription: QueueSubscription
    attached: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


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
        # Local subscribers per channel, attached or joining: the server subscriptions.
        self._counts: dict[str, int] = {}
        self._joining: list[_Joiner] = []
        # One entry per PING in flight on the current connection, oldest first.
        self._fences: deque[list[_Joiner]] = deque()
        # Orders commands between tasks and against the reader's resubscribe.
        self._lock = asyncio.Lock()
        self._connection: AbstractConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False
        self.connects = 0
        """Connections the reader has set up (more than one means it recovered)."""
        self.losses = 0
        """Dropped connections that ended subscriptions as lost."""

    async def publish(self, channel: str, message: bytes) -> None:
        self._check_open()
        with translated_errors():
            await self._client.publish(self._name(channel), message)

    async def subscribe(self, channel: str) -> QueueSubscription:
        self._check_open()
        joiner = _Joiner(QueueSubscription(channel, self._inbox_size, self._release))
        try:
            async with self._lock:
                await self._join(joiner)
            async with asyncio.timeout(self._subscribe_timeout):
                await joiner.attached
        except TimeoutError:
            await joiner.subscription.close()
            raise BusUnavailableError(f"redis did not confirm subscribing to {channel!r}") from None
        except BaseException:
            await joiner.subscription.close()  # cancelled: leave nothing registered behind
            raise
        self._check_open()  # close() wakes joiners without attaching them
        return joiner.subscription

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
        for joiner in self._joining:
            joiner.subscription.end()
            if not joiner.attached.done():
                joiner.attached.set_result(None)
        self._joining.clear()
        self._counts.clear()

    async def _join(self, joiner: _Joiner) -> None:
        channel = joiner.subscription.channel
        self._joining.append(joiner)
        self._counts[channel] = self._counts.get(channel, 0) + 1
        if self._counts[channel] == 1:
            await self._send("SUBSCRIBE", self._name(channel))
        await self._send("PING", fence=[joiner])
        if self._reader is None:
            self._reader = asyncio.create_task(self._run(), name="rapat-bus-pubsub-reader")

    async def _release(self, subscription: QueueSubscription) -> None:
        async with self._lock:
            joining = [j for j in self._joining if j.subscription is subscription]
            if not self._fanout.remove(subscription) and not joining:
                return  # never got registered (cancelled while waiting for the lock)
            for joiner in joining:
                self._joining.remove(joiner)
                joiner.attached.cancel()  # a fence reply still in flight must skip it
            channel = subscription.channel
            left = self._counts.get(channel, 0) - 1
            if left > 0:
                self._counts[channel] = left
                return
            self._counts.pop(channel, None)
            await self._send("UNSUBSCRIBE", self._name(channel))

    async def _send(self, *command: str, fence: list[_Joiner] | None = None) -> None:
        """Send on the live connection; without one, the reader's next connect catches up.

        ``fence``: the joiners to attach when the reply to this command (a PING) arrives.
        """
        connection = self._connection
        # Checked right before the write: a dropped connection must not be reopened here,
        # behind the reader's back.
        if connection is None or not connection.is_connected:
            return
        if fence is not None:
            # Queued before writing: the reader may dispatch the reply before the send
            # returns. If the write fails the connection is dropped, and with it the queue.
            self._fences.append(fence)
        try:
            await connection.send_command(*command, check_health=False)
        # Broad on purpose: a write racing the reader's teardown fails in driver-internal
        # ways (a writer already gone); the reader notices the drop and resubscribes.
        except Exception as exc:
            log.warning("pub/sub %s failed, the reader will recover: %s", command[0], exc)

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
            # Anything else is a bug, but a dead reader would silence every subscriber:
            # log it loudly and start over on a fresh connection.
            except Exception:
                log.exception("pub/sub reader failed, reconnecting in %.2fs", delay)
            finally:
                self._connection = None
                if connection is not None:
                    await _give_back(self._client, connection)
            self._lose_attached()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_reconnect_delay)

    def _lose_attached(self) -> None:
        """The connection dropped: every attached subscription may have missed messages.
        Synchronous, so no command or resubscribe interleaves with the bookkeeping."""
        lost = self._fanout.lose_all()
        for subscription in lost:
            left = self._counts.get(subscription.channel, 0) - 1
            if left > 0:
                self._counts[subscription.channel] = left
            else:
                self._counts.pop(subscription.channel, None)
        if lost:
            self.losses += 1
            log.warning("pub/sub lost %d subscriptions with the connection", len(lost))

    async def _resubscribe(self, connection: AbstractConnection) -> None:
        async with self._lock:
            self._fences.clear()  # PINGs sent on the old connection will never be answered
            if self._counts:
                names = [self._name(channel) for channel in self._counts]
                await connection.send_command("SUBSCRIBE", *names, check_health=False)
            if self._joining:
                self._fences.append(list(self._joining))
                await connection.send_command("PING", check_health=False)
            self._connection = connection
            self.connects += 1

    def _dispatch(self, reply: Any) -> None:
        # A PING reply is [b"pong", b""] in subscribed RESP2 and a plain b"PONG" in RESP3.
        if isinstance(reply, bytes) or (isinstance(reply, list) and reply[:1] == [b"pong"]):
            if self._fences:
                self._attach(self._fences.popleft())
            return
        if isinstance(reply, list) and len(reply) == 3 and reply[0] == b"message":
            channel = self._channel(reply[1])
            if channel is not None:
                self._fanout.deliver(channel, bytes(reply[2]))

    def _attach(self, joiners: list[_Joiner]) -> None:
        for joiner in joiners:
            if joiner.attached.done():
                continue  # gave up waiting and was (or is being) released
            self._joining.remove(joiner)
            self._fanout.add(joiner.subscription)
            joiner.attached.set_result(None)

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
