"""Single-use links sent by email, and profile pictures."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, CreatedAt, Timestamps, UuidPrimaryKey, one_of
from rapat.storage.models.users import User
from rapat.storage.types import UTCDateTime

TOKEN_PURPOSES = ("verify_email", "reset_password")


class UserToken(UuidPrimaryKey, CreatedAt, Base):
    """An email verification or password reset link: only the SHA-256 of its secret is kept,
    and it works once, before it expires."""

    __tablename__ = "user_tokens"
    __table_args__ = (
        CheckConstraint(one_of("purpose", TOKEN_PURPOSES), name="purpose"),
        CheckConstraint("length(token_hash) = 64", name="token_is_sha256_hex"),
        Index("ix_user_tokens_user_id_purpose", "user_id", "purpose"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")


class UserAvatar(UuidPrimaryKey, Timestamps, Base):
    """The re-encoded picture itself, in the database so every node can serve it."""

    __tablename__ = "user_avatars"
    __table_args__ = (CheckConstraint("length(data) > 0", name="not_empty"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # Bumped on every change; part of the public URL so browsers may cache forever.
    version: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship(lazy="raise")


__all__ = ["TOKEN_PURPOSES", "UserAvatar", "UserToken"]
