"""The jobs themselves: thin functions that decode a payload and call a service, each run
at most once per job key (`ledger.py`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from taskiq import AsyncBroker, Context, TaskiqDepends

from rapat.jobs.ledger import JobLedger
from rapat.jobs.retry import PermanentJobError
from rapat.mail.errors import MailDeliveryError
from rapat.services.job_queue import (
    COMPOSE_RECORDING,
    DELIVER_WEBHOOKS,
    PURGE_RECORDINGS,
    SCAN_REMINDERS,
    SEND_MAIL,
)
from rapat.services.outbox import mail_from_payload
from rapat.services.ports import MailSender

# taskiq fills a parameter defaulting to this with the running message's context (its
# task id is the job's key).
_MESSAGE_CONTEXT: Context = TaskiqDepends()


class WebhookLanes(Protocol):
    async def deliver_lane(self, webhook_id: str, room_id: str | None) -> None: ...


class Reminders(Protocol):
    async def send_due(self) -> int: ...


class RecordingJobs(Protocol):
    async def compose(self, recording_id: str) -> bool: ...

    async def purge(self) -> int: ...


# The retention sweep's schedule: hourly is soon enough for a limit counted in days.
PURGE_INTERVAL = 3600


@dataclass(frozen=True, slots=True)
class JobHandlers:
    mailer: MailSender
    webhooks: WebhookLanes
    reminders: Reminders
    recordings: RecordingJobs | None = None


def register_tasks(
    broker: AsyncBroker,
    handlers: JobHandlers,
    ledger: JobLedger,
    *,
    reminder_interval: int | None,
) -> None:
    """Register every job on the broker; with ``reminder_interval`` the reminder scan also
    carries its schedule (read by the scheduler)."""

    async def send_mail(payload: dict[str, Any], context: Context = _MESSAGE_CONTEXT) -> None:
        try:
            mail = mail_from_payload(payload)
        except (KeyError, TypeError, ValueError) as error:
            raise PermanentJobError(f"not a mail payload: {error}") from error
        await ledger.run_once(SEND_MAIL, context.message.task_id, lambda: _send(mail))

    async def _send(mail: Any) -> None:
        try:
            await handlers.mailer.send(mail)
        except MailDeliveryError as error:
            if not error.temporary:
                raise PermanentJobError(error.message) from error
            raise

    async def deliver_webhooks(
        payload: dict[str, Any], context: Context = _MESSAGE_CONTEXT
    ) -> None:
        webhook_id = payload.get("webhook_id")
        room_id = payload.get("room_id")
        if not isinstance(webhook_id, str) or not isinstance(room_id, str | None):
            raise PermanentJobError("payload needs webhook_id (and room_id or null)")
        await ledger.run_once(
            DELIVER_WEBHOOKS,
            context.message.task_id,
            lambda: handlers.webhooks.deliver_lane(webhook_id, room_id),
        )

    async def scan_reminders(payload: dict[str, Any] | None = None) -> int:
        # Each scan is a new job (the scheduler's), and safe to repeat: reminders are
        # sent under a lease and marked done (docs/operations.md).
        return await handlers.reminders.send_due()

    async def compose_recording(payload: dict[str, Any]) -> bool:
        # Safe to repeat: only a queued recording is composed (services/recording_ledger.py).
        recording_id = payload.get("recording_id")
        if handlers.recordings is None:
            raise PermanentJobError("this process does not compose recordings")
        try:
            uuid.UUID(str(recording_id))
        except ValueError as error:
            raise PermanentJobError(f"payload needs a recording_id: {error}") from error
        return await handlers.recordings.compose(str(recording_id))

    async def purge_recordings(payload: dict[str, Any] | None = None) -> int:
        return await handlers.recordings.purge() if handlers.recordings is not None else 0

    broker.register_task(compose_recording, task_name=COMPOSE_RECORDING)
    broker.register_task(
        purge_recordings, task_name=PURGE_RECORDINGS, schedule=[{"interval": PURGE_INTERVAL}]
    )
    broker.register_task(send_mail, task_name=SEND_MAIL)
    broker.register_task(deliver_webhooks, task_name=DELIVER_WEBHOOKS)
    schedule = [{"interval": reminder_interval}] if reminder_interval else None
    if schedule:
        broker.register_task(scan_reminders, task_name=SCAN_REMINDERS, schedule=schedule)
    else:
        broker.register_task(scan_reminders, task_name=SCAN_REMINDERS)
