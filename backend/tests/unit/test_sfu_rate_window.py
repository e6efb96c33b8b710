"""WindowRate gives the figures of aiortc's RateCounter, which it replaces in the estimator."""

from __future__ import annotations

import random

import pytest
from aiortc.rate import RateCounter, RemoteBitrateEstimator

from rapat.sfu.rate_window import WindowRate


@pytest.mark.parametrize("seed", range(20))
def test_rates_match_aiortcs_counter_through_bursts_gaps_and_resets(seed: int) -> None:
    rng = random.Random(seed)
    window = rng.choice([5, 50, 1000])
    ours, theirs = WindowRate(window, 8000), RateCounter(window, 8000)
    now = rng.randrange(1 << 40)
    for _ in range(3000):
        step = rng.random()
        if step < 0.4:
            now += 0  # several packets in one millisecond (a frame's burst)
        elif step < 0.95:
            now += rng.randrange(1, 40)
        else:
            now += rng.randrange(window // 2, 3 * window)  # a pause, sometimes past the window
        if rng.random() < 0.01:
            ours.reset()
            theirs.reset()
        if rng.random() < 0.7:
            value = rng.randrange(0, 1500)
            ours.add(value, now)
            theirs.add(value, now)
        assert ours.rate(now) == theirs.rate(now)


def test_no_rate_before_two_milliseconds_of_data() -> None:
    rate = WindowRate(1000)
    assert rate.rate(10) is None
    rate.add(1000, 10)
    assert rate.rate(10) is None  # one millisecond: no rate yet, as in aiortc
    assert rate.rate(11) == 4_000_000  # 1000 bytes over 2 ms
    assert rate.rate(2000) is None  # everything aged out


def test_a_clock_step_back_counts_the_value_until_the_window_passes() -> None:
    rate = WindowRate(100)
    rate.add(100, 1_000)
    rate.add(100, 900)  # the wall clock stepped back
    assert rate.rate(1_001) == round(8000 * 200 / 2)
    assert rate.rate(1_050) == round(8000 * 200 / 51)
    assert rate.rate(1_100) is None


def test_the_estimator_gives_the_same_estimates_with_either_counter() -> None:
    ours, theirs = RemoteBitrateEstimator(), RemoteBitrateEstimator()
    ours.incoming_bitrate = WindowRate(1000, 8000)  # type: ignore[assignment]
    rng = random.Random(7)
    arrival, send = 1_000_000, 0
    estimates = 0
    for _ in range(5000):
        send += rng.randrange(0, 4)  # abs-send-time units, 1/262144 s
        arrival += rng.choice([0, 0, 1, 3, 33])
        size = rng.randrange(200, 1200)
        a = ours.add(
            arrival_time_ms=arrival, abs_send_time=send & 0xFFFFFF, payload_size=size, ssrc=1
        )
        b = theirs.add(
            arrival_time_ms=arrival, abs_send_time=send & 0xFFFFFF, payload_size=size, ssrc=1
        )
        assert a == b
        estimates += a is not None
    assert estimates > 10  # the comparison covered real estimates
