"""Completed jobs by job key, so that a job delivered again after it completed is not run
again (the other half of "at least once": together, a job completes once).

A job's message is acknowledged only after the job finished (`broker.ACK_TYPE`), so a
worker killed mid-job loses nothing: RabbitMQ hands the message to another worker and the
job runs later. But a delivery can also repeat a job that *did* complete: the worker died
between finishing and acknowledging, or the acknowledgement was lost with its connection.
The ledger closes that gap. A job's key is taskiq's task id, which every redelivery and
every retry keeps; it is recorded once the job succeeded, before the acknowledgement, and
a delivery whose key is recorded is acknowledged without running (`job_already_done`).

What remains is the time between a job's side effect and its record (a mail the server
accepted, the job not yet returned): a worker killed exactly then runs it again.

The keys live in the key-value store for a week, far longer than any retry schedule. With
Redis (`RAPAT_REDIS_URL`) every worker shares them; without it each process has its own,
which is enough for the embedded broker (it never redelivers). The ledger fails open: a
store that is down is logged, and the job runs (a possible repeat beats a lost mail).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from rapat.bus.errors import BusError
from rapat.bus.interfaces import KeyValue
from rapat.observability.logging import get_logger

T = TypeVar("T")

KEEP_SECONDS = 7 * 24 * 3600
_PREFIX = "jobs:done:"

_log = get_logger("rapat.jobs")


class JobLedger:
    def __init__(self, kv: KeyValue, keep: float = KEEP_SECONDS) -> None:
        self._kv = kv
        self._keep = keep

    async def run_once(self, task: str, key: str, work: Callable[[], Awaitable[T]]) -> T | None:
        """Run `work` unless the job `key` already completed; None when it is skipped."""
        if await self._done(key):
            _log.info("job_already_done", task=task, task_id=key)
            return None
        result = await work()
        try:
            await self._kv.set(_PREFIX + key, b"1", self._keep)
        except BusError as error:
            _log.warning("job_ledger_unavailable", task=task, task_id=key, error=str(error))
        return result

    async def _done(self, key: str) -> bool:
        try:
            return await self._kv.get(_PREFIX + key) is not None
        except BusError as error:
            _log.warning("job_ledger_unavailable", task_id=key, error=str(error))
            return False
