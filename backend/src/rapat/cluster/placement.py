"""Which node serves a room: its home, a key naming the node, set at the room's first
placement and kept alive by that node while it serves the room. The API places a room on
the least loaded node; a node that a client reaches directly claims an unplaced room.
While the home is loaded past the spill limit, the room's new participants go to another
node, which is granted the room as a guest (a key per room and node, kept alive while it
serves the room); the nodes relay the room's media between them (decision 70)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

from rapat.bus.interfaces import KeyValue
from rapat.cluster.directory import NodeDirectory
from rapat.cluster.node_record import NodeRecord, least_loaded

# Two placers racing for a room whose home died: the loser re-reads after the winner wrote.
_RACE_ATTEMPTS = 5
_RACE_PAUSE = 0.02
# How long a person's place is remembered after they last asked where to connect (the web
# app asks before every connect, so a meeting in progress renews it only on reconnects).
SEAT_TTL = 3600.0


def home_key(room_id: uuid.UUID) -> str:
    return f"cluster:home:{room_id}"


def guest_key(room_id: uuid.UUID, node_id: str) -> str:
    return f"cluster:guest:{room_id}:{node_id}"


def seat_key(room_id: uuid.UUID, user_id: str) -> str:
    """The guest node a person was sent to (asked again, they are sent there again)."""
    return f"cluster:seat:{room_id}:{user_id}"


def seated_key(node_id: str) -> str:
    """Participants sent to the node lately (for as long as a record lives)."""
    return f"cluster:seated:{node_id}"


def placed_key(node_id: str) -> str:
    """Rooms placed on the node lately (for as long as a record lives)."""
    return f"cluster:placed:{node_id}"


class Placement:
    def __init__(
        self, kv: KeyValue, directory: NodeDirectory, capacity: int, spill_load: float = 0.8
    ) -> None:
        self._kv = kv
        self._directory = directory
        self._capacity = capacity
        self._spill_load = spill_load

    @property
    def ttl(self) -> float:
        return self._directory.ttl

    async def home(self, room_id: uuid.UUID) -> NodeRecord | None:
        """The live node that serves the room now, if any."""
        record, _ = await self._current(room_id)
        return record

    async def place(self, room_id: uuid.UUID) -> NodeRecord | None:
        """The room's home, choosing the least loaded live node if it has none (None: no
        node can take rooms, e.g. every one is draining)."""
        for _ in range(_RACE_ATTEMPTS):
            record, stale = await self._current(room_id)
            if record is not None:
                return record
            nodes = await self._directory.live()
            recent = {n.node_id: await self._placed_lately(n.node_id) for n in nodes}
            choice = least_loaded(nodes, self._capacity, recent)
            if choice is None:
                return None
            if await self._take(room_id, choice.node_id, stale):
                await self._kv.incr(placed_key(choice.node_id), ttl=self.ttl)
                return choice
            await asyncio.sleep(_RACE_PAUSE)
        return await self.home(room_id)

    async def place_participant(self, room_id: uuid.UUID, user_id: str) -> NodeRecord | None:
        """Where a participant of the room connects: its home, or while the home is
        loaded past the spill limit, the least loaded node under it (one already serving
        the room first, so that fewer nodes relay), granted the room as a guest. Someone
        seated on a node (`seat`: its socket was served there) or sent to a guest is sent
        there again while that node serves the room (the web app asks before every
        connect; a full home does not push out its own people)."""
        home = await self.place(room_id)
        if home is None:
            return None
        seat = seat_key(room_id, user_id)
        kept = await self._kv.get(seat)
        if kept is not None:
            node_id = kept.decode()
            record = home if node_id == home.node_id else await self._directory.get(node_id)
            serving = record is home or await self.is_guest(room_id, node_id)
            if record is not None and not record.draining and serving:
                await self._kv.expire(seat, SEAT_TTL)
                return record
        if await self._score(home) < self._spill_load:
            return home
        others = [
            n
            for n in await self._directory.live()
            if n.url and not n.draining and n.node_id != home.node_id
        ]
        scores = {n.node_id: await self._score(n) for n in others}
        under = [n for n in others if scores[n.node_id] < self._spill_load]
        if not under:
            return home  # everyone is full: spreading the room would only add relays
        guests = [n for n in under if await self.is_guest(room_id, n.node_id)]
        choice = min(guests or under, key=lambda n: (scores[n.node_id], n.node_id))
        await self._kv.set(guest_key(room_id, choice.node_id), b"1", self._grant_ttl)
        await self._kv.set(seat, choice.node_id.encode(), SEAT_TTL)
        await self._kv.incr(seated_key(choice.node_id), ttl=self.ttl)
        return choice

    async def seat(self, room_id: uuid.UUID, user_id: str, node_id: str) -> None:
        """The node serves this person's socket in the room (recorded by that node)."""
        await self._kv.set(seat_key(room_id, user_id), node_id.encode(), SEAT_TTL)

    async def is_guest(self, room_id: uuid.UUID, node_id: str) -> bool:
        """Whether the node serves the room beside its home (placement sent people there)."""
        return await self._kv.get(guest_key(room_id, node_id)) is not None

    @property
    def _grant_ttl(self) -> float:
        # Long enough for the client to connect after asking; renewed while served.
        return self.ttl * 3

    async def _score(self, node: NodeRecord) -> float:
        """The node's load with the participants sent to it since its record was written."""
        raw = await self._kv.get(seated_key(node.node_id))
        seated = int(raw) if raw is not None else 0
        load = dataclasses.replace(node.load, participants=node.load.participants + seated)
        return load.score(self._capacity)

    async def claim(self, room_id: uuid.UUID, node: NodeRecord) -> NodeRecord | None:
        """The room's home, taking it for `node` if it has none: a client that reached a
        node directly is served there rather than sent on."""
        for _ in range(_RACE_ATTEMPTS):
            record, stale = await self._current(room_id)
            if record is not None:
                return record
            if await self._take(room_id, node.node_id, stale):
                return node
            await asyncio.sleep(_RACE_PAUSE)
        return await self.home(room_id)

    async def keep(self, room_ids: set[uuid.UUID], node_id: str) -> None:
        """Renew the homes this node holds; a room re-homed elsewhere meanwhile is left
        to its new home."""
        for room_id in room_ids:
            key = home_key(room_id)
            if await self._kv.get(key) == node_id.encode():
                await self._kv.expire(key, self.ttl)
            else:  # a guest of the room, if placement made it one
                await self._kv.expire(guest_key(room_id, node_id), self._grant_ttl)

    async def release(self, room_ids: set[uuid.UUID], node_id: str) -> None:
        """A node stopping: its rooms may be placed anew at once."""
        for room_id in room_ids:
            key = home_key(room_id)
            if await self._kv.get(key) == node_id.encode():
                await self._kv.delete(key)
            await self._kv.delete(guest_key(room_id, node_id))

    async def _placed_lately(self, node_id: str) -> int:
        raw = await self._kv.get(placed_key(node_id))
        return int(raw) if raw is not None else 0

    async def _current(self, room_id: uuid.UUID) -> tuple[NodeRecord | None, str | None]:
        """(the live home, None), or (None, the dead home's id) or (None, None)."""
        raw = await self._kv.get(home_key(room_id))
        if raw is None:
            return None, None
        node_id = raw.decode()
        record = await self._directory.get(node_id)
        return (record, None) if record is not None else (None, node_id)

    async def _take(self, room_id: uuid.UUID, node_id: str, stale: str | None) -> bool:
        key = home_key(room_id)
        if stale is None:
            return await self._kv.set_if_absent(key, node_id.encode(), self.ttl)
        # The home died: one placer wins the right to replace it, the others re-read.
        claim = f"cluster:rehome:{room_id}:{stale}"
        if not await self._kv.set_if_absent(claim, node_id.encode(), self.ttl):
            return False
        await self._kv.set(key, node_id.encode(), self.ttl)
        return True
