"""Opus over RTP (RFC 7587): one packet carries one whole frame, and every frame stands on
its own, so there is nothing to join and no keyframe to wait for."""

from __future__ import annotations

from collections.abc import Sequence

from rapat.recording.frames import StreamSetup


class OpusDepacketizer:
    one_packet_per_frame = True

    def starts_frame(self, payload: bytes) -> bool:
        return True

    def frame_data(self, payloads: Sequence[bytes]) -> bytes | None:
        # An empty payload is not a frame (RFC 7587 has DTX send nothing, not empty packets).
        return payloads[0] if len(payloads) == 1 and payloads[0] else None

    def is_keyframe(self, data: bytes) -> bool:
        return True

    def stream_setup(self, keyframe: bytes) -> StreamSetup:
        # The muxer writes the OpusHead itself (two channels, 48 kHz, as WebRTC negotiates).
        return StreamSetup()
