"""aiortc publishers and subscribers for the SFU benchmark, and what they measure.

Publishers encode nothing: their senders are Rapat's `ForwardingSender` (no encoder task),
fed the pre-encoded payloads of `sfu_media` on a fixed schedule. Subscribers decode nothing:
their receivers are `ForwardingReceiver`s whose sink looks the payload up in the send log
(publishers and subscribers share this process, so one monotonic clock and one dict).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpTransceiver
from aiortc.rtcconfiguration import RTCBundlePolicy
from aiortc.rtp import RtpPacket
from rapat.sfu.aiortc_hooks import (
    ForwardingReceiver,
    ForwardingSender,
    adopt_receiver,
    adopt_sender,
    bind_host_candidates,
)
from rapat.sfu.rtptime import ntp_time
from sfu_media import AUDIO_PTIME, FPS, AudioSchedule, Clip, VideoSchedule

LOOPBACK = ["127.0.0.1"]


@dataclass
class Tally:
    """One point's measurements. Only packets sent while `recording` is on count."""

    recording: bool = False
    counting: bool = False  # the CPU window: every received packet counts
    sent: dict[bytes, float] = field(default_factory=dict)
    sent_in_window: int = 0
    received_in_window: int = 0
    matched: int = 0
    latencies: list[float] = field(default_factory=list)
    tracks_receiving: set[int] = field(default_factory=set)

    def on_sent(self, payload: bytes, now: float) -> None:
        if self.recording:
            self.sent[payload] = now
            self.sent_in_window += 1

    def on_received(self, track: int, payload: bytes) -> None:
        now = time.monotonic()
        self.tracks_receiving.add(track)
        if self.counting:
            self.received_in_window += 1
        sent = self.sent.get(payload)
        if sent is not None:
            self.matched += 1
            self.latencies.append(now - sent)


class NullListener:
    """A publisher's senders ignore what the SFU reports (NACK, PLI, REMB): the clip is
    replayed as it is."""

    def on_sending(self) -> None:
        return None

    def on_nack(self, lost: list[int]) -> None:
        return None

    def on_keyframe_request(self) -> None:
        return None

    def on_bitrate(self, bitrate: int) -> None:
        return None


def new_peer_connection() -> RTCPeerConnection:
    return RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))


def bind_loopback(pc: RTCPeerConnection) -> None:
    """aioice leaves 127.0.0.1 out when it gathers; the bench runs on loopback only."""
    bind_host_candidates(pc, LOOPBACK, None, None)


REPEATED = (
    "a=candidate:",
    "a=end-of-candidates",
    "a=fingerprint:sha-384",
    "a=fingerprint:sha-512",
)


def compact_sdp(sdp: str) -> str:
    """Candidates and the sha-384/sha-512 fingerprints only in the first m-section: with
    BUNDLE the others share its transport. aiortc repeats them in every section (~1.8 kB
    each), which from 13 publishers on (26 m-lines) pushes a description past Rapat's
    signaling limit of 32,000 characters of SDP."""
    out: list[str] = []
    sections = 0
    for line in sdp.splitlines():
        if line.startswith("m="):
            sections += 1
        elif sections > 1 and line.startswith(REPEATED):
            continue
        out.append(line)
    return "\r\n".join(out) + "\r\n"


def add_publisher_tracks(
    pc: RTCPeerConnection, name: str
) -> tuple[ForwardingSender, ForwardingSender]:
    senders = []
    for kind in ("audio", "video"):
        transceiver = pc.addTransceiver(kind, direction="sendonly")
        senders.append(
            adopt_sender(transceiver.sender, name, f"{kind}-{name}", NullListener())
        )
    return senders[0], senders[1]


def adopt_subscriber_receivers(
    transceivers: Iterable[RTCRtpTransceiver], tally: Tally
) -> int:
    """Sinks for new receiving m-lines (before aiortc starts them); returns how many."""
    adopted = 0
    for transceiver in transceivers:
        receiver = transceiver.receiver
        if receiver.track is None or isinstance(receiver, ForwardingReceiver):
            continue
        track = id(transceiver)

        def sink(packet: RtpPacket, track: int = track) -> None:
            tally.on_received(track, packet.payload)

        adopt_receiver(receiver, sink)
        adopted += 1
    return adopted


async def publish_media(
    audio: ForwardingSender,
    video: ForwardingSender,
    clip: Clip,
    publisher: int,
    tally: Tally,
) -> None:
    try:
        await _publish_media(audio, video, clip, publisher, tally)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # a silent end would look like loss
        print(f"publisher {publisher} stopped: {error!r}", flush=True)
        raise


async def _publish_media(
    audio: ForwardingSender,
    video: ForwardingSender,
    clip: Clip,
    publisher: int,
    tally: Tally,
) -> None:
    """Replay audio every 20 ms and a video frame every 1/30 s, on an absolute schedule
    (no drift); each frame's packets leave back to back, as an encoder without a pacer
    sends them. Runs until cancelled."""
    video_schedule = VideoSchedule(clip, publisher)
    audio_schedule = AudioSchedule(publisher)
    audio_seq = video_seq = publisher * 1000
    start = (
        time.monotonic() + (publisher % 10) * 0.002
    )  # spread the publishers a little
    next_audio = next_video = start
    while True:
        now = time.monotonic()
        if now >= next_audio:
            payload, timestamp = audio_schedule.next_packet()
            if audio.ready:
                packet = RtpPacket(payload=payload)
                packet.extensions.audio_level = (True, 30)
                tally.on_sent(payload, time.monotonic())
                audio.forward(packet, audio_seq, timestamp, ntp_time(time.time()))
                audio_seq = (audio_seq + 1) & 0xFFFF
            next_audio += AUDIO_PTIME
        if now >= next_video:
            payloads, timestamp = video_schedule.next_frame()
            if video.ready:
                last = len(payloads) - 1
                for index, payload in enumerate(payloads):
                    packet = RtpPacket(payload=payload, marker=int(index == last))
                    tally.on_sent(payload, time.monotonic())
                    video.forward(packet, video_seq, timestamp, ntp_time(time.time()))
                    video_seq = (video_seq + 1) & 0xFFFF
            next_video += 1 / FPS
        await asyncio.sleep(max(0.0, min(next_audio, next_video) - time.monotonic()))
