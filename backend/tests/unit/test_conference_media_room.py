"""The conference through its seams only: a fake peer factory stands in for the SFU."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapat.conference.media_room import MemberState
from rapat.conference.registry import Conference
from rapat.sfu.interfaces import (
    ForwardedStream,
    LevelListener,
    OfferSender,
    PublishedStream,
    TrackEndListener,
    TrackListener,
)


@dataclass(eq=False)
class FakeTrack:
    kind: str
    track_id: str
    packets_in: int = 0
    paused: bool = False
    on_level: LevelListener | None = None

    def set_paused(self, paused: bool) -> None:
        self.paused = paused


@dataclass
class FakeCopy:
    packets_out: int = 0
    retransmitted: int = 0


@dataclass(eq=False)
class FakePeer:
    send_offer: OfferSender
    on_track: TrackListener
    on_track_ended: TrackEndListener
    tracks: list[PublishedStream] = field(default_factory=list)
    copies: dict[PublishedStream, ForwardedStream] = field(default_factory=dict)
    received: list[tuple[str, str]] = field(default_factory=list)
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

    def subscribe(self, up: PublishedStream, stream_id: str, track_id: str) -> None:
        self.copies[up] = FakeCopy(packets_out=3)
        self.received.append((stream_id, track_id))

    async def unsubscribe(self, up: PublishedStream) -> None:
        self.copies.pop(up, None)

    async def close(self) -> None:
        self.closed = True

    def publish(self, track: FakeTrack) -> None:
        self.tracks.append(track)
        self.on_track(track)


async def test_a_room_subscribes_pauses_and_counts_through_the_factorys_peers() -> None:
    peers: list[FakePeer] = []

    def factory(
        send_offer: OfferSender, on_track: TrackListener, on_track_ended: TrackEndListener
    ) -> FakePeer:
        peers.append(FakePeer(send_offer, on_track, on_track_ended))
        return peers[-1]

    conference = Conference(factory)
    room_id, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sent: list[dict[str, Any]] = []
    await conference.join(room_id, alice, sent.append, True, MemberState(muted=True))
    camera, microphone = FakeTrack("video", "cam", packets_in=5), FakeTrack("audio", "mic")
    peers[0].publish(camera)
    peers[0].publish(microphone)
    assert microphone.paused
    assert not camera.paused
    token = await conference.join(room_id, bob, sent.append, True, MemberState())
    assert peers[1].received == [
        (str(alice), f"camera:{alice}"),
        (str(alice), f"microphone:{alice}"),
    ]
    room = conference.room(room_id)
    assert room is not None
    assert room.peer(str(bob)) is peers[1]
    snapshot = conference.snapshot()
    assert (snapshot.published_tracks, snapshot.subscriptions) == (2, 2)
    assert (snapshot.packets_in, snapshot.packets_out) == (5, 6)
    await conference.leave(room_id, bob, token)
    assert peers[1].closed
    assert conference.snapshot().packets_out == 6  # counted when bob left
    await conference.close()
    assert peers[0].closed
