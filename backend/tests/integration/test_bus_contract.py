"""One contract for the bus, run against the in-process adapters and against real Redis.

Expiry: the memory bus runs on a fake clock that the test moves; Redis waits real time
just past short TTLs (Redis checks a key's deadline to the millisecond on access).
Absence of a message is shown with a marker published after it: delivery is in order,
so receiving the marker first proves the earlier message was not delivered.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from rapat.bus import Bus, BusUnavailableError, Subscription, memory_bus, redis_bus

REDIS_URL = os.environ.get("RAPAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WAIT = 2.0  # upper bound for anything that should happen "now"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Harness:
    bus: Bus
    advance: Callable[[float], Awaitable[None]]


@pytest.fixture
async def memory_harness() -> AsyncIterator[Harness]:
    clock = FakeClock()
    bus = memory_bus(clock)
    yield Harness(bus, clock.advance)
    await bus.close()


@pytest.fixture
async def redis_harness(redis_client: object, redis_prefix: str) -> AsyncIterator[Harness]:
    # redis_client is requested for its teardown: it deletes every key under the prefix.
    bus = redis_bus(REDIS_URL, prefix=redis_prefix)
    yield Harness(bus, asyncio.sleep)
    await bus.close()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def harness(request: pytest.FixtureRequest) -> Harness:
    value = request.getfixturevalue(f"{request.param}_harness")
    assert isinstance(value, Harness)
    return value


async def receive(subscription: Subscription, count: int = 1) -> list[bytes]:
    async with asyncio.timeout(WAIT):
        return [await anext(subscription) for _ in range(count)]


# --- key-value -------------------------------------------------------------------------


async def test_get_set_delete(harness: Harness) -> None:
    kv = harness.bus.kv
    assert await kv.get("k") is None
    await kv.set("k", b"\x00one")
    assert await kv.get("k") == b"\x00one"
    await kv.set("k", b"two")
    assert await kv.get("k") == b"two"
    assert await kv.ttl("k") is None  # no TTL given: never expires
    assert await kv.delete("k") is True
    assert await kv.delete("k") is False
    assert await kv.get("k") is None


async def test_key_expires_after_its_ttl(harness: Harness) -> None:
    kv = harness.bus.kv
    await kv.set("short", b"v", ttl=0.3)
    await kv.set("long", b"v", ttl=30)
    remaining = await kv.ttl("short")
    assert remaining is not None
    assert 0 < remaining <= 0.3
    assert await kv.get("short") == b"v"

    await harness.advance(0.35)

    assert await kv.get("short") is None
    assert await kv.ttl("short") is None
    assert await kv.delete("short") is False
    assert await kv.expire("short", 5) is False
    assert await kv.get("long") == b"v"
    assert await kv.set_if_absent("short", b"new") is True


async def test_set_without_ttl_clears_an_old_ttl(harness: Harness) -> None:
    kv = harness.bus.kv
    await kv.set("k", b"1", ttl=0.3)
    await kv.set("k", b"2")
    await harness.advance(0.35)
    assert await kv.get("k") == b"2"


async def test_expire_sets_a_new_deadline(harness: Harness) -> None:
    kv = harness.bus.kv
    await kv.set("k", b"v")
    assert await kv.expire("k", 0.3) is True
    remaining = await kv.ttl("k")
    assert remaining is not None
    assert 0 < remaining <= 0.3
    await harness.advance(0.35)
    assert await kv.get("k") is None


async def test_set_if_absent_has_exactly_one_winner(harness: Harness) -> None:
    kv = harness.bus.kv
    results = await asyncio.gather(
        *(kv.set_if_absent("lock", str(i).encode(), ttl=30) for i in range(50))
    )
    winners = [i for i, won in enumerate(results) if won]
    assert len(winners) == 1
    assert await kv.get("lock") == str(winners[0]).encode()
    assert await kv.set_if_absent("lock", b"late") is False


async def test_concurrent_incr_counts_every_call(harness: Harness) -> None:
    kv = harness.bus.kv
    values = await asyncio.gather(*(kv.incr("hits", ttl=30) for _ in range(200)))
    assert sorted(values) == list(range(1, 201))
    assert await kv.get("hits") == b"200"


async def test_incr_ttl_is_set_once_when_the_counter_is_created(harness: Harness) -> None:
    kv = harness.bus.kv
    assert await kv.incr("window", 5, ttl=0.4) == 5
    first = await kv.ttl("window")
    await harness.advance(0.2)
    assert await kv.incr("window", ttl=10) == 6  # the later TTL does not extend the window
    later = await kv.ttl("window")
    assert first is not None
    assert later is not None
    assert later < first
    assert later <= 0.2 + 0.01
    await harness.advance(0.25)
    assert await kv.incr("window", ttl=0.4) == 1  # a new window


async def test_incr_without_ttl_and_on_plain_keys(harness: Harness) -> None:
    kv = harness.bus.kv
    assert await kv.incr("n") == 1
    assert await kv.incr("n", -3) == -2
    assert await kv.ttl("n") is None
    await kv.set("v", b"41")
    assert await kv.incr("v", ttl=5) == 42
    assert await kv.ttl("v") is None  # the key existed: its (absent) TTL is kept


async def test_incr_refuses_a_non_integer_value(harness: Harness) -> None:
    kv = harness.bus.kv
    await kv.set("text", b"abc")
    with pytest.raises(ValueError, match="integer"):
        await kv.incr("text")
    with pytest.raises(ValueError, match="integer"):
        await kv.incr("text", ttl=5)
    assert await kv.get("text") == b"abc"


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
async def test_ttl_must_be_positive(harness: Harness, bad: float) -> None:
    bus = harness.bus
    with pytest.raises(ValueError, match="ttl"):
        await bus.kv.set("k", b"v", ttl=bad)
    with pytest.raises(ValueError, match="ttl"):
        await bus.kv.incr("k", ttl=bad)
    with pytest.raises(ValueError, match="ttl"):
        await bus.presence.touch("g", "m", bad)
    assert await bus.kv.get("k") is None


# --- pub/sub ---------------------------------------------------------------------------


async def test_every_subscriber_gets_every_message_in_order(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    subscribers = [await pubsub.subscribe("room.1") for _ in range(3)]
    sent = [f"m{i}".encode() for i in range(20)]
    for message in sent:
        await pubsub.publish("room.1", message)
    for subscriber in subscribers:
        assert await receive(subscriber, len(sent)) == sent
        assert subscriber.dropped == 0
        await subscriber.close()


async def test_channels_are_isolated(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    a = await pubsub.subscribe("a")
    b = await pubsub.subscribe("b")
    await pubsub.publish("a", b"for a")
    await pubsub.publish("b", b"for b")
    await pubsub.publish("a", b"marker a")
    assert await receive(a, 2) == [b"for a", b"marker a"]
    assert await receive(b) == [b"for b"]
    await pubsub.publish("b", b"marker b")
    assert await receive(b) == [b"marker b"]


async def test_messages_before_subscribing_are_not_delivered(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    await pubsub.publish("c", b"too early")
    subscription = await pubsub.subscribe("c")
    await pubsub.publish("c", b"on time")
    assert await receive(subscription) == [b"on time"]


async def test_closing_a_subscription_stops_its_delivery_only(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    leaving = await pubsub.subscribe("c")
    staying = await pubsub.subscribe("c")
    await pubsub.publish("c", b"before")
    await leaving.close()
    await pubsub.publish("c", b"after")

    assert await receive(staying, 2) == [b"before", b"after"]
    # Queued and later messages are both gone: iteration ends at once.
    async with asyncio.timeout(WAIT):
        assert [m async for m in leaving] == []
    await leaving.close()  # idempotent


async def test_last_subscriber_leaving_then_a_new_one_joining(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    first = await pubsub.subscribe("c")
    await first.close()
    await pubsub.publish("c", b"nobody listens")
    second = await pubsub.subscribe("c")
    await pubsub.publish("c", b"hello")
    assert await receive(second) == [b"hello"]


async def test_subscription_as_context_manager(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    async with await pubsub.subscribe("c") as subscription:
        assert subscription.channel == "c"
        await pubsub.publish("c", b"x")
        assert await receive(subscription) == [b"x"]
    async with asyncio.timeout(WAIT):
        assert [m async for m in subscription] == []


async def test_a_waiting_consumer_wakes_for_a_message_and_for_close(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    subscription = await pubsub.subscribe("c")

    async def consume() -> list[bytes]:
        return [message async for message in subscription]

    consumer = asyncio.create_task(consume())
    await pubsub.publish("c", b"one")
    await pubsub.publish("c", b"two")
    await pubsub.publish("c", b"marker")
    other = await pubsub.subscribe("c")
    await pubsub.publish("c", b"last")
    assert await receive(other) == [b"last"]  # so "last" reached the consumer's inbox too
    await pubsub.close()
    async with asyncio.timeout(WAIT):
        received = await consumer
    # Closing discards what was not read yet, so the tail may be cut, never reordered.
    assert received == [b"one", b"two", b"marker", b"last"][: len(received)]
    with pytest.raises(BusUnavailableError):
        await pubsub.subscribe("c")
    with pytest.raises(BusUnavailableError):
        await pubsub.publish("c", b"x")


async def test_message_bytes_survive_unchanged(harness: Harness) -> None:
    pubsub = harness.bus.pubsub
    subscription = await pubsub.subscribe("bin")
    payload = bytes(range(256)) * 4
    await pubsub.publish("bin", payload)
    await pubsub.publish("bin", b"")
    assert await receive(subscription, 2) == [payload, b""]


# --- presence --------------------------------------------------------------------------


async def test_presence_touch_remove_members(harness: Harness) -> None:
    presence = harness.bus.presence
    assert await presence.members("room:1") == set()
    await presence.touch("room:1", "ana", 30)
    await presence.touch("room:1", "budi", 30)
    await presence.touch("room:2", "citra", 30)
    assert await presence.members("room:1") == {"ana", "budi"}
    assert await presence.is_member("room:1", "ana")
    assert not await presence.is_member("room:1", "citra")

    await presence.remove("room:1", "ana")
    await presence.remove("room:1", "nobody")
    assert await presence.members("room:1") == {"budi"}
    assert not await presence.is_member("room:1", "ana")
    assert await presence.members("room:2") == {"citra"}


async def test_presence_members_expire_on_their_own(harness: Harness) -> None:
    presence = harness.bus.presence
    await presence.touch("online", "short", 0.3)
    await presence.touch("online", "refreshed", 0.3)
    await presence.touch("online", "long", 30)
    await presence.touch("online", "refreshed", 0.6)
    assert await presence.members("online") == {"short", "refreshed", "long"}

    await harness.advance(0.35)
    assert await presence.members("online") == {"refreshed", "long"}
    assert not await presence.is_member("online", "short")

    await harness.advance(0.3)
    assert await presence.members("online") == {"long"}
    await presence.touch("online", "short", 30)  # coming back after expiring
    assert await presence.members("online") == {"short", "long"}


async def test_presence_group_expires_with_its_last_member(harness: Harness) -> None:
    presence = harness.bus.presence
    await presence.touch("room:9", "ana", 0.3)
    await harness.advance(0.35)
    assert await presence.members("room:9") == set()
    assert not await presence.is_member("room:9", "ana")


# --- the bundle ------------------------------------------------------------------------


async def test_ping_reports_healthy(harness: Harness) -> None:
    await harness.bus.ping()
    assert await harness.bus.kv.ping()
    assert await harness.bus.pubsub.ping()
    assert await harness.bus.presence.ping()
    subscription = await harness.bus.pubsub.subscribe("c")  # with a live subscriber too
    await harness.bus.ping()
    await subscription.close()
