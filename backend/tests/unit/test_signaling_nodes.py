"""Node leases and the sweeper, over the in-process bus with a controlled clock: two or
three `NodeLease`s sharing one bus stand for nodes sharing Redis."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field, replace

from rapat.bus import memory_bus
from rapat.bus.bundle import Bus
from rapat.bus.memory_presence import MemoryPresence
from rapat.config import SignalingConfig
from rapat.signaling.nodes import NODES, NodeLease, Seat, seats_group
from tests.waiting import wait_until

CONFIG = SignalingConfig(
    max_message_bytes=65536,
    messages_per_second=20,
    message_burst=40,
    idle_timeout=30,
    grace_period=2,
    send_queue_size=64,
    node_lease=3,
    sweep_interval=1,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Node:
    lease: NodeLease
    held: set[Seat] = field(default_factory=set)
    abandoned: list[Seat] = field(default_factory=list)


def node(bus: Bus, clock: Clock, name: str) -> Node:
    holder = Node(lease=None)  # type: ignore[arg-type]

    async def abandon(seat: Seat) -> None:
        holder.abandoned.append(seat)

    holder.lease = NodeLease(
        bus.kv, bus.presence, CONFIG, lambda: set(holder.held), abandon, node_id=name, clock=clock
    )
    return holder


def seat() -> Seat:
    return uuid.uuid4(), uuid.uuid4()


async def test_dead_nodes_seats_are_swept_after_lease_and_grace_unless_served_elsewhere() -> None:
    clock = Clock()
    bus = memory_bus(clock)
    a, b, c = node(bus, clock, "a"), node(bus, clock, "b"), node(bus, clock, "c")
    gone, back = seat(), seat()
    for each in (a, b, c):
        await each.lease.renew()
    await a.lease.hold(gone)  # listed at once, before any renewal
    a.held = {gone, back}
    await a.lease.renew()
    assert await bus.presence.members(seats_group("a")) == {f"{s[0]}:{s[1]}" for s in a.held}

    clock.now += 4  # a stopped renewing; b did not: 4 s < lease 3 + grace 2
    await b.lease.renew()
    assert await b.lease.sweep() == 0

    # `back` reconnected through b within the grace period; `gone` did not.
    await b.lease.hold(back)
    b.held = {back}
    clock.now += 1.5
    await b.lease.renew()
    await c.lease.renew()
    assert await b.lease.sweep() == 1
    assert b.abandoned == [gone]
    assert await c.lease.sweep() == 0  # a's list is gone: nobody sweeps it twice
    assert c.abandoned == []
    assert await bus.presence.members(NODES) == {"b", "c"}
    assert await bus.presence.members(seats_group("a")) == set()
    assert b.lease.swept == 1


async def test_one_sweeper_per_dead_node_and_released_seats_leave_the_list() -> None:
    clock = Clock()
    bus = memory_bus(clock)
    a, b, c = node(bus, clock, "a"), node(bus, clock, "b"), node(bus, clock, "c")
    first, second = seat(), seat()
    a.held = {first, second}
    for each in (a, b, c):
        await each.lease.renew()
    a.held = {second}  # `first` left normally
    await a.lease.renew()
    assert await bus.presence.members(seats_group("a")) == {f"{second[0]}:{second[1]}"}

    clock.now += 6
    await b.lease.renew()
    await c.lease.renew()
    swept = await asyncio.gather(b.lease.sweep(), c.lease.sweep())
    assert sorted(swept) == [0, 1]
    assert b.abandoned + c.abandoned == [second]


async def test_the_loop_renews_and_sweeps_on_its_own() -> None:
    bus = memory_bus()
    fast = replace(CONFIG, node_lease=0.6, grace_period=0.1, sweep_interval=0.2)
    abandoned: list[Seat] = []

    async def abandon(s: Seat) -> None:
        abandoned.append(s)

    held = {seat()}
    clock = asyncio.get_running_loop().time
    dead = NodeLease(bus.kv, bus.presence, fast, set, abandon, node_id="dead", clock=clock)
    await dead.renew()
    await dead.hold(next(iter(held)))
    alive = NodeLease(bus.kv, bus.presence, fast, set, abandon, node_id="alive", clock=clock)
    running = asyncio.create_task(alive.run())
    try:
        await wait_until(lambda: abandoned, 3.0, "the dead node's seat abandoned", interval=0.05)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert abandoned == list(held)
    assert await bus.kv.get("signal:node:alive") is not None


class GatedPresence(MemoryPresence):
    """Presence whose `remove` waits for `opened`: a renewal paused between deciding to
    take a seat off the list and doing it."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.opened = asyncio.Event()

    async def remove(self, group: str, member: str) -> None:
        await self.opened.wait()
        await super().remove(group, member)


async def test_a_seat_held_again_while_a_renewal_takes_it_off_stays_listed() -> None:
    clock = Clock()
    bus = memory_bus(clock)
    presence = GatedPresence(clock)
    held: set[Seat] = set()

    async def abandon(seat: Seat) -> None:
        raise AssertionError("nothing is swept here")

    lease = NodeLease(
        bus.kv, presence, CONFIG, lambda: set(held), abandon, node_id="a", clock=clock
    )
    back = seat()
    held.add(back)
    await lease.renew()
    held.clear()  # they left, and a renewal starts taking their seat off the list...
    renewing = asyncio.create_task(lease.renew())
    for _ in range(5):
        await asyncio.sleep(0)
    held.add(back)  # ...when they connect again on this node
    holding = asyncio.create_task(lease.hold(back))
    for _ in range(5):
        await asyncio.sleep(0)
    presence.opened.set()
    await asyncio.gather(renewing, holding)
    assert await presence.members(seats_group("a")) == {f"{back[0]}:{back[1]}"}
    await lease.renew()  # and the next renewal agrees
    assert await presence.members(seats_group("a")) == {f"{back[0]}:{back[1]}"}
