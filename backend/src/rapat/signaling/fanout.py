"""One bus subscription per room and node, shared by the room's connections on the node.

A room's event is read from the bus, and its routing header decoded, once per node; one
task hands it to each local connection of the room, which queues it without waiting.
(A subscription and a task per connection did the same work ten times in a room of ten.)
The subscription and its task exist only while the room has a connection on this node.
When the bus loses the subscription (Redis went away), the room's connections are told
(`lost`) after every event received before, and the room is forgotten: the next
connection subscribes afresh.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from rapat.bus.errors import BusError
from rapat.bus.interfaces import PubSub, Subscription
from rapat.conference.live_state import room_channel
from rapat.observability.logging import get_logger
from rapat.signaling.envelope import Received

_log = get_logger("rapat.signaling")


class Receiver(Protocol):
    def deliver(self, message: Received) -> None:
        """Take an event of the room; must not wait (a slow receiver drops itself)."""
        ...

    def lost(self) -> None:
        """The room's events stopped coming (the bus lost them): must not wait."""
        ...


@dataclass(eq=False)
class _Room:
    room_id: uuid.UUID
    subscription: Subscription
    receivers: set[Receiver] = field(default_factory=set)
    task: asyncio.Task[None] | None = None


class RoomFanout:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub
        self._rooms: dict[uuid.UUID, _Room] = {}
        self._lock = asyncio.Lock()  # subscribing and unsubscribing take turns

    def rooms(self) -> int:
        return len(self._rooms)

    async def join(self, room_id: uuid.UUID, receiver: Receiver) -> None:
        """From when this returns, the receiver gets every event published to the room."""
        async with self._lock:
            room = self._rooms.get(room_id)
            if room is None:
                subscription = await self._pubsub.subscribe(room_channel(room_id))
                room = _Room(room_id, subscription)
                room.task = asyncio.create_task(self._forward(room), name=f"ws-room-{room_id}")
                self._rooms[room_id] = room
            room.receivers.add(receiver)

    async def leave(self, room_id: uuid.UUID, receiver: Receiver) -> None:
        async with self._lock:
            room = self._rooms.get(room_id)
            if room is None or receiver not in room.receivers:
                return
            room.receivers.discard(receiver)
            if room.receivers:
                return
            del self._rooms[room_id]
            await room.subscription.close()  # ends the task's iteration
            if room.task is not None:
                await asyncio.gather(room.task, return_exceptions=True)

    async def _forward(self, room: _Room) -> None:
        try:
            await self._read(room)
        except BusError:
            _log.warning("signaling_room_subscription_lost", room_id=str(room.room_id))
            if self._rooms.get(room.room_id) is room:
                del self._rooms[room.room_id]
            for receiver in list(room.receivers):
                receiver.lost()

    async def _read(self, room: _Room) -> None:
        # The subscription's inbox is bounded (oldest dropped). Dropped events are
        # logged: a client that missed some can ask for a fresh `room_state`.
        reported = 0
        async for raw in room.subscription:
            if room.subscription.dropped > reported:
                _log.warning(
                    "signaling_events_dropped",
                    channel=room.subscription.channel,
                    dropped=room.subscription.dropped - reported,
                )
                reported = room.subscription.dropped
            try:
                message = Received.decode(raw)
            except ValueError:
                _log.exception("signaling_bad_bus_message", channel=room.subscription.channel)
                continue
            for receiver in list(room.receivers):
                receiver.deliver(message)
