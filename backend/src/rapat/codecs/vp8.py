"""VP8 over RTP: the payload descriptor in front of each packet's data (RFC 7741, 4.2), and
the header a keyframe starts with, which states the picture size (RFC 6386, 9.1)."""

from __future__ import annotations

KEYFRAME_START_CODE = b"\x9d\x01\x2a"


def starts_frame(payload: bytes) -> bool:
    """S set and partition id 0: the first packet of a frame."""
    return bool(payload) and payload[0] & 0x17 == 0x10


def descriptor_length(payload: bytes) -> int | None:
    """Bytes of the payload descriptor in front of the VP8 data; None if it is truncated."""
    if not payload:
        return None
    size = 1
    if payload[0] & 0x80:  # X: an extension byte follows
        if len(payload) < 2:
            return None
        extension = payload[1]
        size = 2
        if extension & 0x80:  # I: a picture id, one byte or (M set) two
            if len(payload) <= size:
                return None
            size += 2 if payload[size] & 0x80 else 1
        if extension & 0x40:  # L: TL0PICIDX
            size += 1
        if extension & 0x30:  # T or K: TID/Y/KEYIDX
            size += 1
    return size if size <= len(payload) else None


def is_keyframe(data: bytes) -> bool:
    """`data` (VP8 data, descriptor stripped) starts a keyframe: the frame tag's lowest bit
    is 0 and the start code follows the three-byte tag."""
    return len(data) >= 10 and not data[0] & 0x01 and data[3:6] == KEYFRAME_START_CODE


def keyframe_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a keyframe's header (14 bits each; the top two scale); None when
    `data` does not start a keyframe."""
    if not is_keyframe(data):
        return None
    width = int.from_bytes(data[6:8], "little") & 0x3FFF
    height = int.from_bytes(data[8:10], "little") & 0x3FFF
    return width, height


def payload_keyframe_size(payload: bytes) -> tuple[int, int] | None:
    """The size stated by an RTP payload that starts a keyframe, else None."""
    if not starts_frame(payload):
        return None
    start = descriptor_length(payload)
    return None if start is None else keyframe_size(payload[start:])


def picture_ids(payload: bytes) -> tuple[int, int, int] | None:
    """(picture id, its width in bits (7 or 15), TL0PICIDX or -1) of a payload descriptor
    that carries a picture id; None when it carries none or is truncated."""
    if len(payload) < 3 or not payload[0] & 0x80 or not payload[1] & 0x80:
        return None
    extension = payload[1]
    if payload[2] & 0x80:
        if len(payload) < 4:
            return None
        picture_id, bits, pos = ((payload[2] & 0x7F) << 8) | payload[3], 15, 4
    else:
        picture_id, bits, pos = payload[2], 7, 3
    tl0 = -1
    if extension & 0x40:
        if len(payload) <= pos:
            return None
        tl0 = payload[pos]
    return picture_id, bits, tl0


def with_picture_ids(payload: bytes, picture_id: int, tl0: int) -> bytes:
    """`payload` with its descriptor's picture id (kept at its width) and, where present,
    TL0PICIDX replaced; the caller has checked with `picture_ids` that both fields exist."""
    if payload[2] & 0x80:
        head = bytes((payload[0], payload[1], 0x80 | ((picture_id >> 8) & 0x7F), picture_id & 0xFF))
    else:
        head = bytes((payload[0], payload[1], picture_id & 0x7F))
    if payload[1] & 0x40:
        return head + bytes((tl0 & 0xFF,)) + payload[len(head) + 1 :]
    return head + payload[len(head) :]
