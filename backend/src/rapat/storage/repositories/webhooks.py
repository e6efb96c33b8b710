"""Webhooks, their deliveries (ordered per webhook by ``seq``) and delivery attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.storage.models import Webhook, WebhookAttempt, WebhookDelivery


async def owned(session: AsyncSession, owner_id: uuid.UUID) -> Sequence[Webhook]:
    rows = await session.scalars(
        select(Webhook).where(Webhook.owner_id == owner_id).order_by(Webhook.created_at)
    )
    return rows.all()


async def listening(
    session: AsyncSession, room_id: uuid.UUID, host_id: uuid.UUID
) -> Sequence[Webhook]:
    """Active webhooks for this room, or for every room of its host."""
    rows = await session.scalars(
        select(Webhook)
        .where(
            Webhook.active.is_(True),
            or_(
                Webhook.room_id == room_id,
                (Webhook.room_id.is_(None)) & (Webhook.owner_id == host_id),
            ),
        )
        .order_by(Webhook.created_at)
    )
    return rows.all()


async def next_seq(session: AsyncSession, webhook_id: uuid.UUID) -> int:
    last = await session.scalar(
        select(func.max(WebhookDelivery.seq)).where(WebhookDelivery.webhook_id == webhook_id)
    )
    return int(last or 0) + 1


async def lane_head(
    session: AsyncSession, webhook_id: uuid.UUID, room_id: uuid.UUID | None
) -> WebhookDelivery | None:
    """The oldest pending delivery of a (webhook, room) lane."""
    room_match = (
        WebhookDelivery.room_id.is_(None) if room_id is None else WebhookDelivery.room_id == room_id
    )
    return await session.scalar(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.webhook_id == webhook_id,
            room_match,
            WebhookDelivery.status == "pending",
        )
        .order_by(WebhookDelivery.seq)
        .limit(1)
    )


async def deliveries(
    session: AsyncSession, webhook_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[WebhookDelivery], int]:
    total = await session.scalar(
        select(func.count())
        .select_from(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
    )
    rows = await session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def attempts_of(
    session: AsyncSession, delivery_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    grouped: dict[uuid.UUID, list[WebhookAttempt]] = {did: [] for did in delivery_ids}
    if not delivery_ids:
        return grouped
    rows = await session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.number)
    )
    for row in rows.all():
        grouped[row.delivery_id].append(row)
    return grouped
