"""A recording's folder is held by the process capturing it (recording/capture_lock.py):
recovery at start-up finishes only what no live process holds, and a process's death,
however abrupt, lets go of its folders."""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rapat.conference.recording_manifest import Manifest, write_manifest
from rapat.conference.recording_recovery import recover_recordings
from rapat.recording.capture_lock import (
    LOCK_NAME,
    CaptureLock,
    CaptureLockHeld,
    held_by_a_live_process,
)

HOLD = """
import sys, time
from pathlib import Path
from rapat.recording.capture_lock import CaptureLock
CaptureLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_one_holder_at_a_time_and_release_lets_go(tmp_path: Path) -> None:
    folder = tmp_path / "room" / "recording"
    assert not held_by_a_live_process(folder)  # no folder, no lock file: nobody
    lock = CaptureLock.acquire(folder)
    assert (folder / LOCK_NAME).is_file()
    assert held_by_a_live_process(folder)
    with pytest.raises(CaptureLockHeld):
        CaptureLock.acquire(folder)
    lock.release()
    lock.release()  # twice is harmless
    assert not held_by_a_live_process(folder)
    CaptureLock.acquire(folder).release()


def test_a_killed_holder_lets_go(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert held_by_a_live_process(tmp_path)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert not held_by_a_live_process(tmp_path)


@dataclass
class Row:
    id: uuid.UUID
    raw_directory: str


@dataclass
class FakeLedger:
    """The ledger's side of recovery, as recover_recordings calls it."""

    capturing: list[Row]
    finished: list[tuple[uuid.UUID, str]] = field(default_factory=list)

    async def left_behind(self) -> tuple[list[Row], list[uuid.UUID]]:
        return self.capturing, []

    async def finish(self, recording_id: uuid.UUID, *, reason: str, **_: Any) -> None:
        self.finished.append((recording_id, reason))

    async def queue_compose(self, recording_id: uuid.UUID) -> None:
        raise AssertionError("nothing is queued here")


async def test_recovery_leaves_a_folder_a_live_process_holds(tmp_path: Path) -> None:
    held, dead = tmp_path / "held", tmp_path / "dead"
    rows = []
    for folder in (held, dead):
        recording_id = uuid.uuid4()
        manifest = Manifest(str(recording_id), str(uuid.uuid4()), "host", 1_800_000_000.0)
        folder.mkdir()
        write_manifest(folder, manifest)
        rows.append(Row(recording_id, str(folder)))
    CaptureLock.acquire(dead).release()  # a lock file whose holder is gone
    lock = CaptureLock.acquire(held)
    ledger = FakeLedger(rows)
    await recover_recordings(ledger)  # type: ignore[arg-type]
    assert ledger.finished == [(rows[1].id, "interrupted")]
    lock.release()
    ledger.finished.clear()
    await recover_recordings(ledger)  # type: ignore[arg-type]
    assert [recording for recording, _ in ledger.finished] == [rows[0].id, rows[1].id]
