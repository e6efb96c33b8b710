"""Room lifecycle events: their names, the sink `RoomService` reports them to after each
commit, and the fan-out that hands every event to each subscriber (webhooks and
notifications, then the signaling hub). The room service never imports what it notifies.

Only the events in `WEBHOOK_EVENTS` (services/webhooks.py) reach webhooks; the others
(`room.cancelled`, `participant.role_changed`, `room.settings_changed`, `lobby.changed`)
exist for live subscribers."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from rapat.observability.logging import get_logger
from rapat.storage.models import Room

ROOM_CREATED = "room.created"
ROOM_STARTED = "room.started"
ROOM_ENDED = "room.ended"
ROOM_CANCELLED = "room.cancelled"
PARTICIPANT_JOINED = "participant.joined"
PARTICIPANT_LEFT = "participant.left"
PARTICIPANT_ROLE_CHANGED = "participant.role_changed"
ROOM_SETTINGS_CHANGED = "room.settings_changed"
RECORDING_READY = "recording.ready"
# Someone started or stopped waiting in the lobby: `data.waiting` is the whole lobby now.
LOBBY_CHANGED = "lobby.changed"

_log = get_logger("rapat.events")


class RoomEventSink(Protocol):
    async def emit(
        self, event: str, room: Room, data: dict[str, Any], actor: uuid.UUID | None
    ) -> None: ...


Subscriber = Callable[[str, Room, dict[str, Any], "uuid.UUID | None"], Awaitable[None]]


class RoomEventFanout:
    """Hands each event to every subscriber in the order they subscribed. A subscriber
    that fails is logged and never keeps the event from the others, nor fails the
    request that caused it (its transaction has committed already)."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    async def emit(
        self, event: str, room: Room, data: dict[str, Any], actor: uuid.UUID | None
    ) -> None:
        for subscriber in self._subscribers:
            try:
                await subscriber(event, room, data, actor)
            except Exception:
                _log.exception("room_event_failed", room_id=str(room.id), event_name=event)
