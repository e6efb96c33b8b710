"""The job system of one process: broker, queue and (optionally) the scheduler, started
and stopped together. The app and `rapat worker` both build one."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from taskiq import TaskiqScheduler
from taskiq.api import run_scheduler_task
from taskiq.schedule_sources import LabelScheduleSource
from taskiq_aio_pika import AioPikaBroker

from rapat.config import JobsConfig
from rapat.jobs.broker import DelayingMemoryBroker, JobBroker, create_broker
from rapat.jobs.ledger import JobLedger
from rapat.jobs.metrics import JobMetrics
from rapat.jobs.queue import TaskiqJobQueue
from rapat.jobs.tasks import JobHandlers, register_tasks
from rapat.observability.logging import get_logger

_log = get_logger("rapat.jobs")


class JobRuntime:
    def __init__(self, config: JobsConfig, metrics: JobMetrics) -> None:
        self.config = config
        self._metrics = metrics
        self.jobs: JobBroker = create_broker(config, metrics)
        self.queue = TaskiqJobQueue(self.jobs.broker)
        self._scheduler: asyncio.Task[None] | None = None
        self._started = False

    def register(
        self, handlers: JobHandlers, ledger: JobLedger, *, reminder_interval: int | None
    ) -> None:
        broker = self.jobs.broker
        register_tasks(broker, handlers, ledger, reminder_interval=reminder_interval)
        for task in broker.get_all_tasks():
            self._metrics.declare(task)

    async def start(self, *, worker: bool = False, scheduler: bool = False) -> None:
        self.jobs.broker.is_worker_process = worker
        await self.jobs.broker.startup()
        self._started = True
        if scheduler:
            self._scheduler = asyncio.create_task(self._run_scheduler(), name="job-scheduler")

    async def _run_scheduler(self) -> None:
        broker = self.jobs.broker
        scheduler = TaskiqScheduler(broker, sources=[LabelScheduleSource(broker)])
        await run_scheduler_task(
            scheduler, interval=timedelta(hours=1), loop_interval=timedelta(seconds=1)
        )

    async def ping(self) -> None:
        """Return when jobs can be queued; raise otherwise (the readiness probe)."""
        if not self._started:
            raise RuntimeError("the job broker is not started")
        broker = self.jobs.broker
        if isinstance(broker, AioPikaBroker) and (
            broker.write_conn is None or broker.write_conn.is_closed
        ):
            raise ConnectionError("the connection to RabbitMQ is closed")

    async def wait_running(self) -> None:
        """Wait for the jobs running in this process right now (embedded broker only)."""
        broker = self.jobs.broker
        if isinstance(broker, DelayingMemoryBroker):
            await broker.wait_running()

    async def close(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
            self._scheduler = None
        if self._started:
            self._started = False
            await self.jobs.broker.shutdown()
