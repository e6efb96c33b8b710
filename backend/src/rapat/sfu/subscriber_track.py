"""One subscriber's copy of a published track: rewritten, cached for NACKs, fed back."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from aiortc.rtp import RtpPacket

from rapat.codecs.keyframe_start import starts_keyframe
from rapat.sfu.forward_gate import ForwardGate, Step
from rapat.sfu.hooks import ForwardingSender, detach_sender
from rapat.sfu.interfaces import UpTrack
from rapat.sfu.packet_cache import PacketCache
from rapat.sfu.sequence import SequenceRewriter

log = structlog.get_logger("rapat.sfu")


class SubscriberTrack:
    __slots__ = (
        "_cache",
        "_clock",
        "_gate",
        "_mime",
        "_rewriter",
        "_sender",
        "_started",
        "bitrate",
        "bytes_out",
        "keyframe_requests",
        "kind",
        "nacked",
        "packets_out",
        "retransmitted",
        "subscriber",
        "up",
    )

    def __init__(
        self,
        up: UpTrack,
        cache_size: int = 512,
        subscriber: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.up = up
        # Named in the log lines: their request_id is the context of whichever task ran
        # them (a soak saw another member's), so it cannot tell whose subscription it is.
        self.subscriber = subscriber
        self.kind = up.kind
        # Plain counts, read by the metrics at each scrape (decision 60).
        self.packets_out = 0
        self.bytes_out = 0  # RTP packets as sent, before SRTP
        self.retransmitted = 0
        self.nacked = 0  # sequence numbers the subscriber reported lost
        self.keyframe_requests = 0  # PLI/FIR from the subscriber
        self.bitrate: int | None = None  # the subscriber's last REMB estimate, bits/s
        self._sender: ForwardingSender | None = None
        self._rewriter = SequenceRewriter()
        self._cache = PacketCache(cache_size) if up.kind == "video" else None
        self._started = False
        # Video starts and resumes at a keyframe only (audio has none: it always flows).
        self._gate = ForwardGate() if up.kind == "video" else None
        self._mime = up.mime_type
        self._clock = clock

    def bind(self, sender: ForwardingSender) -> None:
        self._sender = sender

    def write(self, packet: RtpPacket, ntp: int, layer: int = 0) -> None:
        sender = self._sender
        if sender is None:
            return
        if not self._started:
            if not sender.ready:
                return
            # The subscriber's decoder needs a keyframe to start from.
            self._started = True
            self._restart()
            # (once per subscription: with `sfu_subscription_sending`, tells a subscription
            # that never forwarded from one whose publisher sent nothing)
            self._log("sfu_subscription_forwarding")
        gate = self._gate
        if gate is not None and not gate.open and not self._admit(gate, packet):
            return
        mapped = self._rewriter.rewrite(packet.sequence_number, packet.timestamp)
        if mapped is None:
            return
        seq = mapped[0]
        data = sender.forward(packet, seq, mapped[1], ntp)
        if data is None:  # not connected (any more): nothing sent
            return
        self.packets_out += 1
        self.bytes_out += len(data)
        if self._cache is not None:
            self._cache.put(seq, data)

    def _admit(self, gate: ForwardGate, packet: RtpPacket) -> bool:
        """Whether a packet goes through a closed gate (only then is the payload read)."""
        if gate.hidden:
            return False
        step = gate.admit(starts_keyframe(self._mime, packet.payload), self._clock())
        if step is Step.DROP_AND_ASK:
            self.up.request_keyframe()
        return step is Step.FORWARD

    def _restart(self) -> None:
        self._rewriter.resync()
        if self._gate is not None and self._gate.restart(self._clock()):
            self.up.request_keyframe()

    def resync(self) -> None:
        # (the published track asks for the keyframe, once for all its subscribers)
        self._rewriter.resync()
        if self._gate is not None:
            self._gate.restart(self._clock())

    def reselect(self) -> None:
        """(A single stream has no layers to choose from.)"""

    def set_tile(self, size: tuple[int, int] | None) -> None:
        """(A single stream is forwarded whatever the tile's size.)"""

    @property
    def hidden(self) -> bool:
        return self._gate is not None and self._gate.hidden

    def set_hidden(self, hidden: bool) -> None:
        """The subscriber does not show this video (or shows it again): forward nothing to
        it, then resume at a keyframe, asked for at once. Audio always flows."""
        gate = self._gate
        if gate is None or hidden == gate.hidden:
            return
        self._rewriter.resync()
        if gate.set_hidden(hidden, self._clock()) and self._started:
            self.up.request_keyframe()
        self._log("sfu_subscription_hidden" if hidden else "sfu_subscription_shown")

    # RtcpListener: what the subscriber reports about this stream.
    def on_nack(self, lost: list[int]) -> None:
        self.nacked += len(lost)
        sender = self._sender
        if self._cache is None or sender is None:
            return
        for seq in lost:
            data = self._cache.get(seq)
            if data is None:
                continue
            try:
                sender.resend(data)
            except ConnectionError:
                return
            self.retransmitted += 1

    def on_sending(self) -> None:
        self._log("sfu_subscription_sending")
        self.up.start_forwarding(self)

    def _log(self, event: str) -> None:
        log.info(event, subscriber=self.subscriber, track_id=self.up.track_id, kind=self.kind)

    def on_keyframe_request(self) -> None:
        self.keyframe_requests += 1
        self.up.request_keyframe()

    def on_bitrate(self, bitrate: int) -> None:
        self.bitrate = bitrate
        self.up.bitrate_changed()

    async def close(self) -> None:
        self.up.detach(self)
        if self._sender is not None:
            detach_sender(self._sender)
            self._sender = None
