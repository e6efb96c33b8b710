"""The job ledger: a job key that completed is not run again; one that failed is; a store
that is down lets the job run. And the registered jobs go through it, keyed by task id."""

from __future__ import annotations

from typing import Any

import pytest
from taskiq.kicker import AsyncKicker

from rapat.bus import BusUnavailableError, memory_bus
from rapat.jobs.broker import DelayingMemoryBroker
from rapat.jobs.ledger import JobLedger
from rapat.jobs.tasks import JobHandlers, register_tasks
from rapat.mail.message import OutgoingMail
from rapat.services.job_queue import SEND_MAIL
from rapat.services.outbox import mail_to_payload


class Work:
    def __init__(self, fail: bool = False) -> None:
        self.runs = 0
        self.fail = fail

    async def __call__(self) -> str:
        self.runs += 1
        if self.fail:
            raise ConnectionError("smtp down")
        return "sent"


async def test_a_completed_job_key_is_not_run_again() -> None:
    ledger, work = JobLedger(memory_bus().kv), Work()
    assert await ledger.run_once("mail", "job-1", work) == "sent"
    assert await ledger.run_once("mail", "job-1", work) is None  # delivered again
    assert await ledger.run_once("mail", "job-2", work) == "sent"
    assert work.runs == 2


async def test_a_failed_job_is_not_recorded_so_its_retry_runs() -> None:
    ledger, failing = JobLedger(memory_bus().kv), Work(fail=True)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            await ledger.run_once("mail", "job-1", failing)
    assert failing.runs == 2
    assert await ledger.run_once("mail", "job-1", Work()) == "sent"


class DownStore:
    async def get(self, key: str) -> bytes | None:
        raise BusUnavailableError("redis unavailable")

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        raise BusUnavailableError("redis unavailable")


async def test_a_ledger_that_is_down_lets_the_job_run() -> None:
    ledger, work = JobLedger(DownStore()), Work()  # type: ignore[arg-type]
    assert await ledger.run_once("mail", "job-1", work) == "sent"
    assert await ledger.run_once("mail", "job-1", work) == "sent"  # a repeat beats a loss
    assert work.runs == 2


class Mailer:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    async def send(self, mail: OutgoingMail) -> None:
        self.sent.append(mail)


class Unused:
    async def deliver_lane(self, webhook_id: str, room_id: str | None) -> None:
        raise AssertionError("not queued here")

    async def send_due(self) -> int:
        raise AssertionError("not queued here")


async def test_the_send_mail_job_runs_once_per_task_id() -> None:
    broker, mailer = DelayingMemoryBroker(max_async_tasks=2), Mailer()
    handlers = JobHandlers(mailer=mailer, webhooks=Unused(), reminders=Unused())
    register_tasks(broker, handlers, JobLedger(memory_bus().kv), reminder_interval=None)
    await broker.startup()
    try:
        payload = mail_to_payload(OutgoingMail(to="ana@example.com", subject="Hi", text="x"))
        kicker: AsyncKicker[Any, Any] = AsyncKicker(task_name=SEND_MAIL, broker=broker, labels={})
        for task_id in ("same", "same", "other"):
            await kicker.with_task_id(task_id).kiq(payload)
            await broker.wait_all()
    finally:
        await broker.shutdown()
    assert len(mailer.sent) == 2
