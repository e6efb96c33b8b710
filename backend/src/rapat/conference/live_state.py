"""Live room state shared by every node through the bus: who is connected, each
participant's media flags, the recording flag and who is in the spotlight. Keys expire by
themselves, so a node that dies cannot leave people in a room forever."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, replace
from typing import Any

from rapat.bus.interfaces import KeyValue, Presence
from rapat.domain.permissions import Role

# The recording flag outlives a room that ended without turning it off, but not forever.
RECORDING_TTL = 24 * 3600.0
# The spotlight, likewise: it goes with the person, and with the room's end.
SPOTLIGHT_TTL = RECORDING_TTL


@dataclass(frozen=True, slots=True)
class ParticipantState:
    user_id: str
    name: str
    role: str
    muted: bool
    video: bool
    screen: bool = False
    hand: bool = False

    def changed(self, **changes: Any) -> ParticipantState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def with_role(self, role: Role) -> ParticipantState:
        """The state after a role change: an observer publishes nothing, so they are
        also muted, with camera and screen off."""
        if role is Role.OBSERVER:
            return self.changed(role=role.value, muted=True, video=False, screen=False)
        return self.changed(role=role.value)


def room_channel(room_id: uuid.UUID) -> str:
    return f"signal:room:{room_id}"


class LiveRooms:
    """Reads and writes live state; every entry lives `ttl` seconds unless refreshed."""

    def __init__(self, kv: KeyValue, presence: Presence, ttl: float) -> None:
        self._kv = kv
        self._presence = presence
        self._ttl = ttl

    @property
    def kv(self) -> KeyValue:
        return self._kv

    @staticmethod
    def _group(room_id: uuid.UUID) -> str:
        return f"signal:members:{room_id}"

    @staticmethod
    def _key(room_id: uuid.UUID, user_id: uuid.UUID | str) -> str:
        return f"signal:state:{room_id}:{user_id}"

    @staticmethod
    def _owner_key(room_id: uuid.UUID, user_id: uuid.UUID) -> str:
        return f"signal:conn:{room_id}:{user_id}"

    async def get(self, room_id: uuid.UUID, user_id: uuid.UUID) -> ParticipantState | None:
        raw = await self._kv.get(self._key(room_id, user_id))
        return None if raw is None else ParticipantState(**json.loads(raw))

    async def put(self, room_id: uuid.UUID, state: ParticipantState) -> None:
        await self._kv.set(
            self._key(room_id, state.user_id), json.dumps(state.to_json()).encode(), self._ttl
        )
        await self._presence.touch(self._group(room_id), state.user_id, self._ttl)

    async def claim(self, room_id: uuid.UUID, user_id: uuid.UUID, connection: str) -> None:
        """Record which connection currently speaks for this person (the newest wins)."""
        await self._kv.set(self._owner_key(room_id, user_id), connection.encode(), self._ttl)

    async def owner(self, room_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
        raw = await self._kv.get(self._owner_key(room_id, user_id))
        return None if raw is None else raw.decode()

    async def refresh(self, room_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self._kv.expire(self._key(room_id, user_id), self._ttl)
        await self._kv.expire(self._owner_key(room_id, user_id), self._ttl)
        await self._presence.touch(self._group(room_id), str(user_id), self._ttl)

    async def remove(self, room_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self._kv.delete(self._key(room_id, user_id))
        await self._kv.delete(self._owner_key(room_id, user_id))
        await self._presence.remove(self._group(room_id), str(user_id))
        if await self.spotlight(room_id) == str(user_id):  # the spotlight leaves with them
            await self.set_spotlight(room_id, None)

    async def participants(self, room_id: uuid.UUID) -> list[ParticipantState]:
        members = await self._presence.members(self._group(room_id))
        states = []
        for member in sorted(members):
            raw = await self._kv.get(self._key(room_id, member))
            if raw is not None:
                states.append(ParticipantState(**json.loads(raw)))
        return states

    async def recording(self, room_id: uuid.UUID) -> bool:
        return await self._kv.get(f"signal:recording:{room_id}") is not None

    async def set_recording(self, room_id: uuid.UUID, active: bool) -> None:
        key = f"signal:recording:{room_id}"
        if active:
            await self._kv.set(key, b"1", RECORDING_TTL)
        else:
            await self._kv.delete(key)

    @staticmethod
    def _spotlight_key(room_id: uuid.UUID) -> str:
        return f"signal:spotlight:{room_id}"

    async def spotlight(self, room_id: uuid.UUID) -> str | None:
        """The user id a host or moderator put in everyone's main view, if any."""
        raw = await self._kv.get(self._spotlight_key(room_id))
        return None if raw is None else raw.decode()

    async def set_spotlight(self, room_id: uuid.UUID, user_id: uuid.UUID | str | None) -> None:
        key = self._spotlight_key(room_id)
        if user_id is None:
            await self._kv.delete(key)
        else:
            await self._kv.set(key, str(user_id).encode(), SPOTLIGHT_TTL)
