"""Who attended which meeting, and for how long."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, UuidPrimaryKey
from rapat.storage.models.rooms import Room
from rapat.storage.models.users import User
from rapat.storage.types import UTCDateTime, utcnow


class MeetingHistory(UuidPrimaryKey, Base):
    """One attendance: a user's time in a room, kept after the live participant row is gone.

    Both foreign keys cascade: deleting a room removes its meetings, and deleting an account
    removes that person's attendance record (personal data leaves with the account).
    """

    __tablename__ = "meeting_history"
    __table_args__ = (
        CheckConstraint("duration >= 0", name="duration_not_negative"),
        Index(None, "user_id", "joined_at"),
        Index(None, "room_id", "joined_at"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.now()
    )
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Seconds in the meeting; NULL until the user leaves.
    duration: Mapped[int | None] = mapped_column(Integer)
    recording_url: Mapped[str | None] = mapped_column(Text)

    room: Mapped[Room] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


__all__ = ["MeetingHistory"]
