"""Meeting rooms and what belongs to one room: participants, chat, settings."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, CreatedAt, Timestamps, UuidPrimaryKey, one_of
from rapat.storage.models.users import User
from rapat.storage.types import UTCDateTime, json_document, utcnow

ROOM_STATUSES = ("active", "ended", "cancelled")
PARTICIPANT_ROLES = ("host", "moderator", "participant", "observer")
MESSAGE_TYPES = ("text", "system", "file")

MEETING_CODE_GROUPS = (3, 4, 3)
MEETING_CODE_LENGTH = sum(MEETING_CODE_GROUPS) + len(MEETING_CODE_GROUPS) - 1
_MEETING_CODE = re.compile("-".join(f"[a-z]{{{size}}}" for size in MEETING_CODE_GROUPS))


def generate_meeting_code() -> str:
    """A short code people can read out loud, like `abc-defg-hij` (26^10 possibilities)."""
    letters = string.ascii_lowercase
    return "-".join(
        "".join(secrets.choice(letters) for _ in range(size)) for size in MEETING_CODE_GROUPS
    )


def is_meeting_code(candidate: str) -> bool:
    return _MEETING_CODE.fullmatch(candidate) is not None


def normalize_meeting_code(candidate: str) -> str | None:
    """The stored form of a code people typed: any case, dashes or spaces optional."""
    letters = "".join(char for char in candidate.lower() if char not in "- ")
    if len(letters) != sum(MEETING_CODE_GROUPS) or not letters.isascii() or not letters.isalpha():
        return None
    groups, start = [], 0
    for size in MEETING_CODE_GROUPS:
        groups.append(letters[start : start + size])
        start += size
    return "-".join(groups)


class Room(UuidPrimaryKey, Timestamps, Base):
    __tablename__ = "rooms"
    __table_args__ = (
        CheckConstraint("max_users > 0", name="max_users_positive"),
        CheckConstraint(one_of("status", ROOM_STATUSES), name="status"),
        CheckConstraint("duration_minutes > 0", name="duration_minutes_positive"),
        CheckConstraint(
            f"length(meeting_code) = {MEETING_CODE_LENGTH}", name="meeting_code_length"
        ),
        Index(None, "host_id", "status"),
    )

    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    host_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    # Optional bcrypt hash of the room password (the seed's `password` column).
    password_hash: Mapped[str | None] = mapped_column("password", String(255))
    max_users: Mapped[int] = mapped_column(Integer, default=10, server_default=text("10"))
    status: Mapped[str] = mapped_column(String(50), default="active", server_default="active")
    # The service retries with a new code in the rare case of a collision.
    meeting_code: Mapped[str] = mapped_column(
        String(MEETING_CODE_LENGTH), unique=True, default=generate_meeting_code
    )
    # A persistent room can be joined again after a meeting ends; others are one-off.
    persistent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    host: Mapped[User] = relationship(lazy="raise")


class RoomParticipant(UuidPrimaryKey, Base):
    __tablename__ = "room_participants"
    __table_args__ = (
        UniqueConstraint("room_id", "user_id"),
        CheckConstraint(one_of("role", PARTICIPANT_ROLES), name="role"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.now()
    )
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    role: Mapped[str] = mapped_column(
        String(50), default="participant", server_default="participant"
    )

    room: Mapped[Room] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class RoomMessage(UuidPrimaryKey, CreatedAt, Base):
    __tablename__ = "room_messages"
    __table_args__ = (
        CheckConstraint(one_of("message_type", MESSAGE_TYPES), name="message_type"),
        Index(None, "room_id", "created_at"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    # SET NULL, not CASCADE: a deleted account's lines stay in the room's transcript
    # (shown as a former member); system messages have no author at all.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    message_type: Mapped[str] = mapped_column(String(20), default="text", server_default="text")

    room: Mapped[Room] = relationship(lazy="raise")
    user: Mapped[User | None] = relationship(lazy="raise")


class RoomBan(UuidPrimaryKey, CreatedAt, Base):
    """Someone a host or moderator removed: kept out of the room until one lets them back
    in (deleting the row). One row per room and person."""

    __tablename__ = "room_bans"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # SET NULL: the ban outlives the account of whoever made it.
    banned_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )

    room: Mapped[Room] = relationship(lazy="raise")


class RoomSetting(UuidPrimaryKey, Timestamps, Base):
    __tablename__ = "room_settings"
    __table_args__ = (UniqueConstraint("room_id", "setting_key"),)

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    setting_key: Mapped[str] = mapped_column(String(100))
    setting_value: Mapped[Any] = mapped_column(json_document())

    room: Mapped[Room] = relationship(lazy="raise")


__all__ = [
    "MEETING_CODE_LENGTH",
    "MESSAGE_TYPES",
    "PARTICIPANT_ROLES",
    "ROOM_STATUSES",
    "Room",
    "RoomBan",
    "RoomMessage",
    "RoomParticipant",
    "RoomSetting",
    "generate_meeting_code",
    "is_meeting_code",
    "normalize_meeting_code",
]
