"""Bodies of a room's waiting room (`/rooms/{id}/lobby…`, and the join's 202 answer)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel

from rapat.api.schemas.rooms import RoomOut
from rapat.services.lobby_store import WaitingEntry
from rapat.services.room_lobby import LobbyState
from rapat.services.rooms import Waiting


class WaitingOut(BaseModel):
    """Someone in the lobby, and since when."""

    user_id: uuid.UUID
    name: str
    since: str

    @classmethod
    def of(cls, entry: WaitingEntry) -> WaitingOut:
        return cls(user_id=uuid.UUID(entry.user_id), name=entry.name, since=entry.since)


class JoinWaitingOut(BaseModel):
    """The join's answer (202) in a room with a lobby: wait to be let in."""

    status: Literal["waiting"] = "waiting"
    room: RoomOut
    since: str

    @classmethod
    def of(cls, waiting: Waiting) -> JoinWaitingOut:
        return cls(room=RoomOut.of(waiting.room), since=waiting.entry.since)


class LobbyStatusOut(BaseModel):
    """Where the caller stands in a room's lobby."""

    status: Literal["waiting", "admitted", "denied", "none"]
    since: str | None = None
    retry_after: int | None = None

    @classmethod
    def of(cls, state: LobbyState) -> LobbyStatusOut:
        return cls(status=state.status, since=state.since, retry_after=state.retry_after)


class AdmittedOut(BaseModel):
    admitted: list[uuid.UUID]
