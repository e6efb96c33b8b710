"""Finding people by the start of their name or email address."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import User

LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (with ESCAPE '\\'): % and _ match themselves."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def prefix_pattern(query: str) -> str:
    """The LIKE pattern for values that start with `query`, ignoring case."""
    return escape_like(query.lower()) + "%"


@dataclass(frozen=True, slots=True)
class UserPage:
    items: Sequence[User]
    total: int


def _matches(query: str) -> ColumnElement[bool]:
    pattern = prefix_pattern(query)
    full_name = func.lower(User.first_name + " " + User.last_name)
    return or_(
        func.lower(User.first_name).like(pattern, escape=LIKE_ESCAPE),
        func.lower(User.last_name).like(pattern, escape=LIKE_ESCAPE),
        full_name.like(pattern, escape=LIKE_ESCAPE),
        # Stored lower-case already (see normalize_email).
        User.email.like(pattern, escape=LIKE_ESCAPE),
    )


async def active_users(
    session: AsyncSession, query: str, *, exclude: uuid.UUID, limit: int, offset: int
) -> UserPage:
    """Active users other than `exclude` whose first name, last name, full name or email
    starts with `query`, ordered by name."""
    conditions = (_matches(query), User.status == "active", User.id != exclude)
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    result = await session.execute(
        select(User)
        .where(*conditions)
        .order_by(func.lower(User.first_name), func.lower(User.last_name), User.id)
        .limit(limit)
        .offset(offset)
    )
    return UserPage(items=result.scalars().all(), total=int(total or 0))
