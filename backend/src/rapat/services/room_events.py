"""Room lifecycle events (`room.created`, `room.started`, `room.ended`,
`participant.joined`, `participant.left`, `recording.ready`): RoomService reports them
after its transaction commits; they become webhook deliveries and notifications. A failure
here is logged and never fails the request that caused the event. Events that are not
webhook events (`room.cancelled`, `participant.role_changed`) are for live subscribers."""

from __future__ import annotations

import uuid
from typing import Any

from rapat.observability.logging import get_logger
from rapat.services.notification_events import MeetingNotifier
from rapat.services.room_event_sink import RECORDING_READY, ROOM_ENDED
from rapat.services.webhooks import WebhookService
from rapat.storage.models import WEBHOOK_EVENTS, Room

_log = get_logger("rapat.events")


class RoomEvents:
    def __init__(self, webhooks: WebhookService) -> None:
        self._webhooks = webhooks
        self._notifier: MeetingNotifier | None = None

    def bind_notifier(self, notifier: MeetingNotifier) -> None:
        """Set after wiring: the notifier needs the room service, which needs this sink."""
        self._notifier = notifier

    async def emit(
        self, event: str, room: Room, data: dict[str, Any], actor: uuid.UUID | None
    ) -> None:
        try:
            if event in WEBHOOK_EVENTS:
                await self._webhooks.record(room, event, data)
        except Exception:
            _log.exception("webhook_event_not_recorded", room_id=str(room.id), event_name=event)
        if self._notifier is None:
            return
        try:
            if event == ROOM_ENDED:
                await self._notifier.room_ended(room, actor)
            elif event == RECORDING_READY:
                await self._notifier.recording_ready(room, str(data.get("url", "")))
        except Exception:
            _log.exception("event_notification_failed", room_id=str(room.id), event_name=event)

    async def recording_ready(self, room: Room, recording_url: str) -> None:
        """The hook for the recordings feature: webhooks and members' notifications."""
        await self.emit(RECORDING_READY, room, {"url": recording_url}, None)
