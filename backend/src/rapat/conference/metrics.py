"""The SFU in Prometheus: read from the live conference at each scrape (nothing is counted
on the packet path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from rapat.conference.registry import Conference

ConferenceSource = Callable[[], Conference | None]


class SfuCollector(Collector):
    """`source` gives the running conference (None before start-up or without an SFU)."""

    def __init__(self, source: ConferenceSource) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        conference = self._source()
        if conference is None:
            return
        now = conference.snapshot()
        gauges = (
            ("rapat_sfu_rooms", "Rooms with media on this node.", now.rooms),
            ("rapat_sfu_participants", "Media sessions on this node.", now.participants),
            ("rapat_sfu_published_tracks", "Tracks being published.", now.published_tracks),
            ("rapat_sfu_subscriptions", "Tracks being forwarded to someone.", now.subscriptions),
        )
        for name, text, value in gauges:
            yield GaugeMetricFamily(name, text, value=value)
        counts = now.forwarding
        counters = (
            (
                "rapat_sfu_packets_received",
                "RTP packets received from publishers.",
                counts.packets_in,
            ),
            ("rapat_sfu_packets_forwarded", "RTP packets sent to subscribers.", counts.packets_out),
            (
                "rapat_sfu_forwarded_bytes",
                "Bytes of RTP sent to subscribers (before SRTP).",
                counts.bytes_out,
            ),
            (
                "rapat_sfu_packets_retransmitted",
                "Packets resent to subscribers after a NACK.",
                counts.retransmitted,
            ),
            (
                "rapat_sfu_nacked_packets",
                "Packets subscribers reported lost (the sequence numbers of their NACKs).",
                counts.nacked,
            ),
            (
                "rapat_sfu_keyframe_requests",
                "Keyframe requests (PLI, FIR) from subscribers.",
                counts.keyframe_requests,
            ),
        )
        for name, text, value in counters:
            yield CounterMetricFamily(name, text, value=value)


def register_sfu_metrics(registry: CollectorRegistry, source: ConferenceSource) -> SfuCollector:
    collector = SfuCollector(source)
    registry.register(collector)
    return collector
