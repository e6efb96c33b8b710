"""Where the counts live: process memory for one node, Redis for several."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import redis.asyncio as redis
from limits.aio.storage import MemoryStorage, RedisStorage

# A rate limit check sits on the request path: better to give up quickly on a stalled
# Redis (the limiter then lets the request through) than to hold every request up.
SOCKET_TIMEOUT = 1.0
POOL_TIMEOUT = 1.0
MAX_CONNECTIONS = 32

Storage = MemoryStorage | RedisStorage
Release = Callable[[], Awaitable[None]]


def limits_uri(url: str) -> str:
    """Our ``redis://``, ``rediss://`` or ``unix://`` URL in the scheme `limits` expects."""
    if url.startswith(("redis://", "rediss://")):
        return f"async+{url}"
    if url.startswith("unix://"):
        return "async+redis+" + url
    raise ValueError(f"not a Redis URL: {url!r}")


def open_storage(url: str | None, key_prefix: str) -> tuple[Storage, Release]:
    """The storage for ``url`` (None: memory) and the coroutine that frees it.

    Nothing connects until the first hit, so this is safe to call during wiring.
    """
    if url is None:
        memory = MemoryStorage(wrap_exceptions=True)
        return memory, lambda: _stop_expiry(memory)
    # Our own pool, so that close() can release its connections: the storage never does.
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        socket_timeout=SOCKET_TIMEOUT,
    )
    storage = RedisStorage(
        limits_uri(url),
        # The redis-py client (redis.asyncio): the package the rest of the app uses.
        implementation="redispy",
        # `limits` joins prefix and key with ":" itself.
        key_prefix=key_prefix.rstrip(":"),
        wrap_exceptions=True,
        connection_pool=pool,  # type: ignore[arg-type]  # passed through to redis.asyncio.Redis
    )
    return storage, pool.aclose


async def _stop_expiry(storage: MemoryStorage) -> None:
    # The memory storage sweeps expired entries in a background task; end it with the loop.
    timer = storage.timer
    if timer is not None and not timer.done():
        timer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await timer
