"""The decoder pool: a fixed number of workers, a bounded queue, refusal beyond it."""

from __future__ import annotations

import threading

import pytest

from rapat.services.bounded_pool import BoundedPool, PoolFull
from rapat.services.memory_release import release_free_memory


def test_admits_workers_plus_queue_then_refuses_until_a_place_is_free() -> None:
    finished: list[int] = []
    pool = BoundedPool(1, 2, name="test", after_each=lambda: finished.append(1))
    gate = threading.Event()
    try:
        held = [pool.submit(gate.wait) for _ in range(3)]
        with pytest.raises(PoolFull):
            pool.submit(gate.wait)
        gate.set()
        assert [job.result(timeout=10) for job in held] == [True] * 3
        # The place is given back after the job, its clean-up included.
        assert pool.submit(len, "abc").result(timeout=10) == 3
        assert len(finished) == 4
    finally:
        gate.set()
        pool.close()


def test_a_failing_job_gives_its_place_back() -> None:
    pool = BoundedPool(1, 0, name="test")
    try:
        with pytest.raises(ZeroDivisionError):
            pool.submit(divmod, 1, 0).result(timeout=10)
        assert pool.submit(divmod, 7, 2).result(timeout=10) == (3, 1)
    finally:
        pool.close()


def test_a_queued_job_cancelled_gives_its_place_back() -> None:
    pool = BoundedPool(1, 1, name="test")
    gate = threading.Event()
    try:
        running = pool.submit(gate.wait)
        queued = pool.submit(gate.wait)
        assert queued.cancel()
        assert pool.submit(gate.wait) is not None  # the cancelled one's place
        gate.set()
        assert running.result(timeout=10)
    finally:
        gate.set()
        pool.close()


async def test_run_awaits_the_result_in_a_worker_thread() -> None:
    pool = BoundedPool(2, 0, name="decode-test")
    try:
        assert (await pool.run(lambda: threading.current_thread().name)).startswith("decode-test")
    finally:
        pool.close()


@pytest.mark.parametrize(("workers", "queue"), [(0, 4), (2, -1)])
def test_sizes_are_checked(workers: int, queue: int) -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        BoundedPool(workers, queue, name="test")


def test_free_memory_is_returned_on_glibc() -> None:
    # The test machines run glibc; elsewhere this is False and nothing is called.
    assert release_free_memory() is True
