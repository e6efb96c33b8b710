"""A room's recording through the conference's seams: fake peers stand in for the SFU, the
capture thread and files are real. Leaving closes a person's files, coming back starts
new ones, the last leave stops the recording and the room is told."""

from __future__ import annotations

import uuid
from pathlib import Path

from rapat.conference.media_room import MemberState
from rapat.conference.recording_manifest import read_manifest
from rapat.conference.registry import Conference
from rapat.conference.room_recording import RecordingEnded
from rapat.sfu.interfaces import OfferSender, TrackEndListener, TrackListener
from tests.recording_files import START, decode
from tests.recording_media import opus_packets
from tests.unit.test_conference_media_room import FakePeer, FakeTrack


def ignore(_: object) -> None:
    return None


def speak(track: FakeTrack, frames: int, at: float) -> None:
    """What the SFU's media thread would hand the track's taps."""
    for item in opus_packets(frames, ssrc=hash(track.track_id) & 0xFFFF):
        for tap in track.taps:
            tap.on_rtp(item.packet, START + at + item.time)


async def test_leaving_closes_files_rejoining_starts_new_ones_the_last_leave_stops(
    tmp_path: Path,
) -> None:
    peers: list[FakePeer] = []

    def factory(
        send_offer: OfferSender, on_track: TrackListener, on_track_ended: TrackEndListener
    ) -> FakePeer:
        peers.append(FakePeer(send_offer, on_track, on_track_ended))
        return peers[-1]

    conference = Conference(factory, recordings=tmp_path)
    room_id, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ended: list[RecordingEnded] = []

    async def on_ended(end: RecordingEnded) -> None:
        ended.append(end)

    await conference.join(room_id, alice, ignore, True, MemberState(), name="Alice")
    first_mic = FakeTrack("audio", "mic-1", mime_type="audio/opus")
    peers[0].publish(first_mic)
    recording_id, started = await conference.start_recording(room_id, alice, on_ended)
    assert started
    assert await conference.start_recording(room_id, alice, on_ended) == (recording_id, False)
    assert len(first_mic.taps) == 1
    bob_token = await conference.join(room_id, bob, ignore, True, MemberState(), name="Bob")
    bob_camera, bob_mic = FakeTrack("video", "cam-1"), FakeTrack("audio", "mic-b1")
    bob_mic.mime_type = "audio/opus"
    peers[1].publish(bob_camera)
    peers[1].publish(bob_mic)
    assert len(bob_camera.taps) == 1  # published after the start: tapped too
    assert bob_camera.keyframes_asked == 1  # a video file starts on a keyframe
    speak(first_mic, 50, at=0)
    speak(bob_mic, 20, at=0)
    await conference.leave(room_id, bob, bob_token)
    assert bob_camera.taps == []
    bob_token = await conference.join(room_id, bob, ignore, True, MemberState(), name="Bob")
    second_mic = FakeTrack("audio", "mic-b2", mime_type="audio/opus")
    peers[2].publish(second_mic)
    speak(second_mic, 50, at=3)
    await conference.leave(room_id, bob, bob_token)
    assert ended == []
    room = conference.room(room_id)
    assert room is not None
    await conference.leave(room_id, alice, room._members[str(alice)])

    people = {str(alice): {"display_name": "Alice"}, str(bob): {"display_name": "Bob"}}
    assert ended == [RecordingEnded(recording_id, "room_empty", participants=people)]
    assert conference.room(room_id) is None
    directory = tmp_path / str(room_id) / recording_id
    manifest = read_manifest(directory)
    assert (manifest.status, manifest.stop_reason) == ("stopped", "room_empty")
    assert manifest.participants == {
        str(alice): {"display_name": "Alice"},
        str(bob): {"display_name": "Bob"},
    }
    names = [track.name for track in manifest.tracks]
    assert names == [
        f"{alice}-microphone-1",
        f"{bob}-camera-1",
        f"{bob}-microphone-1",
        f"{bob}-microphone-2",  # came back: new files
    ]
    assert all(track.closed_at is not None for track in manifest.tracks)
    alice_track, camera, before, after = manifest.tracks
    assert camera.segments == []  # no packet came: no file
    for track, frames in ((alice_track, 50), (before, 20), (after, 50)):
        (segment,) = track.segments
        assert decode(directory / segment.file).frames == frames
    assert after.segments[0].start_wall_time > before.segments[0].start_wall_time + 2
    await conference.close()
