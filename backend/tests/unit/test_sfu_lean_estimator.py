"""The lean estimator parts give the figures of the aiortc parts they replace."""

from __future__ import annotations

import random

import pytest
from aiortc.rate import OveruseEstimator, RateCounter, RemoteBitrateEstimator

from rapat.sfu.lean_estimator import BatchedEstimator, LeanOveruseEstimator, WindowRate, make_lean


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
    make_lean(ours)
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


def test_the_least_frame_period_is_aiortcs() -> None:
    ours, theirs = LeanOveruseEstimator(), OveruseEstimator()
    rng = random.Random(3)
    for _ in range(500):
        delta = rng.choice([33.3, 33.4, 0.0, 66.7, rng.uniform(-5, 100)])
        assert ours.update_min_frame_period(delta) == theirs.update_min_frame_period(delta)
        assert ours.ts_delta_hist == theirs.ts_delta_hist


def _packets(seed: int, count: int) -> list[tuple[int, int, int, int]]:
    rng = random.Random(seed)
    arrival, send, out = 1_000_000, 0, []
    for _ in range(count):
        send += rng.randrange(0, 4)
        arrival += rng.choice([0, 0, 1, 3, 15, 33])
        out.append((arrival, send & 0xFFFFFF, rng.randrange(200, 1200), 1))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_batches_give_the_estimates_packet_by_packet_gives(seed: int) -> None:
    batched, direct = RemoteBitrateEstimator(), RemoteBitrateEstimator()
    batch = BatchedEstimator(batched, wait_ms=50)
    latest_direct: int | None = None
    estimates = 0
    for arrival, send, size, ssrc in _packets(seed, 4000):
        remb = direct.add(arrival, send, size, ssrc)
        if remb is not None:
            latest_direct = remb[0]
            estimates += 1
        from_batch = batch.add(arrival, send, size, ssrc, True)
        if from_batch is not None:
            # a batch reports the newest estimate of its packets: the one the estimator
            # gave packet by packet up to here
            assert from_batch == latest_direct
    assert estimates > 10
    batch.flush()
    assert batched.rate_control.current_bitrate == direct.rate_control.current_bitrate
    assert batched.estimator.offset() == direct.estimator.offset()


def _recorded_batch() -> tuple[BatchedEstimator, list[int]]:
    """A 50 ms batch whose estimator records the arrival time of every packet it is fed."""
    estimator = RemoteBitrateEstimator()
    calls: list[int] = []
    add = estimator.add

    def counting(*args: int) -> tuple[int, list[int]] | None:
        calls.append(args[0])
        return add(*args)

    estimator.add = counting  # type: ignore[method-assign]
    return BatchedEstimator(estimator, wait_ms=50), calls


def test_a_batch_waits_at_most_its_time() -> None:
    batch, calls = _recorded_batch()
    for arrival in (0, 10, 49):
        batch.add(1_000 + arrival, arrival * 262, 1000, 1, True)
    assert calls == []  # still within 50 ms of the first
    batch.add(1_050, 50 * 262, 1000, 1, True)
    assert calls == [1_000, 1_010, 1_049, 1_050]  # in arrival order, all at once


def test_a_due_batch_waits_for_the_end_of_a_frame() -> None:
    batch, calls = _recorded_batch()
    batch.add(1_000, 0, 1000, 1, True)
    batch.add(1_060, 60 * 262, 1000, 1, False)  # due, but the frame goes on
    batch.add(1_061, 60 * 262, 1000, 1, False)
    assert calls == []
    batch.add(1_062, 60 * 262, 1000, 1, True)  # its last packet
    assert calls == [1_000, 1_060, 1_061, 1_062]
    # A frame whose end never comes (its last packet lost): one more wait, then it runs.
    calls.clear()
    batch.add(2_000, 1_000 * 262, 1000, 1, False)
    for arrival in (2_050, 2_080, 2_099):
        batch.add(arrival, arrival * 262, 1000, 1, False)
    assert calls == []
    batch.add(2_100, 2_100 * 262, 1000, 1, False)
    assert calls == [2_000, 2_050, 2_080, 2_099, 2_100]


def test_a_clock_stepping_back_cannot_grow_the_queue() -> None:
    estimator = RemoteBitrateEstimator()
    batch = BatchedEstimator(estimator, wait_ms=50, limit=8)
    for index in range(100):
        batch.add(1_000_000 - index, index * 262, 1000, 1, True)  # always "before" it is due
        assert len(batch._pending) < 8
