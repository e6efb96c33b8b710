"""The in-process bus's own promises: bounded inboxes, bounded memory, pure helpers."""

from __future__ import annotations

import asyncio
import math

import pytest

from rapat.bus import BusUnavailableError, memory_bus
from rapat.bus.expiry import ExpiryIndex, check_ttl, to_millis
from rapat.bus.memory_kv import MemoryKeyValue, parse_counter
from rapat.bus.memory_presence import MemoryPresence
from rapat.bus.memory_pubsub import MemoryPubSub
from rapat.bus.subscription import QueueSubscription


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _nothing(_: QueueSubscription) -> None:
    return None


# --- pure helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [(b"0", 0), (b"-7", -7), (b"42", 42), (b"9223372036854775807", 2**63 - 1)],
)
def test_parse_counter_accepts_what_redis_accepts(raw: bytes, value: int) -> None:
    assert parse_counter(raw) == value


@pytest.mark.parametrize(
    "raw", [b"", b" 1", b"1 ", b"01", b"+1", b"1.0", b"abc", b"-", b"9223372036854775808"]
)
def test_parse_counter_refuses_what_redis_refuses(raw: bytes) -> None:
    with pytest.raises(ValueError, match=r"integer|64-bit"):
        parse_counter(raw)


def test_ttl_helpers() -> None:
    assert check_ttl(0.5) == 0.5
    assert to_millis(0.0001) == 1
    assert to_millis(1.5) == 1500
    assert to_millis(0.2501) == 251
    for bad in (0, -0.1, math.nan, math.inf):
        with pytest.raises(ValueError, match="ttl"):
            check_ttl(bad)


def test_expiry_index_returns_due_keys_in_deadline_order() -> None:
    index: ExpiryIndex[str] = ExpiryIndex()
    index.set("c", 3.0)
    index.set("a", 1.0)
    index.set("b", 2.0)
    index.set("b", 5.0)  # refreshed: the old deadline no longer counts
    index.discard("c")
    assert index.pop_due(4.0, limit=10) == ["a"]
    assert index.get("b") == 5.0
    assert index.pop_due(5.0, limit=10) == ["b"]
    assert len(index) == 0


def test_expiry_index_limit_leaves_the_rest_for_later() -> None:
    index: ExpiryIndex[int] = ExpiryIndex()
    for key in range(10):
        index.set(key, 1.0)
    assert len(index.pop_due(2.0, limit=4)) == 4
    assert len(index.pop_due(2.0, limit=100)) == 6


def test_expiry_index_stays_small_when_one_key_is_refreshed_forever() -> None:
    index: ExpiryIndex[str] = ExpiryIndex()
    for step in range(10_000):
        index.set("session", float(step))
    assert len(index) == 1
    assert index.heap_size <= 2 + 64 + 1


# --- bounded inbox ---------------------------------------------------------------------


async def test_full_inbox_drops_the_oldest_and_counts() -> None:
    subscription = QueueSubscription("c", 3, _nothing)
    for i in range(5):
        subscription.deliver(str(i).encode())
    assert subscription.dropped == 2
    assert subscription.pending == 3
    assert [await anext(subscription) for _ in range(3)] == [b"2", b"3", b"4"]


def test_inbox_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        QueueSubscription("c", 0, _nothing)


async def test_a_slow_subscriber_does_not_hold_back_a_fast_one() -> None:
    pubsub = MemoryPubSub(inbox_size=2)
    fast = await pubsub.subscribe("c")
    slow = await pubsub.subscribe("c")
    received = []
    for i in range(5):
        await pubsub.publish("c", str(i).encode())
        received.append(await anext(fast))
    assert received == [b"0", b"1", b"2", b"3", b"4"]
    assert fast.dropped == 0
    assert slow.dropped == 3
    assert [await anext(slow) for _ in range(2)] == [b"3", b"4"]


async def test_closing_frees_the_channel() -> None:
    pubsub = MemoryPubSub()
    first = await pubsub.subscribe("a")
    second = await pubsub.subscribe("a")
    other = await pubsub.subscribe("b")
    await first.close()
    assert sorted(pubsub.subscriber_channels()) == ["a", "b"]
    await second.close()
    await other.close()
    assert pubsub.subscriber_channels() == []


async def test_publish_never_waits_for_readers() -> None:
    pubsub = MemoryPubSub(inbox_size=1)
    await pubsub.subscribe("c")
    async with asyncio.timeout(1):
        for i in range(10_000):
            await pubsub.publish("c", str(i).encode())


# --- bounded memory --------------------------------------------------------------------


async def test_expired_keys_are_swept_without_being_read() -> None:
    clock = FakeClock()
    kv = MemoryKeyValue(clock, sweep_batch=100)
    for i in range(250):
        await kv.set(f"k{i}", b"v", ttl=1)
    await kv.set("keep", b"v")
    assert len(kv) == 251
    clock.now += 2
    await kv.get("unrelated")
    assert len(kv) == 151  # one batch per call keeps each call short
    await kv.get("unrelated")
    await kv.get("unrelated")
    assert len(kv) == 1
    assert await kv.get("keep") == b"v"


async def test_reading_an_expired_key_removes_it() -> None:
    clock = FakeClock()
    kv = MemoryKeyValue(clock, sweep_batch=0)  # no sweeping: only the lazy check
    await kv.set("k", b"v", ttl=1)
    clock.now += 1
    assert len(kv) == 1
    assert await kv.get("k") is None
    assert len(kv) == 0


async def test_presence_groups_disappear_when_their_members_expire() -> None:
    clock = FakeClock()
    presence = MemoryPresence(clock)
    for room in range(100):
        await presence.touch(f"room:{room}", "ana", 5)
    await presence.touch("lobby", "budi", 60)
    assert presence.group_count == 101
    clock.now += 10
    assert await presence.members("lobby") == {"budi"}
    assert presence.group_count == 1


async def test_presence_removal_of_the_last_member_drops_the_group() -> None:
    presence = MemoryPresence(FakeClock())
    await presence.touch("room", "ana", 5)
    await presence.remove("room", "ana")
    assert presence.group_count == 0


# --- closing ---------------------------------------------------------------------------


async def test_a_closed_memory_bus_reports_unhealthy_and_refuses_work() -> None:
    bus = memory_bus()
    await bus.ping()
    await bus.close()
    with pytest.raises(BusUnavailableError, match="kv, pubsub, presence"):
        await bus.ping()
    with pytest.raises(BusUnavailableError):
        await bus.kv.get("k")
    with pytest.raises(BusUnavailableError):
        await bus.presence.members("g")
    with pytest.raises(BusUnavailableError):
        await bus.pubsub.publish("c", b"x")
    await bus.close()  # idempotent
