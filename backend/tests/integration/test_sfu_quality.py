"""Quality on real networks: active speaker from audio levels, adaptive bitrate from
subscribers' REMB, and video that survives 5 % packet loss through NACK/RTX."""

from __future__ import annotations

import array
import asyncio
import fractions
import math
import random
import time
from typing import Any

from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, pack_remb_fci, unpack_remb_fci
from av import AudioFrame

from tests.integration.media_clients import eventually, is_vp8_keyframe, watch_feedback
from tests.integration.sfu_fixtures import meeting

__all__ = ["meeting"]


class ToneTrack(AudioStreamTrack):
    """A loud 440 Hz tone, 20 ms frames at 48 kHz (the silent base class sends zeros)."""

    def __init__(self) -> None:
        super().__init__()
        self._samples = 0

    async def recv(self) -> AudioFrame:
        frame = await super().recv()  # keeps the real-time pacing and timestamps
        count = frame.samples
        wave = array.array(
            "h",
            (
                int(12000 * math.sin(2 * math.pi * 440 * (i + self._samples) / 48000))
                for i in range(count)
            ),
        )
        self._samples += count
        tone = AudioFrame(format="s16", layout="mono", samples=count)
        tone.planes[0].update(wave.tobytes())
        tone.sample_rate, tone.pts, tone.time_base = 48000, frame.pts, fractions.Fraction(1, 48000)
        return tone


async def test_the_loud_publisher_becomes_the_active_speaker(meeting: Any) -> None:
    _, _, connect, people = meeting
    quiet = connect(people[0])
    quiet.add_tracks(video=False)  # silence
    await quiet.publish()
    loud = connect()
    loud.pc.addTransceiver(ToneTrack(), direction="sendonly")
    await loud.publish()
    listener = connect(raw=True)
    event = await listener.wait_event("active_speaker", seconds=10)
    assert event["data"]["user_id"] == people[1].user["id"]
    assert -60 < event["data"]["level"] <= 0  # dBov of a loud tone
    await asyncio.sleep(1.5)  # it stays: no flicker to the silent one
    assert not [e for e in listener.events if e["type"] == "active_speaker"]
    late = connect(media=False)  # joins after the change: learns it from room_state
    state = await late.wait_event("room_state")
    assert state["data"]["active_speaker"]["user_id"] == people[1].user["id"]
    assert -60 < state["data"]["active_speaker"]["level"] <= 0


async def test_a_subscriber_reporting_little_bandwidth_lowers_the_publishers_rate(
    meeting: Any,
) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    sender = publisher.pc.getTransceivers()[0].sender
    rembs = watch_feedback(sender, RTCP_PSFB_APP)

    def asked() -> list[int]:
        return [unpack_remb_fci(packet.fci)[0] for _, packet in rembs]

    viewer = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: camera in viewer.received and len(viewer.received[camera].packets) > 5)
    receiver = next(
        t.receiver for t in viewer.pc.getTransceivers() if t.receiver.track.id == camera
    )
    ssrc = viewer.received[camera].packets[0].ssrc
    remb = RtcpPsfbPacket(
        fmt=RTCP_PSFB_APP,
        ssrc=receiver._RTCRtpReceiver__rtcp_ssrc,  # type: ignore[attr-defined]
        media_ssrc=0,
        fci=pack_remb_fci(200_000, [ssrc]),
    )
    await receiver._send_rtcp(remb)
    await eventually(lambda: bool(asked()) and asked()[-1] <= 200_000, seconds=3, what="REMB")
    encoder = sender._RTCRtpSender__encoder  # type: ignore[attr-defined]
    assert encoder.target_bitrate < 500_000  # aiortc's default, lowered (to its 250 kbps floor)


async def test_video_stays_decodable_with_five_percent_loss_on_the_uplink(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    transport = publisher.pc.getTransceivers()[0].sender.transport
    original = transport._send_rtp
    dropped = 0
    rng = random.Random(7)

    async def lossy(data: bytes) -> None:
        nonlocal dropped
        is_rtcp = 192 <= data[1] <= 223
        if not is_rtcp and rng.random() < 0.05:
            dropped += 1
            return
        await original(data)

    transport._send_rtp = lossy  # type: ignore[method-assign]
    viewer = connect()
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: camera in viewer.tracks, what="camera")
    track = viewer.tracks[camera]
    await asyncio.wait_for(track.recv(), 10)
    frames, longest_gap, last = 0, 0.0, time.monotonic()
    deadline = last + 6.0
    while time.monotonic() < deadline:
        await asyncio.wait_for(track.recv(), 5)
        now = time.monotonic()
        frames, longest_gap, last = frames + 1, max(longest_gap, now - last), now
    print(
        f"5% uplink loss: dropped {dropped} packets, {frames} frames in 6 s, "
        f"longest gap {longest_gap:.2f} s"
    )
    assert dropped >= 5  # (~5 % of the packets sent)
    assert frames >= 90  # of ~180 at 30 fps: video kept flowing
    assert longest_gap < 1.0  # and never froze


async def test_the_rooms_video_cap_is_enforced_at_the_sfu_and_follows_live_changes(
    meeting: Any,
) -> None:
    """aiortc's camera sends 640x480 whatever the room says, as a client ignoring the cap
    would: under 360p the SFU forwards none of it and asks for no more than 360p's bitrate;
    raised to 720p by the host mid-meeting, the picture flows from a keyframe on."""
    client, room, connect, people = meeting
    host = people[0]

    def cap(quality: str) -> None:
        response = client.put(
            f"/api/v1/rooms/{room['id']}/settings",
            json={"max_video_resolution": quality},
            headers=host.headers,
        )
        assert response.status_code == 200, response.text

    cap("360p")
    publisher = connect(host)
    _, video = publisher.add_tracks()
    sender = next(t.sender for t in publisher.pc.getTransceivers() if t.sender.track is video)
    rembs = watch_feedback(sender, RTCP_PSFB_APP)
    await publisher.publish()
    viewer = connect(raw=True)
    camera, mic = f"camera:{host.user['id']}", f"microphone:{host.user['id']}"

    def count(track_id: str) -> int:
        received = viewer.received.get(track_id)
        return 0 if received is None else len(received.packets)

    await eventually(lambda: count(mic) > 50, what="the microphone flows")
    assert count(camera) == 0  # the camera is over the cap: withheld
    assert rembs
    assert all(unpack_remb_fci(p.fci)[0] <= 600_000 for _, p in rembs)

    cap("720p")
    await eventually(lambda: count(camera) > 5, what="the camera flows under 720p")
    first = viewer.received[camera].packets[0].payload
    assert is_vp8_keyframe(first)  # resumed at a keyframe: decodable from its first packet
