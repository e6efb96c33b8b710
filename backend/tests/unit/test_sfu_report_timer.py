"""The transport's report timer: reports packed into few datagrams, sent while any
stream is added, stopped when the last one goes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rapat.sfu.report_timer import ReportTimer, pack_compound
from tests.waiting import wait_until


def test_reports_are_packed_in_order_within_the_limit() -> None:
    reports = [b"a" * 40, b"b" * 40, b"c" * 40, b"d" * 90]
    assert pack_compound(reports, limit=100) == [b"a" * 40 + b"b" * 40, b"c" * 40, b"d" * 90]
    assert pack_compound([b"x" * 150, b"y"], limit=100) == [b"x" * 150, b"y"]
    assert pack_compound([], limit=100) == []
    # a stream with nothing to report yet (a receiver before its first packet) adds nothing
    assert pack_compound([b"", b"a" * 40, b""], limit=100) == [b"a" * 40]
    assert pack_compound([b""], limit=100) == []


class Stream:
    def __init__(self, name: bytes) -> None:
        self.name = name
        self.times: list[float] = []

    def report(self, now: float) -> bytes:
        self.times.append(now)
        return self.name * 10


async def until(check: Callable[[], bool]) -> None:
    await wait_until(check, 2.0, "more reports sent", interval=0.01)


async def test_the_timer_reports_every_stream_together_until_the_last_leaves() -> None:
    sent: list[bytes] = []
    timer = ReportTimer(sent.append, interval=lambda: 0.01)
    first, second = Stream(b"1"), Stream(b"2")
    timer.add(first)
    timer.add(second)
    await until(lambda: len(sent) >= 2)
    assert all(packet == b"1" * 10 + b"2" * 10 for packet in sent)  # one datagram each time
    timer.remove(first)
    timer.remove(second)
    count = len(sent)
    await asyncio.sleep(0.05)
    assert len(sent) == count  # stopped
    assert len(timer) == 0
    timer.add(first)  # and starts again
    await until(lambda: len(sent) > count)
    assert sent[-1] == b"1" * 10
    timer.remove(first)
