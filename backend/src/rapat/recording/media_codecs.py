"""The codecs a track can be recorded in, and what each needs: its depacketizer, the
container that holds it and the name the muxer knows it by."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rapat.recording.frames import Depacketizer
from rapat.recording.h264 import H264Depacketizer
from rapat.recording.opus import OpusDepacketizer
from rapat.recording.vp8 import Vp8Depacketizer


@dataclass(frozen=True, slots=True)
class CodecSpec:
    muxer_name: str  # the codec's name in FFmpeg
    video: bool
    clock_rate: int
    container: str  # FFmpeg's format name
    extension: str


class MediaCodec(Enum):
    # WebM holds VP8 and Opus; H.264 needs plain Matroska.
    VP8 = CodecSpec("vp8", video=True, clock_rate=90_000, container="webm", extension="webm")
    H264 = CodecSpec("h264", video=True, clock_rate=90_000, container="matroska", extension="mkv")
    OPUS = CodecSpec("opus", video=False, clock_rate=48_000, container="webm", extension="webm")

    @property
    def spec(self) -> CodecSpec:
        return self.value

    @classmethod
    def from_mime_type(cls, mime_type: str) -> MediaCodec:
        """`video/VP8`, `video/H264`, `audio/opus` (as SDP spells them, any case)."""
        name = mime_type.partition("/")[2].lower()
        for codec in cls:
            if codec.spec.muxer_name == name:
                return codec
        raise ValueError(f"cannot record {mime_type!r}: only VP8, H.264 and Opus")

    def depacketizer(self) -> Depacketizer:
        if self is MediaCodec.VP8:
            return Vp8Depacketizer()
        if self is MediaCodec.H264:
            return H264Depacketizer()
        return OpusDepacketizer()
