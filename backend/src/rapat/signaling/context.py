"""What every connection of the hub shares: settings, services and the bus."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from rapat.bus.interfaces import Clock, Presence, PubSub
from rapat.conference.live_state import LiveRooms, room_channel
from rapat.conference.meeting import MeetingService
from rapat.conference.registry import Conference
from rapat.config import SignalingConfig
from rapat.domain.errors import Unauthenticated
from rapat.domain.identity import Principal
from rapat.services.auth import AuthService
from rapat.services.current_user import act_as
from rapat.services.rooms import RoomService
from rapat.signaling.chat import ChatWriter
from rapat.signaling.envelope import BusMessage


def live_ttl(config: SignalingConfig) -> float:
    """How long live state and presence outlive their last refresh: long enough to survive
    between heartbeats and through the grace period."""
    return config.idle_timeout * 2 + config.grace_period


@dataclass(frozen=True, slots=True)
class Context:
    config: SignalingConfig
    auth: AuthService
    rooms: RoomService
    meetings: MeetingService
    live: LiveRooms
    pubsub: PubSub
    presence: Presence
    chat: ChatWriter
    clock: Clock = time.monotonic
    media: Conference | None = None  # None: this node runs no SFU (RAPAT_SFU_ENABLED=false)

    @property
    def presence_ttl(self) -> float:
        return live_ttl(self.config)

    async def publish(self, room_id: uuid.UUID, message: BusMessage) -> None:
        await self.pubsub.publish(room_channel(room_id), message.encode())

    async def authenticate(self, token: str, user_id: uuid.UUID) -> tuple[Principal, float]:
        """The principal of a token that must belong to `user_id`, and the monotonic
        deadline at which the token expires."""
        principal = await self.auth.authenticate(token)
        if principal.user_id != user_id:
            raise Unauthenticated("The token belongs to someone else.", code="user_mismatch")
        act_as(principal)  # this connection's task, and those it starts, act for them
        # The signature was verified just above; only the expiry is read here.
        claims = jwt.decode(token, options={"verify_signature": False})
        remaining = float(claims["exp"]) - time.time()
        return principal, self.clock() + remaining


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_context(
    *,
    config: SignalingConfig,
    auth: AuthService,
    rooms: RoomService,
    meetings: MeetingService,
    live: LiveRooms,
    pubsub: PubSub,
    presence: Presence,
    media: Conference | None = None,
) -> Context:
    """A context whose chat writer stores through `meetings` and publishes on `pubsub`."""

    async def publish(room_id: uuid.UUID, message: BusMessage) -> None:
        await pubsub.publish(room_channel(room_id), message.encode())

    chat = ChatWriter(meetings.store_chat, publish, _utcnow)
    return Context(config, auth, rooms, meetings, live, pubsub, presence, chat, media=media)
