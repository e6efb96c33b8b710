"""Jobs on the real RabbitMQ with real `rapat worker` processes: a job whose worker is
killed mid-run runs once, later, on another worker, and a delivery of a job that already
completed does not run it again; a failing job is retried with backoff, then
dead-lettered, and both show in the worker's metrics."""

from __future__ import annotations

import asyncio
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest
import redis.asyncio as redis
from aiosmtpd.controller import Controller
from prometheus_client import CollectorRegistry
from taskiq.kicker import AsyncKicker

from rapat.config import JobsConfig, Settings
from rapat.jobs.broker import create_broker
from rapat.jobs.metrics import create_job_metrics
from rapat.jobs.queue import TaskiqJobQueue
from rapat.mail.message import OutgoingMail
from rapat.services.job_queue import SEND_MAIL
from rapat.services.outbox import mail_to_payload
from rapat.storage import migrate
from rapat.worker import WorkerConfigError, run_worker
from tests.conftest import REDIS_URL
from tests.integration.accounts_helpers import register, unique_email
from tests.integration.app_fixtures import AppMaker
from tests.integration.jobs_helpers import (
    AMQP_URL,
    SECRET,
    ScriptedInbox,
    Worker,
    dead_letters,
    delete_queues,
    free_port,
    worker_env,
)
from tests.waiting import wait_until

pytestmark = pytest.mark.rabbitmq


@pytest.fixture
async def queue_name() -> AsyncIterator[str]:
    name = f"rapat-test-{uuid.uuid4().hex[:10]}"
    yield name
    await delete_queues(name)


