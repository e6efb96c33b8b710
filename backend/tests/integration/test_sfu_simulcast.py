"""Simulcast through the SFU: an aiortc participant publishes three really encoded VP8
layers on one m-line as a browser does (`simulcast_publisher.py`); raw aiortc subscribers
record what arrives, which is then decoded with libvpx from its first packet. Each gets the
layer its reported bandwidth (REMB) and tile size call for, a switch happens only at a
keyframe of the new layer, and what a subscriber receives is one continuous stream."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from aiortc.codecs.vpx import Vp8Decoder, vp8_depayload
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RtpPacket
from av import VideoFrame

from rapat.codecs.keyframe_start import vp8_starts_keyframe
from rapat.codecs.vp8 import picture_ids
from rapat.sfu.hooks import ForwardingReceiver
from rapat.sfu.simulcast_track import SimulcastTrack
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import conference_of, meeting
from tests.integration.simulcast_publisher import SIZES, SimulcastPublisher

__all__ = ["meeting"]  # the fixture


def packets_of(client: MediaClient, track_id: str) -> list[RtpPacket]:
    record = client.received.get(track_id)
    return [] if record is None else list(record.packets)


def decoded(packets: list[RtpPacket]) -> list[tuple[bool, int]]:
    """(starts with a keyframe, decoded width) of each whole frame in `packets`, decoded in
    order by one decoder from the first packet on; raises what libvpx refuses."""
    frames = [list(group) for _, group in itertools.groupby(packets, key=lambda p: p.timestamp)]
    decoder = Vp8Decoder()
    shown: list[tuple[bool, int]] = []
    for frame in frames[:-1]:  # (the last may be incomplete)
        data = b"".join(vp8_depayload(packet.payload) for packet in frame)
        pictures = decoder.decode(JitterFrame(data, frame[0].timestamp))
        assert pictures, f"frame {len(shown)} decoded to nothing"
        picture = pictures[0]
        assert isinstance(picture, VideoFrame)
        shown.append((vp8_starts_keyframe(frame[0].payload), picture.width))
    return shown


def assert_one_stream(packets: list[RtpPacket]) -> None:
    """Sequence numbers one by one; timestamps forward; picture ids one per frame."""
    assert len({p.ssrc for p in packets}) == 1
    sequences = [p.sequence_number for p in packets]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(sequences))
    starts = [p for p in packets if p.payload[0] & 0x10]  # S: a frame's first packet
    for a, b in itertools.pairwise(starts):
        assert 0 < (b.timestamp - a.timestamp) % 2**32 < 90_000
        ids_a, ids_b = picture_ids(a.payload), picture_ids(b.payload)
        assert ids_a is not None
        assert ids_b is not None
        assert (ids_b[0] - ids_a[0]) % 32768 == 1


def report_bandwidth(subscriber: MediaClient, bitrate: int) -> None:
    """The subscriber tells the SFU its estimate (REMB), as a browser does each second."""
    receiver = next(
        t.receiver
        for t in subscriber.pc.getTransceivers()
        if t.kind == "video" and isinstance(t.receiver, ForwardingReceiver)
    )
    receiver.send_remb(bitrate, receiver.media_ssrcs)


def copy_of(client: Any, subscriber_id: str) -> SimulcastTrack:
    room = next(iter(conference_of(client)._rooms.values()))
    peer = room.peer(subscriber_id)
    assert peer is not None
    copies = [d for d in peer.subscriptions.values() if isinstance(d, SimulcastTrack)]
    assert len(copies) == 1
    return copies[0]


async def simulcast_meeting(meeting: Any) -> tuple[SimulcastPublisher, str]:
    _, _, connect, people = meeting
    publisher = SimulcastPublisher(connect(people[0]))
    await publisher.publish()
    await eventually(lambda: publisher.frames_sent > 30, what="two seconds of layers")
    return publisher, f"camera:{people[0].user['id']}"


async def test_each_subscriber_gets_the_layer_its_bandwidth_and_tile_call_for(
    meeting: Any,
) -> None:
    client, _, connect, people = meeting
    publisher, camera = await simulcast_meeting(meeting)
    try:
        unlimited, weak, small = connect(raw=True), connect(raw=True), connect(raw=True)
        tile = f"{people[0].user['id']}:camera"  # how a client names the video
        await eventually(
            lambda: all(packets_of(s, camera) for s in (unlimited, weak, small)), what="video"
        )
        report_bandwidth(weak, 1)  # below every layer: the lowest
        small.send("video_visibility", {"hidden": [], "sizes": {tile: [320, 180]}})
        await eventually(
            lambda: [copy_of(client, p.user["id"]).layer for p in people[1:]] == [2, 0, 1],
            what="layers top, low and middle",
        )
        for subscriber in (unlimited, weak, small):  # hidden, then shown: from a keyframe
            subscriber.send("video_visibility", {"hidden": [tile]})
        await asyncio.sleep(0.5)
        for subscriber in (unlimited, weak, small):
            subscriber.received[camera].packets.clear()
        for subscriber in (unlimited, weak):
            subscriber.send("video_visibility", {"hidden": []})
        small.send("video_visibility", {"hidden": [], "sizes": {tile: [320, 180]}})
        await asyncio.sleep(1.5)
        expected = (SIZES[2][0], SIZES[0][0], SIZES[1][0])
        for subscriber, width in zip((unlimited, weak, small), expected, strict=True):
            packets = packets_of(subscriber, camera)
            assert vp8_starts_keyframe(packets[0].payload)
            assert_one_stream(packets)
            assert {w for _, w in decoded(packets)} == {width}
    finally:
        await publisher.close()


async def test_a_switch_up_happens_at_a_keyframe_and_the_stream_stays_continuous(
    meeting: Any,
) -> None:
    client, _, connect, people = meeting
    publisher, camera = await simulcast_meeting(meeting)
    try:
        subscriber = connect(raw=True)
        await eventually(lambda: bool(packets_of(subscriber, camera)), what="video")
        report_bandwidth(subscriber, 1)
        copy = copy_of(client, people[1].user["id"])
        await eventually(lambda: copy.layer == 0, what="the low layer")
        await asyncio.sleep(1)
        keyframes_before = publisher.keyframes[2]
        report_bandwidth(subscriber, 50_000_000)  # room for everything: the top layer
        await eventually(lambda: copy.layer == 2, what="the top layer")
        assert publisher.keyframes[2] > keyframes_before  # asked for (PLI) and sent
        report_bandwidth(subscriber, 1)
        await eventually(lambda: copy.layer == 0, what="the low layer again")
        await asyncio.sleep(1)
        packets = packets_of(subscriber, camera)
        assert vp8_starts_keyframe(packets[0].payload)
        assert_one_stream(packets)
        shown = decoded(packets)
        # it started on the top layer (no report yet), then low, up and low again
        runs = [width for width, _ in itertools.groupby(width for _, width in shown)]
        assert runs == [SIZES[2][0], SIZES[0][0], SIZES[2][0], SIZES[0][0]]
        for (_, before), (keyframe, after) in itertools.pairwise(shown):
            if after != before:
                assert keyframe  # a layer change only at a keyframe of the new layer
        assert copy.layer_switches == 4  # the start, down, up, down
    finally:
        await publisher.close()
