"""The live nodes, each one's record under a key that lapses unless renewed: a node that
dies drops out of placement once its record expires (RAPAT_WS_NODE_LEASE seconds)."""

from __future__ import annotations

from rapat.bus.interfaces import KeyValue, Presence
from rapat.cluster.node_record import NodeRecord

NODES = "cluster:nodes"
# Membership of the node list only helps find records; the record's key says if it is alive.
LISTING_TTL = 24 * 3600.0


def record_key(node_id: str) -> str:
    return f"cluster:node:{node_id}"


class NodeDirectory:
    def __init__(self, kv: KeyValue, presence: Presence, ttl: float) -> None:
        self._kv = kv
        self._presence = presence
        self.ttl = ttl

    async def publish(self, record: NodeRecord) -> None:
        await self._kv.set(record_key(record.node_id), record.encode(), self.ttl)
        await self._presence.touch(NODES, record.node_id, LISTING_TTL)

    async def withdraw(self, node_id: str) -> None:
        """A node stopping cleanly: out of placement at once, not after its record lapses."""
        await self._kv.delete(record_key(node_id))
        await self._presence.remove(NODES, node_id)

    async def get(self, node_id: str) -> NodeRecord | None:
        raw = await self._kv.get(record_key(node_id))
        return NodeRecord.decode(raw) if raw is not None else None

    async def live(self) -> list[NodeRecord]:
        """Every node whose record has not lapsed; lapsed ones are dropped from the list."""
        records = []
        for node_id in sorted(await self._presence.members(NODES)):
            record = await self.get(node_id)
            if record is None:
                await self._presence.remove(NODES, node_id)
            else:
                records.append(record)
        return records
