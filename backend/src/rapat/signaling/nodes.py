"""Node leases, and the sweeper for the participants a dead node leaves behind.

A node's grace timers die with it, so nobody would record its people as gone: their
`room_participants` and `meeting_history` rows would stay open forever. Instead:

- every node holds a lease, a key that expires `node_lease + grace_period` seconds after
  its last renewal (it renews every third of `node_lease`), and lists the seats (room,
  person) it serves in its own presence group, kept in step with its connections and
  grace timers;
- every node, every `sweep_interval` seconds, looks at the known nodes; for a node whose
  lease has lapsed, each of its seats that no live node serves now (the person did not
  come back through another node within the grace period) is handed to `abandon`, which
  closes the participation and tells the room. One node sweeps a dead node at a time.

With the in-process bus there is one node, which is never dead to itself: nothing is swept.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from rapat.bus.interfaces import Clock, KeyValue, Presence
from rapat.config import SignalingConfig
from rapat.observability.logging import get_logger

_log = get_logger("rapat.signaling")

Seat = tuple[uuid.UUID, uuid.UUID]  # room id, user id

NODES = "signal:nodes"
# Membership of the node list and of a node's seat list only needs to outlive the node's
# death long enough to be swept; the lease, not these, says whether a node is alive.
LISTING_TTL = 7 * 24 * 3600.0


def lease_key(node: str) -> str:
    return f"signal:node:{node}"


def seats_group(node: str) -> str:
    return f"signal:node-seats:{node}"


def _member(seat: Seat) -> str:
    return f"{seat[0]}:{seat[1]}"


def _seat(member: str) -> Seat:
    room, user = member.split(":")
    return uuid.UUID(room), uuid.UUID(user)


class NodeLease:
    """This node's lease and seat list, and the sweeping of dead nodes' seats."""

    def __init__(
        self,
        kv: KeyValue,
        presence: Presence,
        config: SignalingConfig,
        held: Callable[[], set[Seat]],
        abandon: Callable[[Seat], Awaitable[None]],
        *,
        node_id: str | None = None,
        clock: Clock,
    ) -> None:
        self.node_id = node_id or uuid.uuid4().hex
        self._kv = kv
        self._presence = presence
        self._config = config
        self._held = held
        self._abandon = abandon
        self._clock = clock
        self._listed: set[Seat] = set()  # seats in our group, as far as we know
        # `hold` and a renewal's listing one at a time: a renewal working from a list of
        # served seats taken before a `hold` must not take that seat off again.
        self._listing = asyncio.Lock()
        self.swept = 0  # seats abandoned by this node's sweeps

    @property
    def _lease_ttl(self) -> float:
        return self._config.node_lease + self._config.grace_period

    async def hold(self, seat: Seat) -> None:
        """A connection starts serving this seat here: listed at once, not at the next
        renewal, so a node dying right after a connect still leaves it to be swept."""
        async with self._listing:
            await self._presence.touch(seats_group(self.node_id), _member(seat), LISTING_TTL)
            self._listed.add(seat)

    async def run(self) -> None:
        """Renew and sweep until cancelled; a failing bus is logged and retried."""
        renew_every = self._config.node_lease / 3
        next_renew = next_sweep = self._clock()
        while True:
            now = self._clock()
            if now >= next_renew:
                next_renew = now + renew_every
                await self._logged(self.renew(), "node_lease_renew_failed")
            if now >= next_sweep:
                next_sweep = now + self._config.sweep_interval
                await self._logged(self.sweep(), "node_sweep_failed")
            await asyncio.sleep(max(0.0, min(next_renew, next_sweep) - self._clock()))

    async def renew(self) -> None:
        """Extend the lease and bring the seat list in step with what this node serves."""
        await self._kv.set(lease_key(self.node_id), b"1", self._lease_ttl)
        await self._presence.touch(NODES, self.node_id, LISTING_TTL)
        group = seats_group(self.node_id)
        async with self._listing:
            held = self._held()  # (a seat is held before `hold` lists it)
            for seat in held - self._listed:
                await self._presence.touch(group, _member(seat), LISTING_TTL)
            for seat in self._listed - held:
                await self._presence.remove(group, _member(seat))
            self._listed = held

    async def sweep(self) -> int:
        """Abandon the seats of dead nodes that nobody serves any more; how many."""
        nodes = await self._presence.members(NODES)
        alive = {node for node in nodes if await self._kv.get(lease_key(node)) is not None}
        alive.add(self.node_id)
        swept = 0
        for dead in sorted(nodes - alive):
            # One sweeper per dead node; the claim expires if this node dies mid-sweep.
            claim = f"signal:sweeping:{dead}"
            ttl = max(self._config.sweep_interval * 3, 5.0)
            if not await self._kv.set_if_absent(claim, self.node_id.encode(), ttl):
                continue
            swept += await self._sweep_node(dead, alive)
            await self._kv.delete(claim)
        self.swept += swept
        return swept

    async def _sweep_node(self, dead: str, alive: set[str]) -> int:
        group = seats_group(dead)
        swept = 0
        for member in sorted(await self._presence.members(group)):
            served = [await self._presence.is_member(seats_group(n), member) for n in alive]
            if not any(served):
                seat = _seat(member)
                await self._abandon(seat)
                swept += 1
                _log.info(
                    "signaling_seat_swept",
                    dead_node=dead,
                    room_id=str(seat[0]),
                    user_id=str(seat[1]),
                )
            await self._presence.remove(group, member)
        await self._presence.remove(NODES, dead)
        return swept

    @staticmethod
    async def _logged(step: Awaitable[object], failure: str) -> None:
        try:
            await step
        except Exception:
            _log.exception(failure)
