"""Accounts and what hangs off them: contacts, sign-in sessions, personal settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from rapat.storage.models.base import Base, CreatedAt, Timestamps, UuidPrimaryKey, one_of
from rapat.storage.types import UTCDateTime, json_document

USER_STATUSES = ("active", "inactive", "banned")


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed and lower-case, so uniqueness ignores case."""
    return email.strip().lower()


class User(UuidPrimaryKey, Timestamps, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("status", USER_STATUSES), name="status"),)

    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    # The seed's `password` column holds a bcrypt hash, never the password itself.
    password_hash: Mapped[str] = mapped_column("password", String(255))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    avatar: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(50), default="active", server_default="active")
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @validates("email")
    def _store_normalized_email(self, _key: str, email: str) -> str:
        return normalize_email(email)


class UserContact(UuidPrimaryKey, CreatedAt, Base):
    __tablename__ = "user_contacts"
    __table_args__ = (
        UniqueConstraint("user_id", "contact_id"),
        CheckConstraint("user_id <> contact_id", name="not_self"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    contact: Mapped[User] = relationship(foreign_keys=[contact_id], lazy="raise")


class UserSession(UuidPrimaryKey, CreatedAt, Base):
    """One signed-in device: the hash of its current refresh token and its rotation family."""

    __tablename__ = "user_sessions"
    __table_args__ = (CheckConstraint("length(token) = 64", name="token_is_sha256_hex"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Hex SHA-256 of the refresh token; a stolen database must not yield usable tokens.
    token_hash: Mapped[str] = mapped_column("token", String(64), unique=True)
    # All tokens rotated from one sign-in share a family; reuse of an old one revokes it.
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # Indexed for the job that deletes expired sessions.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Text rather than INET: it will hold an AES-GCM ciphertext.
    ip_address: Mapped[str | None] = mapped_column(Text)
    user_agent: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(lazy="raise")


class UserSetting(UuidPrimaryKey, Timestamps, Base):
    __tablename__ = "user_settings"
    __table_args__ = (UniqueConstraint("user_id", "setting_key"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    setting_key: Mapped[str] = mapped_column(String(100))
    setting_value: Mapped[Any] = mapped_column(json_document())

    user: Mapped[User] = relationship(lazy="raise")


__all__ = [
    "USER_STATUSES",
    "User",
    "UserContact",
    "UserSession",
    "UserSetting",
    "normalize_email",
]
