"""The media thread's time slice: the decision (with a recorded scheduler) and the real
kernel call (in a thread of its own, so the test process keeps its attributes)."""

from __future__ import annotations

import asyncio
import os
import platform
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from typing import Any, TypeVar

import pytest
from structlog.testing import capture_logs

from rapat.config import Settings
from rapat.sfu.scheduling import (
    RESET_ON_FORK,
    SCHED_BATCH,
    SCHED_OTHER,
    SchedAttr,
    SliceOutcome,
    kernel_scheduler,
    request_media_slice,
    with_slice,
)
from rapat.wiring.adapters import check_media

NORMAL = SchedAttr(SCHED_OTHER, 0, 5, 0, 2_800_000, 0, 0, 0, 1024)
T = TypeVar("T")


class RecordingScheduler:
    def __init__(self, attr: SchedAttr, *, honours_slice: bool = True) -> None:
        self.attr = attr
        self.written: list[SchedAttr] = []
        self._honours_slice = honours_slice

    def get(self) -> SchedAttr:
        return self.attr

    def set(self, attr: SchedAttr) -> None:
        self.written.append(attr)
        self.attr = attr if self._honours_slice else replace(attr, runtime_ns=self.attr.runtime_ns)


class RefusingScheduler(RecordingScheduler):
    def set(self, attr: SchedAttr) -> None:
        raise PermissionError(1, "Operation not permitted")


def test_the_slice_keeps_nice_and_policy_and_is_not_inherited() -> None:
    for policy in (SCHED_OTHER, SCHED_BATCH):
        wanted = with_slice(replace(NORMAL, policy=policy), 150)
        assert isinstance(wanted, SchedAttr)
        assert wanted.runtime_ns == 150_000
        assert wanted.flags & RESET_ON_FORK
        assert (wanted.policy, wanted.nice, wanted.util_max) == (policy, 5, 1024)


def test_a_real_time_thread_is_left_as_the_operator_set_it() -> None:
    scheduler = RecordingScheduler(replace(NORMAL, policy=1, priority=10))  # SCHED_FIFO
    outcome = request_media_slice(100, scheduler)
    assert not outcome.applied
    assert "policy 1" in outcome.reason
    assert scheduler.written == []


def test_applied_when_the_kernel_reports_the_slice_back() -> None:
    scheduler = RecordingScheduler(NORMAL)
    outcome = request_media_slice(100, scheduler)
    assert outcome.applied
    assert outcome.requested_us == 100
    assert scheduler.attr.runtime_ns == 100_000


def test_a_kernel_that_ignores_the_slice_is_reported() -> None:
    outcome = request_media_slice(100, RecordingScheduler(NORMAL, honours_slice=False))
    assert not outcome.applied
    assert "Linux 6.12" in outcome.reason


def test_a_refusal_is_reported_not_raised() -> None:
    outcome = request_media_slice(100, RefusingScheduler(NORMAL))
    assert not outcome.applied
    assert outcome.reason == "refused by the kernel: Operation not permitted"


def test_zero_touches_nothing() -> None:
    scheduler = RecordingScheduler(NORMAL)
    outcome = request_media_slice(0, scheduler)
    assert not outcome.applied
    assert outcome.reason == "disabled by configuration"
    assert scheduler.written == []


def in_thread(work: Callable[[], T]) -> T:
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def kernel_supports_slices() -> bool:
    major, minor = (int(part) for part in platform.release().split(".")[:2])
    return platform.system() == "Linux" and (major, minor) >= (6, 12)


@pytest.mark.skipif(not kernel_supports_slices(), reason="needs Linux 6.12 or newer")
def test_the_real_kernel_gives_the_thread_its_slice_and_its_children_the_default() -> None:
    def work() -> tuple[SliceOutcome, SchedAttr, SchedAttr, int]:
        os.setpriority(os.PRIO_PROCESS, 0, 3)  # on Linux: this thread only
        outcome = request_media_slice(250)
        scheduler = kernel_scheduler()
        assert not isinstance(scheduler, str)
        child = in_thread(scheduler.get)
        return outcome, scheduler.get(), child, os.getpriority(os.PRIO_PROCESS, 0)

    before = kernel_scheduler()
    assert not isinstance(before, str)
    default_ns = before.get().runtime_ns
    outcome, mine, child, nice = in_thread(work)
    assert outcome.applied, outcome.reason
    assert mine.runtime_ns == 250_000
    assert mine.flags & RESET_ON_FORK
    assert nice == 3
    assert mine.nice == 3
    assert child.runtime_ns == default_ns != 250_000
    assert before.get().runtime_ns == default_ns  # the test's own thread is untouched


@pytest.mark.skipif(not kernel_supports_slices(), reason="needs Linux 6.12 or newer")
def test_the_server_gives_its_event_loop_thread_the_configured_slice() -> None:
    settings = Settings(sfu_sched_slice_us=300)

    def start() -> tuple[list[MutableMapping[str, Any]], SchedAttr]:
        with capture_logs() as logs:
            asyncio.run(check_media(settings.sfu))
        scheduler = kernel_scheduler()
        assert not isinstance(scheduler, str)
        return logs, scheduler.get()

    logs, attr = in_thread(start)
    assert attr.runtime_ns == 300_000
    assert {
        "event": "media_time_slice",
        "microseconds": 300,
        "applied": True,
        "reason": None,
        "log_level": "info",
    } in logs
