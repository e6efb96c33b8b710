"""The two brokers behind one shape: taskiq's in-memory broker (the embedded default) and
RabbitMQ through taskiq-aio-pika. ``create_broker`` is the one place that picks."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from taskiq import AsyncBroker, BrokerMessage, InMemoryBroker
from taskiq.acks import AcknowledgeType
from taskiq.exceptions import UnknownTaskError
from taskiq_aio_pika import AioPikaBroker, Queue

from rapat.config import JobsConfig
from rapat.domain.backoff import RetryPolicy
from rapat.jobs.dead_letters import AmqpDeadLetters, DeadLetterSink, MemoryDeadLetters
from rapat.jobs.metrics import JobMetrics
from rapat.jobs.retry import DELAY_LABEL, RetryMiddleware

# A job's message is acknowledged only once the job has finished (and, when it failed,
# once its retry or dead letter is queued): a worker killed mid-job leaves it unacked, so
# RabbitMQ delivers it to another worker.
ACK_TYPE = AcknowledgeType.WHEN_EXECUTED


def label_delay(labels: dict[str, Any]) -> float:
    try:
        return max(0.0, float(labels.get(DELAY_LABEL, 0) or 0))
    except (TypeError, ValueError):
        return 0.0


class DelayingMemoryBroker(InMemoryBroker):
    """The in-memory broker, honouring the ``delay`` label (a retry's backoff) by waiting
    in a background task; waits still pending at shutdown are dropped with the process.
    At most ``max_async_tasks`` jobs run at once (taskiq's own limit applies only to a
    receiver listening on a queue, which the in-memory broker never runs)."""

    def __init__(self, max_async_tasks: int) -> None:
        super().__init__(max_async_tasks=max_async_tasks, propagate_exceptions=False)
        self._waiting: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(max_async_tasks)
        self._closed = False

    async def kick(self, message: BrokerMessage) -> None:
        if self._closed:  # a scheduler tick racing the shutdown: the next start runs it
            return
        delay = label_delay(message.labels)
        if delay <= 0:
            self._start(message)
            return
        task = asyncio.create_task(self._kick_later(message, delay))
        self._waiting.add(task)
        task.add_done_callback(self._waiting.discard)

    async def _kick_later(self, message: BrokerMessage, delay: float) -> None:
        await asyncio.sleep(delay)
        self._start(message)

    def _start(self, message: BrokerMessage) -> None:
        """Run the job in a task that first waits for a free slot; the caller never waits."""
        if self.find_task(message.task_name) is None:
            raise UnknownTaskError(task_name=message.task_name)
        task = asyncio.create_task(self._run(message))
        self._running_tasks.add(task)
        task.add_done_callback(self._running_tasks.discard)

    async def _run(self, message: BrokerMessage) -> None:
        async with self._slots:
            await self.receiver.callback(message=message.message)

    async def wait_all(self) -> None:
        """Wait until no job is running and none is waiting for its delay (tests)."""
        while self._waiting or self._running_tasks:
            await asyncio.gather(*self._waiting, *self._running_tasks, return_exceptions=True)

    async def wait_running(self) -> None:
        """Wait for the jobs running now, not for those still waiting out a delay."""
        while self._running_tasks:
            await asyncio.gather(*list(self._running_tasks), return_exceptions=True)

    async def shutdown(self) -> None:
        self._closed = True
        for task in list(self._waiting):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.gather(*list(self._running_tasks), return_exceptions=True)
        await super().shutdown()


@dataclass(frozen=True, slots=True)
class QueueNames:
    jobs: str
    delay: str
    dead: str


def queue_names(prefix: str) -> QueueNames:
    return QueueNames(jobs=f"{prefix}.jobs", delay=f"{prefix}.delay", dead=f"{prefix}.dead")


@dataclass(frozen=True, slots=True)
class JobBroker:
    broker: AsyncBroker
    dead_letters: DeadLetterSink
    names: QueueNames | None  # None for the in-memory broker

    @property
    def is_memory(self) -> bool:
        return isinstance(self.broker, DelayingMemoryBroker)


def create_broker(config: JobsConfig, metrics: JobMetrics) -> JobBroker:
    policy = RetryPolicy(config.max_attempts, config.retry_base_delay, config.retry_max_delay)
    broker: AsyncBroker
    dead_letters: DeadLetterSink
    names: QueueNames | None = None
    if config.broker_url is None:
        broker = DelayingMemoryBroker(max_async_tasks=config.worker_concurrency)
        dead_letters = MemoryDeadLetters()
    else:
        names = queue_names(config.queue)
        amqp = AioPikaBroker(
            config.broker_url,
            qos=config.worker_concurrency,
            task_queues=[Queue(name=names.jobs)],
            # Messages wait here for their delay, then RabbitMQ dead-letters them back to
            # the jobs queue (no plugin needed).
            delay_queue=Queue(name=names.delay),
            dead_letter_queue=Queue(name=names.dead),
        )
        broker = amqp
        dead_letters = AmqpDeadLetters(amqp, names.dead)
    broker.add_middlewares(RetryMiddleware(policy, dead_letters, metrics))
    return JobBroker(broker=broker, dead_letters=dead_letters, names=names)
