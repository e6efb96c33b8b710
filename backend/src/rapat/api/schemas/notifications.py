"""Notification and invitation request/response bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from rapat.api.schemas.common import RequestBody
from rapat.api.schemas.records import NotificationRecord
from rapat.services.notification_events import MAX_INVITEES


class NotificationOut(BaseModel):
    id: uuid.UUID
    type: str = Field(
        description="meeting_invitation, meeting_reminder, contact_added, recording_ready "
        "or room_ended"
    )
    title: str
    message: str
    is_read: bool
    data: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, row: NotificationRecord) -> NotificationOut:
        return cls(
            id=row.id,
            type=row.type,
            title=row.title,
            message=row.message,
            is_read=row.is_read,
            data=row.data or {},
            created_at=row.created_at,
        )


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    limit: int
    offset: int


class UnreadCountOut(BaseModel):
    unread: int


class MarkedReadOut(BaseModel):
    marked: int
    unread: int


class InvitationIn(RequestBody):
    user_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_INVITEES)


class InvitationOut(BaseModel):
    invited: list[uuid.UUID]
