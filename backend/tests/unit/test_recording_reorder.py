"""The reorder buffer and wraparound arithmetic, on packets shuffled by hypothesis."""

from __future__ import annotations

import random

from aiortc.rtp import RtpPacket
from hypothesis import given
from hypothesis import strategies as st

from rapat.recording.reorder_buffer import Lost, ReorderBuffer
from rapat.recording.wraparound import unwrap_sequence, unwrap_timestamp


def _packet(sequence: int) -> RtpPacket:
    return RtpPacket(sequence_number=sequence % 65536, payload=bytes([sequence % 256]))


def test_unwrap_takes_the_nearest_value_across_the_wrap() -> None:
    assert unwrap_sequence(2, 65535) == 65538
    assert unwrap_sequence(65530, 65540) == 65530
    assert unwrap_timestamp(10, 2**32 - 10) == 2**32 + 10
    assert unwrap_timestamp(2**32 - 10, 2**32 + 10) == 2**32 - 10


@given(
    first=st.integers(0, 65535),
    count=st.integers(1, 300),
    seed=st.integers(0, 2**32),
    dropped=st.sets(st.integers(1, 298), max_size=20),
)
def test_shuffled_packets_come_out_in_order_with_the_holes_counted(
    first: int, count: int, seed: int, dropped: set[int]
) -> None:
    numbers = [first + i for i in range(count) if i not in dropped or i == count - 1]
    rng = random.Random(seed)
    # Each packet is late by up to 20 positions: reordering, as a network does it.
    arrival = sorted(numbers, key=lambda n: n + rng.uniform(0, 20))
    if arrival[0] != first:  # the buffer starts with whatever comes first...
        arrival.remove(first)
        arrival.insert(0, first)  # ...so the test starts at the first packet
    buffer = ReorderBuffer(max_packets=64, max_wait=10.0)
    out = []
    for n in arrival:
        out += buffer.push(_packet(n), 0.0)
    out += buffer.drain()
    packets = [item.sequence_number for item in out if isinstance(item, RtpPacket)]
    lost = sum(item.count for item in out if isinstance(item, Lost))
    assert packets == [n % 65536 for n in numbers]
    assert lost == count - len(numbers) == buffer.stats.lost


def test_a_hole_is_given_up_after_the_wait() -> None:
    buffer = ReorderBuffer(max_packets=100, max_wait=0.2)
    assert buffer.push(_packet(10), 0.0) == []  # held: an earlier packet may still come
    assert buffer.push(_packet(9), 0.05) == []
    released = buffer.expire(0.2)
    assert [p.sequence_number for p in released if isinstance(p, RtpPacket)] == [9, 10]
    assert buffer.push(_packet(12), 0.3) == []
    assert buffer.expire(0.45) == []
    out = buffer.expire(0.5)
    assert out[0] == Lost(1)
    assert isinstance(out[1], RtpPacket)
    assert out[1].sequence_number == 12
    assert buffer.push(_packet(11), 0.6) == []  # too late now
    assert buffer.stats.late == 1


def test_a_hole_is_given_up_when_too_many_packets_wait_behind_it() -> None:
    buffer = ReorderBuffer(max_packets=3, max_wait=10.0)
    buffer.push(_packet(0), 0.0)
    buffer.expire(10.0)
    for n in (2, 3, 4):
        assert buffer.push(_packet(n), 10.0) == []
    out = buffer.push(_packet(5), 10.0)
    assert out[0] == Lost(1)
    assert [p.sequence_number for p in out[1:] if isinstance(p, RtpPacket)] == [2, 3, 4, 5]


def test_a_far_jump_is_a_restart_and_copies_are_dropped() -> None:
    buffer = ReorderBuffer(max_packets=10, max_wait=0.0)
    buffer.push(_packet(100), 0.0)
    buffer.push(_packet(101), 0.0)
    assert buffer.push(_packet(101), 0.0) == []
    out = buffer.push(_packet(40_000), 0.0)
    assert Lost(0, restart=True) in out
    assert (buffer.stats.late, buffer.stats.restarts) == (1, 1)  # a copy of one let through
