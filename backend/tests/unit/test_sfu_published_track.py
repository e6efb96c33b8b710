"""A published track sends its packets only to subscriptions whose sender has started."""

from __future__ import annotations

import asyncio

from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.sfu.interfaces import FrameBox
from rapat.sfu.published_track import PublishedTrack

VP8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)


class RecordingDown:
    kind = "video"
    bitrate: int | None = None

    def __init__(self) -> None:
        self.written: list[int] = []
        self.resyncs = 0

    def write(self, packet: RtpPacket, ntp: int, layer: int = 0) -> None:
        self.written.append(packet.sequence_number)

    def reselect(self) -> None:
        return None

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


class BitrateReceiver(KeyframeReceiver):
    uplink_estimate: int | None = None

    def __init__(self, clock: list[float]) -> None:
        super().__init__(clock)
        self.rembs: list[int] = []

    def send_remb(self, bitrate: int, ssrcs: tuple[int, ...]) -> None:
        if ssrcs:  # as the real receiver: no address, nothing sent
            self.rembs.append(bitrate)


def vp8_keyframe(seq: int, width: int, height: int) -> RtpPacket:
    """The first packet of a VP8 keyframe: descriptor (S bit), frame tag, start code, size."""
    header = b"\x10" + b"\x00\x00\x00" + b"\x9d\x01\x2a"
    size = width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return RtpPacket(
        payload_type=96, sequence_number=seq, timestamp=seq * 3000, payload=header + size
    )


def vp8_delta(seq: int) -> RtpPacket:
    return RtpPacket(
        payload_type=96, sequence_number=seq, timestamp=seq * 3000, payload=b"\x10\x01"
    )


async def test_pictures_over_the_cap_are_withheld_until_a_keyframe_fits() -> None:
    up = PublishedTrack("video", "t", VP8)
    up.bind(BitrateReceiver([0.0]))  # type: ignore[arg-type]
    down = RecordingDown()
    up.attach(down)
    up.start_forwarding(down)
    oversize: list[tuple[int, int]] = []
    up.on_oversize = lambda width, height: oversize.append((width, height))
    up.limit_video(FrameBox(640, 360), 600_000)
    up.on_packet(vp8_keyframe(1, 640, 360))
    up.on_packet(vp8_delta(2))
    up.on_packet(vp8_keyframe(3, 1280, 720))  # the client ignored the cap
    up.on_packet(vp8_delta(4))
    up.on_packet(vp8_keyframe(5, 1280, 720))
    up.on_packet(vp8_keyframe(6, 360, 640))  # it complied (a phone held upright)
    up.on_packet(vp8_delta(7))
    assert down.written == [1, 2, 6, 7]
    assert oversize == [(1280, 720)]  # told once per breach
    assert up.keyframes_refused == 2
    assert down.resyncs == 1  # the sequence carries on without a gap after the withheld part
    await up.close()


async def test_lifting_the_cap_resumes_at_once_and_asks_for_a_keyframe() -> None:
    now = [10.0]
    up = PublishedTrack("video", "t", VP8, clock=lambda: now[0])
    receiver = BitrateReceiver(now)
    up.bind(receiver)  # type: ignore[arg-type]
    down = RecordingDown()
    up.attach(down)
    up.start_forwarding(down)
    up.limit_video(FrameBox(640, 360), 600_000)
    up.on_packet(vp8_keyframe(1, 1920, 1080))
    up.limit_video(None, None)
    up.on_packet(vp8_delta(2))
    assert down.written == [2]
    assert receiver.requests == [10.0]
    await up.close()


async def test_the_cap_bounds_the_bitrate_asked_of_the_publisher() -> None:
    up = PublishedTrack("video", "t", VP8)
    receiver = BitrateReceiver([0.0])
    up.bind(receiver)  # type: ignore[arg-type]
    down = RecordingDown()
    up.attach(down)
    up.limit_video(FrameBox(640, 360), 600_000)
    assert receiver.rembs == [600_000]  # before anyone reported, the cap is asked at once
    down.bitrate = 5_000_000
    up.bitrate_changed()
    assert receiver.rembs == [600_000]  # a fast subscriber does not lift it
    down.bitrate = 300_000
    up.bitrate_changed()
    assert receiver.rembs == [600_000, 300_000]  # a slow one still lowers it
    up.limit_video(None, None)
    assert receiver.rembs[-1] == 300_000
    await up.close()


def test_audio_is_never_capped() -> None:
    up = PublishedTrack("audio", "a", VP8)
    down = RecordingDown()
    up.attach(down)
    up.start_forwarding(down)
    up.limit_video(FrameBox(1, 1), 1)
    up.on_packet(vp8_keyframe(1, 1920, 1080))
    assert down.written == [1]


async def test_a_cap_set_before_the_first_packet_is_sent_with_it() -> None:
    up = PublishedTrack("video", "t", VP8)
    receiver = BitrateReceiver([0.0])
    receiver.media_ssrcs = ()  # negotiated, nothing received yet: a REMB has no address
    up.bind(receiver)  # type: ignore[arg-type]
    up.limit_video(FrameBox(640, 360), 600_000)
    assert receiver.rembs == []
    receiver.media_ssrcs = (1234,)
    up.on_packet(vp8_keyframe(1, 640, 360))
    up.on_packet(vp8_delta(2))
    assert receiver.rembs == [600_000]  # once
    await up.close()
