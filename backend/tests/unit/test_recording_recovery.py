"""An interrupted recording's manifest is completed from the sidecars on disk."""

from __future__ import annotations

from pathlib import Path

from rapat.conference.recording_manifest import (
    Manifest,
    SegmentEntry,
    TrackEntry,
    read_manifest,
    write_manifest,
)
from rapat.conference.recording_recovery import INTERRUPTED, finalize_manifest
from rapat.recording.sidecar import SegmentInfo, write_sidecar

STARTED = 1_800_000_000.0


def _segment(directory: Path, name: str, start: float, duration_ms: int) -> SegmentInfo:
    info = SegmentInfo(
        file=f"{name}.webm",
        codec="vp8",
        clock_rate=90000,
        start_wall_time=start,
        clock_source="sender_report",
        first_rtp_timestamp=0,
        duration_ms=duration_ms,
        frames_written=duration_ms // 40,
    )
    (directory / info.file).write_bytes(b"\x1a\x45\xdf\xa3 not a real file")
    write_sidecar(directory / f"{name}.json", info)
    return info


def test_segments_written_when_the_process_died_are_listed_and_the_recording_stopped(
    tmp_path: Path,
) -> None:
    manifest = Manifest("rec", "room", "host", STARTED)
    manifest.participants["alice"] = {"display_name": "Alice"}
    track = TrackEntry("alice-camera-1", "alice", "camera", "video", "vp8", STARTED)
    closed = _segment(tmp_path, "alice-camera-1-0001", STARTED + 1, 2000)
    track.segments.append(SegmentEntry.of(closed))
    manifest.tracks.append(track)
    write_manifest(tmp_path, manifest)
    # the second segment was being written: its sidecar is there, the manifest lacks it
    _segment(tmp_path, "alice-camera-1-0002", STARTED + 5, 3000)
    # a sidecar whose file is gone is left out; so is a broken one
    _segment(tmp_path, "alice-camera-1-0003", STARTED + 9, 1000)
    (tmp_path / "alice-camera-1-0003.webm").unlink()
    (tmp_path / "alice-camera-1-0004.json").write_text("{not json")

    finalized = finalize_manifest(tmp_path, now=STARTED + 3600)

    assert read_manifest(tmp_path) == finalized
    assert (finalized.status, finalized.stop_reason) == ("stopped", INTERRUPTED)
    files = [segment.file for segment in finalized.tracks[0].segments]
    assert files == ["alice-camera-1-0001.webm", "alice-camera-1-0002.webm"]
    assert finalized.tracks[0].segments[1].complete is False
    # stopped at the last thing written: the newest file's time, never after "now"
    assert finalized.stopped_at is not None
    assert STARTED + 8 <= finalized.stopped_at <= STARTED + 3600
    assert finalized.tracks[0].closed_at is not None


def test_a_recording_that_stopped_on_its_own_keeps_its_reason(tmp_path: Path) -> None:
    manifest = Manifest("rec", "room", "host", STARTED, status="failed")
    manifest.stop_reason, manifest.error = "failed", "recording_storage_full"
    manifest.stopped_at = STARTED + 10
    write_manifest(tmp_path, manifest)

    finalized = finalize_manifest(tmp_path, now=STARTED + 60)

    assert (finalized.status, finalized.stop_reason, finalized.error) == (
        "failed",
        "failed",
        "recording_storage_full",
    )
    assert finalized.stopped_at == STARTED + 10
