"""Retries with exponential backoff, and the dead-letter hand-off after the last try.

A failed job is published again as a new message with a delay (the failed delivery is
acknowledged once the retry is queued), so a retry survives the worker that scheduled it.
"""

from __future__ import annotations

import random
from typing import Any

from taskiq import TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq.kicker import AsyncKicker

from rapat.domain.backoff import RetryPolicy, backoff_delay
from rapat.jobs.dead_letters import DeadLetterSink
from rapat.jobs.metrics import JobMetrics
from rapat.observability.logging import get_logger

# Jitter from a generator of its own: the module-level one is shared with whatever else
# runs in the process (tests seeding it included), and this must not disturb it.
_JITTER = random.Random()  # noqa: S311

ATTEMPT_LABEL = "attempt"
DELAY_LABEL = "delay"

_log = get_logger("rapat.jobs")


class PermanentJobError(Exception):
    """A failure no retry can fix (bad payload, refused recipient): dead-letter at once."""


def attempt_of(labels: dict[str, Any]) -> int:
    """The 1-based try number a message carries (labels may arrive as strings)."""
    try:
        return max(1, int(labels.get(ATTEMPT_LABEL, 1)))
    except (TypeError, ValueError):
        return 1


class RetryMiddleware(TaskiqMiddleware):
    def __init__(
        self, policy: RetryPolicy, dead_letters: DeadLetterSink, metrics: JobMetrics
    ) -> None:
        super().__init__()
        self._policy = policy
        self._dead_letters = dead_letters
        self._metrics = metrics

    def post_execute(self, message: TaskiqMessage, result: TaskiqResult[Any]) -> None:
        outcome = "failed" if result.is_err else "succeeded"
        self._metrics.finished.labels(message.task_name, outcome).inc()

    async def on_error(
        self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException
    ) -> None:
        attempt = attempt_of(message.labels)
        error = f"{type(exception).__name__}: {exception}"
        permanent = isinstance(exception, PermanentJobError)
        if attempt >= self._policy.max_attempts or permanent:
            self._metrics.dead_letters.labels(message.task_name).inc()
            _log.error(
                "job_dead_lettered",
                task=message.task_name,
                task_id=message.task_id,
                attempt=attempt,
                error=error,
            )
            await self._dead_letters.put(message, error)
            return
        delay = backoff_delay(self._policy, attempt, _JITTER.random())
        self._metrics.retries.labels(message.task_name).inc()
        _log.warning(
            "job_retry",
            task=message.task_name,
            task_id=message.task_id,
            attempt=attempt,
            delay=round(delay, 3),
            error=error,
        )
        labels = {**message.labels, ATTEMPT_LABEL: attempt + 1, DELAY_LABEL: delay}
        kicker: AsyncKicker[Any, Any] = AsyncKicker(
            task_name=message.task_name, broker=self.broker, labels=labels
        ).with_task_id(message.task_id)
        await kicker.kiq(*message.args, **message.kwargs)
