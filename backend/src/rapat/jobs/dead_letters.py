"""Where a job goes after its last failed try: kept in memory (embedded) or published to
the RabbitMQ dead-letter queue, with the error, for an operator to inspect or replay."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from aio_pika import DeliveryMode, Message
from taskiq import TaskiqMessage
from taskiq_aio_pika import AioPikaBroker

from rapat.observability.logging import get_logger

_log = get_logger("rapat.jobs")


class DeadLetterSink(Protocol):
    async def put(self, message: TaskiqMessage, error: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DeadLetter:
    task_name: str
    task_id: str
    kwargs: dict[str, object]
    error: str


class MemoryDeadLetters:
    """The latest ``capacity`` dead jobs of this process (they are also logged)."""

    def __init__(self, capacity: int = 500) -> None:
        self._items: deque[DeadLetter] = deque(maxlen=capacity)

    async def put(self, message: TaskiqMessage, error: str) -> None:
        self._items.append(
            DeadLetter(message.task_name, message.task_id, dict(message.kwargs), error)
        )

    def items(self) -> list[DeadLetter]:
        return list(self._items)


class AmqpDeadLetters:
    """Publishes the job, as it was last tried, to the dead-letter queue the broker declared."""

    def __init__(self, broker: AioPikaBroker, queue_name: str) -> None:
        self._broker = broker
        self._queue_name = queue_name

    async def put(self, message: TaskiqMessage, error: str) -> None:
        channel = self._broker.write_channel
        if channel is None:  # not started: nothing can be published; the log keeps it
            _log.error("dead_letter_lost", task=message.task_name, task_id=message.task_id)
            return
        body = json.dumps(message.model_dump(mode="json")).encode()
        await channel.default_exchange.publish(
            Message(
                body=body,
                headers={
                    "task_name": message.task_name,
                    "task_id": message.task_id,
                    "error": error[:1000],
                },
                delivery_mode=DeliveryMode.PERSISTENT,
                content_type="application/json",
            ),
            routing_key=self._queue_name,
        )
