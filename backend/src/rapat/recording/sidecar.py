"""The JSON file beside each segment: when it started on the wall clock, and what was lost
on the way. Written whole to a temporary name and renamed, so a reader (or a killed
process) never leaves or sees half of one."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(slots=True)
class SegmentInfo:
    file: str  # the media file's name, beside the sidecar
    codec: str
    clock_rate: int
    # Unix time of the first frame; every frame's time is this plus its pts (ms).
    start_wall_time: float
    clock_source: str  # "sender_report" or "arrival" (no report seen yet)
    first_rtp_timestamp: int
    duration_ms: int = 0  # the last frame's pts
    frames_written: int = 0
    frames_dropped_waiting_keyframe: int = 0
    frames_dropped_incomplete: int = 0
    packets_lost: int = 0
    packets_late: int = 0
    complete: bool = False  # the file was closed (with its index), not cut off
    ended_by: str | None = None  # "pause", "restart", "requested", "closed"


def write_sidecar(path: Path, info: SegmentInfo, *, durable: bool = True) -> None:
    """`durable`: fsync before the rename (a power cut keeps it). The rename alone is
    enough for a killed process; refreshes of a segment still being written skip the
    fsync (its media file is not fsynced either: decision 48)."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as file:
        file.write(json.dumps(asdict(info), indent=1))  # (`dump` writes piece by piece)
        if durable:
            file.flush()
            os.fsync(file.fileno())
    temporary.replace(path)


def read_sidecar(path: Path) -> SegmentInfo:
    return SegmentInfo(**json.loads(path.read_text(encoding="utf-8")))
