"""Where the waiting room keeps its state: in the bus's key-value store and presence groups
(Redis with several nodes, in process otherwise), never in the database. Everything
expires by itself, so a closed tab or a dead node leaves nobody waiting forever.

    lobby:wait:<room>:<user>    {"user_id", "name", "since"}   WAIT_TTL, refreshed
    lobby:room:<room>           presence group of those waiting (members expire alike)
    lobby:grant:<room>:<user>   admitted, not yet seated        GRANT_TTL
    lobby:denied:<room>:<user>  turned away: no knock until it lapses  DENY_COOLDOWN
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from rapat.bus.interfaces import KeyValue, Presence
from rapat.domain.lobby import DENY_COOLDOWN, GRANT_TTL, WAIT_TTL


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    """Someone in a room's lobby, and since when (ISO 8601, UTC)."""

    user_id: str
    name: str
    since: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


class LobbyStore:
    def __init__(self, kv: KeyValue, presence: Presence) -> None:
        self._kv = kv
        self._presence = presence

    @staticmethod
    def _group(room_id: uuid.UUID) -> str:
        return f"lobby:room:{room_id}"

    @staticmethod
    def _key(kind: str, room_id: uuid.UUID, user_id: uuid.UUID | str) -> str:
        return f"lobby:{kind}:{room_id}:{user_id}"

    async def entry(self, room_id: uuid.UUID, user_id: uuid.UUID) -> WaitingEntry | None:
        raw = await self._kv.get(self._key("wait", room_id, user_id))
        return None if raw is None else WaitingEntry(**json.loads(raw))

    async def wait(self, room_id: uuid.UUID, entry: WaitingEntry) -> None:
        """Put someone in the lobby (or keep them there: the entry keeps its `since`)."""
        raw = json.dumps(entry.to_json()).encode()
        await self._kv.set(self._key("wait", room_id, entry.user_id), raw, WAIT_TTL)
        await self._presence.touch(self._group(room_id), entry.user_id, WAIT_TTL)

    async def keep(self, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """The waiting person is still there: their place lasts another WAIT_TTL. False
        when they were not waiting (admitted, denied, or their place lapsed)."""
        if not await self._kv.expire(self._key("wait", room_id, user_id), WAIT_TTL):
            return False
        await self._presence.touch(self._group(room_id), str(user_id), WAIT_TTL)
        return True

    async def leave(self, room_id: uuid.UUID, user_id: uuid.UUID | str) -> bool:
        """Out of the lobby (admitted, denied, gone); True when they were waiting."""
        await self._presence.remove(self._group(room_id), str(user_id))
        return await self._kv.delete(self._key("wait", room_id, user_id))

    async def waiting(self, room_id: uuid.UUID) -> list[WaitingEntry]:
        """Everyone waiting, longest first."""
        entries = []
        for member in await self._presence.members(self._group(room_id)):
            raw = await self._kv.get(self._key("wait", room_id, member))
            if raw is not None:
                entries.append(WaitingEntry(**json.loads(raw)))
        return sorted(entries, key=lambda entry: (entry.since, entry.user_id))

    async def grant(self, room_id: uuid.UUID, user_id: uuid.UUID | str) -> None:
        await self._kv.delete(self._key("denied", room_id, user_id))
        await self._kv.set(self._key("grant", room_id, user_id), b"1", GRANT_TTL)

    async def granted(self, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return await self._kv.get(self._key("grant", room_id, user_id)) is not None

    async def spend_grant(self, room_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """The admission was used: they are seated (and now a member of the room)."""
        await self._kv.delete(self._key("grant", room_id, user_id))

    async def deny(self, room_id: uuid.UUID, user_id: uuid.UUID | str) -> None:
        await self._kv.delete(self._key("grant", room_id, user_id))
        await self._kv.set(self._key("denied", room_id, user_id), b"1", DENY_COOLDOWN)

    async def denied_for(self, room_id: uuid.UUID, user_id: uuid.UUID) -> float | None:
        """Seconds until a turned-away person may knock again; None when they may now."""
        key = self._key("denied", room_id, user_id)
        if await self._kv.get(key) is None:
            return None
        return await self._kv.ttl(key) or DENY_COOLDOWN
