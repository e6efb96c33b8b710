"""Personal preferences: the known keys with their types and defaults, stored per key."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.identity import Principal
from rapat.domain.video_quality import VideoQualityName
from rapat.services.current_user import require_user
from rapat.storage.repositories import settings as setting_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork


class UserPreferences(BaseModel):
    """Every user setting, its type and its default: the one definition of the keys.

    Strict, so a JSON string "true" is not taken for a boolean, and closed to unknown keys.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    camera_on_join: bool = False
    mic_on_join: bool = False
    preferred_resolution: VideoQualityName = "720p"
    theme: Literal["system", "light", "dark"] = "system"
    echo_cancellation: bool = True
    noise_suppression: bool = True
    auto_gain_control: bool = True
    notify_email_invitations: bool = True
    notify_email_reminders: bool = True
    notify_in_app: bool = True
    # Whether people who are not yet contacts may find this user by name or whole email.
    discoverable: bool = False


def preferences_from_rows(stored: dict[str, Any]) -> UserPreferences:
    """Stored values over the defaults, one key at a time: a key that is no longer known or a
    value that no longer fits its type (the definition changed since) falls back to the
    default instead of breaking the whole set."""
    usable: dict[str, Any] = {}
    for key, value in stored.items():
        if key not in UserPreferences.model_fields:
            continue
        try:
            UserPreferences.model_validate({key: value})
        except ValidationError:
            continue
        usable[key] = value
    return UserPreferences.model_validate(usable)


class UserSettingsService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, principal: Principal) -> UserPreferences:
        async with self._sessions() as session:
            await require_user(session, principal)
            return preferences_from_rows(await setting_rows.values_for(session, principal.user_id))

    async def update(self, principal: Principal, changes: UserPreferences) -> UserPreferences:
        """Stores only the keys that were given in `changes` (its explicitly set fields)."""
        given = changes.model_dump(mode="json", include=changes.model_fields_set)
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            await setting_rows.upsert(uow.session, principal.user_id, given, utcnow())
            stored = await setting_rows.values_for(uow.session, principal.user_id)
        return preferences_from_rows(stored)
