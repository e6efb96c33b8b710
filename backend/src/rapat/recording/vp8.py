"""VP8 over RTP (RFC 7741): strip each packet's payload descriptor and join the partitions
into a frame; keyframes and the picture size come from the frame header (`rapat.codecs`)."""

from __future__ import annotations

from collections.abc import Sequence

from rapat.codecs import vp8
from rapat.recording.frames import StreamSetup


class Vp8Depacketizer:
    one_packet_per_frame = False

    def starts_frame(self, payload: bytes) -> bool:
        return vp8.starts_frame(payload)

    def frame_data(self, payloads: Sequence[bytes]) -> bytes | None:
        if not payloads or not self.starts_frame(payloads[0]):
            return None
        parts = []
        for payload in payloads:
            start = vp8.descriptor_length(payload)
            if start is None:
                return None
            parts.append(payload[start:])
        data = b"".join(parts)
        return data or None

    def is_keyframe(self, data: bytes) -> bool:
        return vp8.is_keyframe(data)

    def stream_setup(self, keyframe: bytes) -> StreamSetup:
        width, height = vp8.keyframe_size(keyframe) or (0, 0)
        return StreamSetup(width=width, height=height)
