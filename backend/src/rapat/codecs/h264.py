"""H.264 NAL units as RTP carries them (RFC 6184: single units, STAP-A aggregates, FU-A
fragments) and as Annex-B byte streams hold them (start codes)."""

from __future__ import annotations

START_CODE = b"\x00\x00\x00\x01"
NAL_SLICE = 1
NAL_IDR = 5
NAL_SPS = 7
NAL_PPS = 8
NAL_AUD = 9
STAP_A = 24
FU_A = 28


def nal_type(unit: bytes) -> int:
    return unit[0] & 0x1F


def nal_units(payload: bytes) -> list[bytes] | None:
    """The whole NAL units of a single-NAL or STAP-A payload; None if malformed (or an FU-A
    fragment, which holds part of one)."""
    if not payload:
        return None
    kind = payload[0] & 0x1F
    if 1 <= kind <= 23:
        return [payload]
    if kind != STAP_A:
        return None
    units, pos = [], 1
    while pos + 2 <= len(payload):
        size = int.from_bytes(payload[pos : pos + 2], "big")
        pos += 2
        if size == 0 or pos + size > len(payload):
            return None
        units.append(payload[pos : pos + size])
        pos += size
    return units if pos == len(payload) and units else None


def split_annexb(data: bytes) -> list[bytes]:
    """The NAL units of an Annex-B stream (3- or 4-byte start codes)."""
    return [unit.strip(b"\x00") for unit in data.split(b"\x00\x00\x01") if unit.strip(b"\x00")]
