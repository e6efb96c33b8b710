"""``JobQueue`` over a taskiq broker: services queue jobs by name with a JSON payload."""

from __future__ import annotations

from typing import Any

from taskiq import AsyncBroker
from taskiq.kicker import AsyncKicker

from rapat.jobs.retry import DELAY_LABEL


class TaskiqJobQueue:
    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(self, task: str, payload: dict[str, Any], *, delay: float = 0.0) -> None:
        if delay < 0:
            raise ValueError("delay must not be negative")
        labels: dict[str, Any] = {DELAY_LABEL: delay} if delay > 0 else {}
        kicker: AsyncKicker[Any, Any] = AsyncKicker(
            task_name=task, broker=self._broker, labels=labels
        )
        await kicker.kiq(payload)
