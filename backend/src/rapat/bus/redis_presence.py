"""Redis presence: one sorted set per group under ``<prefix>presence:``.

Scores are expiry times in milliseconds of the Redis server's clock, so nodes with
skewed clocks agree on who is present.
"""

from __future__ import annotations

import redis.asyncio as redis

from rapat.bus.expiry import to_millis
from rapat.bus.redis_support import ping, translated_errors

# Each script reads TIME first: the server's clock is the one every node shares.
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# Add or refresh, drop expired members, and keep the key alive exactly as long as its
# longest-lived member so an abandoned group disappears by itself.
_TOUCH = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
"""
)

_MEMBERS = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
"""
)

_IS_MEMBER = (
    _NOW
    + """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then return 1 end
return 0
"""
)


class RedisPresence:
    """The client (and its pool) belongs to the caller, who closes it."""

    def __init__(self, client: redis.Redis, prefix: str = "rapat:") -> None:
        self._client = client
        self._prefix = f"{prefix}presence:"
        self._touch = client.register_script(_TOUCH)
        self._members = client.register_script(_MEMBERS)
        self._is_member = client.register_script(_IS_MEMBER)

    async def touch(self, group: str, member: str, ttl: float) -> None:
        millis = to_millis(ttl)
        with translated_errors():
            await self._touch(keys=[self._key(group)], args=[member, millis])

    async def remove(self, group: str, member: str) -> None:
        # The key may now outlive its members a little; reads never return expired ones.
        with translated_errors():
            await self._client.zrem(self._key(group), member)

    async def members(self, group: str) -> set[str]:
        with translated_errors():
            names = await self._members(keys=[self._key(group)])
        return {bytes(name).decode() for name in names}

    async def is_member(self, group: str, member: str) -> bool:
        with translated_errors():
            return bool(await self._is_member(keys=[self._key(group)], args=[member]))

    async def ping(self) -> bool:
        return await ping(self._client)

    async def close(self) -> None:
        """Nothing of its own to release: the shared client is closed by its owner."""

    def _key(self, group: str) -> str:
        return self._prefix + group
