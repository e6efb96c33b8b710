"""One contract for the rate limiter, run on process memory and on real Redis; then what
only Redis does: counts shared between nodes, kept apart by prefix, and an outage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from rapat.ratelimit import RateLimiter
from tests.conftest import REDIS_URL

SCOPE = "auth.login"
WHO = "ip:203.0.113.9"


@pytest.fixture
async def memory_limiter() -> AsyncIterator[RateLimiter]:
    limiter = RateLimiter(None)
    yield limiter
    await limiter.close()


@pytest.fixture
async def redis_limiter(redis_client: redis.Redis, redis_prefix: str) -> AsyncIterator[RateLimiter]:
    # redis_client is requested for its teardown: it deletes every key under the prefix.
    limiter = RateLimiter(REDIS_URL, key_prefix=redis_prefix)
    yield limiter
    await limiter.close()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def limiter(request: pytest.FixtureRequest) -> RateLimiter:
    value = request.getfixturevalue(f"{request.param}_limiter")
    assert isinstance(value, RateLimiter)
    return value


async def test_the_limit_is_reached_exactly_after_n_requests(limiter: RateLimiter) -> None:
    statuses = [await limiter.hit(SCOPE, WHO, "3/minute") for _ in range(4)]
    assert [status.allowed for status in statuses] == [True, True, True, False]
    assert [status.remaining for status in statuses] == [2, 1, 0, 0]
    assert {status.limit for status in statuses} == {3}


async def test_reset_after_is_within_the_window(limiter: RateLimiter) -> None:
    first = await limiter.hit(SCOPE, WHO, "1/minute")
    refused = await limiter.hit(SCOPE, WHO, "1/minute")
    assert 55 < first.reset_after <= 60
    assert not refused.allowed
    assert 55 < refused.reset_after <= first.reset_after


async def test_identities_and_scopes_are_counted_apart(limiter: RateLimiter) -> None:
    assert (await limiter.hit(SCOPE, WHO, "1/minute")).allowed
    assert not (await limiter.hit(SCOPE, WHO, "1/minute")).allowed
    assert (await limiter.hit(SCOPE, "ip:198.51.100.7", "1/minute")).allowed
    assert (await limiter.hit("auth.register", WHO, "1/minute")).allowed


async def test_a_refused_request_is_not_counted(limiter: RateLimiter) -> None:
    await limiter.hit(SCOPE, WHO, "1/second")
    for _ in range(3):
        assert not (await limiter.hit(SCOPE, WHO, "1/second")).allowed
    await asyncio.sleep(1.05)  # the one counted request leaves the window
    assert (await limiter.hit(SCOPE, WHO, "1/second")).allowed


async def test_every_rate_must_pass_and_the_tightest_is_reported(limiter: RateLimiter) -> None:
    rate = "5/minute;3/hour"
    statuses = [await limiter.hit(SCOPE, WHO, rate) for _ in range(4)]
    assert [status.allowed for status in statuses] == [True, True, True, False]
    # Minute: 4 left, then 3; hour: 2 left, then 1, then 0 -- the hour is tighter.
    assert [(s.limit, s.remaining) for s in statuses[:3]] == [(3, 2), (3, 1), (3, 0)]
    assert statuses[3].limit == 3
    assert 3500 < statuses[3].reset_after <= 3600


async def test_a_refusal_by_one_rate_uses_up_none_of_the_others(limiter: RateLimiter) -> None:
    rate = "5/minute;3/hour"
    for _ in range(5):
        await limiter.hit(SCOPE, WHO, rate)  # 3 counted, 2 refused by the hour
    await limiter.clear(SCOPE, WHO, "3/hour")
    status = await limiter.hit(SCOPE, WHO, rate)
    # 3 + 1 counted in the minute: the refused two were not.
    assert (status.allowed, status.limit, status.remaining) == (True, 5, 1)


async def test_clear_forgets_one_identity_only(limiter: RateLimiter) -> None:
    other = "ip:198.51.100.7"
    for who in (WHO, other):
        await limiter.hit(SCOPE, who, "1/minute")
    await limiter.clear(SCOPE, WHO, "1/minute")
    assert (await limiter.hit(SCOPE, WHO, "1/minute")).allowed
    assert not (await limiter.hit(SCOPE, other, "1/minute")).allowed


async def test_reset_forgets_every_count(limiter: RateLimiter) -> None:
    await limiter.hit(SCOPE, WHO, "1/minute")
    await limiter.hit("auth.register", WHO, "1/hour")
    await limiter.reset()
    assert (await limiter.hit(SCOPE, WHO, "1/minute")).allowed
    assert (await limiter.hit("auth.register", WHO, "1/hour")).allowed


async def test_disabled_allows_everything_and_counts_nothing(limiter: RateLimiter) -> None:
    limiter.enabled = False
    statuses = [await limiter.hit(SCOPE, WHO, "2/minute;10/hour") for _ in range(5)]
    assert all(status.allowed for status in statuses)
    assert {(s.limit, s.remaining, s.reset_after) for s in statuses} == {(2, 2, 60.0)}
    limiter.enabled = True
    assert (await limiter.hit(SCOPE, WHO, "1/minute")).remaining == 0


async def test_the_storage_answers_a_ping(limiter: RateLimiter) -> None:
    assert await limiter.ping()


# Redis only


@pytest.mark.redis
async def test_nodes_on_one_redis_share_the_count(
    redis_limiter: RateLimiter, redis_prefix: str
) -> None:
    other_node = RateLimiter(REDIS_URL, key_prefix=redis_prefix)
    try:
        await redis_limiter.hit(SCOPE, WHO, "2/minute")
        status = await other_node.hit(SCOPE, WHO, "2/minute")
        assert (status.allowed, status.remaining) == (True, 0)
        assert not (await redis_limiter.hit(SCOPE, WHO, "2/minute")).allowed
    finally:
        await other_node.close()


@pytest.mark.redis
async def test_counts_live_under_the_prefix_and_prefixes_keep_deployments_apart(
    redis_limiter: RateLimiter, redis_client: redis.Redis, redis_prefix: str
) -> None:
    await redis_limiter.hit(SCOPE, WHO, "1/minute")
    keys = [key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")]
    assert len(keys) == 1
    assert SCOPE.encode() in keys[0]
    neighbour = RateLimiter(REDIS_URL, key_prefix=f"{redis_prefix}neighbour:")
    try:
        assert (await neighbour.hit(SCOPE, WHO, "1/minute")).allowed
        await neighbour.reset()
    finally:
        await neighbour.close()
    assert not (await redis_limiter.hit(SCOPE, WHO, "1/minute")).allowed


@pytest.mark.redis
async def test_disabled_writes_nothing_to_redis(
    redis_limiter: RateLimiter, redis_client: redis.Redis, redis_prefix: str
) -> None:
    redis_limiter.enabled = False
    await redis_limiter.hit(SCOPE, WHO, "1/minute")
    assert [key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")] == []


async def test_an_unreachable_redis_lets_requests_through() -> None:
    # Port 1: nothing listens there, so every connection is refused at once.
    limiter = RateLimiter("redis://127.0.0.1:1/0", key_prefix="rapat-test:down:")
    try:
        status = await limiter.hit(SCOPE, WHO, "1/minute")
        assert (status.allowed, status.limit, status.remaining) == (True, 1, 1)
        assert not await limiter.ping()
    finally:
        await limiter.close()
