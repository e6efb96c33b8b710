"""Messages shown to one user in the app (invitations, reminders, system notices)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, CreatedAt, UuidPrimaryKey
from rapat.storage.models.users import User
from rapat.storage.types import json_document


class Notification(UuidPrimaryKey, CreatedAt, Base):
    __tablename__ = "notifications"
    # Serves the inbox query: a user's unread notifications, newest first.
    __table_args__ = (Index(None, "user_id", "is_read", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text)
    is_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Optional structured payload, e.g. the room id an invitation points to.
    data: Mapped[dict[str, Any] | None] = mapped_column(json_document())

    user: Mapped[User] = relationship(lazy="raise")


__all__ = ["Notification"]
