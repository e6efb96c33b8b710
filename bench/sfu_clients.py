"""aiortc publishers and subscribers for the SFU benchmark, and what they measure.

Publishers encode nothing: their senders are Rapat's `ForwardingSender` (no encoder task),
fed the pre-encoded payloads of `sfu_media` on a fixed schedule. Subscribers decode nothing:
their receivers are `ForwardingReceiver`s whose sink looks the payload up in the send log
(publishers and subscribers share this process, so one monotonic clock and one dict).
"""

from __future__ import annotations

import asyncio
import fcntl
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpTransceiver
from aiortc.rtcconfiguration import RTCBundlePolicy
from aiortc.rtp import RtpPacket

from rapat.sfu.hooks import (
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
    """One point's measurements. Only packets sent while `recording` is on count.

    A copy's latency runs from just before its publisher protected and sent the packet to
    the moment it reached the subscriber's socket (`latencies`, the kernel's receive
    timestamp) and to the moment this process read it (`read_latencies`). The second adds
    the load generator's own queue: a copy that arrives while the generator is still
    sending a frame waits for it."""

    recording: bool = False
    counting: bool = False  # the CPU window: every received packet counts
    sent: dict[bytes, float] = field(default_factory=dict)
    sent_in_window: int = 0
    received_in_window: int = 0
    matched: int = 0
    latencies: list[float] = field(default_factory=list)
    read_latencies: list[float] = field(default_factory=list)
    tracks_receiving: set[int] = field(default_factory=set)

    def on_sent(self, payload: bytes, now: float) -> None:
        if self.recording:
            self.sent[payload] = now
            self.sent_in_window += 1

    def on_received(self, track: int, payload: bytes, arrived: float | None) -> None:
        now = time.monotonic()
        self.tracks_receiving.add(track)
        if self.counting:
            self.received_in_window += 1
        sent = self.sent.get(payload)
        if sent is not None:
            self.matched += 1
            self.read_latencies.append(now - sent)
            if arrived is not None:
                self.latencies.append(arrived - sent)


SIOCGSTAMPNS = 0x8907  # <linux/sockios.h>


class SocketArrival:
    """When the datagram being handled reached a subscriber's socket, on the monotonic
    clock: the kernel's receive timestamp of the socket's last datagram (SIOCGSTAMPNS),
    read while its callback runs (the receive path is synchronous). The kernel stamps in
    wall-clock time; the offset to the monotonic clock is taken once (a clock step during
    a point would show as an outlier). The first call turns stamping on and has none."""

    def __init__(self, transceiver: RTCRtpTransceiver) -> None:
        self._transceiver = transceiver
        self._fd: int | None = None
        self._offset = time.time() - time.monotonic()

    def __call__(self) -> float | None:
        if self._fd is None:
            pair = self._transceiver.receiver.transport.transport._connection._nominated[1]
            self._fd = pair.protocol.transport.get_extra_info("socket").fileno()
        try:
            stamp = fcntl.ioctl(self._fd, SIOCGSTAMPNS, bytes(16))
        except OSError:  # ENOENT: nothing stamped yet
            return None
        seconds: int
        nanoseconds: int
        seconds, nanoseconds = struct.unpack("qq", stamp)
        return seconds + nanoseconds / 1e9 - self._offset


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
        senders.append(adopt_sender(transceiver.sender, name, f"{kind}-{name}", NullListener()))
    return senders[0], senders[1]


def adopt_subscriber_receivers(transceivers: Iterable[RTCRtpTransceiver], tally: Tally) -> int:
    """Sinks for new receiving m-lines (before aiortc starts them); returns how many."""
    adopted = 0
    for transceiver in transceivers:
        receiver = transceiver.receiver
        if receiver.track is None or isinstance(receiver, ForwardingReceiver):
            continue
        track = id(transceiver)
        arrival = SocketArrival(transceiver)

        def sink(packet: RtpPacket, track: int = track, arrival: SocketArrival = arrival) -> None:
            tally.on_received(track, packet.payload, arrival())

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
    """Replay audio every 20 ms and a video frame every 1/30 s, on an absolute schedule
    (no drift); each frame's packets leave back to back, as an encoder without a pacer
    sends them. Runs until cancelled; any other end is printed (silent, it would look
    like loss)."""
    try:
        video_schedule = VideoSchedule(clip, publisher)
        audio_schedule = AudioSchedule(publisher)
        audio_seq = video_seq = publisher * 1000
        start = time.monotonic() + (publisher % 10) * 0.002  # spread the publishers a little
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
    except asyncio.CancelledError:
        raise
    except Exception as error:
        print(f"publisher {publisher} stopped: {error!r}", flush=True)
        raise
