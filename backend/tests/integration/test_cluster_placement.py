"""Room placement over the bus (decision 61), on the in-process bus and on real Redis:
each "node" is its own bus connection, as separate processes are."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from rapat.bus import Bus, memory_bus, redis_bus
from rapat.cluster.directory import NodeDirectory
from rapat.cluster.node_record import NodeLoad, NodeRecord
from rapat.cluster.placement import Placement, home_key
from tests.conftest import REDIS_URL
from tests.integration.test_bus_contract import FakeClock

TTL = 1.5  # seconds a record or home outlives its renewal here (real time on Redis)


@dataclass
class Cluster:
    """`nodes` buses (one per node) over one shared store, and a way to let time pass."""

    buses: list[Bus]
    advance: Callable[[float], Awaitable[None]]

    def placement(self, node: int = 0, capacity: int = 10, ttl: float = TTL) -> Placement:
        bus = self.buses[node]
        return Placement(bus.kv, self.directory(node, ttl), capacity)

    def directory(self, node: int = 0, ttl: float = TTL) -> NodeDirectory:
        bus = self.buses[node]
        return NodeDirectory(bus.kv, bus.presence, ttl)


@pytest.fixture
async def memory_cluster() -> AsyncIterator[Cluster]:
    clock = FakeClock()
    bus = memory_bus(clock)  # one process: every "node" shares the same memory
    yield Cluster([bus, bus, bus], clock.advance)
    await bus.close()


@pytest.fixture
async def redis_cluster(redis_client: object, redis_prefix: str) -> AsyncIterator[Cluster]:
    # redis_client is requested for its teardown: it deletes every key under the prefix.
    buses = [redis_bus(REDIS_URL, prefix=redis_prefix) for _ in range(3)]
    yield Cluster(buses, asyncio.sleep)
    for bus in buses:
        await bus.close()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def cluster(request: pytest.FixtureRequest) -> Cluster:
    value = request.getfixturevalue(f"{request.param}_cluster")
    assert isinstance(value, Cluster)
    return value


def node(name: str, *, participants: int = 0, cpu: float = 0.0, rooms: int = 0) -> NodeRecord:
    load = NodeLoad(participants=participants, rooms=rooms, cpu=cpu)
    return NodeRecord(name, f"ws://127.0.0.1/{name}/ws", load)


async def test_a_room_goes_to_the_least_loaded_node_and_stays_there(cluster: Cluster) -> None:
    await cluster.directory(0).publish(node("a", participants=8))
    await cluster.directory(1).publish(node("b", participants=2))
    room = uuid.uuid4()
    home = await cluster.placement(2).place(room)
    assert home is not None
    assert home.node_id == "b"
    # b fills up, but the room keeps its home: everyone in one meeting is on one node
    await cluster.directory(1).publish(node("b", participants=9))
    again = await cluster.placement(0).place(room)
    assert again is not None
    assert again.node_id == "b"
    other = await cluster.placement(0).place(uuid.uuid4())
    assert other is not None
    assert other.node_id == "a"


async def test_draining_and_unreachable_nodes_take_no_new_rooms(cluster: Cluster) -> None:
    await cluster.directory(0).publish(NodeRecord("a", None, NodeLoad()))
    busy = node("b", cpu=0.9)
    await cluster.directory(1).publish(NodeRecord("c", "ws://c/ws", NodeLoad(), draining=True))
    assert await cluster.placement().place(uuid.uuid4()) is None
    await cluster.directory(1).publish(busy)
    home = await cluster.placement().place(uuid.uuid4())
    assert home is not None
    assert home.node_id == "b"


async def test_concurrent_placements_of_one_room_agree(cluster: Cluster) -> None:
    # Records and homes live a minute here: on a busy machine the race can outlast TTL,
    # and a record that lapses mid-race is a dead node whose rooms rightly move.
    directory = cluster.directory(ttl=60)
    for name, cpu in (("a", 0.1), ("b", 0.1), ("c", 0.1)):
        await directory.publish(node(name, cpu=cpu))
    for i in range(6):  # nodes reached directly, live too (a claim by a dead one is void)
        await directory.publish(node(f"x{i}", cpu=0.5))
    room = uuid.uuid4()
    homes = await asyncio.gather(
        *(cluster.placement(i % 3, ttl=60).place(room) for i in range(12)),
        *(cluster.placement(i % 3, ttl=60).claim(room, node(f"x{i}")) for i in range(6)),
    )
    assert len({home.node_id for home in homes if home is not None}) == 1
    assert all(home is not None for home in homes)


async def test_a_node_reached_directly_claims_an_unplaced_room(cluster: Cluster) -> None:
    await cluster.directory(0).publish(node("a"))
    b = node("b", participants=9)
    await cluster.directory(1).publish(b)
    room = uuid.uuid4()
    claimed = await cluster.placement(1).claim(room, b)
    assert claimed == b
    placed = await cluster.placement(0).place(room)
    assert placed is not None
    assert placed.node_id == "b"


async def test_a_dead_nodes_rooms_are_placed_anew(cluster: Cluster) -> None:
    a, b = node("a"), node("b", participants=5)
    await cluster.directory(0).publish(a)
    await cluster.directory(1).publish(b)
    room = uuid.uuid4()
    assert await cluster.placement(1).claim(room, a) == a
    await cluster.advance(TTL / 2)
    await cluster.directory(1).publish(b)  # b renews, a does not: a died
    await cluster.placement(0).keep({room}, "a")  # (a's last renewal of its room)
    await cluster.advance(TTL * 0.8)
    assert await cluster.placement(1).home(room) is None
    await cluster.directory(1).publish(b)
    moved = await cluster.placement(1).place(room)
    assert moved is not None
    assert moved.node_id == "b"
    assert [r.node_id for r in await cluster.directory().live()] == ["b"]


async def test_keeping_a_home_renews_it_and_never_takes_another_nodes(cluster: Cluster) -> None:
    a, b = node("a"), node("b")
    room = uuid.uuid4()
    for step in range(4):  # longer than one lifetime: only renewals keep it
        await cluster.directory(0).publish(a)
        await cluster.directory(1).publish(b)
        if step == 0:
            assert await cluster.placement(0).claim(room, a) == a
        await cluster.placement(0).keep({room}, "a")
        await cluster.placement(1).keep({room}, "b")  # not b's: nothing happens
        await cluster.advance(TTL / 2)
    home = await cluster.placement(1).home(room)
    assert home is not None
    assert home.node_id == "a"


async def test_a_node_stopping_releases_its_rooms_at_once(cluster: Cluster) -> None:
    a, b = node("a"), node("b", participants=3)
    await cluster.directory(0).publish(a)
    await cluster.directory(1).publish(b)
    room, elsewhere = uuid.uuid4(), uuid.uuid4()
    await cluster.placement(0).claim(room, a)
    await cluster.placement(1).claim(elsewhere, b)
    await cluster.placement(0).release({room, elsewhere}, "a")
    await cluster.directory(0).withdraw("a")
    home = await cluster.placement(1).place(room)
    assert home is not None
    assert home.node_id == "b"
    assert await cluster.buses[1].kv.get(home_key(elsewhere)) == b"b"  # b's room untouched


async def test_records_that_are_not_ours_are_skipped(cluster: Cluster) -> None:
    await cluster.directory(0).publish(node("a"))
    await cluster.buses[0].kv.set("cluster:node:junk", b"{not json", TTL)
    await cluster.buses[0].presence.touch("cluster:nodes", "junk", 60)
    assert [r.node_id for r in await cluster.directory().live()] == ["a"]


async def test_a_burst_of_new_rooms_spreads_before_any_record_shows_them(
    cluster: Cluster,
) -> None:
    await cluster.directory(0).publish(node("a", cpu=0.02))
    await cluster.directory(1).publish(node("b", cpu=0.01))
    homes = [await cluster.placement(i % 2).place(uuid.uuid4()) for i in range(4)]
    names = [home.node_id for home in homes if home is not None]
    assert sorted(names) == ["a", "a", "b", "b"]


async def test_a_full_home_sends_the_rooms_next_people_to_another_node_as_its_guest(
    cluster: Cluster,
) -> None:
    # capacity 10, spill at 0.8: a is the home, b and c take the overflow
    await cluster.directory(0).publish(node("a", participants=3))
    room = uuid.uuid4()
    placement = cluster.placement(2)
    home = await placement.place_participant(room, "u-ana")
    assert home is not None
    assert home.node_id == "a"
    await cluster.placement(0).seat(room, "u-ana", "a")  # a serves her socket
    assert await placement.place_participant(room, "u-budi") == home  # not full: stays home

    await cluster.directory(0).publish(node("a", participants=8))
    await cluster.directory(1).publish(node("b", participants=6))
    await cluster.directory(2).publish(node("c", participants=6))
    # someone already in at home stays there (a full home does not push out its people)
    kept = await placement.place_participant(room, "u-ana")
    assert kept is not None
    assert kept.node_id == "a"
    first = await placement.place_participant(room, "u-citra")
    assert first is not None
    assert first.node_id == "b"
    assert await placement.is_guest(room, "b")
    assert not await placement.is_guest(room, "c")
    # b now counts the person just sent (7 of 10), more than c: the guest is preferred,
    # so the room spreads over as few nodes as it can
    # asked again (the web app asks before every connect), the same answer, counted once
    again = await placement.place_participant(room, "u-citra")
    assert again is not None
    assert again.node_id == "b"
    second = await placement.place_participant(room, "u-dewi")
    assert second is not None
    assert second.node_id == "b"
    # b full too (8 with those sent): c becomes the second guest
    third = await placement.place_participant(room, "u-eka")
    assert third is not None
    assert third.node_id == "c"
    # a home of another room that is not full keeps its people
    other = await placement.place(uuid.uuid4())
    assert other is not None


async def test_when_every_node_is_full_the_room_stays_home(cluster: Cluster) -> None:
    await cluster.directory(0).publish(node("a", participants=9))
    await cluster.directory(1).publish(node("b", cpu=0.95))
    draining = NodeRecord("c", "ws://127.0.0.1/c/ws", NodeLoad(), draining=True)
    await cluster.directory(2).publish(draining)
    room = uuid.uuid4()
    placement = cluster.placement(0)
    assert await placement.claim(room, node("a")) is not None
    chosen = await placement.place_participant(room, "u-ana")
    assert chosen is not None
    assert chosen.node_id == "a"
    assert not await placement.is_guest(room, "c")  # a draining node takes nobody


async def test_a_guest_keeps_its_grant_while_it_serves_the_room_and_drops_it_when_stopping(
    cluster: Cluster,
) -> None:
    await cluster.directory(0).publish(node("a", participants=9))
    await cluster.directory(1).publish(node("b"))
    room = uuid.uuid4()
    placement = cluster.placement(0)
    assert await placement.claim(room, node("a")) is not None
    guest = await placement.place_participant(room, "u-ana")
    assert guest is not None
    assert guest.node_id == "b"
    for _ in range(4):  # the grant lives 3 lifetimes; renewed, it outlives them
        await cluster.advance(TTL)
        await cluster.directory(0).publish(node("a", participants=9))
        await cluster.directory(1).publish(node("b"))
        await cluster.placement(0).keep({room}, "a")
        await cluster.placement(1).keep({room}, "b")
    assert await placement.is_guest(room, "b")
    await cluster.placement(1).release({room}, "b")
    assert not await placement.is_guest(room, "b")
