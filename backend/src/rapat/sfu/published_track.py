"""A published track: the packets of one receiver, fanned out to its subscribers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import structlog
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.sfu.bitrate import BitrateBounds, target_bitrate, worth_sending
from rapat.sfu.hooks import ForwardingReceiver
from rapat.sfu.interfaces import DownTrack
from rapat.sfu.keyframe_gate import KeyframeGate
from rapat.sfu.rtptime import ntp_time

LevelListener = Callable[[int], None]

log = structlog.get_logger("rapat.sfu")


class PublishedTrack:
    def __init__(
        self,
        kind: str,
        track_id: str,
        codec: RTCRtpCodecParameters,
        keyframe_interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.kind = kind
        self.track_id = track_id
        self.codec = codec
        self.packets_in = 0
        self._receiver: ForwardingReceiver | None = None
        self._downs: list[DownTrack] = []
        # those whose sender has started (their m-line was accepted): the packets go to
        # these only, not to an m-line the subscriber answered as inactive
        self._sending: list[DownTrack] = []
        self._paused = False
        self._gate = KeyframeGate(keyframe_interval)
        self._clock = clock
        self._timer: asyncio.TimerHandle | None = None
        self.on_level: LevelListener | None = None  # audio levels (RFC 6464), -dBov
        self.bounds = BitrateBounds()
        self.requested_bitrate: int | None = None  # last REMB sent to the publisher

    def bind(self, receiver: ForwardingReceiver) -> None:
        self._receiver = receiver

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def subscribers(self) -> int:
        return len(self._downs)

    def on_packet(self, packet: RtpPacket) -> None:
        self.packets_in += 1
        if self.packets_in == 1:
            log.info("sfu_publication_first_packet", track_id=self.track_id, kind=self.kind)
        if self._paused:
            return
        level = packet.extensions.audio_level
        if level is not None and self.on_level is not None:
            self.on_level(level[1])
        ntp = ntp_time(time.time())  # the forwarding time, once for every subscriber
        for down in self._sending:  # (a write never attaches or detaches: no copy needed)
            down.write(packet, ntp)

    def attach(self, down: DownTrack) -> None:
        self._downs.append(down)

    def start_forwarding(self, down: DownTrack) -> None:
        if down in self._downs and down not in self._sending:
            self._sending.append(down)

    def detach(self, down: DownTrack) -> None:
        if down in self._downs:
            self._downs.remove(down)
        if down in self._sending:
            self._sending.remove(down)

    def set_paused(self, paused: bool) -> None:
        if paused == self._paused:
            return
        self._paused = paused
        if not paused:
            for down in self._downs:
                down.resync()
            self.request_keyframe()

    def request_keyframe(self) -> None:
        if self.kind != "video" or self._receiver is None:
            return
        delay = self._gate.request(self._clock())
        if delay == 0.0:
            # A folded request whose timer a busy loop has not run yet is due no more: this
            # one replaces it (else both go out, closer together than the interval).
            self._cancel_folded()
            self._spawn_keyframe_request()
        elif delay is not None:
            self._timer = asyncio.get_running_loop().call_later(delay, self._fire_folded)

    def _fire_folded(self) -> None:
        self._timer = None
        self._gate.fire(self._clock())
        self._spawn_keyframe_request()

    def _spawn_keyframe_request(self) -> None:
        receiver = self._receiver
        if receiver is None:
            return
        for ssrc in receiver.media_ssrcs:
            receiver.request_keyframe(ssrc)

    def bitrate_changed(self) -> None:
        """A subscriber reported its bandwidth: ask the publisher for what the slowest can
        take (adaptive bitrate)."""
        receiver = self._receiver
        if receiver is None or self.kind != "video":
            return
        estimates = [down.bitrate for down in self._downs]
        target = target_bitrate(estimates, receiver.uplink_estimate, self.bounds)
        if target is None or not worth_sending(self.requested_bitrate, target, self.bounds):
            return
        self.requested_bitrate = target
        receiver.send_remb(target, receiver.media_ssrcs)

    def _cancel_folded(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def close(self) -> None:
        self._cancel_folded()
        self._downs.clear()
        self._sending.clear()
        self._receiver = None
