"""A published track sends its packets only to subscriptions whose sender has started."""

from __future__ import annotations

import asyncio

from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.sfu.published_track import PublishedTrack

VP8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)


class RecordingDown:
    kind = "video"
    bitrate: int | None = None

    def __init__(self) -> None:
        self.written: list[int] = []
        self.resyncs = 0

    def write(self, packet: RtpPacket, ntp: int) -> None:
        self.written.append(packet.sequence_number)

    def resync(self) -> None:
        self.resyncs += 1

    async def close(self) -> None:
        return None


def packet(seq: int) -> RtpPacket:
    return RtpPacket(payload_type=96, sequence_number=seq, timestamp=seq * 3000)


def test_packets_go_only_to_started_subscriptions() -> None:
    up = PublishedTrack("video", "t", VP8)
    accepted, inactive = RecordingDown(), RecordingDown()
    up.attach(accepted)
    up.attach(inactive)
    up.on_packet(packet(1))  # neither sender has started
    up.start_forwarding(accepted)
    up.start_forwarding(accepted)  # (again, after a renegotiation): still once
    up.on_packet(packet(2))
    assert accepted.written == [2]
    assert inactive.written == []
    assert up.subscribers == 2  # both count for the publisher's bitrate and pauses


def test_a_detached_or_unknown_subscription_gets_nothing() -> None:
    up = PublishedTrack("video", "t", VP8)
    down, stranger = RecordingDown(), RecordingDown()
    up.attach(down)
    up.start_forwarding(down)
    up.start_forwarding(stranger)  # never attached: ignored
    up.on_packet(packet(1))
    up.detach(down)
    up.start_forwarding(down)  # a late start of a closed subscription: ignored too
    up.on_packet(packet(2))
    assert down.written == [1]
    assert stranger.written == []


def test_resume_resyncs_every_subscription() -> None:
    up = PublishedTrack("audio", "t", VP8)
    started, waiting = RecordingDown(), RecordingDown()
    up.attach(started)
    up.attach(waiting)
    up.start_forwarding(started)
    up.set_paused(True)
    up.on_packet(packet(1))
    up.set_paused(False)
    assert started.written == []
    assert (started.resyncs, waiting.resyncs) == (1, 1)


class KeyframeReceiver:
    media_ssrcs = (1234,)

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.requests: list[float] = []

    def request_keyframe(self, ssrc: int) -> None:
        self.requests.append(self.clock[0])


async def test_a_late_folded_keyframe_request_does_not_follow_a_fresh_one() -> None:
    """On a busy loop the folded request's timer can run after the interval has passed and
    a new request went out at once: the stale timer must not send a second one."""
    now = [100.0]
    up = PublishedTrack("video", "t", VP8, keyframe_interval=0.5, clock=lambda: now[0])
    receiver = KeyframeReceiver(now)
    up.bind(receiver)  # type: ignore[arg-type]
    up.request_keyframe()  # sent at once
    now[0] = 100.1
    up.request_keyframe()  # folded: a timer for 100.5
    now[0] = 100.7  # the loop was busy: the timer has not run, and a new request comes
    up.request_keyframe()
    await asyncio.sleep(0.45)  # the folded timer's real delay (0.4 s) passes
    assert receiver.requests == [100.0, 100.7]
    await up.close()
