"""Room bans: who a host or moderator removed from a room."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import RoomBan, User


async def is_banned(session: AsyncSession, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    query = select(exists().where(RoomBan.room_id == room_id, RoomBan.user_id == user_id))
    return bool((await session.execute(query)).scalar_one())


async def ban(
    session: AsyncSession, room_id: uuid.UUID, user_id: uuid.UUID, banned_by: uuid.UUID
) -> None:
    """Keep `user_id` out of the room. Someone in the meeting is never already banned
    (joining refuses them), so this is a plain insert."""
    session.add(RoomBan(room_id=room_id, user_id=user_id, banned_by=banned_by))
    await session.flush()


async def bans_with_users(
    session: AsyncSession, room_id: uuid.UUID
) -> Sequence[tuple[RoomBan, User]]:
    """The room's bans, newest first, each with the banned person."""
    rows = await session.execute(
        select(RoomBan, User)
        .join(User, User.id == RoomBan.user_id)
        .where(RoomBan.room_id == room_id)
        .order_by(RoomBan.created_at.desc(), RoomBan.id)
    )
    return [(row[0], row[1]) for row in rows.all()]


async def lift(session: AsyncSession, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """False when there was no such ban."""
    result = await session.execute(
        delete(RoomBan).where(RoomBan.room_id == room_id, RoomBan.user_id == user_id)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
