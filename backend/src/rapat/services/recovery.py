"""Email verification and password reset."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, Unauthenticated
from rapat.domain.identity import Principal
from rapat.security.passwords import PasswordHasher
from rapat.services.auth import AuthService, require_policy
from rapat.services.email_links import RESET_PASSWORD, VERIFY_EMAIL, EmailLinks
from rapat.storage.models import User
from rapat.storage.repositories import sessions as session_rows
from rapat.storage.repositories import users as user_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork


class AccountRecovery:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        hasher: PasswordHasher,
        links: EmailLinks,
        auth: AuthService,
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher
        self._links = links
        self._auth = auth

    async def verify_email(self, token: str) -> User:
        async with UnitOfWork(self._sessions) as uow:
            user_id = await self._links.redeem(uow.session, token, VERIFY_EMAIL)
            user = await user_rows.get(uow.session, user_id)
            if user is None:  # deleted since the mail was sent; same answer as a bad link
                raise Unauthenticated("No such account.")
            user.email_verified = True
            return user

    async def resend_verification(self, principal: Principal) -> None:
        async with UnitOfWork(self._sessions) as uow:
            user = await user_rows.get(uow.session, principal.user_id)
            if user is None:
                raise Unauthenticated("Sign in to continue.")
            if user.email_verified:
                raise Conflict("This email is already verified.", code="already_verified")
            await self._links.send_verification(uow.session, user)

    async def forgot_password(self, email: str) -> None:
        """Mails a reset link when the account exists; the caller learns nothing either way."""
        async with UnitOfWork(self._sessions) as uow:
            user = await user_rows.by_email(uow.session, email)
            if user is not None and user.status == "active":
                await self._links.send_password_reset(uow.session, user)

    async def reset_password(self, token: str, password: str) -> None:
        async with UnitOfWork(self._sessions) as uow:
            user_id = await self._links.redeem(uow.session, token, RESET_PASSWORD)
            user = await user_rows.get(uow.session, user_id)
            if user is None:
                raise Unauthenticated("No such account.")
            require_policy(password, user.email)
            user.password_hash = await asyncio.to_thread(self._hasher.hash, password)
            # Whoever knew the old password is signed out everywhere; the mail proves
            # ownership of the address, so it also counts as a verification.
            user.email_verified = True
            ended = await session_rows.revoke_families(uow.session, utcnow(), user_id=user.id)
            self._links.notify_password_changed(user)
        await self._auth.forget_sessions(ended)
