"""Room bans seen from the REST API: who was removed from a room, and letting them back in.
The ban itself is written by the removal (`conference/meeting.py`), and joining refuses a
banned person (`RoomService.join`, `MeetingService.admit`); decision 42."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Forbidden, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action
from rapat.services.room_access import find_room, require
from rapat.storage.models import RoomBan, User
from rapat.storage.repositories import bans as ban_rows
from rapat.storage.uow import UnitOfWork

# Whoever may remove people (hosts and moderators) may see and lift the bans.
MANAGE_BANS = Action.MODERATE


def banned_error() -> Forbidden:
    """The refusal a banned person gets, whatever the way in (REST join, WebSocket)."""
    return Forbidden(
        "A host or moderator removed you from this room; ask one of them to let you back in.",
        code="banned_from_room",
    )


@dataclass(frozen=True, slots=True)
class BanView:
    ban: RoomBan
    user: User


class RoomBans:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list_bans(self, principal: Principal, reference: str) -> list[BanView]:
        async with self._sessions() as session:
            room = await find_room(session, reference)
            await require(session, room, principal, MANAGE_BANS)
            return [BanView(*row) for row in await ban_rows.bans_with_users(session, room.id)]

    async def lift(self, principal: Principal, reference: str, user_id: uuid.UUID) -> None:
        """Let someone back in: they may join again, with the room password if it has one
        (their old membership went with the removal)."""
        async with UnitOfWork(self._sessions) as uow:
            room = await find_room(uow.session, reference)
            await require(uow.session, room, principal, MANAGE_BANS)
            if not await ban_rows.lift(uow.session, room.id, user_id):
                raise NotFound("This person is not banned from the room.", code="ban_not_found")
