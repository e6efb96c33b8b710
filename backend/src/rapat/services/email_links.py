"""Single-use links sent by email: creating them, mailing them, redeeming them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rapat.domain.errors import InvalidInput
from rapat.mail import templates
from rapat.security.tokens import hash_secret, new_secret
from rapat.services.outbox import MailOutbox
from rapat.storage.models import User, UserToken
from rapat.storage.repositories import tokens as token_rows
from rapat.storage.types import utcnow

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 (a purpose name)
INVALID_LINK = "This link is not valid any more. Ask for a new one."


class EmailLinks:
    def __init__(
        self,
        outbox: MailOutbox,
        public_url: str,
        verify_ttl_seconds: int,
        reset_ttl_seconds: int,
    ) -> None:
        self._outbox = outbox
        self._public_url = public_url.rstrip("/")
        self._verify_ttl = verify_ttl_seconds
        self._reset_ttl = reset_ttl_seconds

    async def send_verification(self, session: AsyncSession, user: User) -> None:
        link = await self._new_link(session, user, VERIFY_EMAIL, self._verify_ttl)
        self._outbox.submit(
            templates.verification_mail(
                user.email, user.first_name, link, expires_hours=self._verify_ttl // 3600
            )
        )

    async def send_password_reset(self, session: AsyncSession, user: User) -> None:
        link = await self._new_link(session, user, RESET_PASSWORD, self._reset_ttl)
        self._outbox.submit(
            templates.password_reset_mail(
                user.email, user.first_name, link, expires_minutes=self._reset_ttl // 60
            )
        )

    def notify_password_changed(self, user: User) -> None:
        self._outbox.submit(templates.password_changed_mail(user.email, user.first_name))

    async def redeem(self, session: AsyncSession, token: str, purpose: str) -> uuid.UUID:
        """The user the link belongs to; the link stops working. Unknown, used and expired
        links are refused alike."""
        now = utcnow()
        row = await token_rows.usable(session, hash_secret(token), purpose, now)
        if row is None or not await token_rows.consume(session, row.id, now):
            raise InvalidInput(INVALID_LINK, code="invalid_token")
        return row.user_id

    async def _new_link(self, session: AsyncSession, user: User, purpose: str, ttl: int) -> str:
        now = utcnow()
        await token_rows.void_for_user(session, user.id, purpose, now)
        secret = new_secret()
        session.add(
            UserToken(
                user_id=user.id,
                purpose=purpose,
                token_hash=hash_secret(secret),
                expires_at=now + timedelta(seconds=ttl),
            )
        )
        await session.flush()
        path = "verify-email" if purpose == VERIFY_EMAIL else "reset-password"
        return f"{self._public_url}/{path}?token={secret}"
