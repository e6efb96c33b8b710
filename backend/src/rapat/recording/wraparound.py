"""RTP's sequence numbers (16 bits) and timestamps (32 bits) wrap; the recorder counts on
in 64 bits, always choosing the value nearest to the one it saw last."""

from __future__ import annotations


def unwrap(value: int, reference: int, bits: int) -> int:
    """The extended value congruent to `value` modulo 2**bits that is nearest `reference`."""
    modulus = 1 << bits
    delta = (value - reference) % modulus
    if delta >= modulus >> 1:
        delta -= modulus
    return reference + delta


def unwrap_sequence(sequence_number: int, reference: int) -> int:
    return unwrap(sequence_number, reference, 16)


def unwrap_timestamp(timestamp: int, reference: int) -> int:
    return unwrap(timestamp, reference, 32)
