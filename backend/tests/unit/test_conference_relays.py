"""A media room with relay members (decision 70), through fake peers: what crosses to
another node, what comes in from one, and that relayed tracks are never relayed on."""

from __future__ import annotations

import uuid
from typing import Any

from rapat.conference.media_room import MediaRoom, MemberState, Relay
from rapat.conference.registry import Conference
from tests.unit.test_conference_media_room import FakePeer, FakeTrack, recording_factory


def _no_offers(sdp: str) -> None:
    raise AssertionError("fake peers make no offers")


async def test_local_tracks_cross_once_and_relayed_ones_reach_only_local_people() -> None:
    peers: list[FakePeer] = []
    room = MediaRoom(recording_factory(peers))
    sent: list[dict[str, Any]] = []
    await room.join("u-ayu", sent.append, True, MemberState(), allow_p2p=True)
    ayu_camera = FakeTrack("video", "cam")
    peers[0].publish(ayu_camera)
    room.join_relay("relay-out:b", Relay.OUT, _no_offers)
    room.join_relay("relay-in:b", Relay.IN, _no_offers)
    out_peer, in_peer = peers[1], peers[2]
    assert out_peer.received == [("u-ayu", "camera:u-ayu", "relay-out:b")]
    assert in_peer.received == []  # an incoming link only brings tracks in
    # Another node's participant publishes: named by the id subscribers see there.
    remote_camera = FakeTrack("video", "camera:u-budi")
    remote_mic = FakeTrack("audio", "microphone:u-budi")
    in_peer.publish(remote_camera)
    in_peer.publish(remote_mic)
    assert peers[0].received == [
        ("u-budi", "camera:u-budi", "u-ayu"),
        ("u-budi", "microphone:u-budi", "u-ayu"),
    ]
    assert len(out_peer.received) == 1  # never sent back out
    assert not remote_camera.paused
    # A participant who joins later receives local and relayed tracks alike.
    await room.join("u-citra", sent.append, True, MemberState())
    assert {t for _, t, _ in peers[3].received} == {
        "camera:u-ayu",
        "camera:u-budi",
        "microphone:u-budi",
    }
    citra_camera = FakeTrack("video", "cam2")
    peers[3].publish(citra_camera)
    assert ("u-citra", "camera:u-citra", "relay-out:b") in out_peer.received
    assert room.members() == 2  # relays are not people
    # The participants were told to use the SFU: their partner may sit elsewhere.
    assert {"type": "media_mode", "data": {"mode": "sfu"}} in sent
    await room.close()


async def test_a_track_that_names_no_participant_is_never_forwarded() -> None:
    peers: list[FakePeer] = []
    room = MediaRoom(recording_factory(peers))
    await room.join("u-ayu", lambda _: None, True, MemberState())
    room.join_relay("relay-in:b", Relay.IN, _no_offers)
    odd = FakeTrack("video", "something-else")
    peers[1].publish(odd)
    assert odd.paused
    assert peers[0].received == []
    await room.close()


async def test_relayed_audio_counts_for_the_active_speaker_and_leaving_unsubscribes() -> None:
    peers: list[FakePeer] = []
    room = MediaRoom(recording_factory(peers))
    await room.join("u-ayu", lambda _: None, True, MemberState())
    room.join_relay("relay-in:b", Relay.IN, _no_offers)
    mic = FakeTrack("audio", "microphone:u-budi")
    peers[1].publish(mic)
    assert mic.on_level is not None  # levels feed the room's speaker detection
    assert mic in peers[0].copies
    await room.leave("relay-in:b")
    assert peers[1].closed
    assert mic not in peers[0].copies


async def test_a_room_with_only_relays_left_is_closed_with_them() -> None:
    peers: list[FakePeer] = []
    conference = Conference(recording_factory(peers))
    room_id, ayu = uuid.uuid4(), uuid.uuid4()
    token = await conference.join(room_id, ayu, lambda _: None, True, MemberState())
    room = conference.room(room_id)
    assert room is not None
    room.join_relay("relay-out:b", Relay.OUT, _no_offers)
    assert conference.room_ids() == {room_id}
    await conference.leave(room_id, ayu, token)
    assert conference.room_ids() == set()
    assert all(peer.closed for peer in peers)
