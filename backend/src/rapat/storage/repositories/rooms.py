"""Rooms, their participants, settings, history and messages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, Uuid, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import (
    MeetingHistory,
    Room,
    RoomMessage,
    RoomParticipant,
    RoomSetting,
    User,
    normalize_meeting_code,
)
from rapat.storage.repositories import settings as settings_rows
from rapat.storage.types import UTCDateTime, utcnow


async def find(session: AsyncSession, reference: str, *, lock: bool = False) -> Room | None:
    """A room by UUID or meeting code. `lock` holds the row until commit (PostgreSQL),
    which serialises joins into one room."""
    code = normalize_meeting_code(reference)
    if code is not None:
        condition = Room.meeting_code == code
    else:
        try:
            condition = Room.id == uuid.UUID(reference)
        except ValueError:
            return None
    query = select(Room).where(condition)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def participant(
    session: AsyncSession, room_id: uuid.UUID, user_id: uuid.UUID
) -> RoomParticipant | None:
    result = await session.execute(
        select(RoomParticipant).where(
            RoomParticipant.room_id == room_id, RoomParticipant.user_id == user_id
        )
    )
    return result.scalar_one_or_none()


def _present_count(room_id: uuid.UUID) -> Any:
    return (
        select(func.count())
        .select_from(RoomParticipant)
        .where(RoomParticipant.room_id == room_id, RoomParticipant.left_at.is_(None))
        .scalar_subquery()
    )


async def present_count(session: AsyncSession, room_id: uuid.UUID) -> int:
    return int((await session.execute(select(_present_count(room_id)))).scalar_one())


async def seat(
    session: AsyncSession,
    room_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    role: str,
    now: datetime,
    capacity: int | None,
) -> bool:
    """Put the user in the room if a seat is free, in ONE statement, so the count and the
    write cannot be split by a concurrent join. `capacity=None` skips the check (the host).
    Returns False when the room is full."""
    has_room = _present_count(room_id) < capacity if capacity is not None else literal(True)
    existing = await participant(session, room_id, user_id)
    if existing is not None:
        result = await session.execute(
            update(RoomParticipant)
            .where(RoomParticipant.id == existing.id, has_room)
            .values(joined_at=now, left_at=None)
        )
    else:
        result = await session.execute(
            insert(RoomParticipant).from_select(
                ["id", "room_id", "user_id", "role", "joined_at"],
                select(
                    literal(uuid.uuid4(), Uuid()),
                    literal(room_id, Uuid()),
                    literal(user_id, Uuid()),
                    literal(role, String()),
                    literal(now, UTCDateTime()),
                ).where(has_room),
            )
        )
    return bool(getattr(result, "rowcount", 0) == 1)


async def open_history(
    session: AsyncSession, room_id: uuid.UUID, user_id: uuid.UUID
) -> MeetingHistory | None:
    result = await session.execute(
        select(MeetingHistory)
        .where(
            MeetingHistory.room_id == room_id,
            MeetingHistory.user_id == user_id,
            MeetingHistory.left_at.is_(None),
        )
        .order_by(MeetingHistory.joined_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def close_history(session: AsyncSession, entry: MeetingHistory, now: datetime) -> None:
    entry.left_at = now
    entry.duration = max(0, int((now - entry.joined_at).total_seconds()))


async def present(session: AsyncSession, room_id: uuid.UUID) -> Sequence[RoomParticipant]:
    result = await session.execute(
        select(RoomParticipant).where(
            RoomParticipant.room_id == room_id, RoomParticipant.left_at.is_(None)
        )
    )
    return result.scalars().all()


async def members_with_users(
    session: AsyncSession, room_id: uuid.UUID, *, include_left: bool
) -> Sequence[tuple[RoomParticipant, User]]:
    query = (
        select(RoomParticipant, User)
        .join(User, User.id == RoomParticipant.user_id)
        .where(RoomParticipant.room_id == room_id)
        .order_by(RoomParticipant.joined_at)
    )
    if not include_left:
        query = query.where(RoomParticipant.left_at.is_(None))
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def settings(session: AsyncSession, room_id: uuid.UUID) -> dict[str, Any]:
    result = await session.execute(
        select(RoomSetting.setting_key, RoomSetting.setting_value).where(
            RoomSetting.room_id == room_id
        )
    )
    return {row[0]: row[1] for row in result.all()}


async def save_settings(session: AsyncSession, room_id: uuid.UUID, values: dict[str, Any]) -> None:
    await settings_rows.upsert_rows(
        session, RoomSetting, owner_column="room_id", owner_id=room_id, values=values, now=utcnow()
    )


async def visible_to(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    scope: str,
    status: str | None,
    upcoming_after: datetime | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Room], int]:
    member_of = select(RoomParticipant.room_id).where(RoomParticipant.user_id == user_id)
    if scope == "hosted":
        condition: Any = Room.host_id == user_id
    elif scope == "joined":
        condition = (Room.id.in_(member_of)) & (Room.host_id != user_id)
    else:
        condition = or_(Room.host_id == user_id, Room.id.in_(member_of))
    conditions = [condition]
    if status is not None:
        conditions.append(Room.status == status)
    if upcoming_after is not None:
        conditions += [Room.scheduled_at.is_not(None), Room.scheduled_at >= upcoming_after]
        order: Any = Room.scheduled_at.asc()
    else:
        order = Room.created_at.desc()
    total = (
        await session.execute(select(func.count()).select_from(Room).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(Room).where(*conditions).order_by(order, Room.id).limit(limit).offset(offset)
    )
    return rows.scalars().all(), int(total)


async def history(
    session: AsyncSession,
    *,
    room_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    limit: int,
    offset: int,
) -> tuple[Sequence[tuple[MeetingHistory, Room, User]], int]:
    conditions = []
    if room_id is not None:
        conditions.append(MeetingHistory.room_id == room_id)
    if user_id is not None:
        conditions.append(MeetingHistory.user_id == user_id)
    total = (
        await session.execute(select(func.count()).select_from(MeetingHistory).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        select(MeetingHistory, Room, User)
        .join(Room, Room.id == MeetingHistory.room_id)
        .join(User, User.id == MeetingHistory.user_id)
        .where(*conditions)
        .order_by(MeetingHistory.joined_at.desc(), MeetingHistory.id)
        .limit(limit)
        .offset(offset)
    )
    return [(row[0], row[1], row[2]) for row in rows.all()], int(total)


async def messages_before(
    session: AsyncSession,
    room_id: uuid.UUID,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[tuple[RoomMessage, User | None]]:
    """Newest first; `before` is the (created_at, id) of the last message already seen."""
    query = (
        select(RoomMessage, User)
        .outerjoin(User, User.id == RoomMessage.user_id)
        .where(RoomMessage.room_id == room_id)
    )
    if before is not None:
        created_at, message_id = before
        query = query.where(
            or_(
                RoomMessage.created_at < created_at,
                (RoomMessage.created_at == created_at) & (RoomMessage.id < message_id),
            )
        )
    rows = await session.execute(
        query.order_by(RoomMessage.created_at.desc(), RoomMessage.id.desc()).limit(limit)
    )
    return [(row[0], row[1]) for row in rows.all()]


async def users_by_id(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    rows = await session.execute(select(User).where(User.id.in_(ids)))
    return {user.id: user for user in rows.scalars()}
