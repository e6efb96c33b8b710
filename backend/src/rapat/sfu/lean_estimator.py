"""Cheaper parts for aiortc's receive-side bandwidth estimator (`RemoteBitrateEstimator`),
which the SFU runs on every publisher's video to tell it what its uplink carries. Each gives
the same figures as the part it replaces (the tests compare them).

- aiortc's `RateCounter` keeps one bucket per millisecond of its window (1,000 objects per
  video receiver) and walks every millisecond that passed on each call: the estimator calls
  it twice per video packet, about a tenth of the SFU's CPU at 8 publishers x 8
  subscribers. `WindowRate` keeps the packets themselves, each added and dropped once.
- `OveruseEstimator.update_min_frame_period` takes the minimum of its 60 last frame periods
  in a Python loop, once per frame; `LeanOveruseEstimator` asks `min` for it.
- `BatchedEstimator` hands the packets to the estimator every 50 ms instead of one by one.
"""

from __future__ import annotations

from collections import deque

from aiortc.rate import MIN_FRAME_PERIOD_HISTORY_LENGTH, OveruseEstimator, RemoteBitrateEstimator

BATCH_WAIT_MS = 50  # the longest a packet waits for the estimator
BATCH_LIMIT = 64  # packets; also bounds the queue when the wall clock steps back


def make_lean(estimator: RemoteBitrateEstimator) -> None:
    """Swap the estimator's rate counter and overuse estimator for the lean ones (before
    its first packet; the overuse estimator keeps its state)."""
    estimator.incoming_bitrate = WindowRate(1000, 8000)  # type: ignore[assignment]  # (aiortc's window and scale)
    estimator.estimator.__class__ = LeanOveruseEstimator


class LeanOveruseEstimator(OveruseEstimator):
    def update_min_frame_period(self, ts_delta: float) -> float:
        history = self.ts_delta_hist
        if len(history) >= MIN_FRAME_PERIOD_HISTORY_LENGTH:
            history.pop(0)
        least = min(history, default=ts_delta)
        history.append(ts_delta)
        return ts_delta if ts_delta < least else least


class WindowRate:
    """Drop-in for aiortc's `RateCounter(window_size, scale)`: `add`, `rate`, `reset`."""

    def __init__(self, window_size: int, scale: int = 8000) -> None:
        self._window_size = window_size
        self._scale = scale
        self._entries: deque[tuple[int, int]] = deque()  # (millisecond, value), oldest first
        self._origin_ms: int | None = None
        self._count = 0
        self._total = 0

    def add(self, value: int, now_ms: int) -> None:
        if self._origin_ms is None:
            self._origin_ms = now_ms
        else:
            self._erase_old(now_ms)
        # (a clock step back files the value at the window's start, where aiortc's ring
        # would wrap it: either way it counts until the window passes it)
        self._entries.append((max(now_ms, self._origin_ms), value))
        self._count += 1
        self._total += value

    def rate(self, now_ms: int) -> int | None:
        if self._origin_ms is None:
            return None
        self._erase_old(now_ms)
        active_window_size = now_ms - self._origin_ms + 1
        if self._count > 0 and active_window_size > 1:
            return round(self._scale * self._total / active_window_size)
        return None

    def reset(self) -> None:
        self._entries.clear()
        self._origin_ms = None
        self._count = self._total = 0

    def _erase_old(self, now_ms: int) -> None:
        new_origin_ms = now_ms - self._window_size + 1
        assert self._origin_ms is not None
        if self._origin_ms >= new_origin_ms:
            return
        entries = self._entries
        while entries and entries[0][0] < new_origin_ms:
            _, value = entries.popleft()
            self._count -= 1
            self._total -= value
        self._origin_ms = new_origin_ms


class BatchedEstimator:
    """Feeds the estimator the packets of the last `wait_ms` together, in arrival order and
    with their arrival times, so its estimates are the ones it gives packet by packet; they
    only come out up to `wait_ms` later (its feedback interval is 500 ms). On a meeting's
    load a video packet arrives every ~15 ms, the server idle in between, and the
    estimator's code and state are out of the CPU's caches by then: run for one packet it
    cost ~25 µs, about as much as forwarding the packet to four subscribers.

    A due batch (60-80 µs of work) waits for the end of a frame (the packet with the marker
    bit): run on the frame's first packet, it would hold back the rest of that frame, which
    arrives at the same time. Without a frame's end (its last packet lost) it runs one more
    `wait_ms` on."""

    __slots__ = ("_add", "_due_ms", "_limit", "_pending", "_wait_ms")

    def __init__(
        self,
        estimator: RemoteBitrateEstimator,
        wait_ms: int = BATCH_WAIT_MS,
        limit: int = BATCH_LIMIT,
    ) -> None:
        self._add = estimator.add
        self._pending: list[tuple[int, int, int, int]] = []
        self._due_ms = 0
        self._wait_ms = wait_ms
        self._limit = limit

    def add(
        self, arrival_ms: int, abs_send_time: int, size: int, ssrc: int, frame_end: bool
    ) -> int | None:
        """Queue one packet; returns the newest estimate (bits/s) when the queue ran
        through the estimator and it gave one."""
        pending = self._pending
        pending.append((arrival_ms, abs_send_time, size, ssrc))
        if len(pending) == 1:
            self._due_ms = arrival_ms + self._wait_ms
            return None
        if len(pending) < self._limit and (
            arrival_ms < self._due_ms
            or (not frame_end and arrival_ms < self._due_ms + self._wait_ms)
        ):
            return None
        return self.flush()

    def flush(self) -> int | None:
        estimate = None
        add = self._add
        for arrival_ms, abs_send_time, size, ssrc in self._pending:
            remb = add(arrival_ms, abs_send_time, size, ssrc)
            if remb is not None:
                estimate = remb[0]
        self._pending.clear()
        return estimate
