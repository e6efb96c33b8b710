"""Signaling in Prometheus, read from the hub and the user channels at each scrape:
WebSockets open, seats waiting for a reconnect, and how joins went (decision 60)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from rapat.signaling.hub import SignalingHub
from rapat.signaling.user_endpoint import UserChannelServer


@dataclass(frozen=True, slots=True)
class SignalingParts:
    hub: SignalingHub
    user_channels: UserChannelServer


SignalingSource = Callable[[], SignalingParts | None]


class SignalingCollector(Collector):
    """`source` gives the running signaling (None before start-up and after shutdown)."""

    def __init__(self, source: SignalingSource) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        parts = self._source()
        if parts is None:
            return
        stats = parts.hub.stats()
        sockets = GaugeMetricFamily(
            "rapat_ws_connections",
            "WebSockets open on this node, by endpoint.",
            labels=["endpoint"],
        )
        sockets.add_metric(["meeting"], stats.connections)  # /ws
        sockets.add_metric(["user"], parts.user_channels.open_channels)  # /ws/user
        yield sockets
        yield GaugeMetricFamily(
            "rapat_signaling_seats_in_grace",
            "Meeting seats whose socket dropped, kept for a reconnect (the grace period).",
            value=stats.grace_timers,
        )
        joins = parts.hub.joins
        outcomes = CounterMetricFamily(
            "rapat_signaling_joins",
            "Meeting joins by outcome: joined, refused (the client's fault), failed (ours).",
            labels=["outcome"],
        )
        for outcome, count in joins.outcomes.items():
            outcomes.add_metric([outcome], count)
        yield outcomes
        yield HistogramMetricFamily(
            "rapat_signaling_join_duration_seconds",
            "From a meeting socket's accept to its room_state (authentication, admission).",
            buckets=joins.cumulative_buckets(),
            sum_value=joins.duration_sum,
        )


def register_signaling_metrics(
    registry: CollectorRegistry, source: SignalingSource
) -> SignalingCollector:
    collector = SignalingCollector(source)
    registry.register(collector)
    return collector
