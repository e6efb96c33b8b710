"""Every (re)start of a subscriber's video begins at a keyframe: a late joiner, a camera
turned back on, a video the subscriber shows again after hiding it (`video_visibility`),
which meanwhile reaches that subscriber only. aiortc participants over the real WebSocket
and UDP on loopback; what arrives is decoded with libvpx from its first packet, which
refuses a delta frame that has no keyframe before it."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from aiortc.codecs.vpx import Vp8Decoder, vp8_depayload
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtp import RTCP_PSFB_PLI, RtcpPsfbPacket, RtpPacket

from rapat.codecs.keyframe_start import vp8_starts_keyframe
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import meeting

__all__ = ["meeting"]  # the fixture


def received(client: MediaClient, track_id: str) -> list[RtpPacket]:
    record = client.received.get(track_id)
    return [] if record is None else list(record.packets)


def decode_errors(packets: list[RtpPacket]) -> list[str]:
    """Decode the frames in `packets` (all but the last, which may be incomplete) with a
    fresh decoder: what libvpx refused, by frame."""
    ordered = sorted(
        packets, key=lambda p: (p.sequence_number - packets[0].sequence_number) % 65536
    )
    frames = [list(group) for _, group in itertools.groupby(ordered, key=lambda p: p.timestamp)]
    decoder, errors = Vp8Decoder(), []
    for index, frame in enumerate(frames[:-1]):
        data = b"".join(vp8_depayload(packet.payload) for packet in frame)
        try:
            decoder.decode(JitterFrame(data, frame[0].timestamp))
        except Exception as exc:  # libvpx's InvalidDataError: a delta with no reference
            errors.append(f"frame {index}: {exc!r}")
    return errors


def slow_keyframes(publisher: MediaClient, delay: float = 0.3) -> None:
    """The publisher answers keyframe requests (PLI) `delay` seconds late, as a browser's
    encoder over a real network does: the deltas it sends meanwhile must not be forwarded."""
    sender = next(t.sender for t in publisher.pc.getTransceivers() if t.kind == "video")
    original = sender._handle_rtcp_packet

    async def late(packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_PLI:
            await asyncio.sleep(delay)
        await original(packet)

    sender._handle_rtcp_packet = late


def continuous(packets: list[RtpPacket]) -> bool:
    seqs = [p.sequence_number for p in packets]
    return all((b - a) % 65536 == 1 for a, b in itertools.pairwise(seqs))


async def test_a_late_subscriber_starts_at_a_keyframe(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    slow_keyframes(publisher)
    await asyncio.sleep(2)  # well past the publisher's first keyframe
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: len(received(subscriber, camera)) >= 60, what="60 video packets")
    packets = received(subscriber, camera)
    assert vp8_starts_keyframe(packets[0].payload)
    assert continuous(packets)
    assert decode_errors(packets) == []


async def test_a_camera_turned_back_on_resumes_at_a_keyframe_without_a_gap(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    slow_keyframes(publisher)
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: len(received(subscriber, camera)) >= 30, what="video flows")
    publisher.send("video", {"enabled": False})
    await asyncio.sleep(0.5)
    before = len(received(subscriber, camera))
    await asyncio.sleep(1.0)  # aiortc's camera goes on sending deltas; none is forwarded
    assert len(received(subscriber, camera)) == before
    publisher.send("video", {"enabled": True})
    await eventually(lambda: len(received(subscriber, camera)) >= before + 30, what="video again")
    packets = received(subscriber, camera)
    assert vp8_starts_keyframe(packets[before].payload)  # the first packet after the pause
    assert continuous(packets)  # the sequence carries on: nothing for the subscriber to NACK
    assert decode_errors(packets[before:]) == []  # decodable from the resume on, by itself


async def test_a_hidden_video_stops_for_that_subscriber_only_and_resumes_at_a_keyframe(
    meeting: Any,
) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    slow_keyframes(publisher)
    hider, watcher = connect(raw=True), connect(raw=True)
    host = people[0].user["id"]
    camera, mic = f"camera:{host}", f"microphone:{host}"

    def count(client: MediaClient, track_id: str) -> int:
        return len(received(client, track_id))

    await eventually(lambda: count(hider, camera) >= 30 and count(watcher, camera) >= 30)
    hider.send("video_visibility", {"hidden": [f"{host}:camera"]}, id="hide")
    await hider.wait_event("ack")
    await asyncio.sleep(0.3)  # what was on the way has arrived
    hidden_at = count(hider, camera), count(hider, mic), count(watcher, camera)
    await asyncio.sleep(1.0)
    assert count(hider, camera) == hidden_at[0]  # no packet for the hidden tile
    assert count(hider, mic) > hidden_at[1] + 20  # its audio still flows
    assert count(watcher, camera) > hidden_at[2] + 15  # and the other subscriber still sees it

    shown = time.monotonic()
    hider.send("video_visibility", {"hidden": []}, id="show")
    await eventually(lambda: count(hider, camera) > hidden_at[0], seconds=2, what="video again")
    assert hider.received[camera].arrival[hidden_at[0]] - shown < 1.0
    await eventually(lambda: count(hider, camera) >= hidden_at[0] + 30, what="30 packets more")
    packets = received(hider, camera)
    assert vp8_starts_keyframe(packets[hidden_at[0]].payload)
    assert continuous(packets)
    assert decode_errors(packets[hidden_at[0] :]) == []
