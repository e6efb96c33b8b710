"""Recording a room end to end: aiortc participants over the real WebSocket and UDP, the
host's `recording` request, the SFU's taps, the capture thread's files and the manifest,
read back with PyAV."""

from __future__ import annotations

import asyncio
import errno
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from av import VideoFrame

from rapat.conference.recording_manifest import Manifest, TrackEntry, read_manifest
from rapat.recording.matroska_writer import MatroskaTrackWriter
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import conference_of, meeting
from tests.recording_files import decode

__all__ = ["meeting"]  # the fixture


@pytest.fixture
def recording_settings(tmp_path: Path) -> dict[str, Any]:
    # The raw files stay after the compose job (which runs in-process, quickly): these
    # tests read them and their manifest once the recording has stopped.
    return {"recording_enabled": True, "recording_keep_raw": True, "data_dir": tmp_path / "data"}


RECORDING = pytest.mark.parametrize("meeting", ["recording_settings"], indirect=True)


async def _recording_state(client: MediaClient, active: bool) -> dict[str, Any]:
    event = await client.wait_event("recording_state", seconds=10)
    assert event["data"]["active"] is active, event
    data: dict[str, Any] = event["data"]
    return data


def _received(client: MediaClient, track_id: str) -> int:
    received = client.received.get(track_id)
    return 0 if received is None else len(received.packets)


async def _packets_in(client: MediaClient, track_id: str) -> int:
    """RTP packets the client's receiver of `track_id` has taken (its inbound stats)."""
    for transceiver in client.pc.getTransceivers():
        track = transceiver.receiver.track
        if track is not None and track.id == track_id:
            stats = await transceiver.receiver.getStats()
            return sum(
                getattr(report, "packetsReceived", 0)
                for report in stats.values()
                if report.type == "inbound-rtp"
            )
    return 0


async def _still_decoded(client: MediaClient, track_id: str) -> bool:
    """The client's receiver of `track_id` takes more packets within 10 s, and its decoder
    has made a picture (within 10 s more)."""
    before = await _packets_in(client, track_id)
    for _ in range(100):
        if await _packets_in(client, track_id) > before + 10:
            break
        await asyncio.sleep(0.1)
    else:
        return False
    try:
        frame = await asyncio.wait_for(client.tracks[track_id].recv(), 10)
    except TimeoutError:
        return False
    return isinstance(frame, VideoFrame) and frame.width == 640


async def _not_decoded(people: dict[str, tuple[MediaClient, str]]) -> list[str]:
    """Each "<publisher> to <viewer>" whose camera the viewer does not still decode."""
    missing = []
    for (name, (viewer, _)), (other, (_, user_id)) in itertools.product(people.items(), repeat=2):
        if other != name and not await _still_decoded(viewer, f"camera:{user_id}"):
            missing.append(f"{other} to {name}")
    return missing


async def _publish_once_receiving(client: MediaClient, tracks: int) -> None:
    """Publish once the SFU's offer of the others' tracks is answered: aiortc, unlike a
    browser, would pair transceivers added before it with that offer's m-lines and answer
    them inactive (the others' media would never arrive)."""
    await eventually(lambda: len(client.tracks) == tracks, what=f"{tracks} tracks received")
    await client.settle()
    client.add_tracks()
    await client.publish()


def _tracks_at_least(client: MediaClient, count: int) -> Callable[[], bool]:
    return lambda: len(client.tracks) >= count


def _check_files(directory: Path, track: TrackEntry) -> None:
    """Every segment of the track closed, decodable, in order, video from a keyframe."""
    assert track.closed_at is not None
    assert track.segments, track
    starts = [s.start_wall_time for s in track.segments]
    assert starts == sorted(starts)
    for segment in track.segments:
        assert segment.complete
        assert (directory / segment.sidecar).exists()
        decoded = decode(directory / segment.file)
        assert decoded.codec == track.codec
        assert decoded.frames > 0
        assert all(b > a for a, b in itertools.pairwise(decoded.pts))
        if track.kind == "video":
            assert decoded.keyframes[0], segment.file
            assert (decoded.width, decoded.height) == (640, 480)


def _only_manifest(root: Path) -> tuple[Path, Manifest]:
    (manifest_file,) = root.glob("*/*/manifest.json")
    return manifest_file.parent, read_manifest(manifest_file.parent)


