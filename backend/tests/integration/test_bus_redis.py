"""What only the Redis bus promises: several nodes, one subscriber connection, recovery.

Each "node" is its own ``redis_bus`` with its own connection pool, as two app processes.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from rapat.bus import Bus, BusUnavailableError, Subscription, redis_bus
from rapat.bus.redis_kv import RedisKeyValue
from rapat.bus.redis_presence import RedisPresence
from rapat.bus.redis_pubsub import RedisPubSub

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("RAPAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNREACHABLE_URL = "redis://127.0.0.1:1/0"
WAIT = 3.0


async def receive(subscription: Subscription, count: int = 1) -> list[bytes]:
    async with asyncio.timeout(WAIT):
        return [await anext(subscription) for _ in range(count)]


@pytest.fixture
async def nodes(redis_client: redis.Redis, redis_prefix: str) -> AsyncIterator[tuple[Bus, Bus]]:
    # redis_client is requested for its teardown: it deletes every key under the prefix.
    first, second = redis_bus(REDIS_URL, redis_prefix), redis_bus(REDIS_URL, redis_prefix)
    yield first, second
    await first.close()
    await second.close()


@pytest.fixture
async def named_client() -> AsyncIterator[tuple[redis.Redis, str]]:
    """A client whose connections carry a unique name, to find them in CLIENT LIST."""
    name = f"rapat-test-{uuid4().hex[:12]}"
    client = redis.Redis.from_url(REDIS_URL, client_name=name)
    yield client, name
    await client.aclose()


async def subscriber_connections(admin: redis.Redis, name: str) -> list[dict[str, str]]:
    clients = await admin.client_list()
    return [c for c in clients if c.get("name") == name and int(c.get("sub", 0)) > 0]


async def numsub(admin: redis.Redis, channel: str) -> int:
    [(_, count)] = await admin.pubsub_numsub(channel)
    return int(count)


async def test_nodes_see_each_others_publishes(nodes: tuple[Bus, Bus]) -> None:
    a, b = nodes
    on_a = await a.pubsub.subscribe("room.1")
    on_b = [await b.pubsub.subscribe("room.1") for _ in range(2)]
    await a.pubsub.publish("room.1", b"from a")
    await b.pubsub.publish("room.1", b"from b")
    assert await receive(on_a, 2) == [b"from a", b"from b"]
    for subscription in on_b:
        assert await receive(subscription, 2) == [b"from a", b"from b"]


async def test_nodes_share_presence_and_counters(nodes: tuple[Bus, Bus]) -> None:
    a, b = nodes
    await a.presence.touch("room:1", "ana", 30)
    await b.presence.touch("room:1", "budi", 30)
    assert await a.presence.members("room:1") == {"ana", "budi"}
    await b.presence.remove("room:1", "ana")
    assert not await a.presence.is_member("room:1", "ana")

    hits = await asyncio.gather(
        *(node.kv.incr("login:1.2.3.4", ttl=30) for node in (a, b) for _ in range(100))
    )
    assert sorted(hits) == list(range(1, 201))
    claims = await asyncio.gather(*(node.kv.set_if_absent("lease", b"x") for node in (a, b)))
    assert sorted(claims) == [False, True]


async def test_prefixes_keep_deployments_apart(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    ours, theirs = redis_bus(REDIS_URL, redis_prefix), redis_bus(REDIS_URL, redis_prefix + "b:")
    try:
        await ours.kv.set("k", b"ours")
        await ours.presence.touch("g", "ana", 30)
        assert await theirs.kv.get("k") is None
        assert await theirs.presence.members("g") == set()
        assert await redis_client.get(f"{redis_prefix}kv:k") == b"ours"

        mine = await ours.pubsub.subscribe("c")
        await theirs.pubsub.publish("c", b"not for us")
        await ours.pubsub.publish("c", b"marker")
        assert await receive(mine) == [b"marker"]
    finally:
        await ours.close()
        await theirs.close()


async def test_one_subscriber_connection_per_node(
    redis_client: redis.Redis, redis_prefix: str, named_client: tuple[redis.Redis, str]
) -> None:
    client, name = named_client
    pubsub = RedisPubSub(client, redis_prefix)
    try:
        subscriptions = [await pubsub.subscribe(f"c{i % 3}") for i in range(9)]
        assert len(await subscriber_connections(redis_client, name)) == 1
        for i in range(3):
            assert await numsub(redis_client, f"{redis_prefix}pubsub:c{i}") == 1

        for subscription in subscriptions:
            await subscription.close()
        # Commands on the connection run in order: once this subscribe is confirmed,
        # the UNSUBSCRIBEs sent before it have been carried out.
        await pubsub.subscribe("fence")
        for i in range(3):
            assert await numsub(redis_client, f"{redis_prefix}pubsub:c{i}") == 0
    finally:
        await pubsub.close()


async def test_many_concurrent_subscribers_are_all_attached(nodes: tuple[Bus, Bus]) -> None:
    a, b = nodes
    subscriptions = await asyncio.gather(*(a.pubsub.subscribe(f"c{i % 10}") for i in range(200)))
    for channel in range(10):
        await b.pubsub.publish(f"c{channel}", f"to c{channel}".encode())
    for subscription in subscriptions:
        assert await receive(subscription) == [f"to {subscription.channel}".encode()]


async def test_a_dropped_connection_ends_subscriptions_as_lost_then_recovers(
    redis_client: redis.Redis, redis_prefix: str, named_client: tuple[redis.Redis, str]
) -> None:
    client, name = named_client
    pubsub = RedisPubSub(client, redis_prefix)
    publisher = RedisPubSub(redis_client, redis_prefix)
    try:
        lost = await pubsub.subscribe("c")
        [connection] = await subscriber_connections(redis_client, name)
        assert pubsub.connects == 1
        await publisher.publish("c", b"before the drop")

        await redis_client.client_kill_filter(_id=connection["id"])
        # What arrived before the drop is read, then the loss is reported: messages
        # published until the reader is back are gone, and the subscriber must know.
        assert await receive(lost) == [b"before the drop"]
        with pytest.raises(BusUnavailableError, match="lost"):
            await receive(lost)
        await lost.close()  # harmless: it was released with the connection
        # A new subscriber is attached only by a reply on a live connection, so this
        # returns once the reader is back.
        newcomer = await pubsub.subscribe("c")
        assert (pubsub.connects, pubsub.losses) == (2, 1)
        assert await pubsub.ping()
        await publisher.publish("c", b"after the drop")
        assert await receive(newcomer) == [b"after the drop"]
        assert len(await subscriber_connections(redis_client, name)) == 1
        await newcomer.close()
        await pubsub.subscribe("fence")  # the UNSUBSCRIBE before it has been carried out
        assert await numsub(redis_client, f"{redis_prefix}pubsub:c") == 0
    finally:
        await pubsub.close()
        await publisher.close()


async def test_a_slow_redis_subscriber_loses_the_oldest(
    redis_client: redis.Redis, redis_prefix: str
) -> None:
    pubsub = RedisPubSub(redis_client, redis_prefix, inbox_size=2)
    try:
        slow = await pubsub.subscribe("c")
        for i in range(5):
            await pubsub.publish("c", str(i).encode())
        await pubsub.subscribe("c")  # its confirmation comes after all five messages
        assert slow.dropped == 3
        assert await receive(slow, 2) == [b"3", b"4"]
    finally:
        await pubsub.close()


async def test_presence_key_lives_as_long_as_its_longest_member(
    redis_client: redis.Redis, nodes: tuple[Bus, Bus], redis_prefix: str
) -> None:
    presence = nodes[0].presence
    key = f"{redis_prefix}presence:room"
    await presence.touch("room", "ana", 30)
    await presence.touch("room", "budi", 60)
    await presence.touch("room", "ana", 10)  # refreshing shorter keeps the longest
    assert 59_000 < await redis_client.pttl(key) <= 60_000

    await presence.touch("brief", "ana", 0.2)
    await asyncio.sleep(0.25)
    assert await redis_client.exists(f"{redis_prefix}presence:brief") == 0


async def test_an_unreachable_server_is_reported_not_hidden() -> None:
    bus = redis_bus(UNREACHABLE_URL, "rapat-test:")
    # Without retries, so each failure shows at once.
    client = redis.Redis.from_url(UNREACHABLE_URL, retry=Retry(NoBackoff(), 0))
    kv, presence = RedisKeyValue(client), RedisPresence(client)
    pubsub = RedisPubSub(client, subscribe_timeout=0.3)
    try:
        with pytest.raises(BusUnavailableError, match="kv, pubsub, presence"):
            await bus.ping()
        with pytest.raises(BusUnavailableError):
            await kv.incr("k", ttl=1)
        with pytest.raises(BusUnavailableError):
            await presence.members("g")
        with pytest.raises(BusUnavailableError):
            await pubsub.publish("c", b"x")
        with pytest.raises(BusUnavailableError, match="did not confirm"):
            await pubsub.subscribe("c")
        assert not await pubsub.ping()
    finally:
        await bus.close()
        await pubsub.close()
        await client.aclose()
