"""Names of the room lifecycle events and the sink RoomService reports them to (kept apart
from their handlers so the room service does not import what it notifies)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from rapat.storage.models import Room

ROOM_CREATED = "room.created"
ROOM_STARTED = "room.started"
ROOM_ENDED = "room.ended"
PARTICIPANT_JOINED = "participant.joined"
PARTICIPANT_LEFT = "participant.left"
RECORDING_READY = "recording.ready"


class RoomEventSink(Protocol):
    async def emit(
        self, event: str, room: Room, data: dict[str, Any], actor: uuid.UUID | None
    ) -> None: ...
