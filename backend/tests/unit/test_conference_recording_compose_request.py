"""A recording's manifest (and the sidecars a killed process left) as a compose request."""

from __future__ import annotations

from pathlib import Path

from rapat.conference.recording_compose_request import UNNAMED, compose_request
from rapat.conference.recording_manifest import Manifest, SegmentEntry, TrackEntry
from rapat.recording.compose_request import ComposeSegment
from rapat.recording.sidecar import SegmentInfo, write_sidecar

T0 = 1_800_000_000.0


def _info(file: str, start: float, duration_ms: int, *, complete: bool = True) -> SegmentInfo:
    return SegmentInfo(
        file=file, codec="vp8", clock_rate=90_000, start_wall_time=start,
        clock_source="sender_report", first_rtp_timestamp=0, duration_ms=duration_ms,
        complete=complete,
    )  # fmt: skip


def test_tracks_get_names_files_and_publication_times(tmp_path: Path) -> None:
    first = _info("u1-camera-1-0001.webm", T0 + 1, 2000)
    write_sidecar(tmp_path / "u1-camera-1-0001.json", first)
    camera = TrackEntry("u1-camera-1", "u1", "camera", "video", "vp8", T0 + 0.5, T0 + 9)
    camera.segments.append(SegmentEntry.of(first))
    screen = TrackEntry("u2-screen-1", "u2", "screen", "video", "vp8", T0 + 2, None)
    manifest = Manifest("rec", "room", "u1", T0, status="stopped", stopped_at=T0 + 10)
    manifest.participants["u1"] = {"display_name": "Ana"}
    manifest.tracks += [camera, screen]

    request = compose_request(tmp_path, manifest, tmp_path / "out.webm", container="webm")

    assert (request.started_at, request.stopped_at, request.container) == (T0, T0 + 10, "webm")
    ana, other = request.tracks
    assert (ana.label, ana.person, ana.kind, ana.source) == ("Ana", "u1", "video", "camera")
    assert ana.segments == (ComposeSegment(tmp_path / "u1-camera-1-0001.webm", T0 + 1, 2000),)
    assert ana.published == (T0 + 0.5, T0 + 9)
    assert other.label == UNNAMED  # (a manifest always names its people; a guard only)
    assert other.published == (T0 + 2, T0 + 10)  # still open when recording stopped


def test_a_killed_recording_keeps_its_unlisted_segments_and_ends_with_them(tmp_path: Path) -> None:
    listed = _info("u1-microphone-1-0001.webm", T0, 3000)
    cut = _info("u1-microphone-1-0002.webm", T0 + 4, 5000, complete=False)
    for info in (listed, cut):
        write_sidecar(tmp_path / info.file.replace(".webm", ".json"), info)
    mic = TrackEntry("u1-microphone-1", "u1", "microphone", "audio", "opus", T0)
    mic.segments.append(SegmentEntry.of(listed))
    manifest = Manifest("rec", "room", "u1", T0)  # status "recording": never stopped
    manifest.participants["u1"] = {"display_name": "Ana"}
    manifest.tracks.append(mic)

    request = compose_request(tmp_path, manifest, tmp_path / "out.mp4")

    (track,) = request.tracks
    assert [s.path.name for s in track.segments] == [listed.file, cut.file]
    assert request.stopped_at == T0 + 9  # where the cut segment's sidecar last said it got
    assert track.published == (T0, T0 + 9)
