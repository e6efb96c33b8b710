"""The users API's use cases, built together: profile, picture, contacts, settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.services.auth import AuthService
from rapat.services.avatars import AvatarService
from rapat.services.bounded_pool import BoundedPool
from rapat.services.contacts import ContactAdded, ContactService
from rapat.services.ports import Presence
from rapat.services.profile import ProfileService
from rapat.services.user_settings import UserSettingsService


@dataclass(frozen=True, slots=True)
class UserServices:
    profile: ProfileService
    avatars: AvatarService
    contacts: ContactService
    settings: UserSettingsService


def create_user_services(
    sessions: async_sessionmaker[AsyncSession],
    presence: Presence,
    auth: AuthService,
    avatar_decoders: BoundedPool,
    on_contact_added: ContactAdded | None = None,
) -> UserServices:
    return UserServices(
        profile=ProfileService(sessions, auth),
        avatars=AvatarService(sessions, avatar_decoders),
        contacts=ContactService(sessions, presence, on_contact_added),
        settings=UserSettingsService(sessions),
    )
