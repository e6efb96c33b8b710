"""Which recordings a live process is capturing: the capturing process holds an exclusive
`flock` on a file in the recording's folder for as long as it writes there. The kernel
drops the lock when the process dies, however it dies, so a process finishing what dead
ones left (at start-up, decision 58) skips exactly the folders a live one holds: with
several processes sharing one data directory, a restarted one must not cut short a
recording another is making."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "capture.lock"


class CaptureLockHeld(OSError):
    """Another live process holds the recording's folder."""


class CaptureLock:
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, directory: Path) -> CaptureLock:
        """Hold the folder (created if need be) for this process; raises `CaptureLockHeld`
        if a live process holds it already."""
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CaptureLockHeld(f"{directory} is being recorded by another process") from None
        return cls(fd)

    @classmethod
    def acquire_existing(cls, directory: Path) -> CaptureLock | None:
        """As `acquire`, for a folder that may have no lock file (older recordings, or
        none yet): None then, creating nothing."""
        if not (directory / LOCK_NAME).is_file():
            return None
        return cls.acquire(directory)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor drops the lock
            self._fd = None


def held_by_a_live_process(directory: Path) -> bool:
    """Whether some live process (this one included) holds the folder's capture lock."""
    try:
        lock = CaptureLock.acquire_existing(directory)
    except CaptureLockHeld:
        return True
    if lock is not None:
        lock.release()
    return False
