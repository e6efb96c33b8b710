"""Real media for the recording and codec tests: frames encoded and packetized by aiortc's own
encoders (VP8 with libvpx, H.264 with libx264, Opus), stamped as a publisher would stamp them,
and a raw libx264 keyframe's NAL units."""

from __future__ import annotations

import fractions
import random
from collections.abc import Iterator
from dataclasses import dataclass

import av
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

VIDEO_CLOCK = fractions.Fraction(1, 90_000)
H264_PARAMETERS: dict[str, str | int | None] = {
    "packetization-mode": "1",
    "level-asymmetry-allowed": "1",
    "profile-level-id": "42e01f",
}


@dataclass(frozen=True)
class Sent:
    packet: RtpPacket
    time: float  # when the publisher sent it, seconds from the start


def _picture(index: int, width: int, height: int) -> av.VideoFrame:
    """A moving pattern with detail, so frames need several packets."""
    frame = av.VideoFrame(width, height, "yuv420p")
    row = bytes((x * 7 + index * 5 + (x // 9) * 31) % 256 for x in range(width * 2))
    luma = b"".join(row[(y * 3) % width : (y * 3) % width + width] for y in range(height))
    frame.planes[0].update(luma)
    for plane, value in zip(frame.planes[1:], (index * 3 % 256, 200), strict=True):
        plane.update(bytes([value]) * plane.buffer_size)
    frame.pts = index * 3000
    frame.time_base = VIDEO_CLOCK
    return frame


def x264_keyframe_units(width: int = 352, height: int = 288) -> list[bytes]:
    """The NAL units (start codes removed) of one libx264 keyframe, with libx264's default High
    profile parameter sets (aiortc's encoder writes Baseline ones)."""
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.time_base = fractions.Fraction(1, 30)
    codec.options = {"tune": "zerolatency"}
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane in frame.planes:
        plane.update(bytes(i % 251 for i in range(plane.buffer_size)))
    frame.pts = 0
    stream = b"".join(bytes(packet) for packet in codec.encode(frame))
    # Split by hand, not with rapat.codecs.h264.split_annexb: that is under test.
    return [unit.strip(b"\x00") for unit in stream.split(b"\x00\x00\x01") if unit.strip(b"\x00")]


def video_packets(
    mime_type: str,
    frames: int,
    *,
    width: int = 320,
    height: int = 240,
    keyframe_every: int = 30,
    first_sequence: int = 65_000,
    first_timestamp: int = 4_294_000_000,
    ssrc: int = 1234,
) -> list[Sent]:
    """`frames` frames at 30 fps; sequence numbers and timestamps wrap on the way."""
    parameters = H264_PARAMETERS if "264" in mime_type else {}
    codec = RTCRtpCodecParameters(
        mimeType=mime_type, clockRate=90_000, payloadType=96, parameters=parameters
    )
    encoder = get_encoder(codec)
    sent, sequence = [], first_sequence
    for index in range(frames):
        payloads, timestamp = encoder.encode(
            _picture(index, width, height), force_keyframe=index % keyframe_every == 0
        )
        for position, payload in enumerate(payloads):
            packet = RtpPacket(
                payload_type=96,
                marker=int(position == len(payloads) - 1),
                sequence_number=sequence % 65536,
                timestamp=(first_timestamp + timestamp) % (1 << 32),
                ssrc=ssrc,
                payload=payload,
            )
            sent.append(Sent(packet, index / 30))
            sequence += 1
    return sent


def opus_packets(frames: int, *, first_sequence: int = 100, ssrc: int = 5678) -> list[Sent]:
    """`frames` 20 ms Opus frames of a tone."""
    codec = RTCRtpCodecParameters(
        mimeType="audio/opus", clockRate=48_000, channels=2, payloadType=111
    )
    encoder = get_encoder(codec)
    sent: list[Sent] = []
    for index in range(frames + 2):
        audio = av.AudioFrame(format="s16", layout="stereo", samples=960)
        audio.sample_rate = 48_000
        audio.pts = index * 960
        audio.time_base = fractions.Fraction(1, 48_000)
        audio.planes[0].update(bytes((i * 13 + index) % 251 for i in range(960 * 4)))
        payloads, timestamp = encoder.encode(audio)
        for payload in payloads:
            number = len(sent)
            packet = RtpPacket(
                payload_type=111,
                sequence_number=(first_sequence + number) % 65536,
                timestamp=timestamp,
                ssrc=ssrc,
                payload=payload,
            )
            sent.append(Sent(packet, number * 0.02))
    return sent[:frames]


def jittered(sent: list[Sent], seed: int, *, spread: float = 0.05) -> list[Sent]:
    """Each packet delayed by up to `spread` seconds at random: the arrival order changes."""
    rng = random.Random(seed)
    delayed = [Sent(item.packet, item.time + rng.uniform(0, spread)) for item in sent]
    return sorted(delayed, key=lambda item: item.time)


def without(sent: list[Sent], sequence_numbers: set[int]) -> Iterator[Sent]:
    return (item for item in sent if item.packet.sequence_number not in sequence_numbers)
