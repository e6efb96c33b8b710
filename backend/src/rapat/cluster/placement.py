"""Which node serves a room: its home, a key naming the node, set at the room's first
placement and kept alive by that node while it serves the room. The API places a room on
the least loaded node; a node that a client reaches directly claims an unplaced room."""

from __future__ import annotations

import asyncio
import uuid

from rapat.bus.interfaces import KeyValue
from rapat.cluster.directory import NodeDirectory
from rapat.cluster.node_record import NodeRecord, least_loaded

# Two placers racing for a room whose home died: the loser re-reads after the winner wrote.
_RACE_ATTEMPTS = 5
_RACE_PAUSE = 0.02


def home_key(room_id: uuid.UUID) -> str:
    return f"cluster:home:{room_id}"


def placed_key(node_id: str) -> str:
    """Rooms placed on the node lately (for as long as a record lives)."""
    return f"cluster:placed:{node_id}"


class Placement:
    def __init__(self, kv: KeyValue, directory: NodeDirectory, capacity: int) -> None:
        self._kv = kv
        self._directory = directory
        self._capacity = capacity

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

    async def release(self, room_ids: set[uuid.UUID], node_id: str) -> None:
        """A node stopping: its rooms may be placed anew at once."""
        for room_id in room_ids:
            key = home_key(room_id)
            if await self._kv.get(key) == node_id.encode():
                await self._kv.delete(key)

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
