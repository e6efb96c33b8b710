"""Webhooks a room host registered, the events queued for them, and every delivery try."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, CreatedAt, Timestamps, UuidPrimaryKey, one_of
from rapat.storage.models.rooms import Room
from rapat.storage.models.users import User
from rapat.storage.types import UTCDateTime, json_document

WEBHOOK_EVENTS = (
    "room.created",
    "room.started",
    "room.ended",
    "participant.joined",
    "participant.left",
    "recording.ready",
)
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class Webhook(UuidPrimaryKey, Timestamps, Base):
    """One receiver URL. With a room it hears that room; without, every room its owner hosts."""

    __tablename__ = "webhooks"
    __table_args__ = (Index(None, "owner_id"), Index(None, "room_id"))

    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("rooms.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(2048))
    # The signing secret, AES-GCM encrypted (security/encryption.py).
    secret_encrypted: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(json_document())
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    owner: Mapped[User] = relationship(lazy="raise")
    room: Mapped[Room | None] = relationship(lazy="raise")


class WebhookDelivery(UuidPrimaryKey, CreatedAt, Base):
    """One event for one webhook. ``seq`` orders the events of a (webhook, room) lane."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(one_of("status", DELIVERY_STATUSES), name="status"),
        CheckConstraint(one_of("event", WEBHOOK_EVENTS), name="event"),
        Index(None, "webhook_id", "room_id", "status", "seq"),
        UniqueConstraint("webhook_id", "seq"),
    )

    webhook_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhooks.id", ondelete="CASCADE")
    )
    # Not a foreign key: the event outlives a deleted room.
    room_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    seq: Mapped[int] = mapped_column(BigInteger)
    event: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(json_document())
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    webhook: Mapped[Webhook] = relationship(lazy="raise")


class WebhookAttempt(UuidPrimaryKey, CreatedAt, Base):
    """One HTTP try of a delivery, kept for the API (status code or error, duration)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index(None, "delivery_id", "created_at"),)

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)

    delivery: Mapped[WebhookDelivery] = relationship(lazy="raise")


class RoomReminder(UuidPrimaryKey, Base):
    """A reminder sent for a room's scheduled time: makes the scan idempotent across
    schedulers, and a rescheduled meeting (new time) gets a new reminder."""

    __tablename__ = "room_reminders"
    __table_args__ = (UniqueConstraint("room_id", "scheduled_at"),)

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = [
    "DELIVERY_STATUSES",
    "WEBHOOK_EVENTS",
    "RoomReminder",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
