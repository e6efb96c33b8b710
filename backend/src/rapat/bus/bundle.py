"""The three bus adapters as one value, built in-process or on one Redis pool."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from rapat.bus.errors import BusUnavailableError
from rapat.bus.interfaces import Clock, KeyValue, Presence, PubSub
from rapat.bus.memory_kv import MemoryKeyValue
from rapat.bus.memory_presence import MemoryPresence
from rapat.bus.memory_pubsub import MemoryPubSub
from rapat.bus.redis_kv import RedisKeyValue
from rapat.bus.redis_presence import RedisPresence
from rapat.bus.redis_pubsub import RedisPubSub

POOL_TIMEOUT = 5.0


@dataclass(frozen=True)
class Bus:
    """Key-value, pub/sub and presence, closed together; ``release`` frees what they share."""

    kv: KeyValue
    pubsub: PubSub
    presence: Presence
    release: Callable[[], Awaitable[None]] | None = field(default=None, repr=False)

    async def ping(self) -> None:
        """Return when every part answers, else raise ``BusUnavailableError`` naming them."""
        results = await asyncio.gather(self.kv.ping(), self.pubsub.ping(), self.presence.ping())
        names = ("kv", "pubsub", "presence")
        failed = [name for name, ok in zip(names, results, strict=True) if not ok]
        if failed:
            raise BusUnavailableError(f"bus not healthy: {', '.join(failed)}")

    async def close(self) -> None:
        # Pub/sub first: its reader holds a connection of the pool released last.
        await self.pubsub.close()
        await self.presence.close()
        await self.kv.close()
        if self.release is not None:
            await self.release()


def memory_bus(clock: Clock = time.monotonic) -> Bus:
    """In-process adapters for a single process (the embedded default)."""
    return Bus(kv=MemoryKeyValue(clock), pubsub=MemoryPubSub(), presence=MemoryPresence(clock))


def redis_bus(url: str, prefix: str = "rapat:", *, max_connections: int = 64) -> Bus:
    """Redis adapters sharing one connection pool; every key and channel starts with ``prefix``.

    Nothing connects until first use, so this is safe to call during wiring. Pub/sub keeps
    one of the ``max_connections`` for itself.
    """
    # A blocking pool makes a burst of requests wait briefly for a connection instead of
    # failing with "too many connections".
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=POOL_TIMEOUT,
        decode_responses=False,
        socket_connect_timeout=5.0,
        # Keepalive notices a silently dead peer under the long pub/sub read; short
        # retries ride over a restarting server without stalling requests for long.
        socket_keepalive=True,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=1.0), retries=3),
    )
    client = redis.Redis.from_pool(pool)  # the client owns the pool: aclose() closes both
    return Bus(
        kv=RedisKeyValue(client, prefix),
        pubsub=RedisPubSub(client, prefix),
        presence=RedisPresence(client, prefix),
        release=client.aclose,
    )
