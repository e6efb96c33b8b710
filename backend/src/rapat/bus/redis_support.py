"""What the Redis adapters share: error translation and the health check."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import redis.asyncio as redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from rapat.bus.errors import BusError, BusUnavailableError

PING_TIMEOUT = 2.0


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn driver exceptions into bus errors, so callers depend on the Protocol only."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError, TimeoutError) as exc:
        raise BusUnavailableError(f"redis unavailable: {exc}") from exc
    except RedisError as exc:
        raise BusError(f"redis error: {exc}") from exc


async def ping(client: redis.Redis) -> bool:
    """PING within ``PING_TIMEOUT``; False on any failure (health checks must not raise)."""
    try:
        async with asyncio.timeout(PING_TIMEOUT):
            return bool(await client.ping())
    except (RedisError, OSError, TimeoutError):
        return False
