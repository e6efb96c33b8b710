"""Redis key-value store with expiry; keys live under ``<prefix>kv:``."""

from __future__ import annotations

import redis.asyncio as redis
from redis.exceptions import ResponseError

from rapat.bus.expiry import to_millis
from rapat.bus.redis_support import ping, translated_errors


class RedisKeyValue:
    """The client (and its pool) belongs to the caller, who closes it."""

    def __init__(self, client: redis.Redis, prefix: str = "rapat:") -> None:
        self._client = client
        self._prefix = f"{prefix}kv:"

    async def get(self, key: str) -> bytes | None:
        with translated_errors():
            value = await self._client.get(self._key(key))
        # The adapter wants bytes; a client built with decode_responses=True hands back str.
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        px = None if ttl is None else to_millis(ttl)
        with translated_errors():
            await self._client.set(self._key(key), value, px=px)

    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool:
        px = None if ttl is None else to_millis(ttl)
        with translated_errors():
            return bool(await self._client.set(self._key(key), value, px=px, nx=True))

    async def delete(self, key: str) -> bool:
        with translated_errors():
            return bool(await self._client.delete(self._key(key)))

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        name = self._key(key)
        px = None if ttl is None else to_millis(ttl)
        with translated_errors():
            try:
                return await self._incr(name, amount, px)
            except ResponseError as exc:
                if _is_not_integer(exc):
                    raise ValueError(f"value of {key!r} is not a 64-bit integer") from exc
                raise

    async def expire(self, key: str, ttl: float) -> bool:
        px = to_millis(ttl)
        with translated_errors():
            return bool(await self._client.pexpire(self._key(key), px))

    async def ttl(self, key: str) -> float | None:
        with translated_errors():
            millis = int(await self._client.pttl(self._key(key)))
        # -2: no such key, -1: no expiry.
        return None if millis < 0 else millis / 1000

    async def ping(self) -> bool:
        return await ping(self._client)

    async def close(self) -> None:
        """Nothing of its own to release: the shared client is closed by its owner."""

    async def _incr(self, name: str, amount: int, px: int | None) -> int:
        if px is None:
            return int(await self._client.incrby(name, amount))
        # MULTI/EXEC: create the key at 0 with its TTL only when absent, then add; INCRBY
        # keeps an existing TTL, so a rate-limit window is set once, atomically.
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(name, b"0", px=px, nx=True)
            pipe.incrby(name, amount)
            _, value = await pipe.execute()
        return int(value)

    def _key(self, key: str) -> str:
        return self._prefix + key


def _is_not_integer(error: ResponseError) -> bool:
    message = str(error)
    return "not an integer" in message or "overflow" in message
