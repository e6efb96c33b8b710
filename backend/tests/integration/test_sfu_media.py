"""The SFU end to end: aiortc participants over the real WebSocket and UDP on loopback."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from aiortc import RTCRtpSender
from aiortc.rtp import RTCP_PSFB_PLI
from fastapi.testclient import TestClient

from rapat.sfu.published_track import PublishedTrack
from tests.integration.accounts_helpers import sign_up
from tests.integration.media_clients import (
    MediaClient,
    eventually,
    is_vp8_keyframe,
    watch_feedback,
)
from tests.integration.sfu_fixtures import conference_of, meeting
from tests.waiting import wait_until

__all__ = ["meeting"]  # the fixture


def packets(client: MediaClient, track_id: str) -> int:
    received = client.received.get(track_id)
    return 0 if received is None else len(received.packets)


async def test_two_publishers_see_and_hear_each_other(meeting: Any) -> None:
    _, _, connect, people = meeting
    alice, bob = connect(people[0]), connect()
    alice.add_tracks()
    await alice.publish()
    await eventually(lambda: len(bob.tracks) == 2, what="bob receives alice")
    bob.add_tracks()
    await bob.publish()
    host_id, guest_id = people[0].user["id"], people[1].user["id"]
    await eventually(lambda: len(alice.tracks) == 2 and len(bob.tracks) == 2, what="tracks")
    assert set(alice.tracks) == {f"microphone:{guest_id}", f"camera:{guest_id}"}
    assert set(bob.tracks) == {f"microphone:{host_id}", f"camera:{host_id}"}
    frame = await asyncio.wait_for(bob.tracks[f"camera:{host_id}"].recv(), 10)
    assert (frame.width, frame.height) == (640, 480)  # decoded by the subscriber
    sound = await asyncio.wait_for(alice.tracks[f"microphone:{guest_id}"].recv(), 10)
    assert sound.sample_rate == 48000


async def test_payload_bytes_arrive_unchanged_under_new_ssrc_and_sequence(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    publisher.record_sent_payloads()
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: packets(subscriber, camera) >= 60, what="60 video packets")
    received = subscriber.received[camera].packets
    sent = set(publisher.sent_payloads)
    assert all(packet.payload in sent for packet in received)
    publisher_ssrcs = {s.sender._ssrc for s in publisher.pc.getTransceivers()}
    assert {p.ssrc for p in received}.isdisjoint(publisher_ssrcs)
    seqs = [p.sequence_number for p in received]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(seqs))


async def test_late_joiner_gets_a_keyframe_within_a_second(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    await asyncio.sleep(3)  # well past the publisher's first keyframe
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: packets(subscriber, camera) > 0, what="first packet")
    first = subscriber.received[camera].arrival[0]

    def keyframe_seen() -> bool:
        return any(is_vp8_keyframe(p.payload) for p in subscriber.received[camera].packets)

    await eventually(keyframe_seen, seconds=2, what="keyframe")
    index = next(
        i for i, p in enumerate(subscriber.received[camera].packets) if is_vp8_keyframe(p.payload)
    )
    assert subscriber.received[camera].arrival[index] - first < 1.0


async def test_mute_and_camera_off_stop_forwarding_without_renegotiation(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    subscriber = connect(raw=True)
    host_id = people[0].user["id"]
    mic, camera = f"microphone:{host_id}", f"camera:{host_id}"
    await eventually(lambda: packets(subscriber, mic) > 20 and packets(subscriber, camera) > 5)
    offers_before = subscriber._offers
    publisher.send("mute", {"muted": True})
    publisher.send("video", {"enabled": False})
    await asyncio.sleep(0.5)
    counts = packets(subscriber, mic), packets(subscriber, camera)
    await asyncio.sleep(1.0)
    assert (packets(subscriber, mic), packets(subscriber, camera)) == counts
    publisher.send("mute", {"muted": False})
    publisher.send("video", {"enabled": True})
    await eventually(lambda: packets(subscriber, mic) > counts[0] + 20, what="audio again")
    await eventually(lambda: packets(subscriber, camera) > counts[1], what="video again")
    assert subscriber._offers == offers_before
    seqs = [p.sequence_number for p in subscriber.received[mic].packets]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(seqs))


async def test_screen_share_appears_and_goes(meeting: Any) -> None:
    client, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    viewer = connect()
    host_id = people[0].user["id"]
    await eventually(lambda: len(viewer.tracks) == 2, what="camera and microphone")
    screen = publisher.add_tracks(audio=False)[0]
    publisher.send("screen_share", {"active": True, "track_id": screen.id})
    await publisher.publish()
    await eventually(lambda: f"screen:{host_id}" in viewer.tracks, what="screen track")
    frame = await asyncio.wait_for(viewer.tracks[f"screen:{host_id}"].recv(), 10)
    assert frame.width == 640
    sources = {p.source.value for p in conference_of(client).room(_room_id(client)).publications()}
    assert sources == {"microphone", "camera", "screen"}

    publisher.send("screen_share", {"active": False})
    sharing = next(t for t in publisher.pc.getTransceivers() if t.sender.track is screen)
    sharing.direction = "inactive"
    await publisher.publish()

    def screen_gone() -> bool:
        transceivers = viewer.pc.getTransceivers()
        return any(
            t.receiver.track is not None
            and t.receiver.track.id == f"screen:{host_id}"
            and t.currentDirection == "inactive"
            for t in transceivers
        )

    await eventually(screen_gone, what="screen m-line inactive at the viewer")
    room = conference_of(client).room(_room_id(client))
    assert {p.source.value for p in room.publications()} == {"microphone", "camera"}


def _room_id(client: TestClient) -> Any:
    media = conference_of(client)
    return next(iter(media._rooms))


async def test_observer_cannot_publish_but_receives(meeting: Any) -> None:
    client, room, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    observer_person = sign_up(client, "observer")
    response = client.post(
        f"/api/v1/rooms/{room['id']}/join", json={}, headers=observer_person.headers
    )
    assert response.status_code == 200
    patch = client.put(
        f"/api/v1/rooms/{room['id']}/participants/{observer_person.user['id']}",
        json={"role": "observer"},
        headers=people[0].headers,
    )
    assert patch.is_success, patch.text
    observer = connect(observer_person)
    await eventually(lambda: len(observer.tracks) == 2, what="observer receives")
    observer.add_tracks()
    observer._answered.clear()
    await observer.pc.setLocalDescription(await observer.pc.createOffer())
    observer.send("offer", {"sdp": observer.pc.localDescription.sdp}, id="o1")
    error = await observer.wait_event("error")
    assert (error["id"], error["data"]["code"]) == ("o1", "not_allowed")


async def test_h264_is_forwarded_when_the_publisher_prefers_it(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    (video,) = publisher.add_tracks(audio=False)
    transceiver = next(t for t in publisher.pc.getTransceivers() if t.sender.track is video)
    h264 = [c for c in RTCRtpSender.getCapabilities("video").codecs if "H264" in c.mimeType]
    transceiver.setCodecPreferences(h264)
    await publisher.publish()
    viewer = connect()
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: camera in viewer.tracks, what="camera track")
    frame = await asyncio.wait_for(viewer.tracks[camera].recv(), 10)
    assert frame.width == 640
    received = next(
        t for t in viewer.pc.getTransceivers() if t.receiver.track is viewer.tracks[camera]
    )
    assert received._codecs[0].mimeType == "video/H264"


async def test_keyframe_requests_from_subscribers_are_rate_limited(
    meeting: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, connect, people = meeting
    # When the SFU sends each request, on its own clock: the spacing the fold guarantees.
    # (Arrival times at the publisher add the test loop's scheduling delay, which on a
    # loaded machine bunched two requests sent 0.5 s apart into less than 0.45 s.)
    sent: list[float] = []
    spawn = PublishedTrack._spawn_keyframe_request

    def recording(track: PublishedTrack) -> None:
        sent.append(track._clock())
        spawn(track)

    monkeypatch.setattr(PublishedTrack, "_spawn_keyframe_request", recording)
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    requests = watch_feedback(publisher.pc.getTransceivers()[0].sender, RTCP_PSFB_PLI)
    viewer = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: camera in viewer.received and len(viewer.received[camera].packets) > 5)
    await asyncio.sleep(1.0)
    requests.clear()
    sent.clear()
    receiver = next(
        t.receiver for t in viewer.pc.getTransceivers() if t.receiver.track.id == camera
    )
    ssrc = viewer.received[camera].packets[0].ssrc
    for _ in range(20):  # a subscriber asking twenty times within a second
        await receiver._send_rtcp_pli(ssrc)
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.6)
    # Folded: at most one per 0.5 s reaches the publisher, however often subscribers ask.
    await wait_until(
        lambda: len(requests) >= len(sent), 2.0, "every request sent to reach the publisher"
    )
    assert 2 <= len(requests) <= 5
    assert len(requests) == len(sent)
    assert all(b - a >= 0.499 for a, b in itertools.pairwise(sent))
