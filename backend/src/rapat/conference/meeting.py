"""What a live meeting needs from the database: admitting a connection, storing chat,
removing a participant, closing a dead node's seats. Joining, leaving and ending stay in
`RoomService` (the REST API and signaling both call it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, Forbidden, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Role
from rapat.domain.rooms import refusal_to_join
from rapat.services.profile import display_name
from rapat.services.room_bans import banned_error
from rapat.services.room_settings import RoomSettings, merge_settings
from rapat.storage.models import RoomMessage, RoomParticipant, User
from rapat.storage.repositories import bans as ban_rows
from rapat.storage.repositories import rooms as room_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_MESSAGES = cast(Table, RoomMessage.__table__)


@dataclass(frozen=True, slots=True)
class Admission:
    """A participant allowed onto a room's live connection."""

    room_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    role: Role
    settings: RoomSettings


@dataclass(frozen=True, slots=True)
class ChatLine:
    """A chat line to store; its id and time are given before it is stored."""

    id: uuid.UUID
    room_id: uuid.UUID
    user_id: uuid.UUID
    text: str
    created_at: datetime


class MeetingService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def admit(self, principal: Principal, reference: str) -> Admission:
        """Only someone currently in the meeting (joined through the API) is admitted."""
        async with self._sessions() as session:
            room = await room_rows.find(session, reference)
            if room is None:
                raise NotFound("No such room.", code="room_not_found")
            refusal = refusal_to_join(room.status)
            if refusal is not None:
                raise refusal
            if await ban_rows.is_banned(session, room.id, principal.user_id):
                raise banned_error()
            member = await room_rows.participant(session, room.id, principal.user_id)
            if member is None or member.left_at is not None:
                raise Forbidden("Join the meeting before connecting.", code="not_in_room")
            user = await session.get(User, principal.user_id)
            if user is None:
                raise NotFound("No such user.", code="user_not_found")
            settings = merge_settings(await room_rows.settings(session, room.id))
            return Admission(room.id, user.id, display_name(user), Role(member.role), settings)

    async def store_chat(self, lines: Sequence[ChatLine]) -> None:
        """Many lines in one transaction (stored together or not at all), exactly as
        typed: rendering is the client's job, never HTML here."""
        rows = [
            {
                "id": line.id,
                "room_id": line.room_id,
                "user_id": line.user_id,
                "message": line.text,
                "message_type": "text",
                "created_at": line.created_at,
            }
            for line in lines
        ]
        # The table, not the ORM class: a plain executemany, without the ORM's
        # per-row bookkeeping (a tenth of a busy node's CPU went there).
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.execute(insert(_MESSAGES), rows)

    async def remove(self, room_id: uuid.UUID, target: uuid.UUID, by: uuid.UUID) -> None:
        """Take someone out of the meeting and keep them out until a host or moderator
        lets them back in (decision 42). The caller's right to do so is checked by the
        signaling rules; the host cannot be removed from their own room. Their membership
        goes too (their role, the password they gave): let back in, they join afresh."""
        async with UnitOfWork(self._sessions) as uow:
            member = await room_rows.participant(uow.session, room_id, target)
            if member is None or member.left_at is not None:
                raise Conflict("This person is not in the meeting.", code="not_in_room")
            if member.role == Role.HOST.value:
                raise Forbidden("The host cannot be removed.", code="host_not_removable")
            await _close(uow.session, member, utcnow())
            await uow.session.delete(member)
            await ban_rows.ban(uow.session, room_id, target, by)

    async def close_participation(self, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """Record that someone is gone (their node died); False when they were not in
        the meeting any more (left, removed, or the meeting ended)."""
        async with UnitOfWork(self._sessions) as uow:
            member = await room_rows.participant(uow.session, room_id, user_id)
            if member is None or member.left_at is not None:
                return False
            await _close(uow.session, member, utcnow())
            return True


async def _close(session: AsyncSession, member: RoomParticipant, now: datetime) -> None:
    """The seat is free from `now`, and the meeting history says so."""
    member.left_at = now
    entry = await room_rows.open_history(session, member.room_id, member.user_id)
    if entry is not None:
        await room_rows.close_history(session, entry, now)
