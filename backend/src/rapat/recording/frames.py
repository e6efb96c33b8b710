"""What the depacketizers make and what they promise: an encoded frame, and the three
questions the frame assembler asks of a codec."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    """One whole frame as a decoder reads it, stamped with its extended RTP timestamp."""

    timestamp: int
    data: bytes
    keyframe: bool


@dataclass(frozen=True, slots=True)
class StreamSetup:
    """What a container needs before the first frame: size, codec private data."""

    width: int = 0
    height: int = 0
    extradata: bytes | None = None


class Depacketizer(Protocol):
    """Turns the payloads of one frame's packets (in order, none missing) into the frame."""

    # Audio codecs carry one frame per packet; no marker bit ends their frames.
    one_packet_per_frame: bool

    def starts_frame(self, payload: bytes) -> bool:
        """True only when the payload is certainly the first packet of a frame."""
        ...

    def frame_data(self, payloads: Sequence[bytes]) -> bytes | None:
        """The frame's bitstream, or None when the payloads do not make a valid frame."""
        ...

    def is_keyframe(self, data: bytes) -> bool: ...

    def stream_setup(self, keyframe: bytes) -> StreamSetup:
        """What the container needs, read from the first frame it will hold."""
        ...
