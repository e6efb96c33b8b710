"""Recorded segments for the compose tests: solid-colour VP8 frames and Opus tones,
encoded by aiortc's encoders, packetized, and written by the real `TrackRecorder`, as the
SFU would record a publisher."""

from __future__ import annotations

import fractions
import math
from pathlib import Path

import av
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.recording.compose_request import ComposeSegment
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.sidecar import SegmentInfo
from rapat.recording.track_recorder import TrackRecorder
from tests.recording_files import START, feed
from tests.recording_media import VIDEO_CLOCK, Sent

RED = (220, 40, 40)
BLUE = (40, 60, 220)


def _yuv(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = rgb  # BT.601, limited range, as swscale reads it back
    y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
    v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
    return round(y), round(u), round(v)


def colour_packets(
    rgb: tuple[int, int, int],
    seconds: float,
    *,
    fps: int = 15,
    size: tuple[int, int] = (320, 180),
    later_size: tuple[int, int] | None = None,
) -> list[Sent]:
    """A solid-colour camera at `fps`, keyframe every second; from half way, `later_size`
    if given (a sender adapting its resolution, in the same stream)."""
    codec = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90_000, payloadType=96)
    encoder = get_encoder(codec)
    sent: list[Sent] = []
    count = round(seconds * fps)
    for index in range(count):
        width, height = later_size if later_size and index >= count // 2 else size
        frame = av.VideoFrame(width, height, "yuv420p")
        for plane, value in zip(frame.planes, _yuv(rgb), strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts = index * 90_000 // fps
        frame.time_base = VIDEO_CLOCK
        payloads, timestamp = encoder.encode(frame, force_keyframe=index % fps == 0)
        for position, payload in enumerate(payloads):
            packet = RtpPacket(
                payload_type=96,
                marker=int(position == len(payloads) - 1),
                sequence_number=len(sent) % 65536,
                timestamp=timestamp % (1 << 32),
                ssrc=11,
                payload=payload,
            )
            sent.append(Sent(packet, index / fps))
    return sent


def tone_packets(frequency: float, seconds: float) -> list[Sent]:
    """A sine at `frequency` (half scale), 20 ms Opus frames."""
    codec = RTCRtpCodecParameters(
        mimeType="audio/opus", clockRate=48_000, channels=2, payloadType=111
    )
    encoder = get_encoder(codec)
    sent: list[Sent] = []
    for index in range(round(seconds / 0.02)):
        audio = av.AudioFrame(format="s16", layout="stereo", samples=960)
        audio.sample_rate = 48_000
        audio.pts = index * 960
        audio.time_base = fractions.Fraction(1, 48_000)
        samples = bytearray()
        for n in range(960):
            value = int(16000 * math.sin(2 * math.pi * frequency * (index * 960 + n) / 48_000))
            samples += value.to_bytes(2, "little", signed=True) * 2
        audio.planes[0].update(bytes(samples))
        payloads, timestamp = encoder.encode(audio)
        for payload in payloads:
            packet = RtpPacket(
                payload_type=111,
                sequence_number=len(sent),
                timestamp=timestamp,
                ssrc=22,
                payload=payload,
            )
            sent.append(Sent(packet, index * 0.02))
    return sent


def record(
    directory: Path, name: str, codec: MediaCodec, parts: list[tuple[float, list[Sent]]]
) -> tuple[ComposeSegment, ...]:
    """Each part (start in seconds from `START`, packets) becomes its own segment."""
    segments: list[SegmentInfo] = []
    for number, (start, sent) in enumerate(parts):
        recorder = TrackRecorder(directory, f"{name}-{number}", codec)
        feed(recorder, sent, offset=start)
        recorder.close()
        segments.extend(recorder.segments)
    return tuple(
        ComposeSegment(directory / info.file, info.start_wall_time, info.duration_ms)
        for info in segments
    )


__all__ = ["BLUE", "RED", "START", "colour_packets", "record", "tone_packets"]
