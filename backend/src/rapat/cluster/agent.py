"""This node's part in the cluster: it publishes its record (address and load) and keeps
the homes of the rooms it serves, every third of the record's lifetime, until stopped."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rapat.cluster.directory import NodeDirectory
from rapat.cluster.load_meter import LoadMeter
from rapat.cluster.node_record import NodeRecord, signaling_origin
from rapat.cluster.placement import Placement
from rapat.observability.logging import get_logger

_log = get_logger("rapat.cluster")


@dataclass(frozen=True, slots=True)
class Membership:
    """What the composition root gives a node that takes part in placement: its own
    signaling URL and the shared directory and homes."""

    url: str
    directory: NodeDirectory
    placement: Placement


class NodeAgent:
    def __init__(
        self,
        node_id: str,
        membership: Membership,
        meter: LoadMeter,
        rooms_served: Callable[[], set[uuid.UUID]],
    ) -> None:
        self.node_id = node_id
        self.url = membership.url
        self.directory = membership.directory
        self.placement = membership.placement
        self._meter = meter
        self._rooms_served = rooms_served
        self.draining = False
        self._record = NodeRecord(node_id, self.url, meter.read())
        # Where browsers may be sent for signaling: every live node's origin (for the
        # pages' Content-Security-Policy), as of the last renewal.
        self.origins: frozenset[str] = frozenset({signaling_origin(self.url)})

    @property
    def record(self) -> NodeRecord:
        """As last published (what placement on this node compares against)."""
        return self._record

    async def renew(self) -> None:
        self._record = NodeRecord(self.node_id, self.url, self._meter.read(), self.draining)
        await self.directory.publish(self._record)
        await self.placement.keep(self._rooms_served(), self.node_id)
        nodes = await self.directory.live()
        self.origins = frozenset(signaling_origin(n.url) for n in nodes if n.url) | {
            signaling_origin(self.url)
        }

    async def publish_first(self) -> None:
        """The first renewal, at start; a bus that is down is logged, `run` retries."""
        try:
            await self.renew()
        except Exception:
            _log.exception("cluster_renew_failed", node_id=self.node_id)

    async def run(self) -> None:
        """Renew until cancelled; a failing bus is logged and retried at the next turn."""
        while True:
            try:
                await self.renew()
            except Exception:
                _log.exception("cluster_renew_failed", node_id=self.node_id)
            await asyncio.sleep(self.directory.ttl / 3)

    async def others_take_rooms(self) -> bool:
        """Whether another live node takes new rooms (a drain has somewhere to send people)."""
        try:
            nodes = await self.directory.live()
        except Exception:
            _log.exception("cluster_directory_failed", node_id=self.node_id)
            return False
        return any(n.url and not n.draining and n.node_id != self.node_id for n in nodes)

    async def drain(self) -> None:
        """A planned stop: marked draining (no new rooms come here), and this node's rooms
        released so that their next participants are placed elsewhere."""
        self.draining = True
        try:
            await self.renew()
            await self.placement.release(self._rooms_served(), self.node_id)
        except Exception:
            _log.exception("cluster_drain_failed", node_id=self.node_id)

    async def withdraw(self) -> None:
        """Stopping: out of placement now, and this node's rooms free to be placed again."""
        try:
            await self.directory.withdraw(self.node_id)
            await self.placement.release(self._rooms_served(), self.node_id)
        except Exception:
            _log.exception("cluster_withdraw_failed", node_id=self.node_id)