def smtp(inbox: ScriptedInbox) -> Iterator[int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


async def enqueue_mail(queue: str, to: str, task_id: str | None = None) -> None:
    settings = JobsConfig(
        broker_url=AMQP_URL,
        queue=queue,
        max_attempts=3,
        retry_base_delay=0.2,
        retry_max_delay=1.0,
        worker_concurrency=4,
        worker_metrics_port=0,
    )
    jobs = create_broker(settings, create_job_metrics(CollectorRegistry()))
    await jobs.broker.startup()
    try:
        mail = OutgoingMail(to=to, subject="Job test", text="Sent by a job.")
        if task_id is None:
            await TaskiqJobQueue(jobs.broker).enqueue(SEND_MAIL, mail_to_payload(mail))
        else:  # the same job again, as RabbitMQ redelivers it when an ack was lost
            kicker: AsyncKicker[Any, Any] = AsyncKicker(SEND_MAIL, jobs.broker, {})
            await kicker.with_task_id(task_id).kiq(mail_to_payload(mail))
    finally:
        await jobs.broker.shutdown()


async def test_a_job_whose_worker_is_killed_mid_job_completes_once_later(
    queue_name: str, sqlite_url: str, tmp_path: Path, redis_prefix: str, redis_client: redis.Redis
) -> None:
    await migrate.upgrade_async(sqlite_url)
    # The first delivery hangs inside the mail server, so the worker dies mid-job.
    inbox = ScriptedInbox(lambda n: None if n == 1 else "250 OK")
    servers = smtp(inbox)
    port = next(servers)
    job = f"job-{uuid.uuid4().hex}"
    workers: list[Worker] = []
    try:
        await enqueue_mail(queue_name, "killed@example.com", task_id=job)
        # The workers share the job ledger through Redis (a key space of this test's own).
        env = worker_env(
            sqlite_url,
            queue_name,
            port,
            RAPAT_REDIS_URL=REDIS_URL,
            RAPAT_CACHE_KEY_PREFIX=redis_prefix,
        )
        first = Worker(env, tmp_path / "worker1.log")
        workers.append(first)
        await asyncio.to_thread(inbox.called.wait, 60)
        assert inbox.calls == 1
        first.kill()  # kill -9 while the job runs: it is not acknowledged

        log = tmp_path / "worker2.log"
        second = Worker(env, log)
        workers.append(second)
        await wait_until(lambda: len(inbox.messages) == 1, 60, "the mail sent by the new worker")
        assert inbox.messages[0]["To"] == "killed@example.com"
        assert inbox.calls == 2

        # Delivered once more after it completed (a lost acknowledgement): not run again.
        await enqueue_mail(queue_name, "killed@example.com", task_id=job)
        await wait_until(
            lambda: "job_already_done" in log.read_text() or inbox.calls > 2,
            30,
            "the repeat to be handled",
        )
        assert (inbox.calls, len(inbox.messages)) == (2, 1)
        assert await asyncio.to_thread(second.stop) == 0  # SIGTERM: a clean stop
    finally:
        for worker in workers:
            worker.ensure_gone()
        next(servers, None)


async def test_failing_jobs_back_off_then_go_to_the_dead_letter_queue(
    queue_name: str, sqlite_url: str, tmp_path: Path
) -> None:
    await migrate.upgrade_async(sqlite_url)
    inbox = ScriptedInbox(lambda n: "451 try again later")  # a temporary failure, always
    servers = smtp(inbox)
    port = next(servers)
    metrics_port = free_port()
    try:
        env = worker_env(
            sqlite_url,
            queue_name,
            port,
            RAPAT_JOB_MAX_ATTEMPTS="3",
            RAPAT_JOB_RETRY_BASE_DELAY="0.3",
            RAPAT_JOB_RETRY_MAX_DELAY="1",
            RAPAT_WORKER_METRICS_PORT=str(metrics_port),
        )
        worker = Worker(env, tmp_path / "worker.log")
        await enqueue_mail(queue_name, "bounce@example.com")
        await wait_until(lambda: inbox.calls == 3, 60, "three tries at the mail server")

        async def dead() -> list[object]:
            return list(await dead_letters(queue_name))

        found: list[object] = []

        async def dead_lettered() -> bool:
            found.extend(await dead())  # each read takes what it finds off the queue
            return bool(found)

        await wait_until(dead_lettered, 10, "a dead letter", interval=0.1)
        assert len(found) == 1
        letter = found[0]
        headers = letter.headers  # type: ignore[attr-defined]
        assert headers["task_name"] == SEND_MAIL
        assert "451" in str(headers["error"])
        await asyncio.sleep(0.5)
        assert inbox.calls == 3  # nothing after the last try

        url = f"http://127.0.0.1:{metrics_port}/metrics"
        text = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
        body = text.decode()
        assert 'rapat_job_retries_total{task="rapat.send_mail"} 2.0' in body
        assert 'rapat_job_dead_letters_total{task="rapat.send_mail"} 1.0' in body
        assert 'rapat_jobs_finished_total{outcome="failed",task="rapat.send_mail"} 3.0' in body
        assert await asyncio.to_thread(worker.stop) == 0
    finally:
        next(servers, None)


async def test_worker_in_process_runs_jobs_and_the_scheduler_then_stops(
    queue_name: str, sqlite_url: str
) -> None:
    await migrate.upgrade_async(sqlite_url)
    inbox = ScriptedInbox(lambda n: "250 OK")
    servers = smtp(inbox)
    port = next(servers)
    try:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            env="test",
            secret_key=SECRET,
            database_url=sqlite_url,
            broker_url=AMQP_URL,
            jobs_queue=queue_name,
            smtp_url=f"smtp://127.0.0.1:{port}",
            reminder_scan_seconds=1,
            sfu_enabled=False,
        )
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(settings, scheduler=True, stop=stop))
        await enqueue_mail(queue_name, "inproc@example.com")
        await wait_until(lambda: len(inbox.messages) == 1, 30, "the mail sent by the worker")
        stop.set()
        await asyncio.wait_for(worker, 30)
        assert inbox.messages[0]["To"] == "inproc@example.com"
    finally:
        next(servers, None)


async def test_worker_needs_a_broker(sqlite_url: str) -> None:
    settings = Settings(_env_file=None, env="test", database_url=sqlite_url)  # type: ignore[call-arg]
    with pytest.raises(WorkerConfigError, match="RAPAT_BROKER_URL"):
        await run_worker(settings, scheduler=False, stop=asyncio.Event())


async def test_a_web_node_with_a_broker_queues_mail_for_the_workers(
    make_client: AppMaker, queue_name: str, sqlite_url: str
) -> None:
    client = await asyncio.to_thread(
        make_client, sqlite_url, broker_url=AMQP_URL, jobs_queue=queue_name
    )
    ready = await asyncio.to_thread(client.get, "/readyz")
    assert ready.json()["checks"]["broker"] == "ok"
    await asyncio.to_thread(register, client, unique_email())
    # No worker runs: the verification mail waits in RabbitMQ instead of being sent here.
    assert await asyncio.to_thread(lambda: client.get("/api/v1/dev/mailbox").json()) == []
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        jobs = await channel.declare_queue(f"{queue_name}.jobs", passive=True)
        assert jobs.declaration_result.message_count == 1
    finally:
        await connection.close()
