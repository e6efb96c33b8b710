"""Sending webhook deliveries, one (webhook, room) lane at a time and in ``seq`` order.

A lane's head is tried; success moves on to the next delivery, failure logs the attempt
and queues the lane again after an exponential backoff (later events of that room wait,
so receivers see a room's events in order); after the last try the delivery is marked
failed and the lane moves on. A short lock in the key-value store keeps two jobs from
working one lane at once.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.backoff import RetryPolicy, backoff_delay
from rapat.domain.errors import InvalidInput
from rapat.observability.logging import get_logger
from rapat.security.encryption import Encryptor
from rapat.services.job_queue import DELIVER_WEBHOOKS, JobQueue
from rapat.services.webhook_signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    check_target,
    sign,
)
from rapat.services.webhooks import SECRET_CONTEXT
from rapat.storage.models import Webhook, WebhookAttempt, WebhookDelivery
from rapat.storage.repositories import webhooks as webhook_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

# Jitter from a generator of its own: the module-level one is shared with whatever else
# runs in the process (tests seeding it included), and this must not disturb it.
_JITTER = random.Random()  # noqa: S311

BUSY_RETRY_SECONDS = 1.0
MAX_ERROR_LENGTH = 500

_log = get_logger("rapat.webhooks")


class LockStore(Protocol):
    async def set_if_absent(self, key: str, value: bytes, ttl: float | None = None) -> bool: ...

    async def delete(self, key: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


Sender = Callable[[str, bytes, dict[str, str], float], Awaitable[SendResult]]


async def http_post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,  # noqa: ASYNC109
) -> SendResult:
    """POST without following redirects (a redirect could lead to an internal address)."""
    started = time.perf_counter()
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as client,
            client.post(url, data=body, headers=headers, allow_redirects=False) as response,
        ):
            await response.read()
            status = response.status
        error = None if 200 <= status < 300 else f"HTTP {status}"
        return SendResult(status, error, _since(started))
    except (aiohttp.ClientError, TimeoutError, OSError) as failure:
        detail = str(failure) or type(failure).__name__
        return SendResult(None, detail[:MAX_ERROR_LENGTH], _since(started))


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


class WebhookDeliverer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        encryptor: Encryptor,
        queue: JobQueue,
        locks: LockStore,
        policy: RetryPolicy,
        *,
        timeout: float,
        allow_private: bool,
        sender: Sender = http_post,
    ) -> None:
        self._sessions = sessions
        self._encryptor = encryptor
        self._queue = queue
        self._locks = locks
        self._policy = policy
        self._timeout = timeout
        self._allow_private = allow_private
        self._send = sender

    async def deliver_lane(self, webhook_id: str, room_id: str | None) -> None:
        hook_id = uuid.UUID(webhook_id)
        lane_room = uuid.UUID(room_id) if room_id else None
        payload = {"webhook_id": webhook_id, "room_id": room_id}
        lock = f"webhook-lane:{webhook_id}:{room_id}"
        if not await self._locks.set_if_absent(lock, b"1", ttl=self._timeout * 3 + 30):
            await self._queue.enqueue(DELIVER_WEBHOOKS, payload, delay=BUSY_RETRY_SECONDS)
            return
        try:
            while True:
                wait = await self._deliver_head(hook_id, lane_room)
                if wait is None:
                    return
                if wait > 0:
                    await self._queue.enqueue(DELIVER_WEBHOOKS, payload, delay=wait)
                    return
        finally:
            await self._locks.delete(lock)

    async def _deliver_head(self, hook_id: uuid.UUID, room_id: uuid.UUID | None) -> float | None:
        """None when the lane is done; 0 to go on with the next delivery; seconds to wait."""
        async with self._sessions() as session:
            hook = await session.get(Webhook, hook_id)
            head = await webhook_rows.lane_head(session, hook_id, room_id)
        if hook is None or head is None or not hook.active:
            return None
        now = utcnow()
        if head.next_attempt_at is not None and head.next_attempt_at > now:
            return (head.next_attempt_at - now).total_seconds()
        result = await self._attempt(hook, head)
        return await self._record(head.id, result)

    async def _attempt(self, hook: Webhook, delivery: WebhookDelivery) -> SendResult:
        try:
            await check_target(hook.url, allow_private=self._allow_private)
        except InvalidInput as refusal:
            return SendResult(None, refusal.message, 0)
        body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
        secret = self._encryptor.decrypt(hook.secret_encrypted, SECRET_CONTEXT)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Rapat-Webhooks/1",
            SIGNATURE_HEADER: sign(secret, int(time.time()), body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.id),
        }
        return await self._send(hook.url, body, headers, self._timeout)

    async def _record(self, delivery_id: uuid.UUID, result: SendResult) -> float:
        async with UnitOfWork(self._sessions) as uow:
            delivery = await uow.session.get(WebhookDelivery, delivery_id)
            assert delivery is not None
            delivery.attempts += 1
            uow.session.add(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    number=delivery.attempts,
                    status_code=result.status_code,
                    error=result.error,
                    duration_ms=result.duration_ms,
                )
            )
            now = utcnow()
            if result.ok:
                delivery.status = "delivered"
                delivery.delivered_at = now
                delivery.next_attempt_at = None
                return 0
            if delivery.attempts >= self._policy.max_attempts:
                delivery.status = "failed"
                delivery.next_attempt_at = None
                _log.warning(
                    "webhook_delivery_failed",
                    delivery_id=str(delivery.id),
                    attempts=delivery.attempts,
                    error=result.error,
                )
                return 0
            wait = backoff_delay(self._policy, delivery.attempts, _JITTER.random())
            delivery.next_attempt_at = now + timedelta(seconds=wait)
            return wait
