"""A fixed number of worker threads with a bounded queue, for work that is heavy on CPU and
memory (decoding pictures): at most `workers` jobs run at once, at most `queue` more wait,
and beyond that a job is refused at once (`PoolFull`) instead of piling up.

Admission is a non-blocking semaphore taken by the caller and given back when the job has
finished (or was cancelled before it started), so the bound holds whoever submits and
from whichever thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class PoolFull(Exception):
    """Every worker is busy and the queue is full."""


class BoundedPool:
    def __init__(
        self,
        workers: int,
        queue: int,
        *,
        name: str,
        after_each: Callable[[], object] | None = None,
    ) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(
                f"A pool needs at least one worker and no negative queue, not "
                f"{workers} workers and a queue of {queue}."
            )
        self.workers = workers
        self.capacity = workers + queue
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._after_each = after_each

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue `fn`, or raise PoolFull when `capacity` jobs are already admitted."""
        if not self._slots.acquire(blocking=False):
            raise PoolFull(f"All {self.capacity} places are taken.")
        try:
            future = self._executor.submit(self._call, fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(self._release)
        return future

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn` in a worker, awaited; PoolFull at once when the pool is full."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def close(self) -> None:
        """Drop the jobs still queued; the running ones finish in their threads."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            # In the worker, before the place is given back: the next job starts with the
            # memory this one freed already returned.
            if self._after_each is not None:
                self._after_each()

    def _release(self, _: Future[Any]) -> None:
        self._slots.release()
