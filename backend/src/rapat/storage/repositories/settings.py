"""Per-user settings: one row per key, its value a JSON document."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import UserSetting


async def values_for(session: AsyncSession, user_id: uuid.UUID) -> dict[str, Any]:
    result = await session.execute(
        select(UserSetting.setting_key, UserSetting.setting_value).where(
            UserSetting.user_id == user_id
        )
    )
    return dict(result.all())


async def upsert(
    session: AsyncSession, user_id: uuid.UUID, values: Mapping[str, Any], now: datetime
) -> None:
    """Write the given keys in one statement; two concurrent writers cannot collide on the
    (user, key) uniqueness, the later value simply wins."""
    if not values:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(UserSetting).values(
        [
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "setting_key": key,
                "setting_value": value,
                "created_at": now,
                "updated_at": now,
            }
            for key, value in values.items()
        ]
    )
    statement = statement.on_conflict_do_update(
        index_elements=[UserSetting.user_id, UserSetting.setting_key],
        set_={"setting_value": statement.excluded.setting_value, "updated_at": now},
    )
    await session.execute(statement)
