"""Profile pictures: re-encoded on upload, kept in the database, served to anyone by id."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, NotFound, Unavailable
from rapat.domain.identity import Principal
from rapat.services.avatar_images import AVATAR_CONTENT_TYPE, check_upload_size, make_avatar
from rapat.services.bounded_pool import BoundedPool, PoolFull
from rapat.services.current_user import require_user
from rapat.storage.models import User, UserAvatar
from rapat.storage.repositories import avatars as avatar_rows
from rapat.storage.uow import UnitOfWork

# Versions live in a 32-bit column.
MAX_VERSION = 2**31 - 1
# A decode takes well under a second; a full pool has room again within a few.
BUSY_RETRY_AFTER = 2.0


def avatar_url(user_id: uuid.UUID, version: int) -> str:
    """The public address of a picture; a new version is a new URL, so caches never go stale."""
    return f"/api/v1/users/{user_id}/avatar?v={version}"


def next_version(current: int | None) -> int:
    """The version after `current`. A first picture (or one after a deletion) starts at a
    random version: its URL must not repeat one that browsers may have cached forever."""
    if current is None:
        return secrets.randbelow(MAX_VERSION // 2) + 1
    return current % MAX_VERSION + 1


@dataclass(frozen=True, slots=True)
class StoredAvatar:
    content_type: str
    data: bytes
    version: int


class AvatarService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], decoders: BoundedPool) -> None:
        self._sessions = sessions
        # Decoding is bounded in memory per picture (the pixel cap) and here in number.
        self._decoders = decoders

    async def _reencode(self, upload: bytes) -> bytes:
        check_upload_size(len(upload))
        try:
            return await self._decoders.run(make_avatar, upload)
        except PoolFull:
            raise Unavailable(
                "Too many pictures are being processed; try again in a few seconds.",
                code="avatar_busy",
                retry_after=BUSY_RETRY_AFTER,
            ) from None

    async def replace(self, principal: Principal, upload: bytes) -> User:
        picture = await self._reencode(upload)
        try:
            async with UnitOfWork(self._sessions) as uow:
                user = await require_user(uow.session, principal)
                row = await avatar_rows.for_user(uow.session, user.id, for_update=True)
                version = next_version(row.version if row is not None else None)
                if row is None:
                    row = UserAvatar(
                        user_id=user.id, content_type=AVATAR_CONTENT_TYPE, data=picture
                    )
                    uow.session.add(row)
                row.content_type = AVATAR_CONTENT_TYPE
                row.data = picture
                row.version = version
                user.avatar = avatar_url(user.id, version)
                await uow.session.flush()
        except IntegrityError:  # a concurrent first upload by the same user won
            raise Conflict(
                "The picture was changed at the same time; try again.", code="avatar_conflict"
            ) from None
        return user

    async def remove(self, principal: Principal) -> User:
        async with UnitOfWork(self._sessions) as uow:
            user = await require_user(uow.session, principal)
            await avatar_rows.remove(uow.session, user.id)
            user.avatar = None
            await uow.session.flush()
            return user

    async def get(self, user_id: uuid.UUID) -> StoredAvatar:
        """Anyone's picture; unknown users and users without one are the same 404."""
        async with self._sessions() as session:
            row = await avatar_rows.for_user(session, user_id)
            if row is None:
                raise NotFound("This user has no picture.", code="avatar_not_found")
            return StoredAvatar(content_type=row.content_type, data=row.data, version=row.version)
