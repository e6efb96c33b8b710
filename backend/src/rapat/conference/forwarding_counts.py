"""What the SFU counted for the metrics: plain sums of the peers' counters, read at each
scrape (nothing is counted per packet for Prometheus)."""

from __future__ import annotations

from dataclasses import dataclass

from rapat.sfu.interfaces import ForwardedStream


@dataclass
class ForwardingCounts:
    packets_in: int = 0  # RTP packets received from publishers
    packets_out: int = 0  # RTP packets sent to subscribers
    bytes_out: int = 0  # their size as RTP (before SRTP)
    retransmitted: int = 0  # packets resent to subscribers after a NACK
    nacked: int = 0  # packets subscribers reported lost
    keyframe_requests: int = 0  # PLI/FIR from subscribers

    def add_down(self, down: ForwardedStream) -> None:
        """Add one subscriber's copy of a track."""
        self.packets_out += down.packets_out
        self.bytes_out += down.bytes_out
        self.retransmitted += down.retransmitted
        self.nacked += down.nacked
        self.keyframe_requests += down.keyframe_requests

    def plus(self, other: ForwardingCounts) -> ForwardingCounts:
        return ForwardingCounts(
            packets_in=self.packets_in + other.packets_in,
            packets_out=self.packets_out + other.packets_out,
            bytes_out=self.bytes_out + other.bytes_out,
            retransmitted=self.retransmitted + other.retransmitted,
            nacked=self.nacked + other.nacked,
            keyframe_requests=self.keyframe_requests + other.keyframe_requests,
        )
