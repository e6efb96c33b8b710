"""A user's notifications, and who should hear about a user (the people who added them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import Notification, User, UserContact


async def page(
    session: AsyncSession, user_id: uuid.UUID, *, unread_only: bool, limit: int, offset: int
) -> tuple[Sequence[Notification], int]:
    """Newest first, with the total the filter matches."""
    where = [Notification.user_id == user_id]
    if unread_only:
        where.append(Notification.is_read.is_(False))
    total = await session.scalar(select(func.count()).select_from(Notification).where(*where))
    rows = await session.scalars(
        select(Notification)
        .where(*where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    total = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.is_read.is_(False))
    )
    return int(total or 0)


async def get_own(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    row = await session.get(Notification, notification_id)
    return row if row is not None and row.user_id == user_id else None


async def mark_all_read(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many were unread."""
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.is_read.is_(False))
        .values(is_read=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def contact_owners(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Active users who have ``user_id`` in their contact list."""
    rows = await session.scalars(
        select(UserContact.user_id)
        .join(User, User.id == UserContact.user_id)
        .where(UserContact.contact_id == user_id, User.status == "active")
    )
    return list(rows.all())
