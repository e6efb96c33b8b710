"""Whether an RTP payload is the first packet of a keyframe, by codec: where a decoder that
has seen nothing of the stream can start. Read from the first bytes of the packet only."""

from __future__ import annotations

from rapat.codecs import h264, vp8


def starts_keyframe(mime_type: str, payload: bytes) -> bool:
    """True when `payload` begins a keyframe (VP8) or an IDR access unit (H.264); False for
    every other packet, other codecs and malformed bytes."""
    codec = mime_type.lower()
    if codec == "video/vp8":
        return vp8_starts_keyframe(payload)
    if codec == "video/h264":
        return h264_starts_keyframe(payload)
    return False


def vp8_starts_keyframe(payload: bytes) -> bool:
    if not vp8.starts_frame(payload):
        return False
    start = vp8.descriptor_length(payload)
    return start is not None and vp8.is_keyframe(payload[start:])


def h264_starts_keyframe(payload: bytes) -> bool:
    """An SPS (browsers send one, alone or in a STAP-A, ahead of each IDR picture), or the
    first slice of an IDR picture from an encoder that sends no SPS there (whole, or the
    FU-A fragment that starts it)."""
    if len(payload) < 3:
        return False
    if payload[0] & 0x1F == h264.FU_A:  # FU header, then the slice without its NAL header
        starts = bool(payload[1] & 0x80) and payload[1] & 0x1F == h264.NAL_IDR
        return starts and _first_slice(payload[2])
    for unit in h264.nal_units(payload) or []:
        kind = h264.nal_type(unit)
        if kind == h264.NAL_SPS or (
            kind == h264.NAL_IDR and len(unit) > 1 and _first_slice(unit[1])
        ):
            return True
    return False


def _first_slice(header_byte: int) -> bool:
    """first_mb_in_slice is 0 (ue(v) "1"): the slice begins its picture."""
    return bool(header_byte & 0x80)
