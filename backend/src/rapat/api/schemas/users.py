"""Bodies of /users: profile, password, contacts, search and settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, StringConstraints, field_validator

from rapat.api.schemas.common import Password, PersonName, RequestBody
from rapat.api.schemas.records import UserRecord
from rapat.domain.presence import PresenceState
from rapat.services.contacts import ContactView
from rapat.services.user_settings import UserPreferences

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_LIMIT = 50
# Deep pages cost the database more and serve nobody: narrow the query instead.
SEARCH_MAX_OFFSET = 10_000


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


SearchQuery = Annotated[
    str,
    BeforeValidator(_strip),
    StringConstraints(min_length=SEARCH_MIN_LENGTH, max_length=SEARCH_MAX_LENGTH),
]


class ProfileIn(RequestBody):
    first_name: PersonName | None = None
    last_name: PersonName | None = None

    @field_validator("first_name", "last_name", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Leaving a field out keeps the name; null is not a name.
        if value is None:
            raise ValueError("leave the field out to keep the current name")
        return value


class PasswordChangeIn(RequestBody):
    current_password: Password
    new_password: Password


class ContactIn(RequestBody):
    user_id: uuid.UUID


class SettingsIn(RequestBody):
    # Any subset of the keys; the ones left out keep their stored values.
    settings: UserPreferences


class SettingsOut(BaseModel):
    settings: UserPreferences


class PublicUserOut(BaseModel):
    """Another user as anyone may see them: no email, no account details."""

    id: uuid.UUID
    first_name: str
    last_name: str
    avatar_url: str | None

    @classmethod
    def of(cls, user: UserRecord) -> PublicUserOut:
        return cls(
            id=user.id,
            first_name=user.first_name,
            last_name=user.last_name,
            avatar_url=user.avatar,
        )


class ContactOut(BaseModel):
    user: PublicUserOut
    presence: PresenceState
    added_at: datetime

    @classmethod
    def of(cls, view: ContactView) -> ContactOut:
        return cls(user=PublicUserOut.of(view.user), presence=view.presence, added_at=view.added_at)


class UserSearchPage(BaseModel):
    items: list[PublicUserOut]
    total: int
    limit: int
    offset: int
