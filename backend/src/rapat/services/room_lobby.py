"""The waiting room of a room whose `lobby_enabled` is on (decision 59): who waits, letting
them in or turning them away. The join itself (`RoomService.join`) puts people here;
what waits is kept by `LobbyStore` in the bus, so every node sees the same lobby.

Hosts and moderators hear of every change through the room event `lobby.changed` (the
signaling hub sends it to their sockets as `lobby_waiting`); the person waiting hears of
the answer on their user channel (`lobby_admitted`, `lobby_denied`) and, should that be
missed, from `GET …/lobby/me` (`status`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Forbidden, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action
from rapat.domain.rooms import refusal_to_join
from rapat.services.lobby_store import LobbyStore, WaitingEntry
from rapat.services.room_access import find_room, require
from rapat.services.room_event_sink import LOBBY_CHANGED, RoomEventSink
from rapat.services.user_events import LOBBY_ADMITTED, LOBBY_DENIED, UserEvents
from rapat.storage.models import Room
from rapat.storage.scope import as_system
from rapat.storage.types import utcnow

LobbyStatus = Literal["waiting", "admitted", "denied", "none"]


@dataclass(frozen=True, slots=True)
class LobbyState:
    """What the lobby says to the person who knocked."""

    status: LobbyStatus
    since: str | None = None  # waiting since
    retry_after: int | None = None  # denied: seconds until they may knock again


def denied_error(retry_after: float) -> Forbidden:
    """The answer to a join during the cool-down after a denial."""
    seconds = max(1, round(retry_after))
    return Forbidden(
        "A host turned down your request to join; you can ask again in a minute.",
        code="lobby_denied",
        details={"retry_after": seconds},
    )


class RoomLobby:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        store: LobbyStore,
        events: RoomEventSink | None = None,
        user_events: UserEvents | None = None,
    ) -> None:
        self._sessions = sessions
        self.store = store
        self._events = events
        self._user_events = user_events

    async def knock(self, room: Room, user_id: uuid.UUID, name: str) -> WaitingEntry:
        """Put someone in the lobby (or keep them there), unless they were just turned
        away. Leaders are told after the caller's commit (`announce`)."""
        cooling = await self.store.denied_for(room.id, user_id)
        if cooling is not None:
            raise denied_error(cooling)
        entry = await self.store.entry(room.id, user_id)
        if entry is None:
            entry = WaitingEntry(str(user_id), name, utcnow().isoformat())
        await self.store.wait(room.id, entry)
        return entry

    async def announce(self, room: Room, actor: uuid.UUID | None) -> None:
        """Leaders on every node get the lobby as it is now."""
        if self._events is None:
            return
        waiting = [entry.to_json() for entry in await self.store.waiting(room.id)]
        await self._events.emit(LOBBY_CHANGED, room, {"waiting": waiting}, actor)

    async def waiting(self, principal: Principal, reference: str) -> list[WaitingEntry]:
        room = await self._room_for_leader(principal, reference)
        return await self.store.waiting(room.id)

    async def admit(self, principal: Principal, reference: str, user_id: uuid.UUID) -> None:
        """Let one waiting person in: their next join seats them (within GRANT_TTL)."""
        room = await self._room_for_leader(principal, reference)
        if not await self._admit(room, str(user_id), principal.user_id):
            raise NotFound("This person is not waiting to join.", code="not_waiting")
        await self.announce(room, principal.user_id)

    async def admit_all(self, principal: Principal, reference: str) -> list[str]:
        """Let everyone waiting now in; the ids of those let in."""
        room = await self._room_for_leader(principal, reference)
        admitted = [
            entry.user_id
            for entry in await self.store.waiting(room.id)
            if await self._admit(room, entry.user_id, principal.user_id)
        ]
        if admitted:
            await self.announce(room, principal.user_id)
        return admitted

    async def deny(self, principal: Principal, reference: str, user_id: uuid.UUID) -> None:
        """Turn someone away: they are told, and cannot knock again for DENY_COOLDOWN."""
        room = await self._room_for_leader(principal, reference)
        if not await self.store.leave(room.id, user_id):
            raise NotFound("This person is not waiting to join.", code="not_waiting")
        await self.store.deny(room.id, user_id)
        retry_after = await self.store.denied_for(room.id, user_id)
        await self._tell(
            user_id,
            LOBBY_DENIED,
            {"room_id": str(room.id), "retry_after": round(retry_after or 0)},
        )
        await self.announce(room, principal.user_id)

    async def status(self, principal: Principal, reference: str) -> LobbyState:
        """Where the caller stands in the room's lobby; looking keeps their place."""
        room = await self._find(reference)
        user_id = principal.user_id
        if await self.store.keep(room.id, user_id):
            entry = await self.store.entry(room.id, user_id)
            return LobbyState("waiting", since=entry.since if entry else None)
        if await self.store.granted(room.id, user_id):
            return LobbyState("admitted")
        cooling = await self.store.denied_for(room.id, user_id)
        if cooling is not None:
            return LobbyState("denied", retry_after=max(1, round(cooling)))
        return LobbyState("none")

    async def leave(self, principal: Principal, reference: str) -> None:
        """The waiting person gave up (closed the page, pressed Cancel)."""
        room = await self._find(reference)
        if await self.store.leave(room.id, principal.user_id):
            await self.announce(room, principal.user_id)

    async def _admit(self, room: Room, user_id: str, by: uuid.UUID) -> bool:
        if not await self.store.leave(room.id, user_id):
            return False
        await self.store.grant(room.id, user_id)
        await self._tell(
            uuid.UUID(user_id), LOBBY_ADMITTED, {"room_id": str(room.id), "by": str(by)}
        )
        return True

    async def _tell(self, user_id: uuid.UUID, event: str, data: dict[str, str | int]) -> None:
        if self._user_events is not None:
            await self._user_events.publish(user_id, event, dict(data))

    async def _room_for_leader(self, principal: Principal, reference: str) -> Room:
        async with self._sessions() as session:
            room = await find_room(session, reference)
            await require(session, room, principal, Action.ADMIT)
            refusal = refusal_to_join(room.status)
            if refusal is not None:
                raise refusal
            return room

    async def _find(self, reference: str) -> Room:
        # As the system: someone waiting is not a member yet, and row security hides
        # the room's rows from them (decision 46); only the room itself is read.
        async with self._sessions() as session, as_system(session):
            return await find_room(session, reference)
