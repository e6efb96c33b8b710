"""The last packets sent to one subscriber, by outgoing sequence number, to answer NACKs."""

from __future__ import annotations

from rapat.sfu.sequence import SEQ_MOD


class PacketCache:
    """A fixed ring: memory per subscriber is bounded whatever the bitrate."""

    __slots__ = ("_packets", "_seqs", "_size")

    def __init__(self, size: int = 512) -> None:
        if size <= 0 or SEQ_MOD % size:
            raise ValueError("The cache size must be a positive divisor of 65536.")
        self._size = size
        self._seqs: list[int] = [-1] * size
        self._packets: list[bytes] = [b""] * size

    def put(self, seq: int, packet: bytes) -> None:
        slot = seq % self._size
        self._seqs[slot] = seq
        self._packets[slot] = packet

    def get(self, seq: int) -> bytes | None:
        slot = seq % self._size
        return self._packets[slot] if self._seqs[slot] == seq else None
