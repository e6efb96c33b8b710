"""Webhooks: hosts register receiver URLs for room events; every matching event becomes a
delivery row (ordered per webhook) and a job that sends it (see ``webhook_delivery``)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Forbidden, InvalidInput, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, Role, allowed
from rapat.observability.logging import get_logger
from rapat.security.encryption import Encryptor
from rapat.services.current_user import require_user
from rapat.services.job_queue import DELIVER_WEBHOOKS, JobQueue
from rapat.services.webhook_signing import check_target
from rapat.storage.models import (
    WEBHOOK_EVENTS,
    Room,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from rapat.storage.repositories import rooms as room_rows
from rapat.storage.repositories import webhooks as webhook_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

SECRET_CONTEXT = "webhook-secret"  # noqa: S105 (an encryption context name)
MAX_WEBHOOKS_PER_USER = 20
MIN_SECRET_LENGTH = 16
SEQ_ATTEMPTS = 5

_log = get_logger("rapat.webhooks")


@dataclass(frozen=True, slots=True)
class CreatedWebhook:
    webhook: Webhook
    secret: str  # shown once, at creation


@dataclass(frozen=True, slots=True)
class DeliveryView:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def room_payload(room: Room) -> dict[str, Any]:
    return {
        "id": str(room.id),
        "name": room.name,
        "meeting_code": room.meeting_code,
        "status": room.status,
        "host_id": str(room.host_id),
        "scheduled_at": room.scheduled_at.isoformat() if room.scheduled_at else None,
    }


class WebhookService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        encryptor: Encryptor,
        queue: JobQueue,
        *,
        allow_private: bool,
    ) -> None:
        self._sessions = sessions
        self._encryptor = encryptor
        self._queue = queue
        self._allow_private = allow_private

    async def register(
        self,
        principal: Principal,
        *,
        url: str,
        events: list[str],
        room_reference: str | None,
        secret: str | None,
    ) -> CreatedWebhook:
        unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
        if not events or unknown:
            raise InvalidInput(
                f"Choose events among {', '.join(WEBHOOK_EVENTS)}.",
                code="invalid_events",
                details={"unknown": unknown},
            )
        if secret is not None and len(secret) < MIN_SECRET_LENGTH:
            raise InvalidInput(
                f"The secret needs at least {MIN_SECRET_LENGTH} characters.", code="weak_secret"
            )
        await check_target(url, allow_private=self._allow_private)
        secret = secret or secrets.token_urlsafe(32)
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            room_id = None
            if room_reference is not None:
                room = await room_rows.find(uow.session, room_reference)
                if room is None:
                    raise NotFound("No such room.", code="room_not_found")
                if not allowed(
                    await self._role(uow.session, room, principal), Action.CHANGE_SETTINGS
                ):
                    raise Forbidden("Only the room's host can add webhooks.", code="not_allowed")
                room_id = room.id
            if (
                len(await webhook_rows.owned(uow.session, principal.user_id))
                >= MAX_WEBHOOKS_PER_USER
            ):
                raise InvalidInput(
                    f"At most {MAX_WEBHOOKS_PER_USER} webhooks per account.",
                    code="too_many_webhooks",
                )
            hook = Webhook(
                owner_id=principal.user_id,
                room_id=room_id,
                url=url,
                secret_encrypted=self._encryptor.encrypt(secret, SECRET_CONTEXT),
                events=sorted(set(events)),
            )
            uow.session.add(hook)
            await uow.session.flush()
        return CreatedWebhook(hook, secret)

    async def owned(self, principal: Principal) -> list[Webhook]:
        async with self._sessions() as session:
            await require_user(session, principal)
            return list(await webhook_rows.owned(session, principal.user_id))

    async def get(self, principal: Principal, webhook_id: uuid.UUID) -> Webhook:
        async with self._sessions() as session:
            return await self._own(session, principal, webhook_id)

    async def delete(self, principal: Principal, webhook_id: uuid.UUID) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.delete(await self._own(uow.session, principal, webhook_id))

    async def deliveries(
        self, principal: Principal, webhook_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[list[DeliveryView], int]:
        async with self._sessions() as session:
            await self._own(session, principal, webhook_id)
            rows, total = await webhook_rows.deliveries(
                session, webhook_id, limit=limit, offset=offset
            )
            attempts = await webhook_rows.attempts_of(session, [row.id for row in rows])
        return [DeliveryView(row, attempts[row.id]) for row in rows], total

    async def record(self, room: Room, event: str, data: dict[str, Any]) -> int:
        """Queue ``event`` for every webhook listening to the room; returns how many."""
        async with self._sessions() as session:
            hooks = [
                hook
                for hook in await webhook_rows.listening(session, room.id, room.host_id)
                if event in hook.events
            ]
        for hook in hooks:
            await self._add_delivery(hook, room, event, data)
            await self._queue.enqueue(
                DELIVER_WEBHOOKS, {"webhook_id": str(hook.id), "room_id": str(room.id)}
            )
        return len(hooks)

    async def _add_delivery(
        self, hook: Webhook, room: Room, event: str, data: dict[str, Any]
    ) -> None:
        delivery_id = uuid.uuid4()
        now = utcnow()
        payload = {
            "id": str(delivery_id),
            "event": event,
            "created_at": now.isoformat(),
            "room": room_payload(room),
            "data": data,
        }
        for _ in range(SEQ_ATTEMPTS):
            try:
                async with UnitOfWork(self._sessions) as uow:
                    uow.session.add(
                        WebhookDelivery(
                            id=delivery_id,
                            webhook_id=hook.id,
                            room_id=room.id,
                            seq=await webhook_rows.next_seq(uow.session, hook.id),
                            event=event,
                            payload=payload,
                            created_at=now,
                        )
                    )
                return
            except IntegrityError:  # a concurrent event took the same seq: take the next
                continue
        _log.error("webhook_event_dropped", webhook_id=str(hook.id), event_name=event)

    async def _own(
        self, session: AsyncSession, principal: Principal, webhook_id: uuid.UUID
    ) -> Webhook:
        await require_user(session, principal)
        hook = await session.get(Webhook, webhook_id)
        if hook is None or hook.owner_id != principal.user_id:
            raise NotFound("No such webhook.", code="webhook_not_found")
        return hook

    async def _role(self, session: AsyncSession, room: Room, principal: Principal) -> Role | None:
        member = await room_rows.participant(session, room.id, principal.user_id)
        if member is not None:
            return Role(member.role)
        return Role.HOST if room.host_id == principal.user_id else None
