"""Single-use email link tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import UserToken


async def usable(
    session: AsyncSession, token_hash: str, purpose: str, now: datetime
) -> UserToken | None:
    result = await session.execute(
        select(UserToken).where(
            UserToken.token_hash == token_hash,
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
            UserToken.expires_at > now,
        )
    )
    return result.scalar_one_or_none()


async def consume(session: AsyncSession, token_id: uuid.UUID, now: datetime) -> bool:
    """Use a token once; False when a concurrent request used it first."""
    result = await session.execute(
        update(UserToken)
        .where(UserToken.id == token_id, UserToken.used_at.is_(None))
        .values(used_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def void_for_user(
    session: AsyncSession, user_id: uuid.UUID, purpose: str, now: datetime
) -> None:
    """Older links stop working when a new one is sent or the purpose is fulfilled."""
    await session.execute(
        update(UserToken)
        .where(
            UserToken.user_id == user_id,
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
