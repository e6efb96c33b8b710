"""The per-user live channel over the bus: one pub/sub topic per user, so a service on any
node reaches every tab the user has open on any node (``UserEvents``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from rapat.bus.interfaces import PubSub, Subscription


def user_topic(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def encode_event(event: str, data: dict[str, Any]) -> bytes:
    return json.dumps({"type": event, "data": data}, separators=(",", ":")).encode()


class UserChannel:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def publish(self, user_id: uuid.UUID, event: str, data: dict[str, Any]) -> None:
        await self._pubsub.publish(user_topic(user_id), encode_event(event, data))

    async def subscribe(self, user_id: uuid.UUID) -> Subscription:
        return await self._pubsub.subscribe(user_topic(user_id))
