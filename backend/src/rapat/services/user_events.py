"""The seam services use to push an event to every open tab of one user (the per-user live
channel, `/ws/user`); ``signaling.user_channel.UserChannel`` implements it over the bus."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

# Event types pushed on the user channel (documented in docs/signaling.md).
NOTIFICATION = "notification"
NOTIFICATION_READ = "notification_read"
PRESENCE = "presence"
# The answer to someone waiting in a room's lobby (decision 59).
LOBBY_ADMITTED = "lobby_admitted"
LOBBY_DENIED = "lobby_denied"


class UserEvents(Protocol):
    async def publish(self, user_id: uuid.UUID, event: str, data: dict[str, Any]) -> None:
        """Deliver to the user's open channels on every node; nobody listening is fine."""
        ...
