"""The caller's own profile: names and password (the picture is in `avatars`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.identity import Principal
from rapat.services.auth import AuthService
from rapat.services.current_user import require_user
from rapat.storage.models import User
from rapat.storage.uow import UnitOfWork


def display_name(user: User) -> str:
    """How others see this person: their name, or their email when they gave none."""
    return f"{user.first_name} {user.last_name}".strip() or user.email


class ProfileService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], auth: AuthService) -> None:
        self._sessions = sessions
        self._auth = auth

    async def get(self, principal: Principal) -> User:
        async with self._sessions() as session:
            return await require_user(session, principal)

    async def update(
        self, principal: Principal, *, first_name: str | None = None, last_name: str | None = None
    ) -> User:
        """Changes the names that are given; None leaves a name as it is."""
        async with UnitOfWork(self._sessions) as uow:
            user = await require_user(uow.session, principal)
            if first_name is not None:
                user.first_name = first_name
            if last_name is not None:
                user.last_name = last_name
            await uow.session.flush()
            return user

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Signs out every other session of the caller and mails them about the change."""
        await self.get(principal)  # a disabled account keeps its password as it is
        await self._auth.change_password(principal, current, new)
