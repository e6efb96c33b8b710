"""A user's contact list: the people they added, each with when they were added."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import User, UserContact


async def list_active(
    session: AsyncSession, user_id: uuid.UUID
) -> Sequence[tuple[UserContact, User]]:
    """Contacts whose accounts are active, ordered by name."""
    result = await session.execute(
        select(UserContact, User)
        .join(User, User.id == UserContact.contact_id)
        .where(UserContact.user_id == user_id, User.status == "active")
        .order_by(func.lower(User.first_name), func.lower(User.last_name), User.id)
    )
    return [(contact, user) for contact, user in result.all()]


async def exists(session: AsyncSession, user_id: uuid.UUID, contact_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(UserContact.id).where(
            UserContact.user_id == user_id, UserContact.contact_id == contact_id
        )
    )
    return result.first() is not None


async def remove(session: AsyncSession, user_id: uuid.UUID, contact_id: uuid.UUID) -> bool:
    """True when there was such a contact."""
    result = await session.execute(
        delete(UserContact).where(
            UserContact.user_id == user_id, UserContact.contact_id == contact_id
        )
    )
    return bool(getattr(result, "rowcount", 0) == 1)
