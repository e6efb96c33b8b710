"""A published track: the packets of one receiver, fanned out to its subscribers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

import structlog
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtcpSrPacket, RtpPacket

from rapat.codecs.picture_size import keyframe_size
from rapat.sfu.bitrate import BitrateBounds, target_bitrate, worth_sending
from rapat.sfu.hooks import ForwardingReceiver
from rapat.sfu.interfaces import DownTrack, FrameBox, OversizeListener, TrackTap
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
        self._box: FrameBox | None = None  # the largest picture forwarded (a room's cap)
        self._withholding = False  # since a keyframe larger than the box, until one fits
        self.keyframes_refused = 0
        self._cap_unsent = False  # a cap's REMB waits for the publisher's first packet
        self.on_oversize: OversizeListener | None = None
        self._taps: tuple[TrackTap, ...] = ()  # recorders (a tuple: the loop reads it lock-free)

    def bind(self, receiver: ForwardingReceiver) -> None:
        self._receiver = receiver

    @property
    def mime_type(self) -> str:
        return self.codec.mimeType

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
        if self._cap_unsent:  # its SSRC is known now: the REMB can be addressed
            self._cap_unsent = False
            self.bitrate_changed()
        if self._paused:
            return
        now = time.time()
        for tap in self._taps:  # what was published, before the cap withholds any
            tap.on_rtp(packet, now)
        if self._box is not None and not self._admit(packet):
            return
        level = packet.extensions.audio_level
        if level is not None and self.on_level is not None:
            self.on_level(level[1])
        ntp = ntp_time(now)  # the forwarding time, once for every subscriber
        for down in self._sending:  # (a write never attaches or detaches: no copy needed)
            down.write(packet, ntp)

    def on_sender_report(self, report: RtcpSrPacket) -> None:
        """The publisher's sender report, passed to the taps when it is about the media
        SSRC (not RTX): it maps the track's RTP clock to the publisher's wall clock."""
        receiver = self._receiver
        if self._taps and receiver is not None and report.ssrc in receiver.media_ssrcs:
            for tap in self._taps:
                tap.on_sender_report(report)

    def add_tap(self, tap: TrackTap) -> None:
        if tap not in self._taps:
            self._taps = (*self._taps, tap)

    def remove_tap(self, tap: TrackTap) -> None:
        self._taps = tuple(t for t in self._taps if t is not tap)

    def limit_video(self, box: FrameBox | None, max_bitrate: int | None) -> None:
        """Forward no picture larger than `box` and ask the publisher to send at most
        `max_bitrate` (None: no cap). A stream over the box is withheld from its next
        keyframe on, and forwarded again from the first keyframe that fits."""
        if self.kind != "video":
            return
        self._box = box
        self.bounds = replace(self.bounds, ceiling=max_bitrate or BitrateBounds().ceiling)
        self.requested_bitrate = None  # the new ceiling goes out even if the target is near
        self._cap_unsent = max_bitrate is not None and not self._can_send_remb()
        if self._withholding:
            if box is None:
                self._resume_fitting()
            self.request_keyframe()  # its size decides whether the stream fits now
        self.bitrate_changed()

    def _can_send_remb(self) -> bool:
        return self._receiver is not None and bool(self._receiver.media_ssrcs)

    def _admit(self, packet: RtpPacket) -> bool:
        size = keyframe_size(self.codec.mimeType, packet.payload)
        if size is None or self._box is None:
            return not self._withholding
        fits = self._box.fits(*size)
        if not fits:
            self.keyframes_refused += 1
        if not fits and not self._withholding:
            self._withholding = True
            log.warning("sfu_video_over_cap", track_id=self.track_id, width=size[0], height=size[1])
            if self.on_oversize is not None:
                self.on_oversize(*size)
        elif fits and self._withholding:
            self._resume_fitting()
        return fits

    def _resume_fitting(self) -> None:
        self._withholding = False
        for down in self._downs:
            down.resync()

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
        if receiver is None or self.kind != "video" or not receiver.media_ssrcs:
            return  # (nothing received yet: a REMB would have no address)
        estimates = [down.bitrate for down in self._downs]
        target = target_bitrate(estimates, receiver.uplink_estimate, self.bounds)
        if target is None and self._box is not None:
            target = self.bounds.ceiling  # nobody reported yet: the cap holds from the start
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
        self._taps = ()
        self._downs.clear()
        self._sending.clear()
        self._receiver = None
