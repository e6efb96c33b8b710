"""Webhook request/response bodies. The secret is returned once, when it is created."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from rapat.api.schemas.common import RequestBody, Secret
from rapat.api.schemas.records import AttemptRecord, WebhookRecord
from rapat.services.webhooks import CreatedWebhook, DeliveryView

WebhookEvent = Literal[
    "room.created",
    "room.started",
    "room.ended",
    "participant.joined",
    "participant.left",
    "recording.ready",
]


class WebhookIn(RequestBody):
    url: str = Field(max_length=2048, description="http(s) URL that receives POSTed events")
    events: list[WebhookEvent] = Field(min_length=1, max_length=6)
    room_id: str | None = Field(
        default=None, description="A room (id or meeting code); none: every room you host"
    )
    secret: Secret | None = Field(
        default=None, description="Signing secret; one is generated when left out"
    )


class WebhookOut(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str]
    room_id: uuid.UUID | None
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, hook: WebhookRecord) -> WebhookOut:
        return cls(
            id=hook.id,
            url=hook.url,
            events=list(hook.events),
            room_id=hook.room_id,
            active=hook.active,
            created_at=hook.created_at,
        )


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown only now: keep it to verify signatures")

    @classmethod
    def created(cls, result: CreatedWebhook) -> WebhookCreatedOut:
        return cls(**WebhookOut.of(result.webhook).model_dump(), secret=result.secret)


class AttemptOut(BaseModel):
    number: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime

    @classmethod
    def of(cls, row: AttemptRecord) -> AttemptOut:
        return cls(
            number=row.number,
            status_code=row.status_code,
            error=row.error,
            duration_ms=row.duration_ms,
            created_at=row.created_at,
        )


class DeliveryOut(BaseModel):
    id: uuid.UUID
    seq: int
    event: str
    room_id: uuid.UUID | None
    status: Literal["pending", "delivered", "failed"]
    attempts: list[AttemptOut]
    payload: dict[str, Any]
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, view: DeliveryView) -> DeliveryOut:
        row = view.delivery
        return cls(
            id=row.id,
            seq=row.seq,
            event=row.event,
            room_id=row.room_id,
            status=row.status,
            attempts=[AttemptOut.of(attempt) for attempt in view.attempts],
            payload=row.payload,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            next_attempt_at=row.next_attempt_at,
        )


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    total: int
    limit: int
    offset: int
