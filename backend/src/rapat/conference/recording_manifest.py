"""The manifest of one recording: what the compose step reads to put the files together.

`manifest.json` in the recording's directory lists the participants (user id, display
name), and every track recorded: whose, which source, its codec, its file prefix, when it
was tapped and closed, and its segments (file, sidecar, wall-clock start, duration). It is
rewritten whole (temporary file, fsync, rename) at each change, so a reader or a killed
process never sees half of one; a segment still being written is not in it yet, but its
sidecar (`<name>-NNNN.json`, beside the file) is.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapat.recording.sidecar import SegmentInfo

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


@dataclass(slots=True)
class SegmentEntry:
    file: str
    sidecar: str
    start_wall_time: float  # Unix time of the first frame; a frame's time adds its pts (ms)
    duration_ms: int
    frames_written: int
    clock_source: str
    complete: bool
    ended_by: str | None

    @classmethod
    def of(cls, info: SegmentInfo) -> SegmentEntry:
        return cls(
            file=info.file,
            sidecar=Path(info.file).with_suffix(".json").name,
            start_wall_time=info.start_wall_time,
            duration_ms=info.duration_ms,
            frames_written=info.frames_written,
            clock_source=info.clock_source,
            complete=info.complete,
            ended_by=info.ended_by,
        )


@dataclass(slots=True)
class TrackEntry:
    name: str  # the file prefix: <name>-0001.webm, <name>-0001.json
    user_id: str
    source: str  # microphone, camera, screen
    kind: str  # audio, video
    codec: str  # vp8, h264, opus
    tapped_at: float  # Unix time recording of this track began
    closed_at: float | None = None
    segments: list[SegmentEntry] = field(default_factory=list)


@dataclass(slots=True)
class Manifest:
    recording_id: str
    room_id: str
    started_by: str
    started_at: float
    version: int = FORMAT_VERSION
    status: str = "recording"  # then "stopped" or "failed"
    stopped_at: float | None = None
    stop_reason: str | None = None  # requested, room_empty, room_ended, failed
    error: str | None = None
    packets_dropped: int = 0  # media the disk could not keep up with
    participants: dict[str, dict[str, str]] = field(default_factory=dict)  # id → display_name
    tracks: list[TrackEntry] = field(default_factory=list)

    def track(self, name: str) -> TrackEntry | None:
        return next((track for track in self.tracks if track.name == name), None)


def write_manifest(directory: Path, manifest: Manifest) -> None:
    path = directory / MANIFEST_NAME
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as file:
        json.dump(asdict(manifest), file, indent=1)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


def read_manifest(directory: Path) -> Manifest:
    raw = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    tracks = [
        TrackEntry(**{**t, "segments": [SegmentEntry(**s) for s in t["segments"]]})
        for t in raw.pop("tracks")
    ]
    return Manifest(**raw, tracks=tracks)
