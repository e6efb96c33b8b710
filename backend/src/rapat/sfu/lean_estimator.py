"""Cheaper parts for aiortc's receive-side bandwidth estimator (`RemoteBitrateEstimator`),
which the SFU runs on every publisher's video to tell it what its uplink carries. Each gives
the same figures as the part it replaces (the tests compare them).

- aiortc's `RateCounter` keeps one bucket per millisecond of its window (1,000 objects per
  video receiver) and walks every millisecond that passed on each call: the estimator calls
  it twice per video packet, about a tenth of the SFU's CPU at 8 publishers x 8
  subscribers. `WindowRate` keeps the packets themselves, each added and dropped once.
- `OveruseEstimator.update_min_frame_period` takes the minimum of its 60 last frame periods
  in a Python loop, once per frame; `LeanOveruseEstimator` asks `min` for it.
"""

from __future__ import annotations

from collections import deque

from aiortc.rate import MIN_FRAME_PERIOD_HISTORY_LENGTH, OveruseEstimator, RemoteBitrateEstimator


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
