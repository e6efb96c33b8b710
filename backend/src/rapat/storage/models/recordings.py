"""Recordings of a room's meetings: one row per recording, from the first tapped packet
to the composed file in the recording store (and its deletion)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapat.storage.models.base import Base, Timestamps, UuidPrimaryKey, one_of
from rapat.storage.models.rooms import Room
from rapat.storage.types import UTCDateTime, json_document

# recording: the SFU is writing its tracks · queued: stopped, waiting for the compose job ·
# composing: the job runs (progress 0 to 100) · ready: the composed file is in the store ·
# failed: capture or compose failed (error says why; a host may retry the compose).
RECORDING_STATUSES = ("recording", "queued", "composing", "ready", "failed")
RECORDING_CONTAINERS = ("mp4", "webm")


class Recording(UuidPrimaryKey, Timestamps, Base):
    __tablename__ = "recordings"
    __table_args__ = (
        CheckConstraint(one_of("status", RECORDING_STATUSES), name="status_known"),
        CheckConstraint(one_of("container", RECORDING_CONTAINERS), name="container_known"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        Index(None, "room_id", "started_at"),
        Index(None, "status"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rooms.id", ondelete="CASCADE"))
    # SET NULL: a recording outlives the account of whoever started it.
    started_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="recording")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # requested, room_empty, room_ended, failed, interrupted (the process died)
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    compose_attempts: Mapped[int] = mapped_column(Integer, default=0)
    container: Mapped[str] = mapped_column(String(8), default="mp4")
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    # Where the composed file is in the recording store; NULL until ready.
    storage_key: Mapped[str | None] = mapped_column(String(512))
    # The directory of the raw per-track files on the node that captured them; NULL once
    # they are deleted.
    raw_directory: Mapped[str | None] = mapped_column(Text)
    # [{"user_id", "display_name"}] of everyone whose media was recorded.
    participants: Mapped[list[dict[str, Any]]] = mapped_column(json_document(), default=list)

    room: Mapped[Room] = relationship(lazy="raise")


__all__ = ["RECORDING_CONTAINERS", "RECORDING_STATUSES", "Recording"]
