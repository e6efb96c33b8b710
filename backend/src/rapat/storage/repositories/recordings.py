"""Recordings: the rows of one room, of someone's rooms, and the ones a job works on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import MeetingHistory, Recording, Room, RoomParticipant


async def get(
    session: AsyncSession, recording_id: uuid.UUID, *, lock: bool = False
) -> Recording | None:
    query = select(Recording).where(Recording.id == recording_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def with_room(
    session: AsyncSession, recording_id: uuid.UUID
) -> tuple[Recording, Room] | None:
    row = (
        await session.execute(
            select(Recording, Room)
            .join(Room, Room.id == Recording.room_id)
            .where(Recording.id == recording_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def _page(
    session: AsyncSession, query: Select[Recording, Room], limit: int, offset: int
) -> tuple[list[tuple[Recording, Room]], int]:
    total = (
        await session.execute(select(func.count()).select_from(query.order_by(None).subquery()))
    ).scalar_one()
    rows = await session.execute(
        query.order_by(Recording.started_at.desc(), Recording.id).limit(limit).offset(offset)
    )
    return [(row[0], row[1]) for row in rows.all()], int(total)


async def of_room(
    session: AsyncSession, room_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[list[tuple[Recording, Room]], int]:
    query = (
        select(Recording, Room)
        .join(Room, Room.id == Recording.room_id)
        .where(Recording.room_id == room_id)
    )
    return await _page(session, query, limit, offset)


async def of_member(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[list[tuple[Recording, Room]], int]:
    """Recordings of the rooms `user_id` is a member of or hosts, newest first."""
    member_rooms = select(RoomParticipant.room_id).where(RoomParticipant.user_id == user_id)
    query = (
        select(Recording, Room)
        .join(Room, Room.id == Recording.room_id)
        .where(or_(Room.host_id == user_id, Recording.room_id.in_(member_rooms)))
    )
    return await _page(session, query, limit, offset)


async def recording_now(session: AsyncSession, room_id: uuid.UUID) -> bool:
    query = select(exists().where(Recording.room_id == room_id, Recording.status == "recording"))
    return bool((await session.execute(query)).scalar_one())


async def in_status(session: AsyncSession, statuses: Sequence[str]) -> Sequence[Recording]:
    query = select(Recording).where(Recording.status.in_(statuses)).order_by(Recording.started_at)
    return (await session.execute(query)).scalars().all()


async def stopped_before(session: AsyncSession, moment: datetime) -> Sequence[Recording]:
    """Recordings that stopped before `moment` (retention); running ones never qualify."""
    query = (
        select(Recording)
        .where(Recording.stopped_at.is_not(None), Recording.stopped_at < moment)
        .where(Recording.status != "recording")
        .order_by(Recording.stopped_at)
    )
    return (await session.execute(query)).scalars().all()


async def link_history(
    session: AsyncSession, recording: Recording, url: str, until: datetime
) -> int:
    """Point the attendance rows of the recorded meeting at the recording: everyone in the
    room between its start and its stop. Returns how many rows changed."""
    result = await session.execute(
        update(MeetingHistory)
        .where(MeetingHistory.room_id == recording.room_id)
        .where(MeetingHistory.joined_at <= until)
        .where(
            or_(MeetingHistory.left_at.is_(None), MeetingHistory.left_at >= recording.started_at)
        )
        .values(recording_url=url)
    )
    return int(getattr(result, "rowcount", 0) or 0)
