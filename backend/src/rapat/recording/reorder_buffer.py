"""Puts one track's RTP packets back in sequence order, and gives up on a hole once it has
waited long enough (in time or in packets behind it) for a retransmission to fill it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from aiortc.rtp import RtpPacket

from rapat.recording.wraparound import unwrap_sequence

# A jump this far (either way) is not reordering but a sender that started over.
RESTART_DISTANCE = 3000


@dataclass(frozen=True, slots=True)
class Lost:
    """Packets given up on. `restart`: the sequence started over; `count` is then 0."""

    count: int
    restart: bool = False


Ordered: TypeAlias = RtpPacket | Lost


@dataclass(slots=True)
class ReorderStats:
    lost: int = 0
    late: int = 0  # arrived after their hole was given up on, or before the first packet
    duplicates: int = 0
    restarts: int = 0


class ReorderBuffer:
    """Holds packets behind a hole; `push` and `expire` return what may go on, in order."""

    def __init__(self, max_packets: int = 512, max_wait: float = 0.25) -> None:
        self._max_packets = max_packets
        self._max_wait = max_wait
        self._next: int | None = None  # the extended sequence number due next; None at start
        self._reference: int | None = None  # the first packet's, while _next is None
        self._pending: dict[int, tuple[RtpPacket, float]] = {}
        self._oldest = 0.0  # when the longest-held packet arrived (while any is held)
        self.stats = ReorderStats()

    @property
    def holding(self) -> int:
        return len(self._pending)

    def push(self, packet: RtpPacket, arrival: float) -> list[Ordered]:
        expected = self._next
        if (
            expected is not None
            and not self._pending
            and not ((packet.sequence_number - expected) & 0xFFFF)
        ):
            # The packet due next with nothing held, by far the most common case: what the
            # general path below would do, without its dictionary and lists.
            self._next = expected + 1
            return [packet]
        reference = self._reference if expected is None else expected
        if reference is None:
            # Extended numbers start one cycle up, so a packet from just before stays positive.
            reference = self._reference = packet.sequence_number + (1 << 16)
            self._oldest = arrival
        extended = unwrap_sequence(packet.sequence_number, reference)
        out: list[Ordered] = []
        if abs(extended - reference) > RESTART_DISTANCE + len(self._pending):
            out = self.drain()
            out.append(Lost(0, restart=True))
            self.stats.restarts += 1
            self._next, self._reference, self._oldest = None, extended, arrival
        elif self._next is not None and extended < self._next:
            self.stats.late += 1
            return []
        elif extended in self._pending:
            self.stats.duplicates += 1
            return []
        if not self._pending:
            self._oldest = arrival
        self._pending[extended] = (packet, arrival)
        if self._next is not None:
            out.extend(self._release())
        while len(self._pending) > self._max_packets:
            out.extend(self._skip_hole())
        out.extend(self.expire(arrival))
        return out

    def expire(self, now: float) -> list[Ordered]:
        """Gives up on the hole in front once a packet behind it has waited `max_wait`.

        At the start the first packet to arrive may not be the first sent, so packets are
        held for `max_wait` and the lowest number starts the sequence."""
        out: list[Ordered] = []
        while self._pending and now - self._oldest >= self._max_wait:
            out.extend(self._skip_hole())
        return out

    def drain(self) -> list[Ordered]:
        """Everything held, holes declared lost: the track ended or started over."""
        out: list[Ordered] = []
        while self._pending:
            out.extend(self._skip_hole())
        return out

    def reset(self) -> list[Ordered]:
        """Everything held, then a fresh start: a new sender (SSRC) numbers its own way."""
        out = self.drain()
        self._next = self._reference = None
        return out

    def _release(self) -> list[Ordered]:
        out: list[Ordered] = []
        assert self._next is not None
        while self._next in self._pending:
            out.append(self._pending.pop(self._next)[0])
            self._next += 1
        if out and self._pending:
            self._oldest = min(arrival for _, arrival in self._pending.values())
        return out

    def _skip_hole(self) -> list[Ordered]:
        first = min(self._pending)
        missing = 0 if self._next is None else first - self._next
        self._next = first
        self.stats.lost += missing
        released = self._release()
        return [Lost(missing), *released] if missing else released
