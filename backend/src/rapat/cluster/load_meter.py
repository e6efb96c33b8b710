"""This process's load, read at each renewal of its record: counts as they are, rates
(CPU, forwarded packets) over the time since the last reading, smoothed so one busy
second does not send every new room elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable

from rapat.cluster.node_record import NodeLoad

SMOOTHING = 0.5  # weight of the newest reading


class LoadMeter:
    def __init__(
        self,
        participants: Callable[[], int],
        rooms: Callable[[], int],
        packets_sent: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        cpu_time: Callable[[], float] = time.process_time,
    ) -> None:
        self._participants = participants
        self._rooms = rooms
        self._packets_sent = packets_sent
        self._clock = clock
        self._cpu_time = cpu_time
        self._last = (clock(), cpu_time(), packets_sent())
        self._cpu = 0.0
        self._rate = 0.0

    def read(self) -> NodeLoad:
        now, cpu, packets = self._clock(), self._cpu_time(), self._packets_sent()
        then, cpu_then, packets_then = self._last
        elapsed = now - then
        if elapsed > 0:
            self._cpu = _smooth(self._cpu, (cpu - cpu_then) / elapsed)
            self._rate = _smooth(self._rate, max(0, packets - packets_then) / elapsed)
            self._last = (now, cpu, packets)
        return NodeLoad(
            participants=self._participants(),
            rooms=self._rooms(),
            packets_per_second=round(self._rate, 1),
            cpu=round(self._cpu, 3),
        )


def _smooth(previous: float, sample: float) -> float:
    return previous + SMOOTHING * (sample - previous)
