"""VP8 over RTP (RFC 7741): strip each packet's payload descriptor, join the partitions,
and read keyframes and the picture size from the VP8 frame header (RFC 6386, 9.1)."""

from __future__ import annotations

from collections.abc import Sequence

from rapat.recording.frames import StreamSetup

_KEYFRAME_START_CODE = b"\x9d\x01\x2a"


def descriptor_length(payload: bytes) -> int:
    """Bytes of the payload descriptor in front of the VP8 data; -1 if it is truncated."""
    if not payload:
        return -1
    size = 1
    if payload[0] & 0x80:  # X: an extension byte follows
        if len(payload) < 2:
            return -1
        extension = payload[1]
        size = 2
        if extension & 0x80:  # I: a picture id, one byte or (M set) two
            if len(payload) <= size:
                return -1
            size += 2 if payload[size] & 0x80 else 1
        if extension & 0x40:  # L: TL0PICIDX
            size += 1
        if extension & 0x30:  # T or K: TID/Y/KEYIDX
            size += 1
    return size if size <= len(payload) else -1


class Vp8Depacketizer:
    one_packet_per_frame = False

    def starts_frame(self, payload: bytes) -> bool:
        # S set and partition 0: the first packet of a frame.
        return bool(payload) and payload[0] & 0x1F == 0x10

    def frame_data(self, payloads: Sequence[bytes]) -> bytes | None:
        if not payloads or not self.starts_frame(payloads[0]):
            return None
        parts = []
        for payload in payloads:
            start = descriptor_length(payload)
            if start < 0:
                return None
            parts.append(payload[start:])
        data = b"".join(parts)
        return data or None

    def is_keyframe(self, data: bytes) -> bool:
        # The frame tag's lowest bit is 0 on a keyframe, whose start code follows the tag.
        return len(data) >= 10 and not data[0] & 0x01 and data[3:6] == _KEYFRAME_START_CODE

    def stream_setup(self, keyframe: bytes) -> StreamSetup:
        width = int.from_bytes(keyframe[6:8], "little") & 0x3FFF
        height = int.from_bytes(keyframe[8:10], "little") & 0x3FFF
        return StreamSetup(width=width, height=height)
