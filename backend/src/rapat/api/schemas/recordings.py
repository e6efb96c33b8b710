"""Recording response bodies: where a recording stands, whose media it holds, and where to
watch it once it is ready."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from rapat.services.recordings import RecordingView

RecordingStatus = Literal["recording", "queued", "composing", "ready", "failed"]


class RecordingRoomOut(BaseModel):
    id: uuid.UUID
    name: str
    code: str


class RecordedPersonOut(BaseModel):
    user_id: str
    display_name: str


class RecordingOut(BaseModel):
    id: uuid.UUID
    room: RecordingRoomOut
    status: RecordingStatus
    progress: int = Field(description="Percent composed (while composing; 100 when ready)")
    error: str | None = Field(description="Why capture stopped badly or the compose failed")
    started_by: uuid.UUID | None
    started_at: datetime
    stopped_at: datetime | None
    stop_reason: str | None = Field(
        description="requested, room_empty, room_ended, failed or interrupted"
    )
    duration_ms: int | None
    size_bytes: int | None
    container: Literal["mp4", "webm"]
    participants: list[RecordedPersonOut]
    can_manage: bool = Field(description="The caller may delete it or retry its compose")
    download_url: str | None = Field(description="The API path of the file, once ready")

    @classmethod
    def of(cls, view: RecordingView) -> RecordingOut:
        row, room = view.recording, view.room
        ready = row.status == "ready"
        return cls(
            id=row.id,
            room=RecordingRoomOut(id=room.id, name=room.name, code=room.meeting_code),
            status=row.status,
            progress=row.progress,
            error=row.error,
            started_by=row.started_by,
            started_at=row.started_at,
            stopped_at=row.stopped_at,
            stop_reason=row.stop_reason,
            duration_ms=row.duration_ms,
            size_bytes=row.size_bytes,
            container=row.container,
            participants=[
                RecordedPersonOut(
                    user_id=str(person.get("user_id", "")),
                    display_name=str(person.get("display_name", "")),
                )
                for person in row.participants
            ],
            can_manage=view.can_manage,
            download_url=f"/api/v1/recordings/{row.id}/file" if ready else None,
        )


class RecordingPage(BaseModel):
    items: list[RecordingOut]
    total: int
    limit: int
    offset: int
