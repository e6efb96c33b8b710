"""Ask Linux to run the media thread soon after a packet wakes it.

The SFU forwards every packet on the event loop's one thread, which sleeps between packets.
When a packet wakes it on a core where another task is running, Linux's fair scheduler
(EEVDF, Linux 6.6 and newer) lets that task finish its time slice first (1.4 ms by default
on a 2-core machine, more with more cores), which lands on that packet's latency. Since
Linux 6.12 a thread can ask for a shorter slice (`sched_setattr`'s `sched_runtime`,
0.1-100 ms, no privilege needed): its wake-ups then preempt the running task, and in
exchange it is preempted sooner itself, which a slice that covers the work of one
wake-up (50-100 µs per packet, a few packets when a frame arrives) keeps rare.

Only the calling thread is changed, with `SCHED_FLAG_RESET_ON_FORK` so that threads it
starts later (database, executors) keep the default. Its nice value and policy are kept; a
real-time policy set by the operator is left alone.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
from dataclasses import dataclass, replace
from typing import Protocol

SCHED_OTHER = 0
SCHED_BATCH = 3
RESET_ON_FORK = 0x01

# struct sched_attr as of Linux 4.13 (SCHED_ATTR_SIZE_VER1): size, policy, flags, nice,
# priority, runtime, deadline, period, util_min, util_max.
_ATTR = struct.Struct("=IIQiIQQQII")
# (sched_setattr, sched_getattr) by machine; the generic table serves arm64 and riscv64.
_SYSCALLS = {
    "x86_64": (314, 315),
    "aarch64": (274, 275),
    "arm64": (274, 275),
    "riscv64": (274, 275),
}


@dataclass(frozen=True, slots=True)
class SchedAttr:
    policy: int
    flags: int
    nice: int
    priority: int
    runtime_ns: int
    deadline_ns: int
    period_ns: int
    util_min: int
    util_max: int

    def pack(self) -> bytes:
        return _ATTR.pack(
            _ATTR.size,
            self.policy,
            self.flags,
            self.nice,
            self.priority,
            self.runtime_ns,
            self.deadline_ns,
            self.period_ns,
            self.util_min,
            self.util_max,
        )

    @classmethod
    def unpack(cls, data: bytes) -> SchedAttr:
        _, *fields = _ATTR.unpack(data[: _ATTR.size])
        return cls(*fields)


@dataclass(frozen=True, slots=True)
class SliceOutcome:
    """What the kernel did with the request: `applied`, or `reason` says why not."""

    requested_us: int
    applied: bool
    reason: str = ""


class ThreadScheduler(Protocol):
    """The calling thread's scheduling attributes."""

    def get(self) -> SchedAttr: ...

    def set(self, attr: SchedAttr) -> None: ...


def with_slice(current: SchedAttr, slice_us: int) -> SchedAttr | str:
    """The attributes to set for `slice_us`, or why there is nothing to set."""
    if current.policy not in (SCHED_OTHER, SCHED_BATCH):
        return f"the thread runs under scheduling policy {current.policy}, left as set"
    return replace(current, flags=current.flags | RESET_ON_FORK, runtime_ns=slice_us * 1000)


def request_media_slice(slice_us: int, scheduler: ThreadScheduler | None = None) -> SliceOutcome:
    """Give the calling thread a time slice of `slice_us` (0 does nothing)."""
    if slice_us == 0:
        return SliceOutcome(0, False, "disabled by configuration")
    if scheduler is None:
        found = kernel_scheduler()
        if isinstance(found, str):
            return SliceOutcome(slice_us, False, found)
        scheduler = found
    try:
        wanted = with_slice(scheduler.get(), slice_us)
        if isinstance(wanted, str):
            return SliceOutcome(slice_us, False, wanted)
        scheduler.set(wanted)
        granted = scheduler.get().runtime_ns
    except OSError as error:
        return SliceOutcome(slice_us, False, f"refused by the kernel: {error.strerror}")
    if granted != wanted.runtime_ns:
        return SliceOutcome(slice_us, False, "not supported by this kernel (Linux 6.12+)")
    return SliceOutcome(slice_us, True)


class _LinuxScheduler:
    def __init__(self, setattr_number: int, getattr_number: int) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._set, self._get = setattr_number, getattr_number

    def get(self) -> SchedAttr:
        buffer = ctypes.create_string_buffer(_ATTR.size)
        self._check(self._libc.syscall(self._get, 0, buffer, _ATTR.size, 0))
        return SchedAttr.unpack(buffer.raw)

    def set(self, attr: SchedAttr) -> None:
        buffer = ctypes.create_string_buffer(attr.pack(), _ATTR.size)
        self._check(self._libc.syscall(self._set, 0, buffer, 0))

    @staticmethod
    def _check(result: int) -> None:
        if result != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))


def kernel_scheduler() -> ThreadScheduler | str:
    """The calling thread's scheduler on Linux, or why there is none here."""
    if platform.system() != "Linux":
        return f"not available on {platform.system()}"
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        return f"not available on {platform.machine()}"
    return _LinuxScheduler(*numbers)
