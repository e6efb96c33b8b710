"""One timer for the RTCP reports of every stream on a transport.

aiortc runs a task per sender and per receiver that wakes about once a second and sends
that stream's report (SR + SDES, or RR) in a datagram of its own: a subscriber of P
publishers costs 2P task wake-ups, SRTCP protections and datagrams a second, a publisher
two. Here the transport's streams report together, in
as few compound RTCP datagrams as fit, on one timer (interval drawn from 0.5-1.5 s each
time, as RFC 3550 asks, so reports of many transports do not synchronise).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterable
from typing import Protocol

# Jitter from a generator of its own: the module-level one is shared with whatever else
# runs in the process (tests seeding it included), and this must not disturb it.
_JITTER = random.Random()  # noqa: S311

MAX_DATAGRAM = 1200  # bytes of RTCP per datagram (below any path MTU, with SRTCP's trailer)


class Reporter(Protocol):
    def report(self, now: float) -> bytes:
        """This stream's report (one or more RTCP packets, the first an SR or RR; or none),
        as of `now` (Unix time)."""
        ...


def pack_compound(reports: Iterable[bytes], limit: int = MAX_DATAGRAM) -> list[bytes]:
    """Reports joined into as few compound packets of at most `limit` bytes as possible,
    in order; a report longer than `limit` travels alone."""
    packets: list[bytes] = []
    current = b""
    for report in reports:
        if not report:
            continue
        if current and len(current) + len(report) > limit:
            packets.append(current)
            current = b""
        current += report
    if current:
        packets.append(current)
    return packets


class ReportTimer:
    """Sends the reports of the streams added to it through `send` (one compound RTCP
    packet at a time, not yet protected) while any are added."""

    def __init__(
        self,
        send: Callable[[bytes], None],
        interval: Callable[[], float] = lambda: 0.5 + _JITTER.random(),
    ) -> None:
        self._send = send
        self._interval = interval
        self._reporters: dict[Reporter, None] = {}  # insertion-ordered set
        self._timer: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        return len(self._reporters)

    def add(self, reporter: Reporter) -> None:
        self._reporters[reporter] = None
        if self._timer is None:
            self._schedule()

    def remove(self, reporter: Reporter) -> None:
        self._reporters.pop(reporter, None)
        if not self._reporters and self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def fire(self) -> None:
        """Send every report now (the timer calls this)."""
        self._timer = None
        now = time.time()
        for packet in pack_compound(r.report(now) for r in tuple(self._reporters)):
            self._send(packet)
        if self._reporters:
            self._schedule()

    def _schedule(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self._interval(), self.fire)
