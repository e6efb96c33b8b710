"""The conference through its seams only: a fake peer factory stands in for the SFU."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapat.conference.forwarding_counts import ForwardingCounts
from rapat.conference.media_room import MediaRoom, MemberState
from rapat.conference.registry import Conference
from rapat.sfu.interfaces import (
    ForwardedStream,
    FrameBox,
    LevelListener,
    OfferSender,
    OversizeListener,
    PublishedStream,
    TrackEndListener,
    TrackListener,
    TrackTap,
)


@dataclass(eq=False)
class FakeTrack:
    kind: str
    track_id: str
    packets_in: int = 0
    paused: bool = False
    on_level: LevelListener | None = None
    on_oversize: OversizeListener | None = None
    limit: tuple[FrameBox | None, int | None] = (None, None)
    mime_type: str = "video/VP8"
    taps: list[TrackTap] = field(default_factory=list)
    keyframes_asked: int = 0

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    def add_tap(self, tap: TrackTap) -> None:
        self.taps.append(tap)

    def remove_tap(self, tap: TrackTap) -> None:
        self.taps.remove(tap)

    def request_keyframe(self) -> None:
        self.keyframes_asked += 1

    def limit_video(self, box: FrameBox | None, max_bitrate: int | None) -> None:
        self.limit = (box, max_bitrate)


@dataclass
class FakeCopy:
    packets_out: int = 0
    bytes_out: int = 0
    retransmitted: int = 0
    nacked: int = 0
    keyframe_requests: int = 0
    hidden: bool = False

    def set_hidden(self, hidden: bool) -> None:
        self.hidden = hidden

    def set_tile(self, size: tuple[int, int] | None) -> None:
        return None


@dataclass(eq=False)
class FakePeer:
    send_offer: OfferSender
    on_track: TrackListener
    on_track_ended: TrackEndListener
    tracks: list[PublishedStream] = field(default_factory=list)
    copies: dict[PublishedStream, ForwardedStream] = field(default_factory=dict)
    received: list[tuple[str, str, str]] = field(default_factory=list)
    closed: bool = False

    @property
    def published(self) -> Sequence[PublishedStream]:
        return self.tracks

    @property
    def subscriptions(self) -> Mapping[PublishedStream, ForwardedStream]:
        return self.copies

    async def accept_offer(self, sdp: str) -> str:
        return "answer"

    async def accept_answer(self, sdp: str) -> None:
        return None

    async def add_candidate(self, candidate: dict[str, Any]) -> None:
        return None

    def subscribe(
        self, up: PublishedStream, stream_id: str, track_id: str, subscriber: str = ""
    ) -> None:
        self.copies[up] = FakeCopy(
            packets_out=3, bytes_out=300, retransmitted=1, nacked=2, keyframe_requests=1
        )
        self.received.append((stream_id, track_id, subscriber))

    async def unsubscribe(self, up: PublishedStream) -> None:
        self.copies.pop(up, None)

    async def close(self) -> None:
        self.closed = True

    def publish(self, track: FakeTrack) -> None:
        self.tracks.append(track)
        self.on_track(track)


def recording_factory(peers: list[FakePeer]) -> Any:
    """A peer factory that keeps every peer it makes in `peers`, in order."""

    def factory(
        send_offer: OfferSender, on_track: TrackListener, on_track_ended: TrackEndListener
    ) -> FakePeer:
        peers.append(FakePeer(send_offer, on_track, on_track_ended))
        return peers[-1]

    return factory


async def test_a_room_subscribes_pauses_and_counts_through_the_factorys_peers() -> None:
    peers: list[FakePeer] = []
    conference = Conference(recording_factory(peers))
    room_id, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sent: list[dict[str, Any]] = []
    await conference.join(room_id, alice, sent.append, True, MemberState(muted=True))
    camera, microphone = FakeTrack("video", "cam", packets_in=5), FakeTrack("audio", "mic")
    peers[0].publish(camera)
    peers[0].publish(microphone)
    assert microphone.paused
    assert not camera.paused
    token = await conference.join(room_id, bob, sent.append, True, MemberState())
    assert peers[1].received == [  # (the subscriber's id names its copy in the logs)
        (str(alice), f"camera:{alice}", str(bob)),
        (str(alice), f"microphone:{alice}", str(bob)),
    ]
    room = conference.room(room_id)
    assert room is not None
    assert room.peer(str(bob)) is peers[1]
    snapshot = conference.snapshot()
    assert (snapshot.published_tracks, snapshot.subscriptions) == (2, 2)
    counted = ForwardingCounts(
        packets_in=5,
        packets_out=6,
        bytes_out=600,
        retransmitted=2,
        nacked=4,
        keyframe_requests=2,
    )
    assert snapshot.forwarding == counted
    await conference.leave(room_id, bob, token)
    assert peers[1].closed
    assert conference.snapshot().forwarding == counted  # counted when bob left
    await conference.close()
    assert peers[0].closed


async def test_the_room_cap_holds_for_cameras_and_spares_screen_shares() -> None:
    peers: list[FakePeer] = []
    conference = Conference(recording_factory(peers))
    room_id, alice = uuid.uuid4(), uuid.uuid4()
    await conference.join(room_id, alice, lambda _: None, True, MemberState())
    room = conference.room(room_id)
    assert room is not None
    room.set_camera_cap(str(alice), "360p")
    camera, screen = FakeTrack("video", "cam"), FakeTrack("video", "screen")
    peers[0].publish(camera)  # published after the cap was set: capped on arrival
    peers[0].publish(screen)
    assert camera.limit == (FrameBox(640, 360), 600_000)
    assert screen.limit == (None, None)
    room.set_camera_cap(str(alice), "1080p")  # a host raised it mid-meeting
    assert camera.limit == (FrameBox(1920, 1080), 3_000_000)
    room.set_camera_cap(str(alice), None)
    assert camera.limit == (None, None)
    room.set_camera_cap(str(uuid.uuid4()), "360p")  # not in the room: nothing happens
    await conference.close()


async def test_the_current_active_speaker_is_kept_for_late_joiners_until_they_leave() -> None:
    peers: list[FakePeer] = []
    room = MediaRoom(recording_factory(peers), speaker_window=0.02)
    sent: list[dict[str, Any]] = []
    token = await room.join("u-ayu", sent.append, True, MemberState())
    microphone = FakeTrack("audio", "mic")
    peers[0].publish(microphone)
    assert room.active_speaker() is None  # nobody spoke yet
    assert microphone.on_level is not None
    for _ in range(50):
        microphone.on_level(23)  # -23 dBov, speech
        await asyncio.sleep(0.002)
    announced = [e["data"] for e in sent if e["type"] == "active_speaker"]
    assert announced == [{"user_id": "u-ayu", "level": -23}]
    assert room.active_speaker() == announced[0]  # what room_state repeats
    await room.leave("u-ayu", token)
    assert room.active_speaker() is None


async def test_a_member_hides_videos_from_themselves_only_and_screens_to_come_too() -> None:
    peers: list[FakePeer] = []
    room = MediaRoom(recording_factory(peers))
    await room.join("u-ayu", lambda _: None, True, MemberState())
    camera, microphone = FakeTrack("video", "cam"), FakeTrack("audio", "mic")
    peers[0].publish(camera)
    peers[0].publish(microphone)
    await room.join("u-budi", lambda _: None, True, MemberState())
    await room.join("u-citra", lambda _: None, True, MemberState())
    budi, citra = peers[1].copies, peers[2].copies
    room.set_hidden_videos("u-budi", frozenset({"u-ayu:camera", "u-ayu:screen"}))
    assert budi[camera].hidden  # type: ignore[attr-defined]
    assert not budi[microphone].hidden  # type: ignore[attr-defined]  # audio always flows
    assert not citra[camera].hidden  # type: ignore[attr-defined]  # another subscriber
    assert not camera.paused  # the publisher's track is untouched
    room.update("u-ayu", MemberState(screen=True, screen_track_id="scr"))
    screen = FakeTrack("video", "scr")
    peers[0].publish(screen)  # hidden already when it arrives
    assert budi[screen].hidden  # type: ignore[attr-defined]
    room.set_hidden_videos("u-budi", frozenset())
    assert not budi[camera].hidden  # type: ignore[attr-defined]
    assert not budi[screen].hidden  # type: ignore[attr-defined]
    room.set_hidden_videos("u-nobody", frozenset({"u-ayu:camera"}))  # not here: ignored
    await room.close()
