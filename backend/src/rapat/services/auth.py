"""Sign-in: registration, login, token refresh with rotation and reuse detection, logout,
sessions, password change."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.bus.errors import BusError
from rapat.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from rapat.domain.identity import ClientInfo, Principal
from rapat.observability.logging import get_logger
from rapat.security.encryption import DecryptionError, Encryptor
from rapat.security.passwords import PasswordHasher, check_password_policy
from rapat.security.tokens import AccessTokens, InvalidToken, hash_secret, new_secret
from rapat.services.email_links import EmailLinks
from rapat.services.ports import Cache
from rapat.services.session_endings import SessionEndings
from rapat.storage.models import User, UserSession
from rapat.storage.repositories import sessions as session_rows
from rapat.storage.repositories import users as user_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_log = get_logger("rapat.auth")

USER_AGENT_MAX = 512
LIVE_SESSION_CACHE_SECONDS = 60
WRONG_CREDENTIALS = "The email or password is not right."


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    user: User


@dataclass(frozen=True, slots=True)
class SessionView:
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    ip_address: str | None
    user_agent: str | None
    current: bool


def require_policy(password: str, email: str, field: str = "password") -> None:
    violation = check_password_policy(password, email)
    if violation is not None:
        raise InvalidInput(
            violation.message,
            code="weak_password",
            details=[{"field": field, "message": violation.message, "type": violation.code}],
        )


class AuthService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        hasher: PasswordHasher,
        access_tokens: AccessTokens,
        encryptor: Encryptor,
        cache: Cache,
        email_links: EmailLinks,
        refresh_ttl_seconds: int,
        endings: SessionEndings | None = None,
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher
        self._access = access_tokens
        self._encryptor = encryptor
        self._cache = cache
        self._links = email_links
        self._refresh_ttl = timedelta(seconds=refresh_ttl_seconds)
        self._endings = endings

    async def register(self, email: str, password: str, first_name: str, last_name: str) -> User:
        require_policy(password, email)
        password_hash = await asyncio.to_thread(self._hasher.hash, password)
        try:
            async with UnitOfWork(self._sessions) as uow:
                if await user_rows.by_email(uow.session, email) is not None:
                    raise Conflict("An account with this email already exists.", code="email_taken")
                user = User(
                    email=email,
                    password_hash=password_hash,
                    first_name=first_name,
                    last_name=last_name,
                )
                uow.session.add(user)
                await uow.session.flush()
                await self._links.send_verification(uow.session, user)
        except IntegrityError:  # a concurrent registration of the same email won
            raise Conflict(
                "An account with this email already exists.", code="email_taken"
            ) from None
        return user

    async def login(self, email: str, password: str, client: ClientInfo) -> IssuedTokens:
        async with UnitOfWork(self._sessions) as uow:
            user = await user_rows.by_email(uow.session, email)
            stored = user.password_hash if user is not None else None
            # Unknown emails are checked against a decoy hash: same answer, same time.
            matches = await asyncio.to_thread(self._hasher.verify, password, stored)
            if user is None or not matches:
                raise Unauthenticated(WRONG_CREDENTIALS, code="invalid_credentials")
            if user.status != "active":
                raise Forbidden("This account is disabled.", code="account_disabled")
            if self._hasher.needs_rehash(user.password_hash):
                user.password_hash = await asyncio.to_thread(self._hasher.hash, password)
            now = utcnow()
            user.last_login = now
            return await self._issue(uow.session, user, uuid.uuid4(), client, now)

    async def refresh(self, refresh_token: str, client: ClientInfo) -> IssuedTokens:
        now = utcnow()
        ended: list[uuid.UUID] = []
        async with UnitOfWork(self._sessions) as uow:
            row = await session_rows.by_token_hash(uow.session, hash_secret(refresh_token))
            if row is not None:
                retired = row.revoked_at is None and await session_rows.retire(
                    uow.session, row.id, now
                )
                user = await user_rows.get(uow.session, row.user_id)
                if not retired:
                    # An old token came back: someone holds a copy. End the whole sign-in.
                    ended = await session_rows.revoke_families(
                        uow.session, now, user_id=row.user_id, family_ids=[row.family_id]
                    )
                elif row.expires_at > now and user is not None and user.status == "active":
                    return await self._issue(uow.session, user, row.family_id, client, now)
        await self.forget_sessions(ended)
        raise Unauthenticated(
            "This sign-in has expired; sign in again.", code="invalid_refresh_token"
        )

    async def logout(self, principal: Principal) -> None:
        async with UnitOfWork(self._sessions) as uow:
            ended = await session_rows.revoke_families(
                uow.session, utcnow(), user_id=principal.user_id, family_ids=[principal.session_id]
            )
        await self.forget_sessions(ended)

    async def authenticate(self, access_token: str) -> Principal:
        """The caller of a bearer token, if the token verifies and its session is live."""
        try:
            claims = self._access.verify(access_token)
        except InvalidToken:
            raise Unauthenticated("Sign in to continue.", code="invalid_token") from None
        key = self._live_key(claims.session_id)
        if not await self._cached(key):
            async with self._sessions() as session:
                live = await session_rows.family_is_live(session, claims.session_id, utcnow())
                user = await user_rows.get(session, claims.user_id)
            if not live or user is None:
                raise Unauthenticated(
                    "This session has ended; sign in again.", code="session_ended"
                )
            # Every route refuses a disabled account, not only those that load it: at once
            # for a token not seen in the last minute, within the cache time otherwise.
            if user.status != "active":
                raise Forbidden("This account is disabled.", code="account_disabled")
            with contextlib.suppress(BusError):  # a cache that is down is only slower
                await self._cache.set(key, b"1", ttl=LIVE_SESSION_CACHE_SECONDS)
        return Principal(user_id=claims.user_id, session_id=claims.session_id)

    async def _cached(self, key: str) -> bool:
        """Whether the cache says the session is live; with the cache (Redis) down the
        database answers instead, so sign-ins outlive a cache outage."""
        try:
            return await self._cache.get(key) is not None
        except BusError:
            _log.warning("session_cache_unavailable")
            return False

    async def list_sessions(self, principal: Principal) -> list[SessionView]:
        async with self._sessions() as session:
            rows = await session_rows.live_for_user(session, principal.user_id, utcnow())
            return [
                SessionView(
                    id=row.family_id,
                    created_at=await session_rows.first_sign_in(session, row.family_id)
                    or row.created_at,
                    last_used_at=row.last_used_at or row.created_at,
                    expires_at=row.expires_at,
                    ip_address=self._reveal_ip(row),
                    user_agent=row.user_agent,
                    current=row.family_id == principal.session_id,
                )
                for row in rows
            ]

    async def revoke_session(self, principal: Principal, session_id: uuid.UUID) -> None:
        async with UnitOfWork(self._sessions) as uow:
            ended = await session_rows.revoke_families(
                uow.session, utcnow(), user_id=principal.user_id, family_ids=[session_id]
            )
        if not ended:
            raise NotFound("No such session.", code="session_not_found")
        await self.forget_sessions(ended)

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        async with UnitOfWork(self._sessions) as uow:
            user = await user_rows.get(uow.session, principal.user_id)
            if user is None:
                raise Unauthenticated("Sign in to continue.")
            if not await asyncio.to_thread(self._hasher.verify, current, user.password_hash):
                raise Forbidden("The current password is not right.", code="wrong_password")
            require_policy(new, user.email, field="new_password")
            user.password_hash = await asyncio.to_thread(self._hasher.hash, new)
            families = await session_rows.revoke_families(
                uow.session, utcnow(), user_id=user.id, keep_family=principal.session_id
            )
            self._links.notify_password_changed(user)
        await self.forget_sessions(families)

    async def forget_sessions(self, families: list[uuid.UUID]) -> None:
        """Drop cached "still live" answers of ended sessions, and have every node close
        their sockets; call after the commit."""
        for family in families:
            await self._cache.delete(self._live_key(family))
        if self._endings is not None:
            await self._endings.announce(families)

    async def _issue(
        self,
        session: AsyncSession,
        user: User,
        family_id: uuid.UUID,
        client: ClientInfo,
        now: datetime,
    ) -> IssuedTokens:
        refresh_token = new_secret()
        session.add(
            UserSession(
                user_id=user.id,
                token_hash=hash_secret(refresh_token),
                family_id=family_id,
                expires_at=now + self._refresh_ttl,
                last_used_at=now,
                ip_address=(
                    self._encryptor.encrypt(client.ip_address, context="session-ip")
                    if client.ip_address
                    else None
                ),
                user_agent=(client.user_agent or "")[:USER_AGENT_MAX] or None,
            )
        )
        await session.flush()
        return IssuedTokens(
            access_token=self._access.issue(user.id, family_id, now),
            refresh_token=refresh_token,
            expires_in=self._access.ttl_seconds,
            refresh_expires_in=int(self._refresh_ttl.total_seconds()),
            user=user,
        )

    def _reveal_ip(self, row: UserSession) -> str | None:
        if row.ip_address is None:
            return None
        try:
            return self._encryptor.decrypt(row.ip_address, context="session-ip")
        except DecryptionError:  # a key that was rotated out; the rest of the row is fine
            return None

    @staticmethod
    def _live_key(family_id: uuid.UUID) -> str:
        return f"session-live:{family_id}"
