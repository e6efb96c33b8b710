"""The seam between use cases and background jobs: services name a job and hand over a
JSON payload; the jobs package (in-process or RabbitMQ) runs it later, at least once."""

from __future__ import annotations

from typing import Any, Protocol

# Job names, shared by the services that queue them and the jobs package that runs them.
SEND_MAIL = "rapat.send_mail"
DELIVER_WEBHOOKS = "rapat.deliver_webhooks"
SCAN_REMINDERS = "rapat.scan_reminders"
COMPOSE_RECORDING = "rapat.compose_recording"
PURGE_RECORDINGS = "rapat.purge_recordings"


class JobQueue(Protocol):
    async def enqueue(self, task: str, payload: dict[str, Any], *, delay: float = 0.0) -> None:
        """Queue the job; ``delay`` seconds from now at the earliest. Returns once the queue
        has it (RabbitMQ: published as a persistent message)."""
        ...
