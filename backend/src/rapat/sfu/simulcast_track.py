"""One subscriber's copy of a simulcast video: one layer at a time, as one continuous stream.

The copy forwards the packets of its current layer and drops the others. It aims at the
layer `choose_layer` gives for its tile and its share of the subscriber's bandwidth, asks
the publisher for a keyframe of that layer and switches there (`LayerSwitch`). At a switch
the stream is rebased so the subscriber's decoder sees no seam: sequence numbers carry on
from the last one sent, the timestamp advances by the wall-clock time since the last packet
(the layers' RTP clocks have origins of their own) and VP8 picture ids and TL0PICIDX carry
on (`PictureRewriter`). A (re)start or a video shown again waits for a keyframe of the
target layer, as a single stream's copy waits for any keyframe.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from aiortc.rtp import RtpPacket

from rapat.codecs.keyframe_start import starts_keyframe
from rapat.sfu.interfaces import UpTrack
from rapat.sfu.layer_choice import choose_layer
from rapat.sfu.layer_switch import LayerSwitch, Verdict
from rapat.sfu.picture_rewriter import PictureRewriter
from rapat.sfu.sequence import TS_MOD
from rapat.sfu.subscriber_track import SubscriberTrack

ShareCount = Callable[[], int]


class SimulcastTrack(SubscriberTrack):
    __slots__ = (
        "_clock_rate",
        "_last_sent_at",
        "_last_ts_out",
        "_pictures",
        "_share",
        "_switch",
        "_tile",
    )

    def __init__(
        self,
        up: UpTrack,
        cache_size: int = 512,
        subscriber: str = "",
        clock: Callable[[], float] = time.monotonic,
        *,
        share: ShareCount | None = None,
        clock_rate: int = 90_000,
    ) -> None:
        super().__init__(up, cache_size, subscriber, clock)
        layers = up.layer_views()
        self._switch = LayerSwitch(target=max(0, len(layers) - 1))
        self._pictures = PictureRewriter()
        self._tile: tuple[int, int] | None = None
        self._share = share  # how many videos share the subscriber's bandwidth
        self._clock_rate = clock_rate
        self._last_ts_out: int | None = None
        self._last_sent_at = 0.0

    @property
    def layer(self) -> int | None:
        """The layer forwarded now (None: waiting for a keyframe to start from)."""
        return self._switch.current

    @property
    def target_layer(self) -> int:
        return self._switch.target

    @property
    def layer_switches(self) -> int:
        return self._switch.switches

    def write(self, packet: RtpPacket, ntp: int, layer: int = 0) -> None:
        sender = self._sender
        if sender is None:
            return
        if not self._started:
            if not sender.ready:
                return
            self._started = True
            self._restart()
            self._log("sfu_subscription_forwarding")
        gate = self._gate
        if gate is not None and gate.hidden:
            return
        switch = self._switch
        if layer != switch.current:
            starts = layer == switch.target and starts_keyframe(self._mime, packet.payload)
            verdict = switch.admit(layer, starts, self._clock())
            if verdict is Verdict.DROP_AND_ASK:
                self.up.request_keyframe(switch.target)
            if verdict is not Verdict.SWITCH:
                return
            self._rebase(packet)
        mapped = self._rewriter.rewrite(packet.sequence_number, packet.timestamp)
        if mapped is None:
            return
        seq, timestamp = mapped
        data = sender.forward(packet, seq, timestamp, ntp, self._pictures.rewrite(packet.payload))
        if data is None:
            return
        self._last_ts_out = timestamp
        self._last_sent_at = self._clock()
        self.packets_out += 1
        self.bytes_out += len(data)
        if self._cache is not None:
            self._cache.put(seq, data)

    def _rebase(self, packet: RtpPacket) -> None:
        """`packet` starts a keyframe of another layer (or the first one): continue the
        numbering from what was sent last."""
        self._rewriter.resync()
        self._pictures.switch()
        if self._last_ts_out is not None:
            elapsed = max(0.0, self._clock() - self._last_sent_at)
            ticks = max(1, int(elapsed * self._clock_rate))
            self._rewriter.retime(packet.timestamp, (self._last_ts_out + ticks) % TS_MOD)

    def _restart(self) -> None:
        now = self._clock()
        self._switch.restart(now)
        self.reselect()
        if not self.hidden:
            self.up.request_keyframe(self._switch.target)

    def resync(self) -> None:
        # (the published track asks for the keyframe, once for all its subscribers)
        self._switch.restart(self._clock())

    def set_hidden(self, hidden: bool) -> None:
        gate = self._gate
        if gate is None or hidden == gate.hidden:
            return
        gate.set_hidden(hidden, self._clock())
        if not hidden and self._started:
            self._restart()
        self._log("sfu_subscription_hidden" if hidden else "sfu_subscription_shown")

    def set_tile(self, size: tuple[int, int] | None) -> None:
        self._tile = size
        self.reselect()

    def on_bitrate(self, bitrate: int) -> None:
        super().on_bitrate(bitrate)
        self.reselect()

    def reselect(self) -> None:
        """Aim at the layer the tile and the bandwidth call for; ask for its keyframe."""
        budget = self.bitrate
        if budget is not None and self._share is not None:
            budget //= max(1, self._share())
        choice = choose_layer(self.up.layer_views(), budget, self._tile, self._switch.current)
        if choice is None:
            return
        now = self._clock()
        if self._switch.choose(choice, now) and self._started and not self.hidden:
            self.up.request_keyframe(choice)
