"""Settings of users and rooms: one row per (owner, key), its value a JSON document."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import RoomSetting, UserSetting

SettingRow = type[UserSetting] | type[RoomSetting]


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
    await upsert_rows(
        session, UserSetting, owner_column="user_id", owner_id=user_id, values=values, now=now
    )


async def upsert_rows(
    session: AsyncSession,
    model: SettingRow,
    *,
    owner_column: str,
    owner_id: uuid.UUID,
    values: Mapping[str, Any],
    now: datetime,
) -> None:
    """Write the given keys in one statement; two concurrent writers cannot collide on the
    (owner, key) uniqueness, the later value simply wins."""
    if not values:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(model).values(
        [
            {
                "id": uuid.uuid4(),
                owner_column: owner_id,
                "setting_key": key,
                "setting_value": value,
                "created_at": now,
                "updated_at": now,
            }
            for key, value in values.items()
        ]
    )
    statement = statement.on_conflict_do_update(
        index_elements=[getattr(model, owner_column), model.setting_key],
        set_={"setting_value": statement.excluded.setting_value, "updated_at": now},
    )
    await session.execute(statement)
