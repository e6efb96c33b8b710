"""Profile pictures, one row per user."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import UserAvatar


async def for_user(
    session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False
) -> UserAvatar | None:
    """`for_update` locks the row until the transaction ends (PostgreSQL; SQLite has one
    writer at a time anyway), so two uploads cannot both take the same next version."""
    query = select(UserAvatar).where(UserAvatar.user_id == user_id)
    if for_update:
        query = query.with_for_update()
    result = await session.execute(query)
    return result.scalar_one_or_none()


async def remove(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(UserAvatar).where(UserAvatar.user_id == user_id))
