"""Sign-in sessions: rows of rotated refresh tokens grouped in families."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import UserSession


async def by_token_hash(session: AsyncSession, token_hash: str) -> UserSession | None:
    result = await session.execute(select(UserSession).where(UserSession.token_hash == token_hash))
    return result.scalar_one_or_none()


async def retire(session: AsyncSession, row_id: uuid.UUID, now: datetime) -> bool:
    """Mark one token used; False when another request already did (a concurrent reuse)."""
    result = await session.execute(
        update(UserSession)
        .where(UserSession.id == row_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def revoke_families(
    session: AsyncSession,
    now: datetime,
    *,
    user_id: uuid.UUID,
    family_ids: Sequence[uuid.UUID] | None = None,
    keep_family: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Revoke the user's live sessions (all, or the given families, minus `keep_family`);
    returns the families that were live."""
    conditions = [UserSession.user_id == user_id, UserSession.revoked_at.is_(None)]
    if family_ids is not None:
        conditions.append(UserSession.family_id.in_(family_ids))
    if keep_family is not None:
        conditions.append(UserSession.family_id != keep_family)
    live = await session.execute(select(UserSession.family_id).where(*conditions).distinct())
    families = list(live.scalars())
    if families:
        await session.execute(update(UserSession).where(*conditions).values(revoked_at=now))
    return families


async def family_is_live(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> bool:
    query = select(
        exists().where(
            UserSession.family_id == family_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
    )
    return bool((await session.execute(query)).scalar())


async def live_for_user(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> Sequence[UserSession]:
    result = await session.execute(
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
        .order_by(UserSession.created_at.desc())
    )
    return result.scalars().all()


async def first_sign_in(session: AsyncSession, family_id: uuid.UUID) -> datetime | None:
    """When the family began (its rows are rotations of one sign-in)."""
    result = await session.execute(
        select(UserSession.created_at)
        .where(UserSession.family_id == family_id)
        .order_by(UserSession.created_at)
        .limit(1)
    )
    return result.scalar_one_or_none()