@RECORDING
async def test_a_recorded_room_gives_a_file_per_track_segment_and_a_manifest(
    meeting: Any,
) -> None:
    client, room, connect, people = meeting
    alice = connect(people[0])  # the host
    alice.add_tracks()
    await alice.publish()
    await asyncio.sleep(0.5)
    bob = connect()
    await _publish_once_receiving(bob, 2)
    await eventually(lambda: len(alice.tracks) == 2 and len(bob.tracks) == 2, what="tracks")
    assert (await alice.wait_event("room_state"))["data"]["recording"] is False

    alice.send("recording", {"active": True}, id="rec")
    started = await _recording_state(bob, True)
    assert started["by"] == people[0].user["id"]
    await asyncio.sleep(1.5)
    bob.send("mute", {"muted": True})  # longer than the recorder's 2 s pause gap: a new file
    bob.send("video", {"enabled": False})
    await asyncio.sleep(2.6)
    bob.send("mute", {"muted": False})
    bob.send("video", {"enabled": True})
    carol = connect()  # late: sees the recording in room_state, and is recorded
    state = await carol.wait_event("room_state")
    assert state["data"]["recording"] is True
    await _publish_once_receiving(carol, 4)
    await asyncio.sleep(2.0)
    alice.send("recording", {"active": False}, id="stop")
    stopped = await _recording_state(carol, False)
    assert (stopped["reason"], stopped["by"]) == ("requested", people[0].user["id"])

    # Forwarding went on for everyone: each keeps receiving and decoding the others' video
    # after the stop. Every pair: carol's view of bob once never arrived, and her view of
    # alice mixed both cameras (media_clients.sfu_connection).
    host, guest, late = (p.user["id"] for p in people)
    for viewer in (alice, bob, carol):
        await eventually(_tracks_at_least(viewer, 4), what="every track")
    missing = await _not_decoded(
        {"alice": (alice, host), "bob": (bob, guest), "carol": (carol, late)}
    )
    assert not missing, f"video that stopped or never decoded: {missing}"

    root = conference_of(client).recordings
    assert root is not None
    directory, manifest = _only_manifest(root)
    assert directory.parent.name == room["id"]
    assert (manifest.status, manifest.stop_reason, manifest.started_by) == (
        "stopped",
        "requested",
        host,
    )
    assert set(manifest.participants) == {p.user["id"] for p in people}
    assert all(p["display_name"] for p in manifest.participants.values())
    sources = sorted((t.user_id, t.source, t.codec) for t in manifest.tracks)
    assert sources == sorted(
        (p.user["id"], source, codec)
        for p in people
        for source, codec in (("microphone", "opus"), ("camera", "vp8"))
    )
    by_track = {(t.user_id, t.source): t for t in manifest.tracks}
    for track in manifest.tracks:
        _check_files(directory, track)
    # bob's mute (2.6 s) ended his segments: two of each, the second after the first ended
    for source in ("microphone", "camera"):
        first, second = by_track[(guest, source)].segments
        assert first.ended_by == "pause"
        assert second.start_wall_time >= first.start_wall_time + first.duration_ms / 1000 + 2
    # carol came last: her tracks start after everyone else's first segment
    carol_start = by_track[(late, "camera")].segments[0].start_wall_time
    alice_start = by_track[(host, "camera")].segments[0].start_wall_time
    assert carol_start > alice_start + 4
    assert manifest.packets_dropped == 0


@RECORDING
async def test_a_failing_disk_stops_the_recording_and_the_meeting_goes_on(
    meeting: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _, connect, people = meeting
    original = MatroskaTrackWriter.write
    written = [0]

    def fill_up(self: MatroskaTrackWriter, data: bytes, pts: int, keyframe: bool) -> None:
        written[0] += 1
        if written[0] > 40:  # runs on the capture thread
            raise OSError(errno.ENOSPC, "No space left on device")
        original(self, data, pts, keyframe)

    monkeypatch.setattr(MatroskaTrackWriter, "write", fill_up)
    alice = connect(people[0])
    alice.add_tracks()
    await alice.publish()
    bob = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: _received(bob, camera) > 5, what="bob receives alice")
    alice.send("recording", {"active": True})
    await _recording_state(bob, True)
    ended = await _recording_state(bob, False)
    assert ended["reason"] == "failed"
    assert ended["error"] == "recording_storage_full"
    # Both were told, and the media goes on.
    assert (await _recording_state(alice, True))["by"] == people[0].user["id"]
    assert (await _recording_state(alice, False))["error"] == "recording_storage_full"
    before = _received(bob, camera)
    await eventually(lambda: _received(bob, camera) > before + 10, what="video after failure")
    conference = conference_of(client)
    assert conference.recordings is not None
    _, manifest = _only_manifest(conference.recordings)
    assert (manifest.status, manifest.error) == ("failed", "recording_storage_full")
    # The room can record again once the disk has room.
    monkeypatch.setattr(MatroskaTrackWriter, "write", original)
    alice.send("recording", {"active": True})
    await _recording_state(bob, True)
    alice.send("recording", {"active": False})
    assert (await _recording_state(bob, False))["reason"] == "requested"
