"""A published track: the packets of one receiver, fanned out to its subscribers.

A simulcast video (decision 68) hands each packet on with the index of its layer; every
subscriber's copy forwards the one layer it is on. Recorders get the top layer only."""

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
from rapat.sfu.layer_choice import LayerView
from rapat.sfu.rtptime import ntp_time
from rapat.sfu.simulcast_layers import SimulcastLayers

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
        *,
        simulcast: tuple[str, ...] = (),
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
        # the layers of a simulcast video (by the client's rids, low to high), else None
        self.simulcast = SimulcastLayers(simulcast) if len(simulcast) > 1 else None
        self._layer_gates = [KeyframeGate(keyframe_interval) for _ in simulcast]
        self._layer_timers: dict[int, asyncio.TimerHandle] = {}

    def bind(self, receiver: ForwardingReceiver) -> None:
        self._receiver = receiver
        if self.simulcast is not None:
            self.simulcast.rid_of = receiver.rid_of

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
        layer = 0
        if self.simulcast is not None:
            layer = self._layer_of(packet, now)
            if layer < 0:
                return  # a layer whose rid is not known (yet)
        else:
            for tap in self._taps:  # what was published, before the cap withholds any
                tap.on_rtp(packet, now)
            if self._box is not None and not self._admit(packet):
                return
        level = packet.extensions.audio_level
        if level is not None and self.on_level is not None:
            self.on_level(level[1])
        ntp = ntp_time(now)  # the forwarding time, once for every subscriber
        for down in self._sending:  # (a write never attaches or detaches: no copy needed)
            down.write(packet, ntp, layer)

    def _layer_of(self, packet: RtpPacket, now: float) -> int:
        """A simulcast packet's layer (-1: unknown), counted; the top layer goes to the
        recorders."""
        assert self.simulcast is not None
        layer = self.simulcast.of(packet.ssrc)
        if layer is None:
            return -1
        if layer.count(packet, self.codec.mimeType, now):
            self._layers_measured()
        if layer.index == self.simulcast.top:
            for tap in self._taps:
                tap.on_rtp(packet, now)
        return layer.index

    def _layers_measured(self) -> None:
        """A layer's bitrate was measured afresh: each subscriber may choose again."""
        for down in self._sending:
            down.reselect()

    def layer_views(self) -> list[LayerView]:
        """What each simulcast layer offers now (none for a single stream). A layer whose
        pictures are larger than the room's cap counts as inactive: never chosen."""
        if self.simulcast is None:
            return []
        views = self.simulcast.views(time.time())
        box = self._box
        if box is None:
            return views
        return [
            view
            if not view.width or box.fits(view.width, view.height)
            else replace(view, active=False)
            for view in views
        ]

    def on_sender_report(self, report: RtcpSrPacket) -> None:
        """The publisher's sender report, passed to the taps when it is about the media
        SSRC (not RTX): it maps the track's RTP clock to the publisher's wall clock."""
        receiver = self._receiver
        if self.simulcast is not None:
            top = self.simulcast.layers[-1].ssrc
            if self._taps and report.ssrc == top:
                for tap in self._taps:
                    tap.on_sender_report(report)
            return
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

    def request_keyframe(self, layer: int | None = None) -> None:
        """Ask the publisher for a keyframe (of one simulcast layer, or of every stream)."""
        if self.kind != "video" or self._receiver is None:
            return
        if layer is not None and self.simulcast is not None:
            self._request_layer_keyframe(layer)
            return
        delay = self._gate.request(self._clock())
        if delay == 0.0:
            # A folded request whose timer a busy loop has not run yet is due no more: this
            # one replaces it (else both go out, closer together than the interval).
            self._cancel_folded()
            self._spawn_keyframe_request()
        elif delay is not None:
            self._timer = asyncio.get_running_loop().call_later(delay, self._fire_folded)

    def _request_layer_keyframe(self, index: int) -> None:
        """A PLI for one layer's SSRC, folded per layer as `request_keyframe` folds."""
        if self.simulcast is None or not 0 <= index < len(self._layer_gates):
            return
        delay = self._layer_gates[index].request(self._clock())
        if delay == 0.0:
            timer = self._layer_timers.pop(index, None)
            if timer is not None:
                timer.cancel()
            self._send_layer_pli(index)
        elif delay is not None:
            loop = asyncio.get_running_loop()
            self._layer_timers[index] = loop.call_later(delay, self._fire_layer, index)

    def _fire_layer(self, index: int) -> None:
        self._layer_timers.pop(index, None)
        self._layer_gates[index].fire(self._clock())
        self._send_layer_pli(index)

    def _send_layer_pli(self, index: int) -> None:
        ssrc = self.simulcast.layers[index].ssrc if self.simulcast is not None else None
        if ssrc is not None and self._receiver is not None:
            self._receiver.request_keyframe(ssrc)

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
        # A simulcast publisher keeps every layer going (each subscriber picks one); a
        # single stream is held to what its slowest subscriber takes.
        estimates = [down.bitrate for down in self._downs] if self.simulcast is None else []
        target = target_bitrate(estimates, receiver.uplink_estimate, self.bounds)
        if target is None and (self._box is not None or self.simulcast is not None):
            target = self.bounds.ceiling  # nobody reported yet: the cap holds from the start
        if target is None or not worth_sending(self.requested_bitrate, target, self.bounds):
            return
        self.requested_bitrate = target
        receiver.send_remb(target, receiver.media_ssrcs)

    def _cancel_folded(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for timer in self._layer_timers.values():
            timer.cancel()
        self._layer_timers.clear()

    async def close(self) -> None:
        self._cancel_folded()
        self._taps = ()
        self._downs.clear()
        self._sending.clear()
        self._receiver = None
