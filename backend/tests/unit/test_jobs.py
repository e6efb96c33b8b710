"""Backoff, the retry middleware and dead letters on the in-memory broker, and the mail
payload the send-mail job carries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from rapat.config import JobsConfig
from rapat.domain.backoff import RetryPolicy, backoff_delay
from rapat.jobs.broker import DelayingMemoryBroker, create_broker
from rapat.jobs.dead_letters import MemoryDeadLetters
from rapat.jobs.metrics import create_job_metrics
from rapat.jobs.queue import TaskiqJobQueue
from rapat.jobs.retry import PermanentJobError, attempt_of
from rapat.mail.message import Attachment, OutgoingMail
from rapat.services.outbox import mail_from_payload, mail_to_payload
from tests.waiting import wait_until

POLICY = RetryPolicy(max_attempts=5, base_delay=2.0, max_delay=30.0)


def test_backoff_doubles_is_capped_and_jittered() -> None:
    assert [backoff_delay(POLICY, n, 0.999999) for n in (1, 2, 3, 4)] == pytest.approx(
        [2.0, 4.0, 8.0, 16.0], rel=1e-5
    )
    assert backoff_delay(POLICY, 10, 0.999999) == pytest.approx(30.0, rel=1e-5)
    assert backoff_delay(POLICY, 100, 0.0) == 15.0  # half of the cap at the lowest jitter
    assert backoff_delay(POLICY, 1, 0.0) == 1.0
    with pytest.raises(ValueError, match="failed_attempts"):
        backoff_delay(POLICY, 0, 0.5)
    with pytest.raises(ValueError, match="jitter"):
        backoff_delay(POLICY, 1, 1.0)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0, base_delay=1, max_delay=1)


def test_attempt_labels_may_arrive_as_strings() -> None:
    assert attempt_of({}) == 1
    assert attempt_of({"attempt": "3"}) == 3
    assert attempt_of({"attempt": "x"}) == 1


def test_mail_payload_round_trips_with_attachments() -> None:
    mail = OutgoingMail(
        to="a@example.com",
        subject="Hi",
        text="Text",
        html="<p>Text</p>",
        attachments=(Attachment("x.ics", "text/calendar; method=REQUEST", b"\x00BEGIN"),),
    )
    assert mail_from_payload(mail_to_payload(mail)) == mail
    with pytest.raises(KeyError):
        mail_from_payload({"subject": "no recipient"})


def _config(**changes: Any) -> JobsConfig:
    values: dict[str, Any] = {
        "broker_url": None,
        "queue": "rapat",
        "max_attempts": 3,
        "retry_base_delay": 0.01,
        "retry_max_delay": 0.02,
        "worker_concurrency": 4,
        "worker_metrics_port": 0,
        **changes,
    }
    return JobsConfig(**values)


def _sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    value = registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


async def test_failing_jobs_retry_then_dead_letter_and_count() -> None:
    registry = CollectorRegistry()
    jobs = create_broker(_config(), create_job_metrics(registry))
    broker = jobs.broker
    assert isinstance(broker, DelayingMemoryBroker)
    tries: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def flaky(payload: dict[str, Any]) -> None:
        tries.append(payload)
        if payload["fail_times"] >= len(tries):
            raise RuntimeError("not yet")
        done.set()

    async def refused(payload: dict[str, Any]) -> None:
        raise PermanentJobError("bad payload")

    broker.register_task(flaky, task_name="test.flaky")
    broker.register_task(refused, task_name="test.refused")
    await broker.startup()
    queue = TaskiqJobQueue(broker)
    await queue.enqueue("test.flaky", {"fail_times": 2})
    await asyncio.wait_for(done.wait(), 5)
    assert len(tries) == 3
    assert _sample(registry, "rapat_job_retries_total", task="test.flaky") == 2

    tries.clear()
    await queue.enqueue("test.flaky", {"fail_times": 10})
    await queue.enqueue("test.refused", {})
    await asyncio.wait_for(broker.wait_all(), 5)
    assert len(tries) == 3  # max_attempts, then no more
    dead = jobs.dead_letters
    assert isinstance(dead, MemoryDeadLetters)
    assert sorted((d.task_name, d.error) for d in dead.items()) == [
        ("test.flaky", "RuntimeError: not yet"),
        ("test.refused", "PermanentJobError: bad payload"),
    ]
    assert _sample(registry, "rapat_job_dead_letters_total", task="test.flaky") == 1
    assert _sample(registry, "rapat_job_dead_letters_total", task="test.refused") == 1
    assert _sample(registry, "rapat_job_retries_total", task="test.refused") == 0
    failed = _sample(registry, "rapat_jobs_finished_total", task="test.flaky", outcome="failed")
    assert failed == 5
    await broker.shutdown()


async def test_delayed_jobs_wait_and_are_dropped_at_shutdown() -> None:
    jobs = create_broker(_config(), create_job_metrics(CollectorRegistry()))
    broker = jobs.broker
    ran: list[str] = []

    async def note(payload: dict[str, Any]) -> None:
        ran.append(payload["name"])

    broker.register_task(note, task_name="test.note")
    await broker.startup()
    queue = TaskiqJobQueue(broker)
    await queue.enqueue("test.note", {"name": "later"}, delay=0.2)
    await queue.enqueue("test.note", {"name": "never"}, delay=60)
    await queue.enqueue("test.note", {"name": "now"})
    await asyncio.sleep(0.05)
    assert ran == ["now"]
    await asyncio.sleep(0.3)
    assert ran == ["now", "later"]
    with pytest.raises(ValueError, match="negative"):
        await queue.enqueue("test.note", {}, delay=-1)
    await broker.shutdown()  # the 60 s job is dropped, not awaited
    assert ran == ["now", "later"]


async def test_at_most_worker_concurrency_jobs_run_at_once_in_process() -> None:
    jobs = create_broker(_config(worker_concurrency=2), create_job_metrics(CollectorRegistry()))
    broker = jobs.broker
    assert isinstance(broker, DelayingMemoryBroker)
    running, peak, finished = [0], [0], [0]
    release = asyncio.Event()

    async def hold(payload: dict[str, Any]) -> None:
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        await release.wait()
        running[0] -= 1
        finished[0] += 1

    broker.register_task(hold, task_name="test.hold")
    await broker.startup()
    queue = TaskiqJobQueue(broker)
    for _ in range(5):
        await queue.enqueue("test.hold", {})
    await wait_until(lambda: running[0] >= 2, 5, "two jobs running")
    release.set()
    await asyncio.wait_for(broker.wait_all(), 5)
    # Without the limit all five start while the first two hold: the peak would be 5.
    assert (peak[0], finished[0]) == (2, 5)
    await broker.shutdown()
