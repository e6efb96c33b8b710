"""One subscriber's copy of a published track: rewritten, cached for NACKs, fed back."""

from __future__ import annotations

import structlog
from aiortc.rtp import RtpPacket

from rapat.sfu.hooks import ForwardingSender, detach_sender
from rapat.sfu.interfaces import UpTrack
from rapat.sfu.packet_cache import PacketCache
from rapat.sfu.sequence import SequenceRewriter

log = structlog.get_logger("rapat.sfu")


class SubscriberTrack:
    __slots__ = (
        "_cache",
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

    def __init__(self, up: UpTrack, cache_size: int = 512, subscriber: str = "") -> None:
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

    def bind(self, sender: ForwardingSender) -> None:
        self._sender = sender

    def write(self, packet: RtpPacket, ntp: int) -> None:
        sender = self._sender
        if sender is None:
            return
        if not self._started:
            if not sender.ready:
                return
            # The subscriber's decoder needs a keyframe to start from.
            self._started = True
            self.up.request_keyframe()
            # (once per subscription: with `sfu_subscription_sending`, tells a subscription
            # that never forwarded from one whose publisher sent nothing)
            self._log("sfu_subscription_forwarding")
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

    def resync(self) -> None:
        self._rewriter.resync()

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
