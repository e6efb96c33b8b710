"""`rapat worker`: runs jobs from RabbitMQ (and, unless told not to, the scheduler that
queues timed jobs such as the reminder scan) until SIGTERM or SIGINT.

It runs on the same `Runtime` as the web server (`rapat.wiring`), so jobs call the very
services the app uses."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from prometheus_client import CollectorRegistry, start_http_server
from taskiq.api import run_receiver_task

from rapat.config import Settings
from rapat.jobs.broker import ACK_TYPE
from rapat.jobs.metrics import create_job_metrics
from rapat.observability.logging import get_logger
from rapat.wiring import Runtime

_log = get_logger("rapat.worker")


class WorkerConfigError(Exception):
    """The worker cannot run with these settings."""


async def run_worker(
    settings: Settings, *, scheduler: bool, stop: asyncio.Event | None = None
) -> None:
    config = settings.jobs
    if config.broker_url is None:
        raise WorkerConfigError(
            "RAPAT_BROKER_URL is not set: without RabbitMQ, jobs run inside `rapat serve`"
        )
    registry = CollectorRegistry()
    metrics = create_job_metrics(registry)
    if config.worker_metrics_port:
        start_http_server(config.worker_metrics_port, addr=settings.host, registry=registry)
    stop = stop or _stop_on_signals()
    runtime = Runtime.build(settings, metrics)
    jobs = runtime.jobs
    await jobs.start(worker=True, scheduler=scheduler)
    receiver = asyncio.create_task(
        run_receiver_task(
            jobs.jobs.broker,
            max_async_tasks=config.worker_concurrency,
            propagate_exceptions=False,
            ack_time=ACK_TYPE,
        ),
        name="job-receiver",
    )
    _log.info("worker_started", queue=config.queue, scheduler=scheduler)
    try:
        await stop.wait()
    finally:
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiver
        await runtime.close()
        _log.info("worker_stopped")


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
