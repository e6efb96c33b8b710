"""Finding people who may be found: by the start of their name, or by their whole email."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import User, UserContact, UserSetting, normalize_email
from rapat.storage.types import json_document

LIKE_ESCAPE = "\\"
# The user setting that lets people who are not yet contacts find someone (UserPreferences).
DISCOVERABLE_KEY = "discoverable"


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
    """Names by their start; the email only whole, so no one can probe addresses a few
    characters at a time."""
    pattern = prefix_pattern(query)
    full_name = func.lower(User.first_name + " " + User.last_name)
    return or_(
        func.lower(User.first_name).like(pattern, escape=LIKE_ESCAPE),
        func.lower(User.last_name).like(pattern, escape=LIKE_ESCAPE),
        full_name.like(pattern, escape=LIKE_ESCAPE),
        # Stored lower-case and trimmed already.
        User.email == normalize_email(query),
    )


def _findable_by(searcher: uuid.UUID) -> ColumnElement[bool]:
    """People who let anyone find them, and the searcher's own contacts."""
    is_contact = exists().where(UserContact.user_id == searcher, UserContact.contact_id == User.id)
    discoverable = exists().where(
        UserSetting.user_id == User.id,
        UserSetting.setting_key == DISCOVERABLE_KEY,
        # JSON true, compared as a JSON document on SQLite and PostgreSQL alike.
        UserSetting.setting_value == literal(True, json_document()),
    )
    return or_(is_contact, discoverable)


async def findable_users(
    session: AsyncSession, query: str, *, searcher: uuid.UUID, limit: int, offset: int
) -> UserPage:
    """Active users other than `searcher`, findable by them (`_findable_by`), whose first name,
    last name or full name starts with `query` or whose email is `query`, ordered by name.

    One statement whatever the query is, so an address that belongs to someone hidden costs
    the same as one that belongs to nobody."""
    conditions = (
        _matches(query),
        _findable_by(searcher),
        User.status == "active",
        User.id != searcher,
    )
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    result = await session.execute(
        select(User)
        .where(*conditions)
        .order_by(func.lower(User.first_name), func.lower(User.last_name), User.id)
        .limit(limit)
        .offset(offset)
    )
    return UserPage(items=result.scalars().all(), total=int(total or 0))
