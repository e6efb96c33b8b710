"""Per-subscriber rewriting of sequence numbers and timestamps.

Each subscriber gets its own SSRC, sequence space and timestamp origin. When forwarding
pauses (mute, camera off) and resumes, the outgoing sequence numbers carry on from the last
one sent, so the subscriber never sees a gap it would ask to have retransmitted; the
timestamp offset stays, so the time that passed shows as a timestamp jump, as it should.
"""

from __future__ import annotations

import secrets

SEQ_MOD = 1 << 16
TS_MOD = 1 << 32
HALF = SEQ_MOD // 2
FLOOR_LAG = 1 << 14  # how far the resync floor trails the newest packet, at most


def seq_newer(a: int, b: int) -> bool:
    """True when sequence number `a` comes after `b` (RFC 3550 wrap-around)."""
    return 0 < (a - b) % SEQ_MOD < HALF


class SequenceRewriter:
    __slots__ = ("_floor", "_last_out", "_resync", "_seq_offset", "_ts_offset")

    def __init__(self, seq_offset: int | None = None, ts_offset: int | None = None) -> None:
        # Random origins, as RFC 3550 asks; sequence numbers start below 2^15 so SRTP's
        # rollover counter is not tripped by an early wrap.
        self._seq_offset = secrets.randbelow(SEQ_MOD // 2) if seq_offset is None else seq_offset
        self._ts_offset = secrets.randbelow(TS_MOD) if ts_offset is None else ts_offset
        self._floor: int | None = None  # first incoming sequence number since the last resync
        self._last_out: int | None = None
        self._resync = True

    def resync(self) -> None:
        """The next packet continues the outgoing sequence right after the last one sent."""
        self._resync = True

    def retime(self, timestamp: int, out_timestamp: int) -> None:
        """From now on, incoming `timestamp` goes out as `out_timestamp` (another simulcast
        layer, whose clock has its own origin, continues the stream)."""
        self._ts_offset = (out_timestamp - timestamp) % TS_MOD

    def rewrite(self, seq: int, timestamp: int) -> tuple[int, int] | None:
        """The outgoing (sequence number, timestamp), or None for a packet that predates the
        last resync (its number may already have been used)."""
        # (runs per packet and subscriber: `seq_newer` is written out inline)
        floor = self._floor
        if self._resync:
            self._resync = False
            if self._last_out is not None:
                self._seq_offset = (self._last_out + 1 - seq) % SEQ_MOD
            floor = self._floor = seq
        elif floor is not None and 0 < (floor - seq) % SEQ_MOD < HALF:
            return None
        if floor is not None and (seq - floor) % SEQ_MOD > FLOOR_LAG:
            # The floor follows the stream: half the sequence space on, it would look
            # newer than every packet (which would all be dropped until the next wrap).
            self._floor = (seq - FLOOR_LAG) % SEQ_MOD
        out_seq = (seq + self._seq_offset) % SEQ_MOD
        last = self._last_out
        if last is None or 0 < (out_seq - last) % SEQ_MOD < HALF:
            self._last_out = out_seq
        return out_seq, (timestamp + self._ts_offset) % TS_MOD
